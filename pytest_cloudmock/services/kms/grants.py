"""Grants: create, list, list retirable, retire (by token or id), revoke. Grant tokens
given to other operations are accepted (grants take effect at once here)."""

from __future__ import annotations

import base64
import os
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import KmsBase, timestamp
from .state import Grant


class GrantOperations(KmsBase):

    def create_grant(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        key = self.not_pending_deletion(self.key(ctx))
        if key.state == "Disabled":
            raise errors.disabled(key.arn)
        self.check_dry_run(ctx)
        state = self.store.for_ctx(ctx) if key.region == ctx.region else self.store.get(key.account_id, key.region)
        with self.store.lock:
            name = p.get("Name") or ""
            if name:  # a grant with the same name and settings is returned again (idempotent)
                for grant in state.grants.values():
                    if (grant.key_id, grant.name, grant.grantee, sorted(grant.operations)) == (
                            key.key_id, name, p["GranteePrincipal"], sorted(p["Operations"])):
                        return {"GrantToken": grant.token, "GrantId": grant.grant_id}
            grant = Grant(grant_id=os.urandom(32).hex(), token=_token(), key_id=key.key_id, name=name,
                          grantee=p["GranteePrincipal"], retiring=p.get("RetiringPrincipal"),
                          operations=list(p["Operations"]), constraints=p.get("Constraints"),
                          issuing_account=f"arn:{ctx.partition}:iam::{ctx.account_id}:root", created=ctx.clock.now())
            state.grants[grant.grant_id] = grant
        return {"GrantToken": grant.token, "GrantId": grant.grant_id}

    def list_grants(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        grant_id, grantee = ctx.params.get("GrantId"), ctx.params.get("GranteePrincipal")
        grants = [g for g in self._grants(key.account_id, key.region) if g.key_id == key.key_id
                  and (not grant_id or g.grant_id == grant_id) and (not grantee or g.grantee == grantee)]
        page, more = self.page(ctx, [self._grant_entry(g) for g in grants], f"grants:{key.key_id}")
        return {"Grants": page, **more}

    def list_retirable_grants(self, ctx: RequestContext) -> dict[str, Any]:
        principal = ctx.params.get("RetiringPrincipal")
        if not principal:  # the validation step answers first over the wire; direct calls land here
            raise AWSError("ValidationException", "1 validation error detected: Value null at 'retiringPrincipal' "
                           "failed to satisfy constraint: Member must not be null")
        grants = [g for g in self._grants(ctx.account_id, ctx.region) if g.retiring == principal]
        page, more = self.page(ctx, [self._grant_entry(g) for g in grants], f"retirable:{principal}")
        return {"Grants": page, **more}

    def retire_grant(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            if p.get("GrantToken"):
                grant = next((g for g in state.grants.values() if g.token == p["GrantToken"]), None)
                if grant is None:
                    raise AWSError("InvalidGrantTokenException", "The grant token is not valid.")
            elif p.get("KeyId") and p.get("GrantId"):
                key = self.key(ctx)
                grant = state.grants.get(p["GrantId"])
                if grant is None or grant.key_id != key.key_id:
                    raise AWSError("InvalidGrantIdException", f"Grant ID {p['GrantId']} is not valid.")
            else:
                raise errors.validation("Either GrantToken, or both KeyId and GrantId, must be specified.")
            self.check_dry_run(ctx)
            del state.grants[grant.grant_id]
        return {}

    def revoke_grant(self, ctx: RequestContext) -> dict[str, Any]:
        key = self.key(ctx)
        state = self.store.get(key.account_id, key.region)
        with self.store.lock:
            grant = state.grants.get(ctx.params["GrantId"])
            if grant is None or grant.key_id != key.key_id:
                raise AWSError("InvalidGrantIdException", f"Grant ID {ctx.params['GrantId']} is not valid.")
            self.check_dry_run(ctx)
            del state.grants[grant.grant_id]
        return {}

    def _grants(self, account: str, region: str) -> list[Grant]:
        return sorted(list(self.store.get(account, region).grants.values()), key=lambda g: g.created)

    @staticmethod
    def _grant_entry(grant: Grant) -> dict[str, Any]:
        entry: dict[str, Any] = {"KeyId": grant.key_id, "GrantId": grant.grant_id, "Name": grant.name,
                                 "CreationDate": timestamp(grant.created), "GranteePrincipal": grant.grantee,
                                 "IssuingAccount": grant.issuing_account, "Operations": grant.operations}
        if grant.retiring:
            entry["RetiringPrincipal"] = grant.retiring
        if grant.constraints:
            entry["Constraints"] = grant.constraints
        return entry


def _token() -> str:
    return base64.urlsafe_b64encode(os.urandom(96)).decode().rstrip("=")
