"""GetMetricData: metric queries and metric math over the gateway's stored metrics; the same
engine evaluates metric-math alarms."""

from __future__ import annotations

import math
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token
from . import errors
from .base import epoch, metric_key, stamp
from .expressions import Environment, ExpressionError, Series, Value, evaluate, parse, references
from .metrics import MetricOperations, valid_period
from .search import label as search_label
from .search import search
from .statistics import aggregate, buckets, is_statistic

DEFAULT_MAX_DATAPOINTS = 100_800


def validation(message: str) -> AWSError:
    return AWSError("ValidationError", message)  # GetMetricData's query-compatible code; wording ours


class MetricDataOperations(MetricOperations):
    def get_metric_data(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        start, end = epoch(p["StartTime"]), epoch(p["EndTime"])
        if start >= end:
            raise validation("The parameter StartTime must be less than the parameter EndTime.")
        queries = p["MetricDataQueries"]
        try:
            values = self.compute(ctx.account_id, ctx.region, queries, start, end, ctx.clock.now())
        except ExpressionError as exc:
            raise validation(str(exc)) from None
        results = [r for q in queries if q.get("ReturnData", True) for r in self._results(q, values[q["Id"]])]
        descending = p.get("ScanBy", "TimestampDescending") == "TimestampDescending"
        for r in results:
            points = sorted(r.pop("_points").items(), reverse=descending)
            r["Timestamps"] = [stamp(t) for t, _ in points]
            r["Values"] = [v for _, v in points]
        return self._page(results, p.get("MaxDatapoints") or DEFAULT_MAX_DATAPOINTS, p.get("NextToken"))

    @staticmethod
    def _results(query: dict[str, Any], value: Value) -> list[dict[str, Any]]:
        series = value if isinstance(value, list) else [value]  # numbers were spread over the grid
        out = []
        for s in series:
            assert isinstance(s, Series)
            good = {t: v for t, v in s.points.items() if math.isfinite(v)}
            result: dict[str, Any] = {"Id": query["Id"], "Label": query.get("Label") or s.label,
                                      "StatusCode": "Complete", "_points": good}
            if len(good) < len(s.points):
                result["Messages"] = [{"Code": "ArithmeticError", "Value": "One or more data-points have been "
                                       "dropped due to non-numeric values (NaN, -Infinite, +Infinite)"}]
            out.append(result)
        return out

    @staticmethod
    def _page(results: list[dict[str, Any]], size: int, token: str | None) -> dict[str, Any]:
        offset = decode_token(token, errors.bad_token, "GetMetricData") if token else 0
        if not isinstance(offset, int) or offset < 0:
            raise errors.bad_token()
        page, seen = [], 0
        for r in results:
            n = len(r["Values"])
            lo, hi = max(offset - seen, 0), min(offset + size - seen, n)
            if lo < hi or (offset == 0 and n == 0):
                page.append({**r, "Timestamps": r["Timestamps"][lo:hi], "Values": r["Values"][lo:hi]})
            if lo < hi < n:
                page[-1]["StatusCode"] = "PartialData"
            seen += n
        out: dict[str, Any] = {"MetricDataResults": page, "Messages": []}
        if offset + size < seen:
            out["NextToken"] = encode_token(offset + size, "GetMetricData")
        return out

    # -- the engine ------------------------------------------------------------------------------
    def compute(self, account: str, region: str, queries: list[dict[str, Any]], start: float, end: float,
                now: float) -> dict[str, Value]:
        """Every query's value (series, list of series or a number spread over the grid), by id."""
        ids = [q["Id"] for q in queries]
        if len(set(ids)) != len(ids):
            raise ExpressionError("The values for parameter id in MetricDataQueries are not unique.")
        by_id = {q["Id"]: q for q in queries}
        trees: dict[str, tuple] = {}
        for q in queries:
            if ("MetricStat" in q) == ("Expression" in q):
                raise ExpressionError(f"Query {q['Id']} must have exactly one of MetricStat or Expression.")
            if "Expression" in q:
                try:
                    trees[q["Id"]] = parse(q["Expression"])
                except ExpressionError as exc:
                    raise ExpressionError(f"Error in expression {q['Id']}: {exc}") from None
                unknown = references(trees[q["Id"]]) - set(by_id) - {"REPEAT", "LINEAR", "repeat", "linear"}
                if unknown:
                    raise ExpressionError(f"Error in expression {q['Id']}: Unrecognized metric "
                                          f"{sorted(unknown)[0]}")
            else:
                stat = q["MetricStat"]
                if not is_statistic(stat["Stat"]):
                    raise ExpressionError(f"The value {stat['Stat']} for parameter MetricStat.Stat is invalid.")
                if not valid_period(stat["Period"]):
                    raise ExpressionError("The parameter MetricStat.Period must be a multiple of 60.")
        period = next((q["MetricStat"]["Period"] for q in queries if "MetricStat" in q),
                      next((q["Period"] for q in queries if q.get("Period")), 60))
        grid = [start + i * period for i in range(int(math.ceil((end - start) / period)))]
        values: dict[str, Value] = {}
        active: list[str] = []

        def stat_series(key: tuple, stat: str, per: int, unit: str | None, label: str, source: str) -> Series:
            samples = self.samples(account, region, key, now, unit, start, end)
            points = {t: aggregate(group, stat) for t, group in buckets(samples, start, end, per).items()}
            return Series(label, {t: v for t, v in sorted(points.items()) if v is not None}, source)

        def lookup(query_id: str) -> Value:
            if query_id not in by_id:
                raise ExpressionError(f"Unrecognized metric {query_id}")
            if query_id not in values:
                if query_id in active:
                    raise ExpressionError(f"Circular dependency on {query_id}")
                active.append(query_id)
                values[query_id] = run(by_id[query_id])
                active.remove(query_id)
            return values[query_id]

        def run(q: dict[str, Any]) -> Value:
            if "MetricStat" in q:
                ms = q["MetricStat"]
                m = ms["Metric"]
                key = metric_key(m["Namespace"], m["MetricName"], m.get("Dimensions"))
                return stat_series(key, ms["Stat"], ms["Period"], ms.get("Unit"), m["MetricName"], q["Id"])
            try:
                value = evaluate(trees[q["Id"]], env)
            except ExpressionError as exc:
                raise ExpressionError(f"Error in expression {q['Id']}: {exc}") from None
            if isinstance(value, float):
                return Series(q["Id"], {t: value for t in grid}, q["Id"])
            if isinstance(value, Series) and value.source != q["Id"]:
                return Series(q["Id"], value.points, q["Id"])
            return value

        def metrics() -> list[Series]:
            out = []
            for q in queries:
                if "MetricStat" in q:
                    value = lookup(q["Id"])
                    assert isinstance(value, Series)
                    out.append(value)
            return out

        def do_search(text: str, stat: str, per: int) -> list[Series]:
            if not is_statistic(stat):
                raise ExpressionError(f"Invalid statistic {stat} in SEARCH")
            if not valid_period(per):
                raise ExpressionError("The period of SEARCH must be a multiple of 60")
            with self.store.lock:
                state = self.store.find(account, region)
                keys = list(state.samples) if state else []
            found = search(keys, text)
            one_name = len({k[1] for k in found}) == 1
            return [stat_series(k, stat, per, None, search_label(k, one_name), k[1]) for k in found]

        env = Environment(grid, period, lookup, metrics, do_search)
        for q in queries:
            lookup(q["Id"])
        return values
