"""Alarm evaluation on the gateway clock (when data arrives and when the clock moves),
composite rules, state changes with their history, and alarm actions (SNS, Lambda)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...api import AWSError, RequestContext
from ...targets import Arn
from . import composite, metric_streams
from .base import stamp
from .expressions import ExpressionError
from .metric_data import MetricDataOperations
from .metrics import RETENTION
from .state import Alarm, CloudWatchState, MetricKey
from .watching import data_versions, remember, to_judge, watching

if TYPE_CHECKING:
    from ...registry import Registry

COMPARE: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "GreaterThanOrEqualToThreshold": (lambda v, t: v >= t, "greater than or equal to"),
    "GreaterThanThreshold": (lambda v, t: v > t, "greater than"),
    "LessThanThreshold": (lambda v, t: v < t, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, t: v <= t, "less than or equal to"),
}
ACTIONS = {"ALARM": "AlarmActions", "OK": "OKActions", "INSUFFICIENT_DATA": "InsufficientDataActions"}
REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)", "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)", "eu-west-1": "EU (Ireland)", "eu-central-1": "EU (Frankfurt)",
    "eu-west-2": "EU (London)", "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)", "ap-northeast-1": "Asia Pacific (Tokyo)",
}
HISTORY_LIMIT = 10_000
Effect = Callable[[], Any]


def utc(epoch: float) -> str:
    return stamp(epoch).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


class AlarmEvaluation(MetricDataOperations):
    # -- triggers ----------------------------------------------------------------------------------
    def data_arrived(self, ctx: RequestContext, keys: set[MetricKey]) -> None:
        if ctx.registry is None:  # no evaluation here: the next evaluation of every alarm judges them
            with self.store.lock:
                state = self.state(ctx)
                for alarm in watching(state, keys):
                    remember(state, alarm, None)
        else:
            self.evaluate(ctx.registry, ctx.account_id, ctx.region, ctx.clock.now(), keys)
            if self.state(ctx).metric_streams:  # minutes that ended before this datum go out now
                metric_streams.deliver(self.store, ctx.registry, ctx.account_id, ctx.region, ctx.clock.now())

    def clock_moved(self, registry: Registry) -> None:
        self.registry = registry
        now = registry.clock.now()
        for (account, region), state in list(self.store.partitions()):
            if state.alarms:
                self.evaluate(registry, account, region, now)
            if state.metric_streams:
                metric_streams.deliver(self.store, registry, account, region, now)

    def evaluate(self, registry: Registry, account: str, region: str, now: float,
                 keys: set[MetricKey] | None = None) -> None:
        """Evaluate the metric alarms (those watching `keys`, else all), then composites; actions
        run on the dispatcher after the store lock is released."""
        effects: list[Effect] = []
        with self.store.lock:
            state = self.store.get(account, region)
            chosen = watching(state, keys) if keys is not None else to_judge(state, now)
            for alarm in chosen:
                versions = data_versions(state, alarm)
                if alarm.judged is not None and alarm.judged[0] <= now < alarm.judged[1] \
                        and alarm.judged[2] == versions:
                    continue  # the same window of the same data since its last judgement: the same answer
                outcome = self.judge(alarm, account, region, now)
                start, end = self.window(alarm, now)
                remember(state, alarm, (now, end, versions) if end - start <= RETENTION else None)  # none ages out
                if outcome is not None:
                    effects += self.transition(state, alarm, *outcome, now, region, account)
            effects += self.settle_composites(state, now, region, account)
        self.run_effects(registry, effects)

    @staticmethod
    def run_effects(registry: Registry, effects: list[Effect]) -> None:
        for effect in effects:
            if registry.dispatcher is not None:
                registry.dispatcher.submit(effect)
            else:
                effect()

    # -- one metric alarm ---------------------------------------------------------------------------
    def alarm_queries(self, alarm: Alarm) -> tuple[list[dict[str, Any]], str, int]:
        """The alarm's metric queries, the id of the one it watches, and its period."""
        c = alarm.config
        if c.get("Metrics"):
            queries = c["Metrics"]
            returned = next((q["Id"] for q in queries if q.get("ReturnData", True)
                             and q["Id"] != c.get("ThresholdMetricId")), queries[-1]["Id"])
            period = next((q["MetricStat"]["Period"] for q in queries if "MetricStat" in q),
                          next((q["Period"] for q in queries if q.get("Period")), 60))
            return queries, returned, period
        metric = {"Namespace": c["Namespace"], "MetricName": c["MetricName"], "Dimensions": c.get("Dimensions") or []}
        stat = {"Metric": metric, "Period": c["Period"], "Stat": c.get("Statistic") or c.get("ExtendedStatistic")}
        if c.get("Unit"):
            stat["Unit"] = c["Unit"]
        return [{"Id": "m1", "MetricStat": stat}], "m1", c["Period"]

    def window(self, alarm: Alarm, now: float) -> tuple[float, float]:
        """The [start, end) an alarm judges at `now`: its evaluation periods up to the current, partial one."""
        period = self.alarm_queries(alarm)[2]
        end = (now // period + 1) * period
        return end - alarm.config["EvaluationPeriods"] * period, end

    def judge(self, alarm: Alarm, account: str, region: str, now: float) -> tuple[str, str, str] | None:
        """The state the alarm's data says (state, reason, reason data), None to keep the state."""
        c = alarm.config
        queries, watched, period = self.alarm_queries(alarm)
        periods, needed = c["EvaluationPeriods"], c.get("DatapointsToAlarm") or c["EvaluationPeriods"]
        start, end = self.window(alarm, now)
        operator = c["ComparisonOperator"]
        if operator not in COMPARE:  # anomaly-band operators: stored, not evaluated
            return None
        try:
            series = self.compute(account, region, queries, start, end, now)[watched]
        except ExpressionError as exc:
            return "INSUFFICIENT_DATA", f"Unable to evaluate the alarm: {exc}", ""
        points = series.points if not isinstance(series, list) else (series[0].points if series else {})
        grid = [start + i * period for i in range(periods)]
        values = [points.get(t) for t in grid]
        values = [None if v is None or not math.isfinite(v) else v for v in values]
        treat = c.get("TreatMissingData") or "missing"
        threshold = c.get("Threshold", 0.0)
        test, words = COMPARE[operator]
        present = [(t, v) for t, v in zip(grid, values, strict=True) if v is not None]
        missing = len(grid) - len(present)
        breaching = sum(1 for _, v in present if test(v, threshold)) + (missing if treat == "breaching" else 0)
        data = json.dumps({
            "version": "1.0", "queryDate": utc(now), "startDate": utc(start), "period": period,
            "recentDatapoints": [v for _, v in present], "threshold": threshold,
            **({"statistic": c["Statistic"]} if c.get("Statistic") else {}),
            "evaluatedDatapoints": [{"timestamp": utc(t), "value": v} for t, v in reversed(present)],
        })
        if not present and treat in ("missing", "ignore"):
            if treat == "ignore":
                return None
            return "INSUFFICIENT_DATA", f"Insufficient Data: {periods} datapoint{'s' * (periods > 1)} " \
                                        f"{'were' if periods > 1 else 'was'} unknown.", data
        shown = ", ".join(f"{v} ({stamp(t):%d/%m/%y %H:%M:%S})" for t, v in reversed(present))
        count = f"{len(present)} datapoint{'s' * (len(present) != 1)}" if present else "no datapoints"
        if breaching >= needed:
            reason = f"Threshold Crossed: {count} [{shown}] {'was' if len(present) == 1 else 'were'} {words} " \
                     f"the threshold ({threshold})."  # AWS's shape of reason; exact wording varies
            return "ALARM", reason, data
        reason = f"Threshold Crossed: {count} [{shown}] {'was' if len(present) == 1 else 'were'} not {words} " \
                 f"the threshold ({threshold})." if present else "Threshold Crossed: no datapoints were received " \
                 "for the evaluation periods, treated as not breaching."
        return "OK", reason, data

    # -- composites ---------------------------------------------------------------------------------
    def settle_composites(self, state: CloudWatchState, now: float, region: str, account: str) -> list[Effect]:
        effects: list[Effect] = []
        for _ in range(10):  # composites of composites settle in a few rounds
            changed = False
            for alarm in sorted((state.alarms[name] for name in state.composites), key=lambda a: a.seq):
                tree = composite.parse(alarm.config["AlarmRule"])
                value = composite.holds(tree, lambda name: self.state_of(state, name))
                new = "ALARM" if value else "OK"
                if new != alarm.state:
                    changed = True
                    reason = f"arbitrary alarm rule {'holds' if value else 'does not hold'}"  # wording ours
                    effects += self.transition(state, alarm, new, reason, "", now, region, account)
            if not changed:
                break
        return effects

    @staticmethod
    def state_of(state: CloudWatchState, name: str) -> str | None:
        alarm = state.alarms.get(name.split(":alarm:", 1)[-1] if name.startswith("arn:") else name)
        return alarm.state if alarm else None

    # -- state changes and actions -------------------------------------------------------------------
    def transition(self, state: CloudWatchState, alarm: Alarm, new: str, reason: str, data: str, now: float,
                   region: str, account: str) -> list[Effect]:
        """Move `alarm` to `new` (nothing when it is already there): history and actions."""
        if new == alarm.state:
            return []
        old, old_reason = alarm.state, alarm.reason
        alarm.state, alarm.reason, alarm.reason_data = new, reason, data
        alarm.state_updated = alarm.transitioned = now
        self.record(state, alarm, "StateUpdate", f"Alarm updated from {old} to {new}", now, {
            "version": "1.0", "oldState": {"stateValue": old, "stateReason": old_reason},
            "newState": {"stateValue": new, "stateReason": reason,
                         **({"stateReasonData": json.loads(data)} if data else {})}})
        if not alarm.actions_enabled:
            return []
        message = self.notification(alarm, old, region, account, now)
        return [self.action(arn, alarm, message, region, now) for arn in alarm.config.get(ACTIONS[new]) or []]

    def record(self, state: CloudWatchState, alarm: Alarm, kind: str, summary: str, now: float,
               data: dict[str, Any]) -> None:
        item = {"AlarmName": alarm.name, "AlarmType": alarm.kind, "Timestamp": now,
                "HistoryItemType": kind, "HistorySummary": summary, "HistoryData": json.dumps(data)}
        state.history.append(item)
        state.alarm_history.setdefault(alarm.name, []).append(item)
        while len(state.history) > HISTORY_LIMIT:  # the oldest item is also the oldest of its alarm
            oldest = state.history.pop(0)
            own = state.alarm_history[oldest["AlarmName"]]
            del own[0]
            if not own:
                del state.alarm_history[oldest["AlarmName"]]

    def notification(self, alarm: Alarm, old: str, region: str, account: str, now: float) -> dict[str, Any]:
        """The JSON CloudWatch publishes to SNS for a state change."""
        c = alarm.config
        message: dict[str, Any] = {
            "AlarmName": alarm.name, "AlarmDescription": c.get("AlarmDescription"), "AWSAccountId": account,
            "AlarmConfigurationUpdatedTimestamp": utc(alarm.config_updated), "NewStateValue": alarm.state,
            "NewStateReason": alarm.reason, "StateChangeTime": utc(now),
            "Region": REGION_NAMES.get(region, region), "AlarmArn": alarm.arn, "OldStateValue": old,
            "OKActions": c.get("OKActions") or [], "AlarmActions": c.get("AlarmActions") or [],
            "InsufficientDataActions": c.get("InsufficientDataActions") or [],
        }
        if alarm.kind == "CompositeAlarm":
            message["AlarmRule"] = c["AlarmRule"]
            return message
        trigger: dict[str, Any] = {
            "Period": c.get("Period"), "EvaluationPeriods": c["EvaluationPeriods"],
            "DatapointsToAlarm": c.get("DatapointsToAlarm") or c["EvaluationPeriods"],
            "ComparisonOperator": c["ComparisonOperator"], "Threshold": c.get("Threshold"),
            "TreatMissingData": c.get("TreatMissingData") or "missing", "EvaluateLowSampleCountPercentile": "",
        }
        if c.get("Metrics"):
            trigger["Metrics"] = c["Metrics"]
        else:
            trigger.update({
                "MetricName": c["MetricName"], "Namespace": c["Namespace"],
                "StatisticType": "Statistic" if c.get("Statistic") else "ExtendedStatistic",
                "Statistic": (c.get("Statistic") or "").upper() or None,
                "ExtendedStatistic": c.get("ExtendedStatistic"), "Unit": c.get("Unit"),
                "Dimensions": [{"value": d["Value"], "name": d["Name"]} for d in c.get("Dimensions") or []],
            })
        message["Trigger"] = trigger
        return message

    def action(self, arn: str, alarm: Alarm, message: dict[str, Any], region: str, now: float) -> Effect:
        """One action, to run on the dispatcher (SNS Publish, Lambda Invoke; others are recorded only)."""
        registry = self.registry

        def run() -> None:
            if registry is None:
                return
            target = Arn.parse(arn)
            try:
                if target.service == "sns":
                    subject = f'{message["NewStateValue"]}: "{alarm.name}" in {message["Region"]}'
                    registry.call("sns", "Publish", {"TopicArn": arn, "Subject": subject[:100],
                                                     "Message": json.dumps(message)},
                                  account_id=target.account, region=target.region)
                elif target.service == "lambda":
                    registry.call("lambda", "Invoke", {"FunctionName": arn, "InvocationType": "Event",
                                                       "Payload": json.dumps(self.lambda_event(alarm, message,
                                                                                              region, now)).encode()},
                                  account_id=target.account, region=target.region)
                else:
                    return  # Auto Scaling, EC2 and Systems Manager actions are accepted, not performed
                outcome = "Successfully executed action"
            except AWSError as exc:
                outcome = f"Failed to execute action {arn}. Received error: {exc.message}"
            with self.store.lock:
                state = self.store.get(message["AWSAccountId"], region)
                self.record(state, alarm, "Action", f"{outcome} {arn}" if outcome.startswith("Succ") else outcome,
                            registry.clock.now(), {"actionState": "Succeeded" if outcome.startswith("Succ")
                                                   else "Failed", "notificationResource": arn})

        return run

    @staticmethod
    def lambda_event(alarm: Alarm, message: dict[str, Any], region: str, now: float) -> dict[str, Any]:
        """The event a Lambda alarm action receives."""
        return {
            "source": "aws.cloudwatch", "alarmArn": alarm.arn, "accountId": message["AWSAccountId"],
            "time": utc(now), "region": region,
            "alarmData": {
                "alarmName": alarm.name,
                "state": {"value": alarm.state, "reason": alarm.reason, "reasonData": alarm.reason_data,
                          "timestamp": utc(alarm.state_updated)},
                "previousState": {"value": message["OldStateValue"]},
                "configuration": {"description": alarm.config.get("AlarmDescription"),
                                  "metrics": alarm.config.get("Metrics") or []},
            },
        }
