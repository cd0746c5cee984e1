"""GetMetricData: metric queries and metric math against hand-computed values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import code

T0 = datetime(2026, 3, 4, 5, 0, tzinfo=timezone.utc)
END = T0 + timedelta(minutes=5)


def stat(query_id: str, name: str, stat_name: str = "Sum", **kwargs: Any) -> dict[str, Any]:
    metric = {"Namespace": "App", "MetricName": name, **kwargs}
    return {"Id": query_id, "MetricStat": {"Metric": metric, "Period": 60, "Stat": stat_name}, "ReturnData": False}


def expr(query_id: str, expression: str, **kwargs: Any) -> dict[str, Any]:
    return {"Id": query_id, "Expression": expression, **kwargs}


@pytest.fixture
def data(cw_any, frozen):
    """a: 1, 2, -, 4, 5 and b: 10, 20, 30, 40, 50 over five minutes; c per host."""
    frozen.set(T0 + timedelta(minutes=10))
    a = {0: 1, 1: 2, 3: 4, 4: 5}
    rows = [{"MetricName": "a", "Value": v, "Timestamp": T0 + timedelta(minutes=m)} for m, v in a.items()]
    rows += [{"MetricName": "b", "Value": 10 * (m + 1), "Timestamp": T0 + timedelta(minutes=m)} for m in range(5)]
    rows += [{"MetricName": "c", "Value": v, "Timestamp": T0, "Dimensions": [{"Name": "Host", "Value": h}]}
             for h, v in (("x", 3), ("y", 7))]
    cw_any.put_metric_data(Namespace="App", MetricData=rows)
    return cw_any


def run(cw: Any, *queries: dict[str, Any], **kwargs: Any) -> dict[str, list[float]]:
    got = cw.get_metric_data(MetricDataQueries=list(queries), StartTime=T0, EndTime=END,
                             ScanBy="TimestampAscending", **kwargs)
    return {f"{r['Id']}:{r['Label']}": r["Values"] for r in got["MetricDataResults"]}


def test_arithmetic_over_series(data):
    got = run(data, stat("a", "a"), stat("b", "b"), expr("e", "(b - a) * 2 / 2 + a ^ 2", Label="e"))
    assert got == {"e:e": [10.0, 22.0, 52.0, 70.0]}  # minute 2 has no `a`: dropped


def test_fill_variants(data):
    got = run(data, stat("a", "a"), expr("zero", "FILL(a, 0)", Label="zero"),
              expr("rep", "FILL(a, REPEAT)", Label="rep"), expr("lin", "FILL(a, LINEAR)", Label="lin"))
    assert got == {"zero:zero": [1.0, 2.0, 0.0, 4.0, 5.0], "rep:rep": [1.0, 2.0, 2.0, 4.0, 5.0],
                   "lin:lin": [1.0, 2.0, 3.0, 4.0, 5.0]}


def test_reducers_if_abs_rate_diff(data):
    got = run(data, stat("a", "a"), stat("b", "b"),
              expr("s", "SUM(METRICS())", Label="s"), expr("mx", "MAX([a, b])", Label="mx"),
              expr("avg", "AVG(b) + 0 * b", Label="avg"),
              expr("cond", "IF(b > 25, b, -b)", Label="cond"), expr("abs", "ABS(a - b)", Label="abs"),
              expr("d", "DIFF(b)", Label="d"), expr("r", "RATE(b)", Label="r"))
    assert got["s:s"] == [11.0, 22.0, 30.0, 44.0, 55.0]
    assert got["mx:mx"] == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert got["avg:avg"] == [30.0] * 5
    assert got["cond:cond"] == [-10.0, -20.0, 30.0, 40.0, 50.0]
    assert got["abs:abs"] == [9.0, 18.0, 36.0, 45.0]
    assert got["d:d"] == [10.0] * 4
    assert got["r:r"] == [10 / 60] * 4


def test_search_over_our_metrics(data):
    got = data.get_metric_data(MetricDataQueries=[
        expr("s", "SEARCH('{App,Host} MetricName=\"c\"', 'Sum', 60)"),
        expr("total", "SUM(SEARCH('{App,Host} MetricName=\"c\"', 'Sum', 60))", Label="total")],
        StartTime=T0, EndTime=END)
    by_label = {r["Label"]: r["Values"] for r in got["MetricDataResults"]}
    assert by_label == {"x": [3.0], "y": [7.0], "total": [10.0]}


def test_order_labels_max_datapoints_and_pages(data):
    got = data.get_metric_data(MetricDataQueries=[{**stat("b", "b"), "ReturnData": True}], StartTime=T0,
                               EndTime=END)
    (result,) = got["MetricDataResults"]
    assert result["Label"] == "b" and result["Values"] == [50.0, 40.0, 30.0, 20.0, 10.0]
    assert result["Timestamps"][0] == T0 + timedelta(minutes=4) and result["StatusCode"] == "Complete"
    pages = list(data.get_paginator("get_metric_data").paginate(
        MetricDataQueries=[{**stat("b", "b"), "ReturnData": True}], StartTime=T0, EndTime=END, MaxDatapoints=2))
    assert [p["MetricDataResults"][0]["Values"] for p in pages] == [[50.0, 40.0], [30.0, 20.0], [10.0]]


def test_division_by_zero_is_a_message(data):
    got = data.get_metric_data(MetricDataQueries=[stat("a", "a"), expr("e", "a / (a - 2)")], StartTime=T0,
                               EndTime=END, ScanBy="TimestampAscending")
    (result,) = got["MetricDataResults"]
    assert result["Values"] == [-1.0, 2.0, 5 / 3]
    assert result["Messages"][0]["Code"] == "ArithmeticError"


@pytest.mark.parametrize("queries", [
    [expr("e", "a +")],
    [expr("e", "m9 * 2")],
    [expr("e", "NOPE(1)")],
    [stat("a", "a"), stat("a", "b")],
    [expr("e", "f"), expr("f", "e")],
    [stat("a", "a", "Median")],
])
def test_bad_queries(data, queries):
    with pytest.raises(ClientError) as exc:
        data.get_metric_data(MetricDataQueries=queries, StartTime=T0, EndTime=END)
    assert code(exc) == "ValidationError"
