"""CloudWatch state: metric samples, alarms, dashboards and the stored resources (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sortedcontainers import SortedDict

#: (namespace, metric name, sorted ((dimension name, value), ...))
MetricKey = tuple[str, str, tuple[tuple[str, str], ...]]


ANY_METRIC = ("", "")  # the `watchers` entry of alarms whose SEARCH may match any metric


@dataclass
class Sample:
    """One `PutMetricData` datum: a value, a values/counts array or a statistic set."""

    timestamp: float
    total: float
    count: float
    minimum: float
    maximum: float
    unit: str
    values: list[float] = field(default_factory=list)  # empty for a statistic set (no percentiles)
    counts: list[float] = field(default_factory=list)


@dataclass
class Alarm:
    """A metric or composite alarm: its configuration as put, and its state."""

    name: str
    arn: str
    kind: str  # "MetricAlarm" | "CompositeAlarm"
    config: dict[str, Any]
    state: str = "INSUFFICIENT_DATA"
    reason: str = "Unchecked: Initial alarm creation"
    reason_data: str = ""
    state_updated: float = 0.0
    transitioned: float = 0.0
    config_updated: float = 0.0
    actions_enabled: bool = True
    seq: int = 0  # creation order: alarms are evaluated (and change state) in this order
    #: (when, window end, data versions) of its last judgement: the same answer until one changes
    judged: tuple[float, float, tuple[int, ...]] | None = None


@dataclass
class Dashboard:
    name: str
    arn: str
    body: str
    modified: float


@dataclass
class CloudWatchState:
    samples: dict[MetricKey, list[Sample]] = field(default_factory=dict)  # in put order
    #: metric -> (timestamp, index in `samples`) -> None: a time window's samples found by a seek
    times: dict[MetricKey, SortedDict] = field(default_factory=dict)
    last_put: SortedDict = field(default_factory=SortedDict)  # metric -> when last put, in key order
    alarms: SortedDict = field(default_factory=SortedDict)  # name -> Alarm, in name order
    created: int = 0  # alarms ever created (the next `Alarm.seq`)
    #: (namespace, metric name) -> the metric alarms whose data it is; ANY_METRIC: those that SEARCH
    watchers: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    composites: set[str] = field(default_factory=set)  # the composite alarms' names
    versions: dict[tuple[str, str], int] = field(default_factory=dict)  # (namespace, name) -> puts of its data
    puts: int = 0  # PutMetricData data of every metric (what a SEARCH may read)
    pending: set[str] = field(default_factory=set)  # metric alarms with no valid last judgement
    due: SortedDict = field(default_factory=SortedDict)  # (window end, seq) -> name: when a judgement expires
    judged_last: float | None = None  # the latest time an alarm was judged at (earlier: the clock went back)
    history: list[dict[str, Any]] = field(default_factory=list)  # oldest first, the last HISTORY_LIMIT items
    alarm_history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # alarm name -> its items in `history`
    dashboards: dict[str, Dashboard] = field(default_factory=dict)
    insight_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    anomaly_detectors: list[dict[str, Any]] = field(default_factory=list)
    metric_streams: dict[str, dict[str, Any]] = field(default_factory=dict)
    mute_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # resource ARN -> tags
    otel_enrichment: str = "Stopped"
