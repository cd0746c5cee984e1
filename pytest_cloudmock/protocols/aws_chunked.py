"""`aws-chunked` request bodies (streaming SigV4, trailing checksums): detection,
decoding (whole or as a stream) and AWS's errors for broken framing.
"""

from __future__ import annotations

import io
from typing import IO, Any

from werkzeug.datastructures import Headers

from ..api import AWSError
from ..wire import WireRequest
from .rest_routing import lower_headers


def is_aws_chunked(request: WireRequest) -> bool:
    """Whether the body uses the `aws-chunked` content encoding (streaming SigV4, trailers)."""
    headers = lower_headers(request)  # (the index routing and parsing read too)
    return ("aws-chunked" in headers.get("content-encoding", "")
            or headers.get("x-amz-content-sha256", "").startswith("STREAMING-"))


def incomplete_body() -> AWSError:
    """The error for a body shorter than it said it would be."""
    return AWSError(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    )


def malformed_trailer() -> AWSError:
    """The error for `aws-chunked` trailers that are broken or missing."""
    return AWSError(
        "MalformedTrailerError",
        "The request contained trailing data that was not well-formed or did not conform to our "
        "published schema.",
    )


class AwsChunkedReader(io.RawIOBase):
    """Reads the payload out of an `aws-chunked` stream, chunk by chunk.

    The framing is `<hex size>[;chunk-signature=..]\\r\\n<data>\\r\\n` repeated, a
    zero-size chunk, then trailing headers (`x-amz-checksum-crc32:..`), which are in
    `trailers` (lower-case names) once the payload has been read; `decoded` counts
    the payload bytes. Chunk signatures are not checked. A broken framing raises
    `AWSError` (`IncompleteBody`, `InvalidRequest`, `MalformedTrailerError`).
    """

    def __init__(self, stream: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self._left = 0  # bytes left in the current chunk
        self._done = False
        self.trailers: dict[str, str] = {}
        self.decoded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if not self._left and not self._done:
            self._next_chunk()
        if self._done or not len(view):
            return 0
        data = self._stream.read(min(len(view), self._left))
        if not data:
            raise incomplete_body()
        view[: len(data)] = data
        self._left -= len(data)
        self.decoded += len(data)
        if not self._left and self._stream.read(2) != b"\r\n":
            raise incomplete_body()
        return len(data)

    def _next_chunk(self) -> None:
        line = self._stream.readline(4096)
        if not line.endswith(b"\n"):
            raise incomplete_body()
        try:
            self._left = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise AWSError("InvalidRequest", "Invalid chunk header in aws-chunked body") from None
        if self._left == 0:
            self._done = True
            self._read_trailers()

    def _read_trailers(self) -> None:
        while line := self._stream.readline(8192).strip():
            key, sep, value = line.decode("utf-8", "replace").partition(":")
            if not sep:
                raise malformed_trailer()
            if key.strip().lower() != "x-amz-trailer-signature":
                self.trailers[key.strip().lower()] = value.strip()


def unchunked_headers(headers: Headers) -> Headers:
    """The headers as the payload sees them once `aws-chunked` framing is removed.

    `aws-chunked` leaves `Content-Encoding` (as AWS drops it) and the decoded length
    becomes `Content-Length`.
    """
    out = Headers(headers)
    encodings = [
        e.strip()
        for e in out.get("Content-Encoding", "").split(",")
        if e.strip() and e.strip() != "aws-chunked"
    ]
    if encodings:
        out["Content-Encoding"] = ",".join(encodings)
    else:
        out.pop("Content-Encoding", None)
    decoded = out.get("x-amz-decoded-content-length")
    if decoded is not None:
        out["Content-Length"] = decoded
    return out


def decode_aws_chunked(body: bytes) -> tuple[bytes, dict[str, str]]:
    """The payload and trailing headers of a whole `aws-chunked` body (see `AwsChunkedReader`)."""
    reader = AwsChunkedReader(io.BytesIO(body))
    return reader.read(), reader.trailers


def payload_stream(request: WireRequest) -> IO[bytes]:
    """The request's payload as a stream, `aws-chunked` framing removed.

    For services that read a streaming payload themselves (`stream_payload`); the
    stream is bounded by `Content-Length` when the request has one. A body that
    was already read is served from memory.
    """
    if request.stream is None or request.body_read:
        stream: IO[bytes] = io.BytesIO(request.body)
    elif request.content_length is not None:
        stream = _Bounded(request.stream, request.content_length)
    else:
        stream = request.stream
    return AwsChunkedReader(stream) if is_aws_chunked(request) else stream


class _Bounded(io.RawIOBase):
    """At most `limit` bytes of a stream (never reads into the next request)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream, self._left = stream, limit

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """The stream's own `read` (bounded): an in-memory body comes back without a copy."""
        want = self._left if size is None or size < 0 else min(size, self._left)
        data = self._stream.read(want) if want else b""
        self._left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.read(len(view))
        view[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = self._left if size is None or size < 0 else min(size, self._left)
        line = self._stream.readline(limit) if limit else b""
        self._left -= len(line)
        return line
