"""Rules (event patterns and schedules) and their targets."""

from __future__ import annotations

import json
import re
from typing import Any

from ...api import RequestContext
from ...paging import offset_page, offset_page_of
from ...schedules import ScheduleError
from ...schedules import parse as parse_schedule
from . import errors
from .base import DEFAULT_BUS, EventsBase, parse_pattern, rule_arn
from .state import Rule

_RULE_NAME = re.compile(r"^[\.\-_A-Za-z0-9]{1,64}$")
MAX_TARGETS = 5
_STATES = ("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")


def describe_rule(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"Name": rule.name, "Arn": rule.arn, "State": rule.state, "EventBusName": rule.bus}
    for key, value in (("EventPattern", rule.pattern_text), ("ScheduleExpression", rule.schedule),
                       ("Description", rule.description), ("RoleArn", rule.role_arn), ("ManagedBy", rule.managed_by)):
        if value is not None:
            out[key] = value
    return out


def first_fire(schedule: str, now: Any) -> Any:
    """When a new (or re-enabled) scheduled rule fires first."""
    expression = parse_schedule(schedule)
    return expression.next_after(now, now)


class RuleOperations(EventsBase):
    def put_rule(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["Name"]
        if not _RULE_NAME.match(name):
            raise errors.invalid(f"Rule name {name} is not valid.")  # wording not documented
        schedule, pattern_text = p.get("ScheduleExpression"), p.get("EventPattern")
        if not schedule and not pattern_text:
            raise errors.invalid("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        pattern = parse_pattern(pattern_text) if pattern_text else None
        state = p.get("State", "ENABLED")
        if state not in _STATES:
            raise errors.invalid(f"Parameter State is not valid: {state}.")  # wording not documented
        now = ctx.clock.utcnow()
        if schedule:
            try:
                parse_schedule(schedule)
            except ScheduleError:
                raise errors.invalid("Parameter ScheduleExpression is not valid.") from None
        with self.store.lock:
            bus = self.bus(ctx, p.get("EventBusName"))
            if schedule and bus.name != DEFAULT_BUS:
                raise errors.invalid("ScheduleExpression is supported only on the default event bus.")
            events = self.state(ctx)
            rule = events.rules.get((bus.name, name))
            if rule is not None and rule.managed_by:
                raise errors.managed(name)
            if rule is None:
                rule = Rule(name, bus.name, rule_arn(ctx.region, ctx.account_id, bus.name, name), seq=events.created)
                events.rules[(bus.name, name)] = rule
                events.created += 1
            self.index_rule(events, rule, keep=False)
            rule.pattern, rule.pattern_text = pattern, pattern_text
            self.index_rule(events, rule, keep=True)
            if schedule != rule.schedule:
                rule.next_fire = first_fire(schedule, now) if schedule else None
            rule.schedule = schedule
            rule.state = state
            rule.description = p.get("Description")  # PutRule replaces the rule: omitted values go
            rule.role_arn = p.get("RoleArn")
            self.note_wake(events, rule, now)
            if p.get("Tags"):
                events.tags.setdefault(rule.arn, {}).update({t["Key"]: t["Value"] for t in p["Tags"]})
            return {"RuleArn": rule.arn}

    def describe_rule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            out = describe_rule(self.rule(ctx, ctx.params["Name"], ctx.params.get("EventBusName")))
        out["CreatedBy"] = ctx.account_id
        return out

    def _set_state(self, ctx: RequestContext, enabled: bool) -> dict[str, Any]:
        with self.store.lock:
            rule = self.rule(ctx, ctx.params["Name"], ctx.params.get("EventBusName"))
            now = ctx.clock.utcnow()
            if enabled and rule.state == "DISABLED" and rule.schedule:
                rule.next_fire = first_fire(rule.schedule, now)
            rule.state = "ENABLED" if enabled else "DISABLED"
            self.note_wake(self.state(ctx), rule, now)
        return {}

    def enable_rule(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_state(ctx, True)

    def disable_rule(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_state(ctx, False)

    def delete_rule(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            bus = self.bus(ctx, p.get("EventBusName"))
            state = self.state(ctx)
            rule = state.rules.get((bus.name, p["Name"]))
            if rule is None:
                return {}
            if rule.managed_by and not p.get("Force"):
                raise errors.managed(rule.name)
            if rule.targets:
                raise errors.invalid("Rule can't be deleted since it has targets.")
            del state.rules[(bus.name, rule.name)]
            self.index_rule(state, rule, keep=False)
            state.tags.pop(rule.arn, None)
        return {}

    def list_rules(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("NamePrefix", "")
        with self.store.lock:
            bus = self.bus(ctx, ctx.params.get("EventBusName"))
            state = self.state(ctx)
            rules, token = offset_page_of(lambda offset: self.bus_rules(state, bus.name, prefix, offset),
                                          ctx.params.get("NextToken"), ctx.params.get("Limit"),
                                          bad_token=errors.bad_token, scope="rules")
            page = [describe_rule(r) for r in rules]
        return {"Rules": page, **({"NextToken": token} if token else {})}

    def list_rule_names_by_target(self, ctx: RequestContext) -> dict[str, Any]:
        target = ctx.params["TargetArn"]
        with self.store.lock:
            bus = self.bus(ctx, ctx.params.get("EventBusName"))
            names = [r.name for r in self.bus_rules(self.state(ctx), bus.name)
                     if any(t["Arn"] == target for t in r.targets.values())]
        page, token = offset_page(names, ctx.params.get("NextToken"), ctx.params.get("Limit"),
                                  bad_token=errors.bad_token, scope="names-by-target")
        return {"RuleNames": page, **({"NextToken": token} if token else {})}

    # -- targets ---------------------------------------------------------------------------------
    def put_targets(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        failed = []
        with self.store.lock:
            rule = self.rule(ctx, p["Rule"], p.get("EventBusName"))
            new_ids = {t["Id"] for t in p["Targets"]} - set(rule.targets)
            if len(rule.targets) + len(new_ids) > MAX_TARGETS:
                raise errors.limit("The requested resource exceeds the maximum number allowed.")
            for target in p["Targets"]:
                problem = _target_problem(target)
                if problem:
                    failed.append({"TargetId": target["Id"], "ErrorCode": "ValidationException",
                                   "ErrorMessage": problem})
                    continue
                rule.targets[target["Id"]] = dict(target)
        return {"FailedEntryCount": len(failed), "FailedEntries": failed}

    def remove_targets(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        failed = []
        with self.store.lock:
            rule = self.rule(ctx, p["Rule"], p.get("EventBusName"))
            if rule.managed_by and not p.get("Force"):
                raise errors.managed(rule.name)
            for target_id in p["Ids"]:
                if rule.targets.pop(target_id, None) is None:
                    failed.append({"TargetId": target_id, "ErrorCode": "ResourceNotFoundException",
                                   "ErrorMessage": f"Target {target_id} does not exist."})  # not documented
        return {"FailedEntryCount": len(failed), "FailedEntries": failed}

    def list_targets_by_rule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rule = self.rule(ctx, ctx.params["Rule"], ctx.params.get("EventBusName"))
            targets = [dict(t) for t in rule.targets.values()]
        page, token = offset_page(targets, ctx.params.get("NextToken"), ctx.params.get("Limit"),
                                  bad_token=errors.bad_token, scope="targets")
        return {"Targets": page, **({"NextToken": token} if token else {})}


def _target_problem(target: dict[str, Any]) -> str | None:
    """Why EventBridge refuses a target (wording not documented by AWS), or None."""
    given = [k for k in ("Input", "InputPath", "InputTransformer") if k in target]
    if len(given) > 1:
        return "Only one of Input, InputPath, or InputTransformer can be specified."
    if "Input" in target:
        try:
            json.loads(target["Input"])
        except ValueError:
            return "Input is not valid JSON."
    transformer = target.get("InputTransformer")
    if transformer:
        for path in (transformer.get("InputPathsMap") or {}).values():
            if not str(path).startswith("$"):
                return f"Input path {path} is not a valid JSON path."
    if target.get("Arn", "").split(":")[2:3] == ["sqs"] and target["Arn"].endswith(".fifo") \
            and not (target.get("SqsParameters") or {}).get("MessageGroupId"):
        return "Parameter(s) SqsParameters must be specified for target: " + target["Id"] + "."
    return None
