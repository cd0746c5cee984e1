"""Stored policies: resource policies (with revision ids), data protection policies and
account policies. Logs keeps them and answers them back; it does not enforce them."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from . import errors
from .base import LogsBase, group_name_of, now_ms

MAX_RESOURCE_POLICIES = 10


class PolicyOperations(LogsBase):
    # -- resource policies --------------------------------------------------------------
    def put_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        resource = p.get("resourceArn")
        name = p.get("policyName") or ("" if resource else "")
        if not resource and not name:
            raise errors.invalid("policyName is required.")  # exact text unknown
        key = resource or name
        with self.store.lock:
            policies = self.state(ctx).resource_policies
            old = policies.get(key)
            expected = p.get("expectedRevisionId")
            if expected and (old is None or old["revisionId"] != expected):
                raise errors.conflict("The expected revision id does not match the current one.")  # text unknown
            if old is None and not resource and sum(1 for v in policies.values() if "resourceArn" not in v) \
                    >= MAX_RESOURCE_POLICIES:
                raise errors.limit_exceeded("Resource limit exceeded.")
            policy = {"policyName": name or "default", "policyDocument": p.get("policyDocument") or "",
                      "lastUpdatedTime": now_ms(ctx), "policyScope": "RESOURCE" if resource else "ACCOUNT",
                      "revisionId": uuid.uuid4().hex, **({"resourceArn": resource} if resource else {})}
            policies[key] = policy
            return {"resourcePolicy": dict(policy), "revisionId": policy["revisionId"]}

    def delete_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        key = ctx.params.get("resourceArn") or ctx.params.get("policyName") or ""
        with self.store.lock:
            policies = self.state(ctx).resource_policies
            old = policies.get(key)
            if old is None:
                raise errors.not_found(f"Policy with name [{key}] does not exist")  # exact text unknown
            expected = ctx.params.get("expectedRevisionId")
            if expected and old["revisionId"] != expected:
                raise errors.conflict("The expected revision id does not match the current one.")
            del policies[key]
        return {}

    def describe_resource_policies(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            rows = [dict(v) for _, v in sorted(self.state(ctx).resource_policies.items())
                    if (not p.get("resourceArn") or v.get("resourceArn") == p["resourceArn"])
                    and (not p.get("policyScope") or v["policyScope"] == p["policyScope"])]
        page, token = self.page(ctx, rows)
        return self.paged({"resourcePolicies": page}, token)

    # -- data protection ----------------------------------------------------------------
    def put_data_protection_policy(self, ctx: RequestContext) -> dict[str, Any]:
        identifier = ctx.params.get("logGroupIdentifier") or ""
        with self.store.lock:
            group = self.group(ctx, group_name_of(identifier))
            group.data_protection_policy = {"logGroupIdentifier": identifier, "lastUpdatedTime": now_ms(ctx),
                                            "policyDocument": ctx.params.get("policyDocument") or ""}
            return dict(group.data_protection_policy)

    def get_data_protection_policy(self, ctx: RequestContext) -> dict[str, Any]:
        identifier = ctx.params.get("logGroupIdentifier") or ""
        with self.store.lock:
            group = self.group(ctx, group_name_of(identifier))
            return dict(group.data_protection_policy or {"logGroupIdentifier": identifier})

    def delete_data_protection_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, group_name_of(ctx.params.get("logGroupIdentifier") or ""))
            if group.data_protection_policy is None:
                raise errors.not_found("The specified data protection policy does not exist.")  # text unknown
            group.data_protection_policy = None
        return {}

    # -- account policies ---------------------------------------------------------------
    def put_account_policy(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        key = (p.get("policyType") or "", p.get("policyName") or "")
        policy = {"policyName": key[1], "policyDocument": p.get("policyDocument") or "", "policyType": key[0],
                  "lastUpdatedTime": now_ms(ctx), "scope": p.get("scope") or "ALL", "accountId": ctx.account_id,
                  **({"selectionCriteria": p["selectionCriteria"]} if p.get("selectionCriteria") else {})}
        with self.store.lock:
            self.state(ctx).account_policies[key] = policy
        return {"accountPolicy": dict(policy)}

    def describe_account_policies(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            rows = [dict(v) for (kind, name), v in sorted(self.state(ctx).account_policies.items())
                    if kind == p.get("policyType") and (not p.get("policyName") or name == p["policyName"])]
        page, token = self.page(ctx, rows)
        return self.paged({"accountPolicies": page}, token)

    def delete_account_policy(self, ctx: RequestContext) -> dict[str, Any]:
        key = (ctx.params.get("policyType") or "", ctx.params.get("policyName") or "")
        with self.store.lock:
            if self.state(ctx).account_policies.pop(key, None) is None:
                raise errors.not_found("The specified account policy does not exist.")  # exact text unknown
        return {}
