"""Stream lifecycle, modes, waiters, tags, policies, consumers, SubscribeToShard, every operation."""

from __future__ import annotations

import json

from pytest_cloudmock.services.kinesis import KinesisService

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_create_is_active_at_once_and_waiters_pass(kinesis):
    kinesis.create_stream(StreamName="w", ShardCount=2)
    kinesis.get_waiter("stream_exists").wait(StreamName="w", WaiterConfig={"Delay": 0, "MaxAttempts": 1})
    description = kinesis.describe_stream(StreamName="w")["StreamDescription"]
    assert description["StreamStatus"] == "ACTIVE" and len(description["Shards"]) == 2
    assert description["StreamARN"] == "arn:aws:kinesis:us-east-1:123456789012:stream/w"
    code, message = error_of(kinesis.create_stream, StreamName="w", ShardCount=1)
    assert (code, message) == ("ResourceInUseException", "Stream w under account 123456789012 already exists.")
    kinesis.delete_stream(StreamName="w")
    kinesis.get_waiter("stream_not_exists").wait(StreamName="w", WaiterConfig={"Delay": 0, "MaxAttempts": 1})


def test_on_demand_streams_and_mode_switch(kinesis):
    kinesis.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    summary = kinesis.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"]
    assert summary["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"} and summary["OpenShardCount"] == 4
    limits = kinesis.describe_limits()
    assert limits["OnDemandStreamCount"] == 1 and limits["OpenShardCount"] == 4
    kinesis.update_stream_mode(StreamARN=summary["StreamARN"], StreamModeDetails={"StreamMode": "PROVISIONED"})
    assert kinesis.describe_stream_summary(StreamName="od")["StreamDescriptionSummary"]["StreamModeDetails"] == \
        {"StreamMode": "PROVISIONED"}


def test_list_streams_pages(kinesis, make_stream):
    for name in ("c", "a", "b"):
        make_stream(name, shards=1)
    first = kinesis.list_streams(Limit=2)
    assert first["StreamNames"] == ["a", "b"] and first["HasMoreStreams"]
    second = kinesis.list_streams(NextToken=first["NextToken"])
    assert second["StreamNames"] == ["c"] and not second["HasMoreStreams"]
    assert [s["StreamName"] for s in kinesis.list_streams(ExclusiveStartStreamName="a")["StreamSummaries"]] == \
        ["b", "c"]


def test_tags_by_name_and_by_arn(kinesis, make_stream):
    arn = make_stream("t", shards=1, Tags={"a": "1"})
    kinesis.add_tags_to_stream(StreamName="t", Tags={"b": "2"})
    kinesis.tag_resource(ResourceARN=arn, Tags={"c": "3"})
    kinesis.untag_resource(ResourceARN=arn, TagKeys=["a"])
    assert kinesis.list_tags_for_stream(StreamName="t")["Tags"] == [{"Key": "b", "Value": "2"},
                                                                   {"Key": "c", "Value": "3"}]
    kinesis.remove_tags_from_stream(StreamName="t", TagKeys=["b"])
    assert kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "c", "Value": "3"}]
    code, _ = error_of(kinesis.add_tags_to_stream, StreamName="t", Tags={f"k{i}": "v" for i in range(50)})
    assert code == "InvalidArgumentException"


def test_resource_policies(kinesis, make_stream):
    arn = make_stream("pol", shards=1)
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})
    kinesis.put_resource_policy(ResourceARN=arn, Policy=policy)
    assert kinesis.get_resource_policy(ResourceARN=arn)["Policy"] == policy
    kinesis.delete_resource_policy(ResourceARN=arn)
    assert kinesis.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
    assert error_of(kinesis.put_resource_policy, ResourceARN=arn, Policy="not json")[0] == "InvalidArgumentException"


def test_consumers_and_subscribe_to_shard(kinesis, make_stream):
    arn = make_stream("fan", shards=1)
    registered = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
    assert registered["ConsumerStatus"] == "CREATING"
    consumer_arn = registered["ConsumerARN"]
    assert consumer_arn.startswith(f"{arn}/consumer/app:")
    described = kinesis.describe_stream_consumer(ConsumerARN=consumer_arn)["ConsumerDescription"]
    assert described["ConsumerStatus"] == "ACTIVE" and described["StreamARN"] == arn
    assert [c["ConsumerName"] for c in kinesis.list_stream_consumers(StreamARN=arn)["Consumers"]] == ["app"]
    sent = [kinesis.put_record(StreamName="fan", Data=b"%d" % i, PartitionKey="k")["SequenceNumber"]
            for i in range(3)]
    out = kinesis.subscribe_to_shard(ConsumerARN=consumer_arn, ShardId="shardId-000000000000",
                                     StartingPosition={"Type": "TRIM_HORIZON"})
    events = [e["SubscribeToShardEvent"] for e in out["EventStream"]]
    assert [r["Data"] for e in events for r in e["Records"]] == [b"0", b"1", b"2"]
    assert events[-1]["ContinuationSequenceNumber"] == sent[-1] and events[-1]["MillisBehindLatest"] == 0
    code, _ = error_of(kinesis.delete_stream, StreamName="fan")
    assert code == "ResourceInUseException"
    kinesis.deregister_stream_consumer(ConsumerARN=consumer_arn)
    assert error_of(kinesis.describe_stream_consumer, ConsumerARN=consumer_arn)[0] == "ResourceNotFoundException"


def test_enhanced_monitoring(kinesis, make_stream):
    make_stream("mon", shards=1)
    out = kinesis.enable_enhanced_monitoring(StreamName="mon", ShardLevelMetrics=["IncomingBytes"])
    assert out["CurrentShardLevelMetrics"] == [] and out["DesiredShardLevelMetrics"] == ["IncomingBytes"]
    out = kinesis.disable_enhanced_monitoring(StreamName="mon", ShardLevelMetrics=["ALL"])
    assert out["DesiredShardLevelMetrics"] == []


def test_every_kinesis_operation_is_answered(kinesis, make_stream):
    make_stream("everyop", shards=2)
    assert call_every_operation(kinesis, seed=19, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = KinesisService()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


def test_random_calls_never_crash():
    assert fuzz(KinesisService(), rounds=15, seed=19) == []
