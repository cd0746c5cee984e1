"""Streams (read through the dynamodbstreams client) and TTL expiry by the gateway clock."""

from __future__ import annotations

import pytest

from tests.services.aws_errors import error_of


def records(streams, arn, kind="TRIM_HORIZON", **extra):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=kind, **extra)
    return streams.get_records(ShardIterator=iterator["ShardIterator"])


@pytest.mark.parametrize(("view", "images"), [("KEYS_ONLY", set()), ("NEW_IMAGE", {"NewImage"}),
                                              ("OLD_IMAGE", {"OldImage"}),
                                              ("NEW_AND_OLD_IMAGES", {"NewImage", "OldImage"})])
def test_records_follow_changes_in_order_with_the_view_type(ddb, streams, make_table, view, images):
    make_table("str", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    key = {"pk": {"S": "a"}}
    ddb.put_item(TableName="str", Item={**key, "v": {"N": "1"}})
    ddb.put_item(TableName="str", Item={**key, "v": {"N": "1"}})  # no change: no record
    ddb.update_item(TableName="str", Key=key, UpdateExpression="SET v = :two",
                    ExpressionAttributeValues={":two": {"N": "2"}})
    ddb.delete_item(TableName="str", Key=key)
    arn = ddb.describe_table(TableName="str")["Table"]["LatestStreamArn"]
    assert streams.list_streams(TableName="str")["Streams"][0]["StreamArn"] == arn
    got = records(streams, arn)["Records"]
    assert [r["eventName"] for r in got] == ["INSERT", "MODIFY", "REMOVE"]
    sequences = [int(r["dynamodb"]["SequenceNumber"]) for r in got]
    assert sequences == sorted(sequences)
    assert all(r["dynamodb"]["Keys"] == key and r["dynamodb"]["SizeBytes"] > 0 for r in got)
    assert {k for k in got[1]["dynamodb"] if k.endswith("Image")} == images
    after = records(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=got[0]["dynamodb"]["SequenceNumber"])
    assert [r["eventName"] for r in after["Records"]] == ["MODIFY", "REMOVE"]
    assert records(streams, arn, "LATEST")["Records"] == []


def test_iterators_expire_after_fifteen_minutes(ddb, streams, make_table, aws):
    make_table("exp", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    arn = ddb.describe_table(TableName="exp")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    aws.clock.freeze()
    try:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="LATEST")["ShardIterator"]
        aws.clock.advance(minutes=16)
        assert error_of(streams.get_records, ShardIterator=iterator)[0] == "ExpiredIteratorException"
    finally:
        aws.clock.unfreeze()


def test_ttl_expiry_removes_items_with_a_service_record(ddb, streams, make_table, aws):
    make_table("ttlx", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
    ddb.update_time_to_live(TableName="ttlx", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    aws.clock.freeze()
    try:
        now = int(aws.clock.now())
        ddb.put_item(TableName="ttlx", Item={"pk": {"S": "soon"}, "exp": {"N": str(now + 60)}})
        ddb.put_item(TableName="ttlx", Item={"pk": {"S": "later"}, "exp": {"N": str(now + 3600)}})
        ddb.put_item(TableName="ttlx", Item={"pk": {"S": "ancient"}, "exp": {"N": "1000"}})  # > 5 years: kept
        assert ddb.scan(TableName="ttlx")["Count"] == 3
        aws.clock.advance(120)  # the sweep runs as the clock moves: the store sees it without a request
        state = aws.registry.get("dynamodb").store.get("123456789012", "us-east-1")
        assert sorted(i["pk"] for i in state.items("ttlx")) == ["ancient", "later"]
        assert sorted(i["pk"]["S"] for i in ddb.scan(TableName="ttlx")["Items"]) == ["ancient", "later"]
    finally:
        aws.clock.unfreeze()
    arn = ddb.describe_table(TableName="ttlx")["Table"]["LatestStreamArn"]
    removal = records(streams, arn)["Records"][-1]
    assert removal["eventName"] == "REMOVE"
    assert removal["userIdentity"] == {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}
    assert removal["dynamodb"]["OldImage"]["pk"] == {"S": "soon"}


def test_disabling_the_stream_closes_the_shard(ddb, streams, make_table):
    make_table("cls", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    ddb.put_item(TableName="cls", Item={"pk": {"S": "a"}})
    arn = ddb.describe_table(TableName="cls")["Table"]["LatestStreamArn"]
    ddb.update_table(TableName="cls", StreamSpecification={"StreamEnabled": False})
    described = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert described["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in described["Shards"][0]["SequenceNumberRange"]
    final = records(streams, arn)
    assert len(final["Records"]) == 1 and "NextShardIterator" not in final
    assert error_of(streams.describe_stream, StreamArn=arn + "x")[0] == "ResourceNotFoundException"


def test_a_deleted_tables_stream_stays_readable(ddb, streams, make_table):
    make_table("gone", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    ddb.put_item(TableName="gone", Item={"pk": {"S": "a"}})
    arn = ddb.describe_table(TableName="gone")["Table"]["LatestStreamArn"]
    ddb.delete_table(TableName="gone")
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    assert [r["eventName"] for r in records(streams, arn)["Records"]] == ["INSERT"]


def test_other_services_read_streams_through_the_registry(ddb, make_table, aws):
    make_table("sub", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    ddb.put_item(TableName="sub", Item={"pk": {"S": "a"}})
    arn = ddb.describe_table(TableName="sub")["Table"]["LatestStreamArn"]
    where = {"account_id": "123456789012", "region": "us-east-1"}
    shard = aws.registry.call("dynamodbstreams", "DescribeStream", {"StreamArn": arn},
                              **where)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = aws.registry.call("dynamodbstreams", "GetShardIterator", {
        "StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}, **where)["ShardIterator"]
    got = aws.registry.call("dynamodbstreams", "GetRecords", {"ShardIterator": iterator}, **where)
    assert [r["dynamodb"]["NewImage"] for r in got["Records"]] == [{"pk": {"S": "a"}}]
