"""SES v1 email receiving configuration, stored: receipt rule sets (ordered rules, one active
set), receipt rules, and IP address filters. No mail is received: nothing runs the rules."""

from __future__ import annotations

import copy
import re
from typing import Any

from ...api import AWSError, RequestContext
from .base import SesBase
from .errors import already_exists, invalid_parameter, rule_not_found, rule_set_not_found
from .state import ReceiptRuleSet

_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$")
MAX_FILTERS = 100


def _check_name(name: str, what: str) -> None:
    if not _NAME.match(name):
        raise invalid_parameter(f"Invalid {what} name <{name}>: use ASCII letters, numbers, underscores, periods or "
                                "dashes, starting and ending with a letter or number, at most 64 characters.")  # AWS's text unknown


class ReceiptOperations(SesBase):
    def _rule_set(self, ctx: RequestContext, name: str | None = None) -> ReceiptRuleSet:
        name = name if name is not None else ctx.params["RuleSetName"]
        found = self.state(ctx).rule_sets.get(name)
        if found is None:
            raise rule_set_not_found(name)
        return found

    @staticmethod
    def _index(rule_set: ReceiptRuleSet, name: str) -> int:
        for i, rule in enumerate(rule_set.rules):
            if rule["Name"] == name:
                return i
        raise rule_not_found(name)

    # -- rule sets ----------------------------------------------------------------------------
    def create_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["RuleSetName"]
        _check_name(name, "rule set")
        with self.store.lock:
            sets = self.state(ctx).rule_sets
            if name in sets:
                raise already_exists("Rule set", name)
            sets[name] = ReceiptRuleSet(name=name, created=ctx.clock.utcnow())
        return {}

    def clone_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["RuleSetName"]
        _check_name(name, "rule set")
        with self.store.lock:
            original = self._rule_set(ctx, ctx.params["OriginalRuleSetName"])
            sets = self.state(ctx).rule_sets
            if name in sets:
                raise already_exists("Rule set", name)
            sets[name] = ReceiptRuleSet(name=name, created=ctx.clock.utcnow(), rules=copy.deepcopy(original.rules))
        return {}

    def delete_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["RuleSetName"]
        with self.store.lock:
            state = self.state(ctx)
            if state.active_rule_set == name:
                raise AWSError("CannotDelete", f"Cannot delete active rule set: {name}", 400, Name=name)
            state.rule_sets.pop(name, None)
        return {}

    def describe_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self._describe(self._rule_set(ctx))

    @staticmethod
    def _describe(rule_set: ReceiptRuleSet) -> dict[str, Any]:
        return {"Metadata": {"Name": rule_set.name, "CreatedTimestamp": rule_set.created},
                "Rules": copy.deepcopy(rule_set.rules)}

    def list_receipt_rule_sets(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = sorted(self.state(ctx).rule_sets.values(), key=lambda r: r.name)
        page, token = self.page(ctx, items)
        return {"RuleSets": [{"Name": r.name, "CreatedTimestamp": r.created} for r in page], **token}

    def set_active_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("RuleSetName")
        with self.store.lock:
            if name:
                self._rule_set(ctx, name)
            self.state(ctx).active_rule_set = name or None
        return {}

    def describe_active_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            active = state.rule_sets.get(state.active_rule_set or "")
            return self._describe(active) if active else {}

    def reorder_receipt_rule_set(self, ctx: RequestContext) -> dict[str, Any]:
        names = ctx.params["RuleNames"]
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            by_name = {r["Name"]: r for r in rule_set.rules}
            for name in names:
                if name not in by_name:
                    raise rule_not_found(name)
            if len(set(names)) != len(names) or set(names) != set(by_name):
                raise invalid_parameter("RuleNames must name every rule of the rule set exactly once.")  # AWS's text unknown
            rule_set.rules = [by_name[n] for n in names]
        return {}

    # -- rules ----------------------------------------------------------------------------------
    def create_receipt_rule(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self._rule(ctx)
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            if any(r["Name"] == rule["Name"] for r in rule_set.rules):
                raise already_exists("Rule", rule["Name"])
            after = ctx.params.get("After")
            position = self._index(rule_set, after) + 1 if after else 0
            rule_set.rules.insert(position, rule)
        return {}

    def _rule(self, ctx: RequestContext) -> dict[str, Any]:
        rule = copy.deepcopy(ctx.params["Rule"])
        _check_name(rule["Name"], "rule")
        rule.setdefault("Enabled", False)
        rule.setdefault("TlsPolicy", "Optional")
        rule.setdefault("ScanEnabled", False)
        for action in rule.get("Actions", []):
            s3 = action.get("S3Action")
            if s3 and ctx.registry is not None and ctx.registry.get("s3") is not None:
                try:
                    ctx.registry.call("s3", "HeadBucket", {"Bucket": s3["BucketName"]},
                                      account_id=ctx.account_id, region=ctx.region, caller=ctx)
                except AWSError:
                    raise AWSError("InvalidS3Configuration", f"Could not write to bucket: {s3['BucketName']}", 400,
                                   Bucket=s3["BucketName"]) from None  # AWS's text unknown
        return rule

    def update_receipt_rule(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self._rule(ctx)
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            rule_set.rules[self._index(rule_set, rule["Name"])] = rule
        return {}

    def delete_receipt_rule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            rule_set.rules = [r for r in rule_set.rules if r["Name"] != ctx.params["RuleName"]]
        return {}

    def describe_receipt_rule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            return {"Rule": copy.deepcopy(rule_set.rules[self._index(rule_set, ctx.params["RuleName"])])}

    def set_receipt_rule_position(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rule_set = self._rule_set(ctx)
            index = self._index(rule_set, ctx.params["RuleName"])
            after = ctx.params.get("After")
            if after:
                self._index(rule_set, after)  # an unknown After changes nothing
                if after == ctx.params["RuleName"]:
                    return {}
            rule = rule_set.rules.pop(index)
            rule_set.rules.insert(self._index(rule_set, after) + 1 if after else 0, rule)
        return {}

    # -- IP address filters ---------------------------------------------------------------------
    def create_receipt_filter(self, ctx: RequestContext) -> dict[str, Any]:
        flt = copy.deepcopy(ctx.params["Filter"])
        _check_name(flt["Name"], "filter")
        with self.store.lock:
            filters = self.state(ctx).receipt_filters
            if flt["Name"] in filters:
                raise already_exists("Filter", flt["Name"])
            if len(filters) >= MAX_FILTERS:
                raise AWSError("LimitExceeded", f"You can have at most {MAX_FILTERS} IP address filters.", 400)
            filters[flt["Name"]] = flt
        return {}

    def delete_receipt_filter(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).receipt_filters.pop(ctx.params["FilterName"], None)
        return {}

    def list_receipt_filters(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Filters": copy.deepcopy(list(self.state(ctx).receipt_filters.values()))}
