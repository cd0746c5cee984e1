"""PutMetricData, ListMetrics and GetMetricStatistics."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import islice, takewhile
from typing import Any

from sortedcontainers import SortedDict

from ...api import RequestContext
from ...paging import offset_page_of
from . import errors
from .base import CloudWatchBase, epoch, metric_key, metric_of, stamp
from .state import MetricKey, Sample
from .statistics import PERCENTILE, aggregate, buckets

MAX_DIMENSIONS = 30
MAX_VALUES = 150
MAX_METRICS = 1000
LIMIT = 2.0**360  # |value| must lie in [2^-360, 2^360] (or be 0)
PAST = 14 * 86400  # timestamps up to two weeks old ...
FUTURE = 2 * 3600  # ... and up to two hours ahead
RETENTION = 15 * 86400
RECENT = {"PT3H": 3 * 3600}
MAX_DATAPOINTS = 1440
SHORT_PERIODS = (1, 5, 10, 20, 30)


def valid_period(period: int) -> bool:
    return period in SHORT_PERIODS or (period > 0 and period % 60 == 0)


class MetricOperations(CloudWatchBase):
    def data_arrived(self, ctx: RequestContext, keys: set[MetricKey]) -> None:  # evaluation.py
        raise NotImplementedError

    # -- PutMetricData ------------------------------------------------------------------------
    def put_metric_data(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        namespace = p["Namespace"]
        if namespace.startswith("AWS/") and ctx.protocol != "internal":  # AWS's own services publish there
            raise errors.invalid(f"The value {namespace} for parameter Namespace is invalid.")  # wording: ours
        data = [(f"MetricData.member.{i}", d) for i, d in enumerate(p.get("MetricData") or [], 1)]
        for e, entity in enumerate(p.get("EntityMetricData") or [], 1):
            data += [(f"EntityMetricData.member.{e}.MetricData.member.{i}", d)
                     for i, d in enumerate(entity.get("MetricData") or [], 1)]
        if not data:
            raise errors.missing("MetricData")
        if len(data) > MAX_METRICS:
            raise errors.invalid(f"The collection MetricData must not have a size greater than {MAX_METRICS}.")
        now = ctx.clock.now()
        parsed = [(metric_key(namespace, d["MetricName"], d.get("Dimensions")), self._sample(where, d, now))
                  for where, d in data]
        with self.store.lock:
            state = self.state(ctx)
            for key, sample in parsed:
                kept = state.samples.setdefault(key, [])
                state.times.setdefault(key, SortedDict())[(sample.timestamp, len(kept))] = None
                kept.append(sample)
                state.last_put[key] = now
                state.versions[key[:2]] = state.versions.get(key[:2], 0) + 1
                state.puts += 1
        self.data_arrived(ctx, {key for key, _ in parsed})
        return {}

    @staticmethod
    def _sample(where: str, datum: dict[str, Any], now: float) -> Sample:
        dims = datum.get("Dimensions") or []
        if len(dims) > MAX_DIMENSIONS:
            raise errors.invalid(f"The collection {where}.Dimensions must not have a size greater than "
                                 f"{MAX_DIMENSIONS}.")
        names = [d["Name"] for d in dims]
        if len(set(names)) != len(names):
            raise errors.invalid(f"No Metric may specify the same dimension name twice ({where}.Dimensions).")
        for i, d in enumerate(dims, 1):
            if not d.get("Value"):
                raise errors.missing(f"{where}.Dimensions.member.{i}.Value")
        resolution = datum.get("StorageResolution", 60)
        if resolution not in (1, 60):
            raise errors.invalid_value(f"{where}.StorageResolution", resolution)
        when = epoch(datum["Timestamp"]) if datum.get("Timestamp") is not None else now
        if when < now - PAST or when > now + FUTURE:
            raise errors.invalid(f"The parameter {where}.Timestamp must specify a time no more than two weeks in "
                                 "the past and no more than two hours in the future.")  # wording: ours
        if resolution == 60:
            when -= when % 60  # standard resolution keeps one-minute granularity
        given = [k for k in ("Value", "Values", "StatisticValues") if datum.get(k) is not None]
        if len(given) > 1:
            raise errors.combination(f"The parameters {where}.{given[0]} and {where}.{given[1]} are mutually "
                                     "exclusive and you have specified both.")
        if datum.get("Counts") and datum.get("Values") is None:
            raise errors.combination(f"The parameter {where}.Counts must be used with {where}.Values.")
        if not given:
            raise errors.missing(f"{where}.Value")
        unit = datum.get("Unit") or "None"
        if "Value" in given:
            value = _checked(datum["Value"], f"{where}.Value")
            return Sample(when, value, 1, value, value, unit, [value], [1.0])
        if "Values" in given:
            values = [_checked(v, f"{where}.Values") for v in datum["Values"]]
            counts = [float(c) for c in datum.get("Counts") or [1.0] * len(values)]
            if len(values) > MAX_VALUES:
                raise errors.invalid(f"The collection {where}.Values must not have a size greater than {MAX_VALUES}.")
            if len(counts) != len(values):
                raise errors.invalid(f"The parameters {where}.Values and {where}.Counts must be of the same size.")
            if not values:
                raise errors.missing(f"{where}.Values")
            if any(c < 0 or not math.isfinite(c) for c in counts):
                raise errors.invalid_value(f"{where}.Counts", counts)
            return Sample(when, sum(v * c for v, c in zip(values, counts, strict=True)), sum(counts),
                          min(values), max(values), unit, values, counts)
        stats = datum["StatisticValues"]
        low, high = (_checked(stats[k], f"{where}.StatisticValues.{k}") for k in ("Minimum", "Maximum"))
        total = _checked(stats["Sum"], f"{where}.StatisticValues.Sum")
        count = stats["SampleCount"]
        if not math.isfinite(count) or count <= 0:
            raise errors.invalid_value(f"{where}.StatisticValues.SampleCount", count)
        if low > high:
            raise errors.invalid(f"The parameter {where}.StatisticValues.Maximum must be greater than "
                                 f"{where}.StatisticValues.Minimum.")  # wording: ours
        return Sample(when, total, count, low, high, unit)

    # -- ListMetrics ----------------------------------------------------------------------------
    def list_metrics(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        recent = p.get("RecentlyActive")
        if recent is not None and recent not in RECENT:
            raise errors.invalid_value("RecentlyActive", recent)
        now = ctx.clock.now()
        since = now - (RECENT[recent] if recent else PAST)
        filters = p.get("Dimensions") or []
        namespace, name = p.get("Namespace"), p.get("MetricName")
        with self.store.lock:
            last_put = self.state(ctx).last_put

            def found(offset: int) -> Iterator[MetricKey]:
                keys: Iterable[MetricKey] = last_put
                if namespace:  # seek to the namespace (and metric name)
                    keys = takewhile(lambda k: k[0] == namespace and (not name or k[1] == name),
                                     last_put.irange((namespace, name) if name else (namespace,)))
                return islice((k for k in keys if last_put[k] >= since and self.matches(k, namespace, name, filters)),
                              offset, None)

            page, token = offset_page_of(found, p.get("NextToken"), 500, bad_token=errors.bad_token,
                                         scope="ListMetrics")
        out: dict[str, Any] = {"Metrics": [metric_of(k) for k in page]}
        if p.get("IncludeLinkedAccounts"):
            out["OwningAccounts"] = [ctx.account_id] * len(page)
        if token:
            out["NextToken"] = token
        return out

    @staticmethod
    def matches(key: MetricKey, namespace: str | None, name: str | None, filters: list[dict[str, Any]]) -> bool:
        if (namespace and key[0] != namespace) or (name and key[1] != name):
            return False
        dims = dict(key[2])
        return all(f["Name"] in dims and (f.get("Value") is None or dims[f["Name"]] == f["Value"])
                   for f in filters)

    # -- GetMetricStatistics --------------------------------------------------------------------
    def get_metric_statistics(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        start, end, period = epoch(p["StartTime"]), epoch(p["EndTime"]), p["Period"]
        stats, extended = p.get("Statistics") or [], p.get("ExtendedStatistics") or []
        if start >= end:
            raise errors.invalid("The parameter StartTime must be less than the parameter EndTime.")
        if not valid_period(period):
            raise errors.invalid("The parameter Period must be a multiple of 60.")
        if not stats and not extended:
            raise errors.missing("Statistics")  # AWS asks for either Statistics or ExtendedStatistics
        if stats and extended:
            raise errors.combination("The parameters Statistics and ExtendedStatistics are mutually exclusive "
                                     "and you have specified both.")
        for name in extended:
            if not PERCENTILE.match(name):
                raise errors.invalid_value("ExtendedStatistics", name)
        if (end - start) / period > MAX_DATAPOINTS:
            raise errors.combination(f"You have requested up to {math.ceil((end - start) / period)} datapoints, "
                                     f"which exceeds the limit of {MAX_DATAPOINTS}. You may reduce the datapoints "
                                     "requested by increasing Period, or decreasing the time range.")
        key = metric_key(p["Namespace"], p["MetricName"], p.get("Dimensions"))
        samples = self.samples(ctx.account_id, ctx.region, key, ctx.clock.now(), p.get("Unit"), start, end)
        points = []
        for moment, group in sorted(buckets(samples, start, end, period).items()):
            point: dict[str, Any] = {"Timestamp": stamp(moment), "Unit": p.get("Unit") or group[0].unit}
            for name in stats:
                point[name] = aggregate(group, name)
            values = {name: aggregate(group, name) for name in extended}
            if extended:
                point["ExtendedStatistics"] = {k: v for k, v in values.items() if v is not None}
            points.append(point)
        return {"Label": p["MetricName"], "Datapoints": points}

    def samples(self, account: str, region: str, key: MetricKey, now: float, unit: str | None = None,
                start: float | None = None, end: float | None = None) -> list[Sample]:
        """A snapshot of one metric's samples within retention (and [start, end)), in put order (of
        one unit, when given)."""
        oldest = now - RETENTION if start is None else max(now - RETENTION, start)
        with self.store.lock:
            state = self.store.find(account, region)
            kept = state.samples.get(key) if state else None
            if not kept:
                return []
            window = state.times[key].irange((oldest,), None if end is None else (end,), inclusive=(True, False))
            found = [kept[i] for i in sorted(i for _, i in window)]
        return [s for s in found if unit is None or s.unit == unit]


def _checked(value: float, name: str) -> float:
    value = float(value)
    if not math.isfinite(value) or abs(value) > LIMIT or (value != 0 and abs(value) < 1 / LIMIT):
        raise errors.invalid_value(name, value)
    return value
