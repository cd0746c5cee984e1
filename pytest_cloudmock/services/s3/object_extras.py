"""GetObjectTorrent, UpdateObjectEncryption and WriteGetObjectResponse.

- A torrent is the object's real BitTorrent metainfo (bencoded; 256 KiB pieces,
  SHA-1 each), as S3 serves it; S3 refuses torrents of SSE-KMS objects and of
  objects over 5 GB.
- `UpdateObjectEncryption` moves an object to SSE-KMS with the key given.
- `WriteGetObjectResponse` (S3 Object Lambda) records the response a Lambda
  function wrote for its `RequestToken`; the account's `object_lambda_responses`
  keeps it for a test to read (there are no Object Lambda access points here).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ...api import AWSError, RequestContext, Response
from . import errors
from .common import S3Base
from .sse import seal
from .store import ObjectVersion

PIECE = 256 * 1024
MAX_TORRENT_SIZE = 5 * 1024**3


def bencode(value: Any) -> bytes:
    """BitTorrent's bencoding of ints, bytes/str, lists and dicts (keys sorted)."""
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode("utf-8")
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"


def torrent(bucket: str, obj: ObjectVersion) -> bytes:
    pieces = bytearray()
    data = b"".join(obj.blob.chunks)
    for start in range(0, max(len(data), 1), PIECE):
        pieces += hashlib.sha1(data[start:start + PIECE]).digest()
    return bencode({
        "announce": "http://tracker.amazonaws.com:6969/announce",
        "info": {"length": obj.size, "name": obj.key.rsplit("/", 1)[-1], "piece length": PIECE,
                 "pieces": bytes(pieces), "x-amz-bucket": bucket, "x-amz-key": obj.key},
    })


class ObjectExtraOps(S3Base):
    """GetObjectTorrent, UpdateObjectEncryption, WriteGetObjectResponse."""

    def get_object_torrent(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.bucket(ctx)
        obj = self.current(bucket, ctx.params["Key"])
        if bucket.directory is not None or obj.encryption.get("ServerSideEncryption", "").startswith("aws:kms"):
            # our wording: S3 documents that these objects have no torrent, not the message
            raise errors.invalid_request("Torrents are not available for this object")
        if obj.size > MAX_TORRENT_SIZE:
            raise errors.invalid_request("Torrents are not available for objects larger than 5 GB")
        return {"Body": torrent(bucket.name, obj)}

    def update_object_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        kms = (params.get("ObjectEncryption") or {}).get("SSEKMS") or {}
        arn = kms.get("KMSKeyArn", "")
        if not arn.startswith("arn:") or ":kms:" not in arn:
            raise errors.invalid_argument("Invalid KMS key ARN", "KMSKeyArn", arn)
        with self.store.lock:
            bucket = self.bucket(ctx)
            obj = self.current(bucket, params["Key"], params.get("VersionId"))
            encryption: dict[str, Any] = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": arn}
            if kms.get("BucketKeyEnabled"):
                encryption["BucketKeyEnabled"] = True
            obj.kms_blob = seal(ctx, {"Key": obj.key}, bucket, encryption)
            obj.encryption = encryption
        return {}

    def write_get_object_response(self, ctx: RequestContext) -> Response:
        params = ctx.params
        status = params.get("StatusCode", 200)
        if not 200 <= status <= 599:
            raise errors.invalid_argument("Invalid status code", "x-amz-fwd-status", status)
        if params.get("ErrorCode") and status < 400:
            # our wording: AWS's message for an error code with a success status is not documented
            raise errors.invalid_request("ErrorCode can only be set with a 4xx or 5xx StatusCode")
        token = params["RequestToken"]
        body = params.get("Body")
        if hasattr(body, "read"):
            body = body.read()
        recorded = {k: v for k, v in params.items() if k not in ("Body", "RequestRoute", "RequestToken")}
        recorded["Body"] = body or b""
        with self.store.lock:
            responses = self.account(ctx).object_lambda_responses
            if token in responses:
                raise AWSError("ValidationError", "The response for this request token was already written")
            responses[token] = recorded
        return Response(body={})
