"""Fixtures for the transport tests: a gateway attached in-process, and plugin inner sessions."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

import pytest_cloudmock.pytest_support.handle  # noqa: F401  (imported once, not per inner session)
from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import Attachment, attach, detach

CREDS = {"aws_access_key_id": "111122223333", "aws_secret_access_key": "secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def attached() -> Iterator[Attachment]:
    """A gateway attached to the in-process transport (the transport each test sets is kept)."""
    gw = Gateway(Config()).start()
    attachment = attach(gw)
    yield attachment
    detach(attachment)
    gw.stop()


@pytest.fixture
def gw(attached: Attachment) -> Iterator[Gateway]:
    """The attached gateway, in-process, reset after the test."""
    attached.transport, attached.allow_real_aws = "inprocess", False
    yield attached.gateway
    attached.gateway.reset()


@pytest.fixture(scope="module")
def session() -> boto3.Session:
    return boto3.Session(**CREDS)


def accepted(gateway: Gateway) -> int:
    """Connections the gateway's HTTP server has accepted so far."""
    return gateway._server.server.accepted  # type: ignore[union-attr]


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose inner sessions skip unrelated plugins (set after pytester clears it)."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:cacheprovider -p no:hypothesispytest -p no:benchmark")
    return pytester
