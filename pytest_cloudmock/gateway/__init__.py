"""The gateway: an AWS endpoint and an admin endpoint over one registry.

    gw = Gateway(Config()).start()
    boto3.client("sqs", endpoint_url=gw.endpoint, ...)
    gw.stop()

Starting does no work nobody asked for: built-in services are registered as
lazy factories (their modules import on first request), models load on first
use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..dispatch import Dispatcher
from ..faults import Faults
from ..iam_policy import IamPolicies
from ..identities import Identities, Identity
from ..plugins import load_plugins
from ..registry import Registry
from ..services import BUILTIN_ALIASES, PUBLIC_ENDPOINTS, builtin_factory, builtin_names
from ..store import Store
from .admin import AdminApp
from .app import GatewayApp
from .compat import CompatEndpoints
from .request_log import RequestLog
from .router import Router
from .server import ServerThread, limits_from
from .signatures import SignatureVerifier

log = logging.getLogger("pytest_cloudmock")


class Gateway:
    """One AWS-compatible endpoint (plus admin API) with its registry and state."""

    def __init__(self, config: Config | None = None, registry: Registry | None = None) -> None:
        self.config = config or Config()
        self.registry = registry or Registry()
        self.identities = Identities(self.config.account_id, self.config.access_keys, self.registry.clock)
        self.registry.identities = self.identities
        self.clock = self.registry.clock
        self.clock.on_change(self._clock_moved)
        self.dispatcher = Dispatcher()
        self.registry.dispatcher = self.dispatcher
        self.registry.service_settings = self.config.service_settings()
        self.request_log = RequestLog(self.config.request_log_size)
        self.router = Router(self.registry, self.config.hostname, self.config.region, PUBLIC_ENDPOINTS)
        verifier = (
            SignatureVerifier(self.identities, self.config.secret_keys) if self.config.verify_signatures else None
        )
        self.app = GatewayApp(
            self.registry, self.router, self.identities, self.request_log, self.config.max_body_size, verifier
        )
        self.app.unavailable = self.unavailable
        self.app.compat = CompatEndpoints(self)  # /moto-api/reset, /_localstack/health, ...
        self.faults = Faults()  # first in the interceptor chain: faults act before other interceptors
        self.registry.interceptors.add(self.faults.interceptor)
        self.iam = IamPolicies(self.registry, self.config.iam)  # next: policies (docs/iam.md); inert when off
        self.registry.interceptors.add(self.iam.sessions.interceptor)
        self.registry.interceptors.add(self.iam.interceptor)
        self.admin = AdminApp(self)
        for route in self.iam.admin_routes():  # /api/iam/used, /api/iam/denials, /api/iam/mode
            self.admin.add_route(*route)
        self._server: ServerThread | None = None
        self._admin_server: ServerThread | None = None
        self._lock = threading.Lock()
        self.on_stop: list[Callable[[], Any]] = []
        self.on_reset: list[Callable[[], Any]] = []
        self._install_services()

    def _install_services(self) -> None:
        for name in builtin_names():
            if self.config.service_enabled(name) and name not in self.registry:
                self.registry.register_factory(name, builtin_factory(name), BUILTIN_ALIASES.get(name, ()))
        from ..stubs.catalog import install_catalog

        install_catalog(self)

    def _clock_moved(self) -> None:
        """Let every started service that asked (`ServiceProfile.on_clock`) catch up with time."""
        for name in list(self.registry.instantiated()):
            hook = self.registry.profile(name).on_clock
            if hook is not None:
                try:
                    hook(self.registry)
                except Exception:
                    log.exception("cloudmock: %s failed to follow the clock", name)

    def unavailable(self, name: str) -> str:
        """Why `name` is not served, in words that say what a user can do about it."""
        from ..stubs.catalog import builtin_entry_names

        built = name in builtin_names() or name in builtin_entry_names()
        if built and not self.config.service_enabled(name):
            return (f"Service {name} is disabled in this gateway: its configuration (`services:` / "
                    "`disabled_services:`, or --cloudmock-services) leaves it out")
        return (f"Service {name} is not implemented by cloudmock yet: it is neither a Tier 1 service "
                "nor in the stub catalog (docs/services/index.md lists every service and its tier). "
                "A stub catalog entry or a plugin can serve it (see docs/stubs.md and docs/plugins.md)")

    # -- lifecycle ------------------------------------------------------------------
    def start(self) -> Gateway:
        """Bind and serve (port 0 picks a free port); returns self."""
        with self._lock:
            if self._server is not None:
                return self
            load_plugins(self)
            self._server = ServerThread(
                self.app, self.config.host, self.config.port, "cloudmock-gateway", limits_from(self.config)
            )
            self._server.start()
            if self.config.admin_port is not None:
                self._admin_server = ServerThread(
                    self.admin, self.config.admin_host, self.config.admin_port, "cloudmock-admin",
                    limits_from(self.config, workers=4),
                )
                self._admin_server.start()
        log.info("cloudmock gateway on %s (admin %s)", self.endpoint, self.admin_endpoint)
        return self

    def stop(self) -> None:
        """Stop serving and run stop hooks (plugin processes, channels); idempotent."""
        with self._lock:
            servers, self._server, self._admin_server = (
                [self._server, self._admin_server], None, None
            )
        service_hooks = [self.registry.profile(name).on_stop for name in self.registry.instantiated()]
        for hook in [*reversed(self.on_stop), *service_hooks]:
            if hook is None:
                continue
            try:
                hook()
            except Exception:
                log.exception("cloudmock: stop hook failed")
        self.on_stop.clear()
        for server in servers:
            if server is not None:
                server.stop()
        self.dispatcher.stop()

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until every queued background effect has been delivered (`SettleTimeout`)."""
        self.dispatcher.settle(timeout)

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ----------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the gateway is not running")
        return self._server.port

    @property
    def endpoint(self) -> str:
        """The AWS endpoint URL, e.g. `http://127.0.0.1:54321`."""
        return f"http://{_url_host(self.config.host)}:{self.port}"

    @property
    def admin_endpoint(self) -> str | None:
        if self._admin_server is None:
            return None
        return f"http://{_url_host(self.config.admin_host)}:{self._admin_server.port}"

    # -- state ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Reset every service's state and forget credentials issued at run time."""
        self.registry.reset()
        self.identities.reset()
        self.iam.reset()
        for hook in self.on_reset:
            hook()

    def stores(self) -> dict[str, Store[Any]]:
        """The store of every started service that keeps one (plugins keep theirs elsewhere)."""
        return {
            name: service.store  # type: ignore[attr-defined]
            for name, service in self.registry.instantiated().items()
            if isinstance(getattr(service, "store", None), Store)
        }

    def snapshot(self) -> Snapshot:
        """A deep copy of every store and of the credentials issued at run time."""
        return Snapshot(
            {name: store.snapshot() for name, store in self.stores().items()},
            self.identities.snapshot(),
        )

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to a snapshot (reusable); services started since then are reset."""
        for name, store in self.stores().items():
            if name in snapshot.stores:
                store.restore(snapshot.stores[name])
            else:
                store.reset()
        self.identities.restore(snapshot.identities)
        self.iam.changed()  # cached policies may no longer hold


@dataclass(frozen=True)
class Snapshot:
    """The state `Gateway.snapshot()` took: service stores and issued credentials."""

    stores: dict[str, Any]
    identities: dict[str, Identity]

    def __repr__(self) -> str:
        return f"Snapshot(services={sorted(self.stores)}, credentials={len(self.identities)})"


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


__all__ = ["Gateway", "Snapshot"]
