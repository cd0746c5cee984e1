"""Identity pools: create/describe/update/delete/list, roles and role mappings, principal tag
maps, tags; the store and lookups the identity operations share."""

from __future__ import annotations

import copy
import uuid
from typing import Any, ClassVar

from ...api import AWSError, RequestContext, ServiceProfile
from ...paging import offset_page
from ...store import Store
from ...validation import ValidationPolicy
from ..base import ModelService
from .state import IdentityPool, IdentityState

SETTINGS = ("IdentityPoolName", "AllowUnauthenticatedIdentities", "AllowClassicFlow", "SupportedLoginProviders",
            "DeveloperProviderName", "OpenIdConnectProviderARNs", "CognitoIdentityProviders", "SamlProviderARNs")


def not_found(what: str) -> AWSError:
    # AWS's exact text for a missing identity pool or identity is not documented
    return AWSError("ResourceNotFoundException", f"{what} not found.")


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


class PoolOps(ModelService):
    """Identity pool operations."""

    name: ClassVar[str] = "cognito-identity"
    profile: ClassVar[ServiceProfile] = ServiceProfile(validation=ValidationPolicy(error_code="InvalidParameterException"))

    def __init__(self) -> None:
        self.store: Store[IdentityState] = Store(IdentityState)

    # -- lookups --------------------------------------------------------------------------------
    def pool(self, ctx: RequestContext, pool_id: str | None = None) -> IdentityPool:
        pool_id = pool_id if pool_id is not None else ctx.params.get("IdentityPoolId", "")
        found = self.store.for_ctx(ctx).pools.get(pool_id) or self.pool_anywhere(pool_id)
        if found is None:
            raise not_found(f"IdentityPool '{pool_id}'")
        return found

    def pool_anywhere(self, pool_id: str) -> IdentityPool | None:
        """A pool in any account (GetId and friends are unsigned: they name the pool only)."""
        for _key, state in list(self.store.partitions()):
            if pool_id in state.pools:
                return state.pools[pool_id]
        return None

    def page(self, ctx: RequestContext, items: list[Any], scope: str) -> tuple[list[Any], dict[str, str]]:
        page, token = offset_page(items, ctx.params.get("NextToken"), ctx.params.get("MaxResults"), default_limit=60,
                                  bad_token=lambda: invalid_parameter("Invalid pagination token"),
                                  scope=f"cognito-identity:{scope}")
        return page, ({"NextToken": token} if token else {})

    # -- pools ----------------------------------------------------------------------------------
    def describe(self, pool: IdentityPool) -> dict[str, Any]:
        out = {"IdentityPoolId": pool.pool_id, **copy.deepcopy(pool.config)}
        if pool.tags:
            out["IdentityPoolTags"] = dict(pool.tags)
        return out

    def _checked(self, params: dict[str, Any]) -> dict[str, Any]:
        config = {k: copy.deepcopy(params[k]) for k in SETTINGS if k in params}
        config.setdefault("AllowUnauthenticatedIdentities", False)
        return config

    def create_identity_pool(self, ctx: RequestContext) -> dict[str, Any]:
        pool_id = f"{ctx.region}:{uuid.uuid4()}"
        pool = IdentityPool(pool_id, f"arn:{ctx.partition}:cognito-identity:{ctx.region}:{ctx.account_id}:identitypool/{pool_id}",
                            self._checked(ctx.params), tags=dict(ctx.params.get("IdentityPoolTags") or {}))
        with self.store.lock:
            self.store.for_ctx(ctx).pools[pool_id] = pool
        return self.describe(pool)

    def describe_identity_pool(self, ctx: RequestContext) -> dict[str, Any]:
        return self.describe(self.pool(ctx))

    def update_identity_pool(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        with self.store.lock:
            pool.config = self._checked(ctx.params)
            if "IdentityPoolTags" in ctx.params:
                pool.tags = dict(ctx.params["IdentityPoolTags"] or {})
        return self.describe(pool)

    def delete_identity_pool(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        with self.store.lock:
            for _key, state in list(self.store.partitions()):
                state.pools.pop(pool.pool_id, None)
        return {}

    def list_identity_pools(self, ctx: RequestContext) -> dict[str, Any]:
        pools = list(self.store.for_ctx(ctx).pools.values())
        page, more = self.page(ctx, pools, f"pools:{ctx.account_id}:{ctx.region}")
        return {"IdentityPools": [{"IdentityPoolId": p.pool_id, "IdentityPoolName": p.config["IdentityPoolName"]}
                                  for p in page], **more}

    # -- roles ----------------------------------------------------------------------------------
    def set_identity_pool_roles(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        roles = dict(ctx.params["Roles"])
        for key in roles:
            if key not in ("authenticated", "unauthenticated"):
                raise invalid_parameter(f"Invalid role type: {key}")  # AWS's text not documented
        with self.store.lock:
            pool.roles = roles
            pool.role_mappings = copy.deepcopy(ctx.params.get("RoleMappings") or {})
        return {}

    def get_identity_pool_roles(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        out: dict[str, Any] = {"IdentityPoolId": pool.pool_id, "Roles": dict(pool.roles)}
        if pool.role_mappings:
            out["RoleMappings"] = copy.deepcopy(pool.role_mappings)
        return out

    # -- principal tags -----------------------------------------------------------------------------
    def set_principal_tag_attribute_map(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        entry = {"IdentityPoolId": pool.pool_id, "IdentityProviderName": ctx.params["IdentityProviderName"],
                 "UseDefaults": bool(ctx.params.get("UseDefaults", False)),
                 "PrincipalTags": dict(ctx.params.get("PrincipalTags") or {})}
        with self.store.lock:
            pool.principal_tags[ctx.params["IdentityProviderName"]] = entry
        return copy.deepcopy(entry)

    def get_principal_tag_attribute_map(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        found = pool.principal_tags.get(ctx.params["IdentityProviderName"])
        return copy.deepcopy(found) if found else {
            "IdentityPoolId": pool.pool_id, "IdentityProviderName": ctx.params["IdentityProviderName"],
            "UseDefaults": True, "PrincipalTags": {}}

    # -- tags ---------------------------------------------------------------------------------------
    def _by_arn(self, ctx: RequestContext) -> IdentityPool:
        arn = ctx.params["ResourceArn"]
        for pool in list(self.store.for_ctx(ctx).pools.values()):
            if pool.arn == arn:
                return pool
        raise not_found(f"Resource '{arn}'")

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self._by_arn(ctx)
        with self.store.lock:
            pool.tags.update(ctx.params["Tags"])
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self._by_arn(ctx)
        with self.store.lock:
            for key in ctx.params["TagKeys"]:
                pool.tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Tags": dict(self._by_arn(ctx).tags)}
