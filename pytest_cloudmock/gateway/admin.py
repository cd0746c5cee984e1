"""The admin API (its own port, loopback only): health, services, resets, request log.

JSON in and out. Other parts add routes with `AdminApp.add_route` (the plugin
manager adds `/api/plugins`).

A web page must not be able to drive it (CSRF, DNS rebinding): every request
needs a `Host` named in `admin_allowed_hosts` (loopback names by default), a
request carrying an `Origin` must come from such a host too, a body must be
`application/json` (a cross-origin form or `text/plain` POST is refused without
touching state), and with `admin_token` set the `X-Cloudmock-Admin-Token`
header must carry it.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as HttpResponse

from ..protocols.rest_routing import MatchRule
from .clock_routes import clock_routes
from .ui import page, resources

if TYPE_CHECKING:
    from . import Gateway

log = logging.getLogger("pytest_cloudmock")
Handler = Callable[..., Any]
TOKEN_HEADER = "X-Cloudmock-Admin-Token"
HEALTH_DEADLINE = 1.0  # seconds a health check may take before the service counts as unhealthy


class AdminError(Exception):
    """An admin API error: HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body, or a 400 `AdminError`."""
    try:
        data = json.loads(request.get_data() or b"{}")
    except ValueError as exc:
        raise AdminError(400, f"body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise AdminError(400, "body must be a JSON object")
    return data


class AdminApp:
    """WSGI app for the admin API."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.url_map = Map(strict_slashes=False)
        self.handlers: dict[str, Handler] = {}
        self.add_route("/api/health", "health", self.health, ["GET"])
        self.add_route("/api/services", "services", self.services, ["GET"])
        self.add_route("/api/reset", "reset", self.reset, ["POST"])
        self.add_route("/api/services/<name>/reset", "reset_service", self.reset_service, ["POST"])
        self.add_route("/api/requests", "requests", self.requests, ["GET"])
        self.add_route("/api/settle", "settle", self.settle, ["POST"])
        self.add_route("/api/state", "state", self.state, ["GET", "PUT"])  # state_file.py
        self.add_route("/api/resources", "resources", lambda request: resources(gateway), ["GET"])  # ui.py
        self.add_route("/ui", "ui", page, ["GET"])  # the state browser
        for route in gateway.faults.admin_routes():  # GET/POST/DELETE /api/faults (faults.py)
            self.add_route(*route)
        for route in clock_routes(gateway.clock):  # GET/POST /api/clock (clock_routes.py)
            self.add_route(*route)
        self.add_route("/api/cognito/messages", "cognito_messages", self.cognito_messages, ["GET"])
        self.add_route("/api/ses/messages", "ses_messages", self.ses_messages, ["GET"])

    def add_route(self, path: str, endpoint: str, handler: Handler, methods: list[str]) -> None:
        """Serve `handler(request, **url_args)` at `path`; it returns a JSON-able value or (value, status)."""
        self.url_map.add(MatchRule(path, endpoint=endpoint, methods=methods))  # never builds URLs
        self.handlers[endpoint] = handler

    def check_caller(self, request: Request) -> None:
        """Refuse what a web page (or anyone without the token) could send; raises `AdminError`."""
        config = self.gateway.config
        allowed = {h.lower() for h in config.admin_allowed_hosts}
        if _hostname(request.host) not in allowed:
            raise AdminError(403, f"Host {request.host!r} is not allowed (config admin_allowed_hosts)")
        origin = request.headers.get("Origin")
        if origin is not None and _hostname(urlsplit(origin).netloc) not in allowed:
            raise AdminError(403, f"cross-origin requests are refused (Origin {origin!r})")
        if request.method not in ("GET", "HEAD", "OPTIONS") and (
            request.content_length or request.headers.get("Transfer-Encoding") or request.content_type
        ) and request.mimetype != "application/json":
            raise AdminError(415, "the admin API accepts only application/json bodies")
        token = config.admin_token
        if token and not hmac.compare_digest(request.headers.get(TOKEN_HEADER, "").encode(), token.encode()):
            raise AdminError(401, f"missing or wrong {TOKEN_HEADER} header (config admin_token)")

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        status = 200
        try:
            self.check_caller(request)
            endpoint, args = self.url_map.bind_to_environ(environ).match()
            result = self.handlers[endpoint](request, **args)
            if isinstance(result, HttpResponse):  # a page (the state browser), not JSON
                return result(environ, start_response)
            if isinstance(result, tuple):
                result, status = result
        except AdminError as err:
            result, status = {"error": err.message}, err.status
        except (NotFound, MethodNotAllowed) as err:
            result, status = {"error": err.description}, err.code or 404
        except HTTPException as err:
            result, status = {"error": err.description}, err.code or 400
        except Exception as exc:
            log.exception("cloudmock admin: unhandled error")
            result, status = {"error": f"{type(exc).__name__}: {exc}"}, 500
        response = HttpResponse(json.dumps(result, default=str), status, mimetype="application/json")
        return response(environ, start_response)

    # -- routes -----------------------------------------------------------------------
    def health(self, request: Request) -> tuple[dict[str, Any], int]:
        """Every started service's check, in parallel; one slower than `HEALTH_DEADLINE` is unhealthy."""
        started = self.gateway.registry.instantiated()
        pool = ThreadPoolExecutor(max(1, min(16, len(started))), thread_name_prefix="cloudmock-health")
        checks = {name: pool.submit(_healthy, name, service) for name, service in started.items()}
        wait(checks.values(), timeout=HEALTH_DEADLINE)
        pool.shutdown(wait=False, cancel_futures=True)
        services = {
            name: "healthy" if check.done() and check.result() else "unhealthy" for name, check in checks.items()
        }
        healthy = all(v == "healthy" for v in services.values())
        body = {"status": "healthy" if healthy else "degraded", "services": services}
        return body, 200 if healthy else 503

    def services(self, request: Request) -> list[dict[str, Any]]:
        registry = self.gateway.registry
        started = registry.instantiated()
        out = []
        for name in registry.names():
            entry: dict[str, Any] = {"name": name, "started": name in started}
            if name in started:
                entry["kind"] = self.gateway.registry.profile(name).kind
                entry["actions"] = len(started[name].actions())
            out.append(entry)
        return out

    def cognito_messages(self, request: Request) -> list[dict[str, Any]]:
        """Mail and SMS Cognito user pools captured (`?pool_id=`, `?username=`; services/cognito_idp)."""
        service: Any = self.gateway.registry.get("cognito-idp")
        return service.messages(request.args.get("pool_id"), request.args.get("username"))

    def ses_messages(self, request: Request) -> list[dict[str, Any]]:
        """Mail SES accepted, both APIs (`?destination=`, `?source=`; services/ses)."""
        service: Any = self.gateway.registry.get("ses")
        return service.messages_json(request.args.get("destination"), request.args.get("source"))

    def reset(self, request: Request) -> dict[str, Any]:
        self.gateway.reset()
        return {"reset": "all"}

    def reset_service(self, request: Request, name: str) -> dict[str, Any]:
        if name not in self.gateway.registry:
            raise AdminError(404, f"no service named {name!r}")
        self.gateway.registry.reset(name)
        return {"reset": name}

    def state(self, request: Request) -> Any:
        """GET: every store and issued credential as a state file; PUT: load one (all or nothing)."""
        from ..state_file import StateFileError, describe, export_state, import_state

        if request.method == "GET":
            return export_state(self.gateway)
        try:
            loaded = import_state(self.gateway, json_body(request), "the request body")
        except StateFileError as exc:
            raise AdminError(400, str(exc)) from exc
        return {"loaded": sorted(loaded.stores), "credentials": len(loaded.identities), "summary": describe(loaded)}

    def settle(self, request: Request) -> tuple[dict[str, Any], int]:
        """Wait for queued background effects: `{"timeout": seconds}` (default 5, at most 60)."""
        from ..dispatch import SettleTimeout

        timeout = json_body(request).get("timeout", 5)
        if not isinstance(timeout, (int, float)) or not 0 <= timeout <= 60:
            raise AdminError(400, "timeout must be a number of seconds from 0 to 60")
        try:
            self.gateway.settle(timeout)
        except SettleTimeout as exc:
            return {"settled": False, "message": str(exc)}, 504
        return {"settled": True}, 200

    def requests(self, request: Request) -> list[dict[str, Any]]:
        args = request.args
        try:
            status = int(args["status"]) if "status" in args else None
            limit = int(args["limit"]) if "limit" in args else None
            since = int(args.get("since", 0))
        except ValueError as exc:
            raise AdminError(400, f"status, limit and since must be integers: {exc}") from exc
        records = self.gateway.request_log.query(
            service=args.get("service"), operation=args.get("operation"), status=status,
            since=since, limit=limit,
        )
        return [r.to_dict() for r in records]


def _healthy(name: str, service: Any) -> bool:
    try:
        return service.health_check() is not False
    except Exception as exc:  # a failing check is an unhealthy service, not a 500
        log.warning("cloudmock: health check of %s failed: %s", name, exc)
        return False


def _hostname(host: str) -> str:
    """The host name of a `Host` header or URL netloc, without port or IPv6 brackets."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host
