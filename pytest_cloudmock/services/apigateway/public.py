"""Where deployed APIs answer plain HTTP on the gateway's port, and API Gateway's own
error answers there.

Two addresses reach an API's stage (v1 REST and v2 HTTP/WebSocket ids share one space):

- host form: `http://<api-id>.execute-api.localhost:<port>/<stage>/<path>` (also with a
  region label, `<api-id>.execute-api.<region>.localhost`, or any `<api-id>.execute-api.*` host);
- path form, needing no DNS: `http://127.0.0.1:<port>/_aws/execute-api/<api-id>/<stage>/<path>`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ...api import Response
from ...wire import WireRequest

INVOKE_API = "InvokeApi"
HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.")
_PATH_FORM = re.compile(r"^/_aws/execute-api/([A-Za-z0-9]+)(/.*)?$")


@dataclass(frozen=True)
class Target:
    """The API a request addresses and the path below the API (stage first)."""

    api_id: str
    path: str  # `/<stage>/<rest>`, still percent-encoded
    path_form: bool


def target_of(request: WireRequest) -> Target | None:
    found = _PATH_FORM.match(request.path)
    if found:
        return Target(found[1].lower(), found[2] or "/", True)
    host = HOST.match(request.host.split(":")[0].lower())
    return Target(host[1], request.path, False) if host else None


def unmodelled_operation(request: WireRequest) -> str | None:
    """The router's question: is this a call to a deployed API? (A signed `@connections` call on
    an API's host is the management API's, as on AWS: the router goes on to find it.)"""
    if "/@connections/" in request.path and "Authorization" in request.headers:
        return None
    return INVOKE_API if target_of(request) is not None else None


def split_stage(path: str) -> tuple[str, str]:
    """`/prod/items/1` -> ("prod", "/items/1")."""
    parts = path.lstrip("/").split("/", 1)
    return parts[0], "/" + (parts[1] if len(parts) > 1 else "")


def gateway_error(status: int, message: str | None, error_type: str = "", headers: dict[str, str] | None = None) -> Response:
    """API Gateway's error body (`{"message": ...}`) with its `x-amzn-ErrorType` header."""
    out = {"Content-Type": "application/json"}
    if error_type:
        out["x-amzn-ErrorType"] = error_type
    out.update(headers or {})
    return Response(body=json.dumps({"message": message}).encode(), status=status, headers=out)


def missing_token() -> Response:
    return gateway_error(403, "Missing Authentication Token", "MissingAuthenticationTokenException")


def unauthorized() -> Response:
    return gateway_error(401, "Unauthorized", "UnauthorizedException")


def forbidden() -> Response:
    return gateway_error(403, "Forbidden", "ForbiddenException")


def explicit_deny() -> Response:
    return gateway_error(403, "User is not authorized to access this resource with an explicit deny",
                         "AccessDeniedException")


def too_many_requests() -> Response:
    return gateway_error(429, "Too Many Requests", "TooManyRequestsException")


def limit_exceeded() -> Response:
    return gateway_error(429, "Limit Exceeded", "LimitExceededException")


def internal_error() -> Response:
    return gateway_error(502, "Internal server error", "InternalServerErrorException")


def timed_out() -> Response:
    return gateway_error(504, "Endpoint request timed out", "IntegrationTimeout")


def not_found() -> Response:
    """HTTP APIs answer an unmatched route with 404 `{"message":"Not Found"}`."""
    return gateway_error(404, "Not Found", "NotFoundException")
