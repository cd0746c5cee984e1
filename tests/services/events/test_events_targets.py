"""Targets in other services: Lambda (an Event invocation), SNS, CloudWatch Logs; events that
AWS services emit through the registry."""

from __future__ import annotations

import json

ORDER = {"source": ["shop"]}


def put(events, detail):
    answer = events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": json.dumps(detail)}])
    assert answer["FailedEntryCount"] == 0
    return answer["Entries"][0]["EventId"]


def test_lambda_target_is_invoked_asynchronously(events, lam, make_function, queue, drain, aws):
    url, arn = queue("lambda-results")
    function = make_function("on-order")
    lam.put_function_event_invoke_config(FunctionName="on-order", MaximumRetryAttempts=0,
                                         DestinationConfig={"OnSuccess": {"Destination": arn}})
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "fn", "Arn": function["FunctionArn"]}])
    event_id = put(events, {"n": 3})
    aws.settle(timeout=30)
    [record] = drain(url)
    assert record["responsePayload"]["event"]["id"] == event_id
    assert record["responsePayload"]["event"]["detail"] == {"n": 3}


def test_sns_target_fans_out(events, client, queue, drain):
    sns = client("sns")
    url, arn = queue("from-topic")
    topic = sns.create_topic(Name="orders")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "topic", "Arn": topic, "InputPath": "$.detail"}])
    put(events, {"n": 4})
    assert drain(url) == [{"n": 4}]


def test_log_group_target(events, client, aws):
    logs = client("logs")
    logs.create_log_group(logGroupName="/aws/events/orders")
    group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/orders"
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "logs", "Arn": group_arn}])
    event_id = put(events, {"n": 5})
    aws.settle()
    [stream] = logs.describe_log_streams(logGroupName="/aws/events/orders")["logStreams"]
    assert stream["logStreamName"] == event_id
    [logged] = logs.get_log_events(logGroupName="/aws/events/orders", logStreamName=event_id)["events"]
    assert json.loads(logged["message"])["detail"] == {"n": 5}


def test_services_emit_aws_events_through_the_registry(events, queue, drain, aws):
    url, arn = queue("aws-events")
    events.put_rule(Name="s3", EventPattern=json.dumps({"source": ["aws.s3"], "detail-type": ["Object Created"]}))
    events.put_targets(Rule="s3", Targets=[{"Id": "q", "Arn": arn}])
    answer = aws.registry.call("events", "PutEvents", {"Entries": [{
        "Source": "aws.s3", "DetailType": "Object Created", "Detail": json.dumps({"bucket": {"name": "b"}})}]},
        account_id="123456789012", region="us-east-1")
    assert answer["FailedEntryCount"] == 0
    [event] = drain(url)
    assert event["detail"] == {"bucket": {"name": "b"}}


def test_kinesis_target_uses_the_partition_key_path(events, client, aws):
    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="orders", ShardCount=1)
    stream_arn = kinesis.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]["StreamARN"]
    events.put_rule(Name="orders", EventPattern=json.dumps(ORDER))
    events.put_targets(Rule="orders", Targets=[{"Id": "k", "Arn": stream_arn,
                                                "KinesisParameters": {"PartitionKeyPath": "$.detail.customer"}}])
    event_id = put(events, {"customer": "c-1"})
    aws.settle()
    shard = kinesis.list_shards(StreamName="orders")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="orders", ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    [record] = kinesis.get_records(ShardIterator=iterator)["Records"]
    assert record["PartitionKey"] == "c-1"
    assert json.loads(record["Data"])["id"] == event_id
