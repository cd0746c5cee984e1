"""Interception by external gRPC plugins (docs/plugins.md, "Intercepting other services").

A plugin whose `Register` answer lists `intercepts` (`"s3:PutObject"`, `"sts:*"`)
gets a `PluginInterceptor` in the gateway's chain while its service is
registered (`interceptors.follow_plugins`): `InterceptRequest` before each matching call, `InterceptResponse`
after it. Both RPCs are optional and have a short deadline (`INTERCEPT_TIMEOUT`,
or the plugin's own timeout if shorter). Decision: interception must never make
the gateway less available than the plugin-less call, so a plugin error, a
deadline or a malformed answer is logged and the call continues unintercepted;
UNIMPLEMENTED switches that RPC off for the plugin.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
from typing import TYPE_CHECKING, Any

import grpc

from .._proto.cloudmock.plugin.v1 import plugin_pb2
from ..api import AWSError, RequestContext, Response
from ..interception import Interceptor, Outcome

if TYPE_CHECKING:
    from .adapter import GrpcPlugin

log = logging.getLogger("pytest_cloudmock")
INTERCEPT_TIMEOUT = 1.0
_SKIP = object()


class PluginInterceptor(Interceptor):
    """An `Interceptor` backed by a gRPC plugin's `InterceptRequest`/`InterceptResponse`."""

    def __init__(self, plugin: GrpcPlugin, patterns: tuple[str, ...]) -> None:
        super().__init__(before=self._before, after=self._after, name=f"plugin:{plugin.plugin}")
        self.plugin = plugin
        self.patterns = [Interceptor(*_split(p)) for p in patterns if p.strip()]
        self.timeout = min(INTERCEPT_TIMEOUT, plugin.timeout)
        self.rpcs = {"InterceptRequest": True, "InterceptResponse": True}

    def matches(self, service: str, operation: str) -> bool:
        return any(p.matches(service, operation) for p in self.patterns)

    # -- the two RPCs --------------------------------------------------------------------
    def _before(self, ctx: RequestContext) -> Any:
        answer = self._call("InterceptRequest", plugin_pb2.InterceptRequestInput(call=_call_of(ctx)), ctx)
        kind = answer.WhichOneof("outcome") if answer is not None else None
        if kind is None:
            return None
        if kind == "params":
            changes = self._json(answer.params, ctx, "params")
            if changes is not None:
                ctx.params = _merged(ctx.params, changes)
            return None
        return self._outcome(answer, kind, ctx, None)

    def _after(self, ctx: RequestContext, outcome: Outcome) -> Any:
        call = _call_of(ctx)
        if isinstance(outcome, AWSError):
            request = plugin_pb2.InterceptResponseInput(call=call, error=_error_message(outcome))
        elif isinstance(outcome.body, dict):
            request = plugin_pb2.InterceptResponseInput(call=call, result=_json_bytes(outcome.body))
        else:
            body = outcome.body if isinstance(outcome.body, bytes) else b""  # a stream stays unread
            raw = plugin_pb2.InterceptRaw(status_code=outcome.status, body=body, headers=outcome.headers)
            request = plugin_pb2.InterceptResponseInput(call=call, raw=raw)
        answer = self._call("InterceptResponse", request, ctx)
        kind = answer.WhichOneof("replacement") if answer is not None else None
        return None if kind is None else self._outcome(answer, kind, ctx, outcome)

    def _outcome(self, answer: Any, kind: str, ctx: RequestContext, original: Outcome | None) -> Any:
        """The plugin's answer or replacement as a dict / `Response` / `AWSError` (None: ignore it)."""
        if kind == "result":
            result = self._json(answer.result, ctx, "result")
            if result is None:
                return None
            if isinstance(original, Response):
                return Response(body=result, status=original.status, headers=original.headers)
            return result
        if kind == "respond":
            try:
                return self.plugin._response(answer.respond, ctx.operation)
            except AWSError as err:
                log.warning("cloudmock: plugin %s intercepting %s:%s: %s (ignored)",
                            self.plugin.plugin, ctx.service, ctx.operation, err.message)
                return None
        error = answer.error
        return AWSError(error.code or "InternalFailure", error.message, error.status_code or 400)

    def _call(self, rpc: str, request: Any, ctx: RequestContext) -> Any:
        if not self.rpcs[rpc]:
            return None
        try:
            return getattr(self.plugin.stub, rpc)(request, timeout=self.timeout)
        except grpc.RpcError as err:
            if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                self.rpcs[rpc] = False
                log.info("cloudmock: plugin %s does not implement %s", self.plugin.plugin, rpc)
            else:
                log.warning("cloudmock: plugin %s %s for %s:%s failed (%s: %s); the call goes on "
                            "unintercepted", self.plugin.plugin, rpc, ctx.service, ctx.operation,
                            err.code().name, err.details())
            return None

    def _json(self, data: bytes, ctx: RequestContext, what: str) -> dict[str, Any] | None:
        try:
            value = json.loads(data)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            log.warning("cloudmock: plugin %s intercepting %s:%s answered %s that is not a JSON object "
                        "(ignored)", self.plugin.plugin, ctx.service, ctx.operation, what)
            return None
        return value


# -- messages ---------------------------------------------------------------------------------
def _split(pattern: str) -> tuple[str, str]:
    service, _, operation = pattern.strip().partition(":")
    return service or "*", operation or "*"


def _call_of(ctx: RequestContext) -> Any:
    return plugin_pb2.InterceptedCall(
        service=ctx.service, operation=ctx.operation, region=ctx.region, account_id=ctx.account_id,
        params=_json_bytes(ctx.params), headers=_flat(ctx.headers), request_id=ctx.request_id,
        access_key_id=ctx.access_key_id,
    )


def _error_message(err: AWSError) -> Any:
    return plugin_pb2.InterceptError(code=err.code, message=err.message, status_code=err.status)


def _flat(headers: Any) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in headers.items():
        flat[key] = f"{flat[key]}, {value}" if key in flat else str(value)
    return flat


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(_jsonable(value), separators=(",", ":")).encode()


def _jsonable(value: Any) -> Any:
    """Params as JSON: blobs base64, timestamps ISO 8601, streams and other objects left out."""
    if isinstance(value, dict):
        out = {str(k): _jsonable(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not _SKIP}
    if isinstance(value, (list, tuple)):
        return [None if v is _SKIP else v for v in map(_jsonable, value)]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return _SKIP


def _merged(params: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`params` with the top-level members in `changes` replaced (null removes; a blob member
    comes back base64, as it was sent)."""
    merged = dict(params)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(params.get(key), (bytes, bytearray)) and isinstance(value, str):
            try:
                merged[key] = base64.b64decode(value, validate=True)
            except ValueError:
                merged[key] = value.encode()
        else:
            merged[key] = value
    return merged
