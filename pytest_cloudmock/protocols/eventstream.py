"""`application/vnd.amazon.eventstream`: message framing, and events <-> messages.

A message is a prelude (total length and headers length, big-endian u32, then the
CRC32 of those 8 bytes), typed headers (name length u8, name, type u8, value), the
payload and the CRC32 of everything before it. Event streams are served by every
JSON- and XML-bodied codec (`event_frames` for responses, `read_events` for
requests); a protocol supplies only how it writes and reads structure bodies
(`EventBodies`). What botocore's `EventStream` and parsers expect:

- an event is `:message-type: event`, `:event-type: <stream member>`, and
  `:content-type` when it has a payload; members marked `eventheader` travel as
  headers named after the member, an `eventpayload` member as the raw payload (blob,
  string) or a body, and otherwise the event's other members are the body;
- a modelled exception is `:message-type: exception`, `:exception-type: <member>`
  and the exception's body; anything else is `:message-type: error` with
  `:error-code` and `:error-message`; either ends the stream;
- the rpc protocols (json, cbor) send the output's other members first, as an
  `initial-response` event.

A service returns the stream member as an iterable of events shaped as botocore
yields them (`{"Records": {"Payload": b"..."}}`); it may raise `AWSError` (before
its first event: an ordinary HTTP error; later: an exception or error message) or
yield a modelled exception event (`{"ResourceNotFoundException": {"message": ...}}`).
The body streams: each event is framed and written as the generator yields it::

    def select_object_content(self, ctx):
        rows = self.rows(ctx.params)          # raise AWSError here for a plain 4xx

        def events():
            for chunk in rows:
                yield {"Records": {"Payload": chunk}}
            yield {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 10,
                                         "BytesReturned": 4}}}
            yield {"End": {}}

        return {"Payload": events()}

Input event streams arrive on `ctx.params` as an iterator of the same event dicts
(`ctx.params["body"]`: `{"chunk": {"bytes": b"..."}}`, ...).
"""

from __future__ import annotations

import itertools
import logging
import struct
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, NamedTuple

from botocore.model import Shape

from ..api import AWSError

log = logging.getLogger("pytest_cloudmock")

CONTENT_TYPE = "application/vnd.amazon.eventstream"
MAX_PAYLOAD = 16 * 1024 * 1024  # botocore's and the SDKs' limits
MAX_HEADERS = 128 * 1024

# header value types
TRUE, FALSE, BYTE, SHORT, INTEGER, LONG, BYTES, STRING, TIMESTAMP, UUID = range(10)
_INT_FORMATS = {BYTE: "!b", SHORT: "!h", INTEGER: "!i", LONG: "!q", TIMESTAMP: "!q"}
_SHAPE_TYPES = {
    "byte": BYTE,
    "short": SHORT,
    "integer": INTEGER,
    "long": LONG,
    "blob": BYTES,
    "string": STRING,
    "timestamp": TIMESTAMP,
}
_PRELUDE = struct.Struct("!II")


class Typed(NamedTuple):
    """A header value with an explicit wire type (one of the type constants above)."""

    kind: int
    value: Any


class Message(NamedTuple):
    """One decoded message."""

    headers: dict[str, Any]
    payload: bytes


class FramingError(ValueError):
    """Bytes that are not a well-formed event-stream message."""


# -- framing -------------------------------------------------------------------------


def _crc(data: bytes, start: int = 0) -> int:
    return zlib.crc32(data, start) & 0xFFFFFFFF


def _typed(value: Any) -> Typed:
    if isinstance(value, Typed):
        return value
    if isinstance(value, bool):
        return Typed(TRUE if value else FALSE, value)
    if isinstance(value, int):
        return Typed(LONG, value)
    if isinstance(value, (bytes, bytearray)):
        return Typed(BYTES, bytes(value))
    if isinstance(value, datetime):
        return Typed(TIMESTAMP, value)
    if isinstance(value, uuid.UUID):
        return Typed(UUID, value)
    return Typed(STRING, str(value))


def encode_headers(headers: Mapping[str, Any]) -> bytes:
    """Headers as wire bytes; values are typed by their Python type unless `Typed`."""
    out = bytearray()
    for name, raw in headers.items():
        kind, value = _typed(raw)
        key = name.encode("utf-8")
        out += struct.pack("!B", len(key)) + key + struct.pack("!B", kind)
        if kind in (TRUE, FALSE):
            continue
        if kind == TIMESTAMP and isinstance(value, datetime):
            value = round(value.timestamp() * 1000)
        if kind in _INT_FORMATS:
            out += struct.pack(_INT_FORMATS[kind], value)
        elif kind == UUID:
            out += value.bytes if isinstance(value, uuid.UUID) else bytes(value)
        else:
            data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            out += struct.pack("!H", len(data)) + data
    return bytes(out)


