"""Reading a shard: start positions, batches, the iterator age. Shared by `GetRecords`,
`SubscribeToShard` and the internal API (`api.py`). Call under the store lock."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import errors, sequence
from .base import stamp
from .state import Record, Shard, Stream

MAX_RECORDS = 10_000
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Batch:
    records: list[Record]
    position: int  # the next sequence number to read from (first record with seq >= it)
    ended: bool  # the shard is closed and everything in it has been read
    millis_behind: int


def start_position(stream: Stream, shard: Shard, kind: str, number: str | None, timestamp: datetime | None,
                   account: str) -> int:
    """The sequence number a reader of `kind` (the five iterator types) starts at."""
    if kind == "TRIM_HORIZON":
        return 0
    if kind == "LATEST":
        if shard.ending_sequence is not None:
            return shard.ending_sequence
        return sequence.make_sequence(stream.counter, shard.index)
    if kind == "AT_TIMESTAMP":
        if timestamp is None:
            raise errors.invalid("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                 "Current request has no timestamp parameter.")
        moment = timestamp.timestamp()
        found = next((r.sequence for r in shard.records if r.arrival >= moment), None)
        return found if found is not None else start_position(stream, shard, "LATEST", None, None, account)
    if kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        if not number:
            raise errors.invalid(f"Must specify StartingSequenceNumber for iterator of type {kind}.")  # ours
        value = sequence.parse(number)
        if value is None or sequence.shard_index_of(value) != shard.index:
            raise errors.invalid(f"StartingSequenceNumber {number} used in GetShardIterator on shard "
                                 f"{shard.shard_id} in stream {stream.name} under account {account} is invalid.")
        return value + 1 if kind == "AFTER_SEQUENCE_NUMBER" else value
    raise errors.invalid(f"Invalid ShardIteratorType {kind}.")  # the model's enum catches this first


def read(shard: Shard, position: int, now: float, limit: int = MAX_RECORDS, max_bytes: int = MAX_BYTES) -> Batch:
    """Up to `limit` records (and at most `max_bytes` of data, but at least one) from `position`."""
    start = bisect_left(shard.sequences, position)
    end = min(len(shard.records), start + limit)
    size = 0
    stop = start
    while stop < end:
        size += len(shard.records[stop].data)
        if size > max_bytes and stop > start:
            break
        stop += 1
    records = shard.records[start:stop]
    next_position = records[-1].sequence + 1 if records else position
    behind = int((now - shard.records[stop].arrival) * 1000) if stop < len(shard.records) else 0
    ended = shard.ending_sequence is not None and stop >= len(shard.records)
    return Batch(records, next_position, ended, max(behind, 0))


def record_shape(record: Record) -> dict[str, Any]:
    """A record as `GetRecords` answers it."""
    out: dict[str, Any] = {"SequenceNumber": sequence.text(record.sequence),
                           "ApproximateArrivalTimestamp": stamp(record.arrival),
                           "Data": record.data, "PartitionKey": record.partition_key}
    if record.encrypted:
        out["EncryptionType"] = "KMS"
    return out
