"""Kinesis test fixtures: a boto3 client over the gateway, a stream maker, the frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def kinesis(client: Any) -> Any:
    return client("kinesis")


@pytest.fixture
def make_stream(kinesis: Any) -> Callable[..., str]:
    """`make_stream(name, shards=4)` -> the stream's ARN (ACTIVE at once)."""

    def create(name: str, shards: int = 4, **kwargs: Any) -> str:
        kinesis.create_stream(StreamName=name, ShardCount=shards, **kwargs)
        return kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]

    return create




def read_all(kinesis: Any, name: str, shard_id: str, kind: str = "TRIM_HORIZON", **kwargs: Any) -> list[dict]:
    """Every record of a shard, following `NextShardIterator` until it is caught up or closed."""
    iterator = kinesis.get_shard_iterator(StreamName=name, ShardId=shard_id, ShardIteratorType=kind,
                                          **kwargs)["ShardIterator"]
    out: list[dict] = []
    while iterator:
        page = kinesis.get_records(ShardIterator=iterator, Limit=10000)
        out.extend(page["Records"])
        iterator = page.get("NextShardIterator")
        if not page["Records"] and page["MillisBehindLatest"] == 0:
            break
    return out
