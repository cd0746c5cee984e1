"""Groups (IAM role and precedence) and their members."""

from __future__ import annotations

import copy
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .state import UserPool
from .users import UserOps


class GroupOps(UserOps):
    """Group operations."""

    def _group(self, pool: UserPool, name: str) -> dict[str, Any]:
        group = pool.groups.get(name)
        if group is None:
            raise errors.not_found("Group not found.")
        return group

    def create_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        now = ctx.clock.now()
        group = {"GroupName": p["GroupName"], "UserPoolId": pool.pool_id, "LastModifiedDate": now, "CreationDate": now,
                 **{k: p[k] for k in ("Description", "RoleArn", "Precedence") if k in p}}
        with self.store.lock:
            if p["GroupName"] in pool.groups:
                raise AWSError("GroupExistsException", "A group with the name already exists.")
            pool.groups[p["GroupName"]] = group
        return {"Group": copy.deepcopy(group)}

    def get_group(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Group": copy.deepcopy(self._group(self.pool(ctx), ctx.params["GroupName"]))}

    def update_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        group = self._group(pool, ctx.params["GroupName"])
        with self.store.lock:
            for key in ("Description", "RoleArn", "Precedence"):
                if key in ctx.params:
                    group[key] = ctx.params[key]
            group["LastModifiedDate"] = ctx.clock.now()
        return {"Group": copy.deepcopy(group)}

    def delete_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._group(pool, ctx.params["GroupName"])
        with self.store.lock:
            pool.groups.pop(ctx.params["GroupName"], None)
            for user in pool.users.values():
                user.groups.discard(ctx.params["GroupName"])
        return {}

    def list_groups(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        groups = sorted(pool.groups.values(), key=lambda g: g["GroupName"])
        page, more = self.page(ctx, groups, "NextToken", "Limit", f"groups:{pool.pool_id}")
        return {"Groups": copy.deepcopy(page), **more}

    def admin_add_user_to_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        self._group(pool, ctx.params["GroupName"])
        with self.store.lock:
            user.groups.add(ctx.params["GroupName"])
        return {}

    def admin_remove_user_from_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        self._group(pool, ctx.params["GroupName"])
        with self.store.lock:
            user.groups.discard(ctx.params["GroupName"])
        return {}

    def admin_list_groups_for_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        groups = sorted((pool.groups[g] for g in user.groups if g in pool.groups), key=lambda g: g["GroupName"])
        page, more = self.page(ctx, groups, "NextToken", "Limit", f"user-groups:{pool.pool_id}:{user.username}")
        return {"Groups": copy.deepcopy(page), **more}

    def list_users_in_group(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        name = self._group(pool, ctx.params["GroupName"])["GroupName"]
        users = sorted((u for u in list(pool.users.values()) if name in u.groups), key=lambda u: (u.created, u.username))
        page, more = self.page(ctx, users, "NextToken", "Limit", f"group-users:{pool.pool_id}:{name}")
        return {"Users": [self.user_type(u) for u in page], **more}
