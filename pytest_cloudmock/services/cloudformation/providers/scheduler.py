"""AWS::Scheduler::Schedule and AWS::Scheduler::ScheduleGroup, made through our EventBridge Scheduler."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_int,
    as_timestamp,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
)

_MISSING = ("ResourceNotFoundException",)
_PASSED = ("Description", "ScheduleExpression", "ScheduleExpressionTimezone", "StartDate", "EndDate", "State",
           "Target", "KmsKeyArn", "ActionAfterCompletion")


def _schedule_params(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"Name": name, "GroupName": properties.get("GroupName") or "default"}
    params.update({k: properties[k] for k in _PASSED if properties.get(k) is not None})
    for key in ("StartDate", "EndDate"):
        if key in params:
            params[key] = as_timestamp(params[key])
    window = dict(properties["FlexibleTimeWindow"])
    if window.get("MaximumWindowInMinutes") is not None:
        window["MaximumWindowInMinutes"] = as_int(window["MaximumWindowInMinutes"])
    params["FlexibleTimeWindow"] = window
    return params


class ScheduleProvider(BaseProvider):
    """AWS::Scheduler::Schedule. `Ref`: the schedule name."""

    type_name = "AWS::Scheduler::Schedule"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("Name") or generated_name(ctx, max_length=64)
        found = ctx.call("scheduler", "CreateSchedule", _schedule_params(name, properties))
        return Created(name, {"Arn": found["ScheduleArn"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if (old.get("GroupName") or "default") != (new.get("GroupName") or "default"):
            self.delete(ctx, physical_id, old)
            return self.create(ctx, {**new, "Name": physical_id})
        found = ctx.call("scheduler", "UpdateSchedule", _schedule_params(physical_id, new))
        return Created(physical_id, {"Arn": found["ScheduleArn"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        group = properties.get("GroupName") or "default"
        ignore_missing(lambda: ctx.call("scheduler", "DeleteSchedule", {"Name": physical_id, "GroupName": group}),
                       *_MISSING)


class ScheduleGroupProvider(BaseProvider):
    """AWS::Scheduler::ScheduleGroup. `Ref`: the group name."""

    type_name = "AWS::Scheduler::ScheduleGroup"
    replaces = frozenset({"Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("Name") or generated_name(ctx, max_length=64)
        params: dict[str, Any] = {"Name": name}
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("scheduler", "CreateScheduleGroup", params)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        group_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("scheduler", "TagResource", {"ResourceArn": group_arn,
                                                  "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("scheduler", "UntagResource", {"ResourceArn": group_arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("scheduler", "DeleteScheduleGroup", {"Name": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("scheduler", "GetScheduleGroup", {"Name": physical_id})
        return Created(physical_id, {"Arn": found["Arn"], "CreationDate": found.get("CreationDate"),
                                     "LastModificationDate": found.get("LastModificationDate"),
                                     "State": found.get("State")})
