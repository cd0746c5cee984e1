"""SQS -> Lambda event source mappings: batches, partial failures, redrive, filters, FIFO."""

from __future__ import annotations

import json

import pytest

PARTIAL = """
def handler(event, context):
    failures = [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "bad"]
    return {"batchItemFailures": failures}
"""


@pytest.fixture
def sqs(client):
    return client("sqs")


def queue(sqs, name: str, **attributes: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def count(sqs, url: str) -> int:
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])


def test_one_failure_in_a_batch_of_ten_is_retried_then_dead_lettered(aws, lam, sqs, make_function, lambda_service):
    dlq_url, dlq_arn = queue(sqs, "source-dlq")
    url, arn = queue(sqs, "source", VisibilityTimeout="0",
                     RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}))
    make_function("consumer", PARTIAL)
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="consumer", BatchSize=10,
                                    FunctionResponseTypes=["ReportBatchItemFailures"])
    bodies = [f"good-{i}" for i in range(9)] + ["bad"]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies)])
    aws.settle(timeout=30)
    batches = [[r["body"] for r in rec.payload["Records"]] for rec in lambda_service.invocations("consumer")]
    assert sorted(batches[0]) == sorted(bodies)
    assert batches[1:] == [["bad"], ["bad"]]  # received 3 times in all: maxReceiveCount
    assert count(sqs, url) == 0
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in dead] == ["bad"]


def test_errors_leave_the_batch_for_the_visibility_timeout(aws, lam, sqs, make_function, lambda_service):
    url, arn = queue(sqs, "slow", VisibilityTimeout="30")
    make_function("raiser", "def handler(e, c):\n    raise Exception('x')\n")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="raiser", BatchSize=5)
    sqs.send_message(QueueUrl=url, MessageBody="m")
    aws.settle(timeout=30)
    assert len(lambda_service.invocations("raiser")) == 1
    aws.clock.advance(seconds=31)  # the message is visible again: the clock move makes the mapping poll
    try:
        aws.settle(timeout=30)
        assert len(lambda_service.invocations("raiser")) == 2
    finally:
        aws.clock.reset()


def test_filter_criteria_drop_messages(aws, lam, sqs, make_function, lambda_service):
    url, arn = queue(sqs, "filtered")
    make_function("picky")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="picky", FilterCriteria={
        "Filters": [{"Pattern": json.dumps({"body": {"kind": ["keep"], "n": [{"numeric": [">", 2]}]}})}]})
    for body in ({"kind": "keep", "n": 5}, {"kind": "drop", "n": 5}, {"kind": "keep", "n": 1}):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
    aws.settle(timeout=30)
    seen = [json.loads(r["body"]) for rec in lambda_service.invocations("picky") for r in rec.payload["Records"]]
    assert seen == [{"kind": "keep", "n": 5}]
    assert count(sqs, url) == 0  # filtered-out messages are deleted


def test_fifo_failure_keeps_the_rest_of_its_group(aws, lam, sqs, make_function, lambda_service):
    url, arn = queue(sqs, "orders.fifo", FifoQueue="true", ContentBasedDeduplication="true", VisibilityTimeout="60")
    make_function("fifo", PARTIAL)
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="fifo", BatchSize=10,
                                    FunctionResponseTypes=["ReportBatchItemFailures"])
    entries = [("a", "a1"), ("a", "bad"), ("a", "a3"), ("b", "b1")]
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": body, "MessageGroupId": group}
                                                  for i, (group, body) in enumerate(entries)])
    aws.settle(timeout=30)
    first = [r["body"] for r in lambda_service.invocations("fifo")[0].payload["Records"]]
    assert first == ["a1", "bad", "a3", "b1"]
    assert count(sqs, url) == 2  # "bad" and "a3" stay; "a1" and "b1" are deleted


def test_mapping_api(lam, sqs, make_function):
    _, arn = queue(sqs, "api")
    make_function("mapped")
    created = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="mapped", Enabled=False)
    assert created["State"] == "Creating" and created["BatchSize"] == 10
    assert lam.get_event_source_mapping(UUID=created["UUID"])["State"] == "Disabled"
    listed = lam.list_event_source_mappings(FunctionName="mapped")["EventSourceMappings"]
    assert [m["UUID"] for m in listed] == [created["UUID"]]
    error = pytest.raises(lam.exceptions.ResourceConflictException, lam.create_event_source_mapping,
                          EventSourceArn=arn, FunctionName="mapped")
    assert "already exists" in str(error.value)
    error = pytest.raises(lam.exceptions.InvalidParameterValueException, lam.create_event_source_mapping,
                          EventSourceArn=arn, FunctionName="mapped", BatchSize=50)
    assert "Maximum batch window" in str(error.value)
    assert lam.delete_event_source_mapping(UUID=created["UUID"])["State"] == "Deleting"


def test_batching_window_waits_on_the_gateway_clock(aws, lam, sqs, make_function, lambda_service):
    url, arn = queue(sqs, "windowed")
    make_function("windowed")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="windowed", BatchSize=10,
                                    MaximumBatchingWindowInSeconds=20)
    aws.settle(timeout=30)
    aws.clock.freeze()
    try:
        sqs.send_message(QueueUrl=url, MessageBody="first")
        assert aws.clock.wait_for_waiters(1)  # the poll holds "first" and waits for the window
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "second"},
                                                      {"Id": "2", "MessageBody": "third"}])
        assert lambda_service.invocations("windowed") == []
        aws.clock.advance(seconds=20)
        aws.settle(timeout=30)
    finally:
        aws.clock.reset()
    (call,) = lambda_service.invocations("windowed")
    assert sorted(r["body"] for r in call.payload["Records"]) == ["first", "second", "third"]
