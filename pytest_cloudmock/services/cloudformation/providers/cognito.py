"""AWS::Cognito::* user pools (cognito-idp) and identity pools (cognito-identity).

Properties go to the create and update calls by the operations' shapes (`shaped.fit`);
`Ref` and `Fn::GetAtt` as the AWS CloudFormation resource reference documents each type.
The WebAuthn settings and identity pools' Cognito Sync properties
(`CognitoStreams`, `PushSync`, `CognitoEvents`) are accepted and not applied.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

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

_IDP = "cognito-idp"
_IDENTITY = "cognito-identity"
_MISSING = ("ResourceNotFoundException",)
_USER_MISSING = ("UserNotFoundException", "ResourceNotFoundException")


def _tag_map(ctx: ProviderContext, properties: dict[str, Any], key: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource_tags(ctx, properties, key)}


def _retag(ctx: ProviderContext, service: str, resource_arn: str, old: dict[str, Any], new: dict[str, Any],
           key: str) -> None:
    to_set, to_remove = tag_changes(old, new, key)
    if to_set:
        ctx.call(service, "TagResource", {"ResourceArn": resource_arn, "Tags": to_set})
    if to_remove:
        ctx.call(service, "UntagResource", {"ResourceArn": resource_arn, "TagKeys": to_remove})


class UserPoolProvider(BaseProvider):
    """AWS::Cognito::UserPool. `Ref`: the pool id; `Fn::GetAtt`: `Arn`, `ProviderName`,
    `ProviderURL`, `UserPoolId`.

    `EnabledMfas` goes to `SetUserPoolMfaConfig`; custom attributes added to `Schema` go to
    `AddCustomAttributes` (a pool's attributes cannot be changed or removed).
    """

    type_name = "AWS::Cognito::UserPool"
    replaces = frozenset({"AliasAttributes", "UsernameAttributes", "UsernameConfiguration"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_IDP, "CreateUserPool", properties, skip=("UserPoolTags",), UserPoolName="PoolName")
        params.setdefault("PoolName", generated_name(ctx, max_length=128))
        tags = _tag_map(ctx, properties, "UserPoolTags")
        if tags:
            params["UserPoolTags"] = tags
        pool = ctx.call(_IDP, "CreateUserPool", params)["UserPool"]
        self._mfa(ctx, pool["Id"], properties, {})
        return self._created(ctx, pool["Id"], pool["Arn"])

    @staticmethod
    def _mfa(ctx: ProviderContext, pool_id: str, new: dict[str, Any], old: dict[str, Any]) -> None:
        """`EnabledMfas` (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`) as the pool's MFA configuration."""
        enabled = new.get("EnabledMfas")
        if enabled is None or (enabled == old.get("EnabledMfas") and new.get("MfaConfiguration") == old.get(
                "MfaConfiguration")):
            return
        params: dict[str, Any] = {"UserPoolId": pool_id, "MfaConfiguration": new.get("MfaConfiguration") or "OFF",
                                  "SoftwareTokenMfaConfiguration": {"Enabled": "SOFTWARE_TOKEN_MFA" in enabled}}
        if "SMS_MFA" in enabled:
            sms = fit(_IDP, "SetUserPoolMfaConfig", {"SmsMfaConfiguration": {
                "SmsAuthenticationMessage": new.get("SmsAuthenticationMessage"),
                "SmsConfiguration": new.get("SmsConfiguration")}})
            params.update(sms)
        if "EMAIL_OTP" in enabled:
            params["EmailMfaConfiguration"] = {}
        ctx.call(_IDP, "SetUserPoolMfaConfig", params)

    @staticmethod
    def _add_attributes(ctx: ProviderContext, pool_id: str, new: dict[str, Any], old: dict[str, Any]) -> None:
        before = {a.get("Name") for a in old.get("Schema") or []}
        added = [a for a in new.get("Schema") or [] if a.get("Name") not in before]
        if added:
            attributes = fit(_IDP, "AddCustomAttributes", {"CustomAttributes": added})["CustomAttributes"]
            ctx.call(_IDP, "AddCustomAttributes", {"UserPoolId": pool_id, "CustomAttributes": attributes})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_IDP, "UpdateUserPool", new, skip=("UserPoolTags",), UserPoolName="PoolName")
        ctx.call(_IDP, "UpdateUserPool", {**params, "UserPoolId": physical_id})
        self._add_attributes(ctx, physical_id, new, old)
        self._mfa(ctx, physical_id, new, old)
        created = self.describe(ctx, physical_id, new)
        _retag(ctx, _IDP, created.attributes["Arn"], old, new, "UserPoolTags")
        return created

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "DeleteUserPool", {"UserPoolId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        pool = ctx.call(_IDP, "DescribeUserPool", {"UserPoolId": physical_id})["UserPool"]
        return self._created(ctx, physical_id, pool["Arn"])

    readable = frozenset({"UserPoolName", "Policies", "AutoVerifiedAttributes", "UsernameAttributes", "AliasAttributes",
                          "MfaConfiguration", "DeletionProtection", "EmailVerificationMessage",
                          "EmailVerificationSubject", "SmsAuthenticationMessage", "UserPoolTags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call(_IDP, "DescribeUserPool", {"UserPoolId": physical_id}), *_MISSING)
        return None if found is None else read_back(found["UserPool"], tuple(self.readable), UserPoolName="Name")

    @staticmethod
    def _created(ctx: ProviderContext, pool_id: str, pool_arn: str) -> Created:
        provider = f"cognito-idp.{ctx.region}.amazonaws.com/{pool_id}"
        return Created(pool_id, {"Arn": pool_arn, "UserPoolId": pool_id, "ProviderName": provider,
                                 "ProviderURL": f"https://{provider}"})


class UserPoolClientProvider(BaseProvider):
    """AWS::Cognito::UserPoolClient. `Ref`: the client id; `Fn::GetAtt`: `ClientId`,
    `ClientSecret`, `Name`."""

    type_name = "AWS::Cognito::UserPoolClient"
    replaces = frozenset({"GenerateSecret", "UserPoolId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_IDP, "CreateUserPoolClient", properties)
        params.setdefault("ClientName", generated_name(ctx, max_length=128))
        return self._created(ctx.call(_IDP, "CreateUserPoolClient", params)["UserPoolClient"])

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_IDP, "UpdateUserPoolClient", new)
        params.setdefault("ClientName", self.describe(ctx, physical_id, old).attributes["Name"])
        found = ctx.call(_IDP, "UpdateUserPoolClient", {**params, "ClientId": physical_id})["UserPoolClient"]
        return self._created(found)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "DeleteUserPoolClient", {
            "UserPoolId": properties["UserPoolId"], "ClientId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return self._created(ctx.call(_IDP, "DescribeUserPoolClient", {
            "UserPoolId": properties["UserPoolId"], "ClientId": physical_id})["UserPoolClient"])

    @staticmethod
    def _created(client: dict[str, Any]) -> Created:
        return Created(client["ClientId"], {"ClientId": client["ClientId"], "Name": client.get("ClientName"),
                                            "ClientSecret": client.get("ClientSecret")})

    readable = frozenset({"UserPoolId", "ClientName", "ExplicitAuthFlows", "AccessTokenValidity", "IdTokenValidity",
                          "RefreshTokenValidity", "TokenValidityUnits", "CallbackURLs", "LogoutURLs",
                          "DefaultRedirectURI", "AllowedOAuthFlows", "AllowedOAuthScopes",
                          "AllowedOAuthFlowsUserPoolClient", "SupportedIdentityProviders", "ReadAttributes",
                          "WriteAttributes", "PreventUserExistenceErrors", "EnableTokenRevocation"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        """The client, found in the account's pools (its `Ref`, the client id, names no pool)."""
        params: dict[str, Any] = {"MaxResults": 60}
        while True:
            page = ctx.call(_IDP, "ListUserPools", params)
            for pool in page.get("UserPools") or []:
                found = read_or_gone(lambda pool_id=pool["Id"]: ctx.call(_IDP, "DescribeUserPoolClient", {
                    "UserPoolId": pool_id, "ClientId": physical_id}), *_MISSING)
                if found is not None:
                    return read_back(found["UserPoolClient"], tuple(self.readable))
            if not page.get("NextToken"):
                return None
            params["NextToken"] = page["NextToken"]


class UserPoolDomainProvider(BaseProvider):
    """AWS::Cognito::UserPoolDomain. `Ref`: the domain; `Fn::GetAtt`: `CloudFrontDistribution`."""

    type_name = "AWS::Cognito::UserPoolDomain"
    replaces = frozenset({"Domain", "UserPoolId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        found = ctx.call(_IDP, "CreateUserPoolDomain", fit(_IDP, "CreateUserPoolDomain", properties))
        return Created(properties["Domain"], {"CloudFrontDistribution": found.get("CloudFrontDomain")})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = fit(_IDP, "UpdateUserPoolDomain", new)
        if set(params) - {"Domain", "UserPoolId"}:
            ctx.call(_IDP, "UpdateUserPoolDomain", params)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "DeleteUserPoolDomain", {
            "Domain": physical_id, "UserPoolId": properties["UserPoolId"]}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call(_IDP, "DescribeUserPoolDomain", {"Domain": physical_id}).get("DomainDescription") or {}
        return Created(physical_id, {"CloudFrontDistribution": found.get("CloudFrontDistribution")})


class UserPoolGroupProvider(BaseProvider):
    """AWS::Cognito::UserPoolGroup. `Ref`: the group name."""

    type_name = "AWS::Cognito::UserPoolGroup"
    replaces = frozenset({"GroupName", "UserPoolId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_IDP, "CreateGroup", properties)
        params.setdefault("GroupName", generated_name(ctx, max_length=128))
        return Created(ctx.call(_IDP, "CreateGroup", params)["Group"]["GroupName"])

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call(_IDP, "UpdateGroup", {**fit(_IDP, "UpdateGroup", new), "GroupName": physical_id})
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "DeleteGroup", {
            "GroupName": physical_id, "UserPoolId": properties["UserPoolId"]}), *_MISSING)


class UserPoolUserProvider(BaseProvider):
    """AWS::Cognito::UserPoolUser (`AdminCreateUser`; every change replaces it). `Ref`: the user name."""

    type_name = "AWS::Cognito::UserPoolUser"
    replaces = frozenset({"ClientMetadata", "DesiredDeliveryMediums", "ForceAliasCreation", "MessageAction",
                          "UserAttributes", "UserPoolId", "Username", "ValidationData"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit(_IDP, "AdminCreateUser", properties)
        if not params.get("Username"):
            params["Username"] = str(uuid.uuid4())  # AWS names a user the template leaves unnamed by a UUID
        ctx.call(_IDP, "AdminCreateUser", params)
        # The name the template gave (an email in a pool whose user names are emails, where the
        # service's own user name is a UUID): what the user is found by.
        return Created(params["Username"])

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "AdminDeleteUser", {
            "Username": physical_id, "UserPoolId": properties["UserPoolId"]}), *_USER_MISSING)


class UserPoolResourceServerProvider(BaseProvider):
    """AWS::Cognito::UserPoolResourceServer. `Ref`: the identifier."""

    type_name = "AWS::Cognito::UserPoolResourceServer"
    replaces = frozenset({"Identifier", "UserPoolId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        found = ctx.call(_IDP, "CreateResourceServer", fit(_IDP, "CreateResourceServer", properties))
        return Created(found["ResourceServer"]["Identifier"])

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call(_IDP, "UpdateResourceServer", {**fit(_IDP, "UpdateResourceServer", new), "Identifier": physical_id})
        return Created(physical_id)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "DeleteResourceServer", {
            "Identifier": physical_id, "UserPoolId": properties["UserPoolId"]}), *_MISSING)


class UserPoolUserToGroupAttachmentProvider(BaseProvider):
    """AWS::Cognito::UserPoolUserToGroupAttachment (the reference documents no `Ref`; a generated id)."""

    type_name = "AWS::Cognito::UserPoolUserToGroupAttachment"
    replaces = frozenset({"GroupName", "UserPoolId", "Username"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        ctx.call(_IDP, "AdminAddUserToGroup", fit(_IDP, "AdminAddUserToGroup", properties))
        return Created(generated_name(ctx, max_length=64))

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDP, "AdminRemoveUserFromGroup", fit(_IDP, "AdminRemoveUserFromGroup",
                                                                              properties)), *_USER_MISSING)


# -- identity pools ------------------------------------------------------------------------

class IdentityPoolProvider(BaseProvider):
    """AWS::Cognito::IdentityPool. `Ref`/`Fn::GetAtt Id`: the pool id; `Fn::GetAtt Name`."""

    type_name = "AWS::Cognito::IdentityPool"
    replaces = frozenset()

    @staticmethod
    def _params(ctx: ProviderContext, properties: dict[str, Any], operation: str) -> dict[str, Any]:
        params = fit(_IDENTITY, operation, properties, skip=("IdentityPoolTags",))
        if not params.get("IdentityPoolName"):
            params["IdentityPoolName"] = re.sub(r"[^\w]", "_", generated_name(ctx, max_length=128))
        return params

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = self._params(ctx, properties, "CreateIdentityPool")
        tags = _tag_map(ctx, properties, "IdentityPoolTags")
        if tags:
            params["IdentityPoolTags"] = tags
        found = ctx.call(_IDENTITY, "CreateIdentityPool", params)
        return Created(found["IdentityPoolId"], {"Id": found["IdentityPoolId"], "Name": found["IdentityPoolName"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params = self._params(ctx, new, "UpdateIdentityPool")
        if not new.get("IdentityPoolName"):
            params["IdentityPoolName"] = self.describe(ctx, physical_id, old).attributes["Name"]
        found = ctx.call(_IDENTITY, "UpdateIdentityPool", {**params, "IdentityPoolId": physical_id})
        _retag(ctx, _IDENTITY, arn(ctx, _IDENTITY, f"identitypool/{physical_id}"), old, new, "IdentityPoolTags")
        return Created(physical_id, {"Id": physical_id, "Name": found["IdentityPoolName"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDENTITY, "DeleteIdentityPool", {"IdentityPoolId": physical_id}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call(_IDENTITY, "DescribeIdentityPool", {"IdentityPoolId": physical_id})
        return Created(physical_id, {"Id": physical_id, "Name": found["IdentityPoolName"]})


class IdentityPoolRoleAttachmentProvider(BaseProvider):
    """AWS::Cognito::IdentityPoolRoleAttachment (`SetIdentityPoolRoles`). `Ref`/`Fn::GetAtt Id`:
    the identity pool's id."""

    type_name = "AWS::Cognito::IdentityPoolRoleAttachment"
    replaces = frozenset({"IdentityPoolId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        pool_id = properties["IdentityPoolId"]
        params: dict[str, Any] = {"IdentityPoolId": pool_id, "Roles": dict(properties.get("Roles") or {})}
        mappings = properties.get("RoleMappings") or {}
        if mappings:
            # The template keys a mapping by any name; `IdentityProvider` names its provider when given.
            keyed = {m.get("IdentityProvider") or key: {k: v for k, v in m.items() if k != "IdentityProvider"}
                     for key, m in mappings.items()}
            params["RoleMappings"] = fit(_IDENTITY, "SetIdentityPoolRoles", {"RoleMappings": keyed})["RoleMappings"]
        ctx.call(_IDENTITY, "SetIdentityPoolRoles", params)
        return Created(pool_id, {"Id": pool_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        return self.create(ctx, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call(_IDENTITY, "SetIdentityPoolRoles", {
            "IdentityPoolId": properties["IdentityPoolId"], "Roles": {}, "RoleMappings": {}}), *_MISSING)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})