def encode_message(headers: Mapping[str, Any], payload: bytes = b"") -> bytes:
    """One framed message."""
    head = encode_headers(headers)
    prelude = _PRELUDE.pack(16 + len(head) + len(payload), len(head))
    prelude += struct.pack("!I", _crc(prelude))
    message = prelude + head + payload
    return message + struct.pack("!I", _crc(message))


def decode_messages(data: bytes) -> Iterator[Message]:
    """The messages in `data`, checked (lengths, both CRCs); `FramingError` otherwise."""
    view = memoryview(data)
    offset = 0
    while offset < len(view):
        if len(view) - offset < 16:
            raise FramingError("truncated prelude")
        total, head_len = _PRELUDE.unpack_from(view, offset)
        (prelude_crc,) = struct.unpack_from("!I", view, offset + 8)
        if prelude_crc != _crc(view[offset : offset + 8]):
            raise FramingError("prelude checksum mismatch")
        if head_len > MAX_HEADERS or total - head_len - 16 > MAX_PAYLOAD or total < 16 + head_len:
            raise FramingError("invalid message lengths")
        if offset + total > len(view):
            raise FramingError("truncated message")
        (message_crc,) = struct.unpack_from("!I", view, offset + total - 4)
        if message_crc != _crc(view[offset : offset + total - 4]):
            raise FramingError("message checksum mismatch")
        start = offset + 12
        headers = decode_headers(bytes(view[start : start + head_len]))
        payload = bytes(view[start + head_len : offset + total - 4])
        offset += total
        yield Message(headers, payload)


def decode_headers(data: bytes) -> dict[str, Any]:
    """Header bytes as a dict (timestamps as aware datetimes, uuids as `uuid.UUID`)."""
    out: dict[str, Any] = {}
    i = 0
    try:
        while i < len(data):
            size = data[i]
            name = data[i + 1 : i + 1 + size].decode("utf-8")
            kind = data[i + 1 + size]
            i += size + 2
            if kind in (TRUE, FALSE):
                value: Any = kind == TRUE
            elif kind in _INT_FORMATS:
                fmt = _INT_FORMATS[kind]
                (value,) = struct.unpack_from(fmt, data, i)
                i += struct.calcsize(fmt)
                if kind == TIMESTAMP:
                    value = datetime.fromtimestamp(value / 1000, timezone.utc)
            elif kind == UUID:
                value = uuid.UUID(bytes=data[i : i + 16])
                i += 16
            elif kind in (BYTES, STRING):
                (length,) = struct.unpack_from("!H", data, i)
                value = data[i + 2 : i + 2 + length]
                if len(value) != length:
                    raise FramingError("truncated header value")
                value = value.decode("utf-8") if kind == STRING else value
                i += 2 + length
            else:
                raise FramingError(f"unknown header type {kind}")
            if name in out:
                raise FramingError(f"duplicate header {name}")
            out[name] = value
    except (IndexError, struct.error, UnicodeDecodeError) as exc:
        raise FramingError(f"malformed headers: {exc}") from None
    return out


# -- events <-> messages -------------------------------------------------------------


@dataclass(frozen=True)
class EventBodies:
    """How a protocol writes and reads the structure bodies of events."""

    content_type: str
    write: Callable[[Shape, Mapping[str, Any]], bytes]
    read: Callable[[Shape, bytes], Any]


def event_message(name: str, shape: Shape, value: Mapping[str, Any], bodies: EventBodies) -> bytes:
    """The message of one event: stream member `name`, of event shape `shape`."""
    headers: dict[str, Any] = {":message-type": "event", ":event-type": name}
    body_members: dict[str, Any] = {}
    payload, content_type = b"", None
    for member_name, member in shape.members.items():
        item = value.get(member_name)
        if member.serialization.get("eventheader"):
            if item is not None:
                headers[member_name] = header_value(member, item)
        elif member.serialization.get("eventpayload"):
            payload, content_type = _payload(member, item, bodies)
            break
        elif item is not None:
            body_members[member_name] = item
    else:
        if any(not _is_header(m) for m in shape.members.values()):
            payload, content_type = bodies.write(shape, body_members), bodies.content_type
    if content_type is not None:
        headers[":content-type"] = content_type
    return encode_message(headers, payload)


def _is_header(member: Shape) -> bool:
    return bool(member.serialization.get("eventheader"))


def _payload(member: Shape, value: Any, bodies: EventBodies) -> tuple[bytes, str | None]:
    """An `eventpayload` member's bytes and content type (none: an empty payload,
    which botocore reads as an empty blob, string or structure)."""
    if value is None:
        return b"", None
    if member.type_name == "blob":
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return data, "application/octet-stream"
    if member.type_name == "string":
        return value.encode("utf-8"), "text/plain"
    return bodies.write(member, value), bodies.content_type


def header_value(member: Shape, value: Any) -> Typed:
    """An `eventheader` member's value with the wire type of its shape."""
    kind = _SHAPE_TYPES.get(member.type_name)
    if member.type_name == "boolean":
        return Typed(TRUE if value else FALSE, bool(value))
    if kind == TIMESTAMP and not isinstance(value, datetime):
        value = round(float(value) * 1000)  # epoch seconds
    if kind is None:
        kind = STRING
        value = str(value)
    return Typed(kind, value)


