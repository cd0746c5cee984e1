"""Metric streams deliver to Firehose: each finished minute of every metric they select, in
CloudWatch's JSON output format, as the gateway clock passes minute boundaries.

A running stream remembers the minute it has delivered up to; when the clock moves (or
new data arrives) every whole minute since then is aggregated per metric (`max`, `min`,
`sum`, `count`, unit) and sent with Firehose `PutRecordBatch`, one JSON line per metric
and minute. `IncludeFilters`/`ExcludeFilters` select by namespace and metric names. The
OpenTelemetry output formats are stored and not delivered (they are protobuf).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from ...api import AWSError

if TYPE_CHECKING:
    from ...registry import Registry
    from ...store import Store
    from .state import CloudWatchState, MetricKey

log = logging.getLogger("pytest_cloudmock")
MINUTE = 60
BATCH = 500  # Firehose PutRecordBatch's limit


def start_minute(now: float) -> float:
    """Where a new stream starts delivering from: the current minute."""
    return now - now % MINUTE


def selected(stream: dict[str, Any], key: MetricKey) -> bool:
    """Whether a stream's filters let a metric through."""
    namespace, name, _ = key

    def hit(filters: list[dict[str, Any]]) -> bool:
        return any(f.get("Namespace") == namespace and (not f.get("MetricNames") or name in f["MetricNames"])
                   for f in filters)

    if stream.get("IncludeFilters"):
        return hit(stream["IncludeFilters"])
    return not hit(stream.get("ExcludeFilters") or [])


def deliver(store: Store[CloudWatchState], registry: Registry, account: str, region: str, now: float) -> None:
    """Send every running JSON stream of a partition the minutes that ended since its last delivery."""
    end = now - now % MINUTE
    batches: list[tuple[str, list[dict[str, bytes]]]] = []
    with store.lock:
        state = store.get(account, region)
        for stream in state.metric_streams.values():
            since = stream.setdefault("DeliveredUntil", start_minute(float(stream["CreationDate"])))
            if stream.get("State") != "running" or stream.get("OutputFormat") != "json" or since >= end:
                continue
            lines = [
                _line(stream, account, region, key, minute, [s for s in samples if minute <= s.timestamp < minute + MINUTE])
                for key, samples in state.samples.items() if selected(stream, key)
                for minute in _minutes(since, end)
            ]
            stream["DeliveredUntil"] = end
            records = [{"Data": (json.dumps(line) + "\n").encode()} for line in lines if line is not None]
            if records:
                batches.append((stream["FirehoseArn"], records))
    for arn, records in batches:
        name = arn.rsplit("/", 1)[-1]
        for start in range(0, len(records), BATCH):
            try:
                registry.call("firehose", "PutRecordBatch", {"DeliveryStreamName": name,
                                                             "Records": records[start:start + BATCH]},
                              account_id=arn.split(":")[4], region=arn.split(":")[3])
            except AWSError as exc:  # AWS drops what it cannot deliver (and reports it in metrics); so do we
                log.warning("cloudmock cloudwatch: metric stream delivery to %s failed: %s", arn, exc)


def _minutes(since: float, end: float) -> range:
    return range(int(since), int(end), MINUTE)


def _line(stream: dict[str, Any], account: str, region: str, key: MetricKey, minute: int,
          samples: list[Any]) -> dict[str, Any] | None:
    if not samples:
        return None
    namespace, name, dimensions = key
    return {
        "metric_stream_name": stream["Name"], "account_id": account, "region": region, "namespace": namespace,
        "metric_name": name, "dimensions": dict(dimensions), "timestamp": minute * 1000,
        "value": {"max": max(s.maximum for s in samples), "min": min(s.minimum for s in samples),
                  "sum": sum(s.total for s in samples), "count": sum(s.count for s in samples)},
        "unit": samples[-1].unit or "None",
    }
