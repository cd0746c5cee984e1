"""Putting and reading records: hashing to shards, sequence numbers, iterators, limits."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from ..aws_errors import error_of
from .conftest import read_all


def test_shards_split_the_hash_key_space_evenly(kinesis, make_stream):
    make_stream("even", shards=4)
    shards = kinesis.list_shards(StreamName="even")["Shards"]
    ranges = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in shards]
    assert ranges[0][0] == 0 and ranges[-1][1] == 2**128 - 1
    assert all(a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert len({end - start for start, end in ranges[:-1]}) == 1
    assert [s["ShardId"] for s in shards] == [f"shardId-{i:012d}" for i in range(4)]


def test_partition_key_md5_picks_the_shard(kinesis, make_stream):
    make_stream("md5", shards=4)
    shards = kinesis.list_shards(StreamName="md5")["Shards"]
    for key in ("alpha", "beta", "gamma", "delta", "ε"):
        out = kinesis.put_record(StreamName="md5", Data=b"x", PartitionKey=key)
        value = int(hashlib.md5(key.encode()).hexdigest(), 16)
        owner = next(s for s in shards if int(s["HashKeyRange"]["StartingHashKey"]) <= value
                     <= int(s["HashKeyRange"]["EndingHashKey"]))
        assert out["ShardId"] == owner["ShardId"]
        assert out["EncryptionType"] == "NONE"


def test_explicit_hash_key_overrides_the_partition_key(kinesis, make_stream):
    make_stream("ehk", shards=4)
    out = kinesis.put_record(StreamName="ehk", Data=b"x", PartitionKey="k", ExplicitHashKey=str(2**128 - 1))
    assert out["ShardId"] == "shardId-000000000003"
    code, message = error_of(kinesis.put_record, StreamName="ehk", Data=b"x", PartitionKey="k",
                             ExplicitHashKey=str(2**128))
    assert code == "InvalidArgumentException" and "ExplicitHashKey" in message


def test_sequence_numbers_are_56_digits_and_increase_per_shard(kinesis, make_stream):
    make_stream("seq", shards=1)
    numbers = [kinesis.put_record(StreamName="seq", Data=b"%d" % i, PartitionKey="k")["SequenceNumber"]
               for i in range(20)]
    assert all(len(n) == 56 and n.isdigit() for n in numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    ordered = kinesis.put_record(StreamName="seq", Data=b"z", PartitionKey="k",
                                 SequenceNumberForOrdering=numbers[-1])["SequenceNumber"]
    assert int(ordered) > int(numbers[-1])


def test_ten_thousand_records_read_back_once_in_per_shard_order(kinesis, make_stream):
    make_stream("bulk", shards=4)
    rng = random.Random(19)
    sent = []
    shard_of = {}
    for batch in range(20):
        entries = [{"Data": f"{batch}-{i}".encode(), "PartitionKey": f"pk-{rng.getrandbits(64)}"} for i in range(500)]
        out = kinesis.put_records(StreamName="bulk", Records=entries)
        assert out["FailedRecordCount"] == 0
        for entry, result in zip(entries, out["Records"], strict=True):
            sent.append((result["ShardId"], int(result["SequenceNumber"]), entry["Data"]))
            shard_of[entry["Data"]] = result["ShardId"]
    got = defaultdict(list)
    for shard in kinesis.list_shards(StreamName="bulk")["Shards"]:
        for record in read_all(kinesis, "bulk", shard["ShardId"]):
            got[shard["ShardId"]].append(record)
    all_data = [r["Data"] for records in got.values() for r in records]
    assert sorted(all_data) == sorted(d for _s, _n, d in sent) and len(all_data) == 10_000
    expected = defaultdict(list)
    for shard_id, number, data in sent:
        expected[shard_id].append((number, data))
    for shard_id, records in got.items():
        assert [(int(r["SequenceNumber"]), r["Data"]) for r in records] == expected[shard_id]
        assert all(shard_of[r["Data"]] == shard_id for r in records)
    assert len(got) == 4


def test_iterator_types(kinesis, make_stream, frozen):
    make_stream("types", shards=1)
    shard = "shardId-000000000000"
    numbers = []
    for i in range(5):
        numbers.append(kinesis.put_record(StreamName="types", Data=b"%d" % i, PartitionKey="k")["SequenceNumber"])
        frozen.advance(10)
    data = lambda records: [r["Data"] for r in records]  # noqa: E731
    assert data(read_all(kinesis, "types", shard)) == [b"0", b"1", b"2", b"3", b"4"]
    assert data(read_all(kinesis, "types", shard, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=numbers[2])) == \
        [b"2", b"3", b"4"]
    assert data(read_all(kinesis, "types", shard, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=numbers[2])) == \
        [b"3", b"4"]
    at = frozen.utcnow() - timedelta(seconds=25)
    assert data(read_all(kinesis, "types", shard, "AT_TIMESTAMP", Timestamp=at)) == [b"3", b"4"]
    latest = kinesis.get_shard_iterator(StreamName="types", ShardId=shard, ShardIteratorType="LATEST")
    kinesis.put_record(StreamName="types", Data=b"new", PartitionKey="k")
    page = kinesis.get_records(ShardIterator=latest["ShardIterator"])
    assert data(page["Records"]) == [b"new"] and page["MillisBehindLatest"] == 0
    code, _ = error_of(kinesis.get_shard_iterator, StreamName="types", ShardId=shard,
                       ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber="12345")
    assert code == "InvalidArgumentException"


def test_get_records_limit_and_millis_behind(kinesis, make_stream, frozen):
    make_stream("lim", shards=1)
    kinesis.put_records(StreamName="lim", Records=[{"Data": b"%d" % i, "PartitionKey": "k"} for i in range(10)])
    frozen.advance(7)
    iterator = kinesis.get_shard_iterator(StreamName="lim", ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    page = kinesis.get_records(ShardIterator=iterator, Limit=3)
    assert len(page["Records"]) == 3 and page["MillisBehindLatest"] == 7000
    arrived = page["Records"][0]["ApproximateArrivalTimestamp"]
    assert abs(arrived - (frozen.utcnow() - timedelta(seconds=7))) < timedelta(milliseconds=1)  # ms on the wire
    rest = kinesis.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["Data"] for r in rest["Records"]] == [b"%d" % i for i in range(3, 10)]
    assert rest["MillisBehindLatest"] == 0


def test_iterators_expire_after_five_minutes(kinesis, make_stream, frozen):
    make_stream("exp", shards=1)
    iterator = kinesis.get_shard_iterator(StreamName="exp", ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    frozen.advance(299)
    kinesis.get_records(ShardIterator=iterator)
    frozen.advance(2)
    code, message = error_of(kinesis.get_records, ShardIterator=iterator)
    assert code == "ExpiredIteratorException"
    assert message.startswith("Iterator expired. The iterator was created at time ")
    assert message.endswith("tolerated delay of 300000 milliseconds.")
    assert error_of(kinesis.get_records, ShardIterator="garbage")[0] == "InvalidArgumentException"


def test_retention_drops_old_records_on_the_clock(kinesis, make_stream, frozen):
    make_stream("ret", shards=1)
    kinesis.put_record(StreamName="ret", Data=b"old", PartitionKey="k")
    frozen.advance(23 * 3600)
    kinesis.put_record(StreamName="ret", Data=b"new", PartitionKey="k")
    frozen.advance(3600 + 1)
    assert [r["Data"] for r in read_all(kinesis, "ret", "shardId-000000000000")] == [b"new"]
    kinesis.increase_stream_retention_period(StreamName="ret", RetentionPeriodHours=48)
    code, message = error_of(kinesis.increase_stream_retention_period, StreamName="ret", RetentionPeriodHours=30)
    assert code == "InvalidArgumentException" and "DecreaseRetentionPeriod" in message


def test_record_and_request_size_limits(kinesis, make_stream):
    make_stream("size", shards=1)
    big = b"x" * (1024 * 1024 - 1)
    code, _ = error_of(kinesis.put_record, StreamName="size", Data=big, PartitionKey="ab")
    assert code == "InvalidArgumentException"
    kinesis.put_record(StreamName="size", Data=big, PartitionKey="a")
    records = [{"Data": b"y" * (1024 * 1024 - 10), "PartitionKey": "k"} for _ in range(6)]
    code, message = error_of(kinesis.put_records, StreamName="size", Records=records)
    assert code == "InvalidArgumentException" and "5 MiB" in message


def test_unknown_stream_and_shard(kinesis, make_stream):
    code, message = error_of(kinesis.put_record, StreamName="nope", Data=b"x", PartitionKey="k")
    assert (code, message) == ("ResourceNotFoundException", "Stream nope under account 123456789012 not found.")
    make_stream("s", shards=1)
    code, _ = error_of(kinesis.get_shard_iterator, StreamName="s", ShardId="shardId-000000000009",
                       ShardIteratorType="LATEST")
    assert code == "ResourceNotFoundException"


@pytest.mark.parametrize("key_state", ["disable", "delete"])
def test_put_records_fail_per_record_when_the_kms_key_is_unusable(client, kinesis, make_stream, key_state):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    make_stream("enc", shards=1)
    kinesis.start_stream_encryption(StreamName="enc", EncryptionType="KMS", KeyId=key)
    out = kinesis.put_record(StreamName="enc", Data=b"x", PartitionKey="k")
    assert out["EncryptionType"] == "KMS"
    assert read_all(kinesis, "enc", "shardId-000000000000")[0]["EncryptionType"] == "KMS"
    if key_state == "disable":
        kms.disable_key(KeyId=key)
    else:
        kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    out = kinesis.put_records(StreamName="enc", Records=[{"Data": b"a", "PartitionKey": "k"}] * 3)
    expected = "KMSDisabledException" if key_state == "disable" else "KMSInvalidStateException"
    assert out["FailedRecordCount"] == 3 and {r["ErrorCode"] for r in out["Records"]} == {expected}
    iterator = kinesis.get_shard_iterator(StreamName="enc", ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert error_of(kinesis.get_records, ShardIterator=iterator)[0] == expected
    kinesis.stop_stream_encryption(StreamName="enc", EncryptionType="KMS", KeyId=key)
    assert kinesis.put_records(StreamName="enc", Records=[{"Data": b"a", "PartitionKey": "k"}])["FailedRecordCount"] == 0


def test_encryption_with_an_unknown_key(kinesis, make_stream):
    make_stream("enc2", shards=1)
    code, _ = error_of(kinesis.start_stream_encryption, StreamName="enc2", EncryptionType="KMS",
                       KeyId="alias/does-not-exist")
    assert code == "KMSNotFoundException"
    kinesis.start_stream_encryption(StreamName="enc2", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    summary = kinesis.describe_stream_summary(StreamName="enc2")["StreamDescriptionSummary"]
    assert summary["EncryptionType"] == "KMS" and summary["KeyId"] == "alias/aws/kinesis"


def test_concurrent_writers_get_unique_increasing_sequence_numbers(kinesis, make_stream):
    make_stream("conc", shards=2)

    def write(worker):
        entries = [{"Data": f"{worker}-{i}".encode(), "PartitionKey": f"{worker}-{i}"} for i in range(100)]
        return kinesis.put_records(StreamName="conc", Records=entries)["Records"]

    with ThreadPoolExecutor(4) as pool:
        results = [r for batch in pool.map(write, range(8)) for r in batch]
    numbers = [int(r["SequenceNumber"]) for r in results]
    assert len(set(numbers)) == 800
    read = {shard: read_all(kinesis, "conc", shard) for shard in ("shardId-000000000000", "shardId-000000000001")}
    assert sum(len(records) for records in read.values()) == 800
    for records in read.values():
        seqs = [int(r["SequenceNumber"]) for r in records]
        assert seqs == sorted(seqs)
