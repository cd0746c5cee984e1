"""Data Firehose state: delivery streams, their destinations and buffers (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sortedcontainers import SortedDict


@dataclass
class Buffered:
    data: bytes
    arrival: float  # gateway-clock epoch seconds (a Kinesis source's own arrival time)


@dataclass
class Destination:
    destination_id: str
    kind: str  # ExtendedS3, HttpEndpoint, Redshift, ... (the model's `<kind>DestinationConfiguration`)
    config: dict[str, Any]
    buffer: list[Buffered] = field(default_factory=list)
    buffered_bytes: int = 0


@dataclass
class DeliveryStream:
    name: str
    arn: str
    account_id: str
    region: str
    stream_type: str
    created: float
    updated: float
    version: int = 1
    source: dict[str, Any] | None = None  # KinesisStreamSourceConfiguration, MSK, Database...
    destinations: list[Destination] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    encryption: dict[str, Any] = field(default_factory=lambda: {"Status": "DISABLED"})
    checkpoints: dict[str, str | None] = field(default_factory=dict)  # Kinesis shard id -> last sequence read
    ended_shards: list[str] = field(default_factory=list)


@dataclass
class FirehoseState:
    streams: dict[str, DeliveryStream] = field(default_factory=dict)  # in creation order (delivery rounds)
    names: SortedDict = field(default_factory=SortedDict)  # name -> DeliveryStream, in name order (listings)
