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

`@intercept` methods see and change other services' calls (the proto's optional
`InterceptRequest`/`InterceptResponse`; `Register` lists their patterns)::

        @intercept("s3:PutObject")                       # when="before"
        def guard(self, call):                           # call: InterceptedCall
            if call.params["Key"].startswith("private/"):
                raise ServiceError("AccessDenied", "no", 403)   # answer with an AWS error
            # return None: go on; ReplaceParams({...}): change members; a dict: answer with it

        @intercept("sts:GetCallerIdentity", when="after")
        def rename(self, call, outcome):                 # outcome: CallOutcome
            return {**outcome.result, "Account": "000000000000"}   # None: keep the answer
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
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


def intercept(pattern: str, when: str = "before") -> Callable[[Handler], Handler]:
    """Mark a `PluginServicer` method as an interceptor of `pattern` (`"service:Operation"`,
    globs allowed), run `when` "before" the service (`method(call)`) or "after" it
    (`method(call, outcome)`)."""
    if when not in ("before", "after"):
        raise ValueError(f"when must be 'before' or 'after', not {when!r}")

    def mark(method: Handler) -> Handler:
        marks = getattr(method, "_cloudmock_intercepts", [])
        method._cloudmock_intercepts = [*marks, (pattern, when)]  # type: ignore[attr-defined]
        return method

    return mark


@dataclass
class InterceptedCall:
    """A call to another service, as an `@intercept` method sees it."""

    service: str
    operation: str
    region: str
    account_id: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    request_id: str = ""
    access_key_id: str = ""


@dataclass
class ReplaceParams:
    """Returned by a "before" interceptor: these top-level members replace the request's
    (None removes one); the call goes on."""

    params: dict[str, Any]


@dataclass
class Respond:
    """Returned by an interceptor: answer with these raw bytes (sent as they are)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class CallOutcome:
    """What an "after" interceptor sees: the result dict, the AWS error, or a raw answer."""

    result: dict[str, Any] | None = None
    error: ServiceError | None = None
    raw: Respond | None = None


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
    intercept_handlers: list[tuple[str, str, str]] = []  # (pattern, when, method name), per subclass

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        members = [(key, value) for klass in reversed(cls.__mro__) for key, value in vars(klass).items()]
        cls.action_handlers = {
            value._cloudmock_action: key for key, value in members if hasattr(value, "_cloudmock_action")
        }
        cls.intercept_handlers = [
            (pattern, when, key) for key, value in members
            for pattern, when in getattr(value, "_cloudmock_intercepts", ())
        ]

    def Register(self, request: Any, context: Any) -> Any:
        return plugin_pb2.RegisterResponse(
            service_name=self.service_name,
            actions=[
                plugin_pb2.ActionDef(name=a, method="POST", iam_action=f"{self.service_name}:{a}")
                for a in self.action_handlers
            ],
            intercepts=sorted({pattern for pattern, _, _ in self.intercept_handlers}),
        )

    def InterceptRequest(self, request: Any, context: Any) -> Any:
        call = _intercepted(request.call)
        for method in self._interceptors(call, "before"):
            try:
                answer = method(call)
            except ServiceError as err:
                return plugin_pb2.InterceptRequestOutput(error=_error(err))
            if isinstance(answer, ReplaceParams):
                return plugin_pb2.InterceptRequestOutput(params=_json_bytes(answer.params))
            if isinstance(answer, Respond):
                return plugin_pb2.InterceptRequestOutput(respond=_raw(answer))
            if answer is not None:
                return plugin_pb2.InterceptRequestOutput(result=_json_bytes(answer))
        return plugin_pb2.InterceptRequestOutput()

    def InterceptResponse(self, request: Any, context: Any) -> Any:
        if not any(when == "after" for _, when, _ in self.intercept_handlers):
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "no after-interceptors")  # the gateway stops asking
        call = _intercepted(request.call)
        outcome = _outcome(request)
        for method in self._interceptors(call, "after"):
            try:
                answer = method(call, outcome)
            except ServiceError as err:
                return plugin_pb2.InterceptResponseOutput(error=_error(err))
            if isinstance(answer, Respond):
                return plugin_pb2.InterceptResponseOutput(respond=_raw(answer))
            if answer is not None:
                return plugin_pb2.InterceptResponseOutput(result=_json_bytes(answer))
        return plugin_pb2.InterceptResponseOutput()

    def _interceptors(self, call: InterceptedCall, when: str) -> list[Callable[..., Any]]:
        found = []
        for pattern, kind, name in self.intercept_handlers:
            service, _, operation = pattern.partition(":")
            if kind == when and fnmatchcase(call.service, service or "*") and fnmatchcase(
                call.operation, operation or "*"
            ):
                found.append(getattr(self, name))
        return found

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


def _intercepted(call: Any) -> InterceptedCall:
    return InterceptedCall(
        service=call.service, operation=call.operation, region=call.region, account_id=call.account_id,
        params=json.loads(call.params) if call.params else {}, headers=dict(call.headers),
        request_id=call.request_id, access_key_id=call.access_key_id,
    )


def _outcome(request: Any) -> CallOutcome:
    kind = request.WhichOneof("outcome")
    if kind == "result":
        return CallOutcome(result=json.loads(request.result))
    if kind == "error":
        return CallOutcome(error=ServiceError(request.error.code, request.error.message, request.error.status_code))
    if kind == "raw":
        raw = request.raw
        return CallOutcome(raw=Respond(raw.status_code, bytes(raw.body), dict(raw.headers)))
    return CallOutcome()


def _error(err: ServiceError) -> Any:
    return plugin_pb2.InterceptError(code=err.code, message=err.message, status_code=err.status)


def _raw(answer: Respond) -> Any:
    return plugin_pb2.InterceptRaw(status_code=answer.status, body=answer.body, headers=answer.headers)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, default=str).encode()


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


__all__ = [
    "CallOutcome", "InterceptedCall", "PluginServicer", "ReplaceParams", "Respond", "ServiceError", "action",
    "intercept", "plugin_pb2", "plugin_pb2_grpc", "serve",
]
