"""AWS::ApiGateway::* (REST APIs, v1), made through our API Gateway.

`RestApi` with `Body`/`BodyS3Location` goes through the service's own `ImportRestApi` /
`PutRestApi`; other types map their properties onto the create call (`shaped.fit`) and
their in-place updates onto `patchOperations`. `Ref` and `Fn::GetAtt` as the AWS
CloudFormation resource reference documents each type.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    arn,
    as_json,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
    tag_map,
)
from .shaped import fit, read_back

_MISSING = ("NotFoundException",)
_SERVICE = "apigateway"


def _call(ctx: ProviderContext, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    return ctx.call(_SERVICE, operation, params)


def _escape(segment: str) -> str:
    """A patch path segment (`~1` for `/`, `~0` for `~`)."""
    return segment.replace("~", "~0").replace("/", "~1")


def _value(value: Any) -> str:
    """A patch value: API Gateway's patch values are strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def replaced(old: dict[str, Any], new: dict[str, Any], paths: dict[str, str]) -> list[dict[str, str]]:
    """`replace` (or `remove`, when dropped) operations for the scalar properties that changed."""
    operations = []
    for key, path in paths.items():
        if old.get(key) == new.get(key):
            continue
        if new.get(key) is None:
            operations.append({"op": "remove", "path": path})
        else:
            operations.append({"op": "replace", "path": path, "value": _value(new[key])})
    return operations


def tags_param(ctx: ProviderContext, properties: dict[str, Any]) -> dict[str, Any]:
    """The create call's `tags` (the stack's tags and the resource's), when there are any."""
    tags = resource_tags(ctx, properties)
    return {"tags": {t["Key"]: t["Value"] for t in tags}} if tags else {}


