"""IAM users (and their login profiles), groups and roles, and permissions boundaries."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from .. import _credentials as creds
from .base import (
    IamBase,
    already_exists,
    by_path,
    check_path,
    count_use,
    delete_conflict,
    name_page,
    no_such_entity,
    validation_error,
)
from .documents import check_size, validate_trust_policy
from .paging import page
from .passwords import check_password, password_hash
from .service_linked import is_service_linked, unmodifiable
from .state import (
    Group,
    LoginProfile,
    Role,
    User,
    stamp,
)
from .tags import merge_tags

MAX_ROLE_SESSION = 43200


class PrincipalOperations(IamBase):
    """Users, login profiles, groups, roles and permissions boundaries."""

    # -- users ------------------------------------------------------------------------------
    def create_user(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, path = p["UserName"], check_path(p.get("Path", "/"))
        users = self._state(ctx).users
        if name.lower() in users:
            raise already_exists(f"User with name {name} already exists.")
        user = User(name, path, creds.unique_id("AIDA"), self._arn(ctx, "user", path, name),
                    created=stamp(ctx.clock), tags=merge_tags([], p.get("Tags", [])),
                    permissions_boundary=p.get("PermissionsBoundary"))
        users[name.lower()] = user
        count_use(self._state(ctx).boundary_counts, user.permissions_boundary, +1)
        return {"User": self._user_out(user)}

    def get_user(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("UserName")
        if name is None:
            arn = ctx.identity.arn if ctx.identity else ""
            if ":assumed-role/" in arn or ":federated-user/" in arn:
                raise validation_error("Must specify userName when calling with non-User credentials")
            if ":user/" not in arn:
                return {"User": {"UserId": ctx.account_id, "Arn": f"arn:{ctx.partition}:iam::{ctx.account_id}:root",
                                 "CreateDate": stamp(ctx.clock)}}
            name = arn.rsplit("/", 1)[-1]
        return {"User": self._user_out(self._user(ctx, name))}

    def list_users(self, ctx: RequestContext) -> dict[str, Any]:
        return name_page(self._state(ctx).users, ctx.params, "Users", lambda u: self._user_out(u, tags=False))

    def update_user(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        user = self._user(ctx, p["UserName"])
        state = self._state(ctx)
        new_name, new_path = p.get("NewUserName", user.name), check_path(p.get("NewPath", user.path))
        if new_name.lower() != user.name.lower() and new_name.lower() in state.users:
            raise already_exists(f"User with name {new_name} already exists.")
        old_key = user.name.lower()
        del state.users[old_key]
        user.name, user.path = new_name, new_path
        user.arn = self._arn(ctx, "user", new_path, new_name)
        state.users[new_name.lower()] = user
        for group in state.groups.values():
            group.members = [new_name.lower() if m == old_key else m for m in group.members]
        for key in user.access_keys.values():
            key.user_name = new_name
            creds.register(ctx, self._key_identity(ctx, user, key))
        return {}

    def delete_user(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._user(ctx, ctx.params["UserName"])
        state = self._state(ctx)
        if user.access_keys:
            raise delete_conflict("Cannot delete entity, must delete access keys first.")
        if user.login_profile is not None:
            raise delete_conflict("Cannot delete entity, must delete login profile first.")
        if user.signing_certificates:
            raise delete_conflict("Cannot delete entity, must delete signing certificates first.")
        if user.ssh_keys:
            raise delete_conflict("Cannot delete entity, must delete SSH public keys first.")
        if user.service_credentials:
            raise delete_conflict("Cannot delete entity, must delete service specific credentials first.")
        if any(d.user == user.name.lower() for d in state.mfa_devices.values()):
            raise delete_conflict("Cannot delete entity, must delete MFA device first.")
        if user.inline_policies:
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        if user.attached_policies:
            raise delete_conflict("Cannot delete entity, must detach all policies first.")
        if any(user.name.lower() in g.members for g in state.groups.values()):
            raise delete_conflict("Cannot delete entity, must remove users from group first.")
        del state.users[user.name.lower()]
        self._forget_uses(ctx, user)
        return {}

    # -- login profiles -----------------------------------------------------------------------
    def _login_profile(self, ctx: RequestContext) -> tuple[User, LoginProfile]:
        user = self._named_or_calling_user(ctx)
        if user.login_profile is None:
            raise no_such_entity(f"Login Profile for User {user.name} cannot be found.")
        return user, user.login_profile

    @staticmethod
    def _login_profile_out(user: User, profile: LoginProfile) -> dict[str, Any]:
        return {"LoginProfile": {"UserName": user.name, "CreateDate": profile.created,
                                 "PasswordResetRequired": profile.password_reset_required}}

    def create_login_profile(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._named_or_calling_user(ctx)
        if user.login_profile is not None:
            raise already_exists(f"Login Profile for user {user.name} already exists.")
        password = ctx.params.get("Password")
        if password is not None:
            check_password(self._state(ctx).password_policy, password)
        user.login_profile = LoginProfile(bool(ctx.params.get("PasswordResetRequired", False)),
                                          created=stamp(ctx.clock), password_sha256=password_hash(password or ""))
        return self._login_profile_out(user, user.login_profile)

    def get_login_profile(self, ctx: RequestContext) -> dict[str, Any]:
        return self._login_profile_out(*self._login_profile(ctx))

    def update_login_profile(self, ctx: RequestContext) -> dict[str, Any]:
        _, profile = self._login_profile(ctx)
        if ctx.params.get("Password") is not None:
            check_password(self._state(ctx).password_policy, ctx.params["Password"])
            profile.password_sha256 = password_hash(ctx.params["Password"])
        if "PasswordResetRequired" in ctx.params:
            profile.password_reset_required = ctx.params["PasswordResetRequired"]
        return {}

    def delete_login_profile(self, ctx: RequestContext) -> dict[str, Any]:
        user, _ = self._login_profile(ctx)
        user.login_profile = None
        return {}

    # -- groups -----------------------------------------------------------------------------
    def create_group(self, ctx: RequestContext) -> dict[str, Any]:
        name, path = ctx.params["GroupName"], check_path(ctx.params.get("Path", "/"))
        groups = self._state(ctx).groups
        if name.lower() in groups:
            raise already_exists(f"Group with name {name} already exists.")
        group = Group(name, path, creds.unique_id("AGPA"), self._arn(ctx, "group", path, name),
                      created=stamp(ctx.clock))
        groups[name.lower()] = group
        return {"Group": self._group_out(group)}

    def get_group(self, ctx: RequestContext) -> dict[str, Any]:
        group = self._group(ctx, ctx.params["GroupName"])
        users = self._state(ctx).users
        members = [self._user_out(users[m], tags=False) for m in group.members if m in users]
        return {"Group": self._group_out(group), **page(members, ctx.params, "Users")}

    def list_groups(self, ctx: RequestContext) -> dict[str, Any]:
        groups = by_path(list(self._state(ctx).groups.values()), ctx.params)
        return page([self._group_out(g) for g in groups], ctx.params, "Groups")

    def update_group(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        group = self._group(ctx, p["GroupName"])
        groups = self._state(ctx).groups
        new_name, new_path = p.get("NewGroupName", group.name), check_path(p.get("NewPath", group.path))
        if new_name.lower() != group.name.lower() and new_name.lower() in groups:
            raise already_exists(f"Group with name {new_name} already exists.")
        del groups[group.name.lower()]
        group.name, group.path = new_name, new_path
        group.arn = self._arn(ctx, "group", new_path, new_name)
        groups[new_name.lower()] = group
        return {}

    def delete_group(self, ctx: RequestContext) -> dict[str, Any]:
        group = self._group(ctx, ctx.params["GroupName"])
        if group.members:
            raise delete_conflict("Cannot delete entity, must remove users from group first.")
        if group.inline_policies:
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        if group.attached_policies:
            raise delete_conflict("Cannot delete entity, must detach all policies first.")
        del self._state(ctx).groups[group.name.lower()]
        return {}

    def add_user_to_group(self, ctx: RequestContext) -> dict[str, Any]:
        group = self._group(ctx, ctx.params["GroupName"])
        user = self._user(ctx, ctx.params["UserName"])
        if user.name.lower() not in group.members:
            group.members.append(user.name.lower())
        return {}

    def remove_user_from_group(self, ctx: RequestContext) -> dict[str, Any]:
        group = self._group(ctx, ctx.params["GroupName"])
        user = self._user(ctx, ctx.params["UserName"])
        if user.name.lower() not in group.members:
            raise no_such_entity(f"The user with name {user.name} cannot be found.")
        group.members.remove(user.name.lower())
        return {}

    def list_groups_for_user(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._user(ctx, ctx.params["UserName"])
        groups = [g for g in self._state(ctx).groups.values() if user.name.lower() in g.members]
        groups.sort(key=lambda g: g.name.lower())
        return page([self._group_out(g) for g in groups], ctx.params, "Groups")

    # -- roles ------------------------------------------------------------------------------
    @staticmethod
    def _check_trust_policy(document: str) -> str:
        validate_trust_policy(document)
        check_size(document, 2048, "ACLSizePerRole")
        return document

    @staticmethod
    def _check_session_duration(value: int) -> int:
        if not 3600 <= value <= MAX_ROLE_SESSION:
            raise validation_error(
                f"1 validation error detected: Value '{value}' at 'maxSessionDuration' failed to "
                f"satisfy constraint: Member must have value {'less' if value > 3600 else 'greater'} "
                f"than or equal to {MAX_ROLE_SESSION if value > 3600 else 3600}"
            )
        return value

    def create_role(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, path = p["RoleName"], check_path(p.get("Path", "/"))
        roles = self._state(ctx).roles
        if name.lower() in roles:
            raise already_exists(f"Role with name {name} already exists.")
        role = Role(
            name, path, creds.unique_id("AROA"), self._arn(ctx, "role", path, name), created=stamp(ctx.clock),
            trust_policy=self._check_trust_policy(p["AssumeRolePolicyDocument"]),
            description=p.get("Description"),
            max_session_duration=self._check_session_duration(p.get("MaxSessionDuration", 3600)),
            tags=merge_tags([], p.get("Tags", [])),
            permissions_boundary=p.get("PermissionsBoundary"),
        )
        roles[name.lower()] = role
        count_use(self._state(ctx).boundary_counts, role.permissions_boundary, +1)
        return {"Role": self._role_out(role)}

    def get_role(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Role": self._role_out(self._role(ctx, ctx.params["RoleName"]))}

    def list_roles(self, ctx: RequestContext) -> dict[str, Any]:
        return name_page(self._state(ctx).roles, ctx.params, "Roles", lambda r: self._role_out(r, full=False))

    def update_role(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        if "MaxSessionDuration" in ctx.params:
            role.max_session_duration = self._check_session_duration(ctx.params["MaxSessionDuration"])
        if "Description" in ctx.params:
            role.description = ctx.params["Description"]
        return {}

    def update_role_description(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        role.description = ctx.params["Description"]
        return {"Role": self._role_out(role)}

    def update_assume_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        if is_service_linked(role):
            raise unmodifiable(role)
        role.trust_policy = self._check_trust_policy(ctx.params["PolicyDocument"])
        return {}

    def delete_role(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        if is_service_linked(role):
            raise unmodifiable(role)
        state = self._state(ctx)
        if any(role.name.lower() in ip.roles for ip in state.instance_profiles.values()):
            raise delete_conflict("Cannot delete entity, must remove roles from instance profile first.")
        if role.attached_policies:
            raise delete_conflict("Cannot delete entity, must detach all policies first.")
        if role.inline_policies:
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        del state.roles[role.name.lower()]
        self._forget_uses(ctx, role)
        return {}

    # -- permissions boundaries and account aliases ----------------------------------------
    def _set_boundary(self, ctx: RequestContext, entity: User | Role, arn: str | None) -> dict[str, Any]:
        if arn is not None:
            try:
                self._policy(ctx, arn)
            except AWSError:
                raise no_such_entity(f"Scope ARN: {arn} does not exist or is not attachable.") from None
        counts = self._state(ctx).boundary_counts
        count_use(counts, entity.permissions_boundary, -1)
        entity.permissions_boundary = arn
        count_use(counts, arn, +1)
        return {}

    def put_user_permissions_boundary(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_boundary(ctx, self._user(ctx, ctx.params["UserName"]), ctx.params["PermissionsBoundary"])

    def delete_user_permissions_boundary(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_boundary(ctx, self._user(ctx, ctx.params["UserName"]), None)

    def put_role_permissions_boundary(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_boundary(ctx, self._role(ctx, ctx.params["RoleName"]), ctx.params["PermissionsBoundary"])

    def delete_role_permissions_boundary(self, ctx: RequestContext) -> dict[str, Any]:
        return self._set_boundary(ctx, self._role(ctx, ctx.params["RoleName"]), None)
