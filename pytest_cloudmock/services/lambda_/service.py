"""`LambdaService`: every Lambda operation group on one model-driven service."""

from __future__ import annotations

import weakref
from functools import cached_property
from typing import Any

from ...api import RequestContext, Response, ServiceProfile
from ...wire import WireRequest
from .functions import CODE_PATH, DOWNLOAD_CODE, FunctionOps
from .invoke import EXECUTORS, InvokeOps
from .layers import LAYER_PATH
from .mappings import MappingOps
from .policies import PolicyOps
from .settings import SettingsOps
from .url_invoke import INVOKE_URL, FunctionUrlOps, url_target


class LambdaService(FunctionUrlOps, InvokeOps, MappingOps, FunctionOps, PolicyOps, SettingsOps):
    """AWS Lambda: functions run as local processes (or threads) behind the Runtime API."""

    def __init__(self) -> None:
        super().__init__()
        weakref.finalize(self, self.pool.stop)  # at interpreter exit too: no orphan environments

    @cached_property
    def profile(self) -> ServiceProfile:
        return ServiceProfile(
            # Code.Location and layer Content.Location URLs, and function URLs (a public
            # endpoint), are served on the gateway's port
            unmodelled_operation=_unmodelled_operation,
            extra_operations=frozenset({DOWNLOAD_CODE, INVOKE_URL}),
            on_stop=self.stop,
            # event source mappings poll what time brought due (batching windows, retries)
            on_clock=self.poll_every_source,
        )

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        self.bind(ctx.registry)
        return super().handle_request(ctx)

    def download_function_code(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        if ctx.wire.unquoted_path.startswith(LAYER_PATH):
            return self.download_layer(ctx)
        return super().download_function_code(ctx)

    # -- lifecycle ----------------------------------------------------------------------------
    def set_executor(self, executor: str) -> None:
        """`subprocess` (default) or `inprocess` (Python handlers in a thread of this process)."""
        if executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {EXECUTORS}, not {executor!r}")
        self.executor = executor
        self.pool.stale(lambda _key: True)

    def environments_changed(self, name: str) -> None:
        self.pool.stale(lambda key: key[2] == name)

    def reset(self) -> None:
        """Forget all state, stop every execution environment, go back to the configured executor."""
        self.pool.stop()
        self.executor = self.default_executor
        self.reset_mappings()
        self.reset_positions()
        with self._records_lock:
            self.records = []
        super().reset()

    def stop(self) -> None:
        """At gateway stop: every environment and the Runtime API server."""
        self.pool.stop()


def _unmodelled_operation(request: WireRequest) -> str | None:
    if url_target(request) is not None:
        return INVOKE_URL
    if request.method == "GET" and request.path.startswith((CODE_PATH, LAYER_PATH)):
        return DOWNLOAD_CODE
    return None
