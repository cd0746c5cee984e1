"""REST APIs and their resource tree: resources, methods, method responses, integrations
and integration responses (stored nested in the resource, as `GetResource` embeds them)."""

from __future__ import annotations

import copy
import re
from typing import Any

from ...api import AWSError, RequestContext
from .base import ApiGatewayBase
from .crud import Tables, new_id
from .patch import apply_patch

APIS = "/restapis"
RESOURCES = "/restapis/{}/resources"
_PATH_PART = re.compile(r"^(\{[A-Za-z0-9._-]+\+?\}|[A-Za-z0-9._:@~$&'()*,;=!-]+)$")


def bad_request(message: str) -> AWSError:
    return AWSError("BadRequestException", message, 400)


def not_found(what: str) -> AWSError:
    """API Gateway's 404 (`Invalid REST API identifier specified`, `Invalid Resource identifier
    specified`, as AWS answers; for other nouns the same pattern, AWS's exact text unverified)."""
    return AWSError("NotFoundException", f"Invalid {what} identifier specified", 404)


class RestApiOps(ApiGatewayBase):
    """CreateRestApi ... DeleteIntegrationResponse."""

    # -- lookups shared with invocation and deployments ---------------------------------------
    def rest_api(self, state: Tables, api_id: str) -> dict[str, Any]:
        api = state.find(APIS, ()).get(api_id)
        if api is None:
            raise not_found("REST API")
        return api

    def resources(self, state: Tables, api_id: str) -> dict[str, dict[str, Any]]:
        self.rest_api(state, api_id)
        return state.table(RESOURCES, (api_id,))

    def resource(self, state: Tables, api_id: str, resource_id: str) -> dict[str, Any]:
        found = self.resources(state, api_id).get(resource_id)
        if found is None:
            raise not_found("Resource")
        return found

    def method(self, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        resource = self.resource(state, params["restApiId"], params["resourceId"])
        found = resource.get("resourceMethods", {}).get(params["httpMethod"].upper())
        if found is None:
            raise not_found("Method")
        return found

    def integration(self, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        found = self.method(state, params).get("methodIntegration")
        if found is None:
            raise not_found("Integration")
        return found

    # -- REST APIs -------------------------------------------------------------------------------
    def create_rest_api(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            return self.new_rest_api(ctx, state, ctx.params)

    def new_rest_api(self, ctx: RequestContext, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        """A REST API with its root resource `/` (CreateRestApi, ImportRestApi)."""
        api_id, root_id = new_id(), new_id()
        endpoint = params.get("endpointConfiguration") or {"types": ["EDGE"]}
        item = {
            **{k: v for k, v in params.items() if k not in ("tags", "cloneFrom", "body", "parameters", "failOnWarnings")},
            "id": api_id, "createdDate": ctx.clock.utcnow(), "rootResourceId": root_id,
            "apiKeySource": params.get("apiKeySource") or "HEADER", "endpointConfiguration": endpoint,
            "disableExecuteApiEndpoint": bool(params.get("disableExecuteApiEndpoint", False)),
            "_arn": f"arn:{ctx.partition}:apigateway:{ctx.region}::/restapis/{api_id}",
        }
        state.table(APIS, ())[api_id] = item
        if params.get("tags"):
            state.tags[item["_arn"]] = dict(params["tags"])
        state.table(RESOURCES, (api_id,))[root_id] = {"id": root_id, "path": "/", "resourceMethods": {}}
        source = params.get("cloneFrom")
        if source and source in state.find(APIS, ()):
            self._clone_resources(state, source, api_id, root_id)
        return self.crud.shaped(ctx, item, state)

    def _clone_resources(self, state: Tables, source: str, target: str, root_id: str) -> None:
        old = state.find(RESOURCES, (source,))
        ids = {rid: (root_id if r["path"] == "/" else new_id()) for rid, r in old.items()}
        table = state.table(RESOURCES, (target,))
        for rid, resource in old.items():
            clone = copy.deepcopy(resource)
            clone["id"] = ids[rid]
            if "parentId" in clone:
                clone["parentId"] = ids[clone["parentId"]]
            table[clone["id"]] = clone

    # -- resources -------------------------------------------------------------------------------
    def create_resource(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            table = self.resources(state, p["restApiId"])
            parent = self.resource(state, p["restApiId"], p["parentId"])
            resource = self.add_resource(table, parent, p["pathPart"])
            return self.crud.shaped(ctx, resource)

    def add_resource(self, table: dict[str, dict[str, Any]], parent: dict[str, Any], part: str) -> dict[str, Any]:
        if not _PATH_PART.match(part):
            raise bad_request("Resource's path part only allow a-zA-Z0-9._- and curly braces at the "
                              "beginning and the end and an optional plus sign before the closing brace.")
        siblings = [r for r in table.values() if r.get("parentId") == parent["id"]]
        if any(r["pathPart"] == part for r in siblings):
            raise AWSError("ConflictException",
                           f"Another resource with the same parent already has this name: {part}", 409)
        variable = next((r["pathPart"] for r in siblings if r["pathPart"].startswith("{")), None)
        if part.startswith("{") and variable is not None:
            raise bad_request(f"A sibling ({variable}) of this resource already has a variable path part -- "
                              "only one is allowed")
        if parent.get("pathPart", "").endswith("+}"):
            raise bad_request("Cannot create a child of a resource with a greedy path variable")
        rid = new_id()
        path = parent["path"].rstrip("/") + "/" + part
        resource = {"id": rid, "parentId": parent["id"], "pathPart": part, "path": path, "resourceMethods": {}}
        table[rid] = resource
        return resource

    def get_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            resource = self.resource(self.state(ctx), ctx.params["restApiId"], ctx.params["resourceId"])
            return self.crud.shaped(ctx, _embedded(resource, True))

    def get_resources(self, ctx: RequestContext) -> dict[str, Any]:
        embed = "methods" in (ctx.params.get("embed") or [])
        with self.store.lock:
            state = self.state(ctx)
            rows = sorted(self.resources(state, ctx.params["restApiId"]).values(), key=lambda r: r["path"])
            return self.crud.list(ctx, state, (RESOURCES, ()), [_embedded(r, embed) for r in rows])

    def update_resource(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            table = self.resources(state, p["restApiId"])
            resource = self.resource(state, p["restApiId"], p["resourceId"])
            shape = ctx.operation_model.output_shape if ctx.operation_model else None
            apply_patch(resource, p.get("patchOperations") or [], shape)
            _repath(table)
            return self.crud.shaped(ctx, resource)

    def delete_resource(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            table = self.resources(state, p["restApiId"])
            resource = self.resource(state, p["restApiId"], p["resourceId"])
            if "parentId" not in resource:
                raise bad_request("Cannot delete the root resource")  # AWS's exact text unknown
            prefix = resource["path"] + "/"
            for rid in [rid for rid, r in table.items() if rid == resource["id"] or r["path"].startswith(prefix)]:
                del table[rid]
            return {}

    # -- methods and method responses -----------------------------------------------------------
    def put_method(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            resource = self.resource(state, p["restApiId"], p["resourceId"])
            kind = p["authorizationType"]
            if kind in ("CUSTOM", "COGNITO_USER_POOLS") and not p.get("authorizerId"):
                raise bad_request("Invalid authorizer ID specified. Setting the authorization type to "
                                  f"{kind} requires a valid authorizer.")
            if p.get("authorizerId") and p["authorizerId"] not in state.find("/restapis/{}/authorizers",
                                                                             (p["restApiId"],)):
                raise not_found("Authorizer")
            method = {k: v for k, v in p.items() if k not in ("restApiId", "resourceId")}
            method["httpMethod"] = p["httpMethod"].upper()
            method.setdefault("apiKeyRequired", False)
            method["methodResponses"] = {}
            resource.setdefault("resourceMethods", {})[method["httpMethod"]] = method
            return self.crud.shaped(ctx, method)

    def get_method(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self.crud.shaped(ctx, self.method(self.state(ctx), ctx.params))

    def update_method(self, ctx: RequestContext) -> dict[str, Any]:
        return self._patched(ctx, lambda state: self.method(state, ctx.params))

    def delete_method(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.method(state, p)
            del self.resource(state, p["restApiId"], p["resourceId"])["resourceMethods"][p["httpMethod"].upper()]
            return {}

    def put_method_response(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            method = self.method(self.state(ctx), p)
            response = {k: p[k] for k in ("statusCode", "responseParameters", "responseModels") if k in p}
            method.setdefault("methodResponses", {})[p["statusCode"]] = response
            return self.crud.shaped(ctx, response)

    def _method_response(self, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        found = self.method(state, params).get("methodResponses", {}).get(params["statusCode"])
        if found is None:
            raise not_found("Response status code")
        return found

    def get_method_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self.crud.shaped(ctx, self._method_response(self.state(ctx), ctx.params))

    def update_method_response(self, ctx: RequestContext) -> dict[str, Any]:
        return self._patched(ctx, lambda state: self._method_response(state, ctx.params))

    def delete_method_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            self._method_response(state, ctx.params)
            del self.method(state, ctx.params)["methodResponses"][ctx.params["statusCode"]]
            return {}

    # -- integrations and integration responses -------------------------------------------------
    def put_integration(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        kind = p["type"]
        if kind in ("HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY"):
            if not p.get("integrationHttpMethod"):
                raise bad_request("Enumeration value for HttpMethod must be non-empty")
            if not p.get("uri"):
                raise bad_request("Invalid HTTP endpoint specified for URI" if kind.startswith("HTTP")
                                  else "Invalid ARN specified in the request")
        if kind == "AWS_PROXY" and ":lambda:path/" not in p.get("uri", ""):
            raise bad_request("Integrations of type 'AWS_PROXY' currently only supports Lambda function "
                              "and Firehose stream invocations.")
        with self.store.lock:
            method = self.method(self.state(ctx), p)
            integration = {k: v for k, v in p.items()
                           if k not in ("restApiId", "resourceId", "httpMethod", "integrationHttpMethod")}
            if p.get("integrationHttpMethod"):
                integration["httpMethod"] = p["integrationHttpMethod"].upper()
            integration.setdefault("passthroughBehavior", "WHEN_NO_MATCH")
            integration.setdefault("timeoutInMillis", 29000)
            integration.setdefault("cacheNamespace", p["resourceId"])
            integration.setdefault("cacheKeyParameters", [])
            integration["integrationResponses"] = {}
            method["methodIntegration"] = integration
            return self.crud.shaped(ctx, integration)

    def get_integration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self.crud.shaped(ctx, self.integration(self.state(ctx), ctx.params))

    def update_integration(self, ctx: RequestContext) -> dict[str, Any]:
        return self._patched(ctx, lambda state: self.integration(state, ctx.params))

    def delete_integration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            self.integration(state, ctx.params)
            del self.method(state, ctx.params)["methodIntegration"]
            return {}

    def put_integration_response(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            integration = self.integration(state, p)
            if p["statusCode"] not in self.method(state, p).get("methodResponses", {}):
                raise not_found("Response status code")  # AWS: a method response must exist first
            response = {k: p[k] for k in ("statusCode", "selectionPattern", "responseParameters",
                                          "responseTemplates", "contentHandling") if k in p}
            integration.setdefault("integrationResponses", {})[p["statusCode"]] = response
            return self.crud.shaped(ctx, response)

    def _integration_response(self, state: Tables, params: dict[str, Any]) -> dict[str, Any]:
        found = self.integration(state, params).get("integrationResponses", {}).get(params["statusCode"])
        if found is None:
            raise not_found("Response status code")
        return found

    def get_integration_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self.crud.shaped(ctx, self._integration_response(self.state(ctx), ctx.params))

    def update_integration_response(self, ctx: RequestContext) -> dict[str, Any]:
        return self._patched(ctx, lambda state: self._integration_response(state, ctx.params))

    def delete_integration_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            self._integration_response(state, ctx.params)
            del self.integration(state, ctx.params)["integrationResponses"][ctx.params["statusCode"]]
            return {}

    def _patched(self, ctx: RequestContext, find: Any) -> dict[str, Any]:
        with self.store.lock:
            record = find(self.state(ctx))
            shape = ctx.operation_model.output_shape if ctx.operation_model else None
            apply_patch(record, ctx.params.get("patchOperations") or [], shape)
            return self.crud.shaped(ctx, record)


def _embedded(resource: dict[str, Any], methods: bool) -> dict[str, Any]:
    """A resource as GetResources lists it: methods embedded, or only their names."""
    if methods:
        return resource
    return {**resource, "resourceMethods": {m: {} for m in resource.get("resourceMethods", {})}}


def _repath(table: dict[str, dict[str, Any]]) -> None:
    """Recompute every resource's `path` from its parents (after a move or rename)."""
    def path_of(resource: dict[str, Any]) -> str:
        parent = table.get(resource.get("parentId", ""))
        if parent is None:
            return "/"
        return path_of(parent).rstrip("/") + "/" + resource["pathPart"]

    for resource in table.values():
        resource["path"] = path_of(resource)
