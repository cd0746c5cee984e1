"""AWS::KMS::Key and AWS::KMS::Alias, made through our KMS."""

from __future__ import annotations

from typing import Any

from ....api import AWSError
from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    as_json,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
)

_MISSING = ("NotFoundException",)
#: Properties whose change fails the update instead of replacing the key (the reference page says so).
IMMUTABLE = ("KeySpec", "KeyUsage", "Origin", "MultiRegion")


def _default_policy(ctx: ProviderContext) -> dict[str, Any]:
    """The key policy CloudFormation documents for a key whose template gives none: the account root."""
    return {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
        "Sid": "Enable IAM User Permissions", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ctx.account_id}:root"}, "Action": "kms:*", "Resource": "*"}]}


class KeyProvider(BaseProvider):
    """AWS::KMS::Key. `Ref`: the key id."""

    type_name = "AWS::KMS::Key"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params: dict[str, Any] = {"Policy": as_json(properties.get("KeyPolicy") or _default_policy(ctx))}
        for key in ("Description", "KeyUsage", "KeySpec", "Origin"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("MultiRegion") is not None:
            params["MultiRegion"] = as_bool(properties["MultiRegion"])
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags]
        key_id = ctx.call("kms", "CreateKey", params)["KeyMetadata"]["KeyId"]
        self._state(ctx, key_id, {}, properties)
        return self.describe(ctx, key_id, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        frozen = [k for k in IMMUTABLE if new.get(k) != old.get(k)]
        if frozen:
            # AWS's reference page: such an update fails (it never replaces a key). Its exact text is ours.
            raise AWSError("InvalidRequest", f"You cannot change the {frozen[0]} property of an existing KMS key "
                                             f"({physical_id}); the update fails so that the key is not deleted.", 400)
        if new.get("Description") != old.get("Description"):
            ctx.call("kms", "UpdateKeyDescription", {"KeyId": physical_id, "Description": new.get("Description") or ""})
        if new.get("KeyPolicy") != old.get("KeyPolicy"):
            ctx.call("kms", "PutKeyPolicy", {"KeyId": physical_id, "PolicyName": "default",
                                             "Policy": as_json(new.get("KeyPolicy") or _default_policy(ctx))})
        self._state(ctx, physical_id, old, new)
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("kms", "TagResource", {"KeyId": physical_id,
                                            "Tags": [{"TagKey": k, "TagValue": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("kms", "UntagResource", {"KeyId": physical_id, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def _state(self, ctx: ProviderContext, key_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Enabled state and rotation; rotation changes only while the key is enabled (KMS's rule)."""
        enabled, was = as_bool(new.get("Enabled", True)), as_bool(old.get("Enabled", True))
        if enabled and not was:
            ctx.call("kms", "EnableKey", {"KeyId": key_id})
        rotation, rotated = as_bool(new.get("EnableKeyRotation", False)), as_bool(old.get("EnableKeyRotation", False))
        period = as_int(new.get("RotationPeriodInDays"))
        if rotation and (not rotated or period != as_int(old.get("RotationPeriodInDays"))):
            ctx.call("kms", "EnableKeyRotation", {"KeyId": key_id, **({"RotationPeriodInDays": period} if period else {})})
        elif rotated and not rotation:
            ctx.call("kms", "DisableKeyRotation", {"KeyId": key_id})
        if not enabled and (was or not old):
            ctx.call("kms", "DisableKey", {"KeyId": key_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        days = as_int(properties.get("PendingWindowInDays")) or 30
        ignore_missing(lambda: ctx.call("kms", "ScheduleKeyDeletion",
                                        {"KeyId": physical_id, "PendingWindowInDays": days}),
                       *_MISSING, "KMSInvalidStateException")

    readable = frozenset({"Description", "Enabled", "KeyUsage", "KeySpec", "MultiRegion", "KeyPolicy",
                          "EnableKeyRotation", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("kms", "DescribeKey", {"KeyId": physical_id}), *_MISSING)
        if found is None or found["KeyMetadata"].get("KeyState") == "PendingDeletion":
            return None
        meta = found["KeyMetadata"]
        policy = ctx.call("kms", "GetKeyPolicy", {"KeyId": physical_id, "PolicyName": "default"}).get("Policy")
        rotation = read_or_gone(lambda: ctx.call("kms", "GetKeyRotationStatus", {"KeyId": physical_id}),
                                "UnsupportedOperationException")
        tags = ctx.call("kms", "ListResourceTags", {"KeyId": physical_id}).get("Tags", [])
        return {"Description": meta.get("Description", ""), "Enabled": meta.get("Enabled", False),
                "KeyUsage": meta.get("KeyUsage"), "KeySpec": meta.get("KeySpec"),
                "MultiRegion": meta.get("MultiRegion", False), "KeyPolicy": policy,
                "EnableKeyRotation": bool((rotation or {}).get("KeyRotationEnabled")),
                "Tags": [{"Key": t["TagKey"], "Value": t["TagValue"]} for t in tags]}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        metadata = ctx.call("kms", "DescribeKey", {"KeyId": physical_id})["KeyMetadata"]
        return Created(physical_id, {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]})


class AliasProvider(BaseProvider):
    """AWS::KMS::Alias. `Ref`: the alias name (`alias/...`)."""

    type_name = "AWS::KMS::Alias"
    replaces = frozenset({"AliasName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        ctx.call("kms", "CreateAlias", {"AliasName": properties["AliasName"], "TargetKeyId": properties["TargetKeyId"]})
        return Created(properties["AliasName"])

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("kms", "UpdateAlias", {"AliasName": physical_id, "TargetKeyId": new["TargetKeyId"]})
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("kms", "DeleteAlias", {"AliasName": physical_id}), *_MISSING)
