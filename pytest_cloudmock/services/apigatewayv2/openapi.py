"""OpenAPI 3 import (ImportApi, ReimportApi) and export (ExportApi) of HTTP APIs, with
`x-amazon-apigateway-integration` (payloadFormatVersion) and `-cors` extensions."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ...api import AWSError, RequestContext
from ..apigateway.crud import Tables, new_id
from ..apigateway.openapi import parse_definition
from .control import APIS, AUTHORIZERS, INTEGRATIONS, ROUTES, STAGES, ControlOps

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method")


class OpenApiOps(ControlOps):
    """ImportApi, ReimportApi, ExportApi."""

    def import_api(self, ctx: RequestContext) -> dict[str, Any]:
        doc = parse_definition(ctx.params.get("Body"))
        info = doc.get("info") or {}
        with self.store.lock:
            state = self.state(ctx)
            params: dict[str, Any] = {"Name": info.get("title") or "imported", "ProtocolType": "HTTP"}
            if info.get("description"):
                params["Description"] = info["description"]
            if info.get("version"):
                params["Version"] = info["version"]
            if isinstance(doc.get("x-amazon-apigateway-cors"), dict):
                params["CorsConfiguration"] = _cors(doc["x-amazon-apigateway-cors"])
            api = self.new_api(ctx, state, params)
            self._load(state, api["ApiId"], doc)
            return self.crud.shaped(ctx, state.find(APIS, ())[api["ApiId"]], state)

    def reimport_api(self, ctx: RequestContext) -> dict[str, Any]:
        doc = parse_definition(ctx.params.get("Body"))
        api_id = ctx.params["ApiId"]
        with self.store.lock:
            state = self.state(ctx)
            api = self.api(state, api_id)
            for collection in (ROUTES, INTEGRATIONS, AUTHORIZERS):
                state.table(collection, (api_id,)).clear()
            info = doc.get("info") or {}
            if info.get("title"):
                api["Name"] = info["title"]
            self._load(state, api_id, doc)
            return self.crud.shaped(ctx, api, state)

    def _load(self, state: Tables, api_id: str, doc: dict[str, Any]) -> None:
        schemes = (doc.get("components") or {}).get("securitySchemes") or {}
        authorizers = {}
        for name, scheme in schemes.items():
            ext = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
            if not isinstance(ext, dict):
                continue
            auth_id = new_id(6)
            kind = "JWT" if str(ext.get("type", "")).lower() == "jwt" else "REQUEST"
            authorizer: dict[str, Any] = {"AuthorizerId": auth_id, "Name": name, "AuthorizerType": kind}
            if kind == "JWT":
                jwt = ext.get("jwtConfiguration") or {}
                authorizer["JwtConfiguration"] = {"Issuer": jwt.get("issuer"), "Audience": list(jwt.get("audience") or [])}
                authorizer["IdentitySource"] = [ext.get("identitySource", "$request.header.Authorization")]
            else:
                authorizer.update(AuthorizerUri=ext.get("authorizerUri", ""),
                                  AuthorizerPayloadFormatVersion=ext.get("authorizerPayloadFormatVersion", "2.0"),
                                  EnableSimpleResponses=bool(ext.get("enableSimpleResponses", False)),
                                  IdentitySource=[s.strip() for s in str(ext.get("identitySource", "")).split(",") if s.strip()])
            state.table(AUTHORIZERS, (api_id,))[auth_id] = authorizer
            authorizers[name] = (auth_id, kind)
        for path, item in (doc.get("paths") or {}).items():
            for verb, operation in (item or {}).items() if isinstance(item, dict) else []:
                if verb.lower() not in _METHODS or not isinstance(operation, dict):
                    continue
                method = "ANY" if verb.lower() == "x-amazon-apigateway-any-method" else verb.upper()
                route_id = new_id(7)
                # AWS writes the catch-all route as the path `/$default` with any method
                key = "$default" if path.strip("/") == "$default" else f"{method} {path}"
                route: dict[str, Any] = {"RouteId": route_id, "RouteKey": key,
                                         "AuthorizationType": "NONE", "ApiKeyRequired": False}
                for requirement in operation.get("security") or doc.get("security") or []:
                    for name, scopes in (requirement.items() if isinstance(requirement, dict) else []):
                        if name in authorizers:
                            route["AuthorizerId"], kind = authorizers[name]
                            route["AuthorizationType"] = "JWT" if kind == "JWT" else "CUSTOM"
                            if scopes:
                                route["AuthorizationScopes"] = list(scopes)
                ext = operation.get("x-amazon-apigateway-integration")
                if isinstance(ext, dict):
                    integration_id = new_id(7)
                    kind = str(ext.get("type", "aws_proxy")).upper()
                    state.table(INTEGRATIONS, (api_id,))[integration_id] = {
                        "IntegrationId": integration_id, "IntegrationType": kind, "ConnectionType": "INTERNET",
                        "IntegrationUri": ext.get("uri", ""), "IntegrationMethod": str(ext.get("httpMethod", "POST")).upper(),
                        "PayloadFormatVersion": str(ext.get("payloadFormatVersion", "2.0" if kind == "AWS_PROXY" else "1.0")),
                        "TimeoutInMillis": int(ext.get("timeoutInMillis", 30000))}
                    route["Target"] = f"integrations/{integration_id}"
                state.table(ROUTES, (api_id,))[route_id] = route

    def export_api(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p["Specification"] != "OAS30":
            raise AWSError("BadRequestException", f"Unsupported specification {p['Specification']}", 400)
        with self.store.lock:
            state = self.state(ctx)
            api = self.api(state, p["ApiId"])
            if p.get("StageName"):
                self.stage(state, p["ApiId"], p["StageName"])
            integrations = state.find(INTEGRATIONS, (p["ApiId"],))
            paths: dict[str, Any] = {}
            for route in state.find(ROUTES, (p["ApiId"],)).values():
                method, _, path = route["RouteKey"].partition(" ")
                if route["RouteKey"] == "$default":
                    method, path = "ANY", "/$default"
                if not path:
                    continue
                operation: dict[str, Any] = {"responses": {"default": {"description": "Default response"}}}
                integration = integrations.get(str(route.get("Target", "")).removeprefix("integrations/"))
                if integration and p.get("IncludeExtensions", True):
                    operation["x-amazon-apigateway-integration"] = {
                        "type": integration["IntegrationType"].lower(), "uri": integration.get("IntegrationUri", ""),
                        "httpMethod": integration.get("IntegrationMethod", "POST"),
                        "payloadFormatVersion": integration.get("PayloadFormatVersion", "1.0"),
                        "connectionType": integration.get("ConnectionType", "INTERNET")}
                verb = "x-amazon-apigateway-any-method" if method == "ANY" else method.lower()
                paths.setdefault(path, {})[verb] = operation
            doc: dict[str, Any] = {"openapi": "3.0.1", "info": {"title": api["Name"], "version": api.get("Version")
                                                                  or api["CreatedDate"].strftime("%Y-%m-%d %H:%M:%S")},
                                   "paths": paths}
            if p.get("StageName") and p["StageName"] in state.find(STAGES, (p["ApiId"],)):
                doc["servers"] = [{"url": api["ApiEndpoint"] + ("" if p["StageName"] == "$default" else f"/{p['StageName']}")}]
        text = yaml.safe_dump(doc, sort_keys=False) if p["OutputType"] == "YAML" else json.dumps(doc, indent=2)
        return {"body": text.encode()}


def _cors(ext: dict[str, Any]) -> dict[str, Any]:
    names = {"allowOrigins": "AllowOrigins", "allowMethods": "AllowMethods", "allowHeaders": "AllowHeaders",
             "exposeHeaders": "ExposeHeaders", "maxAge": "MaxAge", "allowCredentials": "AllowCredentials"}
    return {names[k]: v for k, v in ext.items() if k in names}
