"""Every service test runs under both transports: in-process (the plugin's default) and HTTP.

The session gateway is attached to the in-process transport for the `inprocess`
half, so boto3 clients skip the socket; the `http` half talks to the same kind of
gateway over its keep-alive HTTP server. Both halves keep the real-AWS guard on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach
from pytest_cloudmock.transport.clients import TRANSPORTS
from tests.conftest import REGION


@pytest.fixture(scope="session", params=TRANSPORTS)
def gateway(request: pytest.FixtureRequest) -> Iterator[Gateway]:
    """A running gateway per transport, shared by the session's service tests."""
    gw = Gateway(Config(region=REGION)).start()
    attachment = attach(gw, transport=request.param)
    yield gw
    detach(attachment)
    gw.stop()
