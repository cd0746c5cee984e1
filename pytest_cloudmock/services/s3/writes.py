"""Writing objects: attributes from request params, tags, version ids, events."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from ...api import AWSError, RequestContext
from .acl import acl_from_params
from .notifications import notify
from .objectlock import apply_default_retention, lock_from_params
from .replication import replicate
from .sse import check_request, seal
from .store import Bucket, ObjectVersion, S3Store, new_version_id

# Params stored with an object and answered back as the same output members.
CONTENT_HEADERS = (
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "Expires",
    "WebsiteRedirectLocation",
)
ENCRYPTION = ("ServerSideEncryption", "SSEKMSKeyId", "BucketKeyEnabled", "SSECustomerAlgorithm",
              "SSECustomerKeyMD5")
_CONTENT_SET, _ENCRYPTION_SET = frozenset(CONTENT_HEADERS), frozenset(ENCRYPTION)
STORAGE_CLASSES = {
    "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
    "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS",
}
MAX_TAGS = 10
MAX_METADATA = 2048
MAX_KEY = 1024
ARCHIVED = ("GLACIER", "DEEP_ARCHIVE")


def encryption(params: dict[str, Any], bucket: Bucket) -> dict[str, Any]:
    """The object's encryption settings: as asked, else the bucket default (SSE-S3)."""
    out = ({} if _ENCRYPTION_SET.isdisjoint(params)
           else {k: params[k] for k in ENCRYPTION if params.get(k) is not None})
    if "ServerSideEncryption" not in out and "SSECustomerAlgorithm" not in out:
        config = bucket.configs.get("ServerSideEncryptionConfiguration")
        if not config:
            out["ServerSideEncryption"] = "AES256"
            return out
        rules = config.get("Rules") or [{}]
        default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
        out["ServerSideEncryption"] = default.get("SSEAlgorithm", "AES256")
        if default.get("KMSMasterKeyID"):
            out["SSEKMSKeyId"] = default["KMSMasterKeyID"]
        if rules[0].get("BucketKeyEnabled"):
            out["BucketKeyEnabled"] = True
    return out


def storage_class(params: dict[str, Any]) -> str:
    value = params.get("StorageClass") or "STANDARD"
    if value not in STORAGE_CLASSES:
        raise AWSError("InvalidStorageClass", "The storage class you specified is not valid", 400,
                       StorageClassRequested=value)
    return value


def tags_from_header(value: str | None) -> dict[str, str]:
    """Tags of an `x-amz-tagging` header (`k1=v1&k2=v2`)."""
    if not value:
        return {}
    pairs = parse_qsl(value, keep_blank_values=True)
    return validate_tags([{"Key": k, "Value": v} for k, v in pairs])


def validate_tags(tag_set: list[dict[str, str]], limit: int = MAX_TAGS) -> dict[str, str]:
    """A tag set as a dict, or S3's error for too many, duplicate or oversized tags."""
    if len(tag_set) > limit:
        raise AWSError("BadRequest", f"Object tags cannot be greater than {limit}")
    out: dict[str, str] = {}
    for tag in tag_set:
        key, value = tag.get("Key", ""), tag.get("Value", "")
        if key in out:
            raise AWSError("InvalidTag", "Cannot provide multiple Tags with the same key", TagKey=key)
        if len(key) > 128 or not key:
            raise AWSError("InvalidTag", "The TagKey you have provided is invalid", TagKey=key)
        if len(value) > 256:
            raise AWSError("InvalidTag", "The TagValue you have provided is too long, max 256",
                           TagKey=key, TagValue=value)
        out[key] = value
    return out


def tag_set(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def check_key(key: str) -> None:
    if len(key) <= MAX_KEY // 4:  # UTF-8 takes at most 4 bytes a character
        return
    size = len(key.encode("utf-8"))
    if size > MAX_KEY:
        raise AWSError("KeyTooLongError", "Your key is too long", Size=str(size),
                       MaxSizeAllowed=str(MAX_KEY))


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def header_value(value: Any, name: str) -> Any:
    """A value S3 will send back in a response header: control characters (CR, LF, NUL, ...)
    are refused with 400 `InvalidArgument`, so no request can inject a header.

    AWS's exact message for this case is not documented; this one names the argument.
    """
    if isinstance(value, str) and _CONTROL.search(value):
        raise AWSError("InvalidArgument", f"Header value for {name} contains invalid characters", 400,
                       ArgumentName=name, ArgumentValue=value.encode("unicode_escape").decode())
    return value


def metadata(params: dict[str, Any]) -> dict[str, str]:
    """User metadata of a write, or `MetadataTooLarge` past S3's 2 KB."""
    given = params.get("Metadata")
    if not given:
        return {}
    values = dict(given)
    for key, value in values.items():
        header_value(key, f"x-amz-meta-{key}")
        header_value(value, f"x-amz-meta-{key}")
    size = sum(len(k.encode()) + len(v.encode()) for k, v in values.items())
    if size > MAX_METADATA:
        raise AWSError("MetadataTooLarge", "Your metadata headers exceed the maximum allowed "
                       "metadata size.", Size=str(size), MaxSizeAllowed=str(MAX_METADATA))
    return values


def object_settings(params: dict[str, Any], bucket: Bucket, ctx: RequestContext) -> dict[str, Any]:
    """The attributes a write (PutObject, CreateMultipartUpload, POST) gives the new object."""
    account_id = ctx.account_id
    if "Key" in params:
        check_key(params["Key"])
    check_request(params)
    sse = encryption(params, bucket)
    return {
        "metadata": metadata(params),
        "headers": {} if _CONTENT_SET.isdisjoint(params) else {
            k: header_value(params[k], k) for k in CONTENT_HEADERS if params.get(k) is not None
        },
        "storage_class": storage_class(params),
        "tags": tags_from_header(params.get("Tagging")),
        "acl": acl_from_params(params, account_id),
        "lock": lock_from_params(params, bucket, ctx.clock),
        "kms_blob": seal(ctx, params, bucket, sse),
        "encryption": sse,
    }


def commit(
    ctx: RequestContext, store: S3Store, bucket: Bucket, obj: ObjectVersion, event: str
) -> ObjectVersion:
    """Store `obj` as the key's current version (with the bucket's default retention), send
    its `ObjectCreated:*` event and replicate it."""
    obj.version_id = new_version_id() if bucket.versioning == "Enabled" else "null"
    apply_default_retention(bucket, obj, ctx.clock)
    bucket.add(obj)
    notify(ctx, bucket, event, obj)
    replicate(ctx, store, bucket, obj)
    return obj


def write_output(bucket: Bucket, obj: ObjectVersion) -> dict[str, Any]:
    """The members every write answers: ETag, version, encryption, checksum."""
    out: dict[str, Any] = {"ETag": obj.etag, **_encryption_out(obj)}
    if bucket.versioning is not None:
        out["VersionId"] = obj.version_id
    for algorithm, value in obj.checksums.items():
        out[f"Checksum{algorithm}"] = value
    if obj.checksums and obj.checksum_type:
        out["ChecksumType"] = obj.checksum_type
    return out


def _encryption_out(obj: ObjectVersion) -> dict[str, Any]:
    return {k: v for k, v in obj.encryption.items() if k in ENCRYPTION}
