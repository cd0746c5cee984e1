"""Deployments (snapshots of an API's resource tree) and the stages that serve them."""

from __future__ import annotations

import copy
from typing import Any

from ...api import AWSError, RequestContext
from .crud import Tables, new_id
from .patch import apply_patch, path_segments
from .rest import RestApiOps, bad_request, not_found

DEPLOYMENTS = "/restapis/{}/deployments"
STAGES = "/restapis/{}/stages"
#: `/{resource path}/{method}/<group>/<name>` stage patch paths -> MethodSetting members.
_SETTINGS = {
    ("metrics", "enabled"): "metricsEnabled", ("logging", "loglevel"): "loggingLevel",
    ("logging", "dataTrace"): "dataTraceEnabled", ("throttling", "burstLimit"): "throttlingBurstLimit",
    ("throttling", "rateLimit"): "throttlingRateLimit", ("caching", "enabled"): "cachingEnabled",
    ("caching", "ttlInSeconds"): "cacheTtlInSeconds", ("caching", "dataEncrypted"): "cacheDataEncrypted",
    ("caching", "requireAuthorizationForCacheControl"): "requireAuthorizationForCacheControl",
    ("caching", "unauthorizedCacheControlHeaderStrategy"): "unauthorizedCacheControlHeaderStrategy",
}
_NUMBERS = {"throttlingBurstLimit": int, "throttlingRateLimit": float, "cacheTtlInSeconds": int}
_FLAGS = {"metricsEnabled", "dataTraceEnabled", "cachingEnabled", "cacheDataEncrypted",
          "requireAuthorizationForCacheControl"}


