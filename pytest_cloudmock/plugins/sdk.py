"""A small SDK for Python plugins: the generated protocol, a servicer base class, `serve()`.

The generated modules are re-exported, so the plugin docs' example works with
`from pytest_cloudmock.plugins.sdk import plugin_pb2, plugin_pb2_grpc, serve`.
`PluginServicer` does the JSON-protocol plumbing::

    class Widgets(PluginServicer):
        service_name = "myservice"

        @action("CreateWidget")
        def create_widget(self, params, request):        # params: the JSON body
            return {"WidgetId": "..."}                    # 200, JSON

        @action("GetWidget")
        def get_widget(self, params, request):
            raise ServiceError("WidgetNotFound", "no such widget", 404)

    serve(Widgets())   # listens on $CLOUDMOCK_PLUGIN_ADDRESS (default 127.0.0.1:50051)
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable
from concurrent import futures
from typing import Any, TypeVar

import grpc

from .._proto.cloudmock.plugin.v1 import plugin_pb2, plugin_pb2_grpc
from .process import ENV_ADDRESS, ENV_PARENT

DEFAULT_ADDRESS = "127.0.0.1:50051"
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
SERVER_OPTIONS = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]
Handler = TypeVar("Handler", bound=Callable[..., Any])


def action(name: str) -> Callable[[Handler], Handler]:
    """Mark a `PluginServicer` method as the handler of action `name`."""

    def mark(method: Handler) -> Handler:
        method._cloudmock_action = name  # type: ignore[attr-defined]
        return method

    return mark


class ServiceError(Exception):
    """An AWS error answered by a `PluginServicer` (JSON protocol: `__type` + message)."""

    def __init__(self, code: str, message: str = "", status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class PluginServicer(plugin_pb2_grpc.CloudMockPluginServicer):
    """Answers `Register` from `service_name` and the `@action` methods, dispatches each
    action to its method (JSON body in, dict out), and calls `reset()` on `Reset`."""

    service_name: str = ""
    action_handlers: dict[str, str] = {}  # action name -> method name, per subclass

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.action_handlers = {
            value._cloudmock_action: key
            for klass in reversed(cls.__mro__) for key, value in vars(klass).items()
            if hasattr(value, "_cloudmock_action")
        }

    def Register(self, request: Any, context: Any) -> Any:
        return plugin_pb2.RegisterResponse(
            service_name=self.service_name,
            actions=[
                plugin_pb2.ActionDef(name=a, method="POST", iam_action=f"{self.service_name}:{a}")
                for a in self.action_handlers
            ],
        )

    def HandleRequest(self, request: Any, context: Any) -> Any:
        try:
            if request.action not in self.action_handlers:
                raise ServiceError("InvalidAction", f"unknown action: {request.action}")
            handler = getattr(self, self.action_handlers[request.action])
            try:
                params = json.loads(request.body) if request.body else {}
            except ValueError as exc:
                raise ServiceError("SerializationException", f"body is not JSON: {exc}") from exc
            return _json_output(200, handler(params, request) or {})
        except ServiceError as err:
            return _json_output(
                err.status, {"__type": err.code, "message": err.message},
                {"x-amzn-ErrorType": err.code},
            )

    def HealthCheck(self, request: Any, context: Any) -> Any:
        return plugin_pb2.HealthCheckResponse(healthy=self.healthy())

    def Reset(self, request: Any, context: Any) -> Any:
        self.reset()
        return plugin_pb2.ResetResponse()

    def healthy(self) -> bool:
        """Override to report ill health."""
        return True

    def reset(self) -> None:
        """Override to forget state on every gateway reset (per test)."""


def _json_output(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return plugin_pb2.HandleRequestOutput(
        status_code=status,
        body=json.dumps(body, default=str).encode(),
        headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})},
    )


def serve(servicer: Any, address: str | None = None, max_workers: int = 8) -> None:
    """Serve `servicer` until SIGTERM/SIGINT, or until the gateway that spawned us is gone.

    The address is `address`, else `$CLOUDMOCK_PLUGIN_ADDRESS` (set by the gateway
    when it spawns the plugin), else 127.0.0.1:50051.
    """
    address = address or os.environ.get(ENV_ADDRESS) or DEFAULT_ADDRESS
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers), options=SERVER_OPTIONS)
    plugin_pb2_grpc.add_CloudMockPluginServicer_to_server(servicer, server)
    if not server.add_insecure_port(address):
        raise SystemExit(f"cannot listen on {address}")
    server.start()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    parent = os.environ.get(ENV_PARENT)
    while not done.wait(0.5):
        if parent and not _alive(int(parent)):
            break
    server.stop(grace=1).wait()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["PluginServicer", "ServiceError", "action", "plugin_pb2", "plugin_pb2_grpc", "serve"]
