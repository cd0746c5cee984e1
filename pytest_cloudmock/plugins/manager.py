"""The plugin manager of one gateway: config `plugins:`, entry points, admin API, fixtures.

- `type: grpc` with `address`: attach to a running plugin server (`Register`).
- `type: grpc` with `command`: spawn it on a free port, wait for `HealthCheck`,
  `Register`; the process is stopped when the plugin is removed or the gateway stops.
- `type: python` with `module: pkg.mod:ClassName`: an in-process `Service`.
- entry points in the group `cloudmock.services` (`name = "pkg.mod:ClassName"`):
  installed in-process services, made on first use like the built-in ones.
"""

from __future__ import annotations

import contextlib
import importlib
import ipaddress
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..api import Service, profile_of
from ..config import Config, ConfigError, PluginConfig
from ..gateway.admin import AdminError, json_body
from .errors import PluginError
from .installed import entry_points
from .process import PluginProcess

if TYPE_CHECKING:
    from werkzeug.wrappers import Request

    from ..gateway import Gateway
    from ..registry import Registry

log = logging.getLogger("pytest_cloudmock")
ENTRY_POINT_GROUP = "cloudmock.services"
ADMIN_DIAL_TIMEOUT = 10.0  # seconds at most for a plugin added over the admin API to answer
_managers: weakref.WeakKeyDictionary[Gateway, PluginManager] = weakref.WeakKeyDictionary()
_managers_lock = threading.Lock()


@dataclass
class LoadedPlugin:
    """A plugin the manager added: its config, the registered service, its process if spawned."""

    config: PluginConfig
    service: Service
    process: PluginProcess | None = None
    replaced: Service | Callable[[], Service] | None = None  # restored when the plugin goes

    @property
    def exited(self) -> bool:
        """A spawned plugin whose process is gone (killed or crashed)."""
        return self.process is not None and self.process.proc is not None and self.process.proc.poll() is not None

    @property
    def address(self) -> str:
        return getattr(self.service, "address", "")

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.config.name,
            "type": self.config.type,
            "service": self.service.name,
            "address": self.address,
            "pid": self.process.pid if self.process else None,
            "target_prefix": profile_of(self.service).target_prefix or None,
            "actions": [a.name for a in self.service.actions()],
        }


