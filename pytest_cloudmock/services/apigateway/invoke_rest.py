"""Deployed REST APIs answering HTTP: resource matching, authorizers, API keys and usage plans,
then the integration (Lambda proxy and custom, HTTP and HTTP proxy, MOCK, AWS services)
with request and response mapping templates."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ...api import RequestContext, Response
from ...wire import WireRequest
from . import public
from .authorizers import Decision, check_jwt, method_arn, run_lambda_authorizer
from .crud import Tables
from .gateway_responses import RESPONSES, GatewayResponseOps
from .integrations import (
    IntegrationFailure,
    IntegrationTimeout,
    call_http,
    call_service,
    function_of,
    invoke_lambda,
)
from .invoking import InvokeSide
from .openapi import AUTHORIZERS, MODELS, VALIDATORS, OpenApiOps
from .proxy import epoch_ms, extended_id, gateway_of, is_text, match_resource, proxy_answer
from .rest import APIS
from .stages import method_throttle
from .throttle import take_token
from .validation import missing_parameters, schema_errors
from .vtl import TemplateError, json_path, render


@dataclass
class Call:
    """One HTTP request to a deployed REST API, as the integration sees it."""

    request: WireRequest
    account: str
    region: str
    api_id: str
    api: dict[str, Any]
    stage: dict[str, Any]
    resource: dict[str, Any]
    method: dict[str, Any]
    path: str
    path_params: dict[str, str]
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {k: v for k, v in self.request.headers.items()}

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in self.request.query.items() if v}

    def params(self) -> dict[str, dict[str, str]]:
        return {"path": dict(self.path_params), "querystring": self.query, "header": self.headers}

    @property
    def variables(self) -> dict[str, str]:
        return dict(self.stage.get("variables") or {})


class RestInvokeOps(InvokeSide, OpenApiOps, GatewayResponseOps):
    """`InvokeApi`: the HTTP face of REST APIs (and the hand-off to HTTP/WebSocket APIs)."""

    apis_table = APIS

    def invoke_api(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        target = public.target_of(ctx.wire)
        if target is None:
            return public.missing_token()
        home = self.find_api(target.api_id)
        if home is None:
            v2 = ctx.registry.get("apigatewayv2") if ctx.registry is not None else None
            serve = getattr(v2, "serve_http", None)
            if serve is not None:
                return serve(ctx, target)
            return public.forbidden()
        return self.serve_rest(ctx, target, *home)

    def serve_rest(self, ctx: RequestContext, target: public.Target, account: str, region: str,
                   state: Tables) -> Response:
        """One request to a deployed REST API; API Gateway's own errors shaped by its gateway responses."""
        context: dict[str, Any] = {}
        response = self._serve_rest(ctx, target, account, region, state, context)
        if response.headers.get("x-amzn-ErrorType") and response.status >= 400:
            with self.store.lock:
                responses = {k: dict(v) for k, v in state.find(RESPONSES, (target.api_id,)).items()}
            if responses:
                assert ctx.wire is not None
                response = self.shape_error(responses, response, context, ctx.wire.headers)
        response.headers.setdefault("x-amz-apigw-id", extended_id())
        return response

    def _serve_rest(self, ctx: RequestContext, target: public.Target, account: str, region: str,
                    state: Tables, context: dict[str, Any]) -> Response:
        stage_name, path = public.split_stage(target.path)
        with self.store.lock:
            api = dict(state.find(APIS, ()).get(target.api_id) or {})
            deployed = self.deployed_resources(state, target.api_id, stage_name)
            if deployed is None:
                return public.forbidden()  # AWS answers an unknown stage with 403 Forbidden
            stage, resources = deployed
            matched = match_resource(resources, path)
            if matched is None:
                return public.missing_token()
            resource, path_params = matched
            methods = resource.get("resourceMethods") or {}
            method = methods.get(ctx.wire.method.upper()) or methods.get("ANY")  # type: ignore[union-attr]
            if method is None or "methodIntegration" not in method:
                return public.missing_token()
            authorizer = (state.find(AUTHORIZERS, (target.api_id,)).get(method.get("authorizerId", ""))
                          if method.get("authorizerId") else None)
            throttle = method_throttle(stage, resource["path"], method["httpMethod"])
            bucket = ("stage", target.api_id, stage_name, resource["path"], method["httpMethod"])
            if not take_token(state.extra.setdefault("buckets", {}), bucket, throttle, ctx.clock.utcnow()):
                return public.too_many_requests()
        assert ctx.wire is not None
        call = Call(ctx.wire, account, region, target.api_id, api, stage, resource, method, path, path_params)
        call.context = self._context(ctx, call, stage_name)
        context.update(call.context)
        decision = self._authorize(ctx, call, authorizer, stage_name)
        if decision.status:
            return {401: public.unauthorized, 403: public.explicit_deny
                    if method.get("authorizationType") == "CUSTOM" else public.forbidden}.get(
                decision.status, lambda: public.gateway_error(500, None, "AuthorizerConfigurationException"))()
        if decision.principal or decision.context or decision.claims:
            authorizer_context: dict[str, Any] = dict(decision.context)
            if decision.principal:
                authorizer_context["principalId"] = decision.principal
            if decision.claims is not None:
                authorizer_context["claims"] = {k: v if isinstance(v, str) else json.dumps(v)
                                                for k, v in decision.claims.items()}
            call.context["authorizer"] = authorizer_context
        key = decision.usage_key if api.get("apiKeySource") == "AUTHORIZER" else ctx.wire.headers.get("x-api-key")
        with self.store.lock:
            verdict = self.admit(state, target.api_id, stage_name, key, ctx.clock.utcnow(),
                                 bool(method.get("apiKeyRequired")))
        if verdict:
            return {"forbidden": public.forbidden, "throttled": public.too_many_requests,
                    "quota": public.limit_exceeded}[verdict]()
        if key and method.get("apiKeyRequired"):
            call.context["identity"]["apiKey"] = key
        invalid = self._validate(state, call)
        return invalid or self._integrate(ctx, call)

    def _validate(self, state: Tables, call: Call) -> Response | None:
        """The method's request validator: 400 for missing parameters or a body off its model."""
        validator_id = call.method.get("requestValidatorId")
        with self.store.lock:
            validator = dict(state.find(VALIDATORS, (call.api_id,)).get(validator_id or "") or {})
            content_type = (call.request.headers.get("Content-Type") or "application/json").split(";")[0].strip()
            models = call.method.get("requestModels") or {}
            model_name = models.get(content_type) or models.get("$default")
            model = dict(state.find(MODELS, (call.api_id,)).get(model_name or "") or {})
        if not validator:
            return None
        if validator.get("validateRequestParameters"):
            missing = missing_parameters(call.method, call.request.headers, call.query, call.path_params)
            if missing:
                return public.gateway_error(400, f"Missing required request parameters: [{', '.join(missing)}]",
                                            "BadRequestException")
        if validator.get("validateRequestBody") and model.get("schema"):
            try:
                schema = json.loads(model["schema"])
                body = json.loads(call.request.body or b"null")
            except ValueError:
                return public.gateway_error(400, "Invalid request body", "BadRequestException")
            if isinstance(schema, dict) and schema_errors(schema, body):
                return public.gateway_error(400, "Invalid request body", "BadRequestException")
        return None

    # -- context -------------------------------------------------------------------------------
    def _context(self, ctx: RequestContext, call: Call, stage_name: str) -> dict[str, Any]:
        now = ctx.clock.utcnow()
        headers = {k.lower(): v for k, v in call.request.headers.items()}
        host = headers.get("host", "").split(":")[0]
        return {
            "accountId": call.account, "apiId": call.api_id, "domainName": host,
            "domainPrefix": host.split(".")[0], "extendedRequestId": ctx.request_id,
            "httpMethod": call.request.method, "path": f"/{stage_name}{call.path}" if call.path != "/" else f"/{stage_name}/",
            "protocol": "HTTP/1.1", "requestId": ctx.request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": epoch_ms(now),
            "resourceId": call.resource["id"], "resourcePath": call.resource["path"], "stage": stage_name,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent", ""),
                         "accountId": None, "caller": None, "user": None, "userArn": None,
                         "cognitoIdentityId": None, "cognitoIdentityPoolId": None, "apiKey": None,
                         "accessKey": None, "principalOrgId": None, "cognitoAuthenticationType": None,
                         "cognitoAuthenticationProvider": None},
        }

    # -- authorization -------------------------------------------------------------------------
    def _authorize(self, ctx: RequestContext, call: Call, authorizer: dict[str, Any] | None,
                   stage_name: str) -> Decision:
        kind = call.method.get("authorizationType", "NONE")
        if kind in ("NONE", "AWS_IAM") or authorizer is None:
            return Decision()
        arn = method_arn(call.region, call.account, call.api_id, stage_name, call.request.method, call.path)
        sources = [s.strip() for s in str(authorizer.get("identitySource") or
                                          "method.request.header.Authorization").split(",") if s.strip()]
        values = [self._source_value(call, s) for s in sources]
        if kind == "COGNITO_USER_POOLS":
            token = values[0] if values else None
            if not token:
                return Decision(401)
            pools = [str(a).rsplit("/", 1)[-1] for a in authorizer.get("providerARNs") or []]
            decision = check_jwt(self.jwks, token, gateway_of(ctx), ctx.clock.utcnow(), pools=pools)
            wanted = call.method.get("authorizationScopes") or []
            if not decision.status and wanted and not set(wanted) & set(decision.scopes or []):
                return Decision(401)  # scopes set: an access token with one of them (an id token has none)
            return decision
        if any(v is None or v == "" for v in values):
            return Decision(401)
        expression = authorizer.get("identityValidationExpression")
        if authorizer.get("type") == "TOKEN" and expression and not re.fullmatch(expression, values[0] or ""):
            return Decision(401)
        cache_key = (call.api_id, authorizer["id"], *[str(v) for v in values])
        now = ctx.clock.utcnow()
        cached = self.decisions.get(cache_key, now)
        if cached is not None:
            return cached
        if authorizer.get("type") == "TOKEN":
            event: dict[str, Any] = {"type": "TOKEN", "authorizationToken": values[0], "methodArn": arn}
        else:
            event = {"type": "REQUEST", "methodArn": arn, **self._proxy_event(call, include_body=False)}
        account_ctx = _as_account(ctx, call)
        decision = run_lambda_authorizer(account_ctx, str(authorizer.get("authorizerUri", "")), event, arn)
        self.decisions.put(cache_key, decision, now, int(authorizer.get("authorizerResultTtlInSeconds", 300) or 0))
        return decision

    @staticmethod
    def _source_value(call: Call, source: str) -> str | None:
        found = re.match(r"^method\.request\.(header|querystring|path)\.(.+)$", source)
        if found:
            where, name = found[1], found[2]
            if where == "header":
                return call.request.headers.get(name)
            return call.query.get(name) if where == "querystring" else call.path_params.get(name)
        if source.startswith("stageVariables."):
            return call.variables.get(source.split(".", 1)[1])
        if source.startswith("context."):
            return str(call.context.get(source.split(".", 1)[1], "")) or None
        return None

    # -- integrations ----------------------------------------------------------------------------
    def _integrate(self, ctx: RequestContext, call: Call) -> Response:
        integration = call.method["methodIntegration"]
        kind = integration.get("type", "MOCK")
        timeout = int(integration.get("timeoutInMillis", 29000)) / 1000
        account_ctx = _as_account(ctx, call)
        try:
            if kind == "AWS_PROXY":
                return self._lambda_proxy(account_ctx, call, integration, timeout)
            if kind == "HTTP_PROXY":
                return self._http_proxy(call, integration, timeout)
            return self._custom(account_ctx, call, integration, kind, timeout)
        except IntegrationTimeout:
            return public.timed_out()
        except IntegrationFailure:
            return public.gateway_error(500, "Internal server error", "InternalServerErrorException")
        except TemplateError:
            return public.gateway_error(500, "Internal server error", "InternalServerErrorException")

    def _proxy_event(self, call: Call, *, include_body: bool = True) -> dict[str, Any]:
        """Lambda proxy integration's event (REST API, payload format 1.0)."""
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in call.request.headers.items():
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query = {k: v[-1] for k, v in call.request.query.items()}
        event: dict[str, Any] = {
            "resource": call.resource["path"], "path": call.path, "httpMethod": call.request.method,
            "headers": headers or None, "multiValueHeaders": multi_headers or None,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: list(v) for k, v in call.request.query.items()} or None,
            "pathParameters": dict(call.path_params) or None, "stageVariables": call.variables or None,
            "requestContext": {**call.context, "resourcePath": call.resource["path"]},
        }
        if include_body:
            body = call.request.body
            content_type = call.request.headers.get("Content-Type", "")
            text = is_text(content_type, call.api.get("binaryMediaTypes") or [])
            event["body"] = (body.decode("utf-8", "replace") if text else base64.b64encode(body).decode()) if body else None
            event["isBase64Encoded"] = bool(body) and not text
        return event

    def _lambda_proxy(self, ctx: RequestContext, call: Call, integration: dict[str, Any], timeout: float) -> Response:
        function = function_of(_substitute(integration.get("uri", ""), call))
        if function is None:
            raise IntegrationFailure("not a Lambda integration")
        answer, failed = invoke_lambda(ctx, function, json.dumps(self._proxy_event(call)).encode(), timeout)
        if failed:
            return public.internal_error()
        return proxy_answer(answer) or public.internal_error()

    def _http_proxy(self, call: Call, integration: dict[str, Any], timeout: float) -> Response:
        url = _substitute(integration.get("uri", ""), call)
        if call.request.query:
            url += ("&" if "?" in url else "?") + urlencode([(k, v) for k, vs in call.request.query.items() for v in vs])
        method = integration.get("httpMethod", "ANY")
        method = call.request.method if method == "ANY" else method
        status, headers, body = call_http(method, url, call.headers, call.request.body, timeout)
        drop = {"content-length", "transfer-encoding", "connection", "date", "server"}
        return Response(body=body, status=status, headers={k: v for k, v in headers.items() if k.lower() not in drop})

    def _custom(self, ctx: RequestContext, call: Call, integration: dict[str, Any], kind: str,
                timeout: float) -> Response:
        """AWS (Lambda or a service action), HTTP and MOCK: mapping templates both ways."""
        content_type = (call.request.headers.get("Content-Type") or "application/json").split(";")[0].strip()
        templates = integration.get("requestTemplates") or {}
        template = templates.get(content_type)
        behaviour = integration.get("passthroughBehavior", "WHEN_NO_MATCH")
        if template is None and (behaviour == "NEVER" or (behaviour == "WHEN_NO_TEMPLATES" and templates)):
            return public.gateway_error(415, "Unsupported Media Type", "UnsupportedMediaTypeException")
        body = call.request.body
        if template is not None:
            body = render(template, body, call.params(), call.context, call.variables)
        out_headers: dict[str, str] = {}
        if kind == "MOCK":
            try:
                status_doc = json.loads(body or b"{}") if template is not None else {"statusCode": 200}
            except ValueError:
                status_doc = {}
            status = status_doc.get("statusCode") if isinstance(status_doc, dict) else None
            if not isinstance(status, int):
                return public.gateway_error(500, "Internal server error", "InternalServerErrorException")
            selector, out_body = str(status), b""
        elif kind == "AWS" and function_of(integration.get("uri", "")) is not None:
            answer, failed = invoke_lambda(ctx, function_of(integration["uri"]) or "", body or b"{}", timeout)
            out_body = answer
            selector = ""
            if failed:
                try:
                    selector = str(json.loads(answer).get("errorMessage", ""))
                except (ValueError, AttributeError):
                    selector = answer.decode("utf-8", "replace")
        elif kind == "AWS":
            status, out_body = call_service(ctx, _substitute(integration.get("uri", ""), call), body, timeout)
            selector = str(status)
        else:  # HTTP
            url = _substitute(integration.get("uri", ""), call)
            query = self._mapped(integration, call, "querystring")
            if query:
                url += ("&" if "?" in url else "?") + urlencode(query)
            headers = {"Content-Type": content_type, **self._mapped(integration, call, "header")}
            status, out_headers, out_body = call_http(integration.get("httpMethod", "GET"), url, headers, body, timeout)
            selector = str(status)
        return self._respond(call, integration, selector, out_body, out_headers, kind)

    def _mapped(self, integration: dict[str, Any], call: Call, where: str) -> dict[str, str]:
        """`integration.request.<where>.<name>` values from `requestParameters`."""
        out = {}
        for target, source in (integration.get("requestParameters") or {}).items():
            prefix = f"integration.request.{where}."
            if target.startswith(prefix):
                value = _parameter(str(source), call)
                if value is not None:
                    out[target[len(prefix):]] = value
        return out

    def _respond(self, call: Call, integration: dict[str, Any], selector: str, body: bytes,
                              headers: dict[str, str], kind: str) -> Response:
        responses = list((integration.get("integrationResponses") or {}).values())
        chosen = None
        for response in responses:
            pattern = response.get("selectionPattern")
            if pattern and re.fullmatch(pattern, selector, flags=re.DOTALL):
                chosen = response
                break
        if chosen is None:
            chosen = next((r for r in responses if not r.get("selectionPattern")), None)
        if chosen is None:
            # "No match for output mapping and no default output mapping configured" (execution log)
            return public.gateway_error(500, "Internal server error", "InternalServerErrorException")
        templates = chosen.get("responseTemplates") or {}
        content_type = "application/json"
        template = templates.get(content_type)
        if template is None and templates:
            content_type, template = next(iter(templates.items()))
        if template:
            body = render(template, body, call.params(), call.context, call.variables)
        out = {"Content-Type": content_type}
        lower = {k.lower(): v for k, v in headers.items()}
        for name, source in (chosen.get("responseParameters") or {}).items():
            if not name.startswith("method.response.header."):
                continue
            source = str(source)
            if source.startswith("integration.response.header."):
                value = lower.get(source.rsplit(".", 1)[-1].lower())
            elif source.startswith("integration.response.body"):
                try:
                    document = json.loads(body or b"null")
                except ValueError:
                    document = None
                picked = json_path(document, "$" + source[len("integration.response.body"):])
                value = picked if isinstance(picked, str) else (json.dumps(picked) if picked is not None else None)
            else:
                value = _parameter(source, call)
            if value is not None:
                out[name[len("method.response.header."):]] = value
        return Response(body=body, status=int(chosen.get("statusCode", 200)), headers=out)


