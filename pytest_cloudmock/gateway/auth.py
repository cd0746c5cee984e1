"""Credentials a request carries: access key id, region and service scope.

Reads the SigV4 `Authorization` header, a presigned URL's `X-Amz-Credential`,
and S3's legacy SigV2 forms (`AWS AKID:sig`, `?AWSAccessKeyId=`). Signatures are
checked by `signatures.SignatureVerifier` (when configured); who the key belongs
to is `Identities`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..wire import WireRequest

_SIGV4 = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
_SIGV2 = re.compile(r"^AWS ([^:\s]+):")


@dataclass(frozen=True)
class Credentials:
    """What the request says about who sent it and where it is going."""

    access_key_id: str = ""
    region: str = ""
    service: str = ""
    date: str = ""
    presigned: bool = False

    @property
    def present(self) -> bool:
        return bool(self.access_key_id)

    @property
    def sigv4(self) -> bool:
        """Signed with SigV4 (its credential scope names a date); else S3's legacy SigV2."""
        return bool(self.date)


@lru_cache(maxsize=1024)
def _scoped(access_key_id: str, region: str, service: str, date: str) -> Credentials:
    """A SigV4 credential scope's `Credentials` (frozen, so made once per scope)."""
    return Credentials(access_key_id, region, service, date)


def read_credentials(request: WireRequest) -> Credentials:
    """The credentials of a request (empty when it is unsigned)."""
    header = request.headers.get("Authorization", "")
    match = _SIGV4.search(header)
    if match:
        return _scoped(match[1], match[3], match[4], match[2])
    scope = request.query_value("X-Amz-Credential")
    if scope:
        parts = scope.split("/")
        if len(parts) == 5:
            return Credentials(parts[0], parts[2], parts[3], parts[1], presigned=True)
    match = _SIGV2.match(header)
    if match:
        return Credentials(match[1], service="s3")  # only S3 signs `AWS AKID:sig` headers
    legacy = request.query_value("AWSAccessKeyId")
    if legacy:
        # S3's SigV2 query auth (boto3's default presigned URL in us-east-1); the query
        # APIs' SigV2 says `SignatureVersion=2` and names its service by `Action`.
        s3 = request.query_value("SignatureVersion") is None
        return Credentials(legacy, service="s3" if s3 else "", presigned=True)
    return _UNSIGNED


_UNSIGNED = Credentials()
