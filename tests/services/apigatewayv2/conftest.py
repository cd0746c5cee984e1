"""API Gateway v2 fixtures: the v1 folder's (Lambda functions, URLs, a JWT issuer) and a v2 client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ..apigateway.conftest import backend, issuer, lam, make_function, url  # noqa: F401 (fixtures)


@pytest.fixture
def v2(client: Callable[..., Any]) -> Any:
    return client("apigatewayv2")
