"""The whole loop with the real Lambda service: a function's output lands in
`/aws/lambda/<name>`, and a subscription filter on that group invokes another function
with AWS's `awslogs` payload."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import LambdaService, lambda_zip

from ..aws_errors import error_of

ROLE = "arn:aws:iam::123456789012:role/lambda-role"
WRITER = """
def handler(event, context):
    print("INFO starting")
    print("ERROR something broke:", event["n"])
    return "done"
"""
SINK = """
def handler(event, context):
    return "ok"
"""


@pytest.fixture
def lambda_service(aws: Gateway) -> Iterator[LambdaService]:
    service = aws.registry.get("lambda")
    assert isinstance(service, LambdaService)
    service.set_executor("inprocess")
    yield service
    service.set_executor("subprocess")


def test_function_logs_feed_a_subscription_to_another_function(
        logs: Any, client: Any, aws: Gateway, lambda_service: LambdaService) -> None:
    lam = client("lambda")
    for name, source in (("writer", WRITER), ("sink", SINK)):
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                            Code={"ZipFile": lambda_zip(source)})
    sink_arn = lam.get_function(FunctionName="sink")["Configuration"]["FunctionArn"]
    lam.invoke(FunctionName="writer", Payload=json.dumps({"n": 0}).encode())  # makes the log group
    logs.put_subscription_filter(logGroupName="/aws/lambda/writer", filterName="errors", filterPattern="ERROR",
                                 destinationArn=sink_arn)
    lam.invoke(FunctionName="writer", Payload=json.dumps({"n": 1}).encode())
    aws.settle()
    found = logs.filter_log_events(logGroupName="/aws/lambda/writer", filterPattern='"something broke"')["events"]
    assert [e["message"].strip() for e in found] == ["ERROR something broke: 0", "ERROR something broke: 1"]
    assert any(e["message"].startswith("START RequestId:") for e in
               logs.filter_log_events(logGroupName="/aws/lambda/writer", filterPattern="START")["events"])
    (record,) = lambda_service.invocations("sink")
    data = json.loads(gzip.decompress(base64.b64decode(record.payload["awslogs"]["data"])))
    assert data["logGroup"] == "/aws/lambda/writer" and data["subscriptionFilters"] == ["errors"]
    assert [e["message"].strip() for e in data["logEvents"]] == ["ERROR something broke: 1"]


def test_subscription_to_a_missing_function(logs: Any, lambda_service: LambdaService) -> None:
    logs.create_log_group(logGroupName="g")
    assert error_of(logs.put_subscription_filter, logGroupName="g", filterName="f", filterPattern="",
                    destinationArn="arn:aws:lambda:us-east-1:123456789012:function:absent") == (
        "InvalidParameterException",
        "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute "
        "your function.")
