"""AWS::CloudWatch::Alarm, made through our CloudWatch (`PutMetricAlarm` creates and updates)."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    arn,
    as_bool,
    as_int,
    generated_name,
    ignore_missing,
    resource_tags,
    tag_changes,
)

_MISSING = ("ResourceNotFound",)
_INTS = ("Period", "EvaluationPeriods", "DatapointsToAlarm")
_PASSED = ("AlarmDescription", "AlarmActions", "OKActions", "InsufficientDataActions", "MetricName", "Namespace",
           "Statistic", "ExtendedStatistic", "Dimensions", "Unit", "ComparisonOperator", "TreatMissingData",
           "EvaluateLowSampleCountPercentile", "ThresholdMetricId", "Metrics")


def _alarm_params(name: str, properties: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"AlarmName": name}
    params.update({k: properties[k] for k in _PASSED if properties.get(k) is not None})
    params.update({k: as_int(properties[k]) for k in _INTS if properties.get(k) is not None})
    if properties.get("Threshold") is not None:
        params["Threshold"] = float(properties["Threshold"])
    if properties.get("ActionsEnabled") is not None:
        params["ActionsEnabled"] = as_bool(properties["ActionsEnabled"])
    for query in params.get("Metrics") or []:
        if query.get("ReturnData") is not None:
            query["ReturnData"] = as_bool(query["ReturnData"])
        stat = query.get("MetricStat")
        if stat and stat.get("Period") is not None:
            stat["Period"] = as_int(stat["Period"])
    return params


class AlarmProvider(BaseProvider):
    """AWS::CloudWatch::Alarm. `Ref`: the alarm name."""

    type_name = "AWS::CloudWatch::Alarm"
    replaces = frozenset({"AlarmName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("AlarmName") or generated_name(ctx, max_length=255)
        params = _alarm_params(name, properties)
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("cloudwatch", "PutMetricAlarm", params)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("cloudwatch", "PutMetricAlarm", _alarm_params(physical_id, new))
        alarm_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("cloudwatch", "TagResource", {"ResourceARN": alarm_arn,
                                                   "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("cloudwatch", "UntagResource", {"ResourceARN": alarm_arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("cloudwatch", "DeleteAlarms", {"AlarmNames": [physical_id]}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Arn": arn(ctx, "cloudwatch", f"alarm:{physical_id}")})