def exception_message(name: str, shape: Shape, value: Mapping[str, Any], bodies: EventBodies) -> bytes:
    """A modelled exception (stream member `name`): ends the stream."""
    headers = {
        ":message-type": "exception",
        ":exception-type": name,
        ":content-type": bodies.content_type,
    }
    return encode_message(headers, bodies.write(shape, value))


def error_message(code: str, message: str) -> bytes:
    """An unmodelled error: ends the stream."""
    headers = {":message-type": "error", ":error-code": code, ":error-message": message}
    return encode_message(headers)


def initial_response(payload: bytes, content_type: str) -> bytes:
    """The `initial-response` event rpc protocols send first (the output's other members)."""
    headers = {
        ":message-type": "event",
        ":event-type": "initial-response",
        ":content-type": content_type,
    }
    return encode_message(headers, payload)


def _exception_member(stream: Shape, code: str) -> str | None:
    """The stream's exception member an error code names (member, shape or error code)."""
    for name, member in stream.members.items():
        if member.metadata.get("exception") and code in (name, member.name, member.error_code):
            return name
    return None


def _error_frame(error: AWSError, stream: Shape, bodies: EventBodies) -> bytes:
    name = _exception_member(stream, error.code)
    if name is None:
        return error_message(error.code, error.message)
    shape = stream.members[name]
    message_key = next((m for m in shape.members if m.lower() == "message"), "message")
    value = {**error.fields, message_key: error.message}
    return exception_message(name, shape, {k: v for k, v in value.items() if k in shape.members}, bodies)


def event_frames(
    events: Iterable[Mapping[str, Any]],
    stream: Shape,
    bodies: EventBodies,
    initial: bytes | None = None,
) -> Iterator[bytes]:
    """The framed messages of a service's events (after `initial`, if given).

    The first event is produced before anything is yielded, so an `AWSError` the
    service raises before its first event propagates from the first `next()` and
    becomes an ordinary HTTP error. Later errors end the stream with an exception or
    error message. Events of members the stream does not define are skipped.
    """
    iterator = iter(events)
    first = next(iterator, None)
    if initial is not None:
        yield initial
    event = first
    while event is not None:
        for name, value in event.items():
            member = stream.members.get(name)
            if member is None:
                continue
            if member.metadata.get("exception"):
                yield exception_message(name, member, value or {}, bodies)
                return
            yield event_message(name, member, value or {}, bodies)
        try:
            event = next(iterator, None)
        except AWSError as error:
            yield _error_frame(error, stream, bodies)
            return
        except Exception:  # a service bug must still end the stream as AWS would
            log.exception("cloudmock: event stream failed")
            yield error_message("InternalFailure", "An internal error occurred.")
            return


def read_events(data: bytes, stream: Shape, bodies: EventBodies) -> list[dict[str, Any]]:
    """A request's event stream as event dicts (`{member: value}`), in order.

    Signed envelopes (`:chunk-signature`, as SDKs sign streaming input) are opened;
    an empty one ends the stream. Events the stream does not define are skipped.
    Raises `FramingError`, or `ValueError`/`TypeError` from a body that does not fit.
    """
    out: list[dict[str, Any]] = []
    for message in _unwrapped(data):
        headers = message.headers
        if headers.get(":message-type") != "event":
            continue
        name = headers.get(":event-type")
        member = stream.members.get(name) if isinstance(name, str) else None
        if member is None or member.metadata.get("exception"):
            continue
        out.append({name: _read_event(member, message, bodies)})
    return out


def _unwrapped(data: bytes) -> Iterator[Message]:
    for message in decode_messages(data):
        if ":chunk-signature" in message.headers and ":message-type" not in message.headers:
            if not message.payload:
                return
            yield from decode_messages(message.payload)
        else:
            yield message


def _read_event(shape: Shape, message: Message, bodies: EventBodies) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for name, member in shape.members.items():
        if _is_header(member) and name in message.headers:
            value[name] = message.headers[name]
        elif member.serialization.get("eventpayload"):
            if member.type_name == "blob":
                value[name] = message.payload
            elif member.type_name == "string":
                value[name] = message.payload.decode("utf-8")
            elif message.payload:
                value[name] = bodies.read(member, message.payload)
            return value
    if message.payload and any(not _is_header(m) for m in shape.members.values()):
        value.update(bodies.read(shape, message.payload))
    return value


def event_stream_body(
    events: Iterable[Mapping[str, Any]] | None,
    stream: Shape,
    bodies: EventBodies,
    initial: bytes | None = None,
) -> Iterable[bytes]:
    """A response body streaming `event_frames`, its first event already produced
    (so an `AWSError` raised before it propagates from here)."""
    frames = event_frames(events or (), stream, bodies, initial)
    first = next(frames, None)
    return [] if first is None else itertools.chain((first,), frames)
