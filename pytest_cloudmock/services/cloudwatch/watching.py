"""Which metric alarms to judge, without looking at every alarm: each metric alarm is listed under
the (namespace, metric name) pairs its queries read (`state.watchers`: new data judges those), and
its last judgement holds until its window moves (`state.due`), it changes or its state is set
(`state.pending`), or the clock goes back."""

from __future__ import annotations

import math
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


def remember(state: CloudWatchState, alarm: Alarm, judged: tuple[float, float, tuple[int, ...]] | None) -> None:
    """Keep an alarm's judgement (None: judge it at the next evaluation of every alarm)."""
    if alarm.judged is not None:
        state.due.pop((alarm.judged[1], alarm.seq), None)
    alarm.judged = judged
    if judged is None:
        state.pending.add(alarm.name)
    else:
        state.pending.discard(alarm.name)
        state.due[(judged[1], alarm.seq)] = alarm.name
        state.judged_last = judged[0] if state.judged_last is None else max(state.judged_last, judged[0])


def forget(state: CloudWatchState, alarm: Alarm) -> None:
    """A deleted alarm is judged no more."""
    if alarm.judged is not None:
        state.due.pop((alarm.judged[1], alarm.seq), None)
    state.pending.discard(alarm.name)


def to_judge(state: CloudWatchState, now: float) -> list[Alarm]:
    """The metric alarms whose last judgement may not hold at `now`, in creation order (every one
    when the clock went back)."""
    if state.judged_last is not None and now < state.judged_last:
        return sorted((a for a in state.alarms.values() if a.kind == "MetricAlarm"), key=lambda a: a.seq)
    names = set(state.pending)
    names.update(state.due[key] for key in state.due.irange(maximum=(now, math.inf)))
    return sorted((state.alarms[name] for name in names), key=lambda alarm: alarm.seq)
