"""Query and Scan: key conditions on one partition, scans in hash order, pages of 1 MB."""

from __future__ import annotations

from collections.abc import Iterator
from functools import total_ordering
from typing import Any

from ...api import RequestContext
from . import errors, legacy
from .base import DynamoDbBase, check_not_empty, read_units, wants_capacity
from .expressions import matches, project
from .expressions.nodes import And, Between, Compare, Func, Paren, Path, Value
from .state import Index, Table
from .storage import ItemMap, partition_token, segment_of, segment_start
from .values import Item, av_type, equal, item_size, sort_key, validate_item

PAGE_BYTES = 1024 * 1024
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


@total_ordering
class _Edge:
    """Sorts below (`low`) or above (`high`) every other value: bounds on an index's sort prefix."""

    def __init__(self, high: bool) -> None:
        self.high = high

    def __eq__(self, other: object) -> bool:
        return self is other

    def __lt__(self, other: object) -> bool:
        return not self.high and self is not other

    def __hash__(self) -> int:
        return id(self)


LOW, HIGH = _Edge(False), _Edge(True)


class QueryOperations(DynamoDbBase):
    """Query and Scan."""

    def source(self, ctx: RequestContext, table: Table) -> Index | None:
        """The index a request names (None for the table), with AWS's checks."""
        name = ctx.params.get("IndexName")
        if name is None:
            return None
        index = table.indexes.get(name)
        if index is None:
            raise errors.validation(f"The table does not have the specified index: {name}")
        if index.kind == "GSI" and ctx.params.get("ConsistentRead"):
            raise errors.validation("Consistent reads are not supported on global secondary indexes")
        return index

    def reading(self, ctx: RequestContext, table: Table, index: Index | None, kinds: tuple[str, ...],
                legacy_filter: str) -> tuple[Any, Any, list[Path] | None, str]:
        """Parse a read's filter and projection; check `Select`; (exprs, filter, paths, select)."""
        p = ctx.params
        legacy.check_not_mixed(p, ("AttributesToGet", legacy_filter, "ConditionalOperator"),
                               ("ProjectionExpression", "FilterExpression", *kinds))
        exprs = self.expressions(p, "ProjectionExpression", "FilterExpression", *kinds)
        paths = (exprs.projection(p["ProjectionExpression"]) if p.get("ProjectionExpression") is not None
                 else legacy.attributes_to_get(p["AttributesToGet"]) if p.get("AttributesToGet") is not None
                 else None)
        condition = (exprs.condition(p["FilterExpression"], "FilterExpression")
                     if p.get("FilterExpression") is not None
                     else legacy.conditions(p[legacy_filter], p.get("ConditionalOperator")) if p.get(legacy_filter)
                     else None)
        select = p.get("Select") or ("SPECIFIC_ATTRIBUTES" if paths is not None else
                                     "ALL_PROJECTED_ATTRIBUTES" if index is not None else "ALL_ATTRIBUTES")
        if paths is not None and select != "SPECIFIC_ATTRIBUTES":
            # AWS's exact wording is not documented
            raise errors.validation(f"Cannot specify the ProjectionExpression when choosing to get {select}")
        if select == "ALL_PROJECTED_ATTRIBUTES" and index is None:
            raise errors.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
        if (select == "ALL_ATTRIBUTES" and index is not None and index.kind == "GSI"
                and index.projection.get("ProjectionType") != "ALL"):
            raise errors.invalid_parameters(
                f"Select type ALL_ATTRIBUTES is not supported for global secondary index {index.name} because its "
                "projection type is not ALL")
        return exprs, condition, paths, select

    # -- Query -------------------------------------------------------------------------------
    def query(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            table = self.table(ctx)
            index = self.source(ctx, table)
            exprs, condition, paths, select = self.reading(
                ctx, table, index, ("KeyConditionExpression",), "QueryFilter")
            legacy.check_not_mixed(p, ("KeyConditions",), ("KeyConditionExpression",))
            schema = index.schema if index is not None else table.schema
            if p.get("KeyConditionExpression") is not None:
                tree = exprs.condition(p["KeyConditionExpression"], "KeyConditionExpression")
            elif p.get("KeyConditions") is not None:
                tree = legacy.conditions(p["KeyConditions"], None)
            else:
                raise errors.validation("Either the KeyConditions or KeyConditionExpression parameter must be "
                                        "specified in the request.")
            exprs.check_unused()
            hash_value, range_condition = key_conditions(tree, schema.hash, schema.range, table.attributes)
            store = index.items if index is not None else table.items
            token = partition_token(hash_value)
            partition = store.partition(token)
            start = (self.start_position(ctx, table, index, hash_value) if p.get("ExclusiveStartKey") is not None
                     else None)
            forward = p.get("ScanIndexForward", True) is not False
            rows = _partition_rows(partition, store.sizes.get(token), range_condition, index is not None, start,
                                   forward)
            return self.page(ctx, table, index, rows, condition, paths, select)

    def start_position(self, ctx: RequestContext, table: Table, index: Index | None, hash_value: Any) -> Any:
        raw = ctx.params.get("ExclusiveStartKey")
        if raw is None:
            return None
        start = self._start_item(table, index, raw)
        schema = index.schema if index is not None else table.schema
        if not equal(start[schema.hash], hash_value):
            # AWS's exact wording is not documented
            raise errors.validation("The provided starting key is invalid: The query's partition key does not "
                                    "match the starting key's")
        if index is None:
            return table.locate(start)[1]
        token, position = table.locate(start)
        entry = table.index_entry(index, start, token, position)
        if entry is None:
            raise errors.validation("The provided starting key is invalid: The provided key element does not "
                                    "match the schema")
        return entry[1]

    def _start_item(self, table: Table, index: Index | None, raw: dict[str, Any]) -> Item:
        start = validate_item(raw)
        names = set(table.schema.names) | (set(index.schema.names) if index is not None else set())
        if set(start) != names or any(av_type(start[n]) != table.attributes[n] for n in names):
            raise errors.validation("The provided starting key is invalid: The provided key element does not "
                                    "match the schema")
        return start

    # -- Scan --------------------------------------------------------------------------------
    def scan(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        segment, total = p.get("Segment"), p.get("TotalSegments")
        if segment is not None and total is None:
            raise errors.validation("The TotalSegments parameter is required but was not present in the request "
                                    "when Segment parameter is present")
        if total is not None and segment is None:
            raise errors.validation("The Segment parameter is required but was not present in the request when "
                                    "parameter TotalSegments is present")
        if segment is not None and segment >= total:
            raise errors.validation(f"The Segment parameter is zero-based and must be less than parameter "
                                    f"TotalSegments: Segment: {segment} is not less than TotalSegments: {total}")
        with self.store.lock:
            table = self.table(ctx)
            index = self.source(ctx, table)
            exprs, condition, paths, select = self.reading(ctx, table, index, (), "ScanFilter")
            exprs.check_unused()
            store = index.items if index is not None else table.items
            after = None
            if p.get("ExclusiveStartKey") is not None:
                start = self._start_item(table, index, p["ExclusiveStartKey"])
                token, position = table.locate(start)
                after = (token, position) if index is None else table.index_entry(index, start, token, position)
                if after is None:
                    raise errors.validation("The provided starting key is invalid: The provided key element does "
                                            "not match the schema")
            rows = _scan_rows(store, after, segment, total)
            return self.page(ctx, table, index, rows, condition, paths, select)

    # -- paging ------------------------------------------------------------------------------
    def page(self, ctx: RequestContext, table: Table, index: Index | None, rows: Iterator[tuple[Item, int]],
             condition: Any, paths: list[Path] | None, select: str) -> dict[str, Any]:
        """Read rows (items and their sizes) up to `Limit` or 1 MB, filter them, project them; the answer
        with its paging key."""
        limit = ctx.params.get("Limit")
        if limit is not None and limit < 1:
            raise errors.validation("Limit must be greater than or equal to 1")  # model-checked too
        projected = index.projected_names(table.schema.names) if index is not None else None
        out_items: list[Item] = []
        scanned = read_bytes = 0
        last: Item | None = None
        for item, size in rows:
            if projected is None:
                visible = item
                read_bytes += size
            else:
                visible = {k: v for k, v in item.items() if k in projected}
                read_bytes += item_size(visible)
            scanned += 1
            last = item
            if condition is None or matches(visible, condition):
                out_items.append(project(visible, paths) if paths is not None else visible)
            if (limit is not None and scanned >= limit) or read_bytes >= PAGE_BYTES:
                break
        else:
            last = None
        out: dict[str, Any] = {"Count": len(out_items), "ScannedCount": scanned}
        if select != "COUNT":
            out["Items"] = out_items
        if last is not None:
            names = set(table.schema.names) | (set(index.schema.names) if index is not None else set())
            out["LastEvaluatedKey"] = {n: last[n] for n in names}
        if not wants_capacity(ctx.params):
            return out
        consistent = bool(ctx.params.get("ConsistentRead"))
        capacity = self.capacity(ctx, table, read_units(read_bytes, consistent), write=False,
                                 indexes=None)
        if capacity is not None and index is not None and ctx.params.get("ReturnConsumedCapacity") == "INDEXES":
            capacity = self.capacity(ctx, table, 0.0, write=False, indexes={index.name: read_units(read_bytes, consistent)})
        if capacity is not None:
            out["ConsumedCapacity"] = capacity
        return out


def key_conditions(tree: Any, hash_name: str, range_name: str | None,
                   attributes: dict[str, str]) -> tuple[Any, Any]:
    """The partition key value and the sort key condition of a key condition, or AWS's errors."""
    parts: list[Any] = []

    def flatten(node: Any) -> None:
        if isinstance(node, Paren):
            flatten(node.operand)
        elif isinstance(node, And):
            flatten(node.left)
            flatten(node.right)
        else:
            parts.append(node)

    flatten(tree)
    hash_value = None
    range_condition = None
    for part in parts:
        name, condition = _key_part(part)
        if name == hash_name and condition[0] != "=":
            raise errors.validation("Query key condition not supported")
        if name == hash_name and hash_value is None:
            hash_value = condition[1]
        elif name == range_name and range_condition is None:
            range_condition = condition
        elif name in (hash_name, range_name):
            raise errors.validation("KeyConditionExpressions must only contain one condition per key")
        else:
            raise errors.validation("Query condition missed key schema element" if name is None
                                    else "Query key condition not supported")
    if hash_value is None:
        raise errors.validation(f"Query condition missed key schema element: {hash_name}")
    for name, value in [(hash_name, hash_value), *([(range_name, v) for v in range_condition[1:]]
                                                    if range_condition else [])]:
        kind = av_type(value)
        if kind != attributes.get(name):
            raise errors.invalid_parameters("Condition parameter type does not match schema type")
        if not value[kind]:  # an empty S or B
            check_not_empty(value, name)
    return hash_value, range_condition


def _key_part(node: Any) -> tuple[str | None, tuple[Any, ...]]:
    """(key name, (operator, values...)) of one key condition term."""
    if isinstance(node, Compare):
        if node.op == "<>":
            raise errors.validation("Invalid operator used in KeyConditionExpression: <>")
        left, right, op = node.left, node.right, node.op
        if isinstance(left, Value) and isinstance(right, Path):
            left, right, op = right, left, _FLIPPED[op]
        if isinstance(left, Path) and isinstance(right, Value) and len(left.elements) == 1:
            return left.top, (op, right.value)
    elif isinstance(node, Between):
        if isinstance(node.operand, Path) and isinstance(node.low, Value) and isinstance(node.high, Value):
            return node.operand.top, ("BETWEEN", node.low.value, node.high.value)
    elif isinstance(node, Func):
        if node.name != "begins_with":
            raise errors.validation(f"Invalid operator used in KeyConditionExpression: {node.name}")
        if isinstance(node.args[0], Path) and isinstance(node.args[1], Value):
            return node.args[0].top, ("begins_with", node.args[1].value)
    else:
        operator = type(node).__name__.upper()
        raise errors.validation(f"Invalid operator used in KeyConditionExpression: {operator}")
    raise errors.validation("Query key condition not supported")


def _partition_rows(partition: Any, sizes: dict[Any, int] | None, condition: Any, is_index: bool, start: Any,
                    forward: bool) -> Iterator[tuple[Item, int]]:
    """A partition's items matching the sort key condition, in order, after `start`, with their sizes."""
    if partition is None or sizes is None:  # a partition and its sizes come and go together
        return iter(())
    low = high = None
    low_inclusive = high_inclusive = True
    prefix = None
    if condition is not None:
        op, *values = condition
        keys = [sort_key(v) for v in values]
        if op in ("=", "BETWEEN"):
            low, high = keys[0], keys[-1]
        elif op in (">", ">="):
            low, low_inclusive = keys[0], op == ">="
        elif op in ("<", "<="):
            high, high_inclusive = keys[0], op == "<="
        else:
            low, prefix = keys[0], keys[0]

    def bound(key: Any, inclusive: bool, is_low: bool) -> Any:
        if key is None or not is_index:
            return key
        return (key, LOW if inclusive == is_low else HIGH)

    minimum, maximum = bound(low, low_inclusive, True), bound(high, high_inclusive, False)
    inclusive = (low_inclusive or is_index, high_inclusive or is_index)
    if start is not None:
        if forward:
            if minimum is None or start >= minimum:
                minimum, inclusive = start, (False, inclusive[1])
        elif maximum is None or start <= maximum:
            maximum, inclusive = start, (inclusive[0], False)
    if minimum is None and maximum is None:  # the whole partition: walked without a range search
        positions = iter(partition) if forward else reversed(partition)
    else:
        positions = partition.irange(minimum, maximum, inclusive=inclusive, reverse=not forward)
    for position in positions:
        if prefix is not None:
            key = position[0] if is_index else position
            if not key.startswith(prefix):
                if forward:
                    break
                continue
        yield partition[position], sizes[position]


def _scan_rows(store: ItemMap, after: Any, segment: int | None, total: int | None) -> Iterator[tuple[Item, int]]:
    first = segment_start(segment, total) if segment is not None and after is None else None
    for token, position, item in store.walk(after, first):
        if segment is not None and segment_of(token, total) != segment:
            if segment_of(token, total) > segment:
                break
            continue
        yield item, store.sizes[token][position]
