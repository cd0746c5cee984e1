"""Every operation of IAM's model answered; random valid calls never crash the service."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.iam import IAM

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_iam_operation_is_answered(client):
    assert call_every_operation(client("iam"), seed=14, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = IAM()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_calls_never_crash(seed):
    assert fuzz(IAM(), rounds=10, seed=seed) == []
