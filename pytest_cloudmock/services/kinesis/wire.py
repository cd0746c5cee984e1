"""Kinesis's wire quirk: besides awsJson 1.1 (what boto3 sends), the AWS SDKs for Java
send the same operations with CBOR bodies (`Content-Type: application/x-amz-cbor-1.1`,
same `X-Amz-Target`). `KinesisJsonCodec` answers each request in the encoding it came in.

botocore's model lists only `json`, so the router always picks this codec for Kinesis;
which encoding the current request used is noted per thread when the router asks the
codec for the operation (the first thing it does with a request) and read back when the
answer or error is written on the same thread. CBOR timestamps travel as tag 1 holding
epoch milliseconds, as the Java SDK writes and reads them (seconds are accepted too).
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

import cbor2
from botocore.model import OperationModel, ServiceModel, Shape

from ...api import AWSError
from ...protocols import eventstream
from ...protocols.cbor import CborTree, _plain
from ...protocols.json_ import (
    JsonCodec,
    decode_params,
    error_fields,
    find_error_shape,
    rpc_event_stream,
    wire_error_code,
)
from ...wire import WireRequest, WireResponse

CBOR_CONTENT_TYPE = "application/x-amz-cbor-1.1"
_MILLIS_FROM = 10**11  # a tag-1 number this large is milliseconds, not seconds


def _epoch(value: Any, *_: Any) -> datetime:
    number = float(value)
    return datetime.fromtimestamp(number / 1000 if abs(number) >= _MILLIS_FROM else number, timezone.utc)


class KinesisCborTree(CborTree):
    def encode_scalar(self, shape: Shape, value: Any) -> Any:
        if shape.type_name == "timestamp":
            moment = super().encode_scalar(shape, value)
            return cbor2.CBORTag(1, int(moment.timestamp() * 1000))
        return super().encode_scalar(shape, value)


def loads(data: bytes) -> Any:
    try:
        return cbor2.loads(data, semantic_decoders={1: _epoch})
    except Exception:  # cbor2 raises several decoder errors, all "malformed"
        raise AWSError("SerializationException", "Malformed CBOR in request body") from None


class KinesisJsonCodec(JsonCodec):
    """awsJson 1.1, or its CBOR form when the request came in CBOR."""

    cbor_tree = KinesisCborTree()
    _local = threading.local()

    @property
    def _cbor(self) -> bool:
        return getattr(self._local, "cbor", False)

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        self._local.cbor = request.headers.get("Content-Type", "").startswith(CBOR_CONTENT_TYPE)
        return super().find_operation(request, model)

    def parse(self, request: WireRequest, operation: OperationModel | None, *,
              stream_payload: bool = False) -> dict[str, Any]:
        if not self._cbor:
            return super().parse(request, operation, stream_payload=stream_payload)
        decoded = loads(request.body) if request.body else {}
        if not isinstance(decoded, dict):
            raise AWSError("SerializationException", "Request body is not a CBOR map")
        return decode_params(self.cbor_tree, operation, decoded)

    def serialize(self, result: dict[str, Any], operation: OperationModel | None, request_id: str,
                  status: int = 0) -> WireResponse:
        if not self._cbor:
            return super().serialize(result, operation, request_id, status)
        shape = operation.output_shape if operation is not None else None
        headers = {"Content-Type": CBOR_CONTENT_TYPE, "x-amzn-RequestId": request_id}
        if shape is not None and shape.event_stream_name:
            headers["Content-Type"] = eventstream.CONTENT_TYPE
            return WireResponse(status or 200, headers, rpc_event_stream(result or {}, shape, self.cbor_bodies))
        body = self.cbor_tree.encode(shape, result or {}) if shape is not None else (result or {})
        return WireResponse(status or 200, headers, cbor2.dumps(body))

    @cached_property
    def cbor_bodies(self) -> eventstream.EventBodies:
        return eventstream.EventBodies(
            CBOR_CONTENT_TYPE,
            lambda shape, value: cbor2.dumps(self.cbor_tree.encode(shape, value)),
            lambda shape, data: self.cbor_tree.decode(shape, loads(data)),
        )

    def serialize_error(self, error: AWSError, model: ServiceModel | None, operation: OperationModel | None,
                        request_id: str) -> WireResponse:
        if not self._cbor:
            return super().serialize_error(error, model, operation, request_id)
        shape = find_error_shape(model, error.code)
        code = wire_error_code(model, error, shape)
        body = {"__type": code, **_plain(error_fields(self.cbor_tree, error, shape))}
        headers = {"Content-Type": CBOR_CONTENT_TYPE, "x-amzn-RequestId": request_id, "x-amzn-ErrorType": code,
                   **error.headers}
        return WireResponse(error.status, headers, cbor2.dumps(body))
