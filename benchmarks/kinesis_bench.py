"""Kinesis throughput: PutRecords of 500 records and GetRecords reads, in records per second.

A 4-shard stream; each round puts `--batches` PutRecords calls of 500 records (100-byte
payloads, random partition keys), then reads every shard back with GetRecords
(`Limit` 10,000). Backends: cloudmock in-process and over HTTP (keep-alive).

    python benchmarks/kinesis_bench.py [--batches 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.vs_moto import cloudmock  # noqa: E402

STREAM = "bench"
PAYLOAD = b"x" * 100


def put_round(kinesis: Any, batches: int) -> float:
    """Records per second of `batches` PutRecords calls of 500 records."""
    entries = [[{"Data": PAYLOAD, "PartitionKey": uuid.uuid4().hex} for _ in range(500)] for _ in range(batches)]
    start = time.perf_counter()
    for batch in entries:
        assert kinesis.put_records(StreamName=STREAM, Records=batch)["FailedRecordCount"] == 0
    return batches * 500 / (time.perf_counter() - start)


def get_round(kinesis: Any, expected: int) -> float:
    """Records per second reading every shard from TRIM_HORIZON to the tip."""
    shards = [s["ShardId"] for s in kinesis.list_shards(StreamName=STREAM)["Shards"]]
    start = time.perf_counter()
    read = 0
    for shard in shards:
        iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=10_000)
            read += len(page["Records"])
            if page["MillisBehindLatest"] == 0 and not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    elapsed = time.perf_counter() - start
    assert read == expected, (read, expected)
    return read / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print(f"{'backend':<12} {'PutRecords(500) rec/s':>22} {'GetRecords rec/s':>18}")
    for transport in ("inprocess", "http"):
        puts, gets = [], []
        for _ in range(args.rounds):
            with cloudmock(transport) as client:
                kinesis = client("kinesis")
                kinesis.create_stream(StreamName=STREAM, ShardCount=4)
                puts.append(put_round(kinesis, args.batches))
                gets.append(get_round(kinesis, args.batches * 500))
        print(f"{transport:<12} {statistics.median(puts):>22,.0f} {statistics.median(gets):>18,.0f}")


if __name__ == "__main__":
    main()
