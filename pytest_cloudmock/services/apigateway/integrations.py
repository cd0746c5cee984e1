"""The backends an API calls: Lambda functions (through the registry), HTTP endpoints on this
machine, and AWS service actions (through the registry), each bounded by a timeout."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from ...api import AWSError, RequestContext

T = TypeVar("T")
_LAMBDA_PATH = re.compile(r"^arn:[\w-]+:apigateway:([\w-]+):lambda:path/[\d-]+/functions/(.+)/invocations$")
_SERVICE_ACTION = re.compile(r"^arn:[\w-]+:apigateway:([\w-]+):([\w.-]+):action/(\w+)")
_LOCAL = ("127.0.0.1", "localhost", "::1")


class IntegrationTimeout(Exception):
    """The backend did not answer within the integration's timeout."""


class IntegrationFailure(Exception):
    """The backend could not be called (API Gateway answers 500/502)."""


def with_timeout(work: Callable[[], T], seconds: float) -> T:
    """`work()` on its own thread, or `IntegrationTimeout` after `seconds`."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 (handed to the caller)
            box["error"] = exc

    thread = threading.Thread(target=run, name="cloudmock-apigateway-integration", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise IntegrationTimeout()
    if "error" in box:
        raise box["error"]
    return box["value"]


def function_of(uri: str) -> str | None:
    """The Lambda function an integration URI names (API Gateway's invocation ARN or a bare ARN)."""
    found = _LAMBDA_PATH.match(uri or "")
    if found:
        return found[2]
    return uri if (uri or "").startswith("arn:") and ":lambda:" in uri and ":function:" in uri else None


def _function_home(function: str, ctx: RequestContext) -> tuple[str, str]:
    """(account, region) of a function ARN (the API's own where the ARN does not say)."""
    parts = function.split(":")
    if len(parts) >= 7 and parts[2] == "lambda":
        return parts[4] or ctx.account_id, parts[3] or ctx.region
    return ctx.account_id, ctx.region


def invoke_lambda(ctx: RequestContext, function: str, payload: bytes, timeout: float) -> tuple[bytes, bool]:
    """(the function's answer, whether it failed); `IntegrationFailure` if it cannot be invoked."""
    assert ctx.registry is not None
    account, region = _function_home(function, ctx)
    registry = ctx.registry

    def call() -> dict[str, Any]:
        return registry.call("lambda", "Invoke", {"FunctionName": function, "Payload": payload},
                             account_id=account, region=region, caller=ctx)

    try:
        result = with_timeout(call, timeout)
    except AWSError as err:
        raise IntegrationFailure(f"{err.code}: {err.message}") from None
    answer = result.get("Payload") or b""
    if not isinstance(answer, bytes):
        answer = answer.read() if hasattr(answer, "read") else bytes(answer)
    return answer, bool(result.get("FunctionError"))


def call_http(method: str, url: str, headers: dict[str, str], body: bytes,
              timeout: float) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of an HTTP call to this machine; any status is an answer."""
    host = urlsplit(url).hostname or ""
    if host not in _LOCAL and not host.endswith(".localhost"):
        raise IntegrationFailure(f"HTTP integrations reach this machine only, not {host}")
    skip = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}
    request = urllib.request.Request(url, data=body if method not in ("GET", "HEAD") or body else None,
                                     method=method, headers={k: v for k, v in headers.items() if k.lower() not in skip})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (local only)
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()
    except TimeoutError:
        raise IntegrationTimeout() from None
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise IntegrationTimeout() from None
        raise IntegrationFailure(str(err.reason)) from None
    except OSError as err:
        raise IntegrationFailure(str(err)) from None


def call_service(ctx: RequestContext, uri: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    """An AWS service action (`arn:aws:apigateway:<region>:<service>:action/<Action>`) through the
    registry, its params the request body as JSON (or a form); (status, JSON answer)."""
    found = _SERVICE_ACTION.match(uri or "")
    if not found:
        raise IntegrationFailure(f"AWS integrations support the action form only, not {uri}")
    region, service, action = found[1], found[2], found[3]
    text = body.decode("utf-8", "replace").strip()
    try:
        params = json.loads(text) if text.startswith("{") else {
            k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items() if k not in ("Action", "Version")}
    except ValueError:
        params = {}
    assert ctx.registry is not None
    registry = ctx.registry

    def call() -> dict[str, Any]:
        return registry.call(service, action, params if isinstance(params, dict) else {},
                             account_id=ctx.account_id, region=region, caller=ctx)

    try:
        result = with_timeout(call, timeout)
    except AWSError as err:
        return err.status, json.dumps({"__type": err.code, "message": err.message}).encode()
    return 200, json.dumps(result, default=_jsonable).encode()


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
