"""IAM instance profiles."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from .. import _credentials as creds
from .base import (
    IamBase,
    already_exists,
    by_path,
    check_path,
    delete_conflict,
    limit_exceeded,
    no_such_entity,
)
from .paging import page
from .state import InstanceProfile, stamp
from .tags import merge_tags


class InstanceProfileOperations(IamBase):
    """Instance profiles and their (one) role."""

    # -- instance profiles ----------------------------------------------------------------------
    def create_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, path = p["InstanceProfileName"], check_path(p.get("Path", "/"))
        profiles = self._state(ctx).instance_profiles
        if name.lower() in profiles:
            raise already_exists(f"Instance Profile {name} already exists.")
        profile = InstanceProfile(name, path, creds.unique_id("AIPA"),
                                  self._arn(ctx, "instance-profile", path, name),
                                  tags=merge_tags([], p.get("Tags", [])), created=stamp(ctx.clock))
        profiles[name.lower()] = profile
        return {"InstanceProfile": self._profile_out(ctx, profile)}

    def get_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        return {"InstanceProfile": self._profile_out(ctx, self._profile(ctx, ctx.params["InstanceProfileName"]))}

    def list_instance_profiles(self, ctx: RequestContext) -> dict[str, Any]:
        profiles = by_path(list(self._state(ctx).instance_profiles.values()), ctx.params)
        return page([self._profile_out(ctx, ip) for ip in profiles], ctx.params, "InstanceProfiles")

    def delete_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        profile = self._profile(ctx, ctx.params["InstanceProfileName"])
        if profile.roles:
            raise delete_conflict("Cannot delete entity, must remove roles from instance profile first.")
        del self._state(ctx).instance_profiles[profile.name.lower()]
        return {}

    def add_role_to_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        profile = self._profile(ctx, ctx.params["InstanceProfileName"])
        role = self._role(ctx, ctx.params["RoleName"])
        if profile.roles:
            raise limit_exceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
        profile.roles.append(role.name.lower())
        return {}

    def remove_role_from_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        profile = self._profile(ctx, ctx.params["InstanceProfileName"])
        name = ctx.params["RoleName"]
        if name.lower() not in profile.roles:
            raise no_such_entity(f"The role with name {name} cannot be found.")
        profile.roles.remove(name.lower())
        return {}

    def list_instance_profiles_for_role(self, ctx: RequestContext) -> dict[str, Any]:
        role = self._role(ctx, ctx.params["RoleName"])
        profiles = [ip for ip in self._state(ctx).instance_profiles.values() if role.name.lower() in ip.roles]
        profiles.sort(key=lambda ip: ip.name.lower())
        return page([self._profile_out(ctx, ip) for ip in profiles], ctx.params, "InstanceProfiles")
