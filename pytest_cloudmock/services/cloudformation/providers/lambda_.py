"""AWS::Lambda::Function, Version, Alias, Permission, EventSourceMapping, LayerVersion and Url.

Inline code (`Code.ZipFile`) is packed as `index.<ext>` for the runtime (Python functions
also get the `cfnresponse` module), as CloudFormation does; S3 code is passed through.
"""

from __future__ import annotations

from typing import Any

from ...lambda_.zips import lambda_zip
from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)
from .cfnresponse import NODE_SOURCE as CFN_RESPONSE_JS
from .cfnresponse import SOURCE as CFNRESPONSE

_MISSING = ("ResourceNotFoundException",)

#: CloudFormation property -> CreateFunction/UpdateFunctionConfiguration member.
CONFIGURATION = {
    "Description": "Description", "Handler": "Handler", "Runtime": "Runtime", "Role": "Role",
    "Timeout": "Timeout", "MemorySize": "MemorySize", "Environment": "Environment", "Layers": "Layers",
    "TracingConfig": "TracingConfig", "VpcConfig": "VpcConfig", "DeadLetterConfig": "DeadLetterConfig",
    "KmsKeyArn": "KMSKeyArn", "EphemeralStorage": "EphemeralStorage", "ImageConfig": "ImageConfig",
    "FileSystemConfigs": "FileSystemConfigs", "SnapStart": "SnapStart", "LoggingConfig": "LoggingConfig",
}
_INTS = ("Timeout", "MemorySize")


def _configuration(properties: dict[str, Any]) -> dict[str, Any]:
    out = {api: properties[key] for key, api in CONFIGURATION.items() if properties.get(key) is not None}
    for key in _INTS:
        if key in out:
            out[key] = as_int(out[key])
    if "EphemeralStorage" in out:
        out["EphemeralStorage"] = {"Size": as_int(out["EphemeralStorage"]["Size"])}
    return out


def inline_zip(runtime: str, source: str) -> bytes:
    """The package CloudFormation builds from `ZipFile`: `index.py`/`index.js` with the runtime's
    response module (`cfnresponse` / `cfn-response`)."""
    if runtime.startswith("python"):
        return lambda_zip({"index.py": source, "cfnresponse.py": CFNRESPONSE})
    if runtime.startswith("nodejs"):
        return lambda_zip({"index.js": source, "node_modules/cfn-response/index.js": CFN_RESPONSE_JS})
    return lambda_zip({"index": source})


