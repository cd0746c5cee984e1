"""Reading PutObject/UploadPart bodies off the wire, verifying what the client claims.

The body is streamed (never held twice): plain, HTTP-chunked or `aws-chunked`
(signed or unsigned, with trailing checksums). While reading, the MD5 (for the
ETag), the requested checksum and, for a signed payload, the SHA-256 are
computed; then `Content-MD5`, `x-amz-checksum-*` (header or trailer),
`x-amz-content-sha256` and `x-amz-decoded-content-length` are checked with the
errors S3 gives.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import IO

from ...api import AWSError, RequestContext
from ...protocols.aws_chunked import (
    AwsChunkedReader,
    incomplete_body,
    is_aws_chunked,
    malformed_trailer,
    payload_stream,
)
from . import checksums
from .blob import Blob, feed, read_blob


@dataclass
class Body:
    """A request body as stored: data, MD5, and the checksum it carries (if any)."""

    blob: Blob
    md5: bytes
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return f'"{self.md5.hex()}"'


def _payload(ctx: RequestContext) -> IO[bytes] | bytes:
    """The payload: bytes when it is in memory already (a plain body, or the `Body` param of a
    call made inside the gateway), else a stream: the wire's own for a plain body (`read_blob`
    reads no more than its `Content-Length`), its payload for an `aws-chunked` one."""
    wire = ctx.wire
    if wire is not None:
        if is_aws_chunked(wire):
            return payload_stream(wire)
        if wire.body_read or wire.stream is None:
            return wire.body
        return wire.stream
    data = ctx.params.get("Body") or b""
    if isinstance(data, str):
        return data.encode()
    return data if hasattr(data, "read") else bytes(data)


def read_body(ctx: RequestContext, algorithm: str | None = None, default: str | None = None) -> Body:
    """Read and verify the request body.

    `algorithm` is a checksum the caller needs whatever the request says (the
    upload's); `default` is computed when the request names no checksum.
    """
    params = ctx.params
    headers = ctx.headers
    reader = _payload(ctx)
    trailer = headers.get("x-amz-trailer")
    trailer = trailer.strip().lower() if trailer else ""
    trailer_algorithm = (
        trailer[len("x-amz-checksum-"):].upper() if trailer.startswith("x-amz-checksum-") else None
    )
    given = checksums.given_checksums(params)
    names = {checksums.check_algorithm(a)
             for a in (*given, algorithm, trailer_algorithm, params.get("ChecksumAlgorithm")) if a}
    if not names and default:
        names = {default}
    hashers = {name: checksums.new_hasher(name) for name in names}
    md5 = hashlib.md5()
    sha = headers.get("x-amz-content-sha256", "")
    signed = _is_hex_sha(sha)
    sha_hasher = hashlib.sha256() if signed and "SHA256" not in hashers else None
    digests = [md5, *hashers.values()]
    if sha_hasher is not None:
        digests.append(sha_hasher)
    chunked = isinstance(reader, AwsChunkedReader)
    if isinstance(reader, bytes):
        blob = Blob.of(reader)
        feed(blob.chunks, digests, blob.size)
    else:
        plain = not chunked and ctx.wire is not None
        blob = read_blob(reader, digests, ctx.wire.content_length if plain else None)  # type: ignore[union-attr]
    trailers = _trailers(ctx, reader if chunked else None, blob.size)
    if trailers:
        given = checksums.given_checksums(params, trailers)
    computed = {name: checksums.b64(h.digest()) for name, h in hashers.items()}
    md5_digest = md5.digest()
    _verify_md5(params.get("ContentMD5"), md5_digest)
    for name, value in given.items():
        if computed.get(name) != value:
            raise checksums.mismatch(name)
    if trailer_algorithm and trailers is not None and checksums.header(trailer_algorithm) not in trailers:
        raise malformed_trailer()
    if signed:
        actual = (sha_hasher.hexdigest() if sha_hasher else  # type: ignore[attr-defined]
                  base64.b64decode(computed["SHA256"]).hex())
        if actual != sha.lower():
            raise AWSError(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ClientComputedContentSHA256=sha,
                S3ComputedContentSHA256=actual,
            )
    return Body(blob, md5_digest, computed)


def _trailers(ctx: RequestContext, reader: AwsChunkedReader | None, size: int) -> dict[str, str] | None:
    """The `aws-chunked` trailers (None: a plain body), once the body's length is checked."""
    if reader is not None:
        decoded = ctx.headers.get("x-amz-decoded-content-length")
        if decoded is not None and decoded.isdigit() and int(decoded) != size:
            raise incomplete_body()
        return reader.trailers
    length = ctx.wire.content_length if ctx.wire is not None else None
    if length is not None and size < length:
        raise incomplete_body()
    return None


def _is_hex_sha(value: str) -> bool:
    return len(value) == 64 and not value.strip("0123456789abcdefABCDEF")


def _verify_md5(value: str | None, digest: bytes) -> None:
    if value is None:
        return
    if checksums.content_md5(value) != digest:
        raise AWSError(
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            ExpectedDigest=value,
            CalculatedDigest=base64.b64encode(digest).decode(),
        )
