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
import io
from dataclasses import dataclass, field
from typing import IO, Any

from ...api import AWSError, RequestContext
from ...protocols.rest import is_aws_chunked
from . import checksums
from .blob import Blob, read_blob
from .chunked import AwsChunkedReader, incomplete_body


@dataclass
class Body:
    """A request body as stored: data, MD5, and the checksum it carries (if any)."""

    blob: Blob
    md5: bytes
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def etag(self) -> str:
        return f'"{self.md5.hex()}"'


def _source(ctx: RequestContext) -> tuple[IO[bytes], int | None]:
    wire = ctx.wire
    if wire is None:  # an in-process call: the body is in the params
        data = ctx.params.get("Body") or b""
        if isinstance(data, str):
            data = data.encode()
        return (data if hasattr(data, "read") else io.BytesIO(bytes(data))), None
    if wire.stream is None or wire.__dict__.get("_body") is not None:
        return io.BytesIO(wire.body), None
    return wire.stream, wire.content_length


def read_body(ctx: RequestContext, algorithm: str | None = None, default: str | None = None) -> Body:
    """Read and verify the request body.

    `algorithm` is a checksum the caller needs whatever the request says (the
    upload's); `default` is computed when the request names no checksum.
    """
    params = ctx.params
    headers = ctx.headers
    stream, length = _source(ctx)
    chunked = ctx.wire is not None and is_aws_chunked(ctx.wire)
    reader: Any = AwsChunkedReader(stream) if chunked else stream
    trailer = headers.get("x-amz-trailer", "").strip().lower()
    trailer_algorithm = (
        trailer[len("x-amz-checksum-"):].upper() if trailer.startswith("x-amz-checksum-") else None
    )
    given = checksums.given_checksums(params)
    requested = params.get("ChecksumAlgorithm")
    names = set(given) | {a for a in (algorithm, trailer_algorithm, requested) if a}
    names = {checksums.check_algorithm(a) for a in names}
    if not names and default:
        names = {default}
    hashers = {name: checksums.new_hasher(name) for name in names}
    md5 = hashlib.md5()
    sha = headers.get("x-amz-content-sha256", "")
    sha_hasher = hashlib.sha256() if _is_hex_sha(sha) and "SHA256" not in hashers else None
    feed = [md5, *hashers.values(), *([sha_hasher] if sha_hasher else [])]
    blob = read_blob(reader, None if chunked else length, feed)
    if chunked:
        decoded = headers.get("x-amz-decoded-content-length")
        if decoded is not None and decoded.isdigit() and int(decoded) != blob.size:
            raise incomplete_body()
        given = checksums.given_checksums(params, reader.trailers) if reader.trailers else given
    elif length is not None and blob.size < length:
        raise incomplete_body()
    computed = {name: checksums.b64(h.digest()) for name, h in hashers.items()}
    _verify_md5(params.get("ContentMD5"), md5.digest())
    for name, value in given.items():
        if computed.get(name) != value:
            raise checksums.mismatch(name)
    if trailer_algorithm and chunked and checksums.header(trailer_algorithm) not in reader.trailers:
        raise AWSError(
            "MalformedTrailerError",
            "The request contained trailing data that was not well-formed or did not conform to "
            "our published schema.",
        )
    if _is_hex_sha(sha):
        actual = (sha_hasher.hexdigest() if sha_hasher else  # type: ignore[attr-defined]
                  base64.b64decode(computed["SHA256"]).hex())
        if actual != sha.lower():
            raise AWSError(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ClientComputedContentSHA256=sha,
                S3ComputedContentSHA256=actual,
            )
    return Body(blob, md5.digest(), computed)


def _is_hex_sha(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value)


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
