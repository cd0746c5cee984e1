"""What every DynamoDB operation needs: the store, table lookup, keys, capacity, TTL, streams."""

from __future__ import annotations

import dataclasses
import heapq
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ...api import RequestContext, ServiceProfile, new_request_id
from ...store import Store
from ..base import ModelService
from . import errors, streams
from .expressions import Expressions
from .state import DynamoDbState, Index, Table
from .values import Item, av_type, check_item_size, validate_item

if TYPE_CHECKING:
    from ...registry import Registry

FIVE_YEARS = 5 * 365 * 24 * 3600
SERVICE_IDENTITY = {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}


class DynamoDbBase(ModelService):
    """Store, lookups and shared rules of the DynamoDB operations."""

    name: ClassVar[str] = "dynamodb"

    def __init__(self) -> None:
        self.store: Store[DynamoDbState] = Store(DynamoDbState)
        self.profile = ServiceProfile(on_clock=self.sweep)  # TTL expiry follows the gateway clock

    def sweep(self, registry: Registry) -> None:
        """Expire every table's items whose TTL has passed (run whenever the gateway clock moves)."""
        for (account, region), state in self.store.partitions():
            ctx = RequestContext(service=self.name, operation="TimeToLiveSweep", params={}, region=region,
                                 account_id=account, access_key_id="", request_id=new_request_id(),
                                 protocol="internal", registry=registry)
            for table in list(state.tables.values()):
                self.expire(ctx, table)

    # -- lookups -----------------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> DynamoDbState:
        return self.store.for_ctx(ctx)

    def table(self, ctx: RequestContext, name: str | None = None, *, named: bool = False) -> Table:
        """The table a request names (a name or an ARN); `ResourceNotFoundException` if missing."""
        name = name if name is not None else ctx.params.get("TableName", "")
        if name.startswith("arn:"):
            name = name.rsplit("/", 1)[-1]
        table = self.state(ctx).tables.get(name)
        if table is None:
            raise errors.table_not_found(name if named else None)
        if table.ttl_heap:
            self.expire(ctx, table)
        return table

    def table_arn(self, ctx: RequestContext, name: str) -> str:
        return f"arn:{ctx.partition}:dynamodb:{ctx.region}:{ctx.account_id}:table/{name}"

    # -- keys --------------------------------------------------------------------------------
    def key(self, table: Table, raw: Any) -> Item:
        """A `Key` parameter checked against the table's schema."""
        key = validate_item(raw or {})
        names = table.schema.names
        if set(key) != set(names):
            raise errors.key_mismatch()
        for name in names:
            value = key[name]
            kind = av_type(value)
            if kind != table.attributes[name]:
                raise errors.key_mismatch()
            if not value[kind]:  # only S and B can be empty: a key is S, N or B
                check_not_empty(value, name)
        return key

    def check_item(self, table: Table, item: Item) -> int:
        """Key presence and types, index key types, size: AWS's checks of a whole item; its size."""
        for name in table.schema.names:
            value = item.get(name)
            if value is None:
                raise errors.invalid_parameters(f"Missing the key {name} in the item")
            actual = av_type(value)
            if actual != table.attributes[name]:
                raise errors.invalid_parameters(
                    f"Type mismatch for key {name} expected: {table.attributes[name]} actual: {actual}")
            if not value[actual]:
                check_not_empty(value, name)
        for index in table.indexes.values():
            check_index_keys(table, index, item)
        return check_item_size(item)

    # -- expressions -------------------------------------------------------------------------
    def expressions(self, params: dict[str, Any], *kinds: str) -> Expressions:
        """The names and values of a request (or a transaction item) holding expressions of `kinds`."""
        any_expression = False
        for kind in kinds:
            if params.get(kind) is not None:
                any_expression = True
                break
        return Expressions(params.get("ExpressionAttributeNames"), params.get("ExpressionAttributeValues"),
                           any_expression=any_expression)

    # -- capacity ----------------------------------------------------------------------------
    def capacity(self, ctx: RequestContext, table: Table, units: float, *, write: bool,
                 indexes: dict[str, float] | None = None, mode: str | None = None) -> dict[str, Any] | None:
        """The `ConsumedCapacity` answer for `ReturnConsumedCapacity` (None when not asked)."""
        mode = mode or ctx.params.get("ReturnConsumedCapacity") or "NONE"
        if mode == "NONE":
            return None
        indexes = indexes or {}
        total = units + sum(indexes.values())
        kind = "WriteCapacityUnits" if write else "ReadCapacityUnits"
        out: dict[str, Any] = {"TableName": table.name, "CapacityUnits": total, kind: total}
        if mode == "INDEXES":
            out["Table"] = {"CapacityUnits": units, kind: units}
            gsis = {n: {"CapacityUnits": u, kind: u} for n, u in indexes.items() if table.indexes[n].kind == "GSI"}
            lsis = {n: {"CapacityUnits": u, kind: u} for n, u in indexes.items() if table.indexes[n].kind == "LSI"}
            if gsis:
                out["GlobalSecondaryIndexes"] = gsis
            if lsis:
                out["LocalSecondaryIndexes"] = lsis
        return out

    # -- writes ------------------------------------------------------------------------------
    def commit(self, ctx: RequestContext, table: Table, key: Item, new: Item | None,
               identity: dict[str, str] | None = None, new_size: int | None = None,
               where: tuple[Any, Any] | None = None) -> Item | None:
        """Write one item (None deletes) with everything that follows: stream record, PITR history.

        `new_size` (`item_size(new)`) and `where` (`table.locate(key)`) when the caller has them already.
        """
        old = table.write(key, new, new_size, where)
        if table.stream is not None:
            streams.record(ctx, self.state(ctx), table, old, new, identity=identity)
        if table.pitr_enabled:
            table.history.append((ctx.clock.now(), table.key_values(key), new))
        for region in table.replicas:  # global tables: every replica receives the write
            state = self.store.get(ctx.account_id, region)
            replica = state.tables.get(table.name)
            if replica is not None:
                replica_ctx = dataclasses.replace(ctx, region=region)
                streams.record(replica_ctx, state, replica, replica.write(key, new, new_size), new, identity=identity)
        return old

    # -- TTL ---------------------------------------------------------------------------------
    def expire(self, ctx: RequestContext, table: Table) -> None:
        """Delete the items whose TTL has passed (by the gateway clock), with service REMOVE records."""
        heap = table.ttl_heap
        if not heap or table.ttl_attribute is None:
            return
        now = Decimal(str(ctx.clock.now()))
        if heap[0][0] > now:
            return
        with self.store.lock:
            while heap and heap[0][0] <= now:
                expiry, _, token, position = heapq.heappop(heap)
                item = table.items.get(token, position)
                value = item.get(table.ttl_attribute) if item is not None else None
                if value is None or "N" not in value or Decimal(value["N"]) != expiry:
                    continue
                if expiry < now - FIVE_YEARS:
                    continue
                self.commit(ctx, table, item, None, identity=SERVICE_IDENTITY)


