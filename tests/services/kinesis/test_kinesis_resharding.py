"""Split, merge and UpdateShardCount: parents close, children follow, order holds across them."""

from __future__ import annotations

from datetime import timedelta

from ..aws_errors import error_of
from .conftest import read_all


def _read_in_lineage(kinesis, name):
    """Records per partition key, reading each shard only after its parents (as KCL does)."""
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    done, order = set(), []
    while len(done) < len(shards):
        for shard in shards:
            parents = {shard.get("ParentShardId"), shard.get("AdjacentParentShardId")} - {None}
            if shard["ShardId"] not in done and parents <= done:
                order.append(shard["ShardId"])
                done.add(shard["ShardId"])
    by_key: dict[str, list[bytes]] = {}
    for shard_id in order:
        for record in read_all(kinesis, name, shard_id):
            by_key.setdefault(record["PartitionKey"], []).append(record["Data"])
    return by_key


def _put(kinesis, name, keys, round_):
    for key in keys:
        kinesis.put_record(StreamName=name, Data=f"{key}:{round_}".encode(), PartitionKey=key)


def test_split_and_merge_keep_per_key_order_across_parents_and_children(kinesis, make_stream):
    make_stream("rs", shards=2)
    keys = [f"key-{i}" for i in range(40)]
    _put(kinesis, "rs", keys, 0)
    first = kinesis.list_shards(StreamName="rs")["Shards"][0]
    middle = (int(first["HashKeyRange"]["StartingHashKey"]) + int(first["HashKeyRange"]["EndingHashKey"])) // 2
    kinesis.split_shard(StreamName="rs", ShardToSplit=first["ShardId"], NewStartingHashKey=str(middle))
    _put(kinesis, "rs", keys, 1)
    kinesis.merge_shards(StreamName="rs", ShardToMerge="shardId-000000000002",
                         AdjacentShardToMerge="shardId-000000000003")
    _put(kinesis, "rs", keys, 2)
    shards = {s["ShardId"]: s for s in kinesis.list_shards(StreamName="rs")["Shards"]}
    assert shards["shardId-000000000002"]["ParentShardId"] == "shardId-000000000000"
    assert shards["shardId-000000000004"]["AdjacentParentShardId"] == "shardId-000000000003"
    closed = shards["shardId-000000000000"]["SequenceNumberRange"]
    assert int(closed["EndingSequenceNumber"]) < int(shards["shardId-000000000002"]["SequenceNumberRange"]
                                                      ["StartingSequenceNumber"])
    by_key = _read_in_lineage(kinesis, "rs")
    assert by_key == {key: [f"{key}:{r}".encode() for r in range(3)] for key in keys}


def test_a_closed_shard_ends_with_child_shards(kinesis, make_stream):
    make_stream("end", shards=1)
    kinesis.put_record(StreamName="end", Data=b"a", PartitionKey="k")
    kinesis.split_shard(StreamName="end", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
    iterator = kinesis.get_shard_iterator(StreamName="end", ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator)
    assert [r["Data"] for r in page["Records"]] == [b"a"]
    assert "NextShardIterator" not in page
    assert sorted(c["ShardId"] for c in page["ChildShards"]) == ["shardId-000000000001", "shardId-000000000002"]
    code, message = error_of(kinesis.split_shard, StreamName="end", ShardToSplit="shardId-000000000000",
                             NewStartingHashKey="5")
    assert code == "ResourceInUseException" and "not eligible" in message
    code, _ = error_of(kinesis.split_shard, StreamName="end", ShardToSplit="shardId-000000000001",
                       NewStartingHashKey="0")
    assert code == "InvalidArgumentException"
    code, _ = error_of(kinesis.merge_shards, StreamName="end", ShardToMerge="shardId-000000000001",
                       AdjacentShardToMerge="shardId-000000000001")
    assert code == "InvalidArgumentException"  # a shard is not adjacent to itself


def test_update_shard_count_scales_uniformly_with_lineage(kinesis, make_stream):
    make_stream("usc", shards=2)
    keys = [f"k{i}" for i in range(30)]
    _put(kinesis, "usc", keys, 0)
    out = kinesis.update_shard_count(StreamName="usc", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    assert (out["CurrentShardCount"], out["TargetShardCount"]) == (2, 4)
    _put(kinesis, "usc", keys, 1)
    kinesis.update_shard_count(StreamName="usc", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    _put(kinesis, "usc", keys, 2)
    summary = kinesis.describe_stream_summary(StreamName="usc")["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 2
    assert _read_in_lineage(kinesis, "usc") == {k: [f"{k}:{r}".encode() for r in range(3)] for k in keys}
    code, _ = error_of(kinesis.update_shard_count, StreamName="usc", TargetShardCount=5,
                       ScalingType="UNIFORM_SCALING")
    assert code == "LimitExceededException"


def test_list_shards_filters_and_tokens(kinesis, make_stream, frozen):
    make_stream("ls", shards=3)
    frozen.advance(60)
    before_split = frozen.utcnow()
    frozen.advance(60)
    kinesis.split_shard(StreamName="ls", ShardToSplit="shardId-000000000000", NewStartingHashKey="100")
    ids = lambda out: [s["ShardId"] for s in out["Shards"]]  # noqa: E731
    assert len(ids(kinesis.list_shards(StreamName="ls"))) == 5
    assert ids(kinesis.list_shards(StreamName="ls", ShardFilter={"Type": "AT_LATEST"})) == \
        ["shardId-000000000001", "shardId-000000000002", "shardId-000000000003", "shardId-000000000004"]
    assert ids(kinesis.list_shards(StreamName="ls", ShardFilter={"Type": "AFTER_SHARD_ID",
                                                                 "ShardId": "shardId-000000000002"})) == \
        ["shardId-000000000003", "shardId-000000000004"]
    assert "shardId-000000000000" in ids(kinesis.list_shards(
        StreamName="ls", ShardFilter={"Type": "AT_TIMESTAMP", "Timestamp": before_split}))
    assert "shardId-000000000003" not in ids(kinesis.list_shards(
        StreamName="ls", ShardFilter={"Type": "AT_TIMESTAMP", "Timestamp": before_split}))
    first = kinesis.list_shards(StreamName="ls", MaxResults=2)
    second = kinesis.list_shards(NextToken=first["NextToken"], MaxResults=2)
    third = kinesis.list_shards(NextToken=second["NextToken"], MaxResults=2)
    assert ids(first) + ids(second) + ids(third) == [f"shardId-{i:012d}" for i in range(5)]
    assert "NextToken" not in third
    code, _ = error_of(kinesis.list_shards, StreamName="ls", NextToken=first["NextToken"])
    assert code == "InvalidArgumentException"
    frozen.advance(timedelta(minutes=6).total_seconds())
    code, _ = error_of(kinesis.list_shards, NextToken=second["NextToken"])
    assert code == "ExpiredNextTokenException"