def _parameter(source: str, call: Call) -> str | None:
    """A mapping source: `'literal'`, `method.request.<where>.<name>`, `context.x`, `stageVariables.x`."""
    if len(source) >= 2 and source[0] == source[-1] == "'":
        return source[1:-1]
    found = re.match(r"^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$", source)
    if found:
        where, name = found[1], found[2]
        if where in ("header", "multivalueheader"):
            return call.request.headers.get(name)
        return call.query.get(name) if "querystring" in where else call.path_params.get(name)
    if source.startswith("stageVariables."):
        return call.variables.get(source.split(".", 1)[1])
    if source.startswith("context."):
        value: Any = call.context
        for part in source.split(".")[1:]:
            value = value.get(part) if isinstance(value, dict) else None
        return None if value is None else str(value)
    return None


def _substitute(uri: str, call: Call) -> str:
    """`${stageVariables.x}` and `{param}` (path parameters, or `integration.request.path` mappings)."""
    uri = re.sub(r"\$\{stageVariables\.([\w-]+)\}", lambda m: call.variables.get(m[1], ""), uri)
    mapped = {}
    for target, source in (call.method.get("methodIntegration", {}).get("requestParameters") or {}).items():
        if target.startswith("integration.request.path."):
            value = _parameter(str(source), call)
            if value is not None:
                mapped[target.rsplit(".", 1)[-1]] = value

    def label(match: re.Match[str]) -> str:
        name = match[1].rstrip("+")
        return mapped.get(name, call.path_params.get(name, match[0]))

    return re.sub(r"\{([\w+-]+)\}", label, uri)


def _as_account(ctx: RequestContext, call: Call) -> RequestContext:
    """The request context as the API's owner (integrations run in the API's account), with the
    gateway's 127.0.0.1 address for what they call back (a host-form Host may not resolve)."""
    return dataclasses.replace(ctx, account_id=call.account, region=call.region, deferred=[],
                               request_id=str(uuid.uuid4()), endpoint=gateway_of(ctx))
