"""ListObjects, ListObjectsV2 and ListObjectVersions: prefixes, delimiters, pages, URL encoding."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any
from urllib.parse import quote

from sortedcontainers import SortedDict

from ...api import AWSError, RequestContext
from .acl import owner
from .common import S3Base, continuation_token, continue_after
from .store import Bucket, ObjectVersion

DEFAULT_MAX_KEYS = 1000


def url_encode(value: str) -> str:
    """S3's `encoding-type=url` form of a key (botocore decodes it with `unquote_plus`)."""
    return quote(value, safe="/~")


def max_keys(params: dict[str, Any], name: str = "MaxKeys") -> int:
    value = params.get(name, DEFAULT_MAX_KEYS)
    if value < 0:
        raise AWSError("InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647",
                       ArgumentName="maxKeys", ArgumentValue=str(value))
    return min(value, DEFAULT_MAX_KEYS)


def check_encoding(params: dict[str, Any]) -> bool:
    encoding = params.get("EncodingType")
    if encoding is not None and encoding != "url":
        raise AWSError("InvalidArgument", "Invalid Encoding Method specified in Request",
                       ArgumentName="encoding-type", ArgumentValue=encoding)
    return encoding == "url"


def walk(
    objects: SortedDict, prefix: str, delimiter: str, marker: str, current_only: bool = True
) -> Iterator[tuple[str, bool]]:
    """(key or common prefix, is_prefix) after `marker`, in key order, each prefix once.

    Seeks instead of scanning: to the first key after the marker (and past the marker's own
    common prefix), then past each common prefix it yields, so a page costs its own entries
    and a few seeks, whatever the bucket holds. With `current_only`, keys whose current version
    is a delete marker are left out (and make no common prefix by themselves).
    """
    start, inclusive = (marker, False) if marker >= prefix else (prefix, True)
    if delimiter and marker.startswith(prefix):
        cut = marker.find(delimiter, len(prefix))
        if cut >= 0:  # the marker is (in) a common prefix already listed: resume after all of it
            start, inclusive = _after_all_with(marker[: cut + len(delimiter)]), True
    keys = objects.irange(minimum=start, inclusive=(inclusive, True))
    while True:
        key = next(keys, None)
        if key is None or not key.startswith(prefix):
            return
        if current_only and objects[key][-1].delete_marker:
            continue
        if delimiter:
            cut = key.find(delimiter, len(prefix))
            if cut >= 0:
                common = key[: cut + len(delimiter)]
                yield common, True
                keys = objects.irange(minimum=_after_all_with(common), inclusive=(True, True))
                continue
        yield key, False


def _after_all_with(prefix: str) -> str:
    """The least string above every string that starts with `prefix` (a prefix of nothing but
    the highest code point: above any key S3 takes, 1,024 bytes at most)."""
    stem = prefix.rstrip(chr(0x10FFFF))
    return stem[:-1] + chr(ord(stem[-1]) + 1) if stem else chr(0x10FFFF) * 1025


def page(
    entries: Iterator[tuple[str, bool]], limit: int
) -> tuple[list[str], list[str], bool, str | None]:
    """(keys, common prefixes, truncated, last entry) of one page of `walk`'s entries."""
    contents: list[str] = []
    prefixes: list[str] = []
    last = None
    for entry, is_prefix in entries:
        if len(contents) + len(prefixes) >= limit:
            return contents, prefixes, True, last
        (prefixes if is_prefix else contents).append(entry)
        last = entry
    return contents, prefixes, False, last


def _versions_of(
    objects: SortedDict, entries: Iterator[tuple[str, bool]]
) -> Iterator[tuple[str, ObjectVersion | None]]:
    """`walk`'s entries as ListObjectVersions lists them: a common prefix as (prefix, None), a
    key as (key, version) for each of its versions, newest first."""
    for entry, is_prefix in entries:
        if is_prefix:
            yield entry, None
        else:
            yield from ((entry, v) for v in reversed(objects[entry]))


def _object_entry(obj: ObjectVersion, encode: bool, with_owner: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Key": url_encode(obj.key) if encode else obj.key,
        "LastModified": obj.last_modified,
        "ETag": obj.etag,
        "Size": obj.size,
        "StorageClass": obj.storage_class,
    }
    if obj.checksums:
        entry["ChecksumAlgorithm"] = list(obj.checksums)
        entry["ChecksumType"] = obj.checksum_type or "FULL_OBJECT"
    if with_owner:
        entry["Owner"] = owner(obj.owner)
    return entry


def _common(params: dict[str, Any], bucket: Bucket, encode: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"Name": bucket.name}
    if params.get("Prefix") is not None:  # echoed only when the request sent one
        out["Prefix"] = params["Prefix"]
    if params.get("Delimiter"):
        out["Delimiter"] = params["Delimiter"]
    if encode:
        out["EncodingType"] = "url"
        for name in ("Prefix", "Delimiter"):
            if out.get(name):
                out[name] = url_encode(out[name])
    return out


