"""OpenAPI 3 and Swagger 2 import (ImportRestApi, PutRestApi) and export (GetExport),
with API Gateway's extensions (`x-amazon-apigateway-integration`, `-authorizer`,
`-api-key-source`, `-binary-media-types`)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ...api import AWSError, RequestContext
from .crud import Tables, new_id
from .misc import MiscOps
from .rest import APIS, RESOURCES

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method")
AUTHORIZERS = "/restapis/{}/authorizers"
MODELS = "/restapis/{}/models"
VALIDATORS = "/restapis/{}/requestvalidators"
_WHERE = {"query": "querystring", "header": "header", "path": "path"}


def parse_definition(body: Any) -> dict[str, Any]:
    """An OpenAPI/Swagger document from JSON or YAML bytes; BadRequestException otherwise."""
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body or "")
    try:
        doc = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        doc = None
    if not isinstance(doc, dict) or not ("openapi" in doc or "swagger" in doc):
        raise AWSError("BadRequestException",
                       "Invalid OpenAPI input. The definition is not valid OpenAPI 2.0 or 3.0 JSON or YAML.", 400)
    return doc


def _integration(ext: dict[str, Any], resource_id: str) -> dict[str, Any]:
    integration: dict[str, Any] = {
        "type": str(ext.get("type", "mock")).upper(), "passthroughBehavior": str(
            ext.get("passthroughBehavior", "when_no_match")).upper(),
        "timeoutInMillis": int(ext.get("timeoutInMillis", 29000)), "cacheNamespace": resource_id,
        "cacheKeyParameters": list(ext.get("cacheKeyParameters", [])), "integrationResponses": {},
    }
    for name in ("uri", "credentials", "requestParameters", "requestTemplates", "contentHandling",
                 "connectionType", "connectionId"):
        if name in ext:
            integration[name] = ext[name]
    if "httpMethod" in ext:
        integration["httpMethod"] = str(ext["httpMethod"]).upper()
    for pattern, response in (ext.get("responses") or {}).items():
        if not isinstance(response, dict):
            continue
        status = str(response.get("statusCode", "200"))
        entry: dict[str, Any] = {"statusCode": status}
        if pattern != "default":
            entry["selectionPattern"] = pattern
        for name in ("responseTemplates", "responseParameters", "contentHandling"):
            if name in response:
                entry[name] = response[name]
        integration["integrationResponses"][status] = entry
    return integration


class OpenApiOps(MiscOps):
    """ImportRestApi, PutRestApi, GetExport."""

    def import_rest_api(self, ctx: RequestContext) -> dict[str, Any]:
        doc = parse_definition(ctx.params.get("body"))
        with self.store.lock:
            state = self.state(ctx)
            info = doc.get("info") or {}
            params = {"name": info.get("title") or "imported", "description": info.get("description"),
                      "version": info.get("version"),
                      "apiKeySource": doc.get("x-amazon-apigateway-api-key-source", "HEADER"),
                      "binaryMediaTypes": doc.get("x-amazon-apigateway-binary-media-types")}
            endpoint = (ctx.params.get("parameters") or {}).get("endpointConfigurationTypes")
            if endpoint:
                params["endpointConfiguration"] = {"types": [endpoint]}
            api = self.new_rest_api(ctx, state, {k: v for k, v in params.items() if v is not None})
            self._load(ctx, state, api["id"], doc)
            return self.crud.shaped(ctx, state.find(APIS, ())[api["id"]], state)

    def put_rest_api(self, ctx: RequestContext) -> dict[str, Any]:
        doc = parse_definition(ctx.params.get("body"))
        api_id = ctx.params["restApiId"]
        with self.store.lock:
            state = self.state(ctx)
            api = self.rest_api(state, api_id)
            if ctx.params.get("mode", "merge") == "overwrite":
                resources = state.table(RESOURCES, (api_id,))
                root = resources[api["rootResourceId"]]
                resources.clear()
                resources[root["id"]] = {**root, "resourceMethods": {}}
                state.table(AUTHORIZERS, (api_id,)).clear()
                state.table(MODELS, (api_id,)).clear()
                state.table(VALIDATORS, (api_id,)).clear()
                info = doc.get("info") or {}
                api.update({k: v for k, v in (("name", info.get("title")), ("description", info.get("description")))
                            if v is not None})
            self._load(ctx, state, api_id, doc)
            return self.crud.shaped(ctx, api, state)

    def _load(self, ctx: RequestContext, state: Tables, api_id: str, doc: dict[str, Any]) -> None:
        """Authorizers, models, resources, methods and integrations from a definition."""
        schemes = (doc.get("components") or {}).get("securitySchemes") or doc.get("securityDefinitions") or {}
        authorizer_ids = {}
        for name, scheme in schemes.items():
            ext = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
            if not isinstance(ext, dict):
                continue
            kind = str(ext.get("type", "token")).upper()
            auth_id = new_id()
            authorizer = {"id": auth_id, "name": name, "type": kind,
                          "identitySource": ext.get("identitySource") or f"method.request.header.{scheme.get('name', 'Authorization')}"}
            for src, dst in (("authorizerUri", "authorizerUri"), ("providerARNs", "providerARNs"),
                             ("authorizerResultTtlInSeconds", "authorizerResultTtlInSeconds"),
                             ("identityValidationExpression", "identityValidationExpression"),
                             ("authorizerCredentials", "authorizerCredentials")):
                if src in ext:
                    authorizer[dst] = ext[src]
            state.table(AUTHORIZERS, (api_id,))[auth_id] = authorizer
            authorizer_ids[name] = (auth_id, kind)
        schemas = (doc.get("components") or {}).get("schemas") or doc.get("definitions") or {}
        for name, schema in schemas.items():
            state.table(MODELS, (api_id,))[name] = {"id": new_id(), "name": name, "contentType": "application/json",
                                                   "schema": json.dumps(schema)}
        validators = {}
        for name, spec in (doc.get("x-amazon-apigateway-request-validators") or {}).items():
            validator_id = new_id()
            spec = spec if isinstance(spec, dict) else {}
            state.table(VALIDATORS, (api_id,))[validator_id] = {
                "id": validator_id, "name": name, "validateRequestBody": bool(spec.get("validateRequestBody")),
                "validateRequestParameters": bool(spec.get("validateRequestParameters"))}
            validators[name] = validator_id
        default_validator = doc.get("x-amazon-apigateway-request-validator")
        resources = state.table(RESOURCES, (api_id,))
        by_path = {r["path"]: r for r in resources.values()}
        default_security = doc.get("security") or []
        for path, item in (doc.get("paths") or {}).items():
            if not isinstance(item, dict):
                continue
            resource = self._ensure_path(resources, by_path, str(path))
            for verb, operation in item.items():
                if verb.lower() not in _METHODS or not isinstance(operation, dict):
                    continue
                http = "ANY" if verb.lower() == "x-amazon-apigateway-any-method" else verb.upper()
                method: dict[str, Any] = {"httpMethod": http, "authorizationType": "NONE",
                                          "apiKeyRequired": False, "methodResponses": {}}
                for requirement in operation.get("security", default_security) or []:
                    for name in requirement if isinstance(requirement, dict) else []:
                        if name in authorizer_ids:
                            method["authorizerId"], kind = authorizer_ids[name]
                            method["authorizationType"] = "COGNITO_USER_POOLS" if kind == "COGNITO_USER_POOLS" else "CUSTOM"
                        elif isinstance(schemes.get(name), dict) and schemes[name].get("in") == "header" \
                                and schemes[name].get("name", "").lower() == "x-api-key":
                            method["apiKeyRequired"] = True
                if operation.get("operationId"):
                    method["operationName"] = operation["operationId"]
                validator = operation.get("x-amazon-apigateway-request-validator", default_validator)
                if validator in validators:
                    method["requestValidatorId"] = validators[validator]
                _request_shape(method, [*(item.get("parameters") or []), *(operation.get("parameters") or [])],
                               operation.get("requestBody"))
                for status in (operation.get("responses") or {}):
                    if str(status).isdigit():
                        method["methodResponses"][str(status)] = {"statusCode": str(status)}
                ext = operation.get("x-amazon-apigateway-integration")
                if isinstance(ext, dict):
                    method["methodIntegration"] = _integration(ext, resource["id"])
                resource.setdefault("resourceMethods", {})[http] = method

    def _ensure_path(self, resources: dict[str, dict[str, Any]], by_path: dict[str, dict[str, Any]],
                     path: str) -> dict[str, Any]:
        """The resource at `path`, made with its missing ancestors."""
        current = by_path["/"]
        for part in [p for p in path.split("/") if p]:
            child_path = current["path"].rstrip("/") + "/" + part
            child = by_path.get(child_path)
            if child is None:
                child = self.add_resource(resources, current, part)
                by_path[child_path] = child
            current = child
        return current

    def get_export(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        kind = p["exportType"]
        if kind not in ("oas30", "swagger"):
            raise AWSError("BadRequestException", f"Invalid export type: {kind}", 400)
        with self.store.lock:
            state = self.state(ctx)
            api = self.rest_api(state, p["restApiId"])
            deployed = self.deployed_resources(state, p["restApiId"], p["stageName"])
            if deployed is None:
                raise AWSError("NotFoundException", "Invalid stage identifier specified", 404)
            _stage, resources = deployed
            extensions = (p.get("parameters") or {}).get("extensions", "")
            doc = _export(api, resources, state.find(MODELS, (p["restApiId"],)), kind, p["stageName"],
                          with_integrations=("integrations" in extensions or "apigateway" in extensions))
        if "yaml" in (p.get("accepts") or ""):
            return {"contentType": "application/yaml", "body": yaml.safe_dump(doc, sort_keys=False).encode(),
                    "contentDisposition": f'attachment; filename="{kind}_{p["restApiId"]}.yaml"'}
        return {"contentType": "application/json", "body": json.dumps(doc, indent=2).encode(),
                "contentDisposition": f'attachment; filename="{kind}_{p["restApiId"]}.json"'}


def _request_shape(method: dict[str, Any], parameters: list[Any], body: Any) -> None:
    """A method's request parameters (required or not) and body models, from its definition."""
    for parameter in parameters:
        if not isinstance(parameter, dict):
            continue
        where = _WHERE.get(str(parameter.get("in")))
        if where and parameter.get("name"):
            method.setdefault("requestParameters", {})[f"method.request.{where}.{parameter['name']}"] = bool(
                parameter.get("required"))
        elif parameter.get("in") == "body":  # Swagger 2
            model = _model_of(parameter.get("schema"))
            if model:
                method.setdefault("requestModels", {})["application/json"] = model
    content = body.get("content") if isinstance(body, dict) else None
    for content_type, media in (content or {}).items():
        model = _model_of(media.get("schema") if isinstance(media, dict) else None)
        if model:
            method.setdefault("requestModels", {})[content_type] = model


