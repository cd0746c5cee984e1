"""Embedded metric format: metrics in log events reach CloudWatch; malformed ones do not."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pytest_cloudmock.services.logs.emf import emf_metric_data

from .conftest import NOW_MS


def emf(**root: Any) -> str:
    meta = {"Timestamp": NOW_MS, "CloudWatchMetrics": [{
        "Namespace": "Shop", "Dimensions": [["Service"], ["Service", "Stage"]],
        "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"}, {"Name": "Orders", "StorageResolution": 1}]}]}
    return json.dumps({"_aws": meta, "Service": "cart", "Stage": "prod", "Latency": [10, 30], "Orders": 2, **root})


def test_emf_log_lines_become_cloudwatch_metrics(put: Callable[..., Any], client: Callable[..., Any]) -> None:
    put("/aws/lambda/cart", "s", [(0, emf()), (1, "plain text line"), (2, emf(Latency=50))])
    cloudwatch = client("cloudwatch")
    metrics = cloudwatch.list_metrics(Namespace="Shop")["Metrics"]
    assert sorted((m["MetricName"], tuple(d["Name"] for d in m["Dimensions"])) for m in metrics) == [
        ("Latency", ("Service",)), ("Latency", ("Service", "Stage")),
        ("Orders", ("Service",)), ("Orders", ("Service", "Stage"))]
    start = datetime.fromtimestamp(NOW_MS / 1000, timezone.utc)
    stats = cloudwatch.get_metric_statistics(
        Namespace="Shop", MetricName="Latency", Dimensions=[{"Name": "Service", "Value": "cart"}],
        StartTime=start - timedelta(minutes=1), EndTime=start + timedelta(minutes=1), Period=60,
        Statistics=["SampleCount", "Maximum", "Sum"], Unit="Milliseconds")["Datapoints"]
    assert [(p["SampleCount"], p["Maximum"], p["Sum"]) for p in stats] == [(3.0, 50.0, 90.0)]


def test_a_directive_without_dimensions_publishes_undimensioned_metrics() -> None:
    line = json.dumps({"_aws": {"Timestamp": NOW_MS, "CloudWatchMetrics": [
        {"Namespace": "N", "Dimensions": [], "Metrics": [{"Name": "Count"}]}]}, "Count": 1})
    (datum,) = emf_metric_data(line)["N"]
    assert "Dimensions" not in datum and datum["Value"] == 1.0


@pytest.mark.parametrize("broken", [
    {"_aws": {"Timestamp": None}},  # no Timestamp
    {"Latency": "slow"},  # not a number
    {"Latency": [1, "x"]},  # not all numbers
    {"Latency": list(range(101))},  # more values than allowed
    {"Service": 7},  # a dimension value that is not a string
    {"Orders": True},  # booleans are not numbers
])
def test_malformed_events_keep_their_line_and_yield_no_metrics(broken: dict[str, Any],
                                                               put: Callable[..., Any], logs: Any) -> None:
    line = json.loads(emf())
    for key, value in broken.items():
        line[key] = {**line["_aws"], **value} if key == "_aws" else value
    text = json.dumps(line)
    assert emf_metric_data(text) == {}
    put("g", "s", [(0, text)])
    assert logs.get_log_events(logGroupName="g", logStreamName="s")["events"][0]["message"] == text


def test_other_lines_are_not_parsed() -> None:
    assert emf_metric_data("not json") == {} and emf_metric_data('{"a": 1}') == {}
    assert emf_metric_data('{"_aws": ') == {}
