"""Replication: the bucket's `ReplicationConfiguration`, and objects copied to its destination.

A write that matches an enabled rule is marked `ReplicationStatus: PENDING` and
copied after the request's locks are released (`ctx.defer`): the replica keeps
the source's version id, data, metadata and tags, reads back `REPLICA`, and the
source turns `COMPLETED` (`FAILED` when the destination bucket is gone or no
longer versioned). Delete markers replicate when the rule's
`DeleteMarkerReplication` is `Enabled`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .common import S3Base
from .store import Bucket, ObjectVersion, S3Store

_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::(.+)$")
MAX_RULES = 1000


def not_found() -> AWSError:
    return AWSError("ReplicationConfigurationNotFoundError",
                    "The replication configuration was not found", 404)


def _destination_name(rule: dict[str, Any]) -> str:
    arn = (rule.get("Destination") or {}).get("Bucket", "")
    match = _BUCKET_ARN.match(arn)
    if not match:
        # AWS's exact wording for a malformed destination ARN is not documented
        raise errors.invalid_argument("Invalid bucket ARN.", "Destination", arn)
    return match.group(1)


def validate(store: S3Store, bucket: Bucket, config: dict[str, Any]) -> None:
    """S3's checks: versioning on both sides, a role ARN, destinations that exist, unique ids."""
    if bucket.versioning != "Enabled":
        raise errors.invalid_request(
            "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
    rules = config.get("Rules") or []
    if not rules or len(rules) > MAX_RULES:
        raise errors.malformed_xml()
    if not _ROLE_ARN.match(config.get("Role", "")):
        # AWS's exact wording for a malformed role is not documented
        raise errors.invalid_argument("Invalid ReplicationConfiguration role ARN.", "Role",
                                      config.get("Role", ""))
    ids = [r.get("ID") for r in rules if r.get("ID")]
    if len(ids) != len(set(ids)):
        raise errors.invalid_argument("Rule Id must be unique. Found same ID for more than one rule",
                                      "ID", ids[0])
    priorities = [r["Priority"] for r in rules if "Priority" in r]
    if len(priorities) != len(set(priorities)):
        raise errors.invalid_argument("Found duplicate priority", "Priority", priorities[0])
    for rule in rules:
        if rule.get("Status") not in ("Enabled", "Disabled"):
            raise errors.malformed_xml()
        if "Filter" in rule and "DeleteMarkerReplication" not in rule:
            raise errors.invalid_request("DeleteMarkerReplication must be specified for this version "
                                         "of Cross Region Replication configuration schema.")
        destination = store.bucket(_destination_name(rule))
        if destination is None:
            raise errors.invalid_request("Destination bucket must exist.")
        if destination.versioning != "Enabled":
            raise errors.invalid_request("Destination bucket must have versioning enabled.")


def _filter_parts(rule: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    if "Filter" not in rule:
        return rule.get("Prefix", ""), []
    rule_filter = rule["Filter"] or {}
    if "And" in rule_filter:
        both = rule_filter["And"] or {}
        return both.get("Prefix", ""), list(both.get("Tags") or [])
    tags = [rule_filter["Tag"]] if "Tag" in rule_filter else []
    return rule_filter.get("Prefix", ""), tags


def matching_rule(bucket: Bucket, obj: ObjectVersion) -> dict[str, Any] | None:
    """The enabled rule (highest priority first) that covers `obj`, or None."""
    config = bucket.configs.get("ReplicationConfiguration")
    if not config or bucket.versioning != "Enabled":
        return None
    rules = sorted(config.get("Rules") or [], key=lambda r: -r.get("Priority", 0))
    for rule in rules:
        if rule.get("Status") != "Enabled":
            continue
        prefix, tags = _filter_parts(rule)
        if not obj.key.startswith(prefix):
            continue
        if obj.delete_marker:
            if tags or (rule.get("DeleteMarkerReplication") or {}).get("Status") != "Enabled":
                continue
        elif any(obj.tags.get(t.get("Key")) != t.get("Value") for t in tags):
            continue
        return rule
    return None


def replicate(ctx: RequestContext, store: S3Store, bucket: Bucket, obj: ObjectVersion) -> None:
    """Mark a new version PENDING and copy it to its rule's destination after the request."""
    if obj.replication_status == "REPLICA":
        return
    rule = matching_rule(bucket, obj)
    if rule is None:
        return
    if not obj.delete_marker:
        obj.replication_status = "PENDING"
    destination = (rule.get("Destination") or {})

    def copy() -> None:
        with store.lock:
            target = store.bucket(_destination_name(rule))
            if target is None or target.versioning != "Enabled":
                obj.replication_status = None if obj.delete_marker else "FAILED"
                return
            replica = dataclasses.replace(
                obj,
                tags=dict(obj.tags),
                metadata=dict(obj.metadata),
                lock=dict(obj.lock),
                replication_status=None if obj.delete_marker else "REPLICA",
                storage_class=destination.get("StorageClass") or obj.storage_class,
            )
            target.add(replica)
            target.lifecycle_next = None  # the destination's lifecycle rules look at it at its next request
            if not obj.delete_marker:
                obj.replication_status = "COMPLETED"

    ctx.defer(copy)


class ReplicationOps(S3Base):
    """Put/Get/DeleteBucketReplication."""

    def put_bucket_replication(self, ctx: RequestContext) -> dict[str, Any]:
        config = ctx.params.get("ReplicationConfiguration") or {}
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            validate(self.store, bucket, config)
            bucket.configs["ReplicationConfiguration"] = config
        return {}

    def get_bucket_replication(self, ctx: RequestContext) -> dict[str, Any]:
        config = self.owned_bucket(ctx).configs.get("ReplicationConfiguration")
        if config is None:
            raise not_found()
        return {"ReplicationConfiguration": config}

    def delete_bucket_replication(self, ctx: RequestContext) -> dict[str, Any]:
        self.owned_bucket(ctx).configs.pop("ReplicationConfiguration", None)
        return {}
