"""Which metric alarms a metric's new data concerns, without looking at every alarm: each metric
alarm is listed under the (namespace, metric name) pairs its queries read (`state.watchers`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .state import ANY_METRIC, Alarm, CloudWatchState, MetricKey


def watched(config: dict[str, Any]) -> set[tuple[str, str]]:
    """The (namespace, metric name) pairs a metric alarm's data comes from (ANY_METRIC for a SEARCH)."""
    metrics = [config] + [(q.get("MetricStat") or {}).get("Metric") or {} for q in config.get("Metrics") or []]
    names = {(m["Namespace"], m["MetricName"]) for m in metrics if m.get("Namespace") and m.get("MetricName")}
    if any("SEARCH" in (q.get("Expression") or "").upper() for q in config.get("Metrics") or []):
        names.add(ANY_METRIC)
    return names


def watch(state: CloudWatchState, alarm: Alarm) -> None:
    for pair in watched(alarm.config):
        state.watchers.setdefault(pair, set()).add(alarm.name)


def unwatch(state: CloudWatchState, alarm: Alarm) -> None:
    for pair in watched(alarm.config):
        names = state.watchers.get(pair)
        if names is not None:
            names.discard(alarm.name)
            if not names:
                del state.watchers[pair]


def watching(state: CloudWatchState, keys: Iterable[MetricKey]) -> list[Alarm]:
    """The metric alarms fed by any of `keys` (or searching every metric), in creation order."""
    names = set(state.watchers.get(ANY_METRIC, ()))
    for key in keys:
        names.update(state.watchers.get((key[0], key[1]), ()))
    return sorted((state.alarms[name] for name in names), key=lambda alarm: alarm.seq)


def data_versions(state: CloudWatchState, alarm: Alarm) -> tuple[int, ...]:
    """How many times the data an alarm reads was put to: equal versions, equal data."""
    return tuple(state.puts if pair == ANY_METRIC else state.versions.get(pair, 0)
                 for pair in sorted(watched(alarm.config)))
