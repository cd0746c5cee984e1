"""Object operations: put, get, head, delete (one and batch), copy, attributes, tags, ACLs."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote

from ...api import AWSError, RequestContext, Response
from . import errors
from .acl import acl_from_params, default_acl
from .bodies import read_body
from .checksums import check_algorithm, checksum_of
from .common import S3Base, version_out
from .conditions import check_read, check_write, parse_range
from .notifications import notify
from .objectlock import check_delete, lock_headers
from .replication import replicate
from .sse import unseal
from .store import Bucket, ObjectVersion, new_version_id, timestamp
from .writes import (
    ARCHIVED,
    commit,
    header_value,
    object_settings,
    tag_set,
    validate_tags,
    write_output,
)

_OVERRIDES = {
    "ResponseCacheControl": "CacheControl",
    "ResponseContentDisposition": "ContentDisposition",
    "ResponseContentEncoding": "ContentEncoding",
    "ResponseContentLanguage": "ContentLanguage",
    "ResponseContentType": "ContentType",
    "ResponseExpires": "Expires",
}
MAX_DELETE = 1000


_QUERY_NAMES = {param: "response-" + "-".join(w.lower() for w in re.findall(r"[A-Z][a-z]+", member))
                for param, member in _OVERRIDES.items()}


def parse_copy_source(value: str) -> tuple[str, str, str | None]:
    """`bucket/key?versionId=v` (URL-encoded, leading `/` optional) -> (bucket, key, version)."""
    source, _, query = value.partition("?")
    version = None
    for pair in query.split("&"):
        name, _, val = pair.partition("=")
        if name == "versionId":
            version = unquote(val)
    bucket, _, key = unquote(source).lstrip("/").partition("/")
    if not bucket or not key:
        raise AWSError("InvalidArgument", "Invalid copy source object key", 400,
                       ArgumentName="x-amz-copy-source", ArgumentValue=value)
    return bucket, key, version


def object_headers(bucket: Bucket, obj: ObjectVersion, params: dict[str, Any]) -> dict[str, Any]:
    """The members GetObject and HeadObject answer about an object."""
    out: dict[str, Any] = {
        "ETag": obj.etag,
        "LastModified": obj.last_modified,
        "AcceptRanges": "bytes",
        "ContentType": "binary/octet-stream",
        **obj.headers,
        **obj.encryption,
    }
    if obj.metadata:
        out["Metadata"] = obj.metadata
    if obj.storage_class != "STANDARD":
        out["StorageClass"] = obj.storage_class
    if obj.restored_until is not None:
        expiry = format_datetime(obj.restored_until, usegmt=True)
        out["Restore"] = f'ongoing-request="false", expiry-date="{expiry}"'
    version = version_out(bucket, obj.version_id)
    if version:
        out["VersionId"] = version
    out.update(lock_headers(obj))
    if obj.replication_status:
        out["ReplicationStatus"] = obj.replication_status
    if not _OVERRIDES.keys().isdisjoint(params):
        for param, member in _OVERRIDES.items():
            if params.get(param) is not None:
                out[member] = header_value(params[param], _QUERY_NAMES[param])
    return out


class ObjectOps(S3Base):
    """PutObject, GetObject, HeadObject, DeleteObject(s), CopyObject and friends."""

    # -- writes ---------------------------------------------------------------------------
    def put_object(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        key = params["Key"]
        settings = object_settings(params, bucket, ctx)
        conditional = params.get("IfNoneMatch") is not None or params.get("IfMatch") is not None
        if conditional:  # checked before the body is read, and again once it is
            check_write(bucket.latest(key), params, key)
        body = read_body(ctx, default="CRC64NVME")
        with self.store.lock:
            if conditional:
                check_write(bucket.latest(key), params, key)
            obj = ObjectVersion(
                key=key, blob=body.blob, etag=body.etag, owner=ctx.account_id,
                checksums=body.checksums, checksum_type="FULL_OBJECT",
                last_modified=timestamp(ctx.clock), **settings,
            )
            commit(ctx, self.store, bucket, obj, "ObjectCreated:Put")
        return write_output(bucket, obj)

    def copy_object(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        key = params["Key"]
        src_bucket_name, src_key, src_version = parse_copy_source(params["CopySource"])
        source_bucket = self.bucket(ctx, src_bucket_name)
        source = self.current(source_bucket, src_key, src_version)
        check_read(source, params, prefix="CopySource")
        unseal(ctx, source_bucket, source)
        replace_meta = params.get("MetadataDirective", "COPY") == "REPLACE"
        replace_tags = params.get("TaggingDirective", "COPY") == "REPLACE"
        if (src_bucket_name, src_key) == (bucket.name, key) and not (
            replace_meta or params.get("StorageClass") or params.get("WebsiteRedirectLocation")
            or params.get("ServerSideEncryption") or params.get("SSEKMSKeyId")
        ):
            raise errors.invalid_request(
                "This copy request is illegal because it is trying to copy an object to itself "
                "without changing the object's metadata, storage class, website redirect location "
                "or encryption attributes."
            )
        settings = object_settings(params, bucket, ctx)
        if not replace_meta:
            settings["metadata"] = dict(source.metadata)
            settings["headers"] = dict(source.headers)
        if not replace_tags:
            settings["tags"] = dict(source.tags)
        if not params.get("StorageClass"):
            settings["storage_class"] = source.storage_class
        algorithm = params.get("ChecksumAlgorithm")
        if algorithm:
            algorithm = check_algorithm(algorithm)
            sums = {algorithm: checksum_of(algorithm, source.blob.chunks)}
        elif source.checksum_type == "FULL_OBJECT" and source.checksums:
            sums = dict(source.checksums)
        else:
            sums = {"CRC64NVME": checksum_of("CRC64NVME", source.blob.chunks)}
        etag = source.etag if not source.parts else f'"{_md5_hex(source)}"'
        with self.store.lock:
            check_write(bucket.latest(key), params, key)
            obj = ObjectVersion(
                key=key, blob=source.blob, etag=etag, owner=ctx.account_id, checksums=sums,
                checksum_type="FULL_OBJECT", last_modified=timestamp(ctx.clock), **settings,
            )
            commit(ctx, self.store, bucket, obj, "ObjectCreated:Copy")
        result = {"ETag": obj.etag, "LastModified": obj.last_modified}
        result.update({f"Checksum{a}": v for a, v in sums.items()}, ChecksumType="FULL_OBJECT")
        out: dict[str, Any] = {
            "CopyObjectResult": result,
            **{k: v for k, v in obj.encryption.items()},
        }
        if bucket.versioning is not None:
            out["VersionId"] = obj.version_id
        if source.version_id != "null":
            out["CopySourceVersionId"] = source.version_id
        return out

    # -- reads ----------------------------------------------------------------------------
    def get_object(self, ctx: RequestContext) -> Response | dict[str, Any]:
        return self._read(ctx, with_body=True)

    def head_object(self, ctx: RequestContext) -> Response | dict[str, Any]:
        return self._read(ctx, with_body=False)

    def _read(self, ctx: RequestContext, with_body: bool) -> Response | dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        if with_body and obj.storage_class in ARCHIVED and not _restored(obj, ctx.clock.utcnow()):
            raise AWSError("InvalidObjectState", "The operation is not valid for the object's "
                           "storage class", 403, StorageClass=obj.storage_class)
        if not check_read(obj, params):
            headers = {"ETag": obj.etag, "Last-Modified": _http_date(obj)}
            return Response(body=b"", status=304, headers=headers)
        if with_body:
            unseal(ctx, bucket, obj)
        out = object_headers(bucket, obj, params)
        size = obj.size
        start, end, status = 0, size, 200
        part_number = params.get("PartNumber")
        if part_number is not None and params.get("Range"):
            raise errors.invalid_request(
                "Cannot specify both Range header and partNumber query parameter"
            )
        if part_number is not None:
            start, end = _part_range(obj, part_number)
            out["PartsCount"] = max(len(obj.parts), 1)
            status = 206 if size else 200
        else:
            byte_range = parse_range(params.get("Range"), size)
            if byte_range is not None:
                start, end = byte_range
                status = 206
        if status == 206:
            out["ContentRange"] = f"bytes {start}-{end - 1}/{size}"
        out["ContentLength"] = end - start
        if params.get("ChecksumMode") == "ENABLED":
            out.update(_checksums_out(obj, part_number, (start, end)))
        if with_body:
            if obj.tags:
                out["TagCount"] = len(obj.tags)
            out["Body"] = obj.blob.iter_range(start, end)
        return Response(body=out, status=status)

    def get_object_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        wanted = set(params.get("ObjectAttributes") or [])
        out: dict[str, Any] = {"LastModified": obj.last_modified}
        version = version_out(bucket, obj.version_id)
        if version:
            out["VersionId"] = version
        if "ETag" in wanted:
            out["ETag"] = obj.etag.strip('"')
        if "StorageClass" in wanted:
            out["StorageClass"] = obj.storage_class
        if "ObjectSize" in wanted:
            out["ObjectSize"] = obj.size
        if "Checksum" in wanted and obj.checksums:
            out["Checksum"] = {
                **{f"Checksum{a}": v for a, v in obj.checksums.items()},
                "ChecksumType": obj.checksum_type or "FULL_OBJECT",
            }
        if "ObjectParts" in wanted and obj.parts:
            out["ObjectParts"] = _parts_page(obj, params)
        return out

    def restore_object(self, ctx: RequestContext) -> Response:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        if obj.storage_class not in ARCHIVED:
            raise AWSError("InvalidObjectState", "Restore is not allowed for the object's current "
                           "storage class", 403, StorageClass=obj.storage_class)
        days = (params.get("RestoreRequest") or {}).get("Days", 1)
        already = obj.restored_until is not None
        obj.restored_until = timestamp(ctx.clock) + timedelta(days=days)  # restores complete at once
        if not already:
            notify(ctx, bucket, "ObjectRestore:Post", obj)
            notify(ctx, bucket, "ObjectRestore:Completed", obj)
        return Response(body={}, status=200 if already else 202)

    # -- deletes --------------------------------------------------------------------------
    def delete_object(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        with self.store.lock:
            if params.get("IfMatch") is not None:
                current = bucket.latest(params["Key"])
                if current is None or current.delete_marker:
                    raise errors.no_such_key(params["Key"])
                check_write(current, {"IfMatch": params["IfMatch"]}, params["Key"])
            return self._delete(ctx, bucket, params["Key"], params.get("VersionId"),
                                bool(params.get("BypassGovernanceRetention")))

    def _delete(
        self, ctx: RequestContext, bucket: Bucket, key: str, version_id: str | None,
        bypass: bool = False,
    ) -> dict[str, Any]:
        """Delete a version, or the key (a delete marker if versioned); returns the output.

        A version under Object Lock is refused (`AccessDenied`) unless the lock has ended
        or is GOVERNANCE and `bypass` is set."""
        if version_id:
            found = bucket.version(key, version_id)
            if version_id != "null" and found is None:
                if len(version_id) != 32:
                    raise errors.invalid_argument("Invalid version id specified", "versionId",
                                                  version_id)
                return {"VersionId": version_id}
            if found is not None:
                check_delete(found, bypass, ctx.clock.utcnow())
            removed = bucket.remove(key, version_id)
            out: dict[str, Any] = {"VersionId": version_id}
            if removed is not None:
                if removed.delete_marker:
                    out["DeleteMarker"] = True
                notify(ctx, bucket, "ObjectRemoved:Delete", removed)
            return out
        if bucket.versioning is None:
            current = bucket.version(key, "null")
            if current is not None:
                check_delete(current, bypass, ctx.clock.utcnow())
            removed = bucket.remove(key, "null")
            if removed is not None:
                notify(ctx, bucket, "ObjectRemoved:Delete", removed)
            return {}
        marker = ObjectVersion(key=key, owner=ctx.account_id, delete_marker=True,
                               last_modified=timestamp(ctx.clock))
        marker.version_id = new_version_id() if bucket.versioning == "Enabled" else "null"
        bucket.add(marker)
        notify(ctx, bucket, "ObjectRemoved:DeleteMarkerCreated", marker)
        replicate(ctx, self.store, bucket, marker)
        return {"DeleteMarker": True, "VersionId": marker.version_id}

    def delete_objects(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.bucket(ctx)
        delete = ctx.params.get("Delete") or {}
        items = delete.get("Objects") or []
        if not items or len(items) > MAX_DELETE:
            raise errors.malformed_xml()
        deleted, failed = [], []
        with self.store.lock:
            for item in items:
                key, version_id = item.get("Key", ""), item.get("VersionId")
                try:
                    if item.get("ETag") is not None:
                        current = bucket.latest(key)
                        if current is None or current.delete_marker:
                            raise errors.no_such_key(key)
                        check_write(current, {"IfMatch": item["ETag"]}, key)
                    out = self._delete(ctx, bucket, key, version_id,
                                       bool(ctx.params.get("BypassGovernanceRetention")))
                except AWSError as err:
                    failed.append({"Key": key, "Code": err.code, "Message": err.message,
                                   **({"VersionId": version_id} if version_id else {})})
                    continue
                entry: dict[str, Any] = {"Key": key}
                if version_id:
                    entry["VersionId"] = version_id
                if out.get("DeleteMarker"):
                    entry["DeleteMarker"] = True
                    if not version_id:
                        entry["DeleteMarkerVersionId"] = out["VersionId"]
                deleted.append(entry)
        result: dict[str, Any] = {}
        if not delete.get("Quiet") and deleted:
            result["Deleted"] = deleted
        if failed:
            result["Errors"] = failed
        return result

    # -- tags and ACLs ------------------------------------------------------------------
    def put_object_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        obj.tags = validate_tags((params.get("Tagging") or {}).get("TagSet") or [])
        notify(ctx, bucket, "ObjectTagging:Put", obj)
        return _version_only(bucket, obj)

    def get_object_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        return {"TagSet": tag_set(obj.tags), **_version_only(bucket, obj)}

    def delete_object_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        obj = self.current(bucket, params["Key"], params.get("VersionId"))
        obj.tags = {}
        notify(ctx, bucket, "ObjectTagging:Delete", obj)
        return _version_only(bucket, obj)

    def put_object_acl(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        obj = self.current(self.bucket(ctx), params["Key"], params.get("VersionId"))
        acl = acl_from_params(params, ctx.account_id)
        if acl is None:
            raise errors.malformed_xml()
        obj.acl = acl
        return {}

    def get_object_acl(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        obj = self.current(self.bucket(ctx), params["Key"], params.get("VersionId"))
        return dict(obj.acl or default_acl(obj.owner or ctx.account_id))


def _version_only(bucket: Bucket, obj: ObjectVersion) -> dict[str, Any]:
    version = version_out(bucket, obj.version_id)
    return {"VersionId": version} if version else {}


def _md5_hex(obj: ObjectVersion) -> str:
    hasher = hashlib.md5()
    for chunk in obj.blob.chunks:
        hasher.update(chunk)
    return hasher.hexdigest()


def _restored(obj: ObjectVersion, now: datetime) -> bool:
    """Whether an archived object has a restored copy that has not expired yet."""
    return obj.restored_until is not None and obj.restored_until > now


def _http_date(obj: ObjectVersion) -> str:
    return format_datetime(obj.last_modified, usegmt=True)


def _part_range(obj: ObjectVersion, number: int) -> tuple[int, int]:
    count = max(len(obj.parts), 1)
    if number < 1 or number > count:
        raise AWSError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416,
                       PartNumberRequested=str(number), ActualPartCount=str(count))
    if not obj.parts:
        return 0, obj.size
    start = sum(p.size for p in obj.parts[: number - 1])
    return start, start + obj.parts[number - 1].size


def _checksums_out(
    obj: ObjectVersion, part_number: int | None, byte_range: tuple[int, int]
) -> dict[str, Any]:
    """Checksums GetObject/HeadObject answer with `ChecksumMode=ENABLED`."""
    if part_number is not None and obj.parts:
        part = obj.parts[part_number - 1]
        return {f"Checksum{a}": v for a, v in part.checksums.items()}
    if byte_range != (0, obj.size) or not obj.checksums:
        return {}
    out: dict[str, Any] = {f"Checksum{a}": v for a, v in obj.checksums.items()}
    out["ChecksumType"] = obj.checksum_type or "FULL_OBJECT"
    return out


def _parts_page(obj: ObjectVersion, params: dict[str, Any]) -> dict[str, Any]:
    marker = params.get("PartNumberMarker") or 0
    limit = params.get("MaxParts") or 1000
    after = [p for p in obj.parts if p.number > marker]
    page = after[:limit]
    out: dict[str, Any] = {
        "TotalPartsCount": len(obj.parts),
        "PartNumberMarker": marker,
        "MaxParts": limit,
        "IsTruncated": len(after) > limit,
        "Parts": [
            {"PartNumber": p.number, "Size": p.size, **{f"Checksum{a}": v for a, v in p.checksums.items()}}
            for p in page
        ],
    }
    if page:
        out["NextPartNumberMarker"] = page[-1].number
    return out

