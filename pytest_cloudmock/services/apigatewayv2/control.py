"""API Gateway v2's control plane: HTTP and WebSocket APIs, routes, integrations, stages,
authorizers, CORS, tags, portals; the collections not named here are answered by `Crud`."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ...api import AWSError, RequestContext
from ..apigateway.base import ApiGatewayBase
from ..apigateway.crud import Tables, new_id

APIS = "/v2/apis"
ROUTES = "/v2/apis/{}/routes"
INTEGRATIONS = "/v2/apis/{}/integrations"
STAGES = "/v2/apis/{}/stages"
AUTHORIZERS = "/v2/apis/{}/authorizers"
DEPLOYMENTS = "/v2/apis/{}/deployments"
MODELS = "/v2/apis/{}/models"
_ROUTE_KEY = re.compile(r"^(\$default|(ANY|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /\S*)$")


def _local(endpoint: str) -> str:
    """The gateway's address on 127.0.0.1 (what functions called by the API talk back to)."""
    port = urlsplit(endpoint).port if endpoint else None
    return f"http://127.0.0.1:{port}" if port else endpoint


def bad_request(message: str) -> AWSError:
    return AWSError("BadRequestException", message, 400)


def not_found(what: str, resource_type: str) -> AWSError:
    # AWS's v2 NotFoundException carries the resource type; the per-type message text is not documented.
    return AWSError("NotFoundException", f"Invalid {what} identifier specified", 404, ResourceType=resource_type)


