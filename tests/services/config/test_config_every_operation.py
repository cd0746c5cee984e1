"""Every AWS Config operation is answered, and random calls never crash the service."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.config import ConfigService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_config_operation_is_answered(recording):
    assert call_every_operation(recording, seed=12, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = ConfigService()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_calls_never_crash(seed):
    assert fuzz(ConfigService(), rounds=10, seed=seed) == []
