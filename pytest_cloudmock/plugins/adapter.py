"""`GrpcPlugin`: an external gRPC plugin seen by the gateway as a `Service`.

The gateway hands it the raw request (its profile says `raw_requests=True`); it forwards
`HandleRequest` with the action, region, account, raw body and headers, and
returns the plugin's status, body and headers verbatim. Every call has a
deadline. A plugin that is down or too slow answers 503, one that answers
garbage 502, with a code saying which and a message naming the plugin.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

import grpc

from .._proto.cloudmock.plugin.v1 import plugin_pb2, plugin_pb2_grpc
from ..api import Action, AWSError, RequestContext, Response, ServiceProfile
from ..models import has_model, service_model
from .errors import PluginError

log = logging.getLogger("pytest_cloudmock")

CHANNEL_OPTIONS = [
    ("grpc.enable_http_proxy", 0),
    ("grpc.max_send_message_length", -1),
    ("grpc.max_receive_message_length", -1),
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
]
CONTROL_DEADLINE = 1.0  # seconds for HealthCheck and Reset: a frozen plugin must not stall resets
# Hop-by-hop and framing headers are the gateway's business, not the plugin's.
_FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")


class GrpcPlugin:
    """A `Service` backed by a `cloudmock.plugin.v1.CloudMockPlugin` server."""

    def __init__(
        self, plugin: str, address: str, timeout: float = 5.0, target_prefix: str = ""
    ) -> None:
        self.plugin = plugin
        self.address = address
        self.timeout = timeout
        self.name = plugin
        self.signing_name = plugin
        self.target_prefix = target_prefix
        self._actions: list[Action] = []
        self.intercepts: tuple[str, ...] = ()  # "service:Operation" globs (plugins/intercept.py)
        self.channel = grpc.insecure_channel(address, options=CHANNEL_OPTIONS)
        self.stub = plugin_pb2_grpc.CloudMockPluginStub(self.channel)

    def __repr__(self) -> str:
        return f"<GrpcPlugin {self.plugin} service={self.name} at {self.address}>"

    @property
    def profile(self) -> ServiceProfile:
        """Raw requests in and out; found by its name or target prefix (read at registration,
        after `register()` has learnt them)."""
        return ServiceProfile(
            raw_requests=True, kind="grpc-plugin", signing_name=self.signing_name,
            target_prefix=self.target_prefix,
        )

    # -- registration ---------------------------------------------------------------
    def wait_healthy(self, timeout: float, still_starting: Callable[[], None] | None = None) -> None:
        """Poll `HealthCheck` until it says healthy; `still_starting()` may raise to give up early."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while True:
            if still_starting is not None:
                still_starting()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PluginError(
                    f"plugin {self.plugin} at {self.address} did not become healthy within "
                    f"{timeout:g} s ({last})"
                )
            try:
                answer = self.stub.HealthCheck(
                    plugin_pb2.HealthCheckRequest(), timeout=min(remaining, 0.25), wait_for_ready=True
                )
            except grpc.RpcError as err:
                last = f"last HealthCheck: {err.code().name}"
                continue
            if answer.healthy:
                return
            last = "HealthCheck answers healthy=false"
            time.sleep(min(0.05, max(remaining, 0)))

    def register(self) -> None:
        """Call `Register` (waiting up to the deadline for the address to accept connections):
        learn the service name (the routing name) and actions."""
        try:
            answer = self.stub.Register(
                plugin_pb2.RegisterRequest(), timeout=self.timeout, wait_for_ready=True
            )
        except grpc.RpcError as err:
            raise PluginError(f"plugin {self.plugin} at {self.address}: Register failed: "
                              f"{_describe(err)}") from err
        self.name = answer.service_name or self.plugin
        self.signing_name = self.name
        self._actions = [Action(a.name, a.method or "POST", a.iam_action) for a in answer.actions]
        self.intercepts = tuple(answer.intercepts)
        if not self.target_prefix and has_model(self.name):
            self.target_prefix = service_model(self.name).metadata.get("targetPrefix", "")

    # -- Service ----------------------------------------------------------------------
    def actions(self) -> list[Action]:
        return list(self._actions)

    def handle_request(self, ctx: RequestContext) -> Response:
        request = plugin_pb2.HandleRequestInput(
            action=ctx.operation,
            region=ctx.region,
            account_id=ctx.account_id,
            body=ctx.body,
            headers=_flat_headers(ctx.headers),
        )
        try:
            answer = self.stub.HandleRequest(request, timeout=self.timeout)
        except grpc.RpcError as err:
            raise self._call_error(err, ctx.operation) from None
        return self._response(answer, ctx.operation)

    def health_check(self) -> bool:
        try:
            return self.stub.HealthCheck(
                plugin_pb2.HealthCheckRequest(), timeout=min(self.timeout, CONTROL_DEADLINE)
            ).healthy
        except grpc.RpcError as err:
            log.warning("cloudmock: plugin %s HealthCheck failed: %s", self.plugin, _describe(err))
            return False

    def reset(self) -> None:
        """Call the optional `Reset` RPC; a plugin without it (UNIMPLEMENTED) keeps its state."""
        try:
            self.stub.Reset(plugin_pb2.ResetRequest(), timeout=min(self.timeout, CONTROL_DEADLINE))
        except grpc.RpcError as err:
            if err.code() != grpc.StatusCode.UNIMPLEMENTED:
                log.warning("cloudmock: plugin %s Reset failed: %s", self.plugin, _describe(err))

    def close(self) -> None:
        self.channel.close()

    # -- helpers ----------------------------------------------------------------------
    def _call_error(self, err: grpc.RpcError, operation: str) -> AWSError:
        code = err.code()
        where = f"plugin {self.plugin} at {self.address}"
        if code == grpc.StatusCode.UNAVAILABLE:
            return self._error("PluginUnavailable", f"{where} is unavailable: {err.details()}", 503)
        if code == grpc.StatusCode.DEADLINE_EXCEEDED:
            return self._error(
                "PluginTimeout", f"{where} did not answer {operation} within {self.timeout:g} s", 503
            )
        if code == grpc.StatusCode.INTERNAL and "deserializ" in (err.details() or ""):
            return self._error(
                "PluginBadResponse", f"{where} returned a malformed HandleRequest response", 502
            )
        return self._error("PluginError", f"{where} failed on {operation}: {_describe(err)}", 502)

    def _response(self, answer: Any, operation: str) -> Response:
        where = f"plugin {self.plugin} at {self.address}"
        if not 100 <= answer.status_code <= 599:
            raise self._error(
                "PluginBadResponse",
                f"{where} answered {operation} with invalid status_code {answer.status_code}",
                502,
            )
        headers = {}
        for key, value in answer.headers.items():
            if not _TOKEN.match(key) or _BAD_VALUE.search(value):
                raise self._error(
                    "PluginBadResponse", f"{where} answered {operation} with invalid header {key!r}", 502
                )
            if key.lower() not in _FRAMING:
                headers[key] = value
        return Response(body=bytes(answer.body), status=answer.status_code, headers=headers)

    def _error(self, code: str, message: str, status: int) -> AWSError:
        return AWSError(code, message, status, sender_fault=False,
                        headers={"x-cloudmock-plugin": self.plugin})


def _flat_headers(headers: Any) -> dict[str, str]:
    """Request headers as the proto's `map<string, string>` (repeated headers comma-joined)."""
    flat: dict[str, str] = {}
    for key, value in headers.items():
        flat[key] = f"{flat[key]}, {value}" if key in flat else value
    return flat


def _describe(err: grpc.RpcError) -> str:
    return f"{err.code().name}: {err.details()}"
