"""KMS test fixtures: a boto3 client over the gateway, the gateway clock frozen on request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cloudmock.clock import Clock
from pytest_cloudmock.gateway import Gateway

ACCOUNT = "123456789012"


@pytest.fixture
def kms(client: Any) -> Any:
    return client("kms")


@pytest.fixture
def frozen(aws: Gateway) -> Iterator[Clock]:
    """The gateway clock, frozen for the test and back to real time after it."""
    aws.clock.freeze()
    yield aws.clock
    aws.clock.reset()
