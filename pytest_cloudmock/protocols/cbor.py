"""The Smithy RPC v2 CBOR protocol (CloudWatch, GameLift, Snowball...).

Requests are `POST /service/<ServiceName>/operation/<Operation>` with header
`smithy-protocol: rpc-v2-cbor` and a CBOR map body; responses are CBOR maps keyed
by member name, blobs as byte strings, timestamps as tag 1 (epoch seconds);
errors are maps with `__type` and `message`, plus `x-amzn-query-error` for
awsQueryCompatible services. The inverse of botocore's `RpcV2CBORSerializer` and
`RpcV2CBORParser`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

import cbor2
from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireRequest, WireResponse
from . import eventstream, values
from .base import Codec
from .json_ import (
    JsonTree,
    decode_params,
    error_fields,
    find_error_shape,
    query_error_header,
    rpc_event_stream,
    wire_error_code,
)

CONTENT_TYPE = "application/cbor"
_PATH = re.compile(r"/service/([^/]+)/operation/([^/]+)/?$")


class CborTree(JsonTree):
    """`JsonTree` for CBOR: bytes stay bytes, timestamps are datetimes, keys are member names."""

    def output_key(self, name: str, member: Shape) -> str:
        return name

    def decode_timestamp(self, shape: Shape, value: Any) -> Any:
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return values.parse_timestamp(value)
        raise TypeError("timestamp")

    def decode_blob(self, value: Any) -> bytes:
        if isinstance(value, (bytes, bytearray)):
            return bytes(value)
        raise TypeError("blob")

    def decode_scalar(self, shape: Shape, value: Any) -> Any:
        if shape.type_name in ("float", "double") and isinstance(value, str):
            raise TypeError(shape.type_name)  # CBOR has native NaN and infinities
        return super().decode_scalar(shape, value)

    def encode_scalar(self, shape: Shape, value: Any) -> Any:
        kind = shape.type_name
        if kind in ("float", "double", "bigDecimal"):
            return float(value)
        if kind == "timestamp":
            return _whole_or_ms(values.to_datetime(value))
        if kind == "blob":
            return value.encode() if isinstance(value, str) else bytes(value)
        return super().encode_scalar(shape, value)


def _whole_or_ms(value: datetime) -> datetime:
    """The instant truncated to milliseconds (Smithy timestamps carry no finer precision)."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def dumps(value: Any) -> bytes:
    """CBOR bytes; datetimes as tag 1 epoch numbers, as botocore's parser reads them."""
    return cbor2.dumps(value, datetime_as_timestamp=True, timezone=timezone.utc)


class CborCodec(Codec):
    """smithy-rpc-v2-cbor."""

    protocol = "smithy-rpc-v2-cbor"
    tree = CborTree()

    def matches(self, request: WireRequest) -> bool:
        return request.headers.get("smithy-protocol", "").lower() == "rpc-v2-cbor"

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        match = _PATH.search(request.unquoted_path)
        if match is None:
            return None
        service, name = match.groups()
        if model is None:
            return name
        known = (
            model.metadata.get("targetPrefix"),
            model.metadata.get("serviceId", "").lower().replace(" ", "-"),
            model.service_name,
        )
        if name in model.operation_names and service in known:
            return name
        return None

    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        body = request.body
        if not body:
            return {}
        try:
            decoded = cbor2.loads(body)
        except Exception:  # cbor2 raises several decoder errors, all "malformed"
            raise AWSError("SerializationException", "Malformed CBOR in request body") from None
        if not isinstance(decoded, dict):
            raise AWSError("SerializationException", "Request body is not a CBOR map")
        return decode_params(self.tree, operation, decoded)

    def serialize(
        self,
        result: dict[str, Any],
        operation: OperationModel | None,
        request_id: str,
        status: int = 0,
    ) -> WireResponse:
        shape = operation.output_shape if operation is not None else None
        if shape is not None and shape.event_stream_name:
            headers = self._headers(request_id, False)
            headers["Content-Type"] = eventstream.CONTENT_TYPE
            body = rpc_event_stream(result or {}, shape, self.event_bodies)
            return WireResponse(status or 200, headers, body)
        if shape is None and not result:
            body = b""
        else:
            body = dumps(self.tree.encode(shape, result or {}) if shape is not None else result)
        return WireResponse(status or 200, self._headers(request_id, bool(body)), body)

    @cached_property
    def event_bodies(self) -> eventstream.EventBodies:
        return eventstream.EventBodies(
            CONTENT_TYPE,
            lambda shape, value: dumps(self.tree.encode(shape, value)),
            lambda shape, data: self.tree.decode(shape, cbor2.loads(data)),
        )

    def serialize_error(
        self,
        error: AWSError,
        model: ServiceModel | None,
        operation: OperationModel | None,
        request_id: str,
    ) -> WireResponse:
        shape = find_error_shape(model, error.code)
        fields = error_fields(self.tree, error, shape)
        body = {"__type": wire_error_code(model, error, shape), **_plain(fields)}
        headers = self._headers(request_id, True)
        headers.update(query_error_header(model, error, shape))
        headers.update(error.headers)
        return WireResponse(error.status, headers, dumps(body))

    @staticmethod
    def _headers(request_id: str, has_body: bool) -> dict[str, str]:
        headers = {"smithy-protocol": "rpc-v2-cbor", "x-amzn-RequestId": request_id}
        if has_body:
            headers["Content-Type"] = CONTENT_TYPE
        return headers


def _plain(value: Any) -> Any:
    """Unmodelled error fields made CBOR-safe (unknown objects become text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, bytes, bool, int, float, datetime)) or value is None:
        return value
    return str(value)
