"""Amazon Kinesis Data Streams, in-process: streams, shards, records, resharding, consumers.

State lives in `KinesisService.store` (a `Store` of `KinesisState` per account and
region); other services read streams through `api.py`. See `docs/services/kinesis.md`.
"""

from __future__ import annotations

from .consumers import ConsumerOperations
from .records import RecordOperations
from .resharding import ReshardOperations
from .state import KinesisState, Record, Shard, Stream
from .streams import StreamOperations
from .tagging import TagOperations


class KinesisService(StreamOperations, RecordOperations, ReshardOperations, TagOperations, ConsumerOperations):
    """The Kinesis Data Streams service: every operation of the 2013-12-02 API."""


SERVICE = KinesisService

__all__ = ["KinesisService", "KinesisState", "Record", "SERVICE", "Shard", "Stream"]
