"""Embedded metric format: log events that carry CloudWatch metrics in an `_aws` member.

CloudWatch Logs extracts the metrics of every log event written in the embedded metric
format (any log group, so a Lambda function's `print(json.dumps({...}))` too) and
publishes them to CloudWatch. An event that breaks the specification's rules (no
`Timestamp`, a metric or dimension that names no member of the event, a value that is not
a number or a list of numbers, more than 100 metrics or 30 dimensions) keeps its log line
and yields no metrics, as AWS does.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

MAX_METRICS = 100  # per metric directive
MAX_DIMENSIONS = 30  # per dimension set
MAX_VALUES = 100  # per metric value array


def emf_metric_data(message: str) -> dict[str, list[dict[str, Any]]]:
    """PutMetricData entries, by namespace, that one log event in the embedded metric format
    carries ({} for any other event)."""
    if not message.startswith("{") or '"_aws"' not in message:
        return {}
    try:
        root = json.loads(message)
        return _directives(root) if isinstance(root, dict) else {}
    except (ValueError, TypeError, KeyError):
        return {}


def _directives(root: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    meta = root["_aws"]
    stamp = meta["Timestamp"]
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)):
        return {}
    when = datetime.fromtimestamp(stamp / 1000, timezone.utc)
    out: dict[str, list[dict[str, Any]]] = {}
    for directive in meta["CloudWatchMetrics"]:
        namespace = directive["Namespace"]
        metrics = directive["Metrics"]
        if not isinstance(namespace, str) or not 1 <= len(namespace) <= 255 or len(metrics) > MAX_METRICS:
            return {}
        # no dimension set (or `[]`): the metric is published without dimensions
        dimension_sets = [_dimensions(root, names) for names in directive.get("Dimensions") or [[]]]
        if any(dims is None for dims in dimension_sets):
            return {}
        for metric in metrics:
            datum = _metric(root, metric, when)
            if datum is None:
                return {}
            for dims in dimension_sets:
                entry = dict(datum)
                if dims:
                    entry["Dimensions"] = dims
                out.setdefault(namespace, []).append(entry)
    return out


def _dimensions(root: dict[str, Any], names: list[Any]) -> list[dict[str, str]] | None:
    if not isinstance(names, list) or len(names) > MAX_DIMENSIONS:
        return None
    dims = []
    for name in names:
        value = root.get(name) if isinstance(name, str) else None
        if not isinstance(value, str):
            return None
        dims.append({"Name": name, "Value": value})
    return dims


def _metric(root: dict[str, Any], metric: dict[str, Any], when: datetime) -> dict[str, Any] | None:
    name = metric["Name"]
    value = root.get(name) if isinstance(name, str) else None
    numbers = value if isinstance(value, list) else [value]
    if not numbers or len(numbers) > MAX_VALUES or not all(
            isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers):
        return None
    datum: dict[str, Any] = {"MetricName": name, "Timestamp": when}
    if isinstance(value, list):
        datum["Values"] = [float(n) for n in numbers]
    else:
        datum["Value"] = float(value)  # type: ignore[arg-type]
    if metric.get("Unit"):
        datum["Unit"] = metric["Unit"]
    if metric.get("StorageResolution") in (1, 60):
        datum["StorageResolution"] = metric["StorageResolution"]
    return datum
