"""Kinesis -> Lambda event source mappings: every record once, in per-shard order, across
resharding; failures retried, then sent to the OnFailure destination."""

from __future__ import annotations

import base64
import json

import pytest

FAIL_ON_BAD = """
import base64

def handler(event, context):
    for record in event["Records"]:
        if base64.b64decode(record["kinesis"]["data"]) == b"bad":
            raise RuntimeError("bad record")
    return None
"""


@pytest.fixture
def stream(client):
    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=2)
    return kinesis, kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]["StreamARN"]


def consumed(lambda_service, name):
    return [r for call in lambda_service.invocations(name) for r in call.payload["Records"]]


def test_records_reach_the_function_once_in_per_shard_order(aws, lam, stream, make_function, lambda_service):
    kinesis, arn = stream
    kinesis.put_record(StreamName="clicks", PartitionKey="before", Data=b"skipped by LATEST")
    make_function("clicks-consumer")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-consumer", StartingPosition="LATEST",
                                    BatchSize=7)
    kinesis.put_records(StreamName="clicks", Records=[
        {"PartitionKey": f"user-{i % 5}", "Data": json.dumps({"n": i}).encode()} for i in range(40)])
    shard = kinesis.list_shards(StreamName="clicks")["Shards"][0]["ShardId"]
    kinesis.split_shard(StreamName="clicks", ShardToSplit=shard,
                        NewStartingHashKey=str(int(2**128 // 4)))  # children appear; parents are read first
    kinesis.put_record(StreamName="clicks", PartitionKey="user-1", Data=json.dumps({"n": 40}).encode())
    aws.settle(timeout=30)
    records = consumed(lambda_service, "clicks-consumer")
    numbers = [json.loads(base64.b64decode(r["kinesis"]["data"]))["n"] for r in records]
    assert sorted(numbers) == list(range(41))  # each once, the record before LATEST not at all
    by_key: dict[str, list[int]] = {}
    for record, n in zip(records, numbers, strict=True):
        by_key.setdefault(record["kinesis"]["partitionKey"], []).append(n)
    assert all(ns == sorted(ns) for ns in by_key.values())  # order per partition key (per shard)
    first = records[0]
    assert (first["eventSource"], first["eventName"], first["eventSourceARN"]) == ("aws:kinesis", "aws:kinesis:record", arn)
    assert first["eventID"] == f'{first["eventID"].split(":")[0]}:{first["kinesis"]["sequenceNumber"]}'
    assert all(len(call.payload["Records"]) <= 7 for call in lambda_service.invocations("clicks-consumer"))


def test_failing_batch_is_retried_then_sent_on_failure(aws, client, lam, stream, make_function, lambda_service):
    kinesis, arn = stream
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="kinesis-failures")["QueueUrl"]
    dlq = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    make_function("clicks-fail", FAIL_ON_BAD)
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-fail", StartingPosition="TRIM_HORIZON",
                                    MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": dlq}})
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"bad")
    aws.settle(timeout=30)
    assert len(lambda_service.invocations("clicks-fail")) == 2  # one try, one retry
    failure = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["KinesisBatchInfo"]["batchSize"] == 1 and failure["KinesisBatchInfo"]["streamArn"] == arn
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"good")
    aws.settle(timeout=30)
    last = lambda_service.invocations("clicks-fail")[-1]
    assert [base64.b64decode(r["kinesis"]["data"]) for r in last.payload["Records"]] == [b"good"]


def test_filter_criteria_see_json_data(aws, lam, stream, make_function, lambda_service):
    kinesis, arn = stream
    make_function("clicks-filtered")
    lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="clicks-filtered", StartingPosition="TRIM_HORIZON",
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"data": {"kind": ["buy"]}})}]})
    for kind in ("view", "buy", "view"):
        kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=json.dumps({"kind": kind}).encode())
    aws.settle(timeout=30)
    kinds = [json.loads(base64.b64decode(r["kinesis"]["data"]))["kind"]
             for r in consumed(lambda_service, "clicks-filtered")]
    assert kinds == ["buy"]
