"""S3 state: per-account buckets, one global bucket namespace.

`S3Store` is a global `Store` (one partition per account). Bucket names are
unique across all accounts, as in AWS: `S3Store.bucket(name)` finds a bucket
whichever account owns it, and creation checks every partition under the
store's lock. Direct access from a test::

    state = s3.store.get("123456789012")      # S3Account
    obj = state.buckets["b"].latest("key")     # ObjectVersion
    obj.blob.read()                            # the object's bytes
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sortedcontainers import SortedDict

from ...clock import Clock
from ...store import Store
from .blob import Blob


def timestamp(clock: Clock) -> datetime:
    """The clock's time at S3's millisecond precision (objects, parts, uploads, buckets)."""
    t = clock.utcnow()
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def new_version_id() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class ObjectVersion:
    """One version of an object (or a delete marker)."""

    key: str
    version_id: str = "null"
    blob: Blob = field(default_factory=Blob)
    etag: str = '""'
    last_modified: datetime = field(kw_only=True)  # `timestamp(ctx.clock)`
    owner: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)  # ContentType, CacheControl, ...
    storage_class: str = "STANDARD"
    tags: dict[str, str] = field(default_factory=dict)
    acl: dict[str, Any] | None = None
    checksums: dict[str, str] = field(default_factory=dict)  # algorithm -> base64
    checksum_type: str | None = None  # FULL_OBJECT | COMPOSITE
    parts: list[Part] = field(default_factory=list)  # multipart objects only
    encryption: dict[str, Any] = field(default_factory=dict)
    restored_until: datetime | None = None  # archived objects: the restored copy's expiry
    lock: dict[str, Any] = field(default_factory=dict)  # Mode, RetainUntilDate, LegalHold
    kms_blob: bytes | None = None  # SSE-KMS: the data key, wrapped by KMS (`sse.py`)
    replication_status: str | None = None  # PENDING, COMPLETED, FAILED (source) or REPLICA
    delete_marker: bool = False

    @property
    def size(self) -> int:
        return self.blob.size


@dataclass
class Part:
    """One uploaded part of a multipart upload (and of the object it becomes)."""

    number: int
    blob: Blob
    etag: str
    md5: bytes
    last_modified: datetime = field(kw_only=True)
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.blob.size


@dataclass
class Upload:
    """A multipart upload in progress."""

    upload_id: str
    key: str
    owner: str
    initiated: datetime = field(kw_only=True)
    settings: dict[str, Any] = field(default_factory=dict)  # the object's future attributes
    checksum_algorithm: str | None = None
    checksum_type: str | None = None
    parts: dict[int, Part] = field(default_factory=dict)


@dataclass
class Bucket:
    """A bucket: its objects (every version), uploads and configurations."""

    name: str
    region: str
    account_id: str
    created: datetime = field(kw_only=True)
    versioning: str | None = None  # None (never enabled), "Enabled", "Suspended"
    mfa_delete: str | None = None
    # key -> its versions, oldest first; kept in key order, so a listing page seeks to where it starts
    objects: SortedDict = field(default_factory=SortedDict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    configs: dict[str, Any] = field(default_factory=dict)  # config name -> stored value
    acl: dict[str, Any] | None = None
    object_lock: bool = False
    directory: dict[str, str] | None = None  # directory buckets: their zone {Type, Name}
    # when time alone can next change what the lifecycle rules do (None: apply them at the next request)
    lifecycle_next: datetime | None = None

    def latest(self, key: str) -> ObjectVersion | None:
        """The current version of a key (maybe a delete marker), or None."""
        versions = self.objects.get(key)
        return versions[-1] if versions else None

    def version(self, key: str, version_id: str) -> ObjectVersion | None:
        for version in self.objects.get(key, ()):
            if version.version_id == version_id:
                return version
        return None

    def is_empty(self) -> bool:
        return not self.objects

    def add(self, obj: ObjectVersion) -> None:
        """Make `obj` the current version (replacing the `null` version if unversioned)."""
        versions = self.objects.setdefault(obj.key, [])
        if obj.version_id == "null":
            versions[:] = [v for v in versions if v.version_id != "null"]
        versions.append(obj)

    def remove(self, key: str, version_id: str) -> ObjectVersion | None:
        versions = self.objects.get(key, [])
        for i, version in enumerate(versions):
            if version.version_id == version_id:
                del versions[i]
                if not versions:
                    del self.objects[key]
                return version
        return None


@dataclass
class S3Account:
    """One account's buckets."""

    buckets: dict[str, Bucket] = field(default_factory=dict)
    # S3 Object Lambda: what WriteGetObjectResponse wrote, by request token
    object_lambda_responses: dict[str, dict[str, Any]] = field(default_factory=dict)


class S3Store(Store[S3Account]):
    """Buckets of every account, with one global bucket namespace."""

    def __init__(self) -> None:
        super().__init__(S3Account, global_=True)

    def bucket(self, name: str) -> Bucket | None:
        """The bucket called `name`, whichever account owns it."""
        for account in tuple(self._partitions.values()):  # (a copy: accounts may be added meanwhile)
            found = account.buckets.get(name)
            if found is not None:
                return found
        return None
