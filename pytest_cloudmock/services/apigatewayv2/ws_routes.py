"""WebSocket APIs at work: `$connect` (with a Lambda REQUEST authorizer), route selection by
`RouteSelectionExpression` with `$default`, two-way route responses, `$disconnect`, and the
connections `apigatewaymanagementapi` posts to."""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from datetime import datetime
from typing import Any

from ...api import RequestContext, Response
from ...clock import REAL_CLOCK
from ..apigateway.authorizers import run_lambda_authorizer
from ..apigateway.integrations import (
    IntegrationFailure,
    IntegrationTimeout,
    call_http,
    function_of,
    invoke_lambda,
)
from ..apigateway.proxy import epoch_ms
from ..apigateway.vtl import json_path
from .control import APIS, AUTHORIZERS, INTEGRATIONS, ROUTES, STAGES
from .invoke_http import HttpInvokeOps
from .websocket import Connection, WebSocketServer

_SELECTION = re.compile(r"^\$\{?request\.body\.([\w.$-]+)\}?$")


class WebSocketOps(HttpInvokeOps):
    """Runs WebSocket routes for the connections `WebSocketServer` accepts."""

    def __init__(self) -> None:
        super().__init__()
        self._ws: WebSocketServer | None = None
        self._ws_lock = threading.Lock()
        self.registry: Any = None

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        if ctx.registry is not None:
            self.registry = ctx.registry
        return super().handle_request(ctx)

    # -- the server ----------------------------------------------------------------------------
    def websocket_server(self) -> WebSocketServer:
        with self._ws_lock:
            if self._ws is None:
                self._ws = WebSocketServer(self)
            return self._ws

    def websocket_endpoint(self, api_id: str) -> str:
        return f"ws://127.0.0.1:{self.websocket_server().port}/_aws/execute-api/{api_id}"

    def connection(self, connection_id: str) -> Connection | None:
        """An open connection (for `apigatewaymanagementapi`)."""
        return self._ws.get(connection_id) if self._ws is not None else None

    def connection_ids(self, api_id: str | None = None) -> list[str]:
        """The ids of the open connections (of one API), oldest first: tests find theirs here."""
        if self._ws is None:
            return []
        with self._ws.lock:
            return [c.connection_id for c in self._ws.connections.values() if api_id in (None, c.api_id)]

    def drop_connection(self, connection_id: str) -> bool:
        return self._ws.drop(connection_id) if self._ws is not None else False

    def reset(self) -> None:
        if self._ws is not None:
            self._ws.close_all()
        super().reset()

    def stop(self) -> None:
        with self._ws_lock:
            if self._ws is not None:
                self._ws.stop()
                self._ws = None

    def now(self) -> datetime:
        return (self.registry.clock if self.registry is not None else REAL_CLOCK).utcnow()

    # -- what happens on a connection ----------------------------------------------------------
    def _api(self, conn: Connection) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]], dict[str, Any], dict[str, Any]] | None:
        home = self.find_api(conn.api_id)
        if home is None:
            return None
        conn.account, conn.region, state = home
        with self.store.lock:
            api = dict(state.find(APIS, ())[conn.api_id])
            stage = state.find(STAGES, (conn.api_id,)).get(conn.stage)
            if api["ProtocolType"] != "WEBSOCKET" or stage is None:
                return None
            routes = [dict(r) for r in state.find(ROUTES, (conn.api_id,)).values()]
            integrations = {k: dict(v) for k, v in state.find(INTEGRATIONS, (conn.api_id,)).items()}
            authorizers = {k: dict(v) for k, v in state.find(AUTHORIZERS, (conn.api_id,)).items()}
            return api, dict(stage), routes, integrations, authorizers

    def _ws_context(self, conn: Connection, route_key: str, event_type: str) -> dict[str, Any]:
        now = self.now()
        return {
            "routeKey": route_key, "eventType": event_type, "extendedRequestId": str(uuid.uuid4()),
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "messageDirection": "IN",
            "stage": conn.stage, "connectedAt": epoch_ms(conn.connected_at), "requestTimeEpoch": epoch_ms(now),
            "identity": {"sourceIp": "127.0.0.1", "userAgent": conn.headers.get("user-agent", "")},
            "requestId": str(uuid.uuid4()), "domainName": f"{conn.api_id}.execute-api.{conn.region}.amazonaws.com",
            "connectionId": conn.connection_id, "apiId": conn.api_id,
        }

    def _ctx(self, conn: Connection, api: dict[str, Any]) -> RequestContext:
        return RequestContext(service="apigatewayv2", operation="WebSocketRoute", params={}, region=conn.region,
                              account_id=conn.account, access_key_id="", request_id=str(uuid.uuid4()),
                              protocol="internal", endpoint=api.get("_gateway", ""), registry=self.registry)

    def _run(self, conn: Connection, api: dict[str, Any], route: dict[str, Any], integrations: dict[str, Any],
             event: dict[str, Any]) -> tuple[int, bytes | None]:
        """(status, answer body) of a route's integration (500 when it fails)."""
        integration = integrations.get(str(route.get("Target", "")).removeprefix("integrations/"))
        if integration is None:
            return 200, None
        timeout = int(integration.get("TimeoutInMillis", 29000)) / 1000
        try:
            if integration.get("IntegrationType") == "AWS_PROXY":
                function = function_of(integration.get("IntegrationUri", ""))
                if function is None:
                    return 500, None
                answer, failed = invoke_lambda(self._ctx(conn, api), function, json.dumps(event).encode(), timeout)
                if failed:
                    return 500, None
                return _proxy_result(answer)
            if integration.get("IntegrationType") in ("HTTP_PROXY", "HTTP"):
                status, _headers, body = call_http("POST", integration.get("IntegrationUri", ""),
                                                   {"Content-Type": "application/json"},
                                                   (event.get("body") or "").encode(), timeout)
                return status, body
        except (IntegrationFailure, IntegrationTimeout):
            return 500, None
        return 200, None  # MOCK

    def connect(self, conn: Connection) -> tuple[int, str]:
        found = self._api(conn)
        if found is None:
            return 403, "Forbidden"
        api, _stage, routes, integrations, authorizers = found
        route = next((r for r in routes if r.get("RouteKey") == "$connect"), None)
        if route is None:
            return 200, "OK"
        event: dict[str, Any] = {
            "headers": {k.title(): v for k, v in conn.headers.items()},
            "multiValueHeaders": {k.title(): [v] for k, v in conn.headers.items()},
            "requestContext": self._ws_context(conn, "$connect", "CONNECT"), "isBase64Encoded": False}
        if conn.query:
            event["queryStringParameters"] = {k: v[-1] for k, v in conn.query.items()}
            event["multiValueQueryStringParameters"] = {k: list(v) for k, v in conn.query.items()}
        if route.get("AuthorizationType") == "CUSTOM":
            authorizer = authorizers.get(route.get("AuthorizerId") or "")
            if authorizer is None:
                return 500, "Internal Server Error"
            values = [self._ws_identity(conn, s) for s in authorizer.get("IdentitySource") or []]
            if any(not v for v in values):
                return 401, "Unauthorized"
            arn = f"arn:aws:execute-api:{conn.region}:{conn.account}:{conn.api_id}/{conn.stage}/$connect"
            decision = run_lambda_authorizer(self._ctx(conn, api), str(authorizer.get("AuthorizerUri", "")),
                                             {**event, "type": "REQUEST", "methodArn": arn}, arn)
            if decision.status:
                return decision.status, {401: "Unauthorized", 403: "Forbidden"}.get(decision.status, "Internal Server Error")
            event["requestContext"]["authorizer"] = {**decision.context, "principalId": decision.principal}
        status, _body = self._run(conn, api, route, integrations, event)
        if status >= 300:
            return status, "Forbidden" if status == 403 else "Internal Server Error" if status >= 500 else "Refused"
        return 200, "OK"

    @staticmethod
    def _ws_identity(conn: Connection, source: str) -> str | None:
        found = re.match(r"^route\.request\.(header|querystring)\.(.+)$", source.strip())
        if not found:
            return None
        if found[1] == "header":
            return conn.headers.get(found[2].lower())
        values = conn.query.get(found[2])
        return values[-1] if values else None

    def message(self, conn: Connection, payload: bytes, text: bool) -> None:
        found = self._api(conn)
        if found is None:
            conn.close(1001)
            return
        api, _stage, routes, integrations, _authorizers = found
        keys = {r.get("RouteKey"): r for r in routes}
        route_key = "$default"
        selection = _SELECTION.match(str(api.get("RouteSelectionExpression", "")))
        if selection and text:
            try:
                picked = json_path(json.loads(payload), "$." + selection[1])
            except ValueError:
                picked = None
            if isinstance(picked, (str, int, float)) and str(picked) in keys:
                route_key = str(picked)
        context = self._ws_context(conn, route_key, "MESSAGE")
        route = keys.get(route_key)
        if route is None:
            conn.send(json.dumps({"message": "Forbidden", "connectionId": conn.connection_id,
                                  "requestId": context["requestId"]}).encode(), True)
            return
        context["messageId"] = str(uuid.uuid4())
        body = payload.decode("utf-8", "replace") if text else base64.b64encode(payload).decode()
        event = {"requestContext": context, "body": body, "isBase64Encoded": not text}
        status, answer = self._run(conn, api, route, integrations, event)
        if status >= 500:
            conn.send(json.dumps({"message": "Internal server error", "connectionId": conn.connection_id,
                                  "requestId": context["requestId"]}).encode(), True)
        elif route.get("RouteResponseSelectionExpression") and answer is not None:
            conn.send(answer, True)

    def disconnect(self, conn: Connection, code: int, reason: str) -> None:
        found = self._api(conn)
        if found is None:
            return
        api, _stage, routes, integrations, _authorizers = found
        route = next((r for r in routes if r.get("RouteKey") == "$disconnect"), None)
        if route is None:
            return
        context = {**self._ws_context(conn, "$disconnect", "DISCONNECT"), "disconnectStatusCode": code,
                   "disconnectReason": reason}
        event = {"headers": {k.title(): v for k, v in conn.headers.items()}, "requestContext": context,
                 "isBase64Encoded": False}
        dispatcher = getattr(self.registry, "dispatcher", None)
        work = lambda: self._run(conn, api, route, integrations, event)  # noqa: E731
        if dispatcher is not None:
            dispatcher.submit(work)
        else:
            work()


def _proxy_result(answer: bytes) -> tuple[int, bytes | None]:
    """A WebSocket Lambda answer: `{"statusCode", "body"}` or any JSON (the body as is)."""
    try:
        doc = json.loads(answer) if answer else None
    except ValueError:
        return 200, answer
    if isinstance(doc, dict) and "statusCode" in doc:
        try:
            status = int(doc["statusCode"])
        except (TypeError, ValueError):
            return 500, None
        body = doc.get("body")
        return status, (body if isinstance(body, str) else json.dumps(body)).encode() if body is not None else None
    return 200, answer if doc is not None else None
