"""TransactWriteItems and TransactGetItems: all-or-nothing across tables, idempotent tokens."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import read_units, wants_capacity
from .expressions import project
from .items import ItemOperations, WritePlan
from .values import hashable, item_size

MAX_ITEMS = 100
TOKEN_SECONDS = 600


class TransactionOperations(ItemOperations):
    """Transactions (serialised by the store lock, so they never interleave or half-apply)."""

    def transact_write_items(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        entries = p["TransactItems"]
        if len(entries) > MAX_ITEMS:
            raise errors.validation(f"Member must have length less than or equal to {MAX_ITEMS}")
        token = p.get("ClientRequestToken")
        fingerprint = _fingerprint(entries)
        with self.store.lock:
            state = self.state(ctx)
            if token is not None:
                oldest = ctx.clock.now() - TOKEN_SECONDS
                _forget_expired(state.transactions, oldest)
                previous = state.transactions.get(token)
                if previous is not None and previous[1] < oldest:  # behind a newer one (the clock went back)
                    del state.transactions[token]
                    previous = None
                if previous is not None:
                    if previous[0] != fingerprint:
                        raise AWSError("IdempotentParameterMismatchException",
                                       "The request uses the same client token as a previous, but non-identical "
                                       "request.")  # AWS's exact wording is not documented
                    return previous[2]
            plans: list[WritePlan] = []
            actions = []
            seen: set[Any] = set()
            for entry in entries:
                kind, params = _one_action(entry)
                actions.append(params)
                table = self.table(ctx, params.get("TableName", ""))
                if kind == "Put":
                    plan = self.plan_put(table, params)
                elif kind == "Update":
                    plan = self.plan_update(table, params)
                else:
                    plan = self.plan_delete(table, params, check_only=kind == "ConditionCheck")
                identity = (table.name, *(hashable(plan.key[n]) for n in table.schema.names))
                if identity in seen:
                    raise errors.validation("Transaction request cannot include multiple operations on one item")
                seen.add(identity)
                plans.append(plan)
            reasons = []
            for params, plan in zip(actions, plans, strict=True):
                if plan.passed:
                    reasons.append({"Code": "None"})
                    continue
                reason: dict[str, Any] = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
                if params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and plan.old is not None:
                    reason["Item"] = plan.old
                reasons.append(reason)
            if any(r["Code"] != "None" for r in reasons):
                codes = ", ".join(r["Code"] for r in reasons)
                raise AWSError("TransactionCanceledException",
                               f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                               CancellationReasons=reasons)
            for plan in plans:
                self.apply(ctx, plan)
            out: dict[str, Any] = {}
            units: dict[str, float] = {}
            wanted = wants_capacity(ctx.params)
            for plan in plans:
                units[plan.table.name] = units.get(plan.table.name, 0.0) + (2 * plan.units if wanted else 0.0)
            capacities = [c for c in (self.capacity(ctx, self.table(ctx, n), u, write=True) for n, u in units.items())
                          if c is not None]
            if capacities:
                out["ConsumedCapacity"] = capacities
            if token is not None:
                state.transactions[token] = (fingerprint, ctx.clock.now(), out)
            return out

    def transact_get_items(self, ctx: RequestContext) -> dict[str, Any]:
        entries = ctx.params["TransactItems"]
        if len(entries) > MAX_ITEMS:
            raise errors.validation(f"Member must have length less than or equal to {MAX_ITEMS}")
        responses = []
        units: dict[str, float] = {}
        wanted = wants_capacity(ctx.params)
        with self.store.lock:
            seen: set[Any] = set()
            for entry in entries:
                params = entry["Get"]
                table = self.table(ctx, params["TableName"])
                exprs = self.expressions(params, "ProjectionExpression")
                paths = exprs.projection(params["ProjectionExpression"]) if params.get("ProjectionExpression") else None
                exprs.check_unused()
                key = self.key(table, params["Key"])
                identity = (table.name, *(hashable(key[n]) for n in table.schema.names))
                if identity in seen:
                    raise errors.validation("Transaction request cannot include multiple operations on one item")
                seen.add(identity)
                item = table.get(key)
                units[table.name] = units.get(table.name, 0.0) + (
                    2 * read_units(item_size(item) if item else 0, True) if wanted else 0.0)
                responses.append({"Item": project(item, paths) if paths is not None else item} if item else {})
            out: dict[str, Any] = {"Responses": responses}
            capacities = [c for c in (self.capacity(ctx, self.table(ctx, n), u, write=False) for n, u in units.items())
                          if c is not None]
            if capacities:
                out["ConsumedCapacity"] = capacities
        return out


def _one_action(entry: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    present = [k for k in ("ConditionCheck", "Put", "Delete", "Update") if entry.get(k) is not None]
    if len(present) != 1:
        raise errors.validation("TransactItems can only contain one of Check, Put, Update or Delete")
    if present[0] == "ConditionCheck" and not entry["ConditionCheck"].get("ConditionExpression"):
        raise errors.validation("The ConditionCheck operation requires a ConditionExpression")
    return present[0], entry[present[0]]


def _forget_expired(tokens: dict[str, tuple[str, float, dict[str, Any]]], oldest: float) -> None:
    """Drop the tokens used before `oldest` from the front: tokens are kept in the order they were used,
    so a call looks at the expired ones and one more, not at every token of the last ten minutes."""
    while tokens:
        first = next(iter(tokens))
        if tokens[first][1] >= oldest:
            return
        del tokens[first]


def _fingerprint(entries: list[dict[str, Any]]) -> str:
    raw = json.dumps(entries, sort_keys=True, default=lambda v: v.hex() if isinstance(v, bytes) else str(v))
    return hashlib.sha256(raw.encode()).hexdigest()
