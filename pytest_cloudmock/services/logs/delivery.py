"""What ingested events set off: embedded-metric-format metrics, metric filters (PutMetricData to `cloudwatch` when that
service is registered) and subscription filters (Lambda, Kinesis, Firehose, or a Logs
destination in front of one), delivered through the registry as AWS sends them.

`fan_out` runs with the store lock held: it only matches and builds payloads, and queues
the calls with `ctx.defer`, which runs them after the lock is released.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import re
from datetime import datetime, timezone
from typing import Any

from ...api import AWSError, RequestContext
from .emf import emf_metric_data
from .fields import discovered
from .patterns import compile_pattern
from .state import Event, LogGroup

log = logging.getLogger("pytest_cloudmock")


def fan_out(ctx: RequestContext, group: LogGroup, stream: str, events: list[Event]) -> None:
    """Queue the metric data and subscription deliveries `events` cause."""
    if not events:
        return
    if ctx.registry is not None and "cloudwatch" in ctx.registry:
        for event in events:  # embedded metric format: every group, no filter needed
            for namespace, batch in emf_metric_data(event.message).items():
                _defer_call(ctx, "cloudwatch", "PutMetricData", {"Namespace": namespace, "MetricData": batch},
                            ctx.account_id, ctx.region)
    for flt in group.metric_filters.values():
        data = metric_data(flt, events)
        if data and ctx.registry is not None and "cloudwatch" in ctx.registry:
            for namespace, batch in data.items():
                _defer_call(ctx, "cloudwatch", "PutMetricData", {"Namespace": namespace, "MetricData": batch},
                            ctx.account_id, ctx.region)
    for flt in group.subscription_filters.values():
        pattern = compile_pattern(flt.get("filterPattern"))
        hits = [e for e in events if pattern.match(e.message) is not None]
        if hits:
            payload = subscription_payload(ctx.account_id, group.name, stream, [flt["filterName"]], hits)
            target = flt["destinationArn"]
            if target.split(":")[2:3] == ["logs"]:  # a destination: deliver to what it fronts
                target = flt.get("resolvedTargetArn") or target
            deliver(ctx, target, payload, stream)


def subscription_payload(owner: str, group: str, stream: str, filters: list[str], events: list[Event]) -> bytes:
    """The gzip-compressed JSON document AWS delivers to subscription destinations."""
    doc = {
        "messageType": "DATA_MESSAGE", "owner": owner, "logGroup": group, "logStream": stream,
        "subscriptionFilters": filters,
        "logEvents": [{"id": e.event_id, "timestamp": e.timestamp, "message": e.message} for e in events],
    }
    return gzip.compress(json.dumps(doc).encode())


def deliver(ctx: RequestContext, target_arn: str, data: bytes, partition_key: str) -> None:
    """Queue one delivery of a subscription payload to a Lambda function, Kinesis stream or
    Firehose delivery stream."""
    parts = target_arn.split(":", 5)
    if len(parts) != 6:
        return
    service, region, account, resource = parts[2], parts[3], parts[4], parts[5]
    if service == "lambda":
        body = {"awslogs": {"data": base64.b64encode(data).decode()}}
        _defer_call(ctx, "lambda", "Invoke", {"FunctionName": target_arn, "InvocationType": "Event",
                                              "Payload": json.dumps(body).encode()}, account, region)
    elif service == "kinesis":
        _defer_call(ctx, "kinesis", "PutRecord", {"StreamName": resource.split("/", 1)[-1], "StreamARN": target_arn,
                                                  "Data": data, "PartitionKey": partition_key}, account, region)
    elif service == "firehose":
        _defer_call(ctx, "firehose", "PutRecord", {"DeliveryStreamName": resource.split("/", 1)[-1],
                                                   "Record": {"Data": data}}, account, region)


def _defer_call(ctx: RequestContext, service: str, operation: str, params: dict[str, Any], account: str,
                region: str) -> None:
    registry = ctx.registry

    def call() -> None:
        if registry is None:
            return
        try:
            registry.call(service, operation, params, account_id=account, region=region, caller=ctx)
        except AWSError as exc:  # AWS drops (and meters) deliveries that fail; so do we, with a log line
            log.warning("cloudmock logs: %s.%s delivery failed: %s", service, operation, exc)

    ctx.defer(call)


def metric_data(flt: dict[str, Any], events: list[Event]) -> dict[str, list[dict[str, Any]]]:
    """PutMetricData entries, by namespace, for the events a metric filter matches; a
    transformation's `defaultValue` for each minute of events with no match (AWS reports
    it when logs arrive in a minute but none match)."""
    pattern = compile_pattern(flt.get("filterPattern"))
    out: dict[str, list[dict[str, Any]]] = {}
    matched_minutes: set[int] = set()
    for event in events:
        found = pattern.match(event.message)
        if found is None:
            continue
        matched_minutes.add(event.timestamp // 60_000)
        for tr in flt.get("metricTransformations") or []:
            value = metric_value(tr.get("metricValue") or "1", found, event.message)
            if value is not None:
                dims = {k: str(extracted(v, found, event.message) or "") for k, v in (tr.get("dimensions") or {}).items()}
                out.setdefault(tr["metricNamespace"], []).append(_datum(tr, value, event.timestamp, dims))
    quiet = sorted({e.timestamp // 60_000 for e in events} - matched_minutes)
    for tr in flt.get("metricTransformations") or []:
        if tr.get("defaultValue") is not None:
            out.setdefault(tr["metricNamespace"], []).extend(
                _datum(tr, float(tr["defaultValue"]), minute * 60_000, {}) for minute in quiet)
    return out


def _datum(tr: dict[str, Any], value: float, timestamp: int, dims: dict[str, str]) -> dict[str, Any]:
    datum: dict[str, Any] = {"MetricName": tr["metricName"], "Value": value,
                             "Timestamp": datetime.fromtimestamp(timestamp / 1000, timezone.utc)}
    if tr.get("unit"):
        datum["Unit"] = tr["unit"]
    if dims:
        datum["Dimensions"] = [{"Name": k, "Value": v} for k, v in dims.items()]
    return datum


def extracted(spec: str, found: dict[str, str], message: str) -> Any:
    """A `$name` / `$.path` (`$.a[0]` too) a pattern extracted, else read from the JSON message;
    anything else is itself."""
    if not spec.startswith("$"):
        return spec
    if spec in found:
        return found[spec]
    if spec.startswith("$."):
        return discovered(message).get(re.sub(r"\[(\d+)\]", r".\1", spec[2:]))
    return None


def metric_value(spec: str, found: dict[str, str], message: str = "") -> float | None:
    """A metric value: a number, `$name` from a space-delimited match, or `$.path` from the
    JSON message."""
    raw = extracted(spec, found, message)
    try:
        return float(raw) if raw is not None and not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        return None
