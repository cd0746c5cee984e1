"""What every S3 operation group shares: the store, bucket and object lookup, ARNs."""

from __future__ import annotations

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token
from . import errors
from .store import Bucket, ObjectVersion, S3Account, S3Store


def bucket_arn(name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:s3:::{name}"


def version_out(bucket: Bucket, version_id: str) -> str | None:
    """The `VersionId` to answer: none for a bucket that never had versioning."""
    return version_id if bucket.versioning is not None or version_id != "null" else None


class S3Base:
    """Base of the S3 operation mixins: lookups that raise S3's errors."""

    store: S3Store

    def account(self, ctx: RequestContext) -> S3Account:
        return self.store.for_ctx(ctx)

    def bucket(self, ctx: RequestContext, name: str | None = None) -> Bucket:
        """The request's bucket (`Bucket` param), or `NoSuchBucket`."""
        name = name if name is not None else ctx.params.get("Bucket", "")
        found = self.store.bucket(name)
        if found is None:
            raise errors.no_such_bucket(name)
        expected = ctx.params.get("ExpectedBucketOwner")
        if expected is not None and expected != found.account_id:
            raise errors.access_denied()
        return found

    def owned_bucket(self, ctx: RequestContext) -> Bucket:
        """The request's bucket if the caller's account owns it (else `AccessDenied`)."""
        bucket = self.bucket(ctx)
        if bucket.account_id != ctx.account_id:
            raise errors.access_denied()
        return bucket

    def current(self, bucket: Bucket, key: str, version_id: str | None = None) -> ObjectVersion:
        """An object to read: the current version, or the one asked for.

        A current delete marker is `NoSuchKey` (with `x-amz-delete-marker`); a
        version id naming a delete marker is `MethodNotAllowed`, as in S3.
        """
        if version_id:
            found = bucket.version(key, version_id)
            if found is None:
                if version_id != "null" and not _well_formed_version(version_id):
                    raise errors.invalid_argument("Invalid version id specified", "versionId", version_id)
                raise errors.no_such_version(key, version_id)
            if found.delete_marker:
                err = errors.method_not_allowed("GET", "DeleteMarker")
                err.headers.update({"x-amz-delete-marker": "true", "x-amz-version-id": version_id})
                raise err
            return found
        found = bucket.latest(key)
        if found is None:
            raise errors.no_such_key(key)
        if found.delete_marker:
            err = errors.no_such_key(key)
            err.headers["x-amz-delete-marker"] = "true"
            if bucket.versioning is not None:
                err.headers["x-amz-version-id"] = found.version_id
            raise err
        return found


def _well_formed_version(version_id: str) -> bool:
    return len(version_id) == 32 and all(c.isalnum() or c in "-_" for c in version_id)


def continuation_token(last: str, listing: str) -> str:
    """An opaque `ContinuationToken` for a listing (`listing` names it) that ended at key `last`."""
    return encode_token(last, listing)


def continue_after(token: str, listing: str) -> str:
    """The key a `ContinuationToken` of this listing resumes after; S3's error if it is not one."""
    def bad() -> AWSError:
        return AWSError("InvalidArgument", "The continuation token provided is incorrect",
                        ArgumentName="continuation-token", ArgumentValue=token)

    after = decode_token(token, bad, listing)
    if not isinstance(after, str):
        raise bad()
    return after
