"""Plugins added and removed over the admin API (`POST/GET /api/plugins`,
`DELETE /api/plugins/{name}`), as in the plugin docs' curl example."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import requests

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins.process import PluginProcess, free_port

from .conftest import WIDGET_PLUGIN, process_gone, signed_call


@pytest.fixture
def running_plugin() -> Iterator[PluginProcess]:
    """The docs' widget plugin, started by hand (as a user would) on a free port."""
    process = PluginProcess("by-hand", WIDGET_PLUGIN)
    process.start()
    yield process
    process.stop()
    assert process_gone(process.pid)


def test_add_use_list_and_remove_a_plugin(
    gw: Gateway, admin: Callable[..., requests.Response], running_plugin: PluginProcess
) -> None:
    added = admin("POST", "/api/plugins",
                  json={"name": "myservice", "type": "grpc", "address": running_plugin.address})
    assert added.status_code == 201, added.text
    assert added.json()["service"] == "myservice" and added.json()["pid"] is None
    created = signed_call(gw.endpoint, "CreateWidget", {"WidgetName": "admin"})
    assert created.status_code == 200
    listed = admin("GET", "/api/plugins").json()
    assert [(p["name"], p["address"]) for p in listed] == [("myservice", running_plugin.address)]
    assert admin("GET", "/api/health").json()["services"]["myservice"] == "healthy"

    again = admin("POST", "/api/plugins", json={"name": "myservice", "address": running_plugin.address})
    assert again.status_code == 409

    removed = admin("DELETE", "/api/plugins/myservice")
    assert removed.json() == {"removed": "myservice"}
    assert admin("GET", "/api/plugins").json() == []
    gone = signed_call(gw.endpoint, "ListWidgets")
    assert gone.status_code == 400 and "MyService_20260101" in gone.json()["message"]
    assert admin("DELETE", "/api/plugins/myservice").status_code == 404
    assert running_plugin.proc.poll() is None  # an attached plugin is not ours to stop


def test_adding_an_address_nobody_listens_on_fails_quickly(
    gw: Gateway, admin: Callable[..., requests.Response]
) -> None:
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    answer = admin("POST", "/api/plugins", json={"name": "nobody", "address": address, "timeout": 0.5})
    assert time.monotonic() - started < 2
    assert answer.status_code == 502
    assert f"plugin nobody at {address}: Register failed: " in answer.json()["error"]
    assert "nobody" not in gw.registry


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "x", "type": "grpc", "command": "python evil.py"}, "running gRPC plugins only"),
        ({"name": "x", "type": "python", "module": "os:system"}, "running gRPC plugins only"),
        ({"name": "x", "type": "grpc"}, "needs 'address' or 'command'"),
        ({"type": "grpc", "address": "127.0.0.1:1"}, "needs a 'name'"),
        ({"name": "x", "adress": "127.0.0.1:1"}, "did you mean 'address'"),
    ],
)
def test_bad_requests_are_400(
    admin: Callable[..., requests.Response], body: dict[str, str], message: str
) -> None:
    answer = admin("POST", "/api/plugins", json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]
