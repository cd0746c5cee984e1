"""What IAM knows of an account, read through IAM's own API (`GetAccountAuthorizationDetails`,
an internal call the enforcer never checks) and kept until IAM changes.

`Directory.account(id)` answers from a cache; the enforcer calls `changed()` whenever a
call that may change IAM state passes (any IAM operation but reads), and on reset.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .policy import BOUNDARY, IDENTITY, Policy, PolicySyntaxError, parse

if TYPE_CHECKING:
    from ..registry import Registry


@dataclass
class Entity:
    """A user, group or role and its own policies."""

    kind: str  # user, group, role
    name: str
    arn: str
    id: str
    policies: list[Policy] = field(default_factory=list)
    boundary_arn: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    trust: str = ""


@dataclass
class AccountDirectory:
    users: dict[str, Entity] = field(default_factory=dict)  # by lower-cased name
    groups: dict[str, Entity] = field(default_factory=dict)
    roles: dict[str, Entity] = field(default_factory=dict)
    managed: dict[str, Policy] = field(default_factory=dict)  # by ARN (customer managed)

    def policies_of(self, user: Entity) -> list[Policy]:
        """A user's own policies and its groups'."""
        found = list(user.policies)
        for group in user.groups:
            entity = self.groups.get(group.lower())
            if entity is not None:
                found += entity.policies
        return found


def managed_policy(arn: str, directory: AccountDirectory | None, kind: str = IDENTITY) -> Policy | None:
    """A managed policy by ARN: the account's own, or an AWS managed one."""
    if ":iam::aws:policy/" in arn:
        from ..services.iam import aws_managed

        found = aws_managed.lookup(arn)
        if found is None:
            return None
        document = found.versions[found.default_version].document
        return _parse(document, kind, found.name, arn, "aws-managed")
    policy = directory.managed.get(arn) if directory is not None else None
    return policy.with_origin(kind, policy.id, arn, policy.source_type) if policy is not None else None


def _parse(document: str, kind: str, policy_id: str, arn: str, source_type: str) -> Policy | None:
    try:
        return parse(document, kind, policy_id, arn, source_type)
    except PolicySyntaxError:
        return None


def _tags(detail: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in detail.get("Tags") or []}


class Directory:
    """IAM's principals and policies per account, cached until IAM changes."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self._cache: dict[str, AccountDirectory] = {}
        self._lock = threading.Lock()

    def changed(self) -> None:
        self._cache = {}

    def account(self, account_id: str) -> AccountDirectory:
        found = self._cache.get(account_id)
        if found is None:
            found = self._load(account_id)
            with self._lock:
                self._cache[account_id] = found
        return found

    def _details(self, account_id: str) -> dict[str, list[dict[str, Any]]]:
        from ..api import AWSError

        out: dict[str, list[dict[str, Any]]] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [],
                                                "Policies": []}
        if "iam" not in self.registry:
            return out
        params: dict[str, Any] = {"Filter": ["User", "Role", "Group", "LocalManagedPolicy"], "MaxItems": 1000}
        while True:
            try:
                page = self.registry.call("iam", "GetAccountAuthorizationDetails", params, account_id=account_id,
                                          region="us-east-1")
            except AWSError:
                return out
            for key in out:
                out[key] += page.get(key) or []
            if not page.get("IsTruncated"):
                return out
            params = {**params, "Marker": page["Marker"]}

    def _load(self, account_id: str) -> AccountDirectory:
        details = self._details(account_id)
        directory = AccountDirectory()
        for detail in details["Policies"]:
            default = next((v for v in detail.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")), None)
            if default is not None:
                policy = _parse(default["Document"], IDENTITY, detail["PolicyName"], detail["Arn"], "user-managed")
                if policy is not None:
                    directory.managed[detail["Arn"]] = policy
        for key, kind, name_key, id_key, inline_key in (
            ("GroupDetailList", "group", "GroupName", "GroupId", "GroupPolicyList"),
            ("UserDetailList", "user", "UserName", "UserId", "UserPolicyList"),
            ("RoleDetailList", "role", "RoleName", "RoleId", "RolePolicyList"),
        ):
            for detail in details[key]:
                entity = Entity(kind, detail[name_key], detail["Arn"], detail[id_key], tags=_tags(detail),
                                groups=list(detail.get("GroupList") or []),
                                boundary_arn=(detail.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", ""),
                                trust=detail.get("AssumeRolePolicyDocument") or "")
                for inline in detail.get(inline_key) or []:
                    policy = _parse(inline["PolicyDocument"], IDENTITY, inline["PolicyName"], "", kind)
                    if policy is not None:
                        entity.policies.append(policy)
                for attached in detail.get("AttachedManagedPolicies") or []:
                    policy = managed_policy(attached["PolicyArn"], directory)
                    if policy is not None:
                        entity.policies.append(policy)
                getattr(directory, f"{kind}s")[entity.name.lower()] = entity
        return directory

    def boundary(self, entity: Entity, directory: AccountDirectory) -> Policy | None:
        if not entity.boundary_arn:
            return None
        found = managed_policy(entity.boundary_arn, directory, BOUNDARY)
        # a boundary IAM no longer has allows nothing (AWS refuses to delete one in use)
        return found or Policy((), BOUNDARY, entity.boundary_arn, entity.boundary_arn)