class ListingOps(S3Base):
    """Object listings."""

    def list_objects_v2(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        encode = check_encoding(params)
        limit = max_keys(params)
        token = params.get("ContinuationToken")
        listing = f"ListObjectsV2:{bucket.name}"
        marker = continue_after(token, listing) if token else params.get("StartAfter", "")
        prefix, delimiter = params.get("Prefix", ""), params.get("Delimiter", "")
        with self.store.lock:
            keys, prefixes, truncated, last = page(walk(bucket.objects, prefix, delimiter, marker), limit)
            contents = [
                _object_entry(bucket.latest(k), encode, bool(params.get("FetchOwner")))  # type: ignore[arg-type]
                for k in keys
            ]
        out = _common(params, bucket, encode)
        out.update(MaxKeys=limit, KeyCount=len(keys) + len(prefixes), IsTruncated=truncated)
        if contents:
            out["Contents"] = contents
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": url_encode(p) if encode else p} for p in prefixes]
        if token:
            out["ContinuationToken"] = token
        if params.get("StartAfter"):
            out["StartAfter"] = url_encode(params["StartAfter"]) if encode else params["StartAfter"]
        if truncated and last is not None:
            out["NextContinuationToken"] = continuation_token(last, listing)
        return out

    def list_objects(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        encode = check_encoding(params)
        limit = max_keys(params)
        marker = params.get("Marker", "")
        prefix, delimiter = params.get("Prefix", ""), params.get("Delimiter", "")
        with self.store.lock:
            keys, prefixes, truncated, last = page(walk(bucket.objects, prefix, delimiter, marker), limit)
            contents = [_object_entry(bucket.latest(k), encode, True) for k in keys]  # type: ignore[arg-type]
        out = _common(params, bucket, encode)
        out.update(Marker=url_encode(marker) if encode else marker, MaxKeys=limit, IsTruncated=truncated)
        if contents:
            out["Contents"] = contents
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": url_encode(p) if encode else p} for p in prefixes]
        if truncated and delimiter and last is not None:
            out["NextMarker"] = url_encode(last) if encode else last
        return out

    def list_object_versions(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.bucket(ctx)
        encode = check_encoding(params)
        limit = max_keys(params)
        key_marker = params.get("KeyMarker", "")
        version_marker = params.get("VersionIdMarker")
        if version_marker and not key_marker:
            raise AWSError("InvalidArgument", "A version-id marker cannot be specified without a key marker.",
                           ArgumentName="version-id-marker", ArgumentValue=version_marker)
        prefix, delimiter = params.get("Prefix", ""), params.get("Delimiter", "")
        versions: list[dict[str, Any]] = []
        markers: list[dict[str, Any]] = []
        prefixes: list[str] = []
        truncated = False
        next_key = next_version = None
        with self.store.lock:
            objects = bucket.objects
            # resume inside the marker key's versions (newest first) when a version marker is given
            start_marker = key_marker
            pending: list[ObjectVersion] = []
            if version_marker and key_marker in bucket.objects:
                history = list(reversed(bucket.objects[key_marker]))
                ids = [v.version_id for v in history]
                if version_marker in ids:
                    pending = history[ids.index(version_marker) + 1 :]

            def emit(obj: ObjectVersion, latest: bool) -> None:
                entry: dict[str, Any] = {
                    "Key": url_encode(obj.key) if encode else obj.key,
                    "VersionId": obj.version_id,
                    "IsLatest": latest,
                    "LastModified": obj.last_modified,
                    "Owner": owner(obj.owner),
                }
                if obj.delete_marker:
                    markers.append(entry)
                    return
                entry.update(ETag=obj.etag, Size=obj.size, StorageClass=obj.storage_class)
                if obj.checksums:
                    entry["ChecksumAlgorithm"] = list(obj.checksums)
                    entry["ChecksumType"] = obj.checksum_type or "FULL_OBJECT"
                versions.append(entry)

            entries = walk(objects, prefix, delimiter, start_marker, current_only=False)
            stream = chain(((key_marker, v) for v in pending), _versions_of(objects, entries))
            for count, (name, obj) in enumerate(stream):
                if count >= limit:
                    truncated = True
                    break
                if obj is None:
                    prefixes.append(name)
                    next_key, next_version = name, None
                else:
                    emit(obj, objects[obj.key][-1] is obj)
                    next_key, next_version = obj.key, obj.version_id
        out = _common(params, bucket, encode)
        out.update(KeyMarker=url_encode(key_marker) if encode else key_marker, MaxKeys=limit,
                   IsTruncated=truncated)
        if version_marker:
            out["VersionIdMarker"] = version_marker
        if versions:
            out["Versions"] = versions
        if markers:
            out["DeleteMarkers"] = markers
        if prefixes:
            out["CommonPrefixes"] = [{"Prefix": url_encode(p) if encode else p} for p in prefixes]
        if truncated and next_key is not None:
            out["NextKeyMarker"] = url_encode(next_key) if encode else next_key
            if next_version:
                out["NextVersionIdMarker"] = next_version
        return out
