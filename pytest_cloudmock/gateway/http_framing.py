"""HTTP/1.1 request framing for the gateway's server: the request head, bodies by
`Content-Length` or `Transfer-Encoding: chunked` (bounded; a `Content-Length` body is kept
as the chunks received, in memory within a server-wide budget, else spooled to a file), the
server's own error answers and the response-header safety check.

Framing is strict: `Content-Length` is ASCII digits (repeated only with equal values),
`Transfer-Encoding` is `chunked` alone, never both; anything else is a `FramingError`.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import re
import tempfile
import threading
import weakref
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO, Any

log = logging.getLogger("pytest_cloudmock")

MAX_HEAD = 65536  # request line plus headers
MAX_HEADERS = 100
MAX_CHUNK_LINE = 4096  # chunk size plus extensions
MAX_TRAILER = 8192
MAX_MEMORY_BODY = 64 << 20  # a Content-Length body larger than this is always spooled to a file
# A form body (query protocol) with more fields than this is refused before anything parses
# it: 2.5 million `&a=1` pairs in 10 MB cost the form parser ~850 MiB and a minute of CPU.
MAX_FORM_FIELDS = 20000
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_BAD_TARGET = re.compile(r"[\x00-\x20\x7f]")
_REASONS = {status.value: status.phrase for status in HTTPStatus}


class FramingError(Exception):
    """A request the server answers itself (status, AWS-style code, message) and closes."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Head:
    """A checked request head."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    length: int | None  # Content-Length, None when chunked
    chunked: bool
    close: bool
    expect_continue: bool
    json_client: bool
    form: bool = False  # an x-www-form-urlencoded body, whose fields are counted while it arrives


def parse_head(data: bytes, max_body_size: int) -> Head:
    """Check a request head (without its blank line); raises `FramingError`."""
    text = data.decode("iso-8859-1")
    request_line, crlf, fields = text.partition("\r\n")
    pairs: list[tuple[str, str]] | None = None
    if "\n" not in request_line:
        pairs = _plain_fields(fields) if crlf else []
    lines = None
    if pairs is None:
        lines = text.split("\n")  # bare LFs, folded or bad lines: checked line by line
        request_line = lines[0].removesuffix("\r")
    words = request_line.split(" ")
    if len(words) != 3 or not _TOKEN.fullmatch(words[0]) or not words[1] or _BAD_TARGET.search(words[1]):
        raise FramingError(400, "BadRequest", f"Bad request line {request_line[:200]!r}")
    method, target, version = words
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        if version.startswith("HTTP/") and version >= "HTTP/2":
            raise FramingError(505, "HTTPVersionNotSupported", f"Unsupported HTTP version {version[:20]!r}")
        raise FramingError(400, "BadRequest", f"Bad request line {request_line[:200]!r}")
    if lines is not None:
        pairs = _parse_fields(lines[1:])
    if len(pairs) > MAX_HEADERS:
        raise FramingError(431, "RequestHeaderFieldsTooLarge", "Too many request headers")
    joined: dict[str, str] = {}  # lower-cased name -> its values joined with ','
    for name, value in pairs:
        key = name.lower()
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    lengths = {v.strip() for v in joined["content-length"].split(",")} if "content-length" in joined else set()
    encodings = ([v.strip().lower() for v in joined["transfer-encoding"].split(",")]
                 if "transfer-encoding" in joined else [])
    if lengths and encodings:
        raise FramingError(400, "BadRequest", "Content-Length and Transfer-Encoding together")
    if encodings and encodings != ["chunked"]:
        raise FramingError(501, "NotImplemented", "Only Transfer-Encoding: chunked is supported")
    length: int | None = 0
    if lengths:
        value = lengths.pop()
        if lengths or not (value.isascii() and value.isdigit()) or len(value) > 19:
            raise FramingError(400, "BadRequest", "Content-Length must be one decimal number")
        length = int(value)
    elif encodings:
        length = None
    connection = joined.get("connection", "").lower()
    close = "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection)
    expect = joined.get("expect", "").lower()
    if expect and expect != "100-continue":
        raise FramingError(417, "ExpectationFailed", f"Unsupported Expect {expect[:50]!r}")
    content_type = joined.get("content-type", "").lower()
    json_client = bool(joined.get("x-amz-target")) or "json" in content_type
    return Head(method, target, version, pairs, length, length is None, close,
                bool(expect) and version == "HTTP/1.1" and length != 0 and (length or 0) <= max_body_size,
                json_client, content_type.startswith("application/x-www-form-urlencoded"))


def _plain_fields(fields: str) -> list[tuple[str, str]] | None:
    """The header fields of a head whose lines are all `token:value` ended by CRLF (no CR, LF
    or NUL elsewhere, no folding: the usual case), checked in a few scans of the whole block;
    None when any line needs the careful path."""
    breaks = fields.count("\r\n")
    if "\x00" in fields or fields.count("\r") != breaks or fields.count("\n") != breaks:
        return None
    parts = [line.partition(":") for line in fields.split("\r\n")]
    names = [name for name, sep, _ in parts if sep and name]
    if len(names) != len(parts) or not _TOKEN.fullmatch("".join(names)):
        return None
    return [(name, value.strip(" \t")) for name, _, value in parts]


def _parse_fields(lines: list[str]) -> list[tuple[str, str]]:
    """Header fields from a head's lines split at LFs, checked one by one (CRLF or bare LF
    endings, folded continuation lines); raises `FramingError` at the first bad line."""
    pairs: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.removesuffix("\r")
        if "\r" in line or "\x00" in line:
            raise FramingError(400, "BadRequest", "Header lines may not hold CR or NUL")
        if line[:1] in (" ", "\t"):
            if not pairs:
                raise FramingError(400, "BadRequest", "Header continuation without a header")
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if not sep or not _TOKEN.fullmatch(name):
            raise FramingError(400, "BadRequest", f"Malformed header line {line[:100]!r}")
        pairs.append((name, value.strip(" \t")))
        if len(pairs) > MAX_HEADERS:
            raise FramingError(431, "RequestHeaderFieldsTooLarge", "Too many request headers")
    return pairs


class MemoryBudget:
    """Bytes of request bodies a server may hold in memory at once (past `spool_memory` each)."""

    def __init__(self, total: int) -> None:
        self.left = total
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        with self._lock:
            if size > self.left:
                return False
            self.left -= size
            return True

    def give(self, size: int) -> None:
        with self._lock:
            self.left += size


class FixedBody:
    """Collects a `Content-Length` body: in memory as the chunks received (up to `spool_memory`,
    or more while `budget` lends it), else in a temporary file."""

    def __init__(self, length: int, spool_memory: int, budget: MemoryBudget | None = None) -> None:
        self.remaining = length
        self.size = length
        self.ampersands = 0
        self._chunks: list[bytes] | None = None
        self._sink: IO[bytes] | None = None
        self._lent: weakref.finalize | None = None
        if length <= spool_memory:
            self._chunks = []
        elif budget is not None and length <= MAX_MEMORY_BODY and budget.take(length):
            self._chunks = []
            self._lent = weakref.finalize(self, budget.give, length)  # given back with the body
        else:
            self._sink = tempfile.SpooledTemporaryFile(spool_memory)  # noqa: SIM115 (closed after the request)

    def feed(self, buf: bytearray) -> int:
        """Consume what belongs to the body from `buf`; returns the count consumed."""
        take = min(self.remaining, len(buf))
        if take:
            self.ampersands += buf.count(b"&", 0, take)
            with memoryview(buf) as view:
                if self._chunks is not None:
                    self._chunks.append(bytes(view[:take]))
                else:
                    self._sink.write(view[:take])  # type: ignore[union-attr]
            self.remaining -= take
        return take

    def feed_bytes(self, data: bytes) -> int:
        """`feed` for bytes just received (kept as they are when they all belong to the body)."""
        if self._chunks is None or len(data) > self.remaining:
            return self.feed(bytearray(data))
        self.ampersands += data.count(b"&")
        self._chunks.append(data)
        self.remaining -= len(data)
        return len(data)

    @property
    def done(self) -> bool:
        return self.remaining == 0

    def stream(self) -> IO[bytes]:
        """The whole body to read from its start (in memory: read whole without a copy)."""
        if self._chunks is None:
            self._sink.seek(0)  # type: ignore[union-attr]
            return self._sink  # type: ignore[return-value]
        chunks, self._chunks = self._chunks, []
        stream = io.BytesIO(chunks[0] if len(chunks) == 1 else b"".join(chunks))
        if self._lent is not None:  # the budget is given back once the request is done with it
            _, give, args, _ = self._lent.detach()  # type: ignore[misc]
            weakref.finalize(stream, give, *args)
        return stream


class ChunkedBody:
    """Decodes a chunked body, bounded by size and by line lengths."""

    def __init__(self, max_size: int, spool_memory: int) -> None:
        self.max_size = max_size
        self.size = 0
        self.ampersands = 0
        self.sink: IO[bytes] = tempfile.SpooledTemporaryFile(spool_memory)  # noqa: SIM115 (closed after the request)
        self._state = "size"  # size -> data -> crlf -> size ... -> trailer -> done
        self._left = 0

    @property
    def done(self) -> bool:
        return self._state == "done"

    def stream(self) -> IO[bytes]:
        """The decoded body to read from its start."""
        self.sink.seek(0)
        return self.sink

    def feed(self, buf: bytearray) -> int:
        with memoryview(buf) as view:
            return self._feed(buf, view)

    def _feed(self, buf: bytearray, view: memoryview) -> int:
        pos = 0
        while pos < len(buf) and self._state != "done":
            if self._state == "data":
                take = min(self._left, len(buf) - pos)
                self.ampersands += buf.count(b"&", pos, pos + take)
                self.sink.write(view[pos:pos + take])
                pos += take
                self._left -= take
                if not self._left:
                    self._state = "crlf"
                continue
            end = buf.find(b"\n", pos)
            limit = MAX_TRAILER if self._state == "trailer" else MAX_CHUNK_LINE
            if end < 0:
                if len(buf) - pos > limit:
                    raise FramingError(400, "BadRequest", "Chunk line too long")
                break
            line = bytes(buf[pos:end]).removesuffix(b"\r")
            pos = end + 1
            if self._state == "crlf":
                if line:
                    raise FramingError(400, "BadRequest", "Chunk data longer than its size")
                self._state = "size"
            elif self._state == "size":
                size = line.split(b";", 1)[0].strip(b" \t")
                if not _HEX.fullmatch(size):
                    raise FramingError(400, "BadRequest", "Malformed chunk size")
                self._left = int(size, 16)
                self.size += self._left
                if self.size > self.max_size:
                    raise FramingError(413, "RequestEntityTooLarge", "Request body is too large")
                self._state = "data" if self._left else "trailer"
            elif not line:  # the blank line after the trailer fields
                self._state = "done"
        return pos


def header_block(headers: list[tuple[str, Any]]) -> tuple[list[str], bool]:
    """The `Name: value` lines safe to write (`header_line` each), and whether one of the
    headers is a `Content-Length`. Headers that are all plain (token names, ASCII values without CR, LF or
    NUL: the usual case) are checked together in a few scans of the joined block."""
    names = [name for name, _ in headers]
    lines = [f"{name}: {value}" for name, value in headers]
    block = "\r\n".join(lines)
    breaks = len(lines) - 1
    if (block.isascii() and "\x00" not in block and block.count("\r") == breaks == block.count("\n")
            and all(names) and _TOKEN.fullmatch("".join(names))):
        return lines, "content-length" in "\n".join(names).lower().split("\n")
    lines = [line for name, value in headers if (line := header_line(name, value)) is not None]
    return lines, any(name.lower() == "content-length" for name in names)


def header_line(name: str, value: Any) -> str | None:
    """`Name: value` safe to write, or None to drop it (bad name, CR/LF/NUL in the value)."""
    value = str(value)
    if _BAD_VALUE.search(value) or not _TOKEN.fullmatch(name):
        log.warning("cloudmock: dropped an unsafe response header %r", name[:100])
        return None
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:  # RFC 2047, as S3 sends non-Latin-1 metadata
            value = "=?UTF-8?B?" + base64.b64encode(value.encode("utf-8", "surrogatepass")).decode() + "?="
    return f"{name}: {value}"


def error_response(err: FramingError, json_client: bool, date: str) -> bytes:
    """A complete `Connection: close` answer for a request the server refuses itself."""
    if json_client:
        body = json.dumps({"__type": err.code, "message": err.message}).encode()
        ctype, extra = "application/x-amz-json-1.1", f"x-amzn-ErrorType: {err.code}\r\n"
    else:
        message = err.message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{err.code}</Code><Message>{message}"
                f"</Message></Error><RequestId></RequestId></ErrorResponse>").encode("latin-1", "replace")
        ctype, extra = "text/xml", ""
    head = (f"HTTP/1.1 {err.status} {_REASONS.get(err.status, 'Error')}\r\nDate: {date}\r\n"
            f"Content-Type: {ctype}\r\n{extra}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("latin-1") + body


