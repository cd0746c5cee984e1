"""DynamoDB Streams -> Lambda event source mappings."""

from __future__ import annotations

import json

import pytest

FAIL_ON_BAD = """
def handler(event, context):
    for record in event["Records"]:
        if record["dynamodb"]["Keys"]["pk"]["S"] == "bad":
            raise RuntimeError("bad record")
    return None
"""


@pytest.fixture
def table(client):
    ddb = client("dynamodb")
    created = ddb.create_table(TableName="events", BillingMode="PAY_PER_REQUEST",
                               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                               StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    return ddb, created["TableDescription"]["LatestStreamArn"]


def test_stream_records_reach_the_function_from_latest(aws, lam, table, make_function, lambda_service):
    ddb, stream = table
    ddb.put_item(TableName="events", Item={"pk": {"S": "before"}})
    make_function("ddb-consumer")
    lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="ddb-consumer", StartingPosition="LATEST",
                                    BatchSize=10)
    ddb.put_item(TableName="events", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    ddb.update_item(TableName="events", Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.delete_item(TableName="events", Key={"pk": {"S": "a"}})
    aws.settle(timeout=30)
    records = [r for call in lambda_service.invocations("ddb-consumer") for r in call.payload["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert records[1]["dynamodb"]["NewImage"]["v"] == {"N": "2"} and records[1]["dynamodb"]["OldImage"]["v"] == {
        "N": "1"}
    assert records[0]["eventSource"] == "aws:dynamodb" and records[0]["eventSourceARN"] == stream
    assert isinstance(records[0]["dynamodb"]["ApproximateCreationDateTime"], int)


def test_failing_batch_is_retried_then_sent_on_failure(aws, client, lam, table, make_function, lambda_service):
    ddb, stream = table
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="stream-failures")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    make_function("ddb-fail", FAIL_ON_BAD)
    lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="ddb-fail", StartingPosition="TRIM_HORIZON",
                                    MaximumRetryAttempts=1,
                                    DestinationConfig={"OnFailure": {"Destination": arn}})
    ddb.put_item(TableName="events", Item={"pk": {"S": "bad"}})
    aws.settle(timeout=30)
    assert len(lambda_service.invocations("ddb-fail")) == 2  # one try, one retry
    failure = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1 and failure["DDBStreamBatchInfo"]["streamArn"] == stream
    ddb.put_item(TableName="events", Item={"pk": {"S": "good"}})
    aws.settle(timeout=30)
    last = lambda_service.invocations("ddb-fail")[-1]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in last.payload["Records"]] == ["good"]  # moved past the bad one
