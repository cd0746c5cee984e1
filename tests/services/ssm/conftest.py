"""SSM fixtures: clients over the gateway and the gateway clock frozen on request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cloudmock.clock import Clock
from pytest_cloudmock.gateway import Gateway


@pytest.fixture
def ssm(client: Any) -> Any:
    return client("ssm")


@pytest.fixture
def kms(client: Any) -> Any:
    return client("kms")


@pytest.fixture
def frozen(aws: Gateway) -> Iterator[Clock]:
    aws.clock.freeze()
    yield aws.clock
    aws.clock.reset()
