"""Aggregating samples per period as CloudWatch does: the five statistics and percentiles."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from .state import Sample

BASIC = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$")


def is_statistic(name: str) -> bool:
    """A statistic GetMetricData, alarms and GetMetricStatistics accept (the five and `pNN.NN`)."""
    return name in BASIC or bool(PERCENTILE.match(name))


def aggregate(samples: list[Sample], statistic: str) -> float | None:
    """One statistic of the samples of a period; None when it cannot be computed."""
    if not samples:
        return None
    if statistic == "SampleCount":
        return sum(s.count for s in samples)
    if statistic == "Sum":
        return sum(s.total for s in samples)
    if statistic == "Minimum":
        return min(s.minimum for s in samples)
    if statistic == "Maximum":
        return max(s.maximum for s in samples)
    if statistic == "Average":
        count = sum(s.count for s in samples)
        return sum(s.total for s in samples) / count if count else None
    if PERCENTILE.match(statistic):
        return percentile(samples, float(statistic[1:]))
    return None


def percentile(samples: list[Sample], rank: float) -> float | None:
    """The nearest-rank percentile of every value (weighted by its count); statistic sets carry
    no values, so a period with one has none unless its minimum equals its maximum."""
    weighted: list[tuple[float, float]] = []
    for s in samples:
        if s.values:
            weighted.extend(zip(s.values, s.counts, strict=True))
        elif s.minimum == s.maximum:
            weighted.append((s.minimum, s.count))
        else:
            return None
    weighted.sort()
    total = sum(c for _, c in weighted)
    if total <= 0:
        return None
    target = max(1.0, math.ceil(rank / 100 * total))
    seen = 0.0
    for value, count in weighted:
        seen += count
        if seen >= target:
            return value
    return weighted[-1][0]


def buckets(samples: Iterable[Sample], start: float, end: float, period: int) -> dict[float, list[Sample]]:
    """Samples in [start, end) grouped by the period (aligned to `start`) they fall in."""
    out: dict[float, list[Sample]] = {}
    for s in samples:
        if start <= s.timestamp < end:
            out.setdefault(start + (s.timestamp - start) // period * period, []).append(s)
    return out