class PluginManager:
    """Adds, lists and removes the plugins of one gateway's registry."""

    def __init__(self, registry: Registry, config: Config, on_stop: list[Callable[[], Any]]) -> None:
        self.registry = registry
        self.config = config
        self.on_stop = on_stop
        self.plugins: dict[str, LoadedPlugin] = {}
        self._lock = threading.Lock()

    def install_admin_routes(self, admin: Any) -> None:
        admin.add_route("/api/plugins", "plugins_list", self._admin_list, ["GET"])
        admin.add_route("/api/plugins", "plugins_add", self._admin_add, ["POST"])
        admin.add_route("/api/plugins/<name>", "plugins_remove", self._admin_remove, ["DELETE"])

    # -- loading ----------------------------------------------------------------------
    def load(self) -> None:
        """Register entry-point services, then the config's plugins (all or none)."""
        if self.close not in self.on_stop:
            self.on_stop.append(self.close)
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if self.config.service_enabled(ep.name):
                self.registry.register_factory(ep.name, _entry_point_factory(ep))
        try:
            for plugin in self.config.plugins:
                if plugin.name not in self.plugins:
                    self.add(plugin)
        except BaseException:
            self.close()
            raise

    def add(self, config: PluginConfig, may_replace: bool = True) -> LoadedPlugin:
        """Start or attach a plugin and register its service; raises `PluginError`.

        A plugin serving a name already registered (a built-in) replaces it only when
        `may_replace` (config and fixtures; the admin API asks `allow_plugin_override`);
        removing the plugin restores what it replaced.
        """
        config.validate()
        with self._lock:
            if config.name in self.plugins:
                raise PluginError(f"a plugin named {config.name!r} is already registered")
        loaded = self._python(config) if config.type == "python" else self._grpc(config)
        with self._lock:
            taken = config.name in self.plugins
            if not taken:
                self.plugins[config.name] = loaded
        if taken:  # added concurrently by someone else
            _close(loaded)
            raise PluginError(f"a plugin named {config.name!r} is already registered")
        name = loaded.service.name
        if name in self.registry:
            if not may_replace:
                with self._lock:
                    self.plugins.pop(config.name, None)
                _close(loaded)
                raise PluginError(f"plugin {config.name} serves {name}, which is already registered; "
                                  "set allow_plugin_override: true to let a plugin replace it")
            state = self.registry.snapshot()
            loaded.replaced = state.services.get(name) or state.factories.get(name)
            log.warning("cloudmock: plugin %s replaces the service %s", config.name, name)
        self.registry.register(loaded.service)
        log.info("cloudmock: plugin %s serves %s", config.name, loaded.service.name)
        return loaded

    def remove(self, name: str) -> None:
        """Unregister a plugin's service, close its channel, stop its process."""
        with self._lock:
            loaded = self.plugins.pop(name, None)
        if loaded is None:
            raise KeyError(name)
        name = loaded.service.name
        if self.registry.instantiated().get(name) is loaded.service:
            self.registry.unregister(name)
            if isinstance(loaded.replaced, Service):
                self.registry.register(loaded.replaced, name=name)
            elif loaded.replaced is not None:
                self.registry.register_factory(name, loaded.replaced)
        _close(loaded)

    def close(self) -> None:
        """Remove every plugin (gateway stop); never raises."""
        for name in list(self.plugins):
            try:
                self.remove(name)
            except Exception:
                log.exception("cloudmock: stopping plugin %s failed", name)

    # -- kinds --------------------------------------------------------------------------
    def _grpc(self, config: PluginConfig) -> LoadedPlugin:
        from .adapter import GrpcPlugin  # grpc loads only when a gRPC plugin is used

        timeout = config.timeout or self.config.plugin_timeout
        process = PluginProcess(config.name, config.command, config.env) if config.command else None
        address = process.start() if process else config.address
        service = GrpcPlugin(config.name, address, timeout, config.target_prefix)
        loaded = LoadedPlugin(config, service, process)
        try:
            if process:
                service.wait_healthy(config.startup_timeout, process.check_alive)
            service.register()
        except BaseException:
            _close(loaded)
            raise
        return loaded

    def _python(self, config: PluginConfig) -> LoadedPlugin:
        module_name, _, attr = config.module.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), attr)
            service = cls()
        except Exception as exc:
            raise PluginError(f"plugin {config.name}: cannot load {config.module}: "
                              f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(service, Service):
            raise PluginError(f"plugin {config.name}: {config.module} is not a cloudmock Service "
                              "(name, actions(), handle_request(), health_check(), reset())")
        return LoadedPlugin(config, service)

    # -- admin API ------------------------------------------------------------------------
    def _admin_list(self, request: Request) -> list[dict[str, Any]]:
        for name, plugin in list(self.plugins.items()):
            if plugin.exited:  # killed or crashed: gone, and what it replaced is back
                log.warning("cloudmock: plugin %s exited; removing it", name)
                with contextlib.suppress(KeyError):
                    self.remove(name)
        return [p.describe() for p in list(self.plugins.values())]

    def _admin_add(self, request: Request) -> tuple[dict[str, Any], int]:
        body = json_body(request)
        if body.get("type", "grpc") != "grpc" or "command" in body or "module" in body:
            raise AdminError(400, "the admin API attaches running gRPC plugins only: "
                                  '{"name": ..., "type": "grpc", "address": "host:port"}')
        try:
            config = Config.from_dict({"plugins": [body]}, source="POST /api/plugins").plugins[0]
        except ConfigError as exc:
            raise AdminError(400, str(exc)) from exc
        if config.name in self.plugins:
            raise AdminError(409, f"a plugin named {config.name!r} is already registered")
        if not dial_allowed(config.address, self.config.plugin_dial_hosts):
            raise AdminError(403, f"address {config.address!r} is not a loopback address "
                                  "(config plugin_dial_hosts lists the others allowed)")
        config.timeout = min(config.timeout or self.config.plugin_timeout, ADMIN_DIAL_TIMEOUT)
        try:
            return self.add(config, may_replace=self.config.allow_plugin_override).describe(), 201
        except PluginError as exc:
            status = 409 if "already registered" in str(exc) else 502
            raise AdminError(status, str(exc)) from exc

    def _admin_remove(self, request: Request, name: str) -> dict[str, str]:
        try:
            self.remove(name)
        except KeyError:
            raise AdminError(404, f"no plugin named {name!r}") from None
        return {"removed": name}


def dial_allowed(address: str, extra_hosts: list[str]) -> bool:
    """Whether the admin API may dial a gRPC address: loopback, a unix socket, or a listed host.

    The host is judged by its name as given, never resolved (no DNS rebinding).
    """
    target = address.removeprefix("dns:///").removeprefix("ipv4:").removeprefix("ipv6:")
    if target.startswith(("unix:", "unix-abstract:")):
        return True
    host = target[1:].partition("]")[0] if target.startswith("[") else target.rpartition(":")[0] or target
    if "*" in extra_hosts or host.lower() in {h.lower() for h in extra_hosts}:
        return True
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _entry_point_factory(ep: Any) -> Callable[[], Service]:
    def make() -> Service:
        return ep.load()()

    return make


def _close(loaded: LoadedPlugin) -> None:
    close = getattr(loaded.service, "close", None)
    if close is not None:
        close()
    if loaded.process is not None:
        loaded.process.stop()


def manager_for(gateway: Gateway) -> PluginManager:
    """The plugin manager of a gateway (made, with its admin routes, on first call)."""
    with _managers_lock:
        manager = _managers.get(gateway)
        if manager is None:
            manager = PluginManager(gateway.registry, gateway.config, gateway.on_stop)
            manager.install_admin_routes(gateway.admin)
            _managers[gateway] = manager
        return manager


