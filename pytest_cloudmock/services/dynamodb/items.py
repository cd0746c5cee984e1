"""PutItem, GetItem, UpdateItem, DeleteItem, and the write plans transactions share.

A write is planned (key, old item, new item, condition result) under the store lock,
then applied; a transaction plans all of its writes before applying any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...api import AWSError, RequestContext
from . import errors, legacy
from .base import DynamoDbBase, read_units, wants_capacity, write_units
from .expressions import apply_update, matches, project
from .expressions.nodes import Path, Update
from .state import Table
from .values import Item, item_size, validate_item

_CONDITION_KINDS = ("ConditionExpression",)
_PUT_RETURNS = ("NONE", "ALL_OLD")
_UPDATE_RETURNS = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")


@dataclass
class WritePlan:
    """One planned write: `new` None deletes; `check_only` writes nothing (ConditionCheck)."""

    table: Table
    key: Item
    old: Item | None
    new: Item | None
    passed: bool
    paths: list[Path] | None = None
    check_only: bool = False
    new_size: int | None = None  # item_size(new), when the plan measured it
    where: tuple[Any, Any] | None = None  # table.locate(key): where the item lives

    @property
    def units(self) -> float:
        old = item_size(self.old) if self.old is not None else 0
        new = (self.new_size if self.new_size is not None else item_size(self.new)) if self.new is not None else 0
        return write_units(max(old, new))

    def index_units(self) -> dict[str, float]:
        """Write capacity each index spends (items entering, leaving or changing in it)."""
        out: dict[str, float] = {}
        for index in self.table.indexes.values():
            touched = [i for i in (self.old, self.new)
                       if i is not None and all(n in i for n in index.schema.names)]
            if touched:
                out[index.name] = write_units(max(item_size(i) for i in touched)) * len(touched)
        return out


class ItemOperations(DynamoDbBase):
    """Single-item reads and writes."""

    # -- parsing -----------------------------------------------------------------------------
    def condition_of(self, params: dict[str, Any], exprs: Any) -> Any:
        legacy.check_not_mixed(params, ("Expected", "ConditionalOperator"), _CONDITION_KINDS)
        if params.get("ConditionExpression") is not None:
            return exprs.condition(params["ConditionExpression"])
        specs = params.get("Expected")
        return legacy.expected(specs, params.get("ConditionalOperator")) if specs else None

    # -- plans -------------------------------------------------------------------------------
    def plan_put(self, table: Table, params: dict[str, Any]) -> WritePlan:
        exprs = self.expressions(params, *_CONDITION_KINDS)
        condition = self.condition_of(params, exprs)
        exprs.check_unused()
        item = validate_item(params["Item"])
        size = self.check_item(table, item)
        where = table.locate(item)
        old = table.items.get(*where)
        passed = condition is None or _passes(condition, old)
        return WritePlan(table, table.key_values(item), old, item, passed, new_size=size, where=where)

    def plan_delete(self, table: Table, params: dict[str, Any], *, check_only: bool = False) -> WritePlan:
        exprs = self.expressions(params, *_CONDITION_KINDS)
        condition = self.condition_of(params, exprs)
        exprs.check_unused()
        key = self.key(table, params.get("Key"))
        old = table.get(key)
        return WritePlan(table, key, old, old if check_only else None, _passes(condition, old), check_only=check_only)

    def plan_update(self, table: Table, params: dict[str, Any]) -> WritePlan:
        legacy.check_not_mixed(params, ("AttributeUpdates", "Expected", "ConditionalOperator"),
                               ("UpdateExpression", "ConditionExpression"))
        exprs = self.expressions(params, "UpdateExpression", "ConditionExpression")
        update: Update | None = (exprs.update(params["UpdateExpression"]) if params.get("UpdateExpression") is not None
                                 else legacy.attribute_updates(params.get("AttributeUpdates")))
        condition = self.condition_of(params, exprs)
        exprs.check_unused()
        key = self.key(table, params.get("Key"))
        for path in update.paths if update else []:
            if path.top in table.schema.names:
                raise errors.invalid_parameters(f"Cannot update attribute {path.top}. This attribute is part of the key")
        old = table.get(key)
        if not _passes(condition, old):
            return WritePlan(table, key, old, old, False)
        new = apply_update(old if old is not None else dict(key), update) if update else dict(old or key)
        size = self.check_item(table, new)
        return WritePlan(table, key, old, new, True, paths=update.paths if update else [], new_size=size)

    def apply(self, ctx: RequestContext, plan: WritePlan) -> None:
        if plan.check_only:
            return
        self.commit(ctx, plan.table, plan.key, plan.new, new_size=plan.new_size, where=plan.where)

    def failed(self, params: dict[str, Any], plan: WritePlan) -> AWSError:
        want_item = params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        return errors.conditional_failed(plan.old if want_item and plan.old is not None else None)

    # -- operations --------------------------------------------------------------------------
    def put_item(self, ctx: RequestContext) -> dict[str, Any]:
        returns = _return_values(ctx.params, _PUT_RETURNS)
        with self.store.lock:
            table = self.table(ctx)
            plan = self.plan_put(table, ctx.params)
            if not plan.passed:
                raise self.failed(ctx.params, plan)
            self.apply(ctx, plan)
        return self.write_answer(ctx, plan, returns)

    def delete_item(self, ctx: RequestContext) -> dict[str, Any]:
        returns = _return_values(ctx.params, _PUT_RETURNS)
        with self.store.lock:
            table = self.table(ctx)
            plan = self.plan_delete(table, ctx.params)
            if not plan.passed:
                raise self.failed(ctx.params, plan)
            self.apply(ctx, plan)
        return self.write_answer(ctx, plan, returns)

    def update_item(self, ctx: RequestContext) -> dict[str, Any]:
        returns = _return_values(ctx.params, _UPDATE_RETURNS)
        with self.store.lock:
            table = self.table(ctx)
            plan = self.plan_update(table, ctx.params)
            if not plan.passed:
                raise self.failed(ctx.params, plan)
            self.apply(ctx, plan)
        return self.write_answer(ctx, plan, returns)

    def write_answer(self, ctx: RequestContext, plan: WritePlan, returns: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        attributes: Item | None = None
        if returns == "ALL_OLD":
            attributes = plan.old
        elif returns == "ALL_NEW":
            attributes = plan.new
        elif returns == "UPDATED_OLD" and plan.old is not None:
            attributes = project(plan.old, plan.paths or [])
        elif returns == "UPDATED_NEW" and plan.new is not None:
            attributes = project(plan.new, plan.paths or [])
        if attributes:
            out["Attributes"] = attributes
        if ctx.params.get("ReturnConsumedCapacity", "NONE") != "NONE":
            out["ConsumedCapacity"] = self.capacity(ctx, plan.table, plan.units, write=True,
                                                    indexes=plan.index_units())
        if ctx.params.get("ReturnItemCollectionMetrics") == "SIZE" and any(
                i.kind == "LSI" for i in plan.table.indexes.values()):
            out["ItemCollectionMetrics"] = {
                "ItemCollectionKey": {plan.table.schema.hash: plan.key[plan.table.schema.hash]},
                "SizeEstimateRangeGB": [0.0, 1.0]}
        return out

    def get_item(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        legacy.check_not_mixed(p, ("AttributesToGet",), ("ProjectionExpression",))
        exprs = self.expressions(p, "ProjectionExpression")
        paths = (exprs.projection(p["ProjectionExpression"]) if p.get("ProjectionExpression") is not None
                 else legacy.attributes_to_get(p["AttributesToGet"]) if p.get("AttributesToGet") is not None
                 else None)
        exprs.check_unused()
        table = self.table(ctx)
        key = self.key(table, p.get("Key"))
        item = table.get(key)
        out: dict[str, Any] = {}
        if item is not None:
            out["Item"] = project(item, paths) if paths is not None else item
        if wants_capacity(p):  # the item is sized only when asked
            units = read_units(item_size(item) if item else 0, bool(p.get("ConsistentRead")))
            out["ConsumedCapacity"] = self.capacity(ctx, table, units, write=False)
        return out


def _passes(condition: Any, item: Item | None) -> bool:
    return condition is None or matches(item or {}, condition)


def _return_values(params: dict[str, Any], allowed: tuple[str, ...]) -> str:
    value = params.get("ReturnValues") or "NONE"
    if value not in allowed:
        raise errors.validation("Return values set to invalid value")
    return value
