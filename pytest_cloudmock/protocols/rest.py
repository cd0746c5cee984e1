"""`RestCodec`, the protocol-neutral half of the REST codecs (rest-json, rest-xml).

Routing is in `rest_routing`, locations in `rest_locations`, `aws-chunked`
bodies in `aws_chunked`; subclasses only read and write bodies and errors. Also
response payload bodies shared by both codecs.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import IO, Any

from botocore.model import OperationModel, ServiceModel, Shape

from ..api import AWSError
from ..wire import WireRequest, WireResponse
from .aws_chunked import decode_aws_chunked, is_aws_chunked, unchunked_headers
from .base import Codec
from .eventstream import CONTENT_TYPE as EVENT_STREAM
from .eventstream import EventBodies, FramingError, event_stream_body, read_events
from .rest_locations import has_body_members, located_members, parse_locations, write_locations
from .rest_routing import find_operation

_READ_CHUNK = 64 * 1024


# -- streaming response bodies -------------------------------------------------------


def iter_stream(stream: IO[bytes]) -> Iterator[bytes]:
    """Read a file-like object in chunks, closing it at the end."""
    try:
        while chunk := stream.read(_READ_CHUNK):
            yield chunk
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()


def payload_body(value: Any) -> bytes | Iterable[bytes]:
    """A blob/string payload as a response body: bytes, or an iterable for streams."""
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if hasattr(value, "read"):
        return iter_stream(value)
    return value  # an iterable of bytes


@lru_cache(maxsize=4096)
def _models_header(shape: Shape | None, header: str) -> bool:
    """Whether an output shape binds a member to `header` (or to all headers)."""
    return any(
        (m.location == "header" and m.wire_name.lower() == header)
        or (m.location == "headers" and header.startswith(m.wire_name.lower()))
        for m in located_members(shape)
    )


# -- the shared codec ----------------------------------------------------------------


class RestCodec(Codec):
    """URI routing, locations and payloads shared by rest-json and rest-xml.

    Subclasses implement the body format (`parse_body`, `write_body`), the
    error body, and the bad-body error.
    """

    content_type: str = "application/json"

    def find_operation(self, request: WireRequest, model: ServiceModel) -> str | None:
        return find_operation(request, model, self.static_context(request))

    def static_context(self, request: WireRequest) -> dict[str, bool]:
        """Static context parameters the request implies, which tell operations sharing a
        URI apart (a service's codec may name some; none by default)."""
        return {}

    def request_id_headers(self, request_id: str) -> dict[str, str]:
        """The headers that carry the request id."""
        return {"x-amzn-RequestId": request_id}

    def parse(
        self, request: WireRequest, operation: OperationModel | None, *, stream_payload: bool = False
    ) -> dict[str, Any]:
        """See `Codec.parse`.

        A blob or string payload (an object's `Body`) is the raw body, present only when the
        body is not empty (botocore sends the same request for an absent and an
        empty payload). With `stream_payload`, a streaming payload is left out and
        the body left unread, for the service to read `ctx.wire.stream` itself.
        """
        shape = operation.input_shape
        if shape is None:
            return {}
        payload_name = shape.serialization.get("payload")
        payload = shape.members[payload_name] if payload_name else None
        streaming = payload is not None and payload.type_name in ("blob", "string")
        chunked = is_aws_chunked(request)
        headers = unchunked_headers(request.headers) if chunked else None
        body = b""
        if not (stream_payload and streaming):
            body = request.body
            if headers is not None:
                body, trailers = decode_aws_chunked(body)
                headers.update(trailers)
        try:
            params = parse_locations(request, operation, headers)
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise self.bad_location(exc) from exc
        if payload is None:
            if body.strip():
                params.update(self.parse_body(body, shape, None))
        elif payload.serialization.get("eventstream"):
            try:
                params[payload_name] = iter(read_events(body, payload, self.event_bodies))
            except (FramingError, ValueError, TypeError) as exc:
                # AWS's code and wording for a malformed input event stream are not documented
                raise self.bad_location(exc) from exc
        elif streaming:
            if not stream_payload:
                if payload.type_name == "string":
                    if body:
                        params[payload_name] = body.decode("utf-8", "replace")
                elif body:
                    params[payload_name] = body
        elif body.strip():
            params[payload_name] = self.parse_body(body, payload, payload_name)
        return params

    def serialize(
        self, result: dict[str, Any], operation: OperationModel, request_id: str, status: int = 0
    ) -> WireResponse:
        shape = operation.output_shape
        headers = self.request_id_headers(request_id)
        result = result or {}
        status = (
            write_locations(result, shape, headers)
            or status
            or int(operation.http.get("responseCode", 200))
        )
        body: bytes | Iterable[bytes] = b""
        payload_name = shape.serialization.get("payload") if shape is not None else None
        if payload_name:
            payload = shape.members[payload_name]
            value = result.get(payload_name)
            if payload.serialization.get("eventstream"):
                body = event_stream_body(value, payload, self.event_bodies)
                if not _models_header(shape, "content-type") or not any(
                    k.lower() == "content-type" for k in headers
                ):
                    headers["Content-Type"] = EVENT_STREAM
            elif payload.type_name in ("blob", "string"):
                body = payload_body(value)
                if value is not None and not _models_header(shape, "content-type"):
                    headers["Content-Type"] = (
                        "application/octet-stream" if payload.type_name == "blob" else "text/plain"
                    )
            elif value is not None:
                body = self.write_body(value, payload, payload_name, operation)
        elif has_body_members(shape):
            body = self.write_body(result, shape, None, operation)
        if body and not _models_header(shape, "content-type"):
            headers.setdefault("Content-Type", self.content_type)
        if operation.http.get("method") == "HEAD":
            body = b""
        return WireResponse(status, headers, body)

    @property
    @abstractmethod
    def event_bodies(self) -> EventBodies:
        """How this protocol writes and reads the structure bodies of events."""

    @abstractmethod
    def parse_body(self, body: bytes, shape: Shape, member_name: str | None) -> Any:
        """The value of a structure body (`member_name` None: the input's body members)."""

    @abstractmethod
    def write_body(
        self, value: Any, shape: Shape, member_name: str | None, operation: OperationModel
    ) -> bytes:
        """A structure as a body (`member_name` None: the output's body members)."""

    @abstractmethod
    def bad_location(self, exc: Exception) -> AWSError:
        """The error for a header, label or query value that does not fit its shape."""
