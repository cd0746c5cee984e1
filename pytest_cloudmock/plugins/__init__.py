"""Plugins: external gRPC plugin servers and in-process Python services (docs/plugins.md).

`load_plugins(gateway)` (called by `Gateway.start()`) registers the config's
`plugins:` and the `cloudmock.services` entry points and adds the
`/api/plugins` admin routes. `plugin_manager(gateway)` adds and removes plugins
at run time. grpc is imported only when a gRPC plugin is actually used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import PluginError

if TYPE_CHECKING:
    from ..gateway import Gateway
    from .manager import PluginManager


def plugin_manager(gateway: Gateway) -> PluginManager:
    """The gateway's plugin manager."""
    from .manager import manager_for

    return manager_for(gateway)


def load_plugins(gateway: Gateway) -> None:
    """Load the gateway config's plugins and the installed entry-point services, and the
    interceptors of the config, the entry points and the plugins (`interceptors.py`)."""
    from .interceptors import follow_plugins, load_interceptors

    follow_plugins(gateway.registry)
    load_interceptors(gateway)
    plugin_manager(gateway).load()


__all__ = ["PluginError", "load_plugins", "plugin_manager"]
