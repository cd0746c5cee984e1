"""SplitShard, MergeShards, UpdateShardCount and ListShards.

A split or merge closes its parent shards (their `EndingSequenceNumber` is set) and opens
children naming them as `ParentShardId`/`AdjacentParentShardId`; children's sequence
numbers follow the parents', so reading parents to their end and then children keeps
per-key order. `UpdateShardCount` (UNIFORM_SCALING) reaches its target by splitting the
widest open shard at its midpoint, or merging the narrowest adjacent pair, one step at
a time, as AWS does with intermediate shards.
"""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token
from . import errors
from .base import SHARD_LIMIT, KinesisBase
from .state import Shard, Stream

TOKEN_SECONDS = 300
_TOKEN = "kinesis-list-shards"


class ReshardOperations(KinesisBase):
    def _open(self, stream: Stream, shard_id: str) -> Shard:
        shard = self.shard(stream, shard_id, stream.account_id)
        if not shard.is_open:
            raise errors.in_use(f"Shard {shard_id} in stream {stream.name} under account {stream.account_id} "
                                "has already been merged or split, and thus is not eligible for merging or "
                                "splitting.")
        return shard

    def _split(self, stream: Stream, shard: Shard, at: int, now: float) -> None:
        self.close_shard(stream, shard, now)
        self.add_shard(stream, shard.start_hash, at - 1, now, parent=shard.shard_id)
        self.add_shard(stream, at, shard.end_hash, now, parent=shard.shard_id)

    def _merge(self, stream: Stream, shard: Shard, adjacent: Shard, now: float) -> None:
        self.close_shard(stream, shard, now)
        self.close_shard(stream, adjacent, now)
        self.add_shard(stream, min(shard.start_hash, adjacent.start_hash), max(shard.end_hash, adjacent.end_hash),
                       now, parent=shard.shard_id, adjacent=adjacent.shard_id)

    def split_shard(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        text = p["NewStartingHashKey"]
        with self.store.lock:
            stream = self.live(ctx)
            shard = self._open(stream, p["ShardToSplit"])
            at = int(text) if text.isdigit() else -1
            if not shard.start_hash < at <= shard.end_hash:
                raise errors.invalid(f"NewStartingHashKey {text} used in SplitShard() on shard {shard.shard_id} "
                                     f"in stream {stream.name} under account {stream.account_id} is not both "
                                     "greater than one plus the shard's StartingHashKey "
                                     f"{shard.start_hash} and less than the shard's EndingHashKey "
                                     f"{shard.end_hash}.")
            if self.open_shard_count(self.state(ctx)) + 1 > SHARD_LIMIT:
                raise errors.limit(f"This request would exceed the shard limit for the account "
                                   f"{stream.account_id} in {stream.region}. Limit: {SHARD_LIMIT}.")
            self._split(stream, shard, at, ctx.clock.now())
        return {}

    def merge_shards(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            stream = self.live(ctx)
            shard = self._open(stream, p["ShardToMerge"])
            adjacent = self._open(stream, p["AdjacentShardToMerge"])
            if shard.end_hash + 1 != adjacent.start_hash and adjacent.end_hash + 1 != shard.start_hash:
                raise errors.invalid(f"Shards {shard.shard_id} and {adjacent.shard_id} in stream {stream.name} "
                                     f"under account {stream.account_id} are not an adjacent pair of shards "
                                     "eligible for merging")
            self._merge(stream, shard, adjacent, ctx.clock.now())
        return {}

    def update_shard_count(self, ctx: RequestContext) -> dict[str, Any]:
        target = ctx.params["TargetShardCount"]
        now = ctx.clock.now()
        with self.store.lock:
            stream = self.live(ctx)
            if stream.mode != "PROVISIONED":
                raise errors.invalid(f"UpdateShardCount is not supported for stream {stream.name} in "
                                     "ON_DEMAND mode.")  # AWS's text unknown; ours
            current = len(stream.open_shards())
            if target > current * 2 or target * 2 < current:
                raise errors.limit(f"UpdateShardCount cannot scale stream {stream.name} from {current} to "
                                   f"{target} shards: a single call scales to at most double or at least half "
                                   "the current count.")  # AWS's text unknown; ours
            if self.open_shard_count(self.state(ctx)) - current + target > SHARD_LIMIT:
                raise errors.limit(f"This request would exceed the shard limit for the account "
                                   f"{stream.account_id} in {stream.region}. Limit: {SHARD_LIMIT}.")
            while len(stream.open_shards()) < target:
                widest = max(stream.open_shards(), key=lambda s: s.end_hash - s.start_hash)
                self._split(stream, widest, widest.start_hash + (widest.end_hash - widest.start_hash + 1) // 2, now)
            while len(stream.open_shards()) > target:
                ordered = sorted(stream.open_shards(), key=lambda s: s.start_hash)
                left, right = min(zip(ordered, ordered[1:], strict=False),
                                  key=lambda pair: pair[1].end_hash - pair[0].start_hash)
                self._merge(stream, left, right, now)
        return {"StreamName": stream.name, "StreamARN": stream.arn, "CurrentShardCount": current,
                "TargetShardCount": target}

    # -- listing --------------------------------------------------------------------------
    @staticmethod
    def _bad_token() -> AWSError:
        return errors.invalid("Invalid ListShards NextToken.")  # AWS's text unknown; ours

    def list_shards(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        now = ctx.clock.now()
        if p.get("NextToken"):
            if p.get("StreamName") or p.get("ExclusiveStartShardId") or p.get("ShardFilter"):
                raise errors.invalid("NextToken and StreamName cannot be provided together.")
            arn, after, shard_filter, issued = decode_token(p["NextToken"], self._bad_token, _TOKEN)
            if now - issued > TOKEN_SECONDS:
                raise AWSError("ExpiredNextTokenException", "The timestamp of the last ListShard call was "
                               "more than 5 minutes ago. Please call ListShards with StreamName.")  # ours
            where: dict[str, Any] = {"StreamARN": arn}
        else:
            after, shard_filter, where = p.get("ExclusiveStartShardId"), p.get("ShardFilter"), p
            if shard_filter and shard_filter.get("Timestamp") is not None:
                shard_filter = {**shard_filter, "Timestamp": shard_filter["Timestamp"].timestamp()}
        with self.store.lock:
            stream = self.live(ctx, where)
            shards = self._filtered(list(stream.shards.values()), shard_filter or {})
            if after:
                shards = [s for s in shards if s.shard_id > after]
            limit = p.get("MaxResults") or 1000
            page = shards[:limit]
            out: dict[str, Any] = {"Shards": [self.shard_shape(s) for s in page]}
        if len(shards) > limit:
            out["NextToken"] = encode_token([stream.arn, page[-1].shard_id, shard_filter, now], _TOKEN)
        return out

    @staticmethod
    def _filtered(shards: list[Shard], shard_filter: dict[str, Any]) -> list[Shard]:
        kind = shard_filter.get("Type")
        if kind is None or kind in ("AT_TRIM_HORIZON", "FROM_TRIM_HORIZON"):
            return shards
        if kind == "AT_LATEST":
            return [s for s in shards if s.is_open]
        if kind == "AFTER_SHARD_ID":
            if not shard_filter.get("ShardId"):
                raise errors.invalid("ShardId must be provided for a ShardFilter of type AFTER_SHARD_ID.")  # ours
            return [s for s in shards if s.shard_id > shard_filter["ShardId"]]
        at = shard_filter.get("Timestamp")
        if at is None:
            raise errors.invalid(f"Timestamp must be provided for a ShardFilter of type {kind}.")  # ours
        if kind == "AT_TIMESTAMP":
            return [s for s in shards if s.created <= at and (s.closed_at is None or s.closed_at > at)]
        return [s for s in shards if s.closed_at is None or s.closed_at >= at]  # FROM_TIMESTAMP
