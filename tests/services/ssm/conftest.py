"""SSM fixtures: clients over the gateway and the gateway clock frozen on request."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def ssm(client: Any) -> Any:
    return client("ssm")


@pytest.fixture
def kms(client: Any) -> Any:
    return client("kms")


