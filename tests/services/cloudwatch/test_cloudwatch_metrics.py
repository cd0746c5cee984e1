"""PutMetricData, ListMetrics and GetMetricStatistics, in every wire protocol."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import code

T0 = datetime(2026, 3, 4, 5, 6, tzinfo=timezone.utc)


def put(cw: Any, name: str, namespace: str = "App", **datum: Any) -> None:
    cw.put_metric_data(Namespace=namespace, MetricData=[{"MetricName": name, **datum}])


def test_values_counts_and_statistic_sets_aggregate_per_period(cw_any, frozen):
    put(cw_any, "Latency", Value=10, Unit="Milliseconds", Timestamp=T0)
    put(cw_any, "Latency", Values=[1, 2, 3], Counts=[1, 1, 2], Unit="Milliseconds", Timestamp=T0 + timedelta(seconds=20))
    put(cw_any, "Latency", StatisticValues={"SampleCount": 4, "Sum": 40, "Minimum": 5, "Maximum": 15},
        Unit="Milliseconds", Timestamp=T0 + timedelta(minutes=1))
    got = cw_any.get_metric_statistics(Namespace="App", MetricName="Latency", StartTime=T0,
                                       EndTime=T0 + timedelta(minutes=5), Period=60,
                                       Statistics=["Sum", "Average", "Minimum", "Maximum", "SampleCount"])
    first, second = sorted(got["Datapoints"], key=lambda p: p["Timestamp"])
    assert got["Label"] == "Latency"
    assert first == {"Timestamp": T0, "Sum": 19.0, "Average": 19 / 5, "Minimum": 1.0, "Maximum": 10.0,
                     "SampleCount": 5.0, "Unit": "Milliseconds"}
    assert (second["Sum"], second["SampleCount"], second["Average"]) == (40.0, 4.0, 10.0)
    longer = cw_any.get_metric_statistics(Namespace="App", MetricName="Latency", StartTime=T0,
                                          EndTime=T0 + timedelta(minutes=5), Period=300, Statistics=["Sum"])
    assert [p["Sum"] for p in longer["Datapoints"]] == [59.0]


def test_percentiles_and_unit_filter(cw, frozen):
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Size", "Values": [float(v) for v in range(1, 101)], "Unit": "Bytes", "Timestamp": T0}])
    put(cw, "Size", Value=5000, Unit="Kilobytes", Timestamp=T0)
    got = cw.get_metric_statistics(Namespace="App", MetricName="Size", StartTime=T0,
                                   EndTime=T0 + timedelta(minutes=1), Period=60,
                                   ExtendedStatistics=["p99", "p50"], Unit="Bytes")
    (point,) = got["Datapoints"]
    assert point["ExtendedStatistics"] == {"p99": 99.0, "p50": 50.0} and point["Unit"] == "Bytes"


def test_dimensions_must_match_exactly(cw, frozen):
    put(cw, "Hits", Value=1, Dimensions=[{"Name": "Host", "Value": "a"}], Timestamp=T0)
    args = {"Namespace": "App", "MetricName": "Hits", "StartTime": T0, "EndTime": T0 + timedelta(minutes=1),
            "Period": 60, "Statistics": ["Sum"]}
    assert cw.get_metric_statistics(**args)["Datapoints"] == []
    assert len(cw.get_metric_statistics(**args, Dimensions=[{"Name": "Host", "Value": "a"}])["Datapoints"]) == 1


def test_list_metrics_filters_recently_active_and_pages(cw_any, frozen, aws):
    for i in range(3):
        put(cw_any, "Hits", Value=1, Dimensions=[{"Name": "Host", "Value": f"h{i}"}])
    put(cw_any, "Errors", namespace="Other", Value=1)
    assert len(cw_any.list_metrics()["Metrics"]) == 4
    assert {m["MetricName"] for m in cw_any.list_metrics(Namespace="Other")["Metrics"]} == {"Errors"}
    by_dim = cw_any.list_metrics(Dimensions=[{"Name": "Host", "Value": "h1"}])["Metrics"]
    assert by_dim == [{"Namespace": "App", "MetricName": "Hits", "Dimensions": [{"Name": "Host", "Value": "h1"}]}]
    assert len(cw_any.list_metrics(Dimensions=[{"Name": "Host"}])["Metrics"]) == 3
    aws.clock.advance(hours=4)
    put(cw_any, "Fresh", Value=1)
    recent = cw_any.list_metrics(RecentlyActive="PT3H")["Metrics"]
    assert [m["MetricName"] for m in recent] == ["Fresh"]
    assert len(cw_any.list_metrics()["Metrics"]) == 5


def test_list_metrics_pages_by_500(client, frozen):
    cw = client("cloudwatch")
    data = [{"MetricName": f"m{i:04}", "Value": 1.0} for i in range(1000)]
    cw.put_metric_data(Namespace="Many", MetricData=data[:1000])  # > 10 KiB: botocore gzips the body
    put(cw, "last", namespace="Many", Value=1)
    first = cw.list_metrics(Namespace="Many")
    assert len(first["Metrics"]) == 500 and "NextToken" in first
    pages = list(cw.get_paginator("list_metrics").paginate(Namespace="Many"))
    assert sum(len(p["Metrics"]) for p in pages) == 1001
    with pytest.raises(ClientError) as exc:
        cw.list_metrics(NextToken="garbage")
    assert code(exc) == "InvalidNextToken"


@pytest.mark.parametrize("datum, expected", [
    ({"Value": 1, "Values": [1.0]}, "InvalidParameterCombination"),
    ({"Value": 1, "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}},
     "InvalidParameterCombination"),
    ({"Values": [1.0, 2.0], "Counts": [1.0]}, "InvalidParameterValue"),
    ({"Values": [1.0] * 151}, "InvalidParameterValue"),
    ({"Value": 2.0**361}, "InvalidParameterValue"),
    ({"Value": 1, "StorageResolution": 30}, "InvalidParameterValue"),
    ({"Value": 1, "Dimensions": [{"Name": f"d{i}", "Value": "v"} for i in range(31)]},
     ("InvalidParameterValue", "ValidationError")),  # the model's list limit: the validation step may answer
    ({"Value": 1, "Dimensions": [{"Name": "d", "Value": "v"}, {"Name": "d", "Value": "w"}]},
     "InvalidParameterValue"),
    ({"StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 3, "Maximum": 1}}, "InvalidParameterValue"),
    ({}, "MissingParameter"),
    ({"Value": 1, "Timestamp": T0 - timedelta(days=15)}, "InvalidParameterValue"),
    ({"Value": 1, "Timestamp": T0 + timedelta(hours=3)}, "InvalidParameterValue"),
])
def test_put_metric_data_refuses_bad_data(cw_any, frozen, datum, expected):
    with pytest.raises(ClientError) as exc:
        put(cw_any, "x", **datum)
    assert code(exc) in ((expected,) if isinstance(expected, str) else expected)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cw_any.list_metrics()["Metrics"] == []  # nothing of a refused request is kept


def test_reserved_namespace_and_thirty_dimensions(cw, frozen):
    with pytest.raises(ClientError) as exc:
        put(cw, "CPU", namespace="AWS/EC2", Value=1)
    assert code(exc) == "InvalidParameterValue" and "AWS/EC2" in exc.value.response["Error"]["Message"]
    put(cw, "wide", Value=1, Dimensions=[{"Name": f"d{i}", "Value": "v"} for i in range(30)])
    assert len(cw.list_metrics(MetricName="wide")["Metrics"][0]["Dimensions"]) == 30


def test_high_resolution_keeps_seconds(cw, frozen):
    for second in (1, 2, 11):
        put(cw, "Fast", Value=second, StorageResolution=1, Timestamp=T0 + timedelta(seconds=second))
    got = cw.get_metric_statistics(Namespace="App", MetricName="Fast", StartTime=T0,
                                   EndTime=T0 + timedelta(seconds=20), Period=10, Statistics=["Sum"])
    assert sorted(p["Sum"] for p in got["Datapoints"]) == [3.0, 11.0]
    put(cw, "Slow", Value=1, Timestamp=T0 + timedelta(seconds=59))  # standard resolution: the minute
    got = cw.get_metric_statistics(Namespace="App", MetricName="Slow", StartTime=T0,
                                   EndTime=T0 + timedelta(seconds=10), Period=10, Statistics=["Sum"])
    assert [p["Timestamp"] for p in got["Datapoints"]] == [T0]


def test_timestamps_default_to_the_gateway_clock(cw, frozen):
    put(cw, "Now", Value=1)
    got = cw.get_metric_statistics(Namespace="App", MetricName="Now", StartTime=T0 - timedelta(hours=1),
                                   EndTime=T0 + timedelta(hours=1), Period=60, Statistics=["SampleCount"])
    assert [p["Timestamp"] for p in got["Datapoints"]] == [T0]


@pytest.mark.parametrize("args, expected", [
    ({"Period": 61, "Statistics": ["Sum"]}, "InvalidParameterValue"),
    ({"Period": 60}, "MissingParameter"),
    ({"Period": 60, "Statistics": ["Sum"], "ExtendedStatistics": ["p90"]}, "InvalidParameterCombination"),
    ({"Period": 60, "ExtendedStatistics": ["q90"]}, "InvalidParameterValue"),
    ({"Period": 1, "Statistics": ["Sum"], "EndTime": T0 + timedelta(hours=1)}, "InvalidParameterCombination"),
    ({"Period": 60, "Statistics": ["Sum"], "EndTime": T0}, "InvalidParameterValue"),
])
def test_get_metric_statistics_errors(cw_any, frozen, args, expected):
    call = {"Namespace": "App", "MetricName": "x", "StartTime": T0, "EndTime": T0 + timedelta(minutes=5), **args}
    with pytest.raises(ClientError) as exc:
        cw_any.get_metric_statistics(**call)
    assert code(exc) == expected
