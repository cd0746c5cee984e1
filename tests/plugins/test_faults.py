"""A plugin that is down, hangs, answers garbage or never starts: the client gets a quick
AWS-shaped error, the gateway keeps serving, and no plugin process is left behind."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from pytest_cloudmock.config import Config, PluginConfig
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import PluginError, plugin_manager
from pytest_cloudmock.plugins.fixtures import PluginHandle

from .conftest import FAULT_PLUGIN, WIDGET_PLUGIN, process_gone, signed_call


def fault_call(gateway: Gateway, action: str, params: dict[str, Any] | None = None) -> requests.Response:
    return signed_call(gateway.endpoint, action, params, service="faulty", target=f"Faulty.{action}")


def plugin_children() -> list[int]:
    """Pids of our child processes running a test plugin script (from /proc, no psutil)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and (b"fault_plugin" in cmdline or b"widget_plugin" in cmdline):
            found.append(int(stat.parent.name))
    return found


def assert_aws_error(answer: requests.Response, status: int, code: str, *words: str) -> None:
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert body["__type"].endswith(code), body
    assert answer.headers["x-cloudmock-plugin"] == "faulty"
    for word in ("faulty", *words):
        assert word in body["message"], body




def test_killed_plugin_answers_503_quickly_and_the_gateway_keeps_serving(
    gw: Gateway, cloudmock_plugin: Callable[..., PluginHandle], cloudmock_client: Callable[..., Any]
) -> None:
    handle = cloudmock_plugin(FAULT_PLUGIN, name="faulty")
    assert fault_call(gw, "Echo", {"a": 1}).json() == {"a": 1}
    os.kill(handle.pid, signal.SIGKILL)
    handle.loaded.process.proc.wait(5)
    started = time.monotonic()
    assert_aws_error(fault_call(gw, "Echo"), 503, "PluginUnavailable", "unavailable")
    assert time.monotonic() - started < 2
    health = requests.get(f"{gw.admin_endpoint}/api/health", timeout=10)
    assert health.status_code == 503 and health.json()["services"]["faulty"] == "unhealthy"
    assert cloudmock_client("s3").list_buckets()["Buckets"] == []  # other services still answer
    plugin_manager(gw).remove("faulty")
    assert process_gone(handle.pid)


def test_plugin_sleeping_past_the_deadline_answers_503_at_the_deadline(
    gw: Gateway, cloudmock_plugin: Callable[..., PluginHandle]
) -> None:
    handle = cloudmock_plugin(FAULT_PLUGIN, name="faulty", timeout=0.5)
    started = time.monotonic()
    assert_aws_error(fault_call(gw, "Sleep", {"Seconds": 5}), 503, "PluginTimeout", "0.5 s", "Sleep")
    assert 0.5 <= time.monotonic() - started < 1.5
    assert fault_call(gw, "Echo", {"still": "here"}).json() == {"still": "here"}
    plugin_manager(gw).remove("faulty")  # stops a process that is still sleeping
    assert process_gone(handle.pid)


@pytest.mark.parametrize(
    ("action", "code", "words"),
    [
        ("Garbage", "PluginBadResponse", ["malformed"]),
        ("BadStatus", "PluginBadResponse", ["status_code 0"]),
        ("BadHeader", "PluginBadResponse", ["X-Evil"]),
        ("Raise", "PluginError", ["UNKNOWN", "the plugin broke"]),
    ],
)
def test_malformed_answers_give_502(
    gw: Gateway, cloudmock_plugin: Callable[..., PluginHandle], action: str, code: str,
    words: list[str],
) -> None:
    cloudmock_plugin(FAULT_PLUGIN, name="faulty", scope="module")
    assert_aws_error(fault_call(gw, action), 502, code, *words)
    assert fault_call(gw, "Echo", {"ok": True}).json() == {"ok": True}


def test_plugin_that_never_becomes_healthy(gw: Gateway) -> None:
    config = PluginConfig(name="sick", command=FAULT_PLUGIN, env={"FAULT": "unhealthy"},
                          startup_timeout=1.0)
    before = plugin_children()
    started = time.monotonic()
    with pytest.raises(PluginError, match=r"sick at 127\.0\.0\.1:\d+ did not become healthy within 1 s"):
        plugin_manager(gw).add(config)
    assert time.monotonic() - started < 3
    assert plugin_children() == before and "sick" not in gw.registry


def test_plugin_that_dies_at_start_reports_its_stderr(gw: Gateway) -> None:
    config = PluginConfig(name="dead", command=FAULT_PLUGIN, env={"FAULT": "crash"})
    before = plugin_children()
    started = time.monotonic()
    with pytest.raises(PluginError, match=r"(?s)exited with code 3 .*boom: the plugin cannot start"):
        plugin_manager(gw).add(config)
    assert time.monotonic() - started < 5
    assert plugin_children() == before


def test_a_command_that_does_not_exist(gw: Gateway) -> None:
    with pytest.raises(PluginError, match="cannot run /no/such/plugin-binary"):
        plugin_manager(gw).add(PluginConfig(name="ghost", command=["/no/such/plugin-binary"]))


def test_gateway_start_fails_cleanly_when_a_config_plugin_cannot_start() -> None:
    gateway = Gateway(Config(plugins=[
        PluginConfig(name="myservice", command=WIDGET_PLUGIN),
        PluginConfig(name="dead", command=FAULT_PLUGIN, env={"FAULT": "crash"}),
    ]))
    before = plugin_children()
    with pytest.raises(PluginError, match="boom"):
        gateway.start()
    assert not gateway.running
    assert plugin_children() == before  # the widget plugin started first was stopped too
