"""Amazon SQS, in-process: queues, messages, FIFO, dead-letter queues; json and query protocols.

State lives in `SqsService.store` (a `Store` of `SqsState` per account and
region); see `docs/services/sqs.md` for what is supported and how tests reach it.
"""

from __future__ import annotations

from .queues import QueueOperations
from .receiving import ReceiveOperations
from .redrive import RedriveOperations
from .sending import SendOperations
from .state import Message, Queue, SqsState


class SqsService(QueueOperations, SendOperations, ReceiveOperations, RedriveOperations):
    """The SQS service: every operation of the 2012-11-05 API."""


SERVICE = SqsService

__all__ = ["Message", "Queue", "SERVICE", "SqsService", "SqsState"]
