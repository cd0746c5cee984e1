"""Send SigV4-signed raw HTTP requests, as any SDK would, without a service model."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CREDS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def signed_request(
    endpoint: str,
    service: str,
    *,
    method: str = "POST",
    path: str = "/",
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
    region: str = "us-east-1",
    credentials: Credentials = CREDS,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    """Sign a request for `service` with SigV4 and send it; returns status, headers, body."""
    raw = body.encode() if isinstance(body, str) else body
    req = AWSRequest(method=method, url=endpoint.rstrip("/") + path, data=raw, headers=headers or {})
    SigV4Auth(credentials, service, region).add_auth(req)
    prepared = req.prepare()
    url = urlsplit(prepared.url)
    conn = connection or http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        target = url.path + (f"?{url.query}" if url.query else "")
        conn.request(method, target, body=raw, headers=dict(prepared.headers.items()))
        resp = conn.getresponse()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        if connection is None:
            conn.close()


def json_call(endpoint: str, target: str, payload: dict[str, Any], service: str, **kw: Any) -> Reply:
    """A json-protocol call: `X-Amz-Target: target`, JSON body."""
    headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"}
    return signed_request(endpoint, service, body=json.dumps(payload), headers=headers, **kw)
