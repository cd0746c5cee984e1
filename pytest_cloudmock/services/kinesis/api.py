"""How other services read Kinesis streams (Lambda event source mappings, Firehose sources).

    for shard in kinesis_api.shards(registry, stream_arn):            # oldest first
        batch = kinesis_api.read_shard(registry, stream_arn, shard["ShardId"],
                                       after=checkpoint, limit=100)    # or position="LATEST"
        ... batch.records (GetRecords-shaped dicts), batch.last, batch.ended

A reader keeps its own checkpoint (the last sequence number it processed) and reads
parents to their end (`ended`) before children, which keeps per-key order across
resharding. Reads go to the service object directly (no iterator, no expiry) and take
its store lock briefly; call them from dispatcher work, never under another store lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...api import AWSError
from ...registry import Registry
from . import reading, sequence


@dataclass
class ShardBatch:
    records: list[dict[str, Any]]  # shaped as GetRecords answers them
    last: str | None  # the sequence number to pass as `after` next time (None: nothing read yet)
    ended: bool  # the shard is closed and fully read: move on to its children
    millis_behind: int


def _service(registry: Registry) -> Any:
    service = registry.get("kinesis")
    if service is None:
        raise AWSError("ServiceUnavailable", "The kinesis service is not available", 503)
    return service


def _stream(service: Any, stream_arn: str) -> Any:
    parts = stream_arn.split(":", 5)
    state = service.store.find(parts[4], parts[3]) if len(parts) == 6 else None
    stream = state.streams.get(parts[5].split("/", 1)[-1]) if state is not None else None
    if stream is None or stream.arn != stream_arn:
        raise AWSError("ResourceNotFoundException", f"Stream {stream_arn} not found.")
    return stream


def shards(registry: Registry, stream_arn: str) -> list[dict[str, Any]]:
    """Every shard of the stream (ListShards-shaped), parents before children."""
    service = _service(registry)
    with service.store.lock:
        stream = _stream(service, stream_arn)
        service.trim(stream, registry.clock.now())
        return [service.shard_shape(s) for s in stream.shards.values()]


def read_shard(registry: Registry, stream_arn: str, shard_id: str, *, after: str | None = None,
               position: str = "TRIM_HORIZON", limit: int = 100) -> ShardBatch:
    """Up to `limit` records after sequence number `after`, else from `position`
    (`TRIM_HORIZON` or `LATEST`)."""
    service = _service(registry)
    now = registry.clock.now()
    with service.store.lock:
        stream = _stream(service, stream_arn)
        service.trim(stream, now)
        shard = service.shard(stream, shard_id, stream.account_id)
        kind, number = ("AFTER_SEQUENCE_NUMBER", after) if after else (position, None)
        start = reading.start_position(stream, shard, kind, number, None, stream.account_id)
        batch = reading.read(shard, start, now, limit)
        return ShardBatch([reading.record_shape(r) for r in batch.records],
                          sequence.text(batch.records[-1].sequence) if batch.records else after,
                          batch.ended, batch.millis_behind)


def before(registry: Registry, stream_arn: str, shard_id: str, moment: float) -> str | None:
    """The sequence number of the newest record that arrived before `moment` (epoch seconds):
    the checkpoint of a reader that starts `AT_TIMESTAMP` (None: from the oldest record)."""
    service = _service(registry)
    with service.store.lock:
        shard = service.shard(_stream(service, stream_arn), shard_id, "")
        found = [r.sequence for r in shard.records if r.arrival < moment]
        return sequence.text(found[-1]) if found else None


def latest(registry: Registry, stream_arn: str, shard_id: str) -> str | None:
    """The sequence number of the newest record of a shard (a `LATEST` reader's checkpoint)."""
    service = _service(registry)
    with service.store.lock:
        shard = service.shard(_stream(service, stream_arn), shard_id, "")
        return sequence.text(shard.sequences[-1]) if shard.sequences else None
