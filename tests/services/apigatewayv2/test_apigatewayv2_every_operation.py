"""Every operation of API Gateway v2's botocore model answers (never NotImplemented, never a 5xx)."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.apigatewayv2 import ApiGatewayV2Service

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(v2):
    v2.create_api(Name="existing", ProtocolType="HTTP")
    assert call_every_operation(v2, seed=23, rounds=2) == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed):
    assert fuzz(ApiGatewayV2Service(), rounds=10, seed=seed) == []
