"""Account-wide IAM operations: aliases and `GetAccountAuthorizationDetails`."""

from __future__ import annotations

import re
from typing import Any

from ...api import RequestContext
from . import aws_managed
from .base import IamBase, by_path, no_such_entity, validation_error
from .documents import encode
from .paging import page, window
from .state import (
    Group,
    ManagedPolicy,
    Principal,
    Role,
    User,
)

ALIAS = re.compile(r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


class AccountOperations(IamBase):
    """Account aliases and the account's authorization details."""

    def create_account_alias(self, ctx: RequestContext) -> dict[str, Any]:
        alias = ctx.params["AccountAlias"]
        if not ALIAS.match(alias):
            raise validation_error(
                f"1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"
            )
        self._state(ctx).account_aliases = [alias]  # an account has at most one alias
        return {}

    def delete_account_alias(self, ctx: RequestContext) -> dict[str, Any]:
        state = self._state(ctx)
        alias = ctx.params["AccountAlias"]
        if alias not in state.account_aliases:
            raise no_such_entity(f"The account alias {alias} cannot be found.")
        state.account_aliases.remove(alias)
        return {}

    def list_account_aliases(self, ctx: RequestContext) -> dict[str, Any]:
        return page(list(self._state(ctx).account_aliases), ctx.params, "AccountAliases")

    # -- account authorization details -----------------------------------------------------
    def get_account_authorization_details(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = set(ctx.params.get("Filter") or ["User", "Role", "Group", "LocalManagedPolicy",
                                                   "AWSManagedPolicy"])
        state = self._state(ctx)
        entries: list[tuple[str, dict[str, Any]]] = []
        if "User" in wanted:
            entries += [("UserDetailList", self._user_detail(ctx, u)) for u in by_path(list(state.users.values()), {})]
        if "Group" in wanted:
            entries += [("GroupDetailList", self._group_detail(ctx, g))
                        for g in by_path(list(state.groups.values()), {})]
        if "Role" in wanted:
            entries += [("RoleDetailList", self._role_detail(ctx, r)) for r in by_path(list(state.roles.values()), {})]
        policies: list[ManagedPolicy] = []
        if "LocalManagedPolicy" in wanted:
            policies += state.policies.values()
        if "AWSManagedPolicy" in wanted:
            attached = {a for _, p in self._principals(ctx) for a in p.attached_policies}
            policies += [aws_managed.lookup(a) for a in sorted(attached) if ":iam::aws:policy/" in a]  # type: ignore[misc]
        entries += [("Policies", self._policy_detail(ctx, pol)) for pol in by_path(policies, {})]
        chunk, fields = window(entries, ctx.params, "GetAccountAuthorizationDetails")
        out: dict[str, Any] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
        for key, detail in chunk:
            out[key].append(detail)
        return {**out, **fields}

    @staticmethod
    def _inline_out(principal: Principal) -> list[dict[str, str]]:
        return [{"PolicyName": n, "PolicyDocument": encode(d)} for n, d in sorted(principal.inline_policies.items())]

    def _user_detail(self, ctx: RequestContext, user: User) -> dict[str, Any]:
        groups = sorted(g.name for g in self._state(ctx).groups.values() if user.name.lower() in g.members)
        return {**self._user_out(user), "UserPolicyList": self._inline_out(user), "GroupList": groups,
                "AttachedManagedPolicies": self._attached_out(ctx, user.attached_policies)}

    def _group_detail(self, ctx: RequestContext, group: Group) -> dict[str, Any]:
        return {**self._group_out(group), "GroupPolicyList": self._inline_out(group),
                "AttachedManagedPolicies": self._attached_out(ctx, group.attached_policies)}

    def _role_detail(self, ctx: RequestContext, role: Role) -> dict[str, Any]:
        profiles = [self._profile_out(ctx, ip) for ip in self._state(ctx).instance_profiles.values()
                    if role.name.lower() in ip.roles]
        out = self._role_out(role)
        out.pop("MaxSessionDuration")
        out.pop("Description", None)
        return {**out, "InstanceProfileList": profiles, "RolePolicyList": self._inline_out(role),
                "AttachedManagedPolicies": self._attached_out(ctx, role.attached_policies)}

    def _policy_detail(self, ctx: RequestContext, policy: ManagedPolicy) -> dict[str, Any]:
        versions = [self._version_out(policy, v, document=True) for v in policy.versions.values()]
        return {**self._policy_out(ctx, policy, tags=False), "PolicyVersionList": versions}
