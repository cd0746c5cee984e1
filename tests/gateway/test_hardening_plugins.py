"""Issue 11, item 10: a frozen plugin cannot stall the admin API; a killed one leaves the list."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
import requests

from pytest_cloudmock.config import Config, PluginConfig
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins.manager import manager_for
from tests.plugins.conftest import FAULT_PLUGIN


@pytest.fixture
def gw() -> Iterator[Gateway]:
    gateway = Gateway(Config()).start()
    yield gateway
    gateway.stop()


def spawn(gw: Gateway, name: str):
    config = PluginConfig(name=name, command=FAULT_PLUGIN, env={"SERVICE_NAME": name}, timeout=5.0)
    return manager_for(gw).add(config)


def test_a_frozen_plugin_does_not_delay_health_or_reset(gw: Gateway) -> None:
    loaded = spawn(gw, "frozen")
    gw.registry.get("sqs")  # a started built-in, checked alongside
    group = os.getpgid(loaded.process.pid)  # the plugin runs in its own process group
    os.killpg(group, signal.SIGSTOP)
    try:
        started = time.monotonic()
        health = requests.get(f"{gw.admin_endpoint}/api/health", timeout=10)
        health_seconds = time.monotonic() - started
        started = time.monotonic()
        reset = requests.post(f"{gw.admin_endpoint}/api/reset", timeout=10)
        reset_seconds = time.monotonic() - started
    finally:
        os.killpg(group, signal.SIGCONT)
    assert health.status_code == 503 and health.json()["services"] == {"frozen": "unhealthy", "sqs": "healthy"}
    assert health_seconds < 2.0
    assert reset.status_code == 200 and reset_seconds < 2.0


def test_a_killed_spawned_plugin_is_not_listed_with_a_dead_pid(gw: Gateway) -> None:
    loaded = spawn(gw, "doomed")
    os.kill(loaded.process.pid, signal.SIGKILL)
    loaded.process.proc.wait(timeout=5)
    listed = requests.get(f"{gw.admin_endpoint}/api/plugins", timeout=5).json()
    assert listed == []
    assert "doomed" not in gw.registry
