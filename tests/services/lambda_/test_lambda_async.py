"""Event invocations: retries, destinations, the dead-letter queue; S3 and SNS triggers."""

from __future__ import annotations

import json

import pytest

FAILING = "def handler(event, context):\n    raise RuntimeError('nope')\n"


@pytest.fixture
def sqs(client):
    return client("sqs")


def queue(sqs, name: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def bodies(sqs, url: str) -> list[str]:
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                   MessageAttributeNames=["All"]).get("Messages", [])]


def test_failure_retries_twice_then_destination_and_dlq(aws, lam, sqs, make_function, lambda_service):
    failed_url, failed_arn = queue(sqs, "on-failure")
    dlq_url, dlq_arn = queue(sqs, "dlq")
    make_function("async-fail", FAILING, DeadLetterConfig={"TargetArn": dlq_arn})
    lam.put_function_event_invoke_config(FunctionName="async-fail",
                                         DestinationConfig={"OnFailure": {"Destination": failed_arn}})
    lam.invoke(FunctionName="async-fail", InvocationType="Event", Payload=b'{"n": 1}')
    aws.settle(timeout=30)
    assert [r.attempt for r in lambda_service.invocations("async-fail")] == [1, 2, 3]
    record = json.loads(bodies(sqs, failed_url)[0])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestPayload"] == {"n": 1}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"] == "nope"
    dead = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"])["Messages"][0]
    assert json.loads(dead["Body"]) == {"n": 1}
    assert dead["MessageAttributes"]["ErrorMessage"]["StringValue"] == "nope"


def test_success_destination_and_no_retries_when_configured(aws, lam, sqs, make_function, lambda_service):
    ok_url, ok_arn = queue(sqs, "on-success")
    make_function("async-ok")
    lam.put_function_event_invoke_config(FunctionName="async-ok", MaximumRetryAttempts=0,
                                         DestinationConfig={"OnSuccess": {"Destination": ok_arn}})
    lam.invoke(FunctionName="async-ok", InvocationType="Event", Payload=b'{"k": "v"}')
    aws.settle(timeout=30)
    record = json.loads(bodies(sqs, ok_url)[0])
    assert record["requestContext"]["condition"] == "Success"
    assert record["responsePayload"]["event"] == {"k": "v"}
    make_function("once", FAILING)
    lam.put_function_event_invoke_config(FunctionName="once", MaximumRetryAttempts=0)
    lam.invoke(FunctionName="once", InvocationType="Event")
    aws.settle(timeout=30)
    assert len(lambda_service.invocations("once")) == 1


def test_s3_notification_and_sns_subscription_invoke(aws, client, lam, make_function, lambda_service):
    arn = make_function("triggered")["FunctionArn"]
    s3, sns = client("s3"), client("sns")
    s3.create_bucket(Bucket="uploads")
    s3.put_bucket_notification_configuration(Bucket="uploads", NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket="uploads", Key="a.txt", Body=b"x")
    topic = sns.create_topic(Name="t")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn)
    sns.publish(TopicArn=topic, Message="hello")
    aws.settle(timeout=30)
    events = [r.payload for r in lambda_service.invocations("triggered")]
    sources = sorted(e["Records"][0].get("eventSource") or e["Records"][0].get("EventSource") for e in events)
    assert sources == ["aws:s3", "aws:sns"]
