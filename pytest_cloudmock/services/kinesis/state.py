"""Kinesis Data Streams state: streams, shards, records, consumers (plain data, no locks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HASH_SPACE = 2**128


@dataclass
class Record:
    """One record of a shard; `sequence` is the big integer behind the 56-digit string."""

    sequence: int
    data: bytes
    partition_key: str
    arrival: float  # gateway-clock epoch seconds
    encrypted: bool = False


@dataclass
class Shard:
    shard_id: str
    index: int
    start_hash: int
    end_hash: int
    starting_sequence: int
    created: float
    parent: str | None = None
    adjacent_parent: str | None = None
    ending_sequence: int | None = None  # set when the shard closes
    closed_at: float | None = None
    records: list[Record] = field(default_factory=list)
    sequences: list[int] = field(default_factory=list)  # parallel to records, for bisect

    @property
    def is_open(self) -> bool:
        return self.ending_sequence is None

    def owns(self, hash_key: int) -> bool:
        return self.start_hash <= hash_key <= self.end_hash


@dataclass
class Consumer:
    name: str
    arn: str
    created: float


@dataclass
class Stream:
    name: str
    arn: str
    account_id: str
    region: str
    created: float
    mode: str = "PROVISIONED"
    retention_hours: int = 24
    shards: dict[str, Shard] = field(default_factory=dict)  # shard id -> shard, in creation order
    next_shard_index: int = 0
    counter: int = 1  # the next sequence counter value (shared by the stream's shards)
    encryption: str = "NONE"
    key_id: str | None = None
    monitoring: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    consumers: dict[str, Consumer] = field(default_factory=dict)
    max_record_kib: int = 1024
    warm_throughput: int | None = None

    def open_shards(self) -> list[Shard]:
        return [s for s in self.shards.values() if s.is_open]


@dataclass
class KinesisState:
    streams: dict[str, Stream] = field(default_factory=dict)
    policies: dict[str, str] = field(default_factory=dict)  # stream or consumer ARN -> policy
    consumer_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    billing_commitment: dict[str, Any] = field(default_factory=lambda: {"Status": "DISABLED"})
