"""Shared fixtures for the project's own tests: one live gateway per session.

(Users get the same through the plugin's `cloudmock*` fixtures; the project's
tests of the core use these plain ones so that the core is tested on its own.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.clock import Clock
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

REGION = "us-east-1"


@pytest.fixture(scope="session")
def gateway() -> Iterator[Gateway]:
    """A running gateway shared by the session's tests (state reset per test by `aws`)."""
    gw = Gateway(Config(region=REGION)).start()
    yield gw
    gw.stop()


@pytest.fixture(scope="session")
def boto_session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region_name=REGION,
    )


@pytest.fixture
def aws(gateway: Gateway) -> Iterator[Gateway]:
    """The session gateway, reset after the test, its clock back to real time (a test that froze,
    moved and unfroze it leaves it running from where it stood: ahead of later tests' real time)."""
    yield gateway
    gateway.reset()
    gateway.clock.reset()


@pytest.fixture
def client(aws: Gateway, boto_session: boto3.Session) -> Callable[..., Any]:
    """`client("sqs", **kwargs)`: a boto3 client pointed at the gateway (no retries)."""

    def make(service: str, **kwargs: Any) -> Any:
        config = kwargs.pop("config", None) or BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"})
        return boto_session.client(service, endpoint_url=aws.endpoint, config=config, **kwargs)

    return make


@pytest.fixture
def frozen_at() -> Any:
    """When `frozen` stops the clock: now, unless a folder or module overrides this fixture."""
    return None


@pytest.fixture
def frozen(aws: Gateway, frozen_at: Any) -> Iterator[Clock]:
    """The gateway clock, frozen for the test (at `frozen_at`) and back to real time after it.

    State is reset first, so nothing scheduled catches up while the clock jumps back.
    """
    yield aws.clock.freeze(frozen_at)
    aws.reset()
    aws.clock.reset()
