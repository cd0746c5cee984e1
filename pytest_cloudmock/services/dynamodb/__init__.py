"""Amazon DynamoDB, in-process: tables, items, expressions, queries, transactions, streams.

State lives in `DynamoDbService.store` (a `Store` of `DynamoDbState` per account and
region; see `state.py` for the test API). The `dynamodbstreams` service reads the
same state (`services/dynamodbstreams.py`). See `docs/services/dynamodb.md`.
"""

from __future__ import annotations

from .batch import BatchOperations
from .extras import ExtraOperations
from .partiql import PartiqlOperations
from .queries import QueryOperations
from .state import DynamoDbState, Table
from .tables import TableOperations
from .transactions import TransactionOperations


class DynamoDbService(TableOperations, BatchOperations, TransactionOperations, QueryOperations,
                      PartiqlOperations, ExtraOperations):
    """The DynamoDB service (API 2012-08-10): every operation of its model."""


SERVICE = DynamoDbService

__all__ = ["DynamoDbService", "DynamoDbState", "SERVICE", "Table"]
