"""Deployed HTTP APIs answering HTTP: stages (`$default` at the root), route selection,
CORS, JWT and Lambda authorizers, Lambda proxy (payload 1.0 and 2.0) and HTTP proxy."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from ...api import RequestContext, Response
from ..apigateway import public
from ..apigateway.authorizers import Decision, check_jwt, run_lambda_authorizer
from ..apigateway.integrations import (
    IntegrationFailure,
    IntegrationTimeout,
    call_http,
    call_service,
    function_of,
    invoke_lambda,
)
from ..apigateway.invoking import InvokeSide
from ..apigateway.proxy import (
    epoch_ms,
    extended_id,
    gateway_of,
    is_text,
    match_path,
    proxy_answer,
)
from ..apigateway.throttle import take_token
from .control import APIS, AUTHORIZERS, INTEGRATIONS, ROUTES, STAGES
from .mapping import expand, map_request, map_response, request_lookup
from .openapi import OpenApiOps

#: `IntegrationSubtype` prefixes -> the service they call.
SUBTYPE_SERVICES = {"SQS": "sqs", "EventBridge": "events", "Kinesis": "kinesis", "StepFunctions": "stepfunctions",
                    "AppConfig": "appconfigdata"}
#: Mapped parameters that carry JSON documents rather than strings.
_STRUCTURED = {"MessageAttributes", "Entries", "MessageSystemAttributes", "Resources"}


def server_error() -> Response:
    return public.gateway_error(500, "Internal Server Error")


def unavailable() -> Response:
    # HTTP APIs answer an integration timeout with 503; the exact body text is not documented.
    return public.gateway_error(503, "Service Unavailable")


@dataclass
class HttpCall:
    """One request to a deployed HTTP API."""

    ctx: RequestContext
    account: str
    region: str
    api: dict[str, Any]
    stage: dict[str, Any]
    route: dict[str, Any]
    path: str  # below the stage
    raw_path: str  # as the client sent it (with a named stage's prefix)
    path_params: dict[str, str]
    authorizer: dict[str, Any] = field(default_factory=dict)

    @property
    def request(self) -> Any:
        return self.ctx.wire

    @property
    def variables(self) -> dict[str, str]:
        return dict(self.stage.get("StageVariables") or {})


def route_for(routes: list[dict[str, Any]], method: str, path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The route a request selects: the most specific path, a method before `ANY`, then `$default`."""
    best: tuple[tuple[Any, ...], dict[str, Any], dict[str, str]] | None = None
    for route in routes:
        verb, _, template = str(route.get("RouteKey", "")).partition(" ")
        if not template or verb not in (method, "ANY"):
            continue
        matched = match_path(template, path)
        if matched is None:
            continue
        rank = (matched[0], verb != "ANY")
        if best is None or rank > best[0]:
            best = (rank, route, matched[1])
    if best is not None:
        return best[1], best[2]
    default = next((r for r in routes if r.get("RouteKey") == "$default"), None)
    return (default, {}) if default is not None else None


