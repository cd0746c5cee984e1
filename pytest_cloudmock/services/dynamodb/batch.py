"""BatchGetItem and BatchWriteItem (never partial: `Unprocessed*` stay empty)."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from . import errors, legacy
from .base import read_units, wants_capacity
from .expressions import project
from .items import ItemOperations, WritePlan
from .values import hashable, item_size

MAX_GET_KEYS = 100
MAX_WRITES = 25


class BatchOperations(ItemOperations):
    """Batches of reads and writes across tables."""

    def batch_get_item(self, ctx: RequestContext) -> dict[str, Any]:
        requests = ctx.params["RequestItems"]
        if sum(len(r.get("Keys") or []) for r in requests.values()) > MAX_GET_KEYS:
            raise errors.validation("Too many items requested for the BatchGetItem call")
        responses: dict[str, list[Any]] = {}
        capacities = []
        wanted = wants_capacity(ctx.params)
        with self.store.lock:
            for name, request in requests.items():
                table = self.table(ctx, name)
                legacy.check_not_mixed(request, ("AttributesToGet",), ("ProjectionExpression",))
                exprs = self.expressions(request, "ProjectionExpression")
                paths = (exprs.projection(request["ProjectionExpression"])
                         if request.get("ProjectionExpression") is not None
                         else legacy.attributes_to_get(request.get("AttributesToGet")))
                exprs.check_unused()
                seen = set()
                found, units = [], 0.0
                for raw in request.get("Keys") or []:
                    key = self.key(table, raw)
                    identity = tuple(hashable(key[n]) for n in table.schema.names)
                    if identity in seen:
                        raise errors.validation("Provided list of item keys contains duplicates")
                    seen.add(identity)
                    item = table.get(key)
                    if wanted:
                        units += read_units(item_size(item) if item else 0, bool(request.get("ConsistentRead")))
                    if item is not None:
                        found.append(project(item, paths) if paths is not None else item)
                responses[name] = found
                capacity = self.capacity(ctx, table, units, write=False)
                if capacity is not None:
                    capacities.append(capacity)
        out: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": {}}
        if capacities:
            out["ConsumedCapacity"] = capacities
        return out

    def batch_write_item(self, ctx: RequestContext) -> dict[str, Any]:
        requests = ctx.params["RequestItems"]
        if sum(len(r) for r in requests.values()) > MAX_WRITES:
            raise errors.validation("Too many items requested for the BatchWriteItem call")
        capacities = []
        with self.store.lock:
            plans: list[WritePlan] = []
            for name, writes in requests.items():
                table = self.table(ctx, name)
                seen = set()
                for write in writes:
                    if bool(write.get("PutRequest")) == bool(write.get("DeleteRequest")):
                        raise errors.validation("Supplied AttributeValue has more than one datatypes set, must "
                                                "contain exactly one of the supported datatypes")
                    if write.get("PutRequest"):
                        plan = self.plan_put(table, {"Item": write["PutRequest"]["Item"]})
                    else:
                        plan = self.plan_delete(table, {"Key": write["DeleteRequest"]["Key"]})
                    identity = (name, *(hashable(plan.key[n]) for n in table.schema.names))
                    if identity in seen:
                        raise errors.validation("Provided list of item keys contains duplicates")
                    seen.add(identity)
                    plans.append(plan)
            units: dict[str, float] = {}
            wanted = wants_capacity(ctx.params)
            for plan in plans:
                self.apply(ctx, plan)
                units[plan.table.name] = units.get(plan.table.name, 0.0) + (plan.units if wanted else 0.0)
            for name, total in units.items():
                capacity = self.capacity(ctx, self.table(ctx, name), total, write=True)
                if capacity is not None:
                    capacities.append(capacity)
        out: dict[str, Any] = {"UnprocessedItems": {}}
        if capacities:
            out["ConsumedCapacity"] = capacities
        return out
