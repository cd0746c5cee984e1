"""Aliases: create, update, delete, list (AWS managed `alias/aws/...` ones appear once used)."""

from __future__ import annotations

import re
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import KmsBase, timestamp
from .state import Alias

_ALIAS_NAME = re.compile(r"^alias/[a-zA-Z0-9/_-]+$")


class AliasOperations(KmsBase):

    def _check_name(self, name: str) -> None:
        if not _ALIAS_NAME.match(name):
            raise AWSError("InvalidAliasNameException", f"Alias name {name} must begin with 'alias/' and contain only "
                           "alphanumeric characters, forward slashes, underscores and dashes.")
        if name.startswith("alias/aws/"):
            raise AWSError("InvalidAliasNameException",
                           "Alias names that begin with 'alias/aws/' are reserved for AWS managed keys.")

    def _target(self, ctx: RequestContext) -> str:
        target = ctx.params["TargetKeyId"]
        if "alias/" in target:
            raise errors.validation("TargetKeyId must be a key ID or key ARN, not an alias.")
        key = self.key(ctx, target, operation="CreateAlias")
        if key.state == "PendingDeletion":
            raise errors.invalid_state(key.arn, key.state)
        if key.key_manager == "AWS":
            raise AWSError("AccessDeniedException", f"An alias cannot point to the AWS managed key {key.arn}.")
        return key.key_id

    def create_alias(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["AliasName"]
        self._check_name(name)
        target = self._target(ctx)
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if name in state.aliases:
                raise AWSError("AlreadyExistsException",
                               f"An alias with the name {self.alias_arn(ctx, name)} already exists")
            now = ctx.clock.now()
            state.put_alias(Alias(name, target, now, now))
        return {}

    def update_alias(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["AliasName"]
        state = self.store.for_ctx(ctx)
        alias = state.aliases.get(name)
        if alias is None or name.startswith("alias/aws/"):
            raise errors.alias_not_found(self.alias_arn(ctx, name))
        target = self._target(ctx)
        old = state.keys.get(alias.target_key_id)
        new = state.keys[target]
        if old is not None and (old.key_spec, old.key_usage) != (new.key_spec, new.key_usage):
            raise errors.validation("The new target key must have the same key spec and key usage as the current one.")
        with self.store.lock:
            state.retarget_alias(alias, target)
            alias.updated = ctx.clock.now()
        return {}

    def delete_alias(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["AliasName"]
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if name not in state.aliases or name.startswith("alias/aws/"):
                raise errors.alias_not_found(self.alias_arn(ctx, name))
            state.remove_alias(name)
        return {}

    def list_aliases(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.store.for_ctx(ctx)
        key_id = ctx.params.get("KeyId")
        if key_id:
            key_id = self.key(ctx, key_id, operation="ListAliases").key_id
        with self.store.lock:  # the map is in name order: without a key, a page is cut from it directly
            aliases = state.aliases.values()
            if key_id:
                aliases = [state.aliases[n] for n in sorted(state.key_aliases.get(key_id, ()))]
            page, more = self.page(ctx, aliases, f"aliases:{key_id or ''}")
        entries = [{"AliasName": a.name, "AliasArn": self.alias_arn(ctx, a.name), "TargetKeyId": a.target_key_id,
                    "CreationDate": timestamp(a.created), "LastUpdatedDate": timestamp(a.updated)} for a in page]
        return {"Aliases": entries, **more}
