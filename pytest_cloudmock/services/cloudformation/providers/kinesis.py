"""AWS::Kinesis::Stream, made through our Kinesis."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_int,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
)

_MISSING = ("ResourceNotFoundException",)
_DEFAULT_RETENTION = 24


class StreamProvider(BaseProvider):
    """AWS::Kinesis::Stream. `Ref`: the stream name."""

    type_name = "AWS::Kinesis::Stream"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("Name") or generated_name(ctx, max_length=128)
        mode = (properties.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        params: dict[str, Any] = {"StreamName": name, "StreamModeDetails": {"StreamMode": mode}}
        if mode == "PROVISIONED":
            params["ShardCount"] = as_int(properties.get("ShardCount")) or 1
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = {t["Key"]: t["Value"] for t in tags}
        ctx.call("kinesis", "CreateStream", params)
        self._settings(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        stream_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        old_mode = (old.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        mode = (new.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        if mode != old_mode:
            ctx.call("kinesis", "UpdateStreamMode", {"StreamARN": stream_arn, "StreamModeDetails": {"StreamMode": mode}})
        if mode == "PROVISIONED" and as_int(new.get("ShardCount")) != as_int(old.get("ShardCount")):
            ctx.call("kinesis", "UpdateShardCount", {"StreamName": physical_id, "ScalingType": "UNIFORM_SCALING",
                                                     "TargetShardCount": as_int(new.get("ShardCount")) or 1})
        self._settings(ctx, physical_id, old, new)
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("kinesis", "AddTagsToStream", {"StreamName": physical_id, "Tags": to_set})
        if to_remove:
            ctx.call("kinesis", "RemoveTagsFromStream", {"StreamName": physical_id, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def _settings(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        before = as_int(old.get("RetentionPeriodHours")) or _DEFAULT_RETENTION
        after = as_int(new.get("RetentionPeriodHours")) or _DEFAULT_RETENTION
        if after > before:
            ctx.call("kinesis", "IncreaseStreamRetentionPeriod", {"StreamName": name, "RetentionPeriodHours": after})
        elif after < before:
            ctx.call("kinesis", "DecreaseStreamRetentionPeriod", {"StreamName": name, "RetentionPeriodHours": after})
        encryption, old_encryption = new.get("StreamEncryption"), old.get("StreamEncryption")
        if encryption != old_encryption:
            if old_encryption:
                ctx.call("kinesis", "StopStreamEncryption", {"StreamName": name, **old_encryption})
            if encryption:
                ctx.call("kinesis", "StartStreamEncryption", {"StreamName": name, **encryption})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("kinesis", "DeleteStream", {"StreamName": physical_id,
                                                                    "EnforceConsumerDeletion": True}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("kinesis", "DescribeStreamSummary", {"StreamName": physical_id})
        return Created(physical_id, {"Arn": found["StreamDescriptionSummary"]["StreamARN"]})
