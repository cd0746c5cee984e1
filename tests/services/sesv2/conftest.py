"""SES v2 fixtures: clients over the gateway (both transports) and the service behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.sesv2 import SesV2Service

ACCOUNT = "123456789012"
REGION = "us-east-1"


@pytest.fixture
def sesv2(client: Callable[..., Any]) -> Any:
    return client("sesv2")


@pytest.fixture
def s3(client: Callable[..., Any]) -> Any:
    return client("s3")


@pytest.fixture
def service(aws: Gateway) -> SesV2Service:
    found = aws.registry.get("sesv2")
    assert isinstance(found, SesV2Service)
    return found


def arn(resource: str) -> str:
    return f"arn:aws:ses:{REGION}:{ACCOUNT}:{resource}"
