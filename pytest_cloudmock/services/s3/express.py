"""S3 Express One Zone: directory buckets, `CreateSession`, `ListDirectoryBuckets`, `RenameObject`.

A directory bucket is named `base--<zone-id>--x-s3` and created with a
`CreateBucketConfiguration` naming its Availability Zone (or Local Zone) and
`Bucket.Type: Directory`. botocore calls `CreateSession` before each directory
bucket operation and signs with the session's credentials (`s3express`); the
session credentials we answer last five minutes on the gateway clock, as AWS's do.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from ...api import AWSError, RequestContext
from . import errors
from .common import S3Base, bucket_arn, continuation_token, continue_after
from .conditions import check_read, check_write
from .store import Bucket, timestamp

DIRECTORY_NAME = re.compile(r"^([a-z0-9][a-z0-9-]{1,61}[a-z0-9])--([a-z0-9-]+-(?:az|lz)\d+)--x-s3$")
SESSION_SECONDS = 300
MAX_DIRECTORY_BUCKETS = 1000


def is_directory_name(name: str) -> bool:
    return name.endswith("--x-s3")


def directory_location(name: str, config: dict[str, Any]) -> dict[str, str]:
    """The zone a directory bucket goes to, checked against its name (S3's rules)."""
    match = DIRECTORY_NAME.match(name)
    location = config.get("Location") or {}
    if not match or ".." in name:
        raise AWSError("InvalidBucketName", "The specified bucket is not valid.", BucketName=name)
    if (config.get("Bucket") or {}).get("Type") != "Directory" or not location.get("Name"):
        # our wording: AWS's message for a directory bucket name without its configuration
        raise errors.invalid_request("Directory buckets must be created with a Directory bucket "
                                     "configuration and a Location")
    if location["Name"] != match.group(2):
        raise AWSError("InvalidBucketName", "The specified bucket is not valid.", BucketName=name)
    return {"Type": location.get("Type", "AvailabilityZone"), "Name": location["Name"]}


class ExpressOps(S3Base):
    """CreateSession, ListDirectoryBuckets, RenameObject."""

    def directory_bucket(self, ctx: RequestContext) -> Bucket:
        bucket = self.bucket(ctx)
        if bucket.directory is None:
            # our wording: AWS's message for a directory-bucket operation on a general one
            raise errors.invalid_request(f"This operation is only supported for directory buckets: "
                                         f"{bucket.name}")
        return bucket

    def create_session(self, ctx: RequestContext) -> dict[str, Any]:
        """Session credentials for a directory bucket.

        Against a custom endpoint botocore asks for a session before *every* directory
        bucket call, CreateBucket included, so a well-formed directory bucket name
        that does not exist yet gets a session too (AWS would answer NoSuchBucket,
        but AWS's control endpoint never asks)."""
        params = ctx.params
        name = params.get("Bucket", "")
        if self.store.bucket(name) is None and DIRECTORY_NAME.match(name):
            bucket = Bucket(name=name, region=ctx.region, account_id=ctx.account_id,
                            created=timestamp(ctx.clock))
        else:
            bucket = self.directory_bucket(ctx)
        mode = params.get("SessionMode") or "ReadWrite"
        if mode not in ("ReadWrite", "ReadOnly"):
            raise errors.invalid_argument("Invalid session mode", "x-amz-create-session-mode", mode)
        algorithm = params.get("ServerSideEncryption")
        default = bucket.configs.get("ServerSideEncryptionConfiguration", {}).get("Rules") or [{}]
        default_algorithm = default[0].get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "AES256")
        out: dict[str, Any] = {
            "ServerSideEncryption": algorithm or default_algorithm,
            "Credentials": {
                "AccessKeyId": "ASIA" + secrets.token_hex(8).upper(),
                "SecretAccessKey": secrets.token_urlsafe(30),
                "SessionToken": secrets.token_urlsafe(48),
                "Expiration": timestamp(ctx.clock) + timedelta(seconds=SESSION_SECONDS),
            },
        }
        for member in ("SSEKMSKeyId", "SSEKMSEncryptionContext", "BucketKeyEnabled"):
            if params.get(member) is not None:
                out[member] = params[member]
        return out

    def list_directory_buckets(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        limit = params.get("MaxDirectoryBuckets") or MAX_DIRECTORY_BUCKETS
        listing = f"ListDirectoryBuckets:{ctx.account_id}"
        after = continue_after(params["ContinuationToken"], listing) if params.get("ContinuationToken") else ""
        buckets = dict(self.account(ctx).buckets)
        names = sorted(n for n, b in buckets.items() if b.directory is not None and n > after)
        chosen = names[:limit]
        out: dict[str, Any] = {"Buckets": [
            {"Name": n, "CreationDate": buckets[n].created, "BucketRegion": buckets[n].region,
             "BucketArn": f"arn:{ctx.partition}:s3express:{buckets[n].region}:{ctx.account_id}:bucket/{n}"}
            for n in chosen
        ]}
        if len(names) > limit:
            out["ContinuationToken"] = continuation_token(chosen[-1], listing)
        return out

    def rename_object(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        bucket = self.directory_bucket(ctx)
        source_key = unquote(params["RenameSource"]).lstrip("/")
        if source_key.startswith(bucket.name + "/"):
            source_key = source_key[len(bucket.name) + 1:]
        key = params["Key"]
        with self.store.lock:
            source = self.current(bucket, source_key)
            check_read(source, {"CopySource" + k.removeprefix("Source"): v for k, v in params.items()
                                if k.startswith("SourceIf")}, prefix="CopySource")
            destination = {k.removeprefix("Destination"): v for k, v in params.items()
                           if k.startswith("DestinationIf")}
            check_write(bucket.latest(key), destination, key)
            if source_key != key:
                moved = bucket.remove(source_key, source.version_id)
                assert moved is not None
                moved.key = key
                moved.last_modified = timestamp(ctx.clock)
                bucket.add(moved)
        return {}


def directory_arn(bucket: Bucket, partition: str) -> str:
    """The `BucketArn` of a bucket: `s3express` for directory buckets."""
    if bucket.directory is None:
        return bucket_arn(bucket.name, partition)
    return f"arn:{partition}:s3express:{bucket.region}:{bucket.account_id}:bucket/{bucket.name}"