def retag(ctx: ProviderContext, resource_arn: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Apply a change of the `Tags` property to `resource_arn`."""
    to_set, to_remove = tag_changes(old, new)
    if to_set:
        _call(ctx, "TagResource", {"resourceArn": resource_arn, "tags": to_set})
    if to_remove:
        _call(ctx, "UntagResource", {"resourceArn": resource_arn, "tagKeys": to_remove})


def resource_arn(ctx: ProviderContext, path: str) -> str:
    """An API Gateway resource ARN (`arn:aws:apigateway:<region>::/restapis/<id>`)."""
    return arn(ctx, _SERVICE, path, account=False)


def _alphanumeric_name(ctx: ProviderContext) -> str:
    """A generated name without separators (model names are alphanumeric)."""
    return re.sub(r"[^A-Za-z0-9]", "", generated_name(ctx, max_length=128, separator=""))


# -- REST APIs ----------------------------------------------------------------------------

#: RestApi property -> UpdateRestApi patch path.
_API_PATHS = {"Name": "/name", "Description": "/description", "ApiKeySourceType": "/apiKeySource",
              "MinimumCompressionSize": "/minimumCompressionSize", "Policy": "/policy",
              "DisableExecuteApiEndpoint": "/disableExecuteApiEndpoint"}
_BODY_KEYS = ("Body", "BodyS3Location", "Mode", "Parameters", "FailOnWarnings", "Tags", "ApiKeySourceType")


def api_definition(ctx: ProviderContext, properties: dict[str, Any]) -> bytes | None:
    """The OpenAPI document of `Body` (an object or text) or `BodyS3Location` (read from our S3)."""
    body = properties.get("Body")
    if body is not None:
        return (json.dumps(body) if isinstance(body, (dict, list)) else str(body)).encode()
    location = properties.get("BodyS3Location")
    if not location:
        return None
    params = {"Bucket": location["Bucket"], "Key": location["Key"]}
    if location.get("Version"):
        params["VersionId"] = location["Version"]
    found = ctx.call("s3", "GetObject", params)["Body"]  # bytes, a file or chunks, as S3 streams it
    return found if isinstance(found, bytes) else found.read() if hasattr(found, "read") else b"".join(found)


class RestApiProvider(BaseProvider):
    """AWS::ApiGateway::RestApi. `Ref`: the API id; `Fn::GetAtt`: `RestApiId`, `RootResourceId`."""

    type_name = "AWS::ApiGateway::RestApi"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        definition = api_definition(ctx, properties)
        if definition is None:
            params = fit(_SERVICE, "CreateRestApi", properties, skip=_BODY_KEYS)
            if properties.get("ApiKeySourceType"):
                params["apiKeySource"] = properties["ApiKeySourceType"]
            api_id = _call(ctx, "CreateRestApi", {**params, **tags_param(ctx, properties)})["id"]
            return self.describe(ctx, api_id, properties)
        imported: dict[str, Any] = {"body": definition}
        if properties.get("Parameters"):
            imported["parameters"] = {str(k): str(v) for k, v in properties["Parameters"].items()}
        if properties.get("FailOnWarnings") is not None:
            imported["failOnWarnings"] = properties["FailOnWarnings"] in (True, "true", "True")
        api_id = _call(ctx, "ImportRestApi", imported)["id"]
        # Properties set beside the definition win over it (the resource reference's rule).
        patches = replaced({}, properties, _API_PATHS)
        patches += [{"op": "add", "path": f"/binaryMediaTypes/{_escape(t)}"} for t in properties.get("BinaryMediaTypes") or []]
        if patches:
            _call(ctx, "UpdateRestApi", {"restApiId": api_id, "patchOperations": patches})
        tags = tags_param(ctx, properties)
        if tags:
            _call(ctx, "TagResource", {"resourceArn": resource_arn(ctx, f"/restapis/{api_id}"), **tags})
        return self.describe(ctx, api_id, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        definition = api_definition(ctx, new)
        if definition is not None and (new.get("Body"), new.get("BodyS3Location")) != (old.get("Body"), old.get("BodyS3Location")):
            _call(ctx, "PutRestApi", {"restApiId": physical_id, "body": definition,
                                      "mode": str(new.get("Mode") or "overwrite").lower()})
        patches = replaced(old, new, _API_PATHS)
        before, after = set(old.get("BinaryMediaTypes") or []), set(new.get("BinaryMediaTypes") or [])
        patches += [{"op": "add", "path": f"/binaryMediaTypes/{_escape(t)}"} for t in sorted(after - before)]
        patches += [{"op": "remove", "path": f"/binaryMediaTypes/{_escape(t)}"} for t in sorted(before - after)]
        if patches:
            _call(ctx, "UpdateRestApi", {"restApiId": physical_id, "patchOperations": patches})
        retag(ctx, resource_arn(ctx, f"/restapis/{physical_id}"), old, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteRestApi", {"restApiId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = _call(ctx, "GetRestApi", {"restApiId": physical_id})
        return Created(physical_id, {"RestApiId": physical_id, "RootResourceId": found["rootResourceId"]})

    readable = frozenset({"Name", "Description", "ApiKeySourceType", "BinaryMediaTypes", "MinimumCompressionSize",
                          "DisableExecuteApiEndpoint", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: _call(ctx, "GetRestApi", {"restApiId": physical_id}), *_MISSING)
        if found is None:
            return None
        names = tuple(self.readable - {"Tags"})
        return {**read_back(found, names, capitalise=True, ApiKeySourceType="apiKeySource"), "Tags": tag_list(found.get("tags") or {})}


class ResourceProvider(BaseProvider):
    """AWS::ApiGateway::Resource. `Ref`: the resource id; `Fn::GetAtt`: `ResourceId`."""

    type_name = "AWS::ApiGateway::Resource"
    replaces = frozenset({"ParentId", "PathPart", "RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        found = _call(ctx, "CreateResource", {"restApiId": properties["RestApiId"], "parentId": properties["ParentId"],
                                              "pathPart": properties["PathPart"]})
        return Created(found["id"], {"ResourceId": found["id"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteResource", {"restApiId": properties["RestApiId"],
                                                             "resourceId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"ResourceId": physical_id})


class MethodProvider(BaseProvider):
    """AWS::ApiGateway::Method with its integration and responses. `Ref`: a generated method id.

    An update puts the method again (API Gateway's `PutMethod` replaces a method whole).
    """

    type_name = "AWS::ApiGateway::Method"
    replaces = frozenset({"HttpMethod", "ResourceId", "RestApiId"})

    @staticmethod
    def _target(properties: dict[str, Any]) -> dict[str, str]:
        return {"restApiId": properties["RestApiId"], "resourceId": properties["ResourceId"],
                "httpMethod": str(properties["HttpMethod"]).upper()}

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        self._put(ctx, properties)
        return Created(generated_name(ctx, max_length=64))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ignore_missing(lambda: _call(ctx, "DeleteMethod", self._target(old)), *_MISSING)
        self._put(ctx, new)
        return Created(physical_id)

    def _put(self, ctx: ProviderContext, properties: dict[str, Any]) -> None:
        target = self._target(properties)
        method = fit(_SERVICE, "PutMethod", properties, skip=("Integration", "MethodResponses", *_TARGET_KEYS))
        method.setdefault("authorizationType", "NONE")
        _call(ctx, "PutMethod", {**method, **target})
        for response in properties.get("MethodResponses") or []:
            _call(ctx, "PutMethodResponse", {**fit(_SERVICE, "PutMethodResponse", response), **target,
                                             "statusCode": str(response["StatusCode"])})
        integration = properties.get("Integration")
        if not integration:
            return
        _call(ctx, "PutIntegration", {**fit(_SERVICE, "PutIntegration", integration,
                                            skip=("IntegrationResponses",)), **target})
        for response in integration.get("IntegrationResponses") or []:
            _call(ctx, "PutIntegrationResponse", {**fit(_SERVICE, "PutIntegrationResponse", response), **target,
                                                  "statusCode": str(response["StatusCode"])})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteMethod", self._target(properties)), *_MISSING)


_TARGET_KEYS = ("RestApiId", "ResourceId", "HttpMethod")


# -- deployments and stages ---------------------------------------------------------------

def _method_setting_patches(settings: list[dict[str, Any]], op: str = "replace") -> list[dict[str, str]]:
    """`MethodSettings` as stage patch operations (`/~1pets/GET/throttling/burstLimit`)."""
    paths = {"MetricsEnabled": "metrics/enabled", "LoggingLevel": "logging/loglevel",
             "DataTraceEnabled": "logging/dataTrace", "ThrottlingBurstLimit": "throttling/burstLimit",
             "ThrottlingRateLimit": "throttling/rateLimit", "CachingEnabled": "caching/enabled",
             "CacheTtlInSeconds": "caching/ttlInSeconds", "CacheDataEncrypted": "caching/dataEncrypted"}
    operations = []
    for setting in settings or []:
        resource = str(setting.get("ResourcePath", "/*"))
        prefix = "/*" if resource == "/*" else "/" + _escape(resource)
        method = str(setting.get("HttpMethod", "*"))
        for key, path in paths.items():
            if setting.get(key) is not None:
                operations.append({"op": op, "path": f"{prefix}/{method}/{path}", "value": _value(setting[key])})
    return operations


def _access_log_patches(setting: dict[str, Any] | None) -> list[dict[str, str]]:
    if not setting:
        return []
    return [{"op": "replace", "path": f"/accessLogSettings/{key[0].lower()}{key[1:]}", "value": str(setting[key])}
            for key in ("DestinationArn", "Format") if setting.get(key)]


class DeploymentProvider(BaseProvider):
    """AWS::ApiGateway::Deployment. `Ref`: the deployment id; `Fn::GetAtt`: `DeploymentId`.

    With `StageName` the deployment creates that stage (with `StageDescription`'s settings)
    and deleting the deployment deletes it.
    """

    type_name = "AWS::ApiGateway::Deployment"
    replaces = frozenset({"DeploymentCanarySettings", "RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params: dict[str, Any] = {"restApiId": properties["RestApiId"]}
        if properties.get("Description"):
            params["description"] = properties["Description"]
        if properties.get("DeploymentCanarySettings"):
            params["canarySettings"] = fit(_SERVICE, "CreateDeployment", {
                "canarySettings": properties["DeploymentCanarySettings"]})["canarySettings"]
        stage = properties.get("StageDescription") or {}
        if properties.get("StageName"):
            params["stageName"] = properties["StageName"]
            if stage.get("Description"):
                params["stageDescription"] = stage["Description"]
            if stage.get("Variables"):
                params["variables"] = {str(k): str(v) for k, v in stage["Variables"].items()}
        deployment_id = _call(ctx, "CreateDeployment", params)["id"]
        if properties.get("StageName"):
            patches = _method_setting_patches(stage.get("MethodSettings"))
            patches += _access_log_patches(stage.get("AccessLogSetting"))
            if stage.get("TracingEnabled") is not None:
                patches.append({"op": "replace", "path": "/tracingEnabled", "value": _value(stage["TracingEnabled"])})
            if patches:
                _call(ctx, "UpdateStage", {"restApiId": properties["RestApiId"], "stageName": properties["StageName"],
                                           "patchOperations": patches})
        return Created(deployment_id, {"DeploymentId": deployment_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"Description": "/description"})
        if patches:
            _call(ctx, "UpdateDeployment", {"restApiId": new["RestApiId"], "deploymentId": physical_id,
                                            "patchOperations": patches})
        if new.get("StageName") and new.get("StageName") != old.get("StageName"):
            _call(ctx, "CreateStage", {"restApiId": new["RestApiId"], "stageName": new["StageName"],
                                       "deploymentId": physical_id})
        return Created(physical_id, {"DeploymentId": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        api = properties["RestApiId"]
        if properties.get("StageName"):
            ignore_missing(lambda: _call(ctx, "DeleteStage", {"restApiId": api, "stageName": properties["StageName"]}),
                           *_MISSING)
        ignore_missing(lambda: _call(ctx, "DeleteDeployment", {"restApiId": api, "deploymentId": physical_id}),
                       *_MISSING)


#: Stage property -> UpdateStage patch path.
_STAGE_PATHS = {"DeploymentId": "/deploymentId", "Description": "/description", "TracingEnabled": "/tracingEnabled",
                "CacheClusterEnabled": "/cacheClusterEnabled", "CacheClusterSize": "/cacheClusterSize",
                "ClientCertificateId": "/clientCertificateId", "DocumentationVersion": "/documentationVersion"}


class StageProvider(BaseProvider):
    """AWS::ApiGateway::Stage. `Ref`: the stage name."""

    type_name = "AWS::ApiGateway::Stage"
    replaces = frozenset({"RestApiId", "StageName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = str(properties.get("StageName") or generated_name(ctx, max_length=128))
        params = fit(_SERVICE, "CreateStage", properties,
                     skip=("Tags", "MethodSettings", "AccessLogSetting", "CanarySetting", "StageName"))
        if properties.get("CanarySetting"):
            params["canarySettings"] = fit(_SERVICE, "CreateStage",
                                           {"canarySettings": properties["CanarySetting"]})["canarySettings"]
        _call(ctx, "CreateStage", {**params, "stageName": name, **tags_param(ctx, properties)})
        patches = _method_setting_patches(properties.get("MethodSettings"))
        patches += _access_log_patches(properties.get("AccessLogSetting"))
        if patches:
            _call(ctx, "UpdateStage", {"restApiId": properties["RestApiId"], "stageName": name,
                                       "patchOperations": patches})
        return Created(name)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, _STAGE_PATHS)
        before, after = tag_map(old.get("Variables")), tag_map(new.get("Variables"))
        patches += [{"op": "replace", "path": f"/variables/{_escape(k)}", "value": v}
                    for k, v in after.items() if before.get(k) != v]
        patches += [{"op": "remove", "path": f"/variables/{_escape(k)}"} for k in before if k not in after]
        if new.get("MethodSettings") != old.get("MethodSettings"):
            patches += _method_setting_patches(new.get("MethodSettings"))
        if new.get("AccessLogSetting") != old.get("AccessLogSetting"):
            patches += _access_log_patches(new.get("AccessLogSetting")) or [
                {"op": "remove", "path": "/accessLogSettings"}]
        if patches:
            _call(ctx, "UpdateStage", {"restApiId": new["RestApiId"], "stageName": physical_id,
                                       "patchOperations": patches})
        retag(ctx, resource_arn(ctx, f"/restapis/{new['RestApiId']}/stages/{physical_id}"), old, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteStage", {"restApiId": properties["RestApiId"],
                                                          "stageName": physical_id}), *_MISSING)


# -- authorizers, models, validators ------------------------------------------------------

_AUTHORIZER_PATHS = {"Name": "/name", "Type": "/type", "AuthorizerUri": "/authorizerUri",
                     "AuthorizerCredentials": "/authorizerCredentials", "IdentitySource": "/identitySource",
                     "IdentityValidationExpression": "/identityValidationExpression",
                     "AuthorizerResultTtlInSeconds": "/authorizerResultTtlInSeconds", "AuthType": "/authType"}


class AuthorizerProvider(BaseProvider):
    """AWS::ApiGateway::Authorizer. `Ref`: the authorizer id; `Fn::GetAtt`: `AuthorizerId`."""

    type_name = "AWS::ApiGateway::Authorizer"
    replaces = frozenset({"RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateAuthorizer", properties)
        params.setdefault("name", generated_name(ctx, max_length=128))
        found = _call(ctx, "CreateAuthorizer", params)
        return Created(found["id"], {"AuthorizerId": found["id"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, _AUTHORIZER_PATHS)
        before, after = set(old.get("ProviderARNs") or []), set(new.get("ProviderARNs") or [])
        patches += [{"op": "add", "path": f"/providerARNs/{_escape(a)}"} for a in sorted(after - before)]
        patches += [{"op": "remove", "path": f"/providerARNs/{_escape(a)}"} for a in sorted(before - after)]
        if patches:
            _call(ctx, "UpdateAuthorizer", {"restApiId": new["RestApiId"], "authorizerId": physical_id,
                                            "patchOperations": patches})
        return Created(physical_id, {"AuthorizerId": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteAuthorizer", {"restApiId": properties["RestApiId"],
                                                               "authorizerId": physical_id}), *_MISSING)


class ModelProvider(BaseProvider):
    """AWS::ApiGateway::Model. `Ref`: the model name."""

    type_name = "AWS::ApiGateway::Model"
    replaces = frozenset({"ContentType", "Name", "RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = str(properties.get("Name") or _alphanumeric_name(ctx))
        params = fit(_SERVICE, "CreateModel", properties, skip=("Name",))
        params.setdefault("contentType", "application/json")
        if "schema" in params:
            params["schema"] = as_json(properties["Schema"])
        _call(ctx, "CreateModel", {**params, "name": name})
        return Created(name)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"Description": "/description", "Schema": "/schema"})
        if patches:
            _call(ctx, "UpdateModel", {"restApiId": new["RestApiId"], "modelName": physical_id,
                                       "patchOperations": patches})
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteModel", {"restApiId": properties["RestApiId"],
                                                          "modelName": physical_id}), *_MISSING)


class RequestValidatorProvider(BaseProvider):
    """AWS::ApiGateway::RequestValidator. `Ref`/`Fn::GetAtt RequestValidatorId`: the validator id."""

    type_name = "AWS::ApiGateway::RequestValidator"
    replaces = frozenset({"Name", "RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateRequestValidator", properties)
        params.setdefault("name", generated_name(ctx, max_length=128))
        found = _call(ctx, "CreateRequestValidator", params)
        return Created(found["id"], {"RequestValidatorId": found["id"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"ValidateRequestBody": "/validateRequestBody",
                                      "ValidateRequestParameters": "/validateRequestParameters"})
        if patches:
            _call(ctx, "UpdateRequestValidator", {"restApiId": new["RestApiId"], "requestValidatorId": physical_id,
                                                  "patchOperations": patches})
        return Created(physical_id, {"RequestValidatorId": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteRequestValidator", {
            "restApiId": properties["RestApiId"], "requestValidatorId": physical_id}), *_MISSING)


class GatewayResponseProvider(BaseProvider):
    """AWS::ApiGateway::GatewayResponse. `Ref`/`Fn::GetAtt Id`: a generated id."""

    type_name = "AWS::ApiGateway::GatewayResponse"
    replaces = frozenset({"ResponseType", "RestApiId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        self._put(ctx, properties)
        physical = generated_name(ctx, max_length=64)
        return Created(physical, {"Id": physical})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._put(ctx, new)
        return Created(physical_id, {"Id": physical_id})

    @staticmethod
    def _put(ctx: ProviderContext, properties: dict[str, Any]) -> None:
        _call(ctx, "PutGatewayResponse", fit(_SERVICE, "PutGatewayResponse", properties))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteGatewayResponse", {
            "restApiId": properties["RestApiId"], "responseType": properties["ResponseType"]}), *_MISSING)


# -- keys and usage plans -----------------------------------------------------------------

class ApiKeyProvider(BaseProvider):
    """AWS::ApiGateway::ApiKey. `Ref`/`Fn::GetAtt APIKeyId`: the key id."""

    type_name = "AWS::ApiGateway::ApiKey"
    replaces = frozenset({"GenerateDistinctId", "Name", "Value"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateApiKey", properties, skip=("Tags",))
        params.setdefault("name", generated_name(ctx, max_length=128))
        found = _call(ctx, "CreateApiKey", {**params, **tags_param(ctx, properties)})
        return Created(found["id"], {"APIKeyId": found["id"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"Description": "/description", "Enabled": "/enabled",
                                      "CustomerId": "/customerId"})
        stages = {f"{s['RestApiId']}/{s['StageName']}" for s in new.get("StageKeys") or []}
        before = {f"{s['RestApiId']}/{s['StageName']}" for s in old.get("StageKeys") or []}
        patches += [{"op": "add", "path": "/stages", "value": s} for s in sorted(stages - before)]
        patches += [{"op": "remove", "path": "/stages", "value": s} for s in sorted(before - stages)]
        if patches:
            _call(ctx, "UpdateApiKey", {"apiKey": physical_id, "patchOperations": patches})
        retag(ctx, resource_arn(ctx, f"/apikeys/{physical_id}"), old, new)
        return Created(physical_id, {"APIKeyId": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteApiKey", {"apiKey": physical_id}), *_MISSING)


class UsagePlanProvider(BaseProvider):
    """AWS::ApiGateway::UsagePlan. `Ref`/`Fn::GetAtt Id`: the plan id."""

    type_name = "AWS::ApiGateway::UsagePlan"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateUsagePlan", properties, skip=("Tags", "UsagePlanName", "ApiStages"))
        params["name"] = str(properties.get("UsagePlanName") or generated_name(ctx, max_length=128))
        if properties.get("ApiStages"):
            params["apiStages"] = fit(_SERVICE, "CreateUsagePlan", {"apiStages": properties["ApiStages"]})["apiStages"]
        found = _call(ctx, "CreateUsagePlan", {**params, **tags_param(ctx, properties)})
        return Created(found["id"], {"Id": found["id"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"Description": "/description", "UsagePlanName": "/name"})
        for key, section in (("Throttle", "throttle"), ("Quota", "quota")):
            before, after = old.get(key) or {}, new.get(key) or {}
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    path = f"/{section}/{name[0].lower()}{name[1:]}"
                    patches.append({"op": "replace", "path": path, "value": _value(after[name])} if name in after
                                   else {"op": "remove", "path": path})
        stages = {f"{s['ApiId']}:{s['Stage']}" for s in new.get("ApiStages") or []}
        before_stages = {f"{s['ApiId']}:{s['Stage']}" for s in old.get("ApiStages") or []}
        patches += [{"op": "add", "path": "/apiStages", "value": s} for s in sorted(stages - before_stages)]
        patches += [{"op": "remove", "path": "/apiStages", "value": s} for s in sorted(before_stages - stages)]
        if patches:
            _call(ctx, "UpdateUsagePlan", {"usagePlanId": physical_id, "patchOperations": patches})
        retag(ctx, resource_arn(ctx, f"/usageplans/{physical_id}"), old, new)
        return Created(physical_id, {"Id": physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteUsagePlan", {"usagePlanId": physical_id}), *_MISSING)


class UsagePlanKeyProvider(BaseProvider):
    """AWS::ApiGateway::UsagePlanKey. `Ref`/`Fn::GetAtt Id`: `<key id>:<usage plan id>`."""

    type_name = "AWS::ApiGateway::UsagePlanKey"
    replaces = frozenset({"KeyId", "KeyType", "UsagePlanId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        _call(ctx, "CreateUsagePlanKey", {"usagePlanId": properties["UsagePlanId"], "keyId": properties["KeyId"],
                                          "keyType": properties["KeyType"]})
        physical = f"{properties['KeyId']}:{properties['UsagePlanId']}"
        return Created(physical, {"Id": physical})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteUsagePlanKey", {"usagePlanId": properties["UsagePlanId"],
                                                                 "keyId": properties["KeyId"]}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


# -- custom domain names and account ------------------------------------------------------

class DomainNameProvider(BaseProvider):
    """AWS::ApiGateway::DomainName. `Ref`: the domain name; `Fn::GetAtt`: the distribution and
    regional names and hosted zones, `DomainNameArn`."""

    type_name = "AWS::ApiGateway::DomainName"
    replaces = frozenset({"DomainName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateDomainName", properties, skip=("Tags",))
        found = _call(ctx, "CreateDomainName", {**params, **tags_param(ctx, properties)})
        return self._created(ctx, found)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        patches = replaced(old, new, {"CertificateArn": "/certificateArn", "SecurityPolicy": "/securityPolicy",
                                      "RegionalCertificateArn": "/regionalCertificateArn"})
        if patches:
            _call(ctx, "UpdateDomainName", {"domainName": physical_id, "patchOperations": patches})
        retag(ctx, resource_arn(ctx, f"/domainnames/{physical_id}"), old, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteDomainName", {"domainName": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return self._created(ctx, _call(ctx, "GetDomainName", {"domainName": physical_id}))

    @staticmethod
    def _created(ctx: ProviderContext, found: dict[str, Any]) -> Created:
        name = found["domainName"]
        return Created(name, {
            "DistributionDomainName": found.get("distributionDomainName"),
            "DistributionHostedZoneId": found.get("distributionHostedZoneId"),
            "RegionalDomainName": found.get("regionalDomainName"),
            "RegionalHostedZoneId": found.get("regionalHostedZoneId"),
            "DomainNameArn": found.get("domainNameArn") or resource_arn(ctx, f"/domainnames/{name}")})


class BasePathMappingProvider(BaseProvider):
    """AWS::ApiGateway::BasePathMapping (the reference documents no `Ref`; a generated id)."""

    type_name = "AWS::ApiGateway::BasePathMapping"
    replaces = frozenset({"BasePath", "DomainName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        _call(ctx, "CreateBasePathMapping", fit(_SERVICE, "CreateBasePathMapping", properties))
        return Created(generated_name(ctx, max_length=64))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self.delete(ctx, physical_id, old)
        self.create(ctx, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteBasePathMapping", {
            "domainName": properties["DomainName"], "basePath": properties.get("BasePath") or "(none)"}), *_MISSING)


class AccountProvider(BaseProvider):
    """AWS::ApiGateway::Account: the region's CloudWatch role. `Ref`/`Fn::GetAtt Id`: a generated id.

    Deleting it leaves the account's setting as it is (the setting belongs to the account).
    """

    type_name = "AWS::ApiGateway::Account"
    replaces = frozenset()

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        self._set(ctx, properties)
        physical = generated_name(ctx, max_length=64)
        return Created(physical, {"Id": physical})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._set(ctx, new)
        return Created(physical_id, {"Id": physical_id})

    @staticmethod
    def _set(ctx: ProviderContext, properties: dict[str, Any]) -> None:
        if properties.get("CloudWatchRoleArn"):
            _call(ctx, "UpdateAccount", {"patchOperations": [
                {"op": "replace", "path": "/cloudwatchRoleArn", "value": properties["CloudWatchRoleArn"]}]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        return None
