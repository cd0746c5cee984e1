"""Amazon Data Firehose, in-process: delivery streams (DirectPut or a Kinesis stream as source),
buffered delivery to S3 and HTTP endpoints, Lambda transformation, tags, encryption.

State lives in `FirehoseService.store`; `FirehoseService.flush()` delivers every buffer now.
See `docs/services/firehose.md`.
"""

from __future__ import annotations

from .delivery import DeliveryOperations
from .state import DeliveryStream, Destination, FirehoseState
from .streams import StreamOperations


class FirehoseService(StreamOperations, DeliveryOperations):
    """The Data Firehose service: every operation of the 2015-08-04 API."""


SERVICE = FirehoseService

__all__ = ["DeliveryStream", "Destination", "FirehoseService", "FirehoseState", "SERVICE"]
