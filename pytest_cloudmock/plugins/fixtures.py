"""pytest support for gRPC plugins: the `cloudmock_plugin` fixture and marker.

    @pytest.mark.cloudmock_plugin("plugins/widgets.py", name="myservice")
    def test_widgets(cloudmock): ...

    def test_other(cloudmock_plugin):
        widgets = cloudmock_plugin("plugins/widgets.py", name="myservice", scope="module")
        node = cloudmock_plugin(name="other", address="127.0.0.1:50051")   # attach

A marker on a test spawns the plugin for that test; on a class or module
(`pytestmark`), once for the class or module. The factory's `scope` does the
same ("function", "class", "module" or "session"). A relative script path is
looked up next to the test file, then under the rootdir; `.py` scripts run with
the current Python, `.js` with node, anything else as a command (a `{port}`
placeholder gets the port). The plugin is registered with the session's
gateway (the `cloudmock` fixture) and removed, its process stopped, when its
scope ends. Nothing here imports grpc until a plugin is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import plugin_manager

if TYPE_CHECKING:
    from ..config import PluginConfig
    from ..gateway import Gateway
    from .manager import LoadedPlugin, PluginManager

MARKER = "cloudmock_plugin"
_SCOPES = ("function", "class", "module", "session")
_SPAWNED = pytest.StashKey[dict[str, "PluginHandle"]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(target=None, *, name, address=None, env=None, timeout=None, "
        "startup_timeout=None, target_prefix=''): spawn the gRPC plugin `target` (a script "
        "path or command) or attach the one at `address`, for the marked test, class or module",
    )


@dataclass
class PluginHandle:
    """A plugin started (or attached) for a test scope."""

    name: str
    service: str
    address: str
    pid: int | None
    loaded: LoadedPlugin


PluginFactory = Callable[..., PluginHandle]


@pytest.fixture
def cloudmock_plugin(request: pytest.FixtureRequest) -> PluginFactory:
    """`cloudmock_plugin(target=None, *, name, address=None, scope="function", env=None,
    timeout=None, startup_timeout=None, target_prefix="")` -> `PluginHandle`."""

    def start(target: str | list[str] | None = None, *, name: str, scope: str = "function",
              **options: Any) -> PluginHandle:
        if scope not in _SCOPES:
            raise ValueError(f"scope must be one of {', '.join(_SCOPES)}, not {scope!r}")
        return _ensure(request, _owner(request, scope), target, name, options)

    return start


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give the tests carrying a `cloudmock_plugin` marker (on them, their class or
    module) the fixture that starts those plugins; other tests pay nothing.

    It goes first among the test's function-scoped fixtures, after the wider-scoped
    ones (which pytest sets up first), as an autouse fixture would.
    """
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and item.get_closest_marker(MARKER) is not None:
            names.insert(_first_function_scoped(item, names), "cloudmock_plugin_markers")


def _first_function_scoped(item: pytest.Item, names: list[str]) -> int:
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for index, name in enumerate(names):
        found = defs.get(name)
        if found and found[-1].scope == "function":
            return index
    return len(names)


@pytest.fixture
def cloudmock_plugin_markers(request: pytest.FixtureRequest) -> None:
    """Start the plugins named by `cloudmock_plugin` markers (outermost scope first)."""
    marks = list(request.node.iter_markers_with_node(MARKER))
    for node, mark in reversed(marks):
        args = list(mark.args)
        target = args.pop(0) if args else None
        if args or "name" not in mark.kwargs:
            pytest.fail(f'use @pytest.mark.{MARKER}("path/to/plugin.py", name="myservice")', pytrace=False)
        options = dict(mark.kwargs)
        _ensure(request, node, target, options.pop("name"), options)


def _owner(request: pytest.FixtureRequest, scope: str) -> pytest.Item | pytest.Collector:
    if scope == "session":
        return request.session
    kinds = {"class": (pytest.Class, pytest.Module), "module": (pytest.Module,)}.get(scope, ())
    for kind in kinds:
        parent = request.node.getparent(kind)
        if parent is not None:
            return parent
    return request.node


def _ensure(
    request: pytest.FixtureRequest, owner: Any, target: str | list[str] | None, name: str,
    options: dict[str, Any],
) -> PluginHandle:
    """The plugin `name` for `owner`'s scope, started on first use, re-registered if needed."""
    gateway: Gateway = request.getfixturevalue("cloudmock").gateway
    manager = plugin_manager(gateway)
    spawned = owner.stash.setdefault(_SPAWNED, {})
    handle = spawned.get(name)
    if handle is None:
        loaded = manager.add(_config(request, target, name, options))
        handle = PluginHandle(name, loaded.service.name, loaded.address,
                              loaded.process.pid if loaded.process else None, loaded)
        spawned[name] = handle
        owner.addfinalizer(lambda: _remove(manager, spawned, name))
    elif gateway.registry.get(handle.service) is not handle.loaded.service:
        gateway.registry.register(handle.loaded.service)  # a registry restore dropped it
    return handle


def _remove(manager: PluginManager, spawned: dict[str, PluginHandle], name: str) -> None:
    spawned.pop(name, None)
    if name in manager.plugins:
        manager.remove(name)


def _config(request: pytest.FixtureRequest, target: str | list[str] | None, name: str,
            options: dict[str, Any]) -> PluginConfig:
    from ..config import PluginConfig

    address = options.pop("address", None)
    if (target is None) == (address is None):
        pytest.fail(f"{MARKER} {name!r}: give a script/command to spawn or an address", pytrace=False)
    unknown = set(options) - {"env", "timeout", "startup_timeout", "target_prefix"}
    if unknown:
        pytest.fail(f"{MARKER} {name!r}: unknown option(s) {', '.join(sorted(unknown))}", pytrace=False)
    options = {k: v for k, v in options.items() if v is not None}
    if address is not None:
        return PluginConfig(name=name, address=address, **options)
    return PluginConfig(name=name, command=_resolve(request, target), **options)  # type: ignore[arg-type]


def _resolve(request: pytest.FixtureRequest, target: str | list[str]) -> str | list[str]:
    """A script path made absolute (next to the test file, else under the rootdir)."""
    if not isinstance(target, str) or " " in target:
        return target
    path = Path(target)
    if path.is_absolute():
        return target
    for base in (Path(request.node.path).parent, request.config.rootpath):
        if (base / path).exists():
            return str(base / path)
    return target