def wants_capacity(params: dict[str, Any]) -> bool:
    """Whether a request asks for `ConsumedCapacity` (what only that answer needs is skipped otherwise)."""
    return (params.get("ReturnConsumedCapacity") or "NONE") != "NONE"


def read_units(size: int, consistent: bool) -> float:
    """Read capacity for `size` bytes: 4 KB units, half for eventually consistent reads."""
    units = max(1, math.ceil(size / 4096))
    return float(units) if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, math.ceil(size / 1024)))


def check_not_empty(value: dict[str, Any], name: str) -> None:
    """AWS refuses empty strings and binaries as key values."""
    kind = av_type(value)
    if kind in ("S", "B") and len(value[kind]) == 0:
        what = "string" if kind == "S" else "binary"
        raise errors.validation(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
            f"an empty {what} value. Key: {name}")


def check_index_keys(table: Table, index: Index, item: Item) -> None:
    for name in index.schema.names:
        value = item.get(name)
        if value is None:
            continue
        actual, expected = av_type(value), table.attributes[name]
        if actual != expected:
            raise errors.invalid_parameters(
                f"Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} IndexName: {index.name}")
        if actual in ("S", "B") and len(value[actual]) == 0:
            what = "string" if actual == "S" else "binary"
            raise errors.validation(
                "One or more parameter values are not valid. A value specified for a secondary index key is not "
                f"supported. The AttributeValue for a key attribute cannot contain an empty {what} value. "
                f"IndexName: {index.name}, IndexKey: {name}")
