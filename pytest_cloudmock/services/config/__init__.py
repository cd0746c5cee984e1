"""AWS Config, in-process: the resource inventory read live from the other services
(S3, IAM, SNS, SQS, DynamoDB, KMS, Lambda) through the registry and recorded as
configuration items with history, advanced queries, recorders and delivery channels,
rules and evaluations, conformance packs, remediation, aggregators and stored queries.

See `docs/services/config.md`.
"""

from __future__ import annotations

from .aggregators import AggregatorOperations
from .recorders import RecorderOperations
from .tagging import TaggingOperations


class ConfigService(AggregatorOperations, RecorderOperations, TaggingOperations):
    """The AWS Config service: every operation of the 2014-11-12 API."""


SERVICE = ConfigService

__all__ = ["ConfigService", "SERVICE"]
