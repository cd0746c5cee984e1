"""What the IAM operations share: the store, lookups, output shapes, errors.

IAM is global: one `IamState` per account. Nothing here is enforced (that is
a later layer); this is the identity base.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ...api import AWSError, RequestContext, Response
from ...identities import Identity
from ...indexes import NameIndexed
from ...store import Store
from ..base import ModelService
from . import aws_managed
from .documents import encode
from .paging import window
from .state import (
    AccessKey,
    Group,
    IamState,
    InstanceProfile,
    ManagedPolicy,
    PolicyVersion,
    Principal,
    Role,
    User,
)
from .tags import tags_out

T = TypeVar("T")
PATH = re.compile(r"^(/|/[\x21-\x7e]+/)$")


def no_such_entity(message: str) -> AWSError:
    return AWSError("NoSuchEntity", message, 404)


def already_exists(message: str) -> AWSError:
    return AWSError("EntityAlreadyExists", message, 409)


def delete_conflict(message: str) -> AWSError:
    return AWSError("DeleteConflict", message, 409)


def limit_exceeded(message: str) -> AWSError:
    return AWSError("LimitExceeded", message, 409)


def validation_error(message: str) -> AWSError:
    return AWSError("ValidationError", message, 400)


def check_path(path: str) -> str:
    if not PATH.match(path):
        raise validation_error(
            "The specified value for path is invalid. It must begin and end with / and contain "
            "only alphanumeric characters and/or / characters."
        )
    return path


def by_path(items: list[Any], params: dict[str, Any]) -> list[Any]:
    prefix = params.get("PathPrefix") or "/"
    return sorted((i for i in items if i.path.startswith(prefix)), key=lambda i: i.name.lower())


def name_page(items: NameIndexed[T], params: dict[str, Any], key: str, out: Callable[[T], Any]) -> dict[str, Any]:
    """`page(by_path(items), ...)` seeking in the name index; only the page goes through `out`."""
    prefix = params.get("PathPrefix") or "/"
    ordered: Sequence[T] = items.by_key()
    if prefix != "/":  # every path starts with "/"
        ordered = [i for i in ordered if i.path.startswith(prefix)]  # type: ignore[attr-defined]
    chunk, fields = window(ordered, params, key)
    return {key: [out(i) for i in chunk], **fields}


def count_use(counts: dict[str, int], arn: str | None, delta: int) -> None:
    """Count one more (+1) or one fewer (-1) use of the policy `arn` (None: no policy)."""
    if arn is None:
        return
    left = counts.get(arn, 0) + delta
    if left:
        counts[arn] = left
    else:
        counts.pop(arn, None)


def _boundary(arn: str | None) -> dict[str, Any]:
    if not arn:
        return {}
    return {"PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}}


class IamBase(ModelService):
    """The IAM service's state, lookups and output shapes; the operations are in mixins."""

    name = "iam"

    def __init__(self) -> None:
        self.store: Store[IamState] = Store(IamState, global_=True)

    def handle_request(self, ctx: RequestContext) -> Response | dict[str, Any] | None:
        with self.store.lock:  # IAM is low-traffic: one operation at a time keeps it simple
            return super().handle_request(ctx)

    @staticmethod
    def _arn(ctx: RequestContext, kind: str, path: str, name: str) -> str:
        return f"arn:{ctx.partition}:iam::{ctx.account_id}:{kind}{path}{name}"

    def _state(self, ctx: RequestContext) -> IamState:
        return self.store.get(ctx.account_id)

    # -- lookups --------------------------------------------------------------------------
    def _user(self, ctx: RequestContext, name: str) -> User:
        user = self._state(ctx).users.get(name.lower())
        if user is None:
            raise no_such_entity(f"The user with name {name} cannot be found.")
        return user

    def _named_or_calling_user(self, ctx: RequestContext) -> User:
        """The user named in the request, or the calling user."""
        name = ctx.params.get("UserName")
        if name is None:
            arn = ctx.identity.arn if ctx.identity else ""
            if ":user/" not in arn:
                raise validation_error("Must specify userName when calling with non-User credentials")
            name = arn.rsplit("/", 1)[-1]
        return self._user(ctx, name)

    def _group(self, ctx: RequestContext, name: str) -> Group:
        group = self._state(ctx).groups.get(name.lower())
        if group is None:
            raise no_such_entity(f"The group with name {name} cannot be found.")
        return group

    def _role(self, ctx: RequestContext, name: str) -> Role:
        role = self._state(ctx).roles.get(name.lower())
        if role is None:
            raise no_such_entity(f"The role with name {name} cannot be found.")
        return role

    def _profile(self, ctx: RequestContext, name: str) -> InstanceProfile:
        profile = self._state(ctx).instance_profiles.get(name.lower())
        if profile is None:
            raise no_such_entity(f"Instance Profile {name} cannot be found.")
        return profile

    def _policy(self, ctx: RequestContext, arn: str) -> ManagedPolicy:
        """A customer managed policy of the account, or an AWS managed one."""
        policy = self._state(ctx).policies.get(arn) or aws_managed.lookup(arn)
        if policy is None:
            raise no_such_entity(f"Policy {arn} does not exist or is not attachable.")
        return policy

    def _own_policy(self, ctx: RequestContext, arn: str) -> ManagedPolicy:
        """A customer managed policy (the ones that can be changed)."""
        policy = self._state(ctx).policies.get(arn)
        if policy is None:
            raise no_such_entity(f"Policy {arn} does not exist or is not attachable.")
        return policy

    def _principal(self, ctx: RequestContext, kind: str, name: str) -> Principal:
        return {"User": self._user, "Group": self._group, "Role": self._role}[kind](ctx, name)

    def _principals(self, ctx: RequestContext) -> list[tuple[str, Principal]]:
        state = self._state(ctx)
        return [
            *(("User", u) for u in state.users.values()),
            *(("Group", g) for g in state.groups.values()),
            *(("Role", r) for r in state.roles.values()),
        ]

    def _boundary_count(self, ctx: RequestContext, arn: str) -> int:
        return self._state(ctx).boundary_counts.get(arn, 0)

    def _attachment_count(self, ctx: RequestContext, arn: str) -> int:
        return self._state(ctx).attachment_counts.get(arn, 0)

    def _forget_uses(self, ctx: RequestContext, principal: Principal) -> None:
        """Uncount the policies a deleted user, group or role had attached and as its boundary."""
        state = self._state(ctx)
        for arn in principal.attached_policies:
            count_use(state.attachment_counts, arn, -1)
        count_use(state.boundary_counts, getattr(principal, "permissions_boundary", None), -1)

    def _key_identity(self, ctx: RequestContext, user: User, key: AccessKey) -> Identity:
        return Identity(account_id=ctx.account_id, arn=user.arn, access_key_id=key.id,
                        secret_access_key=key.secret, user_id=user.id, active=key.status == "Active")

    # -- output shapes ----------------------------------------------------------------------
    @staticmethod
    def _user_out(user: User, tags: bool = True) -> dict[str, Any]:
        out = {"Path": user.path, "UserName": user.name, "UserId": user.id, "Arn": user.arn,
               "CreateDate": user.created, **_boundary(user.permissions_boundary)}
        return {**out, **tags_out(user.tags)} if tags else out

    @staticmethod
    def _group_out(group: Group) -> dict[str, Any]:
        return {"Path": group.path, "GroupName": group.name, "GroupId": group.id, "Arn": group.arn,
                "CreateDate": group.created}

    @staticmethod
    def _role_out(role: Role, full: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Path": role.path, "RoleName": role.name, "RoleId": role.id, "Arn": role.arn,
            "CreateDate": role.created, "AssumeRolePolicyDocument": encode(role.trust_policy),
            "MaxSessionDuration": role.max_session_duration,
        }
        if role.description is not None:
            out["Description"] = role.description
        if full:
            out.update(_boundary(role.permissions_boundary), **tags_out(role.tags), RoleLastUsed={})
        return out

    def _profile_out(self, ctx: RequestContext, profile: InstanceProfile) -> dict[str, Any]:
        roles = self._state(ctx).roles
        return {
            "Path": profile.path, "InstanceProfileName": profile.name, "InstanceProfileId": profile.id,
            "Arn": profile.arn, "CreateDate": profile.created,
            "Roles": [self._role_out(roles[r], full=False) for r in profile.roles if r in roles],
            **tags_out(profile.tags),
        }

    def _policy_out(self, ctx: RequestContext, policy: ManagedPolicy, tags: bool = True) -> dict[str, Any]:
        out = {
            "PolicyName": policy.name, "PolicyId": policy.id, "Arn": policy.arn, "Path": policy.path,
            "DefaultVersionId": policy.default_version,
            "AttachmentCount": self._attachment_count(ctx, policy.arn),
            "PermissionsBoundaryUsageCount": self._boundary_count(ctx, policy.arn), "IsAttachable": True,
            "CreateDate": policy.created, "UpdateDate": policy.updated,
        }
        if policy.description:
            out["Description"] = policy.description
        return {**out, **tags_out(policy.tags)} if tags else out

    @staticmethod
    def _version_out(policy: ManagedPolicy, version: PolicyVersion, document: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"VersionId": version.version_id,
                               "IsDefaultVersion": version.version_id == policy.default_version,
                               "CreateDate": version.created}
        if document:
            out["Document"] = encode(version.document)
        return out

    def _attached_out(self, ctx: RequestContext, arns: list[str]) -> list[dict[str, str]]:
        return [{"PolicyName": self._policy(ctx, a).name, "PolicyArn": a} for a in arns]
