"""Scheduler test fixtures: clients, a frozen gateway clock, queues that receive invocations."""

from __future__ import annotations

import pytest

from tests.services.events.conftest import drain, frozen_at, queue, sqs  # noqa: F401 - shared fixtures


@pytest.fixture
def scheduler(client):
    return client("scheduler")
