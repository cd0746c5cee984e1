"""Every operation of both models answered; random valid calls never crash the service."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.dynamodb import DynamoDbService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_dynamodb_operation_is_answered(ddb, make_table):
    make_table("everyop")
    assert call_every_operation(ddb, seed=15, rounds=2) == []


def test_every_dynamodb_streams_operation_is_answered(ddb, streams, make_table):
    make_table("everyop", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert call_every_operation(streams, seed=15, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = DynamoDbService()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_calls_never_crash(seed):
    assert fuzz(DynamoDbService(), rounds=15, seed=seed) == []
