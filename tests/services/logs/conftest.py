"""Logs test fixtures: a boto3 client over the gateway, the gateway clock frozen on request,
and helpers that make a group and stream and write events to them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.clock import Clock

ACCOUNT = "123456789012"
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z
NOW_MS = int(NOW * 1000)


@pytest.fixture
def logs(client: Any) -> Any:
    """A Logs client; StartLiveTail's `stream-` host prefix is off (the endpoint is one host)."""
    config = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)
    return client("logs", config=config)


@pytest.fixture
def frozen_at() -> Any:
    return NOW


@pytest.fixture
def put(logs: Any, frozen: Clock) -> Callable[..., dict[str, Any]]:
    """`put(group, stream, [(offset_ms, message), ...])`: make both if needed, write events
    at `NOW_MS + offset`."""

    def write(group: str, stream: str, events: list[tuple[int, str]]) -> dict[str, Any]:
        for call, kwargs in ((logs.create_log_group, {"logGroupName": group}),
                             (logs.create_log_stream, {"logGroupName": group, "logStreamName": stream})):
            with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
                call(**kwargs)
        return logs.put_log_events(logGroupName=group, logStreamName=stream,
                                   logEvents=[{"timestamp": NOW_MS + t, "message": m} for t, m in events])

    return write
