"""User pools: create/describe/update/delete/list, schema and custom attributes, MFA
configuration, domains and tags."""

from __future__ import annotations

import copy
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CognitoBase, random_id
from .passwords import DEFAULT_POLICY
from .state import UserPool

#: What Create/UpdateUserPool keep as given (DescribeUserPool answers them back).
SETTINGS = (
    "Policies", "DeletionProtection", "LambdaConfig", "AutoVerifiedAttributes", "AliasAttributes",
    "UsernameAttributes", "SmsVerificationMessage", "EmailVerificationMessage", "EmailVerificationSubject",
    "VerificationMessageTemplate", "SmsAuthenticationMessage", "UserAttributeUpdateSettings",
    "MfaConfiguration", "DeviceConfiguration", "EmailConfiguration", "SmsConfiguration",
    "AdminCreateUserConfig", "UserPoolAddOns", "UsernameConfiguration", "AccountRecoverySetting",
    "UserPoolTier",
)
#: Fixed at creation: UpdateUserPool leaves them as they are.
FIXED = ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration")

_STRING = {"AttributeDataType": "String", "DeveloperOnlyAttribute": False, "Mutable": True, "Required": False,
           "StringAttributeConstraints": {"MinLength": "0", "MaxLength": "2048"}}
_BOOLEAN = {"AttributeDataType": "Boolean", "DeveloperOnlyAttribute": False, "Mutable": True, "Required": False}


