"""Interceptors from outside the test: the config (`interceptors:`), the `cloudmock.interceptors`
entry-point group (added to the gateway's chain when it starts), and gRPC plugins that declare
`intercepts` (added while their service is registered; see `intercept.py`). docs/plugins.md.

Each `pkg.module:attr` names an `Interceptor`, a list or tuple of them, or a
factory (any other callable, called with no arguments) returning either. A
config entry that cannot be loaded stops the gateway with a `PluginError`
naming it; a broken installed entry point is logged and skipped (the config did
not ask for it).
"""

from __future__ import annotations

import importlib
import logging
import sys
import weakref
from typing import TYPE_CHECKING, Any

from ..interception import Interceptor
from .errors import PluginError
from .installed import entry_points

if TYPE_CHECKING:
    from ..api import Service
    from ..gateway import Gateway
    from ..registry import Registry

log = logging.getLogger("pytest_cloudmock")
ENTRY_POINT_GROUP = "cloudmock.interceptors"
_loaded: weakref.WeakSet[Gateway] = weakref.WeakSet()
_followed: weakref.WeakSet[Registry] = weakref.WeakSet()


def load_interceptors(gateway: Gateway) -> list[Interceptor]:
    """Add the config's and the installed entry points' interceptors (once per gateway)."""
    if gateway in _loaded:
        return []
    found: list[Interceptor] = []
    for path in gateway.config.interceptors:
        found += interceptors_from(_import(path), path)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        where = f"entry point {ep.name} = {ep.value!r} ({ENTRY_POINT_GROUP})"
        try:
            found += interceptors_from(ep.load(), where)
        except Exception as exc:
            log.error("cloudmock: skipping %s: %s: %s", where, type(exc).__name__, exc)
    for interceptor in found:
        gateway.registry.interceptors.add(interceptor)
    _loaded.add(gateway)
    return found


def interceptors_from(obj: Any, where: str) -> list[Interceptor]:
    """The interceptors `obj` stands for (see the module docs); `PluginError` if none."""
    if callable(obj) and not isinstance(obj, Interceptor):
        try:
            obj = obj()
        except Exception as exc:
            raise PluginError(f"interceptor factory {where} failed: {type(exc).__name__}: {exc}") from exc
    items = [obj] if isinstance(obj, Interceptor) else obj
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, Interceptor) for i in items):
        raise PluginError(
            f"{where} is not a pytest_cloudmock.interception.Interceptor, a list of them, or a factory "
            f"returning them (got {type(obj).__name__})"
        )
    return list(items)


def follow_plugins(registry: Registry) -> None:
    """Keep a `PluginInterceptor` in the chain for each registered gRPC plugin that intercepts."""
    if registry not in _followed:
        _followed.add(registry)
        registry.listeners.append(_PluginFollower(registry).on_change)


class _PluginFollower:
    """Registry listener: adds a plugin's interceptor when it is registered, removes it when it
    is unregistered or replaced."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.added: dict[str, Interceptor] = {}

    def on_change(self, name: str, service: Service | None) -> None:
        old = self.added.pop(name, None)
        if old is not None:
            self.registry.interceptors.remove(old)
        adapter = sys.modules.get(f"{__package__}.adapter")  # no gRPC plugin (nor grpc) before it loads
        if adapter is not None and isinstance(service, adapter.GrpcPlugin) and service.intercepts:
            from .intercept import PluginInterceptor

            self.added[name] = self.registry.interceptors.add(PluginInterceptor(service, service.intercepts))


def _import(path: str) -> Any:
    module_name, _, attr = path.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            target = getattr(target, part)
    except Exception as exc:
        raise PluginError(f"interceptors: cannot load {path!r}: {type(exc).__name__}: {exc}") from exc
    return target
