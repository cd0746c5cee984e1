"""Settings answered back: point-in-time recovery records (no data is rolled back), replicas,
Client ID Metadata Document policies, provisioned API limits, terms by client."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .extras import ExtraOps
from .state import UserPool

#: Default requests per second of each API category (AWS's quotas page; the free amount).
DEFAULT_LIMITS = {"UserAuthentication": 120, "UserCreation": 50, "UserFederation": 25, "UserAccountRecovery": 30,
                  "UserRead": 120, "UserUpdate": 25, "UserResourceRead": 50, "UserList": 30, "UserToken": 120,
                  "ClientAuthentication": 150}
_PREVIEW_ENTITIES = ("Users", "Groups", "User MFAs", "Passkeys")


class RecoveryOps(ExtraOps):
    """Recovery, replica, CIMD policy and limit operations."""

    # -- point-in-time recovery --------------------------------------------------------------------
    def _restorations(self, pool: UserPool) -> dict[str, dict[str, Any]]:
        return pool.settings.setdefault("restorations", {})

    def _restoration(self, pool: UserPool, restore_id: str) -> dict[str, Any]:
        found = self._restorations(pool).get(restore_id)
        if found is None:
            raise errors.not_found(f"Restoration {restore_id} does not exist.")  # AWS's exact text not documented
        return found

    def initiate_point_in_time_recovery(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        when = ctx.params["RestoreTimestamp"]
        stamp = when.timestamp() if hasattr(when, "timestamp") else float(when)
        if stamp > ctx.clock.now() or stamp < pool.created:
            raise errors.invalid_parameter("RestoreTimestamp must be between the user pool's creation and now.")
        if any(r["RestoreStatus"] in ("PREVIEW_GENERATING", "PREVIEW_GENERATED", "RESTORING")
               for r in self._restorations(pool).values()):
            raise AWSError("ConcurrentModificationException", "A recovery is already in progress for this user pool.")
        restoration = {"RestoreId": str(uuid.uuid4()), "RestoreStatus": "PREVIEW_GENERATED", "RestoreTimestamp": stamp,
                       "TriggerTimestamp": ctx.clock.now(),
                       "RestorePreview": [{"Entity": e, "CreateCount": 0, "UpdateCount": 0, "DeleteCount": 0}
                                          for e in _PREVIEW_ENTITIES]}
        with self.store.lock:
            self._restorations(pool)[restoration["RestoreId"]] = restoration
        return {"Restoration": copy.deepcopy(restoration)}

    def _move(self, ctx: RequestContext, allowed: tuple[str, ...], status: str) -> dict[str, Any]:
        pool = self.pool(ctx)
        restoration = self._restoration(pool, ctx.params["RestoreId"])
        if restoration["RestoreStatus"] not in allowed:
            raise errors.invalid_parameter(f"Restoration is {restoration['RestoreStatus']}.")  # text unknown
        with self.store.lock:
            restoration["RestoreStatus"] = status
        return {"Restoration": copy.deepcopy(restoration)}

    def start_point_in_time_recovery(self, ctx: RequestContext) -> dict[str, Any]:
        return self._move(ctx, ("PREVIEW_GENERATED",), "RESTORE_COMPLETED")

    def cancel_point_in_time_recovery(self, ctx: RequestContext) -> dict[str, Any]:
        return self._move(ctx, ("PREVIEW_GENERATING", "PREVIEW_GENERATED"), "PREVIEW_CANCELLED")

    def describe_point_in_time_recovery(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Restoration": copy.deepcopy(self._restoration(self.pool(ctx), ctx.params["RestoreId"]))}

    def list_point_in_time_recoveries(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        newest = sorted(self._restorations(pool).values(), key=lambda r: r["TriggerTimestamp"], reverse=True)
        page, more = self.page(ctx, newest, "NextToken", "MaxResults", f"restorations:{pool.pool_id}")
        return {"Restorations": [{k: r[k] for k in ("RestoreId", "RestoreStatus", "RestoreTimestamp")} for r in page],
                **more}

    # -- replicas --------------------------------------------------------------------------------
    def _replicas(self, ctx: RequestContext, pool: UserPool) -> dict[str, dict[str, Any]]:
        primary = pool.arn.split(":")[3]
        return pool.settings.setdefault("replicas", {primary: {
            "RegionName": primary, "Status": "ACTIVE", "Role": "PRIMARY", "UserPoolArn": pool.arn}})

    def _replica(self, ctx: RequestContext, pool: UserPool, region: str) -> dict[str, Any]:
        found = self._replicas(ctx, pool).get(region)
        if found is None:
            raise errors.not_found(f"Replica in {region} does not exist.")  # AWS's exact text not documented
        return found

    def create_user_pool_replica(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        region = ctx.params["RegionName"]
        with self.store.lock:
            replicas = self._replicas(ctx, pool)
            if region in replicas:
                raise errors.invalid_parameter(f"A replica already exists in {region}.")  # text unknown
            parts = pool.arn.split(":")
            parts[3] = region
            replicas[region] = {"RegionName": region, "Status": "ACTIVE", "Role": "SECONDARY",
                                "UserPoolArn": ":".join(parts)}
        return {"UserPoolReplica": dict(replicas[region])}

    def update_user_pool_replica(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        replica = self._replica(ctx, pool, ctx.params["RegionName"])
        with self.store.lock:
            replica["Status"] = ctx.params["Status"]
        return {"UserPoolReplica": dict(replica)}

    def delete_user_pool_replica(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        replica = self._replica(ctx, pool, ctx.params["RegionName"])
        if replica["Role"] == "PRIMARY" or replica["Status"] != "INACTIVE":
            raise errors.invalid_parameter("Only an INACTIVE secondary replica can be deleted.")  # text unknown
        with self.store.lock:
            self._replicas(ctx, pool).pop(ctx.params["RegionName"], None)
        return {"UserPoolReplica": {**replica, "Status": "DELETING"}}

    def list_user_pool_replicas(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(self._replicas(ctx, pool).values()), "NextToken", "MaxResults",
                               f"replicas:{pool.pool_id}")
        return {"UserPoolReplicas": copy.deepcopy(page), **more}

    # -- Client ID Metadata Document policies -------------------------------------------------------
    def _policies(self, pool: UserPool) -> dict[str, dict[str, Any]]:
        return pool.settings.setdefault("cimd", {})

    def _policy(self, pool: UserPool, policy_id: str) -> dict[str, Any]:
        found = self._policies(pool).get(policy_id)
        if found is None:
            raise errors.not_found(f"CIMD policy {policy_id} does not exist.")  # AWS's exact text not documented
        return found

    def create_cimd_policy(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self.app_client(pool, ctx.params["ClientId"])
        now = ctx.clock.now()
        policy = {"UserPoolId": pool.pool_id, "CIMDPolicyId": uuid.uuid4().hex, "ClientId": ctx.params["ClientId"],
                  "PolicyName": ctx.params["PolicyName"], "CacheDuration": ctx.params.get("CacheDuration", 3600),
                  "URLPatterns": list(ctx.params["URLPatterns"]), "CreationDate": now, "LastModifiedDate": now}
        with self.store.lock:
            self._policies(pool)[policy["CIMDPolicyId"]] = policy
        return {"CIMDPolicy": copy.deepcopy(policy)}

    def describe_cimd_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return {"CIMDPolicy": copy.deepcopy(self._policy(self.pool(ctx), ctx.params["CIMDPolicyId"]))}

    def update_cimd_policy(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        policy = self._policy(pool, ctx.params["CIMDPolicyId"])
        self.app_client(pool, ctx.params["ClientId"])
        with self.store.lock:
            policy.update({k: copy.deepcopy(ctx.params[k]) for k in ("ClientId", "PolicyName", "CacheDuration",
                                                                      "URLPatterns") if k in ctx.params})
            policy["LastModifiedDate"] = ctx.clock.now()
        return {"CIMDPolicy": copy.deepcopy(policy)}

    def delete_cimd_policy(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._policy(pool, ctx.params["CIMDPolicyId"])
        with self.store.lock:
            self._policies(pool).pop(ctx.params["CIMDPolicyId"], None)
        return {}

    def list_cimd_policies(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(self._policies(pool).values()), "NextToken", "MaxResults", f"cimd:{pool.pool_id}")
        return {"CIMDPolicies": [{k: v for k, v in p.items() if k not in ("UserPoolId", "URLPatterns")} for p in page],
                **more}

    def list_client_metadata_urls(self, ctx: RequestContext) -> dict[str, Any]:
        self._policy(self.pool(ctx), ctx.params["CIMDPolicyId"])
        return {"ClientMetadataURLs": []}  # nothing is fetched: no metadata document was ever received

    list_client_metadata_ur_ls = list_client_metadata_urls  # the dispatcher's spelling of ...URLs

    def update_client_metadata_url_state(self, ctx: RequestContext) -> dict[str, Any]:
        self._policy(self.pool(ctx), ctx.params["CIMDPolicyId"])
        raise errors.not_found(f"Client metadata URL {ctx.params['URL']} was never received.")  # text unknown

    # -- provisioned limits (per account and region) ---------------------------------------------
    def _limit(self, ctx: RequestContext) -> tuple[str, dict[str, Any]]:
        definition = ctx.params["LimitDefinition"]
        category = (definition.get("Attributes") or {}).get("Category", "")
        if category not in DEFAULT_LIMITS:
            raise errors.invalid_parameter(f"Unknown limit category: {category}")  # AWS's exact text not documented
        return category, definition

    def get_provisioned_limit(self, ctx: RequestContext) -> dict[str, Any]:
        category, definition = self._limit(ctx)
        limits = self._limits(ctx)
        return {"Limit": {"LimitDefinition": copy.deepcopy(definition),
                          "ProvisionedLimitValue": limits.get(category, DEFAULT_LIMITS[category]),
                          "FreeLimitValue": DEFAULT_LIMITS[category]}}

    def update_provisioned_limit(self, ctx: RequestContext) -> dict[str, Any]:
        category, _definition = self._limit(ctx)
        value = ctx.params["RequestedLimitValue"]
        if value < DEFAULT_LIMITS[category]:
            raise errors.invalid_parameter(f"RequestedLimitValue must be at least the default limit "
                                           f"{DEFAULT_LIMITS[category]}.")  # AWS's exact text not documented
        with self.store.lock:
            self._limits(ctx)[category] = value
        return self.get_provisioned_limit(ctx)

    def _limits(self, ctx: RequestContext) -> dict[str, int]:
        return self.state(ctx).limits

    # -- terms by client ------------------------------------------------------------------------
    def describe_terms_by_client(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        for terms in pool.terms.values():
            if terms["ClientId"] == ctx.params["ClientId"] and terms["TermsName"] == ctx.params["TermsName"]:
                return {"Terms": copy.deepcopy(terms)}
        raise errors.not_found(f"Terms {ctx.params['TermsName']} do not exist for client {ctx.params['ClientId']}.")
