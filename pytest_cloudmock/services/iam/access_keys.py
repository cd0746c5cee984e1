"""IAM access keys: each one, while active, authenticates as its user at the gateway."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from .. import _credentials as creds
from .base import IamBase, limit_exceeded, no_such_entity
from .paging import page
from .state import (
    AccessKey,
    User,
    stamp,
)

MAX_ACCESS_KEYS = 2


class AccessKeyOperations(IamBase):
    """Access keys of users."""

    # -- access keys --------------------------------------------------------------------------
    def _key(self, ctx: RequestContext) -> tuple[User, AccessKey]:
        user = self._named_or_calling_user(ctx)
        key = user.access_keys.get(ctx.params["AccessKeyId"])
        if key is None:
            raise no_such_entity(f"The Access Key with id {ctx.params['AccessKeyId']} cannot be found.")
        return user, key

    def create_access_key(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._named_or_calling_user(ctx)
        if len(user.access_keys) >= MAX_ACCESS_KEYS:
            raise limit_exceeded(f"Cannot exceed quota for AccessKeysPerUser: {MAX_ACCESS_KEYS}")
        key = AccessKey(creds.access_key_id(), creds.secret_access_key(), user.name, created=stamp(ctx.clock))
        user.access_keys[key.id] = key
        creds.register(ctx, self._key_identity(ctx, user, key))
        return {"AccessKey": {"UserName": user.name, "AccessKeyId": key.id, "Status": key.status,
                              "SecretAccessKey": key.secret, "CreateDate": key.created}}

    def list_access_keys(self, ctx: RequestContext) -> dict[str, Any]:
        user = self._named_or_calling_user(ctx)
        keys = [{"UserName": user.name, "AccessKeyId": k.id, "Status": k.status, "CreateDate": k.created}
                for k in user.access_keys.values()]
        return page(keys, ctx.params, "AccessKeyMetadata")

    def update_access_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._key(ctx)
        key.status = ctx.params["Status"]
        if key.status == "Active":
            creds.register(ctx, self._key_identity(ctx, user, key))
        else:
            creds.forget(ctx, key.id)
        return {}

    def delete_access_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._key(ctx)
        del user.access_keys[key.id]
        creds.forget(ctx, key.id)
        return {}

    def get_access_key_last_used(self, ctx: RequestContext) -> dict[str, Any]:
        key_id = ctx.params["AccessKeyId"]
        for user in self._state(ctx).users.values():
            if key_id in user.access_keys:
                return {"UserName": user.name, "AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}}
        raise AWSError("AccessDenied", "The specified access key is not valid or does not exist.", 403)
