"""AWS::Logs::LogGroup, made through our CloudWatch Logs."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    arn,
    as_int,
    as_json,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING = ("ResourceNotFoundException",)


class LogGroupProvider(BaseProvider):
    """AWS::Logs::LogGroup. `Ref`: the log group name; `Arn` ends in `:*` as AWS's does."""

    type_name = "AWS::Logs::LogGroup"
    replaces = frozenset({"LogGroupName", "LogGroupClass"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("LogGroupName") or generated_name(ctx, max_length=512)
        params: dict[str, Any] = {"logGroupName": name}
        if properties.get("KmsKeyId"):
            params["kmsKeyId"] = properties["KmsKeyId"]
        if properties.get("LogGroupClass"):
            params["logGroupClass"] = properties["LogGroupClass"]
        tags = resource_tags(ctx, properties)
        if tags:
            params["tags"] = {t["Key"]: t["Value"] for t in tags}
        ctx.call("logs", "CreateLogGroup", params)
        self._settings(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._settings(ctx, physical_id, old, new)
        if new.get("KmsKeyId") != old.get("KmsKeyId"):
            if new.get("KmsKeyId"):
                ctx.call("logs", "AssociateKmsKey", {"logGroupName": physical_id, "kmsKeyId": new["KmsKeyId"]})
            else:
                ctx.call("logs", "DisassociateKmsKey", {"logGroupName": physical_id})
        to_set, to_remove = tag_changes(old, new)
        group_arn = arn(ctx, "logs", f"log-group:{physical_id}")
        if to_set:
            ctx.call("logs", "TagResource", {"resourceArn": group_arn, "tags": to_set})
        if to_remove:
            ctx.call("logs", "UntagResource", {"resourceArn": group_arn, "tagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def _settings(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        if new.get("RetentionInDays") != old.get("RetentionInDays"):
            if new.get("RetentionInDays"):
                ctx.call("logs", "PutRetentionPolicy",
                         {"logGroupName": name, "retentionInDays": as_int(new["RetentionInDays"])})
            else:
                ctx.call("logs", "DeleteRetentionPolicy", {"logGroupName": name})
        if new.get("DataProtectionPolicy") != old.get("DataProtectionPolicy"):
            if new.get("DataProtectionPolicy"):
                ctx.call("logs", "PutDataProtectionPolicy", {
                    "logGroupIdentifier": name, "policyDocument": as_json(new["DataProtectionPolicy"])})
            else:
                ctx.call("logs", "DeleteDataProtectionPolicy", {"logGroupIdentifier": name})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("logs", "DeleteLogGroup", {"logGroupName": physical_id}), *_MISSING)

    readable = frozenset({"LogGroupName", "RetentionInDays", "KmsKeyId", "LogGroupClass", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        groups = ctx.call("logs", "DescribeLogGroups", {"logGroupNamePrefix": physical_id}).get("logGroups", [])
        group = next((g for g in groups if g["logGroupName"] == physical_id), None)
        if group is None:
            return None
        tags = ctx.call("logs", "ListTagsForResource", {"resourceArn": arn(ctx, "logs", f"log-group:{physical_id}")})
        out = {"LogGroupName": physical_id, "LogGroupClass": group.get("logGroupClass", "STANDARD"),
               "Tags": tag_list(tags.get("tags") or {})}
        if group.get("retentionInDays"):
            out["RetentionInDays"] = group["retentionInDays"]
        if group.get("kmsKeyId"):
            out["KmsKeyId"] = group["kmsKeyId"]
        return out

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Arn": arn(ctx, "logs", f"log-group:{physical_id}:*")})
