"""IAM access keys: each one authenticates as its user at the gateway while active.

Once IAM has issued a key it adds one interceptor to the gateway that sees every
request: a request signed with an IAM key records the key's last use (service,
region, date) for `GetAccessKeyLastUsed` and the credential report. (The gateway
refuses a request signed with an Inactive key, in its protocol's words, before that.)
"""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from ...interception import Interceptor
from .. import _credentials as creds
from .base import IamBase, limit_exceeded, no_such_entity
from .paging import page
from .state import AccessKey, User, stamp

MAX_ACCESS_KEYS = 2


class AccessKeyOperations(IamBase):
    """Access keys of users, and the record of their use."""

    _key_use: Interceptor | None = None

    def _track_key_use(self, ctx: RequestContext) -> None:
        """Add the key-use interceptor to the gateway, once."""
        if self._key_use is None and ctx.registry is not None:
            self._key_use = ctx.registry.interceptors.add(
                Interceptor("*", "*", before=self._record_key_use, name="iam-access-key-use"))

    def _record_key_use(self, ctx: RequestContext) -> None:
        identity = ctx.identity
        if identity is None or identity.issuer != self.name:
            return
        state = self.store.find(identity.account_id)
        if state is not None:
            with self.store.lock:  # snapshots copy the state under this lock
                state.key_last_used[identity.access_key_id] = {
                    "LastUsedDate": stamp(ctx.clock), "ServiceName": ctx.service, "Region": ctx.region}

    def _register(self, ctx: RequestContext, user: User, key: AccessKey) -> None:
        self._track_key_use(ctx)
        creds.register(ctx, self._key_identity(ctx, user, key))

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
        self._register(ctx, user, key)
        return {"AccessKey": {"UserName": user.name, "AccessKeyId": key.id, "Status": key.status,
                              "SecretAccessKey": key.secret, "CreateDate": key.created}}

    def list_access_keys(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.params.get("UserName") is None and (ctx.identity is None or ctx.identity.arn.endswith(":root")):
            return page([], ctx.params, "AccessKeyMetadata")  # the root user's own keys are not modelled
        user = self._named_or_calling_user(ctx)
        keys = [{"UserName": user.name, "AccessKeyId": k.id, "Status": k.status, "CreateDate": k.created}
                for k in user.access_keys.values()]
        return page(keys, ctx.params, "AccessKeyMetadata")

    def update_access_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._key(ctx)
        key.status = ctx.params["Status"]
        self._register(ctx, user, key)
        return {}

    def delete_access_key(self, ctx: RequestContext) -> dict[str, Any]:
        user, key = self._key(ctx)
        del user.access_keys[key.id]
        self._state(ctx).key_last_used.pop(key.id, None)
        creds.forget(ctx, key.id)
        return {}

    def get_access_key_last_used(self, ctx: RequestContext) -> dict[str, Any]:
        key_id = ctx.params["AccessKeyId"]
        state = self._state(ctx)
        for user in state.users.values():
            if key_id in user.access_keys:
                used = state.key_last_used.get(key_id, {"ServiceName": "N/A", "Region": "N/A"})
                return {"UserName": user.name, "AccessKeyLastUsed": dict(used)}
        raise AWSError("AccessDenied", "The specified access key is not valid or does not exist.", 403)
