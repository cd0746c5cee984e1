"""Aliases: named pointers to a version, with weighted routing to a second one."""

from __future__ import annotations

import random
from typing import Any

from ...api import RequestContext
from ...paging import offset_page
from . import errors
from .base import LATEST, LambdaBase, new_revision
from .state import Alias, Function


class AliasOps(LambdaBase):
    """CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases."""

    def alias_out(self, ctx: RequestContext, function: Function, alias: Alias) -> dict[str, Any]:
        out: dict[str, Any] = {"AliasArn": self.function_arn(ctx, function.name, alias.name), "Name": alias.name,
                               "FunctionVersion": alias.function_version, "Description": alias.description,
                               "RevisionId": alias.revision_id}
        if alias.weights:
            out["RoutingConfig"] = {"AdditionalVersionWeights": dict(alias.weights)}
        return out

    def _check_target(self, ctx: RequestContext, function: Function, version: str, weights: dict[str, float]) -> None:
        if version != LATEST and version not in function.versions:
            raise errors.function_not_found(self.function_arn(ctx, function.name, version))
        for extra, weight in weights.items():
            if extra not in function.versions:
                raise errors.function_not_found(self.function_arn(ctx, function.name, extra))
            if extra == version:
                # AWS's exact text is not documented
                raise errors.invalid(f"Invalid function version {extra}. Function version {extra} is already "
                                     "included in routing configuration.")
            if not 0.0 <= weight <= 1.0:
                raise errors.invalid("The weight of an additional version must be between 0.0 and 1.0.")
        if weights and version == LATEST:
            raise errors.invalid("$LATEST is not supported for an alias pointing to more than 1 version")

    def create_alias(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        weights = dict((p.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {})
        with self.store.lock:
            function, _ = self.function(ctx)
            if p["Name"] in function.aliases:
                raise errors.conflict(f"Alias already exists: {self.function_arn(ctx, function.name, p['Name'])}")
            self._check_target(ctx, function, p["FunctionVersion"], weights)
            alias = Alias(p["Name"], p["FunctionVersion"], p.get("Description", ""), weights, new_revision())
            function.aliases[alias.name] = alias
            return self.alias_out(ctx, function, alias)

    def get_alias(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            return self.alias_out(ctx, function, self.alias(ctx, function, ctx.params["Name"]))

    def update_alias(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            function, _ = self.function(ctx)
            alias = self.alias(ctx, function, p["Name"])
            if p.get("RevisionId") and p["RevisionId"] != alias.revision_id:
                raise errors.precondition()
            version = p.get("FunctionVersion", alias.function_version)
            weights = alias.weights
            if "RoutingConfig" in p:
                weights = dict((p["RoutingConfig"] or {}).get("AdditionalVersionWeights") or {})
            self._check_target(ctx, function, version, weights)
            alias.function_version, alias.weights = version, weights
            alias.description = p.get("Description", alias.description)
            alias.revision_id = new_revision()
            return self.alias_out(ctx, function, alias)

    def delete_alias(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            function.aliases.pop(ctx.params["Name"], None)
        return {}

    def list_aliases(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            function, _ = self.function(ctx)
            wanted = ctx.params.get("FunctionVersion")
            aliases = [self.alias_out(ctx, function, a) for a in sorted(function.aliases.values(), key=lambda a: a.name)
                       if not wanted or a.function_version == wanted or wanted in a.weights]
        page, marker = offset_page(aliases, ctx.params.get("Marker"), ctx.params.get("MaxItems"),
                                   bad_token=lambda: errors.invalid("Invalid marker provided."), default_limit=50,
                                   scope=f"aliases:{function.name}")
        return {"Aliases": page, **({"NextMarker": marker} if marker else {})}

    @staticmethod
    def route(alias: Alias, rng: random.Random | None = None) -> str:
        """The version one invocation of `alias` runs (weighted routing)."""
        draw = (rng or random).random()
        for version, weight in alias.weights.items():
            if draw < weight:
                return version
            draw -= weight
        return alias.function_version
