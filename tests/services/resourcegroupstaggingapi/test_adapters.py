"""Each Tier 1 adapter: a resource made through its service is tagged, found and untagged
through the Tagging API, and the tags are the service's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.services.resourcegroupstaggingapi.roundtrip import tag_find_untag

ROLE = "arn:aws:iam::123456789012:role/r"
TRUST = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},'
         '"Action":"sts:AssumeRole"}]}')
ZIP = b"PK\x05\x06" + b"\x00" * 18  # an empty zip archive


def _sns(c: Callable[..., Any]) -> str:
    return c("sns").create_topic(Name="t")["TopicArn"]


def _lambda(c: Callable[..., Any]) -> str:
    c("iam").create_role(RoleName="r", AssumeRolePolicyDocument=TRUST)
    return c("lambda").create_function(FunctionName="f", Runtime="python3.12", Role=ROLE, Handler="x.h",
                                       Code={"ZipFile": ZIP})["FunctionArn"]


def _kms(c: Callable[..., Any]) -> str:
    return c("kms").create_key()["KeyMetadata"]["Arn"]


def _secret(c: Callable[..., Any]) -> str:
    return c("secretsmanager").create_secret(Name="s", SecretString="x")["ARN"]


def _ssm(c: Callable[..., Any]) -> str:
    c("ssm").put_parameter(Name="/app/p", Value="v", Type="String")
    return c("ssm").describe_parameters()["Parameters"][0]["ARN"]


def _rule(c: Callable[..., Any]) -> str:
    return c("events").put_rule(Name="r", ScheduleExpression="rate(1 hour)")["RuleArn"]


def _bus(c: Callable[..., Any]) -> str:
    return c("events").create_event_bus(Name="b")["EventBusArn"]


def _kinesis(c: Callable[..., Any]) -> str:
    c("kinesis").create_stream(StreamName="k", ShardCount=1)
    return c("kinesis").describe_stream_summary(StreamName="k")["StreamDescriptionSummary"]["StreamARN"]


def _logs(c: Callable[..., Any]) -> str:
    c("logs").create_log_group(logGroupName="g")
    return c("logs").describe_log_groups()["logGroups"][0]["logGroupArn"]


def _alarm(c: Callable[..., Any]) -> str:
    c("cloudwatch").put_metric_alarm(AlarmName="a", MetricName="m", Namespace="n", Statistic="Sum", Period=60,
                                     EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    return c("cloudwatch").describe_alarms()["MetricAlarms"][0]["AlarmArn"]


def _machine(c: Callable[..., Any]) -> str:
    definition = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
    return c("stepfunctions").create_state_machine(name="m", definition=definition, roleArn=ROLE)["stateMachineArn"]


def _firehose(c: Callable[..., Any]) -> str:
    return c("firehose").create_delivery_stream(DeliveryStreamName="d", S3DestinationConfiguration={
        "RoleARN": ROLE, "BucketARN": "arn:aws:s3:::b"})["DeliveryStreamARN"]


def _schedule_group(c: Callable[..., Any]) -> str:
    return c("scheduler").create_schedule_group(Name="g")["ScheduleGroupArn"]


def _user_pool(c: Callable[..., Any]) -> str:
    return c("cognito-idp").create_user_pool(PoolName="p")["UserPool"]["Arn"]


MAKERS = {"cognito-idp": _user_pool, "sns": _sns, "lambda": _lambda, "kms": _kms, "secretsmanager": _secret, "ssm": _ssm, "events:rule": _rule,
          "events:event-bus": _bus, "kinesis": _kinesis, "logs": _logs, "cloudwatch": _alarm,
          "states": _machine, "firehose": _firehose, "scheduler": _schedule_group}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_tag_find_and_untag_through_the_owning_service(kind: str, tagging: Any, client: Any) -> None:
    tag_find_untag(tagging, MAKERS[kind](client), kind)
