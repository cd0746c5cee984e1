"""Dashboards, tags, stored resources, the widget image, and every operation answered."""

from __future__ import annotations

import json
import zlib

import pytest
from botocore.exceptions import ClientError

from ..every_operation import call_every_operation
from .conftest import code

BODY = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 3,
                                "properties": {"markdown": "hi"}}]})


def test_dashboards(cw_any):
    assert cw_any.put_dashboard(DashboardName="main", DashboardBody=BODY)["DashboardValidationMessages"] == []
    got = cw_any.get_dashboard(DashboardName="main")
    assert got["DashboardBody"] == BODY and got["DashboardArn"].endswith(":dashboard/main")
    (entry,) = cw_any.list_dashboards(DashboardNamePrefix="ma")["DashboardEntries"]
    assert entry["Size"] == len(BODY)
    cw_any.delete_dashboards(DashboardNames=["main"])
    with pytest.raises(ClientError) as exc:
        cw_any.get_dashboard(DashboardName="main")
    assert code(exc) == "ResourceNotFound" and exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize("body, path", [("{nope", ""), ("{}", ""), ('{"widgets": [{"type": "chart"}]}',
                                                                    "/widgets/0/type")])
def test_dashboard_body_errors(cw, body, path):
    with pytest.raises(ClientError) as exc:
        cw.put_dashboard(DashboardName="d", DashboardBody=body)
    assert code(exc) == "InvalidParameterInput"
    assert exc.value.response["dashboardValidationMessages"][0]["DataPath"] == path


def test_tags_on_alarms(cw):
    cw.put_metric_alarm(AlarmName="a", Namespace="N", MetricName="m", Statistic="Sum", Period=60,
                        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
                        Tags=[{"Key": "team", "Value": "x"}])
    arn = cw.describe_alarms()["MetricAlarms"][0]["AlarmArn"]
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "dev"}])
    cw.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
    with pytest.raises(ClientError) as exc:
        cw.list_tags_for_resource(ResourceARN=arn + "x")
    assert code(exc) == "ResourceNotFoundException"


def test_insight_rules_streams_and_detectors(cw):
    cw.put_insight_rule(RuleName="r", RuleDefinition=json.dumps({"Schema": {"Name": "CloudWatchLogRule",
                                                                            "Version": 1}}))
    assert cw.disable_insight_rules(RuleNames=["r", "gone"])["Failures"][0]["FailureResource"] == "gone"
    assert cw.describe_insight_rules()["InsightRules"][0]["State"] == "DISABLED"
    arn = cw.put_metric_stream(Name="s", FirehoseArn="arn:aws:firehose:us-east-1:123456789012:deliverystream/d",
                               RoleArn="arn:aws:iam::123456789012:role/r", OutputFormat="json")["Arn"]
    cw.stop_metric_streams(Names=["s"])
    assert cw.get_metric_stream(Name="s")["State"] == "stopped" and arn.endswith(":metric-stream/s")
    with pytest.raises(ClientError) as exc:
        cw.start_metric_streams(Names=["nope"])
    assert code(exc) == "ResourceNotFoundException"
    cw.put_anomaly_detector(SingleMetricAnomalyDetector={"Namespace": "N", "MetricName": "m", "Stat": "Average"})
    (detector,) = cw.describe_anomaly_detectors(Namespace="N")["AnomalyDetectors"]
    assert detector["SingleMetricAnomalyDetector"]["MetricName"] == "m"
    cw.delete_anomaly_detector(SingleMetricAnomalyDetector={"Namespace": "N", "MetricName": "m", "Stat": "Average"})
    assert cw.describe_anomaly_detectors()["AnomalyDetectors"] == []


def test_widget_image_is_a_png(cw_any):
    image = cw_any.get_metric_widget_image(MetricWidget=json.dumps({"width": 20, "height": 10}))["MetricWidgetImage"]
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    ihdr = image[8:33]
    assert ihdr[4:8] == b"IHDR" and int.from_bytes(ihdr[8:12], "big") == 20
    assert zlib.crc32(ihdr[4:21]) == int.from_bytes(ihdr[21:25], "big")


@pytest.mark.parametrize("protocol", ["json", "smithy-rpc-v2-cbor", "query"])
def test_every_operation_answers(aws, cw_clients, protocol):
    assert call_every_operation(cw_clients[protocol], seed=19, rounds=2) == []


def test_metric_streams_deliver_finished_minutes_to_firehose_as_json_lines(cw, client, aws, frozen):
    s3, firehose = client("s3"), client("firehose")
    s3.create_bucket(Bucket="metrics")
    arn = firehose.create_delivery_stream(DeliveryStreamName="to-s3", ExtendedS3DestinationConfiguration={
        "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::metrics",
        "BufferingHints": {"IntervalInSeconds": 60, "SizeInMBs": 1}})["DeliveryStreamARN"]
    cw.put_metric_stream(Name="app", FirehoseArn=arn, RoleArn="arn:aws:iam::123456789012:role/r",
                         OutputFormat="json", IncludeFilters=[{"Namespace": "App", "MetricNames": ["Latency"]}])
    for value in (10.0, 30.0):
        cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Latency", "Value": value, "Unit": "Milliseconds",
                                                         "Dimensions": [{"Name": "Api", "Value": "orders"}]}])
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Other", "Value": 1.0}])  # not selected
    cw.put_metric_data(Namespace="Else", MetricData=[{"MetricName": "Latency", "Value": 1.0}])  # not selected
    frozen.advance(minutes=3)  # the minute ends, the stream delivers, Firehose's buffer interval passes
    aws.settle(timeout=10)
    frozen.advance(minutes=2)
    aws.settle(timeout=10)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="metrics").get("Contents", [])]
    lines = [json.loads(line) for key in keys
             for line in s3.get_object(Bucket="metrics", Key=key)["Body"].read().decode().splitlines()]
    assert lines == [{
        "metric_stream_name": "app", "account_id": "123456789012", "region": "us-east-1", "namespace": "App",
        "metric_name": "Latency", "dimensions": {"Api": "orders"}, "timestamp": lines[0]["timestamp"],
        "value": {"max": 30.0, "min": 10.0, "sum": 40.0, "count": 2.0}, "unit": "Milliseconds"}]
    assert lines[0]["timestamp"] % 60000 == 0
