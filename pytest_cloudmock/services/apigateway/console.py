"""The console's test calls: `TestInvokeMethod` (the method's integration with the current,
undeployed configuration) and `TestInvokeAuthorizer`."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ...wire import WireRequest
from .invoke_rest import Call, RestInvokeOps
from .openapi import AUTHORIZERS
from .proxy import match_resource
from .rest import not_found


class ConsoleOps(RestInvokeOps):
    """TestInvokeMethod, TestInvokeAuthorizer."""

    def _test_request(self, ctx: RequestContext) -> WireRequest:
        p = ctx.params
        headers = dict(p.get("headers") or {})
        for name, values in (p.get("multiValueHeaders") or {}).items():
            if values:
                headers[name] = values[-1]
        return WireRequest.from_parts(p.get("httpMethod", "GET"), p.get("pathWithQueryString") or "/",
                                      headers, (p.get("body") or "").encode())

    def test_invoke_method(self, ctx: RequestContext) -> dict[str, Any]:
        """The method's integration called with the current (undeployed) configuration, no auth."""
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            api = dict(self.rest_api(state, p["restApiId"]))
            resource = self.resource(state, p["restApiId"], p["resourceId"])
            method = self.method(state, p)
            if "methodIntegration" not in method:
                raise not_found("Integration")
        request = self._test_request(ctx)
        stage = {"stageName": "test-invoke-stage", "variables": dict(p.get("stageVariables") or {})}
        path = request.path
        path_params = (match_resource({resource["id"]: resource}, path) or (resource, {}))[1]
        call = Call(request, ctx.account_id, ctx.region, p["restApiId"], api, stage, resource, method, path, path_params)
        call.context = self._context(ctx, call, "test-invoke-stage")
        started = ctx.clock.utcnow()
        response = self._integrate(ctx, call)
        body = response.body if isinstance(response.body, bytes) else b""
        headers = {k: (v if isinstance(v, str) else ",".join(v)) for k, v in response.headers.items()}
        return {"status": response.status or 200, "body": body.decode("utf-8", "replace"), "headers": headers,
                "multiValueHeaders": {k: [v] for k, v in headers.items()},
                "log": f"Execution log for request {ctx.request_id}\nMethod completed with status: {response.status}\n",
                "latency": int((ctx.clock.utcnow() - started).total_seconds() * 1000)}

    def test_invoke_authorizer(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            api = dict(self.rest_api(state, p["restApiId"]))
            authorizer = state.find(AUTHORIZERS, (p["restApiId"],)).get(p["authorizerId"])
            if authorizer is None:
                raise not_found("Authorizer")
            authorizer = dict(authorizer, authorizerResultTtlInSeconds=0)
        request = self._test_request(ctx)
        kind = "COGNITO_USER_POOLS" if authorizer.get("type") == "COGNITO_USER_POOLS" else "CUSTOM"
        resource = {"id": "test", "path": request.path}
        method = {"authorizationType": kind, "authorizerId": authorizer["id"]}
        stage = {"variables": dict(p.get("stageVariables") or {})}
        call = Call(request, ctx.account_id, ctx.region, p["restApiId"], api, stage, resource, method, request.path, {})
        call.context = self._context(ctx, call, "test-invoke-stage")
        decision = self._authorize(ctx, call, authorizer, "test-invoke-stage")
        out: dict[str, Any] = {"clientStatus": decision.status or 200, "log": "", "latency": 0}
        if decision.principal:
            out["principalId"] = decision.principal
        if decision.claims is not None:
            out["claims"] = {k: str(v) for k, v in decision.claims.items()}
        return out
