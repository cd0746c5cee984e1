"""Every operation of Lambda's botocore model answers (never NotImplemented, never a 5xx)."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.lambda_ import LambdaService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(lam, make_function):
    make_function("existing")
    failures = call_every_operation(lam, seed=16, rounds=2)
    # InvalidRuntimeException (502) is Lambda's own answer for a runtime this host cannot start
    assert [f for f in failures if "InvalidRuntimeException" not in f] == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed):
    """Every operation straight into the service with random botocore-valid params: no traceback."""
    service = LambdaService()
    try:
        assert fuzz(service, rounds=15, seed=seed) == []
    finally:
        service.stop()
