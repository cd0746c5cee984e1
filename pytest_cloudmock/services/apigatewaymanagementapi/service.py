"""`ApiGatewayManagementService`: the three connection operations, answered by the WebSocket
connections `apigatewayv2` holds (found through the registry)."""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from ...api import AWSError, RequestContext, Response, ServiceProfile
from ...wire import WireRequest
from ..base import ModelService

MAX_PAYLOAD = 128 * 1024  # API Gateway's WebSocket frame limit
_STAGED = re.compile(r"^/[^/@]+/@connections/([^/]+)$")
#: `<endpoint>/<stage>/@connections/<id>` (an endpoint URL that names the stage, as AWS's does).
STAGED = {"POST": "StagedPostToConnection", "GET": "StagedGetConnection", "DELETE": "StagedDeleteConnection"}


def gone(connection_id: str) -> AWSError:
    # AWS answers 410 GoneException for a connection that is not (or no longer) open; its exact
    # message text is not documented.
    return AWSError("GoneException", f"Connection {connection_id} is gone", 410)


def _staged(request: WireRequest) -> str | None:
    return STAGED.get(request.method) if _STAGED.match(request.path) else None


class ApiGatewayManagementService(ModelService):
    """PostToConnection, GetConnection, DeleteConnection."""

    name = "apigatewaymanagementapi"

    @cached_property
    def profile(self) -> ServiceProfile:
        return ServiceProfile(unmodelled_operation=_staged, extra_operations=frozenset(STAGED.values()))

    def _connection(self, ctx: RequestContext, connection_id: str) -> tuple[Any, Any]:
        v2 = ctx.registry.get("apigatewayv2") if ctx.registry is not None else None
        conn = v2.connection(connection_id) if v2 is not None and hasattr(v2, "connection") else None
        if conn is None:
            raise gone(connection_id)
        return v2, conn

    def post_to_connection(self, ctx: RequestContext) -> dict[str, Any]:
        data = ctx.params.get("Data") or b""
        data = data if isinstance(data, bytes) else data.read() if hasattr(data, "read") else bytes(data)
        if len(data) > MAX_PAYLOAD:
            raise AWSError("PayloadTooLargeException", "Message too long", 413)
        _v2, conn = self._connection(ctx, ctx.params["ConnectionId"])
        try:
            data.decode("utf-8")
            text = True
        except UnicodeDecodeError:
            text = False
        if not conn.send(data, text):
            raise gone(ctx.params["ConnectionId"])
        return {}

    def get_connection(self, ctx: RequestContext) -> dict[str, Any]:
        _v2, conn = self._connection(ctx, ctx.params["ConnectionId"])
        return {"ConnectedAt": conn.connected_at, "LastActiveAt": conn.last_active_at,
                "Identity": {"SourceIp": "127.0.0.1", "UserAgent": conn.headers.get("user-agent", "")}}

    def delete_connection(self, ctx: RequestContext) -> dict[str, Any]:
        v2, _conn = self._connection(ctx, ctx.params["ConnectionId"])
        v2.drop_connection(ctx.params["ConnectionId"])
        return {}

    # -- `<endpoint>/<stage>/@connections/<id>`: the same operations, read off the wire -----------
    def _staged_ctx(self, ctx: RequestContext, operation: str) -> RequestContext:
        assert ctx.wire is not None
        found = _STAGED.match(ctx.wire.path)
        params: dict[str, Any] = {"ConnectionId": unquote(found[1]) if found else ""}
        if operation == "PostToConnection":
            params["Data"] = ctx.wire.body
        ctx.params, ctx.operation = params, operation
        return ctx

    def staged_post_to_connection(self, ctx: RequestContext) -> Response:
        self.post_to_connection(self._staged_ctx(ctx, "PostToConnection"))
        return Response(body=b"", status=200)

    def staged_get_connection(self, ctx: RequestContext) -> Response:
        out = self.get_connection(self._staged_ctx(ctx, "GetConnection"))
        body = {"connectedAt": out["ConnectedAt"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "lastActiveAt": out["LastActiveAt"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "identity": {"sourceIp": out["Identity"]["SourceIp"], "userAgent": out["Identity"]["UserAgent"]}}
        return Response(body=json.dumps(body).encode(), status=200, headers={"Content-Type": "application/json"})

    def staged_delete_connection(self, ctx: RequestContext) -> Response:
        self.delete_connection(self._staged_ctx(ctx, "DeleteConnection"))
        return Response(body=b"", status=204)
