"""Streaming decoder of `aws-chunked` request bodies (SigV4 streaming, trailing checksums).

Framing: `<hex size>[;chunk-signature=<sig>]\\r\\n<data>\\r\\n` repeated, a zero-size
chunk, then optional trailer lines (`x-amz-checksum-crc32:...`,
`x-amz-trailer-signature:...`) and a blank line. Used for the bodies of
`STREAMING-UNSIGNED-PAYLOAD-TRAILER` and `STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)`.
"""

from __future__ import annotations

from typing import IO

from ...api import AWSError


def incomplete_body() -> AWSError:
    return AWSError(
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    )


class AwsChunkedReader:
    """A file-like view of the decoded payload; `trailers` is filled at the end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._left = 0  # bytes left in the current chunk
        self._done = False
        self.trailers: dict[str, str] = {}
        self.decoded = 0

    def _line(self) -> bytes:
        line = self._stream.readline(4096)
        if not line.endswith(b"\n"):
            raise incomplete_body()
        return line.rstrip(b"\r\n")

    def _next_chunk(self) -> None:
        header = self._line()
        try:
            size = int(header.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise AWSError("InvalidRequest", "Invalid chunk header in aws-chunked body") from None
        if size == 0:
            self._read_trailers()
            self._done = True
        self._left = size

    def _read_trailers(self) -> None:
        while True:
            line = self._stream.readline(8192)
            if not line:
                return
            line = line.rstrip(b"\r\n")
            if not line:
                return
            key, sep, value = line.decode("utf-8", "replace").partition(":")
            if not sep:
                raise AWSError("MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.")
            if key.strip().lower() != "x-amz-trailer-signature":
                self.trailers[key.strip().lower()] = value.strip()

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while not self._done and (size < 0 or len(out) < size):
            if self._left == 0:
                self._next_chunk()
                continue
            want = self._left if size < 0 else min(self._left, size - len(out))
            data = self._stream.read(want)
            if not data:
                raise incomplete_body()
            out += data
            self._left -= len(data)
            if self._left == 0 and self._stream.read(2) != b"\r\n":
                raise incomplete_body()
        self.decoded += len(out)
        return bytes(out)
