"""PutRecord, PutRecords, GetShardIterator, GetRecords.

A partition key's MD5, read as a 128-bit integer (or `ExplicitHashKey`), picks the open
shard whose hash key range holds it. Iterators are opaque tokens naming the stream, the
shard, the next sequence number and when they were made; they expire 5 minutes later on
the gateway clock.
"""

from __future__ import annotations

import time
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token
from . import errors, reading, sequence
from .base import KinesisBase
from .encryption import EncryptionOperations
from .state import HASH_SPACE, Record, Shard, Stream

ITERATOR_SECONDS = 300
MAX_REQUEST_BYTES = 5 * 1024 * 1024
_ITERATOR = "kinesis-shard-iterator"


def _java_time(epoch: float) -> str:
    """A time as AWS's iterator messages print it (`Thu Jul 02 12:57:57 UTC 2015`)."""
    return time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(epoch))


class RecordOperations(EncryptionOperations, KinesisBase):
    # -- writing --------------------------------------------------------------------------
    @staticmethod
    def _hash_key(entry: dict[str, Any]) -> int:
        explicit = entry.get("ExplicitHashKey")
        if explicit is None:
            return sequence.hash_key_of(entry["PartitionKey"])
        if not explicit.isdigit() or int(explicit) >= HASH_SPACE:
            raise errors.invalid(f"Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                 f"[0, 2^128-1]. Specified value was {explicit}")
        return int(explicit)

    @staticmethod
    def _check_size(stream: Stream, entry: dict[str, Any]) -> int:
        size = len(entry["Data"]) + len(entry["PartitionKey"].encode())
        if size > stream.max_record_kib * 1024:
            # AWS's exact text is not documented; ours.
            raise errors.invalid(f"Record size {size} bytes (data plus partition key) exceeds the maximum "
                                 f"record size of {stream.max_record_kib} KiB for stream {stream.name}.")
        return size

    @staticmethod
    def _append(stream: Stream, hash_key: int, entry: dict[str, Any], now: float, floor: int = 0) -> tuple[Shard, Record]:
        shard = next(s for s in stream.shards.values() if s.is_open and s.owns(hash_key))
        if floor >= stream.counter:
            stream.counter = floor + 1
        record = Record(sequence.make_sequence(stream.counter, shard.index), entry["Data"], entry["PartitionKey"],
                        now, stream.encryption == "KMS")
        stream.counter += 1
        shard.records.append(record)
        shard.sequences.append(record.sequence)
        return shard, record

    def put_record(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        floor = 0
        if p.get("SequenceNumberForOrdering") is not None:
            text = p["SequenceNumberForOrdering"]
            if not text.isdigit():
                raise errors.invalid(f"SequenceNumberForOrdering {text} is invalid.")  # AWS's text unknown
            value = sequence.parse(text)
            floor = sequence.counter_of(value) if value is not None else 0
        with self.store.lock:
            stream = self.stream(ctx)
            self._check_size(stream, p)
            hash_key = self._hash_key(p)
            key = stream.key_id if stream.encryption == "KMS" else None
        if key:
            self.check_key(ctx, key)  # a disabled or deleted key fails the write (KMS's code)
        with self.store.lock:
            stream = self.live(ctx)
            shard, record = self._append(stream, hash_key, p, ctx.clock.now(), floor)
        return {"ShardId": shard.shard_id, "SequenceNumber": sequence.text(record.sequence),
                "EncryptionType": stream.encryption}

    def put_records(self, ctx: RequestContext) -> dict[str, Any]:
        entries = ctx.params["Records"]
        with self.store.lock:
            stream = self.stream(ctx)
            total = sum(self._check_size(stream, e) for e in entries)
            if total > MAX_REQUEST_BYTES:
                raise errors.invalid(f"Records size {total} bytes exceeds the 5 MiB limit of a PutRecords "
                                     "request (data plus partition keys).")  # AWS's text unknown; ours
            keys = [self._hash_key(e) for e in entries]
            key = stream.key_id if stream.encryption == "KMS" else None
        failure: AWSError | None = None
        if key:
            try:
                self.check_key(ctx, key)
            except AWSError as exc:  # every record fails with KMS's code, as AWS answers
                failure = exc
        out = []
        with self.store.lock:
            stream = self.live(ctx)
            now = ctx.clock.now()
            for entry, hash_key in zip(entries, keys, strict=True):
                if failure is not None:
                    out.append({"ErrorCode": failure.code, "ErrorMessage": failure.message})
                    continue
                shard, record = self._append(stream, hash_key, entry, now)
                out.append({"SequenceNumber": sequence.text(record.sequence), "ShardId": shard.shard_id})
        failed = sum("ErrorCode" in r for r in out)
        return {"FailedRecordCount": failed, "Records": out, "EncryptionType": stream.encryption}

    # -- reading --------------------------------------------------------------------------
    def _iterator(self, stream: Stream, shard: Shard, position: int, now: float) -> str:
        return encode_token([stream.arn, shard.shard_id, str(position), now], _ITERATOR)

    def get_shard_iterator(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            stream = self.live(ctx)
            shard = self.shard(stream, p["ShardId"], stream.account_id)
            position = reading.start_position(stream, shard, p["ShardIteratorType"], p.get("StartingSequenceNumber"),
                                              p.get("Timestamp"), stream.account_id)
            return {"ShardIterator": self._iterator(stream, shard, position, ctx.clock.now())}

    def get_records(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        value = decode_token(p["ShardIterator"], errors.bad_iterator, _ITERATOR)
        if not (isinstance(value, list) and len(value) == 4 and str(value[2]).isdigit()):
            raise errors.bad_iterator()
        arn, shard_id, position, issued = value
        now = ctx.clock.now()
        if now - float(issued) > ITERATOR_SECONDS:
            raise errors.expired_iterator(_java_time(float(issued)), _java_time(now))
        if p.get("StreamARN") and p["StreamARN"] != arn:
            raise errors.invalid(f"StreamARN {p['StreamARN']} does not match the shard iterator's stream.")  # ours
        with self.store.lock:
            key = self.stream(ctx, {"StreamARN": arn}).key_id
        if key:
            self.check_key(ctx, key)  # reading encrypted records needs a usable key, as on AWS
        with self.store.lock:
            stream = self.live(ctx, {"StreamARN": arn})
            shard = self.shard(stream, shard_id, stream.account_id)
            batch = reading.read(shard, int(position), now, p.get("Limit") or reading.MAX_RECORDS)
            out: dict[str, Any] = {"Records": [reading.record_shape(r) for r in batch.records],
                                   "MillisBehindLatest": batch.millis_behind}
            if batch.ended:
                out["ChildShards"] = self.child_shards(stream, shard)
            else:
                out["NextShardIterator"] = self._iterator(stream, shard, batch.position, now)
        return out