def standard_schema() -> list[dict[str, Any]]:
    """The standard attributes every pool has, as DescribeUserPool lists them."""
    schema: list[dict[str, Any]] = [{"Name": "sub", **_STRING, "Mutable": False, "Required": True,
                                     "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}}]
    for name in ("name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
                 "profile", "picture", "website", "email"):
        schema.append({"Name": name, **copy.deepcopy(_STRING)})
    schema.append({"Name": "email_verified", **_BOOLEAN})
    schema.append({"Name": "gender", **copy.deepcopy(_STRING)})
    schema.append({"Name": "birthdate", **_STRING, "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "10"}})
    for name in ("zoneinfo", "locale", "phone_number"):
        schema.append({"Name": name, **copy.deepcopy(_STRING)})
    schema.append({"Name": "phone_number_verified", **_BOOLEAN})
    schema.append({"Name": "address", **copy.deepcopy(_STRING)})
    schema.append({"Name": "updated_at", "AttributeDataType": "Number", "DeveloperOnlyAttribute": False,
                   "Mutable": True, "Required": False, "NumberAttributeConstraints": {"MinValue": "0"}})
    return schema


def custom_attribute(given: dict[str, Any]) -> dict[str, Any]:
    name = given.get("Name") or ""
    attribute: dict[str, Any] = {
        "Name": name if name.startswith("custom:") else f"custom:{name}",
        "AttributeDataType": given.get("AttributeDataType", "String"),
        "DeveloperOnlyAttribute": bool(given.get("DeveloperOnlyAttribute", False)),
        "Mutable": bool(given.get("Mutable", True)), "Required": False,
    }
    if attribute["AttributeDataType"] == "String":
        attribute["StringAttributeConstraints"] = given.get("StringAttributeConstraints") or {}
    if attribute["AttributeDataType"] == "Number":
        attribute["NumberAttributeConstraints"] = given.get("NumberAttributeConstraints") or {}
    return attribute


class PoolOps(CognitoBase):
    """User pool operations."""

    def create_user_pool(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        config = self._settings(p)
        now = ctx.clock.now()
        pool_id = f"{ctx.region}_{random_id(9)}"
        schema = standard_schema()
        by_name = {a["Name"]: a for a in schema}
        for given in p.get("Schema") or []:
            name = given.get("Name", "")
            if name in by_name:  # a standard attribute made required, immutable or constrained
                by_name[name].update({k: v for k, v in given.items() if k != "Name"})
            else:
                schema.append(custom_attribute(given))
        pool = UserPool(pool_id, f"arn:{ctx.partition}:cognito-idp:{ctx.region}:{ctx.account_id}:userpool/{pool_id}",
                        p["PoolName"], now, now, config, schema, tags=dict(p.get("UserPoolTags") or {}))
        with self.store.lock:
            self.state(ctx).pools[pool_id] = pool
        return {"UserPool": self.describe(pool)}

    def _settings(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("AliasAttributes") and p.get("UsernameAttributes"):
            raise errors.invalid_parameter(
                "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
        config = {k: copy.deepcopy(p[k]) for k in SETTINGS if k in p}
        policy = (config.get("Policies") or {}).get("PasswordPolicy") or {}
        if policy and not 6 <= int(policy.get("MinimumLength", 8)) <= 99:
            raise errors.invalid_parameter("Password minimum length must be between 6 and 99.")
        return config

    def describe(self, pool: UserPool) -> dict[str, Any]:
        """The UserPoolType answer of DescribeUserPool (and CreateUserPool)."""
        c = pool.config
        policies = copy.deepcopy(c.get("Policies") or {})
        policies["PasswordPolicy"] = {**DEFAULT_POLICY, **(policies.get("PasswordPolicy") or {})}
        policies.setdefault("SignInPolicy", {"AllowedFirstAuthFactors": ["PASSWORD"]})
        admin = {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7,
                 **copy.deepcopy(c.get("AdminCreateUserConfig") or {})}
        out: dict[str, Any] = {
            **{k: copy.deepcopy(v) for k, v in c.items()},
            "Id": pool.pool_id, "Name": pool.name, "Arn": pool.arn, "Policies": policies,
            "DeletionProtection": c.get("DeletionProtection", "INACTIVE"),
            "LambdaConfig": copy.deepcopy(c.get("LambdaConfig") or {}),
            "LastModifiedDate": pool.modified, "CreationDate": pool.created,
            "SchemaAttributes": copy.deepcopy(pool.schema),
            "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE",
                                            **copy.deepcopy(c.get("VerificationMessageTemplate") or {})},
            "MfaConfiguration": c.get("MfaConfiguration", "OFF"),
            "EstimatedNumberOfUsers": len(pool.users),
            "EmailConfiguration": c.get("EmailConfiguration") or {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "UserPoolTags": dict(pool.tags), "AdminCreateUserConfig": admin,
            "UserPoolTier": c.get("UserPoolTier", "ESSENTIALS"),
        }
        if pool.domain:
            out["Domain"] = pool.domain
        if pool.custom_domain:
            out["CustomDomain"] = pool.custom_domain
        return out

    def describe_user_pool(self, ctx: RequestContext) -> dict[str, Any]:
        return {"UserPool": self.describe(self.pool(ctx))}

    def update_user_pool(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        config = self._settings({k: v for k, v in p.items() if k not in FIXED})
        with self.store.lock:
            # AWS resets settings an update leaves out to their defaults; creation-time ones stay
            pool.config = {**{k: pool.config[k] for k in FIXED if k in pool.config}, **config}
            if p.get("PoolName"):
                pool.name = p["PoolName"]
            if "UserPoolTags" in p:
                pool.tags = dict(p["UserPoolTags"])
            pool.modified = ctx.clock.now()
        return {}

    def delete_user_pool(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        if pool.config.get("DeletionProtection") == "ACTIVE":
            raise errors.invalid_parameter(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first.")
        with self.store.lock:
            state = self.state(ctx)
            state.pools.pop(pool.pool_id, None)
            for domain in [d for d, pid in state.domains.items() if pid == pool.pool_id]:
                del state.domains[domain]
        return {}

    def list_user_pools(self, ctx: RequestContext) -> dict[str, Any]:
        pools = sorted(self.state(ctx).pools.values(), key=lambda p: p.created)
        page, more = self.page(ctx, pools, "NextToken", "MaxResults", "pools")
        return {"UserPools": [{
            "Id": p.pool_id, "Name": p.name, "LambdaConfig": copy.deepcopy(p.config.get("LambdaConfig") or {}),
            "LastModifiedDate": p.modified, "CreationDate": p.created} for p in page], **more}

    def add_custom_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        added = [custom_attribute(a) for a in ctx.params["CustomAttributes"]]
        existing = {a["Name"] for a in pool.schema}
        for attribute in added:
            if attribute["Name"] in existing:
                raise errors.invalid_parameter(f"Existing attribute already has name {attribute['Name']}.")
        if sum(a["Name"].startswith("custom:") for a in pool.schema) + len(added) > 50:
            raise AWSError("LimitExceededException", "A user pool can have at most 50 custom attributes.")
        with self.store.lock:
            pool.schema.extend(added)
            pool.modified = ctx.clock.now()
        return {}

    # -- MFA configuration ----------------------------------------------------------------------
    def get_user_pool_mfa_config(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return {**copy.deepcopy(pool.mfa), "MfaConfiguration": pool.config.get("MfaConfiguration", "OFF")}

    def set_user_pool_mfa_config(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        with self.store.lock:
            for key in ("SmsMfaConfiguration", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration",
                        "WebAuthnConfiguration"):
                if key in p:
                    pool.mfa[key] = copy.deepcopy(p[key])
            if "MfaConfiguration" in p:
                pool.config["MfaConfiguration"] = p["MfaConfiguration"]
        return self.get_user_pool_mfa_config(ctx)

    # -- domains -------------------------------------------------------------------------------
    def create_user_pool_domain(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        domain = ctx.params["Domain"]
        with self.store.lock:
            state = self.state(ctx)
            if domain in state.domains or self.pool_by_domain(domain) is not None:
                raise errors.invalid_parameter("Domain already associated with another user pool.")
            custom = bool(ctx.params.get("CustomDomainConfig"))
            if (pool.custom_domain if custom else pool.domain):
                raise errors.invalid_parameter(f"User pool {pool.pool_id} already has a domain configured.")
            state.domains[domain] = pool.pool_id
            if custom:
                pool.custom_domain = domain
            else:
                pool.domain = domain
            pool.ui[f"domain:{domain}"] = {"CustomDomainConfig": ctx.params.get("CustomDomainConfig"),
                                           "ManagedLoginVersion": ctx.params.get("ManagedLoginVersion", 1)}
        out: dict[str, Any] = {"ManagedLoginVersion": ctx.params.get("ManagedLoginVersion", 1)}
        if custom:
            out["CloudFrontDomain"] = f"{random_id(13).lower()}.cloudfront.net"
        return out

    def describe_user_pool_domain(self, ctx: RequestContext) -> dict[str, Any]:
        domain = ctx.params["Domain"]
        pool_id = self.state(ctx).domains.get(domain)
        pool = self.state(ctx).pools.get(pool_id or "")
        if pool is None:
            return {"DomainDescription": {}}
        extra = pool.ui.get(f"domain:{domain}") or {}
        out = {"UserPoolId": pool.pool_id, "AWSAccountId": ctx.account_id, "Domain": domain,
               "S3Bucket": "aws-cognito-prod-artifacts", "CloudFrontDistribution": f"{domain}.cloudfront.net",
               "Version": "20130630", "Status": "ACTIVE",
               "ManagedLoginVersion": extra.get("ManagedLoginVersion", 1)}
        if extra.get("CustomDomainConfig"):
            out["CustomDomainConfig"] = extra["CustomDomainConfig"]
        return {"DomainDescription": out}

    def update_user_pool_domain(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        domain = ctx.params["Domain"]
        if self.state(ctx).domains.get(domain) != pool.pool_id:
            raise errors.not_found(f"Domain {domain} does not exist.")  # AWS's exact text not documented
        with self.store.lock:
            extra = pool.ui.setdefault(f"domain:{domain}", {})
            for key in ("CustomDomainConfig", "ManagedLoginVersion"):
                if key in ctx.params:
                    extra[key] = ctx.params[key]
        return {"ManagedLoginVersion": extra.get("ManagedLoginVersion", 1)}

    def delete_user_pool_domain(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        domain = ctx.params["Domain"]
        with self.store.lock:
            state = self.state(ctx)
            if state.domains.get(domain) != pool.pool_id:
                raise errors.invalid_parameter("No such domain or user pool exists.")
            del state.domains[domain]
            pool.ui.pop(f"domain:{domain}", None)
            if pool.domain == domain:
                pool.domain = ""
            if pool.custom_domain == domain:
                pool.custom_domain = ""
        return {}

    # -- tags ---------------------------------------------------------------------------------
    def _pool_by_arn(self, ctx: RequestContext) -> UserPool:
        arn = ctx.params["ResourceArn"]
        for pool in self.state(ctx).pools.values():
            if pool.arn == arn:
                return pool
        raise errors.not_found(f"The resource {arn} does not exist.")  # AWS's exact text not documented

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self._pool_by_arn(ctx)
        with self.store.lock:
            pool.tags.update(ctx.params.get("Tags") or {})
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self._pool_by_arn(ctx)
        with self.store.lock:
            for key in ctx.params.get("TagKeys") or []:
                pool.tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Tags": dict(self._pool_by_arn(ctx).tags)}

