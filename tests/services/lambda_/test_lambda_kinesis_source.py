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


@pytest.fixture
def failures(client):
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="stream-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def received():
        return [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                .get("Messages", [])]

    return arn, received


def test_bisect_on_error_isolates_the_bad_record(aws, lam, stream, make_function, lambda_service, failures):
    kinesis, arn = stream
    dlq, received = failures
    make_function("clicks-bisect", FAIL_ON_BAD)
    kinesis.put_records(StreamName="clicks", Records=[
        {"PartitionKey": "same", "Data": data} for data in (b"ok0", b"ok1", b"bad", b"ok3")])
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-bisect", StartingPosition="TRIM_HORIZON",
                                    BatchSize=4, BisectBatchOnFunctionError=True, MaximumRetryAttempts=2,
                                    DestinationConfig={"OnFailure": {"Destination": dlq}})
    aws.settle(timeout=30)
    batches = [[base64.b64decode(r["kinesis"]["data"]) for r in call.payload["Records"]]
               for call in lambda_service.invocations("clicks-bisect")]
    assert batches == [[b"ok0", b"ok1", b"bad", b"ok3"], [b"ok0", b"ok1"], [b"bad", b"ok3"], [b"bad"], [b"ok3"]]
    (failure,) = received()
    assert (failure["requestContext"]["condition"], failure["requestContext"]["approximateInvokeCount"]) == (
        "RetryAttemptsExhausted", 3)
    assert failure["KinesisBatchInfo"]["batchSize"] == 1


def test_records_older_than_the_maximum_age_are_not_sent(aws, frozen, lam, stream, make_function, lambda_service,
                                                         failures):
    kinesis, arn = stream
    dlq, received = failures
    make_function("clicks-aged")
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"old")
    frozen.advance(seconds=120)
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"fresh")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-aged", StartingPosition="TRIM_HORIZON",
                                    MaximumRecordAgeInSeconds=60, DestinationConfig={"OnFailure": {"Destination": dlq}})
    aws.settle(timeout=30)
    assert [base64.b64decode(r["kinesis"]["data"]) for r in consumed(lambda_service, "clicks-aged")] == [b"fresh"]
    (failure,) = received()
    assert (failure["requestContext"]["condition"], failure["requestContext"]["approximateInvokeCount"]) == (
        "RecordAgeExceeded", 0)


def test_at_timestamp_starts_at_the_first_record_at_or_after_it(aws, frozen, lam, stream, make_function,
                                                                  lambda_service):
    kinesis, arn = stream
    make_function("clicks-from")
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"before")
    frozen.advance(seconds=10)
    start = frozen.utcnow()
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"at")
    frozen.advance(seconds=10)
    kinesis.put_record(StreamName="clicks", PartitionKey="k", Data=b"after")
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-from", StartingPosition="AT_TIMESTAMP",
                                    StartingPositionTimestamp=start)
    aws.settle(timeout=30)
    assert [base64.b64decode(r["kinesis"]["data"]) for r in consumed(lambda_service, "clicks-from")] == [b"at", b"after"]


WINDOW_COUNT = """
def handler(event, context):
    state = dict(event["state"])
    state["n"] = state.get("n", 0) + len(event["Records"])
    return {"state": state}
"""


def test_tumbling_windows_carry_state_and_end_with_a_final_invocation(aws, frozen, lam, stream, make_function,
                                                                      lambda_service):
    kinesis, arn = stream
    make_function("clicks-window", WINDOW_COUNT)
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="clicks-window", StartingPosition="TRIM_HORIZON",
                                    TumblingWindowInSeconds=60)
    kinesis.put_records(StreamName="clicks", Records=[{"PartitionKey": "same", "Data": b"a"}] * 3)
    aws.settle(timeout=30)
    kinesis.put_records(StreamName="clicks", Records=[{"PartitionKey": "same", "Data": b"b"}] * 2)
    aws.settle(timeout=30)
    frozen.advance(seconds=120)  # the window ends: its final invocation carries the total
    aws.settle(timeout=30)
    kinesis.put_record(StreamName="clicks", PartitionKey="same", Data=b"c")
    aws.settle(timeout=30)
    events = [call.payload for call in lambda_service.invocations("clicks-window")]
    assert [(len(e["Records"]), e["state"], e["isFinalInvokeForWindow"]) for e in events] == [
        (3, {}, False), (2, {"n": 3}, False), (0, {"n": 5}, True), (1, {}, False)]
    first = events[0]
    assert first["eventSourceARN"] == arn and first["shardId"].startswith("shardId-")
    assert first["window"]["end"] > first["window"]["start"] and first["isWindowTerminatedEarly"] is False
    assert events[3]["window"]["start"] >= first["window"]["end"]
