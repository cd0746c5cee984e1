"""In-process plugins: config `type: python` and the `cloudmock.services` entry-point group,
loaded at gateway start next to a config-file gRPC plugin."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from pytest_cloudmock.config import Config, ConfigError, PluginConfig
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import PluginError, plugin_manager

from .conftest import FAULT_PLUGIN, SDK_WIDGET_PLUGIN, process_gone, signed_call

SERVICE_MODULE = '''
from pytest_cloudmock.api import Action, Response, ServiceProfile


class Gadgets:
    """A raw in-process service: answers its operation name and a request counter."""

    name = "gadgets"
    profile = ServiceProfile(
        signing_name="gadgets", target_prefix="Gadgets_2026", protocol="json", raw_requests=True
    )

    def __init__(self):
        self.calls = 0

    def actions(self):
        return [Action("Ping")]

    def handle_request(self, ctx):
        self.calls += 1
        body = b'{"op": "%s", "calls": %d}' % (ctx.operation.encode(), self.calls)
        return Response(body=body, headers={"Content-Type": "application/x-amz-json-1.1"})

    def health_check(self):
        return True

    def reset(self):
        self.calls = 0


class Sprockets(Gadgets):
    name = "sprockets"
    profile = ServiceProfile(
        signing_name="sprockets", target_prefix="Sprockets_2026", protocol="json", raw_requests=True
    )
'''


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A module `cm_gadgets` on sys.path and a distribution declaring the entry point."""
    (tmp_path / "cm_gadgets.py").write_text(SERVICE_MODULE)
    dist = tmp_path / "cm_gadgets-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cm-gadgets\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent("""\
            [cloudmock.services]
            sprockets = cm_gadgets:Sprockets
        """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("cm_gadgets", None)


def test_config_python_grpc_and_entry_point_plugins_load_at_start(installed: Path) -> None:
    config = Config.from_dict({"plugins": [
        {"name": "gadgets", "type": "python", "module": "cm_gadgets:Gadgets"},
        {"name": "myservice", "type": "grpc", "command": [sys.executable, SDK_WIDGET_PLUGIN]},
    ]})
    with Gateway(config) as gateway:
        endpoint = gateway.endpoint
        gadget = signed_call(endpoint, "Ping", service="gadgets", target="Gadgets_2026.Ping")
        assert gadget.json() == {"op": "Ping", "calls": 1}
        unsigned = signed_call(endpoint, "Ping", target="Gadgets_2026.Ping", sign=False)
        assert unsigned.json() == {"op": "Ping", "calls": 2}
        sprocket = signed_call(endpoint, "Spin", service="sprockets", target="Sprockets_2026.Spin")
        assert sprocket.json() == {"op": "Spin", "calls": 1}
        widget = signed_call(endpoint, "CreateWidget", {"WidgetName": "w"})
        assert widget.status_code == 200 and widget.json()["WidgetId"]
        gateway.reset()
        assert signed_call(endpoint, "Ping", service="gadgets").json()["calls"] == 1
        pid = plugin_manager(gateway).plugins["myservice"].process.pid
    assert process_gone(pid)
    assert plugin_manager(gateway).plugins == {}


def test_disabled_entry_point_services_are_not_registered(installed: Path) -> None:
    gateway = Gateway(Config(disabled_services=["sprockets"], admin_port=None))
    with gateway:
        assert "sprockets" not in gateway.registry


def test_bad_python_plugins_say_what_is_wrong(gw: Gateway, installed: Path) -> None:
    manager = plugin_manager(gw)
    with pytest.raises(PluginError, match="cannot load cm_gadgets:Nope: AttributeError"):
        manager.add(PluginConfig(name="x", type="python", module="cm_gadgets:Nope"))
    with pytest.raises(PluginError, match="cannot load no_such_mod:X: ModuleNotFoundError"):
        manager.add(PluginConfig(name="x", type="python", module="no_such_mod:X"))
    with pytest.raises(PluginError, match="is not a cloudmock Service"):
        manager.add(PluginConfig(name="x", type="python", module="pathlib:PurePath"))
    with pytest.raises(ConfigError, match="module: pkg.mod:ClassName"):
        manager.add(PluginConfig(name="x", type="python", module="cm_gadgets"))


def test_a_spawned_command_gets_its_port_in_the_placeholder(gw: Gateway) -> None:
    config = PluginConfig(name="faulty", command=[sys.executable, FAULT_PLUGIN, "127.0.0.1:{port}"],
                          env={"CLOUDMOCK_PLUGIN_ADDRESS": "not used"})
    loaded = plugin_manager(gw).add(config)
    try:
        assert loaded.process.command[-1] == "127.0.0.1:{port}"
        echoed = signed_call(gw.endpoint, "Echo", {"n": 1}, service="faulty", target="Faulty.Echo")
        assert echoed.json() == {"n": 1} and echoed.headers["X-Echo"] == "1"
    finally:
        plugin_manager(gw).remove("faulty")
    assert process_gone(loaded.process.pid)
