"""Endpoints that other local AWS mocks serve on their AWS port, answered on ours.

Suites and tools written for those servers (a fixture that resets state between tests,
a container health wait) run unchanged against `cloudmock serve`:

| request | does |
|---|---|
| `POST /moto-api/reset` | reset every service's state and issued credentials |
| `POST /_localstack/state/reset` | the same |
| `GET /_localstack/health` | `{"services": {name: "running" or "available"}, ...}` |

`running` is a started service, `available` one that starts on its first request.
The admin API (`/api/reset`, `/api/health`, ...) remains the documented way. A
bucket named `moto-api` still works (S3 has no query-less POST of an object key).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..wire import WireRequest, WireResponse

if TYPE_CHECKING:
    from . import Gateway

RESET_PATHS = ("/moto-api/reset", "/_localstack/state/reset")
HEALTH_PATH = "/_localstack/health"
PREFIXES = ("/moto-api/", "/_localstack/")


class CompatEndpoints:
    """`compat(request)`: the answer for a compatibility path, or None for any other request."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def __call__(self, request: WireRequest) -> WireResponse | None:
        if not request.path.startswith(PREFIXES):
            return None
        path = request.path.rstrip("/") or "/"
        if not path.startswith("/_localstack/") and not (
            path in RESET_PATHS and request.method == "POST" and not request.query
        ):
            return None  # `/moto-api/...` is also a valid S3 bucket's path: only the exact reset is ours
        if path in RESET_PATHS:
            if request.method != "POST":
                return _json(405, {"error": f"{path} takes POST"}, {"Allow": "POST"})
            self.gateway.reset()
            return _json(200, {"reset": "all"})
        if path == HEALTH_PATH:
            if request.method not in ("GET", "HEAD"):
                return _json(405, {"error": f"{path} takes GET"}, {"Allow": "GET, HEAD"})
            return _json(200, self.health())
        return _json(404, {"error": f"cloudmock does not serve {path}; compatible paths: "
                                    f"{', '.join((*RESET_PATHS, HEALTH_PATH))}"})

    def health(self) -> dict[str, Any]:
        from .. import __version__

        registry = self.gateway.registry
        started = registry.instantiated()
        services = {name: "running" if name in started else "available" for name in sorted(registry.names())}
        return {"services": services, "edition": "cloudmock", "version": __version__}


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> WireResponse:
    return WireResponse(status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode())
