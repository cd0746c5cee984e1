"""DynamoDB Streams inside the DynamoDB package: records written with each change, read by shard.

`record()` is called under the store lock by every write; `StreamReader` is the small
internal API the `dynamodbstreams` service (and any subscriber, such as a Lambda event
source mapping) reads through: `streams(...)`, `stream(...)`, `records_from(...)`.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .values import Item, item_size

if TYPE_CHECKING:
    from ...api import RequestContext
    from .state import DynamoDbState, Stream, Table

RETENTION_SECONDS = 24 * 3600
SEQUENCE_BASE = 10**20


def new_stream(ctx: RequestContext, table: Table, view_type: str) -> Stream:
    from .state import Stream

    now = ctx.clock.utcnow()
    label = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}"
    shard = f"shardId-{int(now.timestamp() * 1000):020d}-{uuid.uuid4().hex[:8]}"
    return Stream(arn=f"{table.arn}/stream/{label}", label=label, view_type=view_type, created=now, shard_id=shard)


def sequence_text(sequence: int) -> str:
    return str(SEQUENCE_BASE + sequence)


def record(ctx: RequestContext, state: DynamoDbState, table: Table, old: Item | None, new: Item | None,
           identity: dict[str, str] | None = None) -> None:
    """Append the stream record of one change (nothing when streams are off or nothing changed)."""
    stream = table.stream
    if stream is None or not stream.enabled or (old is None and new is None) or old == new:
        return
    from .state import StreamRecord

    state.stream_sequence += 1
    source = new if new is not None else old
    keys = {name: source[name] for name in table.schema.names}
    body: dict[str, Any] = {
        "ApproximateCreationDateTime": datetime.fromtimestamp(int(ctx.clock.now()), timezone.utc),
        "Keys": keys,
        "SequenceNumber": sequence_text(state.stream_sequence),
        "StreamViewType": stream.view_type,
    }
    if stream.view_type in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") and new is not None:
        body["NewImage"] = new
    if stream.view_type in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") and old is not None:
        body["OldImage"] = old
    body["SizeBytes"] = item_size(keys) + sum(item_size(body[k]) for k in ("NewImage", "OldImage") if k in body)
    entry: dict[str, Any] = {
        "eventID": uuid.uuid4().hex,
        "eventName": "INSERT" if old is None else "REMOVE" if new is None else "MODIFY",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": ctx.region,
        "dynamodb": body,
    }
    if identity is not None:
        entry["userIdentity"] = identity
    stream.records.append(StreamRecord(state.stream_sequence, entry, ctx.clock.now()))


def trim(stream: Stream, now: float) -> None:
    """Drop records older than the 24-hour retention."""
    records = stream.records
    drop = 0
    while drop < len(records) and records[drop].created < now - RETENTION_SECONDS:
        drop += 1
    if drop:
        del records[:drop]


def all_streams(state: DynamoDbState) -> list[tuple[Table, Stream]]:
    """Every stream of a partition's tables: current, disabled, and those of deleted tables."""
    out = list(state.retired_streams)
    for table in state.tables.values():
        for stream in [*table.old_streams, *([table.stream] if table.stream else [])]:
            out.append((table, stream))
    return out


def find_stream(state: DynamoDbState, arn: str) -> tuple[Table, Stream] | None:
    return next(((t, s) for t, s in all_streams(state) if s.arn == arn), None)


def records_from(stream: Stream, first_sequence: int, limit: int) -> list[Any]:
    """Up to `limit` records with sequence numbers from `first_sequence` on."""
    start = bisect_left(stream.records, first_sequence, key=lambda entry: entry.sequence)
    return stream.records[start:start + limit]
