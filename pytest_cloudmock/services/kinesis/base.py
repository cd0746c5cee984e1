"""What every Kinesis operation needs: the store, stream and shard lookup, retention.

Streams are `ACTIVE` as soon as `CreateStream` answers (and again as soon as a
resharding or encryption change answers), so boto3's `stream_exists` waiter passes on
its first poll. Records older than the retention period, and closed shards whose
records have all expired, disappear as the gateway clock moves.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from ...api import RequestContext, ServiceProfile
from ...store import Store
from ..base import ModelService
from . import errors, sequence
from .state import KinesisState, Shard, Stream

SHARD_LIMIT = 500  # the default shard quota of the largest regions
ON_DEMAND_LIMIT = 50
ON_DEMAND_SHARDS = 4


def stamp(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


class KinesisBase(ModelService):
    """Store, lookups and the retention sweep shared by the Kinesis operations."""

    name: ClassVar[str] = "kinesis"

    def __init__(self) -> None:
        self.store: Store[KinesisState] = Store(KinesisState)
        # records past the retention period expire as the gateway clock moves
        self.profile = ServiceProfile(on_clock=lambda registry: self.sweep(registry.clock.now()))

    def sweep(self, now: float) -> None:
        with self.store.lock:
            for _key, state in self.store.partitions():
                for stream in state.streams.values():
                    self.trim(stream, now)

    @staticmethod
    def trim(stream: Stream, now: float) -> None:
        """Drop records older than the retention period, and closed shards with nothing left."""
        cutoff = now - stream.retention_hours * 3600
        for shard in list(stream.shards.values()):
            if shard.records and shard.records[0].arrival < cutoff:
                keep = next((i for i, r in enumerate(shard.records) if r.arrival >= cutoff), len(shard.records))
                del shard.records[:keep]
                del shard.sequences[:keep]
            if shard.closed_at is not None and shard.closed_at < cutoff:
                del stream.shards[shard.shard_id]

    # -- lookups --------------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> KinesisState:
        return self.store.for_ctx(ctx)

    def stream_arn(self, ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:kinesis:{ctx.region}:{ctx.account_id}:stream/{name}"

    def stream(self, ctx: RequestContext, params: dict[str, Any] | None = None) -> Stream:
        """The stream `StreamName` or `StreamARN` names (the ARN may name another region)."""
        p = ctx.params if params is None else params
        name, arn = p.get("StreamName"), p.get("StreamARN")
        state = self.state(ctx)
        if arn:
            parts = arn.split(":", 5)
            if len(parts) != 6 or parts[2] != "kinesis" or not parts[5].startswith("stream/"):
                raise errors.invalid(f"StreamARN {arn} is invalid.")  # AWS's text unknown; ours
            found = self.store.find(parts[4], parts[3])
            stream_name = parts[5].split("/", 1)[1]
            stream = found.streams.get(stream_name) if found is not None else None
            if stream is None or (name and name != stream_name):
                raise errors.stream_not_found(stream_name, parts[4])
            return stream
        if not name:
            raise errors.invalid("Either StreamName or StreamARN must be provided.")  # AWS's text unknown
        stream = state.streams.get(name)
        if stream is None:
            raise errors.stream_not_found(name, ctx.account_id)
        return stream

    def live(self, ctx: RequestContext, params: dict[str, Any] | None = None) -> Stream:
        """The stream, with expired records trimmed (call under the store lock)."""
        stream = self.stream(ctx, params)
        self.trim(stream, ctx.clock.now())
        return stream

    @staticmethod
    def shard(stream: Stream, shard_id: str, account: str) -> Shard:
        shard = stream.shards.get(shard_id)
        if shard is None:
            raise errors.not_found(f"Shard {shard_id} in stream {stream.name} under account {account} does not exist")
        return shard

    # -- shards ---------------------------------------------------------------------------
    @staticmethod
    def add_shard(stream: Stream, start: int, end: int, now: float, parent: str | None = None,
                  adjacent: str | None = None) -> Shard:
        index = stream.next_shard_index
        stream.next_shard_index += 1
        shard = Shard(
            shard_id=f"shardId-{index:012d}", index=index, start_hash=start, end_hash=end,
            starting_sequence=sequence.make_sequence(stream.counter, index), created=now,
            parent=parent, adjacent_parent=adjacent,
        )
        stream.counter += 1
        stream.shards[shard.shard_id] = shard
        return shard

    @staticmethod
    def close_shard(stream: Stream, shard: Shard, now: float) -> None:
        shard.ending_sequence = sequence.make_sequence(stream.counter, shard.index)
        stream.counter += 1
        shard.closed_at = now

    @staticmethod
    def open_shard_count(state: KinesisState) -> int:
        return sum(len(s.open_shards()) for s in state.streams.values())

    # -- shapes ---------------------------------------------------------------------------
    @staticmethod
    def shard_shape(shard: Shard) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ShardId": shard.shard_id,
            "HashKeyRange": {"StartingHashKey": str(shard.start_hash), "EndingHashKey": str(shard.end_hash)},
            "SequenceNumberRange": {"StartingSequenceNumber": sequence.text(shard.starting_sequence)},
        }
        if shard.parent:
            out["ParentShardId"] = shard.parent
        if shard.adjacent_parent:
            out["AdjacentParentShardId"] = shard.adjacent_parent
        if shard.ending_sequence is not None:
            out["SequenceNumberRange"]["EndingSequenceNumber"] = sequence.text(shard.ending_sequence)
        return out

    @staticmethod
    def child_shards(stream: Stream, shard: Shard) -> list[dict[str, Any]]:
        """The `ChildShards` of a closed shard (its split or merge results)."""
        out = []
        for child in stream.shards.values():
            parents = [p for p in (child.parent, child.adjacent_parent) if p]
            if shard.shard_id in parents:
                out.append({"ShardId": child.shard_id, "ParentShards": parents,
                            "HashKeyRange": {"StartingHashKey": str(child.start_hash),
                                             "EndingHashKey": str(child.end_hash)}})
        return out
