"""Every operation of cognito-idp's botocore model answers (never NotImplemented, never a 5xx),
and random valid-shaped calls straight into the service never crash."""

from __future__ import annotations

import pytest

from pytest_cloudmock.services.cognito_idp import CognitoIdpService

from ..every_operation import call_every_operation
from ..service_fuzz import fuzz


def test_every_operation_answers(idp, pool, app, make_user) -> None:
    make_user("existing")
    assert call_every_operation(idp, seed=23, rounds=2) == []


@pytest.mark.parametrize("seed", range(3))
def test_random_calls_never_crash(seed: int) -> None:
    assert fuzz(CognitoIdpService(), rounds=15, seed=seed) == []
