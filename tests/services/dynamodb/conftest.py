"""DynamoDB test fixtures: a client and resource against the session gateway, the service, tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.gateway import Gateway

CONFIG = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="session")
def ddb_clients(gateway: Gateway, boto_session: boto3.Session) -> dict[str, Any]:
    """Clients made once per session (making clients is the slow part)."""
    return {
        "client": boto_session.client("dynamodb", endpoint_url=gateway.endpoint, config=CONFIG),
        "resource": boto_session.resource("dynamodb", endpoint_url=gateway.endpoint, config=CONFIG),
        "streams": boto_session.client("dynamodbstreams", endpoint_url=gateway.endpoint, config=CONFIG),
    }


@pytest.fixture
def ddb(aws: Gateway, ddb_clients: dict[str, Any]) -> Any:
    """A DynamoDB client (state reset after the test)."""
    return ddb_clients["client"]


@pytest.fixture
def resource(aws: Gateway, ddb_clients: dict[str, Any]) -> Any:
    """A boto3 DynamoDB service resource."""
    return ddb_clients["resource"]


@pytest.fixture
def streams(aws: Gateway, ddb_clients: dict[str, Any]) -> Any:
    return ddb_clients["streams"]


@pytest.fixture
def service(aws: Gateway) -> Any:
    """The `DynamoDbService` behind the gateway."""
    return aws.registry.get("dynamodb")


@pytest.fixture
def make_table(ddb: Any) -> Callable[..., str]:
    """`make_table(name, hash=("pk", "S"), range=("sk", "S") or None, **extra)` -> table name."""

    def create(name: str = "t", hash: tuple[str, str] = ("pk", "S"), range: tuple[str, str] | None = ("sk", "S"),
               **extra: Any) -> str:
        keys = [{"AttributeName": hash[0], "KeyType": "HASH"}]
        attributes = {hash[0]: hash[1]}
        if range is not None:
            keys.append({"AttributeName": range[0], "KeyType": "RANGE"})
            attributes[range[0]] = range[1]
        attributes.update(extra.pop("attributes", {}))
        ddb.create_table(TableName=name, KeySchema=keys, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in attributes.items()],
                         **extra)
        return name

    return create