def _model_of(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return str(ref).rsplit("/", 1)[-1] if ref else None


def _export(api: dict[str, Any], resources: dict[str, Any], models: dict[str, Any], kind: str, stage: str,
            *, with_integrations: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for resource in sorted(resources.values(), key=lambda r: r["path"]):
        for http, method in (resource.get("resourceMethods") or {}).items():
            verb = "x-amazon-apigateway-any-method" if http == "ANY" else http.lower()
            operation: dict[str, Any] = {"responses": {s: {"description": f"{s} response"}
                                                       for s in method.get("methodResponses") or {}}}
            if method.get("operationName"):
                operation["operationId"] = method["operationName"]
            integration = method.get("methodIntegration")
            if with_integrations and integration:
                ext = {k: v for k, v in integration.items()
                       if k in ("uri", "httpMethod", "requestTemplates", "requestParameters", "passthroughBehavior",
                                "timeoutInMillis", "credentials", "contentHandling")}
                ext["type"] = integration["type"].lower()
                ext["passthroughBehavior"] = str(ext.get("passthroughBehavior", "WHEN_NO_MATCH")).lower()
                ext["responses"] = {r.get("selectionPattern") or "default": {
                    k: v for k, v in r.items() if k != "selectionPattern"}
                    for r in (integration.get("integrationResponses") or {}).values()}
                operation["x-amazon-apigateway-integration"] = ext
            paths.setdefault(resource["path"], {})[verb] = operation
    info = {"title": api.get("name", ""), "version": api.get("version") or str(api.get("createdDate", ""))}
    if api.get("description"):
        info["description"] = api["description"]
    schemas = {}
    for name, model in models.items():
        try:
            schemas[name] = json.loads(model.get("schema") or "{}")
        except ValueError:
            schemas[name] = {}
    if kind == "swagger":
        doc: dict[str, Any] = {"swagger": "2.0", "info": info, "basePath": f"/{stage}", "schemes": ["https"],
                               "paths": paths}
        if schemas:
            doc["definitions"] = schemas
        return doc
    doc = {"openapi": "3.0.1", "info": info, "servers": [{"url": f"/{stage}"}], "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    return doc
