"""Raw HTTP requests to the gateway, for wire forms boto3 does not send over plain HTTP
(`aws-chunked` bodies, wrong `x-amz-content-sha256`)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request, "
    "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + "0" * 64
)


def send(
    endpoint: str, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Send one request; returns (status, headers, body)."""
    parts = urlsplit(endpoint)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        all_headers = {"Authorization": AUTH, "x-amz-date": "20260101T000000Z",
                       "Content-Length": str(len(body)), **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def signed_chunks(data: bytes, chunk_size: int, trailer: dict[str, str] | None = None) -> bytes:
    """An `aws-chunked` body in the SigV4 streaming form (`;chunk-signature=`), with trailers."""
    out = bytearray()
    for i in range(0, len(data), chunk_size):
        piece = data[i : i + chunk_size]
        out += b"%x;chunk-signature=%s\r\n%s\r\n" % (len(piece), b"a" * 64, piece)
    out += b"0;chunk-signature=" + b"b" * 64 + b"\r\n"
    for key, value in (trailer or {}).items():
        out += f"{key}:{value}\r\n".encode()
    if trailer:
        out += b"x-amz-trailer-signature:" + b"c" * 64 + b"\r\n"
    out += b"\r\n"
    return bytes(out)
