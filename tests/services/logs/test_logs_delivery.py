"""What ingested events set off: subscription filters deliver to Lambda, Kinesis and
Firehose (through Logs destinations too) as AWS sends them; metric filters put metric
data to a registered `cloudwatch`; TestMetricFilter; export tasks write to our S3."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from typing import Any

import boto3

from pytest_cloudmock.gateway import Gateway

from ..aws_errors import error_of
from .conftest import ACCOUNT, NOW_MS
from .recorders import recording

FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:sink"
STREAM = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/logs"
FIREHOSE = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/logs"


def test_subscription_filter_invokes_lambda_with_awslogs_payload(logs: Any, put: Callable[..., Any],
                                                                 aws: Gateway) -> None:
    put("/app", "s1", [(0, "boot")])
    with recording(aws.registry, "lambda") as rec:
        logs.put_subscription_filter(logGroupName="/app", filterName="errors", filterPattern="ERROR",
                                     destinationArn=FUNCTION)
        assert [c[0] for c in rec["lambda"].calls] == ["GetFunction"]  # the function must exist
        rec["lambda"].calls.clear()
        put("/app", "s1", [(1, "ERROR one"), (2, "fine"), (3, "ERROR two")])
        put("/app", "s1", [(4, "nothing to see")])
    ((operation, params, account, region),) = rec["lambda"].calls
    assert (operation, params["FunctionName"], params["InvocationType"]) == ("Invoke", FUNCTION, "Event")
    assert (account, region) == (ACCOUNT, "us-east-1")
    data = json.loads(gzip.decompress(base64.b64decode(json.loads(params["Payload"])["awslogs"]["data"])))
    assert {k: data[k] for k in ("messageType", "owner", "logGroup", "logStream", "subscriptionFilters")} == {
        "messageType": "DATA_MESSAGE", "owner": ACCOUNT, "logGroup": "/app", "logStream": "s1",
        "subscriptionFilters": ["errors"]}
    assert [(e["timestamp"], e["message"]) for e in data["logEvents"]] == [
        (NOW_MS + 1, "ERROR one"), (NOW_MS + 3, "ERROR two")]
    assert all(len(e["id"]) == 56 for e in data["logEvents"])


def test_kinesis_firehose_and_destinations(logs: Any, put: Callable[..., Any], aws: Gateway) -> None:
    put("g", "s", [(0, "x")])
    logs.put_subscription_filter(logGroupName="g", filterName="k", filterPattern="", destinationArn=STREAM)
    destination = logs.put_destination(destinationName="to-firehose", targetArn=FIREHOSE,
                                       roleArn=f"arn:aws:iam::{ACCOUNT}:role/r")["destination"]
    logs.put_subscription_filter(logGroupName="g", filterName="d", filterPattern="",
                                 destinationArn=destination["arn"])
    assert error_of(logs.put_subscription_filter, logGroupName="g", filterName="third", filterPattern="",
                    destinationArn=STREAM) == ("LimitExceededException", "Resource limit exceeded.")
    with recording(aws.registry, "kinesis", "firehose") as rec:
        put("g", "s", [(1, "hello")])
    ((op, params, _, _),) = rec["kinesis"].calls
    assert op == "PutRecord" and params["StreamName"] == "logs" and params["PartitionKey"] == "s"
    assert json.loads(gzip.decompress(params["Data"]))["logEvents"][0]["message"] == "hello"
    ((op, params, _, _),) = rec["firehose"].calls
    assert op == "PutRecord" and params["DeliveryStreamName"] == "logs"
    assert json.loads(gzip.decompress(params["Record"]["Data"]))["subscriptionFilters"] == ["d"]
    filters = logs.describe_subscription_filters(logGroupName="g")["subscriptionFilters"]
    assert [(f["filterName"], f["destinationArn"]) for f in filters] == [("d", destination["arn"]), ("k", STREAM)]
    logs.delete_subscription_filter(logGroupName="g", filterName="k")
    assert error_of(logs.delete_subscription_filter, logGroupName="g", filterName="k") == (
        "ResourceNotFoundException", "The specified subscription filter does not exist.")


def test_a_missing_target_service_loses_the_delivery_not_the_events(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(0, "x")])
    logs.put_subscription_filter(logGroupName="g", filterName="k", filterPattern="", destinationArn=STREAM)
    put("g", "s", [(1, "y")])  # no kinesis registered: the delivery fails quietly, as AWS's would
    assert len(logs.get_log_events(logGroupName="g", logStreamName="s")["events"]) == 2


def test_metric_filters_put_metric_data(logs: Any, put: Callable[..., Any], aws: Gateway) -> None:
    put("g", "s", [(0, "boot")])
    logs.put_metric_filter(logGroupName="g", filterName="latency", filterPattern='{ $.level = "ERROR" }',
                           metricTransformations=[{"metricName": "Latency", "metricNamespace": "App",
                                                   "metricValue": "$.latency", "unit": "Milliseconds",
                                                   "dimensions": {"Level": "$.level"}}])
    assert logs.describe_log_groups()["logGroups"][0]["metricFilterCount"] == 1
    with recording(aws.registry, "cloudwatch") as rec:
        put("g", "s", [(1, '{"level": "ERROR", "latency": 120}'), (2, '{"level": "INFO", "latency": 5}')])
    ((op, params, _, _),) = rec["cloudwatch"].calls
    assert op == "PutMetricData" and params["Namespace"] == "App"
    (datum,) = params["MetricData"]
    assert (datum["MetricName"], datum["Value"], datum["Unit"]) == ("Latency", 120.0, "Milliseconds")
    assert datum["Dimensions"] == [{"Name": "Level", "Value": "ERROR"}]
    assert int(datum["Timestamp"].timestamp() * 1000) == NOW_MS + 1
    found = logs.describe_metric_filters(metricName="Latency", metricNamespace="App")["metricFilters"]
    assert [f["filterName"] for f in found] == ["latency"]
    logs.delete_metric_filter(logGroupName="g", filterName="latency")
    assert error_of(logs.delete_metric_filter, logGroupName="g", filterName="latency") == (
        "ResourceNotFoundException", "The specified metric filter does not exist.")


def test_test_metric_filter_extracts_fields_as_documented(logs: Any) -> None:
    # the example of AWS's "Filter and pattern syntax" page: named fields and positions
    message = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'
    (match,) = logs.test_metric_filter(filterPattern="[..., request=*.html*, status_code=4*,]",
                                       logEventMessages=[message])["matches"]
    assert match["extractedValues"] == {
        "$status_code": "404", "$request": "GET /index.html HTTP/1.0", "$7": "1534",
        "$4": "10/Oct/2000:13:25:15 -0700", "$3": "frank", "$2": "-", "$1": "127.0.0.1"}


def test_test_metric_filter(logs: Any) -> None:
    matches = logs.test_metric_filter(
        filterPattern="[ip, user, username, timestamp, request, status_code = 4*, bytes]",
        logEventMessages=['1.2.3.4 - a [t] "GET /" 404 10', '1.2.3.4 - a [t] "GET /" 200 10'])["matches"]
    assert [(m["eventNumber"], m["extractedValues"]["$status_code"]) for m in matches] == [(1, "404")]
    assert error_of(logs.test_metric_filter, filterPattern="{ $.x = ", logEventMessages=["m"])[0] == \
        "InvalidParameterException"


def test_export_task_writes_to_s3(logs: Any, put: Callable[..., Any], client: Callable[..., Any]) -> None:
    s3 = client("s3")
    s3.create_bucket(Bucket="exports")
    put("g", "web-1", [(0, "a"), (10, "b"), (5000, "late")])
    put("g", "other", [(1, "c")])
    task_id = logs.create_export_task(logGroupName="g", logStreamNamePrefix="web", fromTime=NOW_MS, to=NOW_MS + 100,
                                      destination="exports", destinationPrefix="out")["taskId"]
    (task,) = logs.describe_export_tasks(taskId=task_id)["exportTasks"]
    assert task["status"]["code"] == "COMPLETED"
    body = s3.get_object(Bucket="exports", Key=f"out/{task_id}/web-1/000000.gz")["Body"].read()
    assert gzip.decompress(body).decode().splitlines() == ["2026-01-01T00:00:00.000Z a", "2026-01-01T00:00:00.010Z b"]
    assert error_of(logs.cancel_export_task, taskId=task_id)[0] == "InvalidOperationException"
    failed = logs.create_export_task(logGroupName="g", fromTime=NOW_MS, to=NOW_MS + 1, destination="missing")["taskId"]
    assert logs.describe_export_tasks(taskId=failed)["exportTasks"][0]["status"]["code"] == "FAILED"


def test_metric_filter_default_value_for_minutes_without_matches(logs: Any, put: Callable[..., Any],
                                                                  aws: Gateway) -> None:
    put("g", "s", [(0, "boot")])
    logs.put_metric_filter(logGroupName="g", filterName="errors", filterPattern="ERROR",
                           metricTransformations=[{"metricName": "Errors", "metricNamespace": "App",
                                                   "metricValue": "1", "defaultValue": 0}])
    with recording(aws.registry, "cloudwatch") as rec:
        put("g", "s", [(60_000, "ERROR a"), (60_001, "fine"), (120_000, "fine")])
    ((_, params, _, _),) = rec["cloudwatch"].calls
    assert [(d["Value"], int(d["Timestamp"].timestamp() * 1000)) for d in params["MetricData"]] == [
        (1.0, NOW_MS + 60_000), (0.0, NOW_MS + 120_000)]


def test_cross_account_destination(logs: Any, put: Callable[..., Any], aws: Gateway) -> None:
    other_account = "210987654321"  # a 12-digit access key id is that account (no config needed)
    other = boto3.Session(aws_access_key_id=other_account, aws_secret_access_key="x" * 40,
                          region_name="us-east-1").client("logs", endpoint_url=aws.endpoint)
    stream = f"arn:aws:kinesis:us-east-1:{other_account}:stream/central"
    dest = other.put_destination(destinationName="central", targetArn=stream,
                                 roleArn=f"arn:aws:iam::{other_account}:role/r")["destination"]
    put("g", "s", [(0, "x")])
    logs.put_subscription_filter(logGroupName="g", filterName="c", filterPattern="", destinationArn=dest["arn"])
    with recording(aws.registry, "kinesis") as rec:
        put("g", "s", [(1, "shipped")])
    ((op, params, account, _),) = rec["kinesis"].calls
    assert (op, params["StreamName"], account) == ("PutRecord", "central", other_account)
    assert json.loads(gzip.decompress(params["Data"]))["owner"] == ACCOUNT
