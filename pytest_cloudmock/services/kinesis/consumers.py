"""Enhanced fan-out: consumers (register, describe, list, deregister) and SubscribeToShard.

A consumer is `ACTIVE` as soon as `RegisterStreamConsumer` answers (which says
`CREATING`, as AWS does). `SubscribeToShard` answers an event stream of
`SubscribeToShardEvent`s: the records from the starting position in batches, then it
ends once it has caught up (AWS keeps a subscription open for 5 minutes and pushes new
records; here a consumer subscribes again from `ContinuationSequenceNumber`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from ...api import RequestContext
from ...paging import keyset_page
from . import errors, reading, sequence
from .base import KinesisBase, stamp
from .state import Consumer, Shard, Stream

MAX_CONSUMERS = 20
EVENT_RECORDS = 1000


def _last_before(shard: Shard, position: int) -> int:
    """The sequence number of the last record before `position` (the shard's start if none)."""
    index = bisect_left(shard.sequences, position)
    return shard.sequences[index - 1] if index else shard.starting_sequence


class ConsumerOperations(KinesisBase):
    def _consumer(self, ctx: RequestContext) -> tuple[Stream, Consumer]:
        p = ctx.params
        arn = p.get("ConsumerARN")
        if arn:
            stream_arn = arn.partition("/consumer/")[0]
            stream = self.stream(ctx, {"StreamARN": stream_arn})
            found = next((c for c in stream.consumers.values() if c.arn == arn), None)
            if found is None:
                raise errors.not_found(f"Consumer {arn} under account {stream.account_id} not found.")
            return stream, found
        if not p.get("StreamARN") or not p.get("ConsumerName"):
            raise errors.invalid("Either ConsumerARN or both StreamARN and ConsumerName must be "
                                 "provided.")  # AWS's text unknown; ours
        stream = self.stream(ctx, {"StreamARN": p["StreamARN"]})
        found = stream.consumers.get(p["ConsumerName"])
        if found is None:
            raise errors.not_found(f"Consumer {p['ConsumerName']} under account {stream.account_id} not found.")
        return stream, found

    @staticmethod
    def _shape(consumer: Consumer, status: str = "ACTIVE") -> dict[str, Any]:
        return {"ConsumerName": consumer.name, "ConsumerARN": consumer.arn, "ConsumerStatus": status,
                "ConsumerCreationTimestamp": stamp(consumer.created)}

    def register_stream_consumer(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConsumerName"]
        now = ctx.clock.now()
        with self.store.lock:
            stream = self.stream(ctx, {"StreamARN": ctx.params["StreamARN"]})
            if name in stream.consumers:
                raise errors.in_use(f"Consumer {name} under stream {stream.name} under account "
                                    f"{stream.account_id} already exists.")  # AWS's text unknown; ours
            if len(stream.consumers) >= MAX_CONSUMERS:
                raise errors.limit(f"Stream {stream.name} under account {stream.account_id} already has "
                                   f"{MAX_CONSUMERS} registered consumers.")  # ours
            consumer = Consumer(name, f"{stream.arn}/consumer/{name}:{int(now)}", now)
            stream.consumers[name] = consumer
            if ctx.params.get("Tags"):
                self.store.get(stream.account_id, stream.region).consumer_tags[consumer.arn] = dict(ctx.params["Tags"])
        return {"Consumer": self._shape(consumer, "CREATING")}

    def describe_stream_consumer(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream, consumer = self._consumer(ctx)
            return {"ConsumerDescription": {**self._shape(consumer), "StreamARN": stream.arn}}

    def deregister_stream_consumer(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream, consumer = self._consumer(ctx)
            del stream.consumers[consumer.name]
            state = self.store.get(stream.account_id, stream.region)
            state.consumer_tags.pop(consumer.arn, None)
            state.policies.pop(consumer.arn, None)
        return {}

    def list_stream_consumers(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            stream = self.stream(ctx, {"StreamARN": p["StreamARN"]})
            consumers = sorted(stream.consumers.values(), key=lambda c: c.name)
        page, token = keyset_page(consumers, key=lambda c: c.name, token=p.get("NextToken"),
                                  limit=p.get("MaxResults"), bad_token=lambda: errors.invalid("Invalid NextToken."),
                                  scope=f"kinesis-consumers:{stream.arn}")
        out: dict[str, Any] = {"Consumers": [self._shape(c) for c in page]}
        if token:
            out["NextToken"] = token
        return out

    def subscribe_to_shard(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        start = p["StartingPosition"]
        with self.store.lock:
            stream, _consumer = self._consumer(ctx)
            self.trim(stream, ctx.clock.now())
            shard = self.shard(stream, p["ShardId"], stream.account_id)
            position = reading.start_position(stream, shard, start["Type"], start.get("SequenceNumber"),
                                              start.get("Timestamp"), stream.account_id)
        clock = ctx.clock

        def events() -> Iterator[dict[str, Any]]:
            nonlocal position
            while True:
                with self.store.lock:
                    batch = reading.read(shard, position, clock.now(), EVENT_RECORDS)
                    event: dict[str, Any] = {"Records": [reading.record_shape(r) for r in batch.records],
                                             "MillisBehindLatest": batch.millis_behind,
                                             "ContinuationSequenceNumber": sequence.text(
                                                 _last_before(shard, batch.position))}
                    if batch.ended:
                        event["ChildShards"] = self.child_shards(stream, shard)
                position = batch.position
                yield {"SubscribeToShardEvent": event}
                if batch.ended or batch.millis_behind == 0:
                    return

        return {"EventStream": events()}
