"""Bucket configurations, stored as given and answered back as AWS does.

One table drives the Put/Get/Delete operations of every configuration: where
the value comes in, how Get answers it, and what Get says when it is missing
(an error, or S3's default).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .acl import acl_from_params, default_acl
from .common import S3Base
from .lifecycle import validate as check_lifecycle
from .notifications import validate_destinations
from .objectlock import check_default_retention
from .store import Bucket
from .writes import tag_set, validate_tags

MAX_BUCKET_TAGS = 50


@dataclass(frozen=True)
class ConfigKind:
    """One bucket configuration: stored under `payload` (the Put input member)."""

    payload: str
    wrap: bool = False  # Get answers {payload: value} instead of the value's members
    missing: tuple[str, str] | None = None  # (code, message) when absent, 404
    default: Callable[[Bucket], dict[str, Any]] | None = None  # answered when absent


def _default_encryption(_: Bucket) -> dict[str, Any]:
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                       "BucketKeyEnabled": False}]}


CONFIGS: dict[str, ConfigKind] = {
    "BucketPolicy": ConfigKind("Policy", missing=("NoSuchBucketPolicy", "The bucket policy does not exist")),
    "BucketCors": ConfigKind("CORSConfiguration", missing=(
        "NoSuchCORSConfiguration", "The CORS configuration does not exist")),
    "BucketLifecycleConfiguration": ConfigKind("LifecycleConfiguration", missing=(
        "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")),
    "BucketEncryption": ConfigKind("ServerSideEncryptionConfiguration", wrap=True,
                                   default=_default_encryption),
    "BucketWebsite": ConfigKind("WebsiteConfiguration", missing=(
        "NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")),
    "BucketLogging": ConfigKind("BucketLoggingStatus", default=lambda _: {}),
    "PublicAccessBlock": ConfigKind("PublicAccessBlockConfiguration", wrap=True, missing=(
        "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")),
    "BucketOwnershipControls": ConfigKind("OwnershipControls", wrap=True, missing=(
        "OwnershipControlsNotFoundError", "The bucket ownership controls were not found")),
    "BucketNotificationConfiguration": ConfigKind("NotificationConfiguration", default=lambda _: {}),
    "BucketAccelerateConfiguration": ConfigKind("AccelerateConfiguration", default=lambda _: {}),
    "BucketRequestPayment": ConfigKind("RequestPaymentConfiguration",
                                       default=lambda _: {"Payer": "BucketOwner"}),
    "ObjectLockConfiguration": ConfigKind("ObjectLockConfiguration", wrap=True, missing=(
        "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")),
}


class ConfigOps(S3Base):
    """Put/Get/Delete of bucket configurations, tagging, ACL and versioning."""

    def put_config(self, ctx: RequestContext, name: str, value: Any = None) -> dict[str, Any]:
        """Store configuration `name`: `value`, else the request's payload member."""
        kind = CONFIGS[name]
        bucket = self.owned_bucket(ctx)
        value = ctx.params.get(kind.payload) if value is None else value
        if value is None:
            raise errors.malformed_xml()
        if name == "BucketNotificationConfiguration" and not ctx.params.get("SkipDestinationValidation"):
            validate_destinations(ctx, bucket, value)
        if name == "BucketPolicy":
            _check_policy(value)
        if name == "BucketLifecycleConfiguration":
            check_lifecycle(value)
        if name == "BucketCors" and not value.get("CORSRules"):
            raise errors.malformed_xml()
        bucket.configs[kind.payload] = value
        return {}

    def get_config(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        kind = CONFIGS[name]
        bucket = self.owned_bucket(ctx)
        value = bucket.configs.get(kind.payload)
        if value is None:
            if kind.default is not None:
                value = kind.default(bucket)
            else:
                code, message = kind.missing  # type: ignore[misc]
                raise AWSError(code, message, 404, BucketName=bucket.name)
        if kind.payload == "Policy":
            return {"Policy": value}
        return {kind.payload: value} if kind.wrap else dict(value)

    def delete_config(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        self.owned_bucket(ctx).configs.pop(CONFIGS[name].payload, None)
        return {}

    # -- one method per operation, all through the table --------------------------------
    def put_bucket_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketPolicy")

    def get_bucket_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketPolicy")

    def delete_bucket_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketPolicy")

    def get_bucket_policy_status(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self.get_config(ctx, "BucketPolicy")["Policy"]
        public = '"Principal":"*"' in policy.replace(" ", "") or '"AWS":"*"' in policy.replace(" ", "")
        return {"PolicyStatus": {"IsPublic": public}}

    def put_bucket_cors(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketCors")

    def get_bucket_cors(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketCors")

    def delete_bucket_cors(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketCors")

    def put_bucket_lifecycle_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketLifecycleConfiguration")

    def get_bucket_lifecycle_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketLifecycleConfiguration")

    def delete_bucket_lifecycle(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketLifecycleConfiguration")

    # -- the deprecated forms of lifecycle and notification: same stored configuration ------
    def put_bucket_lifecycle(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketLifecycleConfiguration")

    def get_bucket_lifecycle(self, ctx: RequestContext) -> dict[str, Any]:
        rules = self.get_config(ctx, "BucketLifecycleConfiguration").get("Rules") or []
        return {"Rules": [_legacy_rule(rule) for rule in rules]}

    def put_bucket_notification(self, ctx: RequestContext) -> dict[str, Any]:
        legacy = ctx.params.get("NotificationConfiguration")
        if legacy is None:
            raise errors.malformed_xml()
        current: dict[str, Any] = {}
        for old, new, arn_key, old_arn in _LEGACY_NOTIFICATIONS:
            config = legacy.get(old)
            if config:
                events = list(config.get("Events") or ([config["Event"]] if config.get("Event") else []))
                entry = {arn_key: config.get(old_arn, ""), "Events": events}
                if config.get("Id"):
                    entry["Id"] = config["Id"]
                current[new] = [entry]
        return self.put_config(ctx, "BucketNotificationConfiguration", current)

    def get_bucket_notification(self, ctx: RequestContext) -> dict[str, Any]:
        current = self.get_config(ctx, "BucketNotificationConfiguration")
        out: dict[str, Any] = {}
        for old, new, arn_key, old_arn in _LEGACY_NOTIFICATIONS:
            if current.get(new):
                first = current[new][0]
                events = first.get("Events") or []
                out[old] = {old_arn: first.get(arn_key), "Events": events,
                            **({"Event": events[0]} if events else {}),
                            **({"Id": first["Id"]} if first.get("Id") else {})}
        return out

    def put_bucket_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketEncryption")

    def get_bucket_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketEncryption")

    def delete_bucket_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketEncryption")

    def put_bucket_website(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketWebsite")

    def get_bucket_website(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketWebsite")

    def delete_bucket_website(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketWebsite")

    def put_bucket_logging(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketLogging")

    def get_bucket_logging(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketLogging")

    def put_public_access_block(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "PublicAccessBlock")

    def get_public_access_block(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "PublicAccessBlock")

    def delete_public_access_block(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "PublicAccessBlock")

    def put_bucket_ownership_controls(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketOwnershipControls")

    def get_bucket_ownership_controls(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketOwnershipControls")

    def delete_bucket_ownership_controls(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_config(ctx, "BucketOwnershipControls")

    def put_bucket_notification_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketNotificationConfiguration")

    def get_bucket_notification_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketNotificationConfiguration")

    def put_bucket_accelerate_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketAccelerateConfiguration")

    def get_bucket_accelerate_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketAccelerateConfiguration")

    def put_bucket_request_payment(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_config(ctx, "BucketRequestPayment")

    def get_bucket_request_payment(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_config(ctx, "BucketRequestPayment")

    def put_object_lock_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        if bucket.versioning != "Enabled":
            raise AWSError("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to "
                           "apply a Object Lock configuration", 409)
        check_default_retention(ctx.params.get("ObjectLockConfiguration") or {})
        bucket.object_lock = True
        return self.put_config(ctx, "ObjectLockConfiguration")

    def get_object_lock_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        if bucket.object_lock and "ObjectLockConfiguration" not in bucket.configs:
            return {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}}
        return self.get_config(ctx, "ObjectLockConfiguration")

    # -- tagging, ACL, versioning ---------------------------------------------------------
    def put_bucket_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        tags = validate_tags((ctx.params.get("Tagging") or {}).get("TagSet") or [], MAX_BUCKET_TAGS)
        bucket.configs["Tagging"] = tags
        return {}

    def get_bucket_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        tags = bucket.configs.get("Tagging")
        if not tags:
            raise AWSError("NoSuchTagSet", "The TagSet does not exist", 404, BucketName=bucket.name)
        return {"TagSet": tag_set(tags)}

    def delete_bucket_tagging(self, ctx: RequestContext) -> dict[str, Any]:
        self.owned_bucket(ctx).configs.pop("Tagging", None)
        return {}

    def put_bucket_acl(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        acl = acl_from_params(ctx.params, ctx.account_id)
        if acl is None:
            raise errors.malformed_xml()
        ownership = bucket.configs.get("OwnershipControls", {}).get("Rules", [{}])[0]
        if ownership.get("ObjectOwnership") == "BucketOwnerEnforced" and acl["Grants"] != default_acl(
            bucket.account_id
        )["Grants"]:
            raise AWSError("AccessControlListNotSupported", "The bucket does not allow ACLs")
        bucket.acl = acl
        return {}

    def get_bucket_acl(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        return dict(bucket.acl or default_acl(bucket.account_id))

    def put_bucket_versioning(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        config = ctx.params.get("VersioningConfiguration") or {}
        status = config.get("Status")
        if status not in ("Enabled", "Suspended"):
            raise errors.malformed_xml()
        if bucket.object_lock and status == "Suspended":
            raise AWSError("InvalidBucketState", "An Object Lock configuration is present on this "
                           "bucket, so the versioning state cannot be changed.", 409)
        bucket.versioning = status
        if config.get("MFADelete"):
            bucket.mfa_delete = config["MFADelete"]
        return {}

    def get_bucket_versioning(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        out: dict[str, Any] = {}
        if bucket.versioning:
            out["Status"] = bucket.versioning
        if bucket.mfa_delete:
            out["MFADelete"] = bucket.mfa_delete
        return out


_LEGACY_NOTIFICATIONS = (
    ("TopicConfiguration", "TopicConfigurations", "TopicArn", "Topic"),
    ("QueueConfiguration", "QueueConfigurations", "QueueArn", "Queue"),
    ("CloudFunctionConfiguration", "LambdaFunctionConfigurations", "LambdaFunctionArn", "CloudFunction"),
)


def _legacy_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle rule as the deprecated `GetBucketLifecycle` shows it (a top-level Prefix)."""
    out = {k: v for k, v in rule.items() if k not in ("Filter", "Transitions", "NoncurrentVersionTransitions")}
    out.setdefault("Prefix", (rule.get("Filter") or {}).get("Prefix", ""))
    if rule.get("Transitions"):
        out["Transition"] = rule["Transitions"][0]
    if rule.get("NoncurrentVersionTransitions"):
        out["NoncurrentVersionTransition"] = rule["NoncurrentVersionTransitions"][0]
    return out


def _check_policy(policy: str) -> None:
    try:
        document = json.loads(policy)
    except ValueError:
        raise AWSError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'") from None
    if not isinstance(document, dict) or not document.get("Statement"):
        raise AWSError("MalformedPolicy", "Missing required field Statement")