def _code(properties: dict[str, Any]) -> dict[str, Any]:
    code = properties["Code"]
    if code.get("ZipFile") is not None:
        return {"ZipFile": inline_zip(properties.get("Runtime") or "", code["ZipFile"])}
    return {k: code[k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri") if code.get(k)}


class FunctionProvider(BaseProvider):
    """AWS::Lambda::Function. `Ref`: the function name."""

    type_name = "AWS::Lambda::Function"
    replaces = frozenset({"FunctionName", "PackageType", "TenancyConfig"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("FunctionName") or generated_name(ctx, max_length=64)
        params: dict[str, Any] = {"FunctionName": name, "Code": _code(properties), **_configuration(properties)}
        for key in ("PackageType", "Architectures", "CodeSigningConfigArn"):
            if properties.get(key):
                params[key] = properties[key]
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = {t["Key"]: t["Value"] for t in tags}
        ctx.call("lambda", "CreateFunction", params)
        if properties.get("ReservedConcurrentExecutions") is not None:
            ctx.call("lambda", "PutFunctionConcurrency", {
                "FunctionName": name,
                "ReservedConcurrentExecutions": as_int(properties["ReservedConcurrentExecutions"])})
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        repack = new["Code"].get("ZipFile") is not None and new.get("Runtime") != old.get("Runtime")
        if new["Code"] != old.get("Code") or new.get("Architectures") != old.get("Architectures") or repack:
            params = {"FunctionName": physical_id, **_code(new)}
            if new.get("Architectures"):
                params["Architectures"] = new["Architectures"]
            ctx.call("lambda", "UpdateFunctionCode", params)
        configuration, before = _configuration(new), _configuration(old)
        changes = {k: v for k, v in configuration.items() if before.get(k) != v}
        for key in before.keys() - configuration.keys():  # dropped from the template: back to defaults
            changes[key] = {"Environment": {"Variables": {}}, "Layers": [], "Description": ""}.get(key)
        changes = {k: v for k, v in changes.items() if v is not None}
        if changes:
            ctx.call("lambda", "UpdateFunctionConfiguration", {"FunctionName": physical_id, **changes})
        reserved = new.get("ReservedConcurrentExecutions")
        if reserved != old.get("ReservedConcurrentExecutions"):
            if reserved is None:
                ctx.call("lambda", "DeleteFunctionConcurrency", {"FunctionName": physical_id})
            else:
                ctx.call("lambda", "PutFunctionConcurrency",
                         {"FunctionName": physical_id, "ReservedConcurrentExecutions": as_int(reserved)})
        function_arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        to_set, to_remove = tag_changes(old, new)
        if to_set:
            ctx.call("lambda", "TagResource", {"Resource": function_arn, "Tags": to_set})
        if to_remove:
            ctx.call("lambda", "UntagResource", {"Resource": function_arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("lambda", "DeleteFunction", {"FunctionName": physical_id}), *_MISSING)

    readable = frozenset({"FunctionName", "Runtime", "Handler", "Role", "Timeout", "MemorySize", "Description",
                          "Environment", "Layers", "Architectures", "PackageType", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("lambda", "GetFunction", {"FunctionName": physical_id}), *_MISSING)
        if found is None:
            return None
        config = found["Configuration"]
        out = {key: config[key] for key in ("FunctionName", "Runtime", "Handler", "Role", "Timeout", "MemorySize",
                                             "Description", "Architectures", "PackageType") if config.get(key)}
        if (config.get("Environment") or {}).get("Variables"):
            out["Environment"] = {"Variables": config["Environment"]["Variables"]}
        out["Layers"] = [layer["Arn"] for layer in config.get("Layers") or []]
        out["Tags"] = tag_list(found.get("Tags") or {})
        return out

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("lambda", "GetFunctionConfiguration", {"FunctionName": physical_id})
        snap = found.get("SnapStart") or {"ApplyOn": "None", "OptimizationStatus": "Off"}
        return Created(physical_id, {"Arn": found["FunctionArn"], "SnapStartResponse": snap,
                                     "SnapStartResponse.ApplyOn": snap.get("ApplyOn"),
                                     "SnapStartResponse.OptimizationStatus": snap.get("OptimizationStatus")})


def _qualified(arn: str) -> tuple[str, str]:
    """A qualified function ARN as (function ARN, qualifier)."""
    base, _, qualifier = arn.rpartition(":")
    return base, qualifier


class VersionProvider(BaseProvider):
    """AWS::Lambda::Version: `PublishVersion`. `Ref`: the version's ARN."""

    type_name = "AWS::Lambda::Version"
    replaces = frozenset({"CodeSha256", "Description", "FunctionName", "ProvisionedConcurrencyConfig",
                          "RuntimePolicy"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = {"FunctionName": properties["FunctionName"]}
        for key in ("Description", "CodeSha256"):
            if properties.get(key):
                params[key] = properties[key]
        found = ctx.call("lambda", "PublishVersion", params)
        config = properties.get("ProvisionedConcurrencyConfig")
        if config:
            ctx.call("lambda", "PutProvisionedConcurrencyConfig", {
                "FunctionName": properties["FunctionName"], "Qualifier": found["Version"],
                "ProvisionedConcurrentExecutions": as_int(config["ProvisionedConcurrentExecutions"])})
        function_arn, version = _qualified(found["FunctionArn"])
        return Created(found["FunctionArn"], {"FunctionArn": function_arn, "Version": version})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        function_arn, version = _qualified(physical_id)
        ignore_missing(lambda: ctx.call("lambda", "DeleteFunction",
                                        {"FunctionName": function_arn, "Qualifier": version}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        function_arn, version = _qualified(physical_id)
        return Created(physical_id, {"FunctionArn": function_arn, "Version": version})


def _routing(config: dict[str, Any] | None) -> dict[str, Any]:
    weights = (config or {}).get("AdditionalVersionWeights") or []
    return {"AdditionalVersionWeights": {w["FunctionVersion"]: float(w["FunctionWeight"]) for w in weights}}


class AliasProvider(BaseProvider):
    """AWS::Lambda::Alias. `Ref`: the alias ARN."""

    type_name = "AWS::Lambda::Alias"
    replaces = frozenset({"FunctionName", "Name"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params: dict[str, Any] = {"FunctionName": properties["FunctionName"], "Name": properties["Name"],
                                  "FunctionVersion": str(properties["FunctionVersion"])}
        if properties.get("Description"):
            params["Description"] = properties["Description"]
        if properties.get("RoutingConfig"):
            params["RoutingConfig"] = _routing(properties["RoutingConfig"])
        found = ctx.call("lambda", "CreateAlias", params)
        self._provisioned(ctx, properties, {})
        return Created(found["AliasArn"], {"AliasArn": found["AliasArn"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("lambda", "UpdateAlias", {
            "FunctionName": new["FunctionName"], "Name": new["Name"], "FunctionVersion": str(new["FunctionVersion"]),
            "Description": new.get("Description") or "", "RoutingConfig": _routing(new.get("RoutingConfig"))})
        self._provisioned(ctx, new, old)
        return Created(physical_id, {"AliasArn": physical_id})

    def _provisioned(self, ctx: ProviderContext, new: dict[str, Any], old: dict[str, Any]) -> None:
        config, before = new.get("ProvisionedConcurrencyConfig"), old.get("ProvisionedConcurrencyConfig")
        target = {"FunctionName": new["FunctionName"], "Qualifier": new["Name"]}
        if config and config != before:
            ctx.call("lambda", "PutProvisionedConcurrencyConfig", {
                **target, "ProvisionedConcurrentExecutions": as_int(config["ProvisionedConcurrentExecutions"])})
        elif before and not config:
            ctx.call("lambda", "DeleteProvisionedConcurrencyConfig", target)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("lambda", "DeleteAlias", {"FunctionName": properties["FunctionName"],
                                                                  "Name": properties["Name"]}), *_MISSING)


class PermissionProvider(BaseProvider):
    """AWS::Lambda::Permission: one statement of the function's policy. `Ref`: the statement id."""

    type_name = "AWS::Lambda::Permission"
    replaces = frozenset({"Action", "EventSourceToken", "FunctionName", "FunctionUrlAuthType",
                          "InvokedViaFunctionUrl", "Principal", "PrincipalOrgID", "SourceAccount", "SourceArn"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        statement_id = generated_name(ctx, max_length=100)
        function, qualifier = self._target(properties["FunctionName"])
        params: dict[str, Any] = {"FunctionName": function, "StatementId": statement_id,
                                  "Action": properties["Action"], "Principal": properties["Principal"]}
        if qualifier:
            params["Qualifier"] = qualifier
        for key in ("SourceArn", "SourceAccount", "EventSourceToken", "PrincipalOrgID", "FunctionUrlAuthType"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("InvokedViaFunctionUrl") is not None:
            params["InvokedViaFunctionUrl"] = as_bool(properties["InvokedViaFunctionUrl"])
        ctx.call("lambda", "AddPermission", params)
        return Created(statement_id, {"Id": statement_id})

    @staticmethod
    def _target(function: str) -> tuple[str, str | None]:
        """`FunctionName` may be a name, an ARN or a qualified ARN (`...:function:f:alias`)."""
        if function.startswith("arn:") and function.count(":") == 7:
            return _qualified(function)
        return function, None

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        function, qualifier = self._target(properties["FunctionName"])
        params = {"FunctionName": function, "StatementId": physical_id, **({"Qualifier": qualifier} if qualifier else {})}
        ignore_missing(lambda: ctx.call("lambda", "RemovePermission", params), *_MISSING)


_MAPPING_INTS = ("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds", "MaximumRetryAttempts",
                 "ParallelizationFactor", "TumblingWindowInSeconds")
_MAPPING_PASSED = ("FilterCriteria", "FunctionResponseTypes", "DestinationConfig", "ScalingConfig",
                   "DocumentDBEventSourceConfig", "KmsKeyArn", "MetricsConfig", "ProvisionedPollerConfig",
                   "Queues", "Topics", "SourceAccessConfigurations")


def _mapping_params(properties: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"FunctionName": properties["FunctionName"]}
    params.update({k: as_int(properties[k]) for k in _MAPPING_INTS if properties.get(k) is not None})
    params.update({k: properties[k] for k in _MAPPING_PASSED if properties.get(k) is not None})
    for key in ("Enabled", "BisectBatchOnFunctionError"):
        if properties.get(key) is not None:
            params[key] = as_bool(properties[key])
    return params


class EventSourceMappingProvider(BaseProvider):
    """AWS::Lambda::EventSourceMapping. `Ref`: the mapping's UUID."""

    type_name = "AWS::Lambda::EventSourceMapping"
    replaces = frozenset({"EventSourceArn", "SelfManagedEventSource", "StartingPosition",
                          "StartingPositionTimestamp"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = _mapping_params(properties)
        for key in ("EventSourceArn", "StartingPosition", "StartingPositionTimestamp", "SelfManagedEventSource"):
            if properties.get(key) is not None:
                params[key] = properties[key]
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = {t["Key"]: t["Value"] for t in tags}
        found = ctx.call("lambda", "CreateEventSourceMapping", params)
        return self._created(found)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        found = ctx.call("lambda", "UpdateEventSourceMapping", {"UUID": physical_id, **_mapping_params(new)})
        return self._created(found)

    @staticmethod
    def _created(found: dict[str, Any]) -> Created:
        return Created(found["UUID"], {"Id": found["UUID"], "EventSourceMappingArn": found.get("EventSourceMappingArn")})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("lambda", "DeleteEventSourceMapping", {"UUID": physical_id}), *_MISSING)


class LayerVersionProvider(BaseProvider):
    """AWS::Lambda::LayerVersion (every change publishes a new version). `Ref`: the version ARN."""

    type_name = "AWS::Lambda::LayerVersion"
    replaces = frozenset({"CompatibleArchitectures", "CompatibleRuntimes", "Content", "Description", "LayerName",
                          "LicenseInfo"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("LayerName") or generated_name(ctx, max_length=140)
        content = {k: properties["Content"][k] for k in ("S3Bucket", "S3Key", "S3ObjectVersion")
                   if properties["Content"].get(k)}
        params: dict[str, Any] = {"LayerName": name, "Content": content}
        for key in ("Description", "CompatibleRuntimes", "CompatibleArchitectures", "LicenseInfo"):
            if properties.get(key):
                params[key] = properties[key]
        found = ctx.call("lambda", "PublishLayerVersion", params)
        return Created(found["LayerVersionArn"], {"LayerVersionArn": found["LayerVersionArn"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        layer_arn, version = physical_id.rsplit(":", 1)
        name = layer_arn.rsplit(":", 1)[1]
        ignore_missing(lambda: ctx.call("lambda", "DeleteLayerVersion",
                                        {"LayerName": name, "VersionNumber": int(version)}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"LayerVersionArn": physical_id})


class UrlProvider(BaseProvider):
    """AWS::Lambda::Url. `Ref`: the function's ARN (with its qualifier)."""

    type_name = "AWS::Lambda::Url"
    replaces = frozenset({"Qualifier", "TargetFunctionArn"})

    @staticmethod
    def _target(properties: dict[str, Any]) -> dict[str, Any]:
        target = {"FunctionName": properties["TargetFunctionArn"]}
        return {**target, "Qualifier": properties["Qualifier"]} if properties.get("Qualifier") else target

    @staticmethod
    def _settings(properties: dict[str, Any]) -> dict[str, Any]:
        params = {"AuthType": properties["AuthType"]}
        for key in ("Cors", "InvokeMode"):
            if properties.get(key):
                params[key] = properties[key]
        return params

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        found = ctx.call("lambda", "CreateFunctionUrlConfig", {**self._target(properties), **self._settings(properties)})
        return Created(found["FunctionArn"], {"FunctionArn": found["FunctionArn"], "FunctionUrl": found["FunctionUrl"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        found = ctx.call("lambda", "UpdateFunctionUrlConfig", {**self._target(new), **self._settings(new)})
        return Created(physical_id, {"FunctionArn": found["FunctionArn"], "FunctionUrl": found["FunctionUrl"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("lambda", "DeleteFunctionUrlConfig", self._target(properties)), *_MISSING)