class ControlOps(ApiGatewayBase):
    """The v2 operations that do more than store a record."""

    v2 = True
    noun_names: ClassVar[dict[str, str]] = {"Api": "API"}

    def api(self, state: Tables, api_id: str) -> dict[str, Any]:
        found = state.find(APIS, ()).get(api_id)
        if found is None:
            raise not_found("API", "Api")
        return found

    # -- APIs ----------------------------------------------------------------------------------
    def create_api(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self.new_api(ctx, self.state(ctx), ctx.params)

    def new_api(self, ctx: RequestContext, state: Tables, p: dict[str, Any]) -> dict[str, Any]:
        protocol = p.get("ProtocolType", "HTTP")
        if protocol == "WEBSOCKET" and not p.get("RouteSelectionExpression"):
            raise bad_request("RouteSelectionExpression is required for WEBSOCKET APIs")  # AWS's text unknown
        if protocol == "WEBSOCKET" and (p.get("Target") or p.get("CorsConfiguration")):
            raise bad_request("Quick create and CORS are supported for HTTP APIs only")
        api_id = new_id()
        item = {k: v for k, v in p.items() if k not in ("Tags", "Target", "RouteKey", "CredentialsArn")}
        item.update(ApiId=api_id, ProtocolType=protocol, CreatedDate=ctx.clock.utcnow(),
                    ApiEndpoint=self.endpoint_of(ctx, api_id, protocol),
                    ApiKeySelectionExpression=p.get("ApiKeySelectionExpression") or "$request.header.x-api-key",
                    RouteSelectionExpression=p.get("RouteSelectionExpression") or "$request.method $request.path",
                    DisableExecuteApiEndpoint=bool(p.get("DisableExecuteApiEndpoint", False)),
                    _gateway=_local(ctx.endpoint), _arn=f"arn:{ctx.partition}:apigateway:{ctx.region}::/apis/{api_id}")
        state.table(APIS, ())[api_id] = item
        if p.get("Tags"):
            state.tags[item["_arn"]] = dict(p["Tags"])
        if p.get("Target"):
            self._quick_create(ctx, state, api_id, p)
        return self.crud.shaped(ctx, item, state)

    def endpoint_of(self, ctx: RequestContext, api_id: str, protocol: str) -> str:
        """Where the API answers: the path form on this gateway, which needs no DNS for
        `*.localhost` (AWS's own host name when the request named no port)."""
        port = urlsplit(ctx.endpoint).port if ctx.endpoint else None
        if port is None:
            scheme = "wss" if protocol == "WEBSOCKET" else "https"
            return f"{scheme}://{api_id}.execute-api.{ctx.region}.amazonaws.com"
        if protocol == "WEBSOCKET":
            return self.websocket_endpoint(api_id)
        return f"http://127.0.0.1:{port}/_aws/execute-api/{api_id}"

    def websocket_endpoint(self, api_id: str) -> str:
        return f"wss://{api_id}.execute-api.amazonaws.com"

    def _quick_create(self, ctx: RequestContext, state: Tables, api_id: str, p: dict[str, Any]) -> None:
        """CreateApi with `Target`: an integration, a route to it and an auto-deployed `$default` stage."""
        target = p["Target"]
        lambda_target = target.startswith("arn:") and ":lambda:" in target
        integration_id = new_id(7)
        state.table(INTEGRATIONS, (api_id,))[integration_id] = {
            "IntegrationId": integration_id, "ApiGatewayManaged": True, "ConnectionType": "INTERNET",
            "IntegrationType": "AWS_PROXY" if lambda_target else "HTTP_PROXY",
            "IntegrationMethod": "POST" if lambda_target else "ANY", "IntegrationUri": target,
            "PayloadFormatVersion": "2.0" if lambda_target else "1.0", "TimeoutInMillis": 30000,
            **({"CredentialsArn": p["CredentialsArn"]} if p.get("CredentialsArn") else {}),
        }
        route_id = new_id(7)
        state.table(ROUTES, (api_id,))[route_id] = {
            "RouteId": route_id, "RouteKey": p.get("RouteKey") or "$default", "ApiGatewayManaged": True,
            "AuthorizationType": "NONE", "ApiKeyRequired": False, "Target": f"integrations/{integration_id}"}
        now = ctx.clock.utcnow()
        state.table(STAGES, (api_id,))["$default"] = {
            "StageName": "$default", "AutoDeploy": True, "ApiGatewayManaged": True, "CreatedDate": now,
            "LastUpdatedDate": now, "DefaultRouteSettings": {"DetailedMetricsEnabled": False}, "RouteSettings": {},
            "StageVariables": {}}

    def delete_cors_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.api(self.state(ctx), ctx.params["ApiId"]).pop("CorsConfiguration", None)
        return {}

    # -- routes and integrations -----------------------------------------------------------------
    def create_route(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            api = self.api(state, p["ApiId"])
            self._check_route(state, api, p)
            out = self.generic(ctx)
            route = state.find(ROUTES, (p["ApiId"],))[out["RouteId"]]
            route.setdefault("AuthorizationType", "NONE")
            route.setdefault("ApiKeyRequired", False)
            return self.crud.shaped(ctx, route, state)

    def update_route(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self._check_route(state, self.api(state, p["ApiId"]), p)
            return self.generic(ctx)

    def _check_route(self, state: Tables, api: dict[str, Any], p: dict[str, Any]) -> None:
        key = p.get("RouteKey")
        if key is not None and api["ProtocolType"] == "HTTP" and not _ROUTE_KEY.match(key):
            raise bad_request(f"Unable to create route {key}: the route key must be '$default' or "
                              "'<METHOD> /<path>'")  # AWS's text unknown
        if key is not None and any(r.get("RouteKey") == key and r.get("RouteId") != p.get("RouteId")
                                   for r in state.find(ROUTES, (api["ApiId"],)).values()):
            raise AWSError("ConflictException", f"Route with key {key} already exists for this API", 409)
        target = p.get("Target")
        if target:
            integration = target.removeprefix("integrations/")
            if integration not in state.find(INTEGRATIONS, (api["ApiId"],)):
                raise bad_request(f"Invalid target {target}: no integration {integration}")
        authorizer = p.get("AuthorizerId")
        if authorizer and authorizer not in state.find(AUTHORIZERS, (api["ApiId"],)):
            raise not_found("Authorizer", "Authorizer")

    def create_integration(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            api = self.api(state, p["ApiId"])
            kind = p["IntegrationType"]
            if kind in ("AWS_PROXY", "HTTP_PROXY", "HTTP", "AWS") and not p.get("IntegrationUri") \
                    and not p.get("IntegrationSubtype"):
                raise bad_request("IntegrationUri is required for this integration type")  # AWS's text unknown
            out = self.generic(ctx)
            integration = state.find(INTEGRATIONS, (p["ApiId"],))[out["IntegrationId"]]
            http = api["ProtocolType"] == "HTTP"
            integration.setdefault("ConnectionType", "INTERNET")
            integration.setdefault("TimeoutInMillis", 30000 if http else 29000)
            integration.setdefault("PayloadFormatVersion", "2.0" if http and kind == "AWS_PROXY" else "1.0")
            if kind == "HTTP_PROXY":
                integration.setdefault("IntegrationMethod", "ANY")
            if not http:
                integration.setdefault("PassthroughBehavior", "WHEN_NO_MATCH")
            return self.crud.shaped(ctx, integration, state)

    def delete_route_request_parameter(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.api(state, p["ApiId"])
            route = state.find(ROUTES, (p["ApiId"],)).get(p["RouteId"])
            if route is None:
                raise not_found("Route", "Route")
            if p["RequestParameterKey"] not in (route.get("RequestParameters") or {}):
                raise not_found("request parameter", "RequestParameter")
            del route["RequestParameters"][p["RequestParameterKey"]]
        return {}

    # -- stages ------------------------------------------------------------------------------------
    def stage(self, state: Tables, api_id: str, name: str) -> dict[str, Any]:
        self.api(state, api_id)
        found = state.find(STAGES, (api_id,)).get(name)
        if found is None:
            raise not_found("Stage", "Stage")
        return found

    def create_stage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.api(state, p["ApiId"])
            if p.get("DeploymentId") and p["DeploymentId"] not in state.find(DEPLOYMENTS, (p["ApiId"],)):
                raise not_found("Deployment", "Deployment")
            out = self.generic(ctx)
            stage = state.find(STAGES, (p["ApiId"],))[out["StageName"]]
            stage.setdefault("AutoDeploy", False)
            stage.setdefault("StageVariables", {})
            stage.setdefault("RouteSettings", {})
            return self.crud.shaped(ctx, stage, state)

    def create_deployment(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.api(state, p["ApiId"])
            if p.get("StageName"):
                stage = self.stage(state, p["ApiId"], p["StageName"])
            out = self.generic(ctx)
            deployment = state.find(DEPLOYMENTS, (p["ApiId"],))[out["DeploymentId"]]
            deployment.update(DeploymentStatus="DEPLOYED", AutoDeployed=False)
            if p.get("StageName"):
                stage["DeploymentId"] = out["DeploymentId"]
            return self.crud.shaped(ctx, deployment, state)

    def delete_access_log_settings(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.stage(self.state(ctx), ctx.params["ApiId"], ctx.params["StageName"]).pop("AccessLogSettings", None)
        return {}

    def delete_route_settings(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stage = self.stage(self.state(ctx), ctx.params["ApiId"], ctx.params["StageName"])
            if ctx.params["RouteKey"] not in (stage.get("RouteSettings") or {}):
                raise not_found("route settings", "RouteSettings")
            del stage["RouteSettings"][ctx.params["RouteKey"]]
        return {}

    def reset_authorizers_cache(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.stage(self.state(ctx), ctx.params["ApiId"], ctx.params["StageName"])
        return {}

    # -- models -----------------------------------------------------------------------------------
    def get_model_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            self.api(state, ctx.params["ApiId"])
            if ctx.params["ModelId"] not in state.find(MODELS, (ctx.params["ApiId"],)):
                raise not_found("Model", "Model")
        return {"Value": "#set($inputRoot = $input.path('$'))\n{}"}

    # -- tags --------------------------------------------------------------------------------------
    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).tags.setdefault(ctx.params["ResourceArn"], {}).update(ctx.params.get("Tags") or {})
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self.state(ctx).tags.get(ctx.params["ResourceArn"], {})
            for key in ctx.params.get("TagKeys") or []:
                tags.pop(key, None)
        return {}

    def get_tags(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Tags": dict(self.state(ctx).tags.get(ctx.params["ResourceArn"], {}))}

    # -- portals ------------------------------------------------------------------------------------
    def _portal(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).find("/v2/portals", ()).get(ctx.params["PortalId"])
        if found is None:
            raise not_found("Portal", "Portal")
        return found

    def publish_portal(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._portal(ctx)["PublishStatus"] = "PUBLISHED"
        return {}

    def disable_portal(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._portal(ctx)["PublishStatus"] = "DISABLED"
        return {}

    def preview_portal(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._portal(ctx)["Preview"] = {"PreviewStatus": "PREVIEW_READY"}
        return {}

    def _product(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).find("/v2/portalproducts", ()).get(ctx.params["PortalProductId"])
        if found is None:
            raise not_found("Portal product", "PortalProduct")
        return found

    def put_portal_product_sharing_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._product(ctx)["_sharing_policy"] = ctx.params["PolicyDocument"]
        return {}

    def get_portal_product_sharing_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            product = self._product(ctx)
            if "_sharing_policy" not in product:
                raise not_found("sharing policy", "PortalProductSharingPolicy")
            return {"PolicyDocument": product["_sharing_policy"], "PortalProductId": ctx.params["PortalProductId"]}

    def delete_portal_product_sharing_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._product(ctx).pop("_sharing_policy", None)
        return {}
