"""AWS::Events::Rule and AWS::Events::EventBus, made through our EventBridge."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_json,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING = ("ResourceNotFoundException",)
_DEFAULT_BUS = "default"


def _bus_name(properties: dict[str, Any]) -> str:
    """The bus a rule is on (a bus ARN names it by its last path segment)."""
    bus = properties.get("EventBusName") or _DEFAULT_BUS
    return bus.rsplit("/", 1)[-1] if bus.startswith("arn:") else bus


def _rule_ref(name: str, bus: str) -> str:
    """`Ref` of a rule: its name, or `bus|name` on a custom bus (as the reference page says)."""
    return name if bus == _DEFAULT_BUS else f"{bus}|{name}"


def _split_ref(physical_id: str) -> tuple[str, str]:
    bus, _, name = physical_id.rpartition("|")
    return bus or _DEFAULT_BUS, name


class RuleProvider(BaseProvider):
    """AWS::Events::Rule: the rule and its `Targets` (PutTargets/RemoveTargets on update)."""

    type_name = "AWS::Events::Rule"
    replaces = frozenset({"Name", "EventBusName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("Name") or generated_name(ctx, max_length=64)
        bus = _bus_name(properties)
        params = self._rule_params(name, bus, properties)
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("events", "PutRule", params)
        if properties.get("Targets"):
            ctx.call("events", "PutTargets", {"Rule": name, "EventBusName": bus, "Targets": properties["Targets"]})
        return self.describe(ctx, _rule_ref(name, bus), properties)

    @staticmethod
    def _rule_params(name: str, bus: str, properties: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"Name": name, "EventBusName": bus, "State": properties.get("State") or "ENABLED"}
        for key in ("Description", "ScheduleExpression", "RoleArn"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("EventPattern"):
            params["EventPattern"] = as_json(properties["EventPattern"])
        return params

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        bus, name = _split_ref(physical_id)
        ctx.call("events", "PutRule", self._rule_params(name, bus, new))
        after = {t["Id"] for t in new.get("Targets") or []}
        gone = [t["Id"] for t in old.get("Targets") or [] if t["Id"] not in after]
        if gone:
            ctx.call("events", "RemoveTargets", {"Rule": name, "EventBusName": bus, "Ids": gone})
        if new.get("Targets") and new.get("Targets") != old.get("Targets"):
            ctx.call("events", "PutTargets", {"Rule": name, "EventBusName": bus, "Targets": new["Targets"]})
        rule_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("events", "TagResource", {"ResourceARN": rule_arn,
                                               "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("events", "UntagResource", {"ResourceARN": rule_arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        bus, name = _split_ref(physical_id)

        def remove() -> None:
            targets = ctx.call("events", "ListTargetsByRule", {"Rule": name, "EventBusName": bus})["Targets"]
            if targets:
                ctx.call("events", "RemoveTargets",
                         {"Rule": name, "EventBusName": bus, "Ids": [t["Id"] for t in targets]})
            ctx.call("events", "DeleteRule", {"Name": name, "EventBusName": bus})

        ignore_missing(remove, *_MISSING)

    readable = frozenset({"Name", "Description", "EventPattern", "ScheduleExpression", "State", "RoleArn",
                          "Targets", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        bus, name = _split_ref(physical_id)
        rule = read_or_gone(lambda: ctx.call("events", "DescribeRule", {"Name": name, "EventBusName": bus}),
                            *_MISSING)
        if rule is None:
            return None
        targets = ctx.call("events", "ListTargetsByRule", {"Rule": name, "EventBusName": bus}).get("Targets", [])
        tags = ctx.call("events", "ListTagsForResource", {"ResourceARN": rule["Arn"]}).get("Tags", [])
        out = {key: rule[key] for key in ("Name", "Description", "EventPattern", "ScheduleExpression", "State",
                                           "RoleArn") if rule.get(key)}
        return {**out, "Targets": targets, "Tags": tag_list(tags)}

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        bus, name = _split_ref(physical_id)
        found = ctx.call("events", "DescribeRule", {"Name": name, "EventBusName": bus})
        return Created(physical_id, {"Arn": found["Arn"]})


class EventBusProvider(BaseProvider):
    """AWS::Events::EventBus. `Ref`: the bus name."""

    type_name = "AWS::Events::EventBus"
    replaces = frozenset({"Name", "EventSourceName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties["Name"]
        params: dict[str, Any] = {"Name": name}
        for key in ("EventSourceName", "Description", "KmsKeyIdentifier", "DeadLetterConfig"):
            if properties.get(key):
                params[key] = properties[key]
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("events", "CreateEventBus", params)
        if properties.get("Policy"):
            ctx.call("events", "PutPermission", {"EventBusName": name, "Policy": as_json(properties["Policy"])})
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        changes = {k: new.get(k) for k in ("Description", "KmsKeyIdentifier", "DeadLetterConfig")
                   if new.get(k) != old.get(k)}
        if changes:
            ctx.call("events", "UpdateEventBus", {"Name": physical_id, **{k: v for k, v in changes.items() if v}})
        if new.get("Policy") != old.get("Policy"):
            if new.get("Policy"):
                ctx.call("events", "PutPermission", {"EventBusName": physical_id, "Policy": as_json(new["Policy"])})
            else:
                ctx.call("events", "RemovePermission", {"EventBusName": physical_id, "RemoveAllPermissions": True})
        bus_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("events", "TagResource", {"ResourceARN": bus_arn,
                                               "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("events", "UntagResource", {"ResourceARN": bus_arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("events", "DeleteEventBus", {"Name": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("events", "DescribeEventBus", {"Name": physical_id})
        attributes = {"Arn": found["Arn"], "Name": found["Name"]}
        if found.get("Policy"):
            attributes["Policy"] = found["Policy"]
        return Created(physical_id, attributes)
