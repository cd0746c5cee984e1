"""Every operation of API Gateway v1's botocore model answers (never NotImplemented, never a 5xx)."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.apigateway import ApiGatewayService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(apigw):
    api = apigw.create_rest_api(name="existing")
    assert api["rootResourceId"]
    assert call_every_operation(apigw, seed=23, rounds=2) == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed):
    """Every operation straight into the service with random botocore-valid params: no traceback."""
    assert fuzz(ApiGatewayService(), rounds=10, seed=seed) == []
