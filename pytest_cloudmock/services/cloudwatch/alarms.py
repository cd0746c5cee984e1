"""Alarm operations: Put/Describe/Delete, composite alarms, SetAlarmState, actions on and off,
history, contributors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice, takewhile
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import offset_page_of
from . import composite, errors
from .base import epoch, metric_key, shaped, stamp
from .evaluation import COMPARE, AlarmEvaluation
from .metrics import valid_period
from .state import Alarm, CloudWatchState
from .statistics import PERCENTILE
from .watching import forget, remember, unwatch, watch

TREATMENTS = ("breaching", "notBreaching", "ignore", "missing")
BAND_OPERATORS = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
                  "GreaterThanUpperThreshold")
STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
MAX_PERIOD_SPAN = 7 * 86400


class AlarmOperations(AlarmEvaluation):
    # -- metric alarms -------------------------------------------------------------------------------
    def put_metric_alarm(self, ctx: RequestContext) -> dict[str, Any]:
        p = {k: v for k, v in ctx.params.items() if k != "Tags"}
        self._check_metric_alarm(p)
        self._put(ctx, p, "MetricAlarm")
        return {}

    def _check_metric_alarm(self, p: dict[str, Any]) -> None:
        single = [k for k in ("MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period",
                              "Unit") if p.get(k) is not None]
        if p.get("Metrics") and single:
            raise errors.combination(f"The parameters Metrics and {single[0]} are mutually exclusive and you have "
                                     "specified both.")
        if not p.get("Metrics"):
            for name in ("MetricName", "Namespace", "Period"):
                if p.get(name) is None:
                    raise errors.missing(name)
            if (p.get("Statistic") is None) == (p.get("ExtendedStatistic") is None):
                if p.get("Statistic") is None:
                    raise errors.missing("Statistic")
                raise errors.combination("The parameters Statistic and ExtendedStatistic are mutually exclusive "
                                         "and you have specified both.")
            if p.get("ExtendedStatistic") and not PERCENTILE.match(p["ExtendedStatistic"]):
                raise errors.invalid_value("ExtendedStatistic", p["ExtendedStatistic"])
            if not valid_period(p["Period"]):
                raise errors.invalid("The parameter Period must be 10, 20, 30 or a multiple of 60.")
            if p["Period"] * p["EvaluationPeriods"] > MAX_PERIOD_SPAN:
                raise errors.invalid("The evaluation period multiplied by the number of evaluation periods must "
                                     "not exceed 7 days.")  # wording ours
        else:
            returned = [q for q in p["Metrics"] if q.get("ReturnData", True)
                        and q["Id"] != p.get("ThresholdMetricId")]
            if len(returned) != 1:
                raise errors.invalid("Exactly one element of the metrics list should return data.")  # wording ours
            ids = {q["Id"] for q in p["Metrics"]}
            if p.get("ThresholdMetricId") and p["ThresholdMetricId"] not in ids:
                raise errors.invalid_value("ThresholdMetricId", p["ThresholdMetricId"])
        operator = p["ComparisonOperator"]
        if operator in BAND_OPERATORS:
            if not p.get("ThresholdMetricId") or not p.get("Metrics"):
                raise errors.missing("ThresholdMetricId")
            if p.get("Threshold") is not None:
                raise errors.combination("The parameters Threshold and ThresholdMetricId are mutually exclusive "
                                         "and you have specified both.")
        elif operator in COMPARE:
            if p.get("Threshold") is None:
                raise errors.missing("Threshold")
        else:
            raise errors.invalid_value("ComparisonOperator", operator)
        needed = p.get("DatapointsToAlarm")
        if needed is not None and needed > p["EvaluationPeriods"]:
            raise errors.invalid("DatapointsToAlarm must be less than or equal to EvaluationPeriods.")  # ours
        if p.get("TreatMissingData") is not None and p["TreatMissingData"] not in TREATMENTS:
            raise errors.invalid_value("TreatMissingData", p["TreatMissingData"])

    def _put(self, ctx: RequestContext, config: dict[str, Any], kind: str) -> None:
        for key in ("AlarmActions", "OKActions", "InsufficientDataActions"):
            for arn in config.get(key) or []:
                if not arn.startswith("arn:") or len(arn.split(":")) < 6:
                    raise errors.invalid(f"Invalid arn syntax: {arn}")  # wording ours
        name, now = config["AlarmName"], ctx.clock.now()
        with self.store.lock:
            state = self.state(ctx)
            alarm = state.alarms.get(name)
            if alarm is not None and alarm.kind != kind:
                raise errors.invalid(f"An alarm named {name} of another type already exists.")  # wording ours
            if alarm is None:
                alarm = Alarm(name, self.arn(ctx, f"alarm:{name}"), kind, config, state_updated=now,
                              transitioned=now, seq=state.created)
                state.alarms[name] = alarm
                state.created += 1
                if kind == "MetricAlarm":
                    remember(state, alarm, None)
                if kind == "CompositeAlarm":
                    state.composites.add(name)
                summary = f'Alarm "{name}" created'
            else:
                unwatch(state, alarm)
                alarm.config = config
                if kind == "MetricAlarm":
                    remember(state, alarm, None)
                summary = f'Alarm "{name}" updated'
            if kind == "MetricAlarm":
                watch(state, alarm)
            alarm.config_updated = now
            alarm.actions_enabled = config.get("ActionsEnabled", True)
            self.record(state, alarm, "ConfigurationUpdate", summary, now,
                        {"version": "1.0", "type": "Create" if "created" in summary else "Update",
                         "updatedAlarm": json.loads(json.dumps(config, default=str))})
            if ctx.params.get("Tags"):
                state.tags.setdefault(alarm.arn, {}).update({t["Key"]: t["Value"] for t in ctx.params["Tags"]})
        if ctx.registry is not None:
            self.evaluate(ctx.registry, ctx.account_id, ctx.region, now, set() if kind == "CompositeAlarm"
                          else None)

    def put_composite_alarm(self, ctx: RequestContext) -> dict[str, Any]:
        p = {k: v for k, v in ctx.params.items() if k != "Tags"}
        try:
            tree = composite.parse(p["AlarmRule"])
        except composite.RuleError as exc:
            raise errors.invalid(f"Error in alarm rule: {exc}") from None  # wording ours
        with self.store.lock:
            state = self.state(ctx)
            for named in composite.alarms_named(tree):
                if self.state_of(state, named) is None:
                    raise errors.invalid(f"Could not find alarm {named} referenced in AlarmRule.")  # wording ours
                if named.split(":alarm:")[-1] == p["AlarmName"]:
                    raise errors.invalid("An alarm rule cannot refer to its own alarm.")  # wording ours
        self._put(ctx, p, "CompositeAlarm")
        return {}

    # -- reading ------------------------------------------------------------------------------------
    def describe(self, alarm: Alarm) -> dict[str, Any]:
        shape = self.model.shape_for(alarm.kind)
        out = {**alarm.config, "AlarmArn": alarm.arn, "StateValue": alarm.state, "StateReason": alarm.reason,
               "StateUpdatedTimestamp": stamp(alarm.state_updated), "ActionsEnabled": alarm.actions_enabled,
               "StateTransitionedTimestamp": stamp(alarm.transitioned),
               "AlarmConfigurationUpdatedTimestamp": stamp(alarm.config_updated)}
        for key in ("OKActions", "AlarmActions", "InsufficientDataActions"):
            out.setdefault(key, [])
        if alarm.reason_data:
            out["StateReasonData"] = alarm.reason_data
        if alarm.kind == "MetricAlarm" and not alarm.config.get("Metrics"):
            out.setdefault("Dimensions", [])
        return shaped(shape, out)

    def describe_alarms(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p.get("AlarmNames") and p.get("AlarmNamePrefix"):
            raise errors.combination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you "
                                     "have specified both.")
        if p.get("ChildrenOfAlarmName") and p.get("ParentsOfAlarmName"):
            raise errors.combination("The parameters ChildrenOfAlarmName and ParentsOfAlarmName are mutually "
                                     "exclusive and you have specified both.")
        types = p.get("AlarmTypes") or ["MetricAlarm"]
        if p.get("ChildrenOfAlarmName") or p.get("ParentsOfAlarmName"):
            types = p.get("AlarmTypes") or ["MetricAlarm", "CompositeAlarm"]
        with self.store.lock:
            state = self.state(ctx)
            chosen = self._described_alarms(state, p, types)
            page, token = offset_page_of(lambda offset: islice(chosen(), offset, None), p.get("NextToken"),
                                         p.get("MaxRecords"), bad_token=errors.bad_token, default_limit=50,
                                         scope="DescribeAlarms")
            described = [(a.kind, self.describe(a)) for a in page]
        out: dict[str, Any] = {"MetricAlarms": [d for k, d in described if k == "MetricAlarm"],
                               "CompositeAlarms": [d for k, d in described if k == "CompositeAlarm"]}
        if token:
            out["NextToken"] = token
        return out

    @staticmethod
    def _described_alarms(state: CloudWatchState, p: dict[str, Any], types: list[str]) -> Callable[[], Iterator[Alarm]]:
        """DescribeAlarms' choice in name order, read lazily: named alarms looked up, a name prefix sought."""
        prefix = p.get("AlarmNamePrefix") or ""
        names = set(p.get("AlarmNames") or ())
        children: set[str] | None = None
        if p.get("ChildrenOfAlarmName"):
            parent = state.alarms.get(p["ChildrenOfAlarmName"])
            found = composite.alarms_named(composite.parse(parent.config["AlarmRule"])) \
                if parent and parent.kind == "CompositeAlarm" else set()
            children = {c.split(":alarm:")[-1] for c in found}
        child = p.get("ParentsOfAlarmName")

        def wanted(a: Alarm) -> bool:
            return (children is None or a.name in children) and (not child or (a.kind == "CompositeAlarm" and any(
                n.split(":alarm:")[-1] == child for n in composite.alarms_named(composite.parse(a.config["AlarmRule"]))))) \
                and a.kind in types and (not names or a.name in names) \
                and (not p.get("StateValue") or a.state == p["StateValue"]) \
                and (not p.get("ActionPrefix") or any(arn.startswith(p["ActionPrefix"]) for key in (
                    "AlarmActions", "OKActions", "InsufficientDataActions") for arn in a.config.get(key) or []))

        def chosen() -> Iterator[Alarm]:
            if names:
                candidates: Iterable[Alarm] = (state.alarms[n] for n in sorted(names) if n in state.alarms)
            else:
                candidates = (state.alarms[n] for n in takewhile(lambda n: n.startswith(prefix),
                                                                  state.alarms.irange(prefix)))
            return (a for a in candidates if a.name.startswith(prefix) and wanted(a))
        return chosen

    def describe_alarms_for_metric(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        key = metric_key(p["Namespace"], p["MetricName"], p.get("Dimensions"))
        with self.store.lock:
            state = self.state(ctx)
            named = sorted(state.watchers.get((key[0], key[1]), ()))
            found = [self.describe(a) for a in (state.alarms[n] for n in named) if self._watches_exactly(a, key, p)]
        return {"MetricAlarms": found}

    @staticmethod
    def _watches_exactly(alarm: Alarm, key: tuple, p: dict[str, Any]) -> bool:
        c = alarm.config
        if c.get("Metrics"):
            return any(metric_key(q["MetricStat"]["Metric"]["Namespace"], q["MetricStat"]["Metric"]["MetricName"],
                                  q["MetricStat"]["Metric"].get("Dimensions")) == key
                       for q in c["Metrics"] if "MetricStat" in q)
        if metric_key(c["Namespace"], c["MetricName"], c.get("Dimensions")) != key:
            return False
        return all(p.get(k) is None or c.get(k) == p[k] for k in ("Statistic", "ExtendedStatistic", "Period",
                                                                   "Unit"))

    def describe_alarm_history(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        start = epoch(p["StartDate"]) if p.get("StartDate") else float("-inf")
        end = epoch(p["EndDate"]) if p.get("EndDate") else float("inf")
        types = p.get("AlarmTypes") or ["MetricAlarm", "CompositeAlarm"]
        with self.store.lock:
            state = self.state(ctx)
            kept = state.alarm_history.get(p["AlarmName"], []) if p.get("AlarmName") else state.history
            newest_first = p.get("ScanBy", "TimestampDescending") == "TimestampDescending"

            def items_from(offset: int) -> Iterator[dict[str, Any]]:
                return islice((h for h in (reversed(kept) if newest_first else kept) if h["AlarmType"] in types and start <= h["Timestamp"] <= end
                               and (not p.get("HistoryItemType") or h["HistoryItemType"] == p["HistoryItemType"])),
                              offset, None)

            page, token = offset_page_of(items_from, p.get("NextToken"), p.get("MaxRecords"),
                                         bad_token=errors.bad_token, default_limit=100, scope="DescribeAlarmHistory")
            out: dict[str, Any] = {"AlarmHistoryItems": [{**h, "Timestamp": stamp(h["Timestamp"])} for h in page]}
        if token:
            out["NextToken"] = token
        return out

    def describe_alarm_contributors(self, ctx: RequestContext) -> dict[str, Any]:
        self._alarm(ctx, ctx.params["AlarmName"])
        return {"AlarmContributors": []}  # no alarm here evaluates per contributor

    def _alarm(self, ctx: RequestContext, name: str) -> Alarm:
        alarm = self.state(ctx).alarms.get(name)
        if alarm is None:
            raise AWSError("ResourceNotFound", f"Alarm {name} not found", 404)  # wording ours
        return alarm

    # -- changing -----------------------------------------------------------------------------------
    def delete_alarms(self, ctx: RequestContext) -> dict[str, Any]:
        names = ctx.params["AlarmNames"]
        with self.store.lock:
            state = self.state(ctx)
            missing = [n for n in names if n not in state.alarms]
            if missing:
                raise AWSError("ResourceNotFound", f"{missing[0]} not found", 404)  # wording ours
            for name in names:
                alarm = state.alarms.pop(name, None)
                if alarm is None:  # named twice
                    continue
                unwatch(state, alarm)
                forget(state, alarm)
                state.composites.discard(name)
                state.tags.pop(alarm.arn, None)
        return {}

    def set_alarm_state(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p["StateValue"] not in STATES:
            raise errors.invalid_value("StateValue", p["StateValue"])
        data = p.get("StateReasonData") or ""
        if data:
            try:
                json.loads(data)
            except ValueError:
                raise AWSError("InvalidFormat", "StateReasonData is not valid JSON.") from None  # wording ours
        with self.store.lock:
            state = self.state(ctx)
            alarm = self._alarm(ctx, p["AlarmName"])
            if alarm.kind == "MetricAlarm":
                remember(state, alarm, None)  # its data judges it again at the next evaluation
            effects = self.transition(state, alarm, p["StateValue"], p["StateReason"], data, ctx.clock.now(),
                                      ctx.region, ctx.account_id)
            effects += self.settle_composites(state, ctx.clock.now(), ctx.region, ctx.account_id)
        for effect in effects:
            ctx.dispatch(effect)
        return {}

    def enable_alarm_actions(self, ctx: RequestContext) -> dict[str, Any]:
        return self._actions(ctx, True)

    def disable_alarm_actions(self, ctx: RequestContext) -> dict[str, Any]:
        return self._actions(ctx, False)

    def _actions(self, ctx: RequestContext, enabled: bool) -> dict[str, Any]:
        with self.store.lock:
            for name in ctx.params["AlarmNames"]:
                alarm = self.state(ctx).alarms.get(name)
                if alarm is not None:
                    alarm.actions_enabled = enabled
        return {}