class HttpInvokeOps(InvokeSide, OpenApiOps):
    """`serve_http`: what `apigateway`'s public endpoint hands over for v2 API ids."""

    apis_table = APIS

    def serve_http(self, ctx: RequestContext, target: public.Target) -> Response:
        response = self._serve_http(ctx, target)
        response.headers.setdefault("Apigw-Requestid", extended_id())
        return response

    def _serve_http(self, ctx: RequestContext, target: public.Target) -> Response:
        home = self.find_api(target.api_id)
        if home is None:
            return public.forbidden()
        account, region, state = home
        assert ctx.wire is not None
        with self.store.lock:
            api = dict(state.find(APIS, ())[target.api_id])
            if api["ProtocolType"] != "HTTP":
                return public.gateway_error(426, "Upgrade Required: connect with a WebSocket client at "
                                            + self.websocket_endpoint(target.api_id))
            stages = state.find(STAGES, (target.api_id,))
            name, below = public.split_stage(target.path)
            if name in stages and name != "$default":
                stage, path, prefix = stages[name], below, f"/{name}"
            elif "$default" in stages:
                stage, path, prefix = stages["$default"], target.path, ""
            else:
                return public.not_found()
            stage = dict(stage)
            if not stage.get("AutoDeploy") and not stage.get("DeploymentId"):
                return public.not_found()
            cors = api.get("CorsConfiguration") or {}
            origin = ctx.wire.headers.get("Origin", "")
            if cors and ctx.wire.method == "OPTIONS" and ctx.wire.headers.get("Access-Control-Request-Method"):
                return _preflight(cors, origin)
            routes = [dict(r) for r in state.find(ROUTES, (target.api_id,)).values()]
            selected = route_for(routes, ctx.wire.method.upper(), path)
            if selected is None:
                return _with_cors(public.not_found(), cors, origin)
            route, path_params = selected
            integration = dict(state.find(INTEGRATIONS, (target.api_id,)).get(
                str(route.get("Target", "")).removeprefix("integrations/")) or {})
            authorizer = dict(state.find(AUTHORIZERS, (target.api_id,)).get(route.get("AuthorizerId") or "") or {})
        settings = {**(stage.get("DefaultRouteSettings") or {}),
                    **((stage.get("RouteSettings") or {}).get(route.get("RouteKey", "")) or {})}
        throttle = {k: v for k, v in (("rateLimit", settings.get("ThrottlingRateLimit")),
                                      ("burstLimit", settings.get("ThrottlingBurstLimit"))) if v is not None}
        with self.store.lock:
            admitted = take_token(state.extra.setdefault("buckets", {}), (target.api_id, stage["StageName"],
                                  route.get("RouteKey")), throttle, ctx.clock.utcnow())
        if not admitted:
            return _with_cors(public.too_many_requests(), cors, origin)
        call = HttpCall(ctx, account, region, api, stage, route, path, prefix + path, path_params)
        decision = self._authorize(call, authorizer)
        if decision.status:
            answer = {401: public.unauthorized, 403: public.forbidden}.get(decision.status, server_error)()
            return _with_cors(answer, cors, origin)
        if not integration:
            return _with_cors(public.not_found(), cors, origin)
        return _with_cors(self._integrate(call, integration), cors, origin)

    # -- authorization ----------------------------------------------------------------------------
    def _identity(self, call: HttpCall, sources: list[str]) -> list[str | None]:
        values: list[str | None] = []
        for source in sources:
            found = re.match(r"^\$request\.(header|querystring)\.(.+)$", source.strip())
            if found and found[1] == "header":
                values.append(call.request.headers.get(found[2]))
            elif found:
                values.append(call.request.query_value(found[2]))
            elif source.startswith("$stageVariables."):
                values.append(call.variables.get(source.split(".", 1)[1]))
            elif source.startswith("$context."):
                values.append(str(self._context(call).get(source.split(".", 1)[1], "")) or None)
            else:
                values.append(None)
        return values

    def _authorize(self, call: HttpCall, authorizer: dict[str, Any]) -> Decision:
        kind = call.route.get("AuthorizationType", "NONE")
        if kind in ("NONE", "AWS_IAM") or not authorizer:
            return Decision()
        sources = authorizer.get("IdentitySource") or ["$request.header.Authorization"]
        values = self._identity(call, sources)
        if kind == "JWT":
            token = values[0] if values else None
            if not token:
                return Decision(401)
            config = authorizer.get("JwtConfiguration") or {}
            decision = check_jwt(self.jwks, token, gateway_of(call.ctx), call.ctx.clock.utcnow(),
                                 issuer=config.get("Issuer"), audiences=list(config.get("Audience") or []))
            wanted = call.route.get("AuthorizationScopes") or []
            if not decision.status and wanted and not set(wanted) & set(decision.scopes or []):
                return Decision(403)
            if not decision.status:
                call.authorizer = {"jwt": {"claims": decision.claims or {}, "scopes": decision.scopes}}
            return decision
        if any(not v for v in values):
            return Decision(401)
        arn = (f"arn:aws:execute-api:{call.region}:{call.account}:{call.api['ApiId']}/"
               f"{call.stage['StageName']}/{call.route['RouteKey'].replace(' ', '')}")
        version = authorizer.get("AuthorizerPayloadFormatVersion", "2.0")
        if version == "2.0":
            event = {**self._event_v2(call), "type": "REQUEST", "routeArn": arn, "identitySource": values}
        else:
            event = {**self._event_v1(call), "type": "REQUEST", "methodArn": arn,
                     "identitySource": ",".join(v or "" for v in values)}
        cache_key = (call.api["ApiId"], authorizer.get("AuthorizerId", ""), *[str(v) for v in values])
        now = call.ctx.clock.utcnow()
        decision = self.decisions.get(cache_key, now)
        if decision is None:
            decision = run_lambda_authorizer(self._as_owner(call), str(authorizer.get("AuthorizerUri", "")), event,
                                             arn, simple=bool(authorizer.get("EnableSimpleResponses")))
            # HTTP APIs cache only when the authorizer names a TTL (no default caching)
            self.decisions.put(cache_key, decision, now, int(authorizer.get("AuthorizerResultTtlInSeconds") or 0))
        if not decision.status:
            call.authorizer = {"lambda": dict(decision.context)} if version == "2.0" else {
                **decision.context, **({"principalId": decision.principal} if decision.principal else {})}
        return decision

    # -- events ---------------------------------------------------------------------------------
    def _context(self, call: HttpCall) -> dict[str, Any]:
        now = call.ctx.clock.utcnow()
        host = call.request.headers.get("Host", "").split(":")[0]
        return {"accountId": call.account, "apiId": call.api["ApiId"], "domainName": host,
                "domainPrefix": host.split(".")[0], "requestId": call.ctx.request_id,
                "routeKey": call.route["RouteKey"], "stage": call.stage["StageName"],
                "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": epoch_ms(now)}

    def _body(self, call: HttpCall) -> tuple[str | None, bool]:
        body = call.request.body
        if not body:
            return None, False
        if is_text(call.request.headers.get("Content-Type", ""), []):
            return body.decode("utf-8", "replace"), False
        return base64.b64encode(body).decode(), True

    def _event_v2(self, call: HttpCall) -> dict[str, Any]:
        """Lambda's payload format 2.0 event for an HTTP API."""
        headers: dict[str, str] = {}
        for name, value in call.request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
        query = {k: ",".join(v) for k, v in call.request.query.items()}
        context = self._context(call)
        event: dict[str, Any] = {
            "version": "2.0", "routeKey": call.route["RouteKey"], "rawPath": call.raw_path,
            "rawQueryString": urlencode([(k, v) for k, vs in call.request.query.items() for v in vs]),
            "headers": headers,
            "requestContext": {**context, "http": {"method": call.request.method, "path": call.raw_path,
                                                   "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                                                   "userAgent": headers.get("user-agent", "")}},
        }
        if cookies:
            event["cookies"] = cookies
        if query:
            event["queryStringParameters"] = query
        if call.path_params:
            event["pathParameters"] = dict(call.path_params)
        if call.variables:
            event["stageVariables"] = call.variables
        if call.authorizer:
            event["requestContext"]["authorizer"] = call.authorizer
        body, encoded = self._body(call)
        if body is not None:
            event["body"] = body
        event["isBase64Encoded"] = encoded
        return event

    def _event_v1(self, call: HttpCall) -> dict[str, Any]:
        """Lambda's payload format 1.0 event for an HTTP API."""
        headers: dict[str, str] = {}
        multi: dict[str, list[str]] = {}
        for name, value in call.request.headers.items():
            headers[name] = value
            multi.setdefault(name, []).append(value)
        now = call.ctx.clock.utcnow()
        context = self._context(call)
        body, encoded = self._body(call)
        template = call.route["RouteKey"].partition(" ")[2] or "$default"
        return {
            "version": "1.0", "resource": template, "path": call.raw_path, "httpMethod": call.request.method,
            "headers": headers, "multiValueHeaders": multi,
            "queryStringParameters": {k: v[-1] for k, v in call.request.query.items()} or None,
            "multiValueQueryStringParameters": {k: list(v) for k, v in call.request.query.items()} or None,
            "requestContext": {
                "accountId": call.account, "apiId": call.api["ApiId"], "domainName": context["domainName"],
                "domainPrefix": context["domainPrefix"], "extendedRequestId": call.ctx.request_id,
                "httpMethod": call.request.method, "path": call.raw_path, "protocol": "HTTP/1.1",
                "requestId": call.ctx.request_id, "requestTime": context["time"], "requestTimeEpoch": epoch_ms(now),
                "resourceId": call.route["RouteKey"], "resourcePath": template, "stage": call.stage["StageName"],
                "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("User-Agent", "")},
                **({"authorizer": _v1_authorizer(call.authorizer)} if call.authorizer else {}),
            },
            "pathParameters": dict(call.path_params) or None, "stageVariables": call.variables or None,
            "body": body, "isBase64Encoded": encoded,
        }

    # -- integrations -------------------------------------------------------------------------------
    def _as_owner(self, call: HttpCall) -> RequestContext:
        return dataclasses.replace(call.ctx, account_id=call.account, region=call.region, deferred=[],
                                   request_id=str(uuid.uuid4()), endpoint=gateway_of(call.ctx))

    def _integrate(self, call: HttpCall, integration: dict[str, Any]) -> Response:
        response = self._call_integration(call, integration)
        if integration.get("ResponseParameters") and not response.headers.get("x-amzn-ErrorType"):
            response = map_response(integration["ResponseParameters"], response, self._context(call), call.variables)
        return response

    def _call_integration(self, call: HttpCall, integration: dict[str, Any]) -> Response:
        timeout = int(integration.get("TimeoutInMillis", 30000)) / 1000
        kind = integration.get("IntegrationType")
        try:
            if kind == "AWS_PROXY" and integration.get("IntegrationSubtype"):
                return self._service_action(call, integration, timeout)
            if kind == "AWS_PROXY":
                function = function_of(integration.get("IntegrationUri", ""))
                if function is None:
                    return server_error()
                version = integration.get("PayloadFormatVersion", "2.0")
                event = self._event_v2(call) if version == "2.0" else self._event_v1(call)
                answer, failed = invoke_lambda(self._as_owner(call), function, json.dumps(event).encode(), timeout)
                if failed:
                    return server_error()
                return (lambda_answer_v2(answer) if version == "2.0" else proxy_answer(answer)) or server_error()
            if kind == "HTTP_PROXY":
                return self._http_proxy(call, integration, timeout)
            if kind == "MOCK":
                return Response(body=b"", status=200)
        except IntegrationTimeout:
            return unavailable()
        except IntegrationFailure:
            return server_error()
        return server_error()

    def _service_action(self, call: HttpCall, integration: dict[str, Any], timeout: float) -> Response:
        """An AWS service integration (`IntegrationSubtype` `SQS-SendMessage`, `EventBridge-PutEvents`,
        ...): the action through the registry, its parameters the mapped `RequestParameters`."""
        service, _, action = str(integration["IntegrationSubtype"]).partition("-")
        name = SUBTYPE_SERVICES.get(service)
        if name is None or not action:
            return server_error()
        lookup = request_lookup(call.request.headers, call.request.query, call.raw_path, call.path_params,
                                call.request.body, self._context(call), call.variables)
        params: dict[str, Any] = {}
        for key, value in (integration.get("RequestParameters") or {}).items():
            text = expand(str(value), lookup)
            try:
                params[key] = json.loads(text) if key in _STRUCTURED and text[:1] in "[{" else text
            except ValueError:
                params[key] = text
        if name == "events" and "Entries" not in params:
            params = {"Entries": [params]}
        body = json.dumps(params).encode()
        status, answer = call_service(self._as_owner(call), f"arn:aws:apigateway:{call.region}:{name}:action/{action}",
                                      body, timeout)
        return Response(body=answer, status=status, headers={"Content-Type": "application/json"})

    def _http_proxy(self, call: HttpCall, integration: dict[str, Any], timeout: float) -> Response:
        uri = str(integration.get("IntegrationUri", ""))
        uri = re.sub(r"\$\{stageVariables\.([\w-]+)\}", lambda m: call.variables.get(m[1], ""), uri)
        uri = re.sub(r"\{([\w+-]+)\}", lambda m: call.path_params.get(m[1].rstrip("+"), m[0]), uri)
        headers = {k: v for k, v in call.request.headers.items()}
        query = [(k, v) for k, vs in call.request.query.items() for v in vs]
        if integration.get("RequestParameters"):
            lookup = request_lookup(call.request.headers, call.request.query, call.raw_path, call.path_params,
                                    call.request.body, self._context(call), call.variables)
            parts = urlsplit(uri)
            headers, query, path = map_request(integration["RequestParameters"], lookup, headers, query,
                                               parts.path or "/")
            uri = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        if query:
            uri += ("&" if "?" in uri else "?") + urlencode(query)
        method = integration.get("IntegrationMethod", "ANY")
        method = call.request.method if method == "ANY" else method
        status, out_headers, body = call_http(method, uri, headers, call.request.body, timeout)
        drop = {"content-length", "transfer-encoding", "connection", "date", "server"}
        return Response(body=body, status=status, headers={k: v for k, v in out_headers.items() if k.lower() not in drop})


def lambda_answer_v2(answer: bytes) -> Response | None:
    """A payload 2.0 answer: a dict with `statusCode` is the response; anything else valid JSON
    is a 200 `application/json` body (AWS's inference rules); None when not JSON."""
    try:
        doc = json.loads(answer) if answer else ""
    except ValueError:
        return None
    if not isinstance(doc, dict) or "statusCode" not in doc:
        return Response(body=(doc if isinstance(doc, str) else json.dumps(doc)).encode(), status=200,
                        headers={"Content-Type": "application/json"})
    headers: dict[str, Any] = {str(k): str(v) for k, v in (doc.get("headers") or {}).items()}
    headers.setdefault("Content-Type", "application/json")
    if doc.get("cookies"):
        headers["Set-Cookie"] = [str(c) for c in doc["cookies"]]
    body = doc.get("body", "")
    if not isinstance(body, str):
        body = json.dumps(body)
    try:
        data = base64.b64decode(body) if doc.get("isBase64Encoded") else body.encode()
        status = int(doc["statusCode"])
    except (ValueError, TypeError):
        return None
    return Response(body=data, status=status, headers=headers)


def _v1_authorizer(authorizer: dict[str, Any]) -> dict[str, Any]:
    jwt = authorizer.get("jwt")
    return {"claims": jwt.get("claims"), "scopes": jwt.get("scopes")} if isinstance(jwt, dict) else authorizer


def _allowed_origin(cors: dict[str, Any], origin: str) -> str | None:
    allowed = cors.get("AllowOrigins") or []
    if not origin:
        return None
    if origin in allowed:
        return origin
    return "*" if "*" in allowed else None


def _preflight(cors: dict[str, Any], origin: str) -> Response:
    """HTTP APIs answer CORS preflight requests themselves when CORS is configured."""
    headers: dict[str, str] = {}
    allowed = _allowed_origin(cors, origin)
    if allowed:
        headers["Access-Control-Allow-Origin"] = allowed
        if cors.get("AllowMethods"):
            headers["Access-Control-Allow-Methods"] = ",".join(cors["AllowMethods"])
        if cors.get("AllowHeaders"):
            headers["Access-Control-Allow-Headers"] = ",".join(cors["AllowHeaders"])
        if cors.get("MaxAge") is not None:
            headers["Access-Control-Max-Age"] = str(cors["MaxAge"])
        if cors.get("AllowCredentials"):
            headers["Access-Control-Allow-Credentials"] = "true"
    return Response(body=b"", status=204, headers=headers)


def _with_cors(response: Response, cors: dict[str, Any], origin: str) -> Response:
    allowed = _allowed_origin(cors, origin) if cors else None
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = allowed
        if cors.get("AllowCredentials"):
            response.headers["Access-Control-Allow-Credentials"] = "true"
        if cors.get("ExposeHeaders"):
            response.headers["Access-Control-Expose-Headers"] = ",".join(cors["ExposeHeaders"])
    return response

