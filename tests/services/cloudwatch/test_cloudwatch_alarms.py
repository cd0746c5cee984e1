"""Alarms: evaluation on the gateway clock as data arrives and the clock moves, actions to SNS
(through to an SQS queue), composite rules, SetAlarmState, history and filters."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import code


def alarm(cw: Any, name: str = "high", **kwargs: Any) -> None:
    args = {"AlarmName": name, "Namespace": "App", "MetricName": "Load", "Statistic": "Average", "Period": 60,
            "EvaluationPeriods": 1, "Threshold": 10.0, "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching", **kwargs}
    cw.put_metric_alarm(**args)


def state(cw: Any, name: str = "high", kind: str = "MetricAlarms") -> str:
    return cw.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm", "CompositeAlarm"])[kind][0]["StateValue"]


def load(cw: Any, value: float) -> None:
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Load", "Value": value}])


@pytest.fixture
def topic_queue(client: Any) -> tuple[str, str, Any]:
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="alarms")["TopicArn"]
    url = sqs.create_queue(QueueName="alarms")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "false"})
    return topic, url, sqs


def test_ok_alarm_ok_with_sns_to_sqs(cw_any, aws, frozen, topic_queue):
    topic, url, sqs = topic_queue
    alarm(cw_any, AlarmActions=[topic], OKActions=[topic], AlarmDescription="load too high")
    assert state(cw_any) == "OK"  # nothing arrived: not breaching
    load(cw_any, 5)
    assert state(cw_any) == "OK"
    load(cw_any, 25)  # the minute's average is 15 > 10
    described = cw_any.describe_alarms(AlarmNames=["high"])["MetricAlarms"][0]
    assert described["StateValue"] == "ALARM" and "greater than the threshold (10.0)" in described["StateReason"]
    assert json.loads(described["StateReasonData"])["recentDatapoints"] == [15.0]
    frozen.advance(60)  # a new, empty minute: notBreaching
    assert state(cw_any) == "OK"
    aws.settle()
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    notes = [json.loads(m["Body"]) for m in messages]
    # the first evaluation (INSUFFICIENT_DATA -> OK) runs the OK actions too, as AWS does; actions
    # run on the dispatcher and SQS standard queues keep no order, so the order is the history's
    assert sorted(n["Subject"] for n in notes) == ['ALARM: "high" in US East (N. Virginia)',
                                                  'OK: "high" in US East (N. Virginia)',
                                                  'OK: "high" in US East (N. Virginia)']
    first = json.loads(next(n for n in notes if n["Subject"].startswith("ALARM"))["Message"])
    assert (first["OldStateValue"], first["NewStateValue"], first["AlarmDescription"]) == ("OK", "ALARM",
                                                                                           "load too high")
    assert first["Trigger"]["MetricName"] == "Load" and first["Trigger"]["Statistic"] == "AVERAGE"
    assert first["AlarmArn"].endswith(":alarm:high") and first["Region"] == "US East (N. Virginia)"
    history = cw_any.describe_alarm_history(AlarmName="high", HistoryItemType="StateUpdate")
    assert [h["HistorySummary"] for h in history["AlarmHistoryItems"]] == [
        "Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM", "Alarm updated from INSUFFICIENT_DATA to OK"]


@pytest.mark.parametrize("treat, expected", [("missing", "INSUFFICIENT_DATA"), ("notBreaching", "OK"),
                                             ("breaching", "ALARM"), ("ignore", "INSUFFICIENT_DATA")])
def test_missing_data_treatments(cw, frozen, treat, expected):
    alarm(cw, TreatMissingData=treat)
    assert state(cw) == expected


def test_datapoints_to_alarm_m_out_of_n(cw, frozen):
    alarm(cw, EvaluationPeriods=3, DatapointsToAlarm=2, TreatMissingData="missing")
    load(cw, 50)
    assert state(cw) == "OK"  # 1 of 3 breaching
    frozen.advance(60)
    load(cw, 1)
    assert state(cw) == "OK"
    frozen.advance(60)
    load(cw, 50)
    assert state(cw) == "ALARM"  # 2 of the last 3
    frozen.advance(120)
    assert state(cw) == "OK"  # the last 3 minutes: 50, -, -


def test_metric_math_alarm_and_disabled_actions(cw, aws, frozen, topic_queue):
    topic, url, sqs = topic_queue
    cw.put_metric_alarm(AlarmName="ratio", EvaluationPeriods=1, Threshold=0.5,
                        ComparisonOperator="GreaterThanOrEqualToThreshold", AlarmActions=[topic],
                        ActionsEnabled=False, Metrics=[
                            {"Id": "e", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Errors"},
                                                       "Period": 60, "Stat": "Sum"}, "ReturnData": False},
                            {"Id": "r", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Requests"},
                                                       "Period": 60, "Stat": "Sum"}, "ReturnData": False},
                            {"Id": "rate", "Expression": "e / r", "ReturnData": True}])
    cw.put_metric_data(Namespace="App", MetricData=[{"MetricName": "Errors", "Value": 3},
                                                    {"MetricName": "Requests", "Value": 4}])
    assert state(cw, "ratio") == "ALARM"
    aws.settle()
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # actions disabled
    cw.enable_alarm_actions(AlarmNames=["ratio"])
    cw.set_alarm_state(AlarmName="ratio", StateValue="OK", StateReason="testing")
    cw.set_alarm_state(AlarmName="ratio", StateValue="ALARM", StateReason="testing")
    aws.settle()
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(json.loads(message["Body"])["Message"])["NewStateReason"] == "testing"


def test_composite_alarm_rule(cw_any, frozen):
    alarm(cw_any, "a")
    alarm(cw_any, "b", Threshold=100.0)
    cw_any.put_composite_alarm(AlarmName="both", AlarmRule='ALARM("a") AND NOT OK(b)')
    cw_any.put_composite_alarm(AlarmName="either", AlarmRule='ALARM(a) OR (ALARM("b") AND TRUE)')
    assert state(cw_any, "both", "CompositeAlarms") == "OK"
    load(cw_any, 50)
    assert state(cw_any, "a") == "ALARM" and state(cw_any, "b") == "OK"
    assert state(cw_any, "either", "CompositeAlarms") == "ALARM"
    assert state(cw_any, "both", "CompositeAlarms") == "OK"
    cw_any.set_alarm_state(AlarmName="b", StateValue="INSUFFICIENT_DATA", StateReason="x")
    assert state(cw_any, "both", "CompositeAlarms") == "ALARM"
    assert [a["AlarmName"] for a in cw_any.describe_alarms(ParentsOfAlarmName="a")["CompositeAlarms"]] == [
        "both", "either"]
    children = cw_any.describe_alarms(ChildrenOfAlarmName="both")["MetricAlarms"]
    assert [a["AlarmName"] for a in children] == ["a", "b"]
    for rule in ('ALARM("a") AND', 'ALARM("nope")', "MAYBE(a)", 'ALARM("a"'):
        with pytest.raises(ClientError) as exc:
            cw_any.put_composite_alarm(AlarmName="bad", AlarmRule=rule)
        assert code(exc) == "InvalidParameterValue"


def test_describe_filters_and_pages(cw, frozen):
    for i in range(7):
        alarm(cw, f"cpu-{i}", Threshold=float(i))
    alarm(cw, "disk")
    load(cw, 3.5)
    assert len(cw.describe_alarms()["MetricAlarms"]) == 8
    assert len(cw.describe_alarms(AlarmNamePrefix="cpu-")["MetricAlarms"]) == 7
    assert [a["AlarmName"] for a in cw.describe_alarms(StateValue="ALARM")["MetricAlarms"]] == [
        "cpu-0", "cpu-1", "cpu-2", "cpu-3"]
    pages = list(cw.get_paginator("describe_alarms").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["MetricAlarms"]) for p in pages] == [3, 3, 2]
    assert cw.describe_alarms(AlarmTypes=["CompositeAlarm"])["MetricAlarms"] == []
    assert len(cw.describe_alarms_for_metric(Namespace="App", MetricName="Load")["MetricAlarms"]) == 8
    assert cw.describe_alarms_for_metric(Namespace="App", MetricName="Load", Period=300)["MetricAlarms"] == []
    with pytest.raises(ClientError) as exc:
        cw.describe_alarms(AlarmNames=["x"], AlarmNamePrefix="y")
    assert code(exc) == "InvalidParameterCombination"


def test_alarm_update_keeps_state_and_delete(cw, frozen):
    alarm(cw)
    load(cw, 50)
    alarm(cw, AlarmDescription="changed", Threshold=1000.0, TreatMissingData="ignore")
    described = cw.describe_alarms(AlarmNames=["high"])["MetricAlarms"][0]
    assert described["AlarmDescription"] == "changed" and described["StateValue"] == "OK"
    kinds = [h["HistoryItemType"] for h in cw.describe_alarm_history(AlarmName="high")["AlarmHistoryItems"]]
    assert kinds.count("ConfigurationUpdate") == 2
    cw.delete_alarms(AlarmNames=["high"])
    assert cw.describe_alarms()["MetricAlarms"] == []
    with pytest.raises(ClientError) as exc:
        cw.delete_alarms(AlarmNames=["high"])
    assert code(exc) == "ResourceNotFound"


@pytest.mark.parametrize("change, expected", [
    ({"Statistic": None, "ExtendedStatistic": None}, "MissingParameter"),
    ({"ExtendedStatistic": "p99"}, "InvalidParameterCombination"),
    ({"Period": 61}, "InvalidParameterValue"),
    ({"Threshold": None}, "MissingParameter"),
    ({"DatapointsToAlarm": 2}, "InvalidParameterValue"),
    ({"TreatMissingData": "sometimes"}, "InvalidParameterValue"),
    ({"AlarmActions": ["not-an-arn"]}, "InvalidParameterValue"),
    ({"ComparisonOperator": "GreaterThanUpperThreshold"}, "MissingParameter"),
])
def test_put_metric_alarm_errors(cw, frozen, change, expected):
    args = {"AlarmName": "x", "Namespace": "App", "MetricName": "Load", "Statistic": "Average", "Period": 60,
            "EvaluationPeriods": 1, "Threshold": 10.0, "ComparisonOperator": "GreaterThanThreshold", **change}
    with pytest.raises(ClientError) as exc:
        cw.put_metric_alarm(**{k: v for k, v in args.items() if v is not None})
    assert code(exc) == expected


def test_anomaly_band_alarm_is_stored(cw, frozen):
    cw.put_metric_alarm(AlarmName="band", EvaluationPeriods=1, ThresholdMetricId="ad",
                        ComparisonOperator="LessThanLowerOrGreaterThanUpperThreshold", Metrics=[
                            {"Id": "m", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Load"},
                                                       "Period": 60, "Stat": "Average"}},
                            {"Id": "ad", "Expression": "ANOMALY_DETECTION_BAND(m, 2)"}])
    described = cw.describe_alarms(AlarmNames=["band"])["MetricAlarms"][0]
    assert described["ThresholdMetricId"] == "ad" and described["StateValue"] == "INSUFFICIENT_DATA"


def test_set_alarm_state_errors(cw, frozen):
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName="none", StateValue="OK", StateReason="r")
    assert code(exc) == "ResourceNotFound"
    alarm(cw)
    with pytest.raises(ClientError) as exc:
        cw.set_alarm_state(AlarmName="high", StateValue="OK", StateReason="r", StateReasonData="{not json")
    assert code(exc) == "InvalidFormat"


def test_lambda_action_gets_an_event_invoke(cw, aws, frozen, monkeypatch):
    calls: list[tuple[str, str, dict]] = []
    real = aws.registry.call

    def spy(service: str, operation: str, params: dict | None = None, **kwargs: Any) -> Any:
        if service == "lambda":
            calls.append((service, operation, dict(params or {})))
            return {"StatusCode": 202}
        return real(service, operation, params, **kwargs)

    monkeypatch.setattr(aws.registry, "call", spy)
    fn = "arn:aws:lambda:us-east-1:123456789012:function:on-alarm"
    alarm(cw, AlarmActions=[fn])
    load(cw, 99)
    aws.settle()
    ((_, operation, params),) = calls
    assert operation == "Invoke" and params["InvocationType"] == "Event" and params["FunctionName"] == fn
    event = json.loads(params["Payload"])
    assert event["source"] == "aws.cloudwatch" and event["alarmData"]["state"]["value"] == "ALARM"
    assert event["alarmData"]["previousState"]["value"] == "OK"
