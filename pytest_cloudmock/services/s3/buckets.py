"""Bucket operations: create (names, location rules), head, list, delete, location."""

from __future__ import annotations

import ipaddress
import re
from functools import cache
from typing import Any

import botocore.session

from ...api import AWSError, RequestContext
from .acl import acl_from_params, owner
from .common import S3Base, bucket_arn, continuation_token, continue_after
from .express import directory_arn, directory_location, is_directory_name
from .store import Bucket, timestamp

_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
US_EAST_1 = "us-east-1"
LEGACY_LOCATIONS = {"EU": "eu-west-1"}
DEFAULT_PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def valid_bucket_name(name: str) -> bool:
    """S3's general-purpose bucket naming rules."""
    if not _NAME.match(name) or ".." in name or ".-" in name or "-." in name:
        return False
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        return False
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        return True
    return False


@cache
def known_regions() -> frozenset[str]:
    """Every region botocore knows S3 in (all partitions): the valid location constraints."""
    session = botocore.session.get_session()
    return frozenset(region for partition in session.get_available_partitions()
                     for region in session.get_available_regions("s3", partition))


def _location(ctx: RequestContext) -> str:
    """The region a CreateBucket request puts its bucket in, per S3's location rules.

    A request to us-east-1 (the global endpoint) may create a bucket in any region
    (AWS's CreateBucket reference says so); a regional endpoint only in its own. An
    unknown region or an explicit `us-east-1` is `InvalidLocationConstraint`.
    """
    config = ctx.params.get("CreateBucketConfiguration") or {}
    constraint = config.get("LocationConstraint")
    if constraint is None:
        if ctx.region != US_EAST_1:
            raise AWSError(
                "IllegalLocationConstraintException",
                "The unspecified location constraint is incompatible for the region specific "
                "endpoint this request was sent to.",
            )
        return US_EAST_1
    region = LEGACY_LOCATIONS.get(constraint, constraint)
    if constraint == US_EAST_1 or region not in known_regions():
        raise AWSError(
            "InvalidLocationConstraint", "The specified location-constraint is not valid",
            LocationConstraint=constraint,
        )
    if region != ctx.region and ctx.region != US_EAST_1:
        raise AWSError(
            "IllegalLocationConstraintException",
            f"The {constraint} location constraint is incompatible for the region specific "
            "endpoint this request was sent to.",
        )
    return region


def check_namespace(ctx: RequestContext, name: str, region: str) -> None:
    """The account regional namespace: `<prefix>-<account>-<region>-an` names, and only there.

    AWS documents the rule, not the message; `InvalidBucketName` with ours.
    """
    suffix = f"-{ctx.account_id}-{region}-an"
    if ctx.params.get("BucketNamespace") == "account-regional":
        if not name.endswith(suffix) or len(name) == len(suffix):
            raise AWSError("InvalidBucketName", "The specified bucket is not valid. Buckets in the "
                           f"account regional namespace must end with {suffix}", BucketName=name)
    elif name.endswith("-an") and re.search(r"-\d{12}-[a-z0-9-]+-an$", name):
        raise AWSError("InvalidBucketName", "The specified bucket is not valid. Only buckets in the "
                       "account regional namespace may end with -an", BucketName=name)


class BucketOps(S3Base):
    """CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation."""

    def create_bucket(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        name = params["Bucket"]
        config = params.get("CreateBucketConfiguration") or {}
        directory = directory_location(name, config) if is_directory_name(name) else None
        if directory is None and not valid_bucket_name(name):
            raise AWSError("InvalidBucketName", "The specified bucket is not valid.", BucketName=name)
        region = ctx.region if directory is not None else _location(ctx)
        if directory is None:
            check_namespace(ctx, name, region)
        acl = acl_from_params(params, ctx.account_id)
        with self.store.lock:
            existing = self.store.bucket(name)
            if existing is not None:
                if existing.account_id != ctx.account_id:
                    raise AWSError(
                        "BucketAlreadyExists",
                        "The requested bucket name is not available. The bucket namespace is "
                        "shared by all users of the system. Please select a different name and "
                        "try again.",
                        409,
                        BucketName=name,
                    )
                if region != US_EAST_1:
                    raise AWSError(
                        "BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you "
                        "already own it.",
                        409,
                        BucketName=name,
                    )
                existing.acl = acl  # us-east-1 answers 200 and resets the ACL (legacy)
                return {"Location": f"/{name}", "BucketArn": bucket_arn(name, ctx.partition)}
            bucket = Bucket(name=name, region=region, account_id=ctx.account_id, acl=acl,
                            created=timestamp(ctx.clock), directory=directory)
            bucket.configs["OwnershipControls"] = {
                "Rules": [{"ObjectOwnership": params.get("ObjectOwnership", "BucketOwnerEnforced")}]
            }
            bucket.configs["PublicAccessBlockConfiguration"] = dict(DEFAULT_PUBLIC_ACCESS_BLOCK)
            if params.get("ObjectLockEnabledForBucket"):
                bucket.object_lock = True
                bucket.versioning = "Enabled"
            self.account(ctx).buckets[name] = bucket
        location = f"/{name}" if region == US_EAST_1 else f"http://{name}.s3.amazonaws.com/"
        return {"Location": location, "BucketArn": directory_arn(bucket, ctx.partition)}

    def delete_bucket(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            if not bucket.is_empty():
                versioned = bucket.versioning is not None
                raise AWSError(
                    "BucketNotEmpty",
                    "The bucket you tried to delete is not empty"
                    + (". You must delete all versions in the bucket." if versioned else ""),
                    409,
                    BucketName=bucket.name,
                )
            del self.store.get(bucket.account_id).buckets[bucket.name]
        return {}

    def head_bucket(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.bucket(ctx)
        out: dict[str, Any] = {"BucketRegion": bucket.region, "AccessPointAlias": False,
                               "BucketArn": directory_arn(bucket, ctx.partition)}
        if bucket.directory is not None:
            out.update(BucketLocationType=bucket.directory["Type"], BucketLocationName=bucket.directory["Name"])
        return out

    def get_bucket_location(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.bucket(ctx)
        return {"LocationConstraint": None if bucket.region == US_EAST_1 else bucket.region}

    def list_buckets(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        prefix = params.get("Prefix", "")
        region = params.get("BucketRegion")
        limit = params.get("MaxBuckets")
        listing = f"ListBuckets:{ctx.account_id}"
        after = continue_after(params["ContinuationToken"], listing) if params.get("ContinuationToken") else ""
        names = sorted(
            b.name for b in list(self.account(ctx).buckets.values())
            if b.directory is None and b.name.startswith(prefix) and (region is None or b.region == region) and b.name > after
        )
        buckets = self.account(ctx).buckets
        chosen = names[:limit] if limit else names
        out: dict[str, Any] = {
            "Buckets": [
                {"Name": n, "CreationDate": buckets[n].created, "BucketRegion": buckets[n].region,
                 "BucketArn": bucket_arn(n, ctx.partition)}
                for n in chosen if n in buckets
            ],
            "Owner": owner(ctx.account_id),
        }
        if params.get("Prefix") is not None:
            out["Prefix"] = prefix
        if limit and len(names) > limit:
            out["ContinuationToken"] = continuation_token(chosen[-1], listing)
        return out


