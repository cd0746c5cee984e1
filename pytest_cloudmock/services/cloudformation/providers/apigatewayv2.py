"""AWS::ApiGatewayV2::* (HTTP and WebSocket APIs), made through our API Gateway v2.

The API's members carry the template's property names, so properties go to the create and
update calls as they are (`shaped.fit` coerces template scalars). `Api` with `Body` /
`BodyS3Location` goes through `ImportApi` / `ReimportApi`, and with `Target` is a quick
create (integration, route and auto-deployed `$default` stage made by the service).
"""

from __future__ import annotations

from typing import Any, ClassVar

from .apigateway import api_definition
from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    arn,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
)
from .shaped import fit, read_back

_MISSING = ("NotFoundException",)
_SERVICE = "apigatewayv2"


def _call(ctx: ProviderContext, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    return ctx.call(_SERVICE, operation, params)


def _tags(ctx: ProviderContext, properties: dict[str, Any]) -> dict[str, Any]:
    tags = resource_tags(ctx, properties)
    return {"Tags": {t["Key"]: t["Value"] for t in tags}} if tags else {}


def _retag(ctx: ProviderContext, resource_arn: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    to_set, to_remove = tag_changes(old, new)
    if to_set:
        _call(ctx, "TagResource", {"ResourceArn": resource_arn, "Tags": to_set})
    if to_remove:
        _call(ctx, "UntagResource", {"ResourceArn": resource_arn, "TagKeys": to_remove})


#: Api properties that are not UpdateApi members or are sent another way.
_IMPORT_KEYS = ("Body", "BodyS3Location", "BasePath", "FailOnWarnings", "DisableSchemaValidation", "Tags")


class ApiProvider(BaseProvider):
    """AWS::ApiGatewayV2::Api. `Ref`: the API id; `Fn::GetAtt`: `ApiId`, `ApiEndpoint`."""

    type_name = "AWS::ApiGatewayV2::Api"
    replaces = frozenset({"ProtocolType"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        definition = api_definition(ctx, properties)
        if definition is None:
            params = fit(_SERVICE, "CreateApi", properties, skip=_IMPORT_KEYS)
            params.setdefault("Name", generated_name(ctx, max_length=128))
            api_id = _call(ctx, "CreateApi", {**params, **_tags(ctx, properties)})["ApiId"]
            return self.describe(ctx, api_id, properties)
        imported: dict[str, Any] = {"Body": definition.decode()}
        if properties.get("BasePath"):
            imported["Basepath"] = properties["BasePath"]
        if properties.get("FailOnWarnings") is not None:
            imported["FailOnWarnings"] = properties["FailOnWarnings"] in (True, "true", "True")
        api_id = _call(ctx, "ImportApi", imported)["ApiId"]
        self._update(ctx, api_id, properties)
        tags = _tags(ctx, properties)
        if tags:
            _call(ctx, "TagResource", {"ResourceArn": self._arn(ctx, api_id), **tags})
        return self.describe(ctx, api_id, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        definition = api_definition(ctx, new)
        if definition is not None and (new.get("Body"), new.get("BodyS3Location")) != (old.get("Body"), old.get("BodyS3Location")):
            params: dict[str, Any] = {"ApiId": physical_id, "Body": definition.decode()}
            if new.get("BasePath"):
                params["Basepath"] = new["BasePath"]
            _call(ctx, "ReimportApi", params)
        self._update(ctx, physical_id, new)
        _retag(ctx, self._arn(ctx, physical_id), old, new)
        return self.describe(ctx, physical_id, new)

    @staticmethod
    def _update(ctx: ProviderContext, api_id: str, properties: dict[str, Any]) -> None:
        """Properties set beside a definition win over it (the resource reference's rule)."""
        params = fit(_SERVICE, "UpdateApi", properties, skip=(*_IMPORT_KEYS, "Target", "RouteKey", "CredentialsArn"))
        if params:
            _call(ctx, "UpdateApi", {**params, "ApiId": api_id})

    @staticmethod
    def _arn(ctx: ProviderContext, api_id: str) -> str:
        return arn(ctx, "apigateway", f"/apis/{api_id}", account=False)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteApi", {"ApiId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = _call(ctx, "GetApi", {"ApiId": physical_id})
        return Created(physical_id, {"ApiId": physical_id, "ApiEndpoint": found.get("ApiEndpoint")})

    readable = frozenset({"Name", "Description", "ProtocolType", "RouteSelectionExpression", "ApiKeySelectionExpression",
                          "DisableExecuteApiEndpoint", "Version", "CorsConfiguration", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: _call(ctx, "GetApi", {"ApiId": physical_id}), *_MISSING)
        return None if found is None else read_back(found, tuple(self.readable))


class _Child(BaseProvider):
    """A resource living under its parents (`ApiId`, ...): `Create<Kind>`, `Update<Kind>` and
    `Delete<Kind>` with the id the service answers under `id_member`, which is its `Ref` and its
    one `Fn::GetAtt` attribute."""

    kind: ClassVar[str]
    id_member: ClassVar[str]
    parents: ClassVar[tuple[str, ...]] = ("ApiId",)

    def _parents(self, properties: dict[str, Any]) -> dict[str, Any]:
        return {key: properties[key] for key in self.parents}

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        found = _call(ctx, f"Create{self.kind}", {**self.create_params(ctx, properties), **self._parents(properties)})
        return Created(found[self.id_member], {self.id_member: found[self.id_member]})

    def create_params(self, ctx: ProviderContext, properties: dict[str, Any]) -> dict[str, Any]:
        return fit(_SERVICE, f"Create{self.kind}", properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_SERVICE, f"Update{self.kind}", new)
        _call(ctx, f"Update{self.kind}", {**params, **self._parents(new), self.id_member: physical_id})
        return Created(physical_id, {self.id_member: physical_id})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, f"Delete{self.kind}", {**self._parents(properties),
                                                                 self.id_member: physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {self.id_member: physical_id})


class RouteProvider(_Child):
    """AWS::ApiGatewayV2::Route. `Ref`/`Fn::GetAtt RouteId`: the route id."""

    type_name = "AWS::ApiGatewayV2::Route"
    replaces = frozenset({"ApiId"})
    kind, id_member = "Route", "RouteId"


class IntegrationProvider(_Child):
    """AWS::ApiGatewayV2::Integration. `Ref`/`Fn::GetAtt IntegrationId`: the integration id."""

    type_name = "AWS::ApiGatewayV2::Integration"
    replaces = frozenset({"ApiId"})
    kind, id_member = "Integration", "IntegrationId"


class IntegrationResponseProvider(_Child):
    """AWS::ApiGatewayV2::IntegrationResponse. `Ref`/`Fn::GetAtt IntegrationResponseId`."""

    type_name = "AWS::ApiGatewayV2::IntegrationResponse"
    replaces = frozenset({"ApiId", "IntegrationId"})
    kind, id_member, parents = "IntegrationResponse", "IntegrationResponseId", ("ApiId", "IntegrationId")


class RouteResponseProvider(_Child):
    """AWS::ApiGatewayV2::RouteResponse. `Ref`/`Fn::GetAtt RouteResponseId`."""

    type_name = "AWS::ApiGatewayV2::RouteResponse"
    replaces = frozenset({"ApiId", "RouteId"})
    kind, id_member, parents = "RouteResponse", "RouteResponseId", ("ApiId", "RouteId")


class DeploymentProvider(_Child):
    """AWS::ApiGatewayV2::Deployment. `Ref`/`Fn::GetAtt DeploymentId`: the deployment id."""

    type_name = "AWS::ApiGatewayV2::Deployment"
    replaces = frozenset({"ApiId"})
    kind, id_member = "Deployment", "DeploymentId"


class AuthorizerProvider(_Child):
    """AWS::ApiGatewayV2::Authorizer. `Ref`/`Fn::GetAtt AuthorizerId`: the authorizer id."""

    type_name = "AWS::ApiGatewayV2::Authorizer"
    replaces = frozenset({"ApiId"})
    kind, id_member = "Authorizer", "AuthorizerId"


class ModelProvider(_Child):
    """AWS::ApiGatewayV2::Model. `Ref`/`Fn::GetAtt ModelId`: the model id."""

    type_name = "AWS::ApiGatewayV2::Model"
    replaces = frozenset({"ApiId"})
    kind, id_member = "Model", "ModelId"


class ApiMappingProvider(_Child):
    """AWS::ApiGatewayV2::ApiMapping. `Ref`/`Fn::GetAtt ApiMappingId`: the mapping id."""

    type_name = "AWS::ApiGatewayV2::ApiMapping"
    replaces = frozenset({"DomainName"})
    kind, id_member, parents = "ApiMapping", "ApiMappingId", ("DomainName",)


class StageProvider(BaseProvider):
    """AWS::ApiGatewayV2::Stage. `Ref`: the stage name."""

    type_name = "AWS::ApiGatewayV2::Stage"
    replaces = frozenset({"ApiId", "StageName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateStage", properties, skip=("Tags",))
        found = _call(ctx, "CreateStage", {**params, **_tags(ctx, properties)})
        return Created(found["StageName"])

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "UpdateStage", new)
        _call(ctx, "UpdateStage", {**params, "StageName": physical_id})
        _retag(ctx, arn(ctx, "apigateway", f"/apis/{new['ApiId']}/stages/{physical_id}", account=False), old, new)
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteStage", {"ApiId": properties["ApiId"], "StageName": physical_id}),
                       *_MISSING)


class DomainNameProvider(BaseProvider):
    """AWS::ApiGatewayV2::DomainName. `Ref`: the domain name; `Fn::GetAtt`: `RegionalDomainName`,
    `RegionalHostedZoneId`, `DomainNameArn`."""

    type_name = "AWS::ApiGatewayV2::DomainName"
    replaces = frozenset({"DomainName"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "CreateDomainName", properties, skip=("Tags",))
        return self._created(ctx, _call(ctx, "CreateDomainName", {**params, **_tags(ctx, properties)}))

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_SERVICE, "UpdateDomainName", new, skip=("Tags",))
        _call(ctx, "UpdateDomainName", {**params, "DomainName": physical_id})
        _retag(ctx, self._arn(ctx, physical_id), old, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: _call(ctx, "DeleteDomainName", {"DomainName": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return self._created(ctx, _call(ctx, "GetDomainName", {"DomainName": physical_id}))

    @staticmethod
    def _arn(ctx: ProviderContext, name: str) -> str:
        return arn(ctx, "apigateway", f"/domainnames/{name}", account=False)

    def _created(self, ctx: ProviderContext, found: dict[str, Any]) -> Created:
        name = found["DomainName"]
        config = (found.get("DomainNameConfigurations") or [{}])[0]
        return Created(name, {"RegionalDomainName": config.get("ApiGatewayDomainName"),
                              "RegionalHostedZoneId": config.get("HostedZoneId"),
                              "DomainNameArn": found.get("DomainNameArn") or self._arn(ctx, name)})
