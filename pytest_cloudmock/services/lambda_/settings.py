"""Per-function settings: concurrency, async invoke configs, URLs, code signing, tags,
recursion, runtime management, scaling; account settings; capacity providers (stored)
and durable executions (none ever run, so every lookup is a 404)."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors
from .base import LATEST, LambdaBase, lambda_time
from .state import Function
from .url_invoke import function_url

ACCOUNT_CONCURRENCY = 1000
UNRESERVED_MINIMUM = 100


def _page(items: list[Any], ctx: RequestContext, key: str, scope: str) -> dict[str, Any]:
    page, marker = offset_page(items, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                               bad_token=lambda: errors.invalid("Invalid marker provided."), default_limit=50,
                               scope=scope)
    return {key: page, **({"NextMarker": marker} if marker else {})}


class SettingsOps(LambdaBase):
    """Concurrency ... capacity providers."""

    # -- concurrency --------------------------------------------------------------------------
    def put_function_concurrency(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = ctx.params["ReservedConcurrentExecutions"]
        with self.store.lock:
            function, _ = self.function(ctx)
            others = sum(f.reserved_concurrency or 0 for f in self.state(ctx).functions.values() if f is not function)
            if others + wanted > ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM:
                raise errors.invalid(f"Specified ReservedConcurrentExecutions for function decreases account's "
                                     f"UnreservedConcurrentExecution below its minimum value of "
                                     f"[{UNRESERVED_MINIMUM}].")
            function.reserved_concurrency = wanted
        return {"ReservedConcurrentExecutions": wanted}

    def get_function_concurrency(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            value = function.reserved_concurrency
        return {} if value is None else {"ReservedConcurrentExecutions": value}

    def delete_function_concurrency(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.function(ctx)[0].reserved_concurrency = None
        return {}

    def _qualified(self, ctx: RequestContext, need_alias_or_version: bool = True) -> tuple[Function, str]:
        function, qualifier = self.function(ctx)
        if need_alias_or_version and (not qualifier or qualifier == LATEST):
            raise errors.invalid("Provisioned Concurrency Configs cannot be applied to unpublished function "
                                 "versions.")
        self.version_of(ctx, function, qualifier)
        return function, qualifier or ""

    def put_provisioned_concurrency_config(self, ctx: RequestContext) -> dict[str, Any]:
        amount = ctx.params["ProvisionedConcurrentExecutions"]
        with self.store.lock:
            function, qualifier = self._qualified(ctx)
            config = {"RequestedProvisionedConcurrentExecutions": amount,
                      "AvailableProvisionedConcurrentExecutions": amount,
                      "AllocatedProvisionedConcurrentExecutions": amount, "Status": "READY",
                      "LastModified": lambda_time(ctx.clock.utcnow())}
            function.provisioned[qualifier] = config
        return {**config, "Status": "IN_PROGRESS", "AvailableProvisionedConcurrentExecutions": 0,
                "AllocatedProvisionedConcurrentExecutions": 0}

    def get_provisioned_concurrency_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self._qualified(ctx)
            config = function.provisioned.get(qualifier)
            if config is None:
                raise errors.not_found("No Provisioned Concurrency Config found for this function")
            return dict(config)

    def delete_provisioned_concurrency_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self._qualified(ctx)
            function.provisioned.pop(qualifier, None)
        return {}

    def list_provisioned_concurrency_configs(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            items = [{"FunctionArn": self.function_arn(ctx, function.name, q), **c}
                     for q, c in sorted(function.provisioned.items())]
        return _page(items, ctx, "ProvisionedConcurrencyConfigs", f"provisioned:{function.name}")

    # -- asynchronous invocation configs --------------------------------------------------------
    def _event_config_out(self, ctx: RequestContext, function: Function, qualifier: str) -> dict[str, Any]:
        config = function.event_invoke.get(qualifier)
        if config is None:
            raise errors.not_found(f"The function {self.function_arn(ctx, function.name, qualifier or None)} "
                                   "doesn't have an EventInvokeConfig")
        return {"FunctionArn": self.function_arn(ctx, function.name, qualifier or None), **config}

    def _put_event_config(self, ctx: RequestContext, merge: bool) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            key = "" if qualifier in (None, LATEST) else qualifier
            old = function.event_invoke.get(key, {}) if merge else {}
            config = {**old, "LastModified": ctx.clock.utcnow()}
            for name in ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig"):
                if name in p:
                    config[name] = p[name]
            config.setdefault("DestinationConfig", {})
            function.event_invoke[key] = config
            return self._event_config_out(ctx, function, key)

    def put_function_event_invoke_config(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put_event_config(ctx, merge=False)

    def update_function_event_invoke_config(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put_event_config(ctx, merge=True)

    def get_function_event_invoke_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            return self._event_config_out(ctx, function, "" if qualifier in (None, LATEST) else qualifier)

    def delete_function_event_invoke_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self._event_config_out(ctx, function, "" if qualifier in (None, LATEST) else qualifier)
            function.event_invoke.pop("" if qualifier in (None, LATEST) else qualifier, None)
        return {}

    def list_function_event_invoke_configs(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            items = [self._event_config_out(ctx, function, q) for q in sorted(function.event_invoke)]
        return _page(items, ctx, "FunctionEventInvokeConfigs", f"eic:{function.name}")

    # -- function URLs ------------------------------------------------------------------------------
    def _url_key(self, ctx: RequestContext) -> tuple[Function, str]:
        function, qualifier = self.function(ctx)
        if qualifier and qualifier != LATEST:
            self.version_of(ctx, function, qualifier)
        return function, "" if qualifier in (None, LATEST) else qualifier

    def _url_out(self, ctx: RequestContext, function: Function, key: str) -> dict[str, Any]:
        config = function.urls.get(key)
        if config is None:
            raise errors.not_found("The resource you requested does not exist.")
        shown = {k: v for k, v in config.items() if k != "UrlId"}
        endpoint = ctx.endpoint or getattr(self, "_endpoint", "")
        return {"FunctionArn": self.function_arn(ctx, function.name, key or None),
                "FunctionUrl": function_url(endpoint, config["UrlId"]), **shown}

    def create_function_url_config(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            function, key = self._url_key(ctx)
            if key in function.urls:
                raise errors.conflict(f"Failed to create function url config for [functionArn = "
                                      f"{self.function_arn(ctx, function.name, key or None)}]. Error message:  "
                                      "FunctionUrlConfig exists for this Lambda function")
            url_id = uuid.uuid4().hex
            self.state(ctx).url_ids[url_id] = (function.name, key)
            function.urls[key] = {
                "UrlId": url_id, "AuthType": p["AuthType"],
                "Cors": p.get("Cors", {}), "InvokeMode": p.get("InvokeMode", "BUFFERED"),
                "CreationTime": lambda_time(ctx.clock.utcnow()), "LastModifiedTime": lambda_time(ctx.clock.utcnow()),
            }
            out = self._url_out(ctx, function, key)
        out.pop("LastModifiedTime")
        return out

    def get_function_url_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, key = self._url_key(ctx)
            return self._url_out(ctx, function, key)

    def update_function_url_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, key = self._url_key(ctx)
            self._url_out(ctx, function, key)
            config = function.urls[key]
            for name in ("AuthType", "Cors", "InvokeMode"):
                if name in ctx.params:
                    config[name] = ctx.params[name]
            config["LastModifiedTime"] = lambda_time(ctx.clock.utcnow())
            return self._url_out(ctx, function, key)

    def delete_function_url_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, key = self._url_key(ctx)
            self._url_out(ctx, function, key)
            self.state(ctx).url_ids.pop(function.urls.pop(key)["UrlId"], None)
        return {}

    def list_function_url_configs(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            items = [self._url_out(ctx, function, k) for k in sorted(function.urls)]
        return _page(items, ctx, "FunctionUrlConfigs", f"urls:{function.name}")

    # -- code signing (stored, never enforced) -------------------------------------------------
    def _csc(self, ctx: RequestContext, arn: str) -> dict[str, Any]:
        found = self.state(ctx).code_signing.get(arn)
        if found is None:
            raise errors.not_found("The resource you requested does not exist.")
        return found

    def create_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        csc_id = f"csc-{uuid.uuid4().hex[:17]}"
        arn = f"arn:{ctx.partition}:lambda:{ctx.region}:{ctx.account_id}:code-signing-config:{csc_id}"
        config = {"CodeSigningConfigId": csc_id, "CodeSigningConfigArn": arn, "Description": p.get("Description", ""),
                  "AllowedPublishers": p["AllowedPublishers"],
                  "CodeSigningPolicies": p.get("CodeSigningPolicies") or {"UntrustedArtifactOnDeployment": "Warn"},
                  "LastModified": lambda_time(ctx.clock.utcnow())}
        with self.store.lock:
            self.state(ctx).code_signing[arn] = config
            if p.get("Tags"):
                self.state(ctx).tags[arn] = dict(p["Tags"])
        return {"CodeSigningConfig": dict(config)}

    def get_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"CodeSigningConfig": dict(self._csc(ctx, ctx.params["CodeSigningConfigArn"]))}

    def update_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            config = self._csc(ctx, ctx.params["CodeSigningConfigArn"])
            for name in ("Description", "AllowedPublishers", "CodeSigningPolicies"):
                if name in ctx.params:
                    config[name] = ctx.params[name]
            config["LastModified"] = lambda_time(ctx.clock.utcnow())
            return {"CodeSigningConfig": dict(config)}

    def delete_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._csc(ctx, ctx.params["CodeSigningConfigArn"])
            del self.state(ctx).code_signing[ctx.params["CodeSigningConfigArn"]]
        return {}

    def list_code_signing_configs(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [dict(c) for _, c in sorted(self.state(ctx).code_signing.items())]
        return _page(items, ctx, "CodeSigningConfigs", "csc")

    def list_functions_by_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["CodeSigningConfigArn"]
        with self.store.lock:
            self._csc(ctx, arn)
            items = [f.arn for f in self.state(ctx).functions.values() if f.code_signing_config == arn]
        return _page(sorted(items), ctx, "FunctionArns", f"csc:{arn}")

    def put_function_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["CodeSigningConfigArn"]
        with self.store.lock:
            self._csc(ctx, arn)
            function, _ = self.function(ctx)
            function.code_signing_config = arn
        return {"CodeSigningConfigArn": arn, "FunctionName": function.name}

    def get_function_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
        return {"CodeSigningConfigArn": function.code_signing_config, "FunctionName": function.name}

    def delete_function_code_signing_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.function(ctx)[0].code_signing_config = ""
        return {}

    # -- tags -------------------------------------------------------------------------------------
    def _tags_of(self, ctx: RequestContext) -> dict[str, str]:
        arn = ctx.params["Resource"]
        if ":function:" in arn:
            return self.function(ctx, arn.split(":function:", 1)[1].split(":")[0])[0].tags
        state = self.state(ctx)
        known = arn in state.code_signing or any(m["EventSourceMappingArn"] == arn for m in state.mappings.values()) or any(
            p["CapacityProviderArn"] == arn for p in state.capacity_providers.values())
        if not known:
            raise errors.not_found("The resource you requested does not exist.")
        return state.tags.setdefault(arn, {})

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._tags_of(ctx).update(ctx.params["Tags"])
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = self._tags_of(ctx)
            for key in ctx.params["TagKeys"]:
                tags.pop(key, None)
        return {}

    def list_tags(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Tags": dict(self._tags_of(ctx))}

    # -- account, recursion, runtime management, scaling -------------------------------------------
    def get_account_settings(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            functions = list(self.state(ctx).functions.values())
        size = sum(v.code.size for f in functions for v in [f.latest, *f.versions.values()])
        reserved = sum(f.reserved_concurrency or 0 for f in functions)
        return {"AccountLimit": {"TotalCodeSize": 80530636800, "CodeSizeUnzipped": 262144000,
                                 "CodeSizeZipped": 52428800, "ConcurrentExecutions": ACCOUNT_CONCURRENCY,
                                 "UnreservedConcurrentExecutions": ACCOUNT_CONCURRENCY - reserved},
                "AccountUsage": {"TotalCodeSize": size, "FunctionCount": len(functions)}}

    def get_function_recursion_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"RecursiveLoop": self.function(ctx)[0].recursion}

    def put_function_recursion_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.function(ctx)[0].recursion = ctx.params["RecursiveLoop"]
        return {"RecursiveLoop": ctx.params["RecursiveLoop"]}

    def get_runtime_management_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            return {"FunctionArn": self.function_arn(ctx, function.name, qualifier), **function.runtime_management}

    def put_runtime_management_config(self, ctx: RequestContext) -> dict[str, Any]:
        config = {k: ctx.params[k] for k in ("UpdateRuntimeOn", "RuntimeVersionArn") if k in ctx.params}
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            function.runtime_management = config
            return {"FunctionArn": self.function_arn(ctx, function.name, qualifier), **config}

    def get_function_scaling_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            config = function.scaling.get(qualifier or "", {})
            return {"FunctionArn": self.function_arn(ctx, function.name, qualifier),
                    "AppliedFunctionScalingConfig": config, "RequestedFunctionScalingConfig": config}

    def put_function_scaling_config(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, qualifier = self.function(ctx)
            self.version_of(ctx, function, qualifier)
            function.scaling[qualifier or ""] = dict(ctx.params.get("FunctionScalingConfig") or {})
        return {"FunctionState": "Active"}

    # -- capacity providers (stored) -------------------------------------------------------------------
    def _provider(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        found = self.state(ctx).capacity_providers.get(name)
        if found is None:
            raise errors.not_found(f"Capacity provider not found: {name}")  # wording not documented
        return found

    def create_capacity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["CapacityProviderName"]
        arn = f"arn:{ctx.partition}:lambda:{ctx.region}:{ctx.account_id}:capacity-provider:{name}"
        provider = {"CapacityProviderArn": arn, "State": "Active", "VpcConfig": p["VpcConfig"],
                    "PermissionsConfig": p["PermissionsConfig"], "LastModified": lambda_time(ctx.clock.utcnow())}
        for key in ("InstanceRequirements", "CapacityProviderScalingConfig", "KmsKeyArn"):
            if key in p:
                provider[key] = p[key]
        with self.store.lock:
            providers = self.state(ctx).capacity_providers
            if name in providers:
                raise errors.conflict(f"Capacity provider already exists: {name}")
            providers[name] = provider
            if p.get("Tags"):
                self.state(ctx).tags[arn] = dict(p["Tags"])
        return {"CapacityProvider": {**provider, "State": "Pending"}}

    def get_capacity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"CapacityProvider": dict(self._provider(ctx, ctx.params["CapacityProviderName"]))}

    def update_capacity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            provider = self._provider(ctx, ctx.params["CapacityProviderName"])
            if "CapacityProviderScalingConfig" in ctx.params:
                provider["CapacityProviderScalingConfig"] = ctx.params["CapacityProviderScalingConfig"]
            return {"CapacityProvider": dict(provider)}

    def delete_capacity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            provider = self._provider(ctx, ctx.params["CapacityProviderName"])
            del self.state(ctx).capacity_providers[ctx.params["CapacityProviderName"]]
        return {"CapacityProvider": {**provider, "State": "Deleting"}}

    def list_capacity_providers(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [dict(p) for _, p in sorted(self.state(ctx).capacity_providers.items())
                     if not ctx.params.get("State") or p["State"] == ctx.params["State"]]
        return _page(items, ctx, "CapacityProviders", "providers")

    def list_function_versions_by_capacity_provider(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            provider = self._provider(ctx, ctx.params["CapacityProviderName"])
        out = _page([], ctx, "FunctionVersions", "provider-versions")
        return {"CapacityProviderArn": provider["CapacityProviderArn"], **out}

    # -- durable executions: none ever runs here -------------------------------------------------
    def _no_execution(self, ctx: RequestContext) -> dict[str, Any]:
        what = ctx.params.get("DurableExecutionArn") or ctx.params.get("CallbackId", "")
        raise errors.not_found(f"Durable execution not found: {what}")  # wording not documented

    checkpoint_durable_execution = _no_execution
    get_durable_execution = _no_execution
    get_durable_execution_history = _no_execution
    get_durable_execution_state = _no_execution
    stop_durable_execution = _no_execution
    send_durable_execution_callback_success = _no_execution
    send_durable_execution_callback_failure = _no_execution
    send_durable_execution_callback_heartbeat = _no_execution

    def list_durable_executions_by_function(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
        return _page([], ctx, "DurableExecutions", f"durable:{function.name}")

