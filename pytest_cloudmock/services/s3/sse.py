"""SSE-KMS: objects written with `aws:kms` (asked for, or the bucket default) get a data key from KMS.

The data key comes from the gateway's KMS through `kms.api` (GenerateDataKey),
bound to S3's encryption context (`aws:s3:arn` = the object's ARN, or the bucket's
with an S3 Bucket Key, plus any `x-amz-server-side-encryption-context`), and is
kept wrapped on the object; every read of the data unwraps it again (KMS
`Decrypt`), so reading while the key is disabled, pending deletion or gone fails
as on AWS. The object's bytes themselves are stored as written.

KMS's error reaches the client with S3's `KMS.` prefix (`KMS.DisabledException`,
`KMS.NotFoundException`) and KMS's message; the status S3 gives those is our best
knowledge (400), not documented.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from ...api import AWSError, RequestContext
from ..kms import api as kms_api
from . import errors
from .common import bucket_arn
from .store import Bucket, ObjectVersion

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _kms_error(err: AWSError) -> AWSError:
    if err.code.startswith("KMS.") or err.status >= 500:
        return err
    return AWSError(f"KMS.{err.code}", err.message, 400)


def _context(params: dict[str, Any], bucket: Bucket, key: str, bucket_key: bool) -> dict[str, str]:
    arn = bucket_arn(bucket.name) + ("" if bucket_key else f"/{key}")
    context = {"aws:s3:arn": arn}
    given = params.get("SSEKMSEncryptionContext")
    if given:
        try:
            extra = json.loads(base64.b64decode(given, validate=True))
        except (ValueError, binascii.Error):
            raise errors.invalid_argument("The header 'x-amz-server-side-encryption-context' shall be "
                                          "Base64-encoded UTF-8 string holding JSON which represents a "
                                          "string-string map", "x-amz-server-side-encryption-context",
                                          given) from None
        if not isinstance(extra, dict):
            raise errors.invalid_argument("Invalid encryption context", "x-amz-server-side-encryption-context",
                                          given)
        context.update({str(k): str(v) for k, v in extra.items()})
    return context


def check_request(params: dict[str, Any]) -> None:
    """A KMS key id without `aws:kms` is refused, as S3 does."""
    if params.get("SSEKMSKeyId") and params.get("ServerSideEncryption") not in KMS_ALGORITHMS:
        raise errors.invalid_argument(
            "Server Side Encryption with KMS managed key requires HTTP header "
            "x-amz-server-side-encryption : aws:kms", "x-amz-server-side-encryption-aws-kms-key-id",
            params["SSEKMSKeyId"])


def seal(ctx: RequestContext, params: dict[str, Any], bucket: Bucket, encryption: dict[str, Any]) -> bytes | None:
    """For an `aws:kms` write: make the data key (fills in the key's ARN); the wrapped key, else None."""
    if encryption.get("ServerSideEncryption") not in KMS_ALGORITHMS or ctx.registry is None:
        return None
    if "kms" not in ctx.registry:
        return None  # KMS not served here: the key id is stored as given
    key_id = encryption.get("SSEKMSKeyId") or kms_api.default_key("s3")
    context = _context(params, bucket, params.get("Key", ""), bool(encryption.get("BucketKeyEnabled")))
    try:
        arn = kms_api.describe_key(ctx, key_id, region=bucket.region)["Arn"]
        wrapped = kms_api.encrypt_for(ctx, arn, os.urandom(32), context, region=bucket.region)
    except AWSError as err:
        raise _kms_error(err) from None
    encryption["SSEKMSKeyId"] = arn
    if params.get("SSEKMSEncryptionContext"):
        encryption["SSEKMSEncryptionContext"] = params["SSEKMSEncryptionContext"]
    return wrapped


def unseal(ctx: RequestContext, bucket: Bucket, obj: ObjectVersion) -> None:
    """Before the data of an SSE-KMS object is read: KMS must still decrypt its data key."""
    if obj.kms_blob is None:
        return
    given = obj.encryption.get("SSEKMSEncryptionContext")
    params = {"SSEKMSEncryptionContext": given} if given else {}
    context = _context(params, bucket, obj.key, bool(obj.encryption.get("BucketKeyEnabled")))
    try:
        kms_api.decrypt_for(ctx, obj.kms_blob, context, region=bucket.region)
    except AWSError as err:
        raise _kms_error(err) from None
