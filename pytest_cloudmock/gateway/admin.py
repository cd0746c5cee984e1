"""The admin API (its own port, loopback only): health, services, resets, request log.

JSON in and out. Other parts add routes with `AdminApp.add_route` (the plugin
manager adds `/api/plugins`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response as HttpResponse

if TYPE_CHECKING:
    from . import Gateway

log = logging.getLogger("pytest_cloudmock")
Handler = Callable[..., Any]


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

    def add_route(self, path: str, endpoint: str, handler: Handler, methods: list[str]) -> None:
        """Serve `handler(request, **url_args)` at `path`; it returns a JSON-able value or (value, status)."""
        self.url_map.add(Rule(path, endpoint=endpoint, methods=methods))
        self.handlers[endpoint] = handler

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        status = 200
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
            result = self.handlers[endpoint](request, **args)
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
        services: dict[str, str] = {}
        for name, service in self.gateway.registry.instantiated().items():
            try:
                ok = service.health_check() is not False
            except Exception as exc:  # a failing check is an unhealthy service, not a 500
                log.warning("cloudmock: health check of %s failed: %s", name, exc)
                ok = False
            services[name] = "healthy" if ok else "unhealthy"
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
                entry["kind"] = getattr(started[name], "kind", "tier1")
                entry["actions"] = len(started[name].actions())
            out.append(entry)
        return out

    def reset(self, request: Request) -> dict[str, Any]:
        self.gateway.reset()
        return {"reset": "all"}

    def reset_service(self, request: Request, name: str) -> dict[str, Any]:
        if name not in self.gateway.registry:
            raise AdminError(404, f"no service named {name!r}")
        self.gateway.registry.reset(name)
        return {"reset": name}

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