class StageOps(RestApiOps):
    """CreateDeployment, stages, stage variables and method settings."""

    def create_deployment(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            resources = self.resources(state, p["restApiId"])
            if not any(r.get("resourceMethods") for r in resources.values()):
                raise bad_request("The REST API doesn't contain any methods")
            for resource in resources.values():
                for method in resource.get("resourceMethods", {}).values():
                    if "methodIntegration" not in method:
                        raise bad_request("No integration defined for method")
            deployment_id = new_id()
            item = {"id": deployment_id, "description": p.get("description"),
                    "createdDate": ctx.clock.utcnow(), "_resources": copy.deepcopy(resources),
                    "apiSummary": {r["path"]: {m: {"authorizationType": x.get("authorizationType", "NONE"),
                                                   "apiKeyRequired": bool(x.get("apiKeyRequired"))}
                                               for m, x in r.get("resourceMethods", {}).items()}
                                   for r in resources.values() if r.get("resourceMethods")}}
            item = {k: v for k, v in item.items() if v is not None}
            state.table(DEPLOYMENTS, (p["restApiId"],))[deployment_id] = item
            if p.get("stageName"):
                stages = state.table(STAGES, (p["restApiId"],))
                stage = stages.get(p["stageName"])
                if stage is None:
                    self.new_stage(ctx, state, p["restApiId"], p["stageName"], deployment_id,
                                   description=p.get("stageDescription"), variables=p.get("variables"),
                                   tracingEnabled=p.get("tracingEnabled"))
                else:
                    stage["deploymentId"] = deployment_id
                    stage["lastUpdatedDate"] = ctx.clock.utcnow()
                    if p.get("variables"):
                        stage.setdefault("variables", {}).update(p["variables"])
            return self.crud.shaped(ctx, item)

    def new_stage(self, ctx: RequestContext, state: Tables, api_id: str, name: str, deployment_id: str,
                  **settings: Any) -> dict[str, Any]:
        now = ctx.clock.utcnow()
        stage = {"stageName": name, "deploymentId": deployment_id, "createdDate": now, "lastUpdatedDate": now,
                 "methodSettings": {}, "cacheClusterEnabled": False, "tracingEnabled": False,
                 "_arn": f"arn:{ctx.partition}:apigateway:{ctx.region}::/restapis/{api_id}/stages/{name}",
                 **{k: v for k, v in settings.items() if v is not None}}
        if settings.get("tags"):
            state.tags[stage["_arn"]] = dict(settings.pop("tags"))
            stage.pop("tags", None)
        state.table(STAGES, (api_id,))[name] = stage
        return stage

    def create_stage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, p["restApiId"])
            if p["deploymentId"] not in state.find(DEPLOYMENTS, (p["restApiId"],)):
                raise not_found("Deployment")
            if p["stageName"] in state.find(STAGES, (p["restApiId"],)):
                raise AWSError("ConflictException", "Stage already exists", 409)
            settings = {k: v for k, v in p.items() if k not in ("restApiId", "stageName", "deploymentId")}
            stage = self.new_stage(ctx, state, p["restApiId"], p["stageName"], p["deploymentId"], **settings)
            return self.crud.shaped(ctx, stage, state)

    def update_stage(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, p["restApiId"])
            stage = state.find(STAGES, (p["restApiId"],)).get(p["stageName"])
            if stage is None:
                raise not_found("Stage")
            plain = []
            for operation in p.get("patchOperations") or []:
                segments = path_segments(operation.get("path", ""))
                if len(segments) == 4 and (segments[2], segments[3]) in _SETTINGS:
                    _method_setting(stage, segments, operation)
                else:
                    plain.append(operation)
            if any(path_segments(o.get("path", ""))[:1] == ["deploymentId"] for o in plain):
                target = next(o.get("value") for o in plain if path_segments(o.get("path", ""))[:1] == ["deploymentId"])
                if target not in state.find(DEPLOYMENTS, (p["restApiId"],)):
                    raise not_found("Deployment")
            shape = ctx.operation_model.output_shape if ctx.operation_model else None
            apply_patch(stage, plain, shape)
            stage["lastUpdatedDate"] = ctx.clock.utcnow()
            return self.crud.shaped(ctx, stage, state)

    def get_stages(self, ctx: RequestContext) -> dict[str, Any]:
        """All of an API's stages (`item`, unpaged), optionally those of one deployment."""
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, p["restApiId"])
            stages = [s for s in state.find(STAGES, (p["restApiId"],)).values()
                      if not p.get("deploymentId") or s["deploymentId"] == p["deploymentId"]]
            return {"item": [self.crud.shaped(ctx, s, state, list_item=True) for s in stages]}

    def delete_deployment(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            state = self.state(ctx)
            self.rest_api(state, p["restApiId"])
            if any(s["deploymentId"] == p["deploymentId"] for s in state.find(STAGES, (p["restApiId"],)).values()):
                raise bad_request("Active stages pointing to this deployment must be moved or deleted")
            return self.crud.handle(ctx, state)

    def deployed_resources(self, state: Tables, api_id: str, stage_name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(stage, resources of its deployment), or None when the stage does not exist."""
        stage = state.find(STAGES, (api_id,)).get(stage_name)
        if stage is None:
            return None
        deployment = state.find(DEPLOYMENTS, (api_id,)).get(stage["deploymentId"])
        if deployment is None:
            return None
        return stage, deployment["_resources"]

    def flush_stage_cache(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._stage(ctx)
        return {}

    flush_stage_authorizers_cache = flush_stage_cache

    def _stage(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        self.rest_api(state, ctx.params["restApiId"])
        stage = state.find(STAGES, (ctx.params["restApiId"],)).get(ctx.params["stageName"])
        if stage is None:
            raise not_found("Stage")
        return stage



def setting_path(resource_path: str) -> str:
    """A resource path as method settings name it (`/pets/{id}` -> `~1pets~1{id}`, `*` stays)."""
    return resource_path if resource_path == "*" else resource_path.replace("~", "~0").replace("/", "~1")


def method_throttle(stage: dict[str, Any], resource_path: str, method: str) -> dict[str, Any]:
    """The throttle (`rateLimit`, `burstLimit`) a stage's method settings give one method."""
    settings = stage.get("methodSettings") or {}
    for key in (f"{setting_path(resource_path)}/{method}", f"{setting_path(resource_path)}/*", "*/*"):
        found = settings.get(key) or {}
        if "throttlingRateLimit" in found or "throttlingBurstLimit" in found:
            return {k: v for k, v in (("rateLimit", found.get("throttlingRateLimit")),
                                      ("burstLimit", found.get("throttlingBurstLimit"))) if v is not None}
    return {}


def _method_setting(stage: dict[str, Any], segments: list[str], operation: dict[str, Any]) -> None:
    key = f"{setting_path(segments[0])}/{segments[1]}"
    name = _SETTINGS[(segments[2], segments[3])]
    settings = stage.setdefault("methodSettings", {}).setdefault(key, {})
    if operation.get("op") == "remove":
        settings.pop(name, None)
        return
    value: Any = operation.get("value")
    try:
        if name in _NUMBERS:
            value = _NUMBERS[name](value)
        elif name in _FLAGS:
            value = str(value).lower() == "true"
    except (TypeError, ValueError):
        raise bad_request(f"Invalid value for {name}: {value}") from None
    settings[name] = value
