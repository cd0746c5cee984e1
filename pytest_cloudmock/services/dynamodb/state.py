"""DynamoDB state: tables (schema, indexes, items, stream, TTL), backups, and the rest.

State objects are plain data; `DynamoDbService` takes the store lock around every
read-modify-write. `DynamoDbState` also has a small API for tests (typed Python
values in, `Decimal`s out), reached through `cloudmock.store("dynamodb")`::

    state = cloudmock.store("dynamodb")
    state.put("users", {"id": "u1", "age": 30})
    state.get("users", {"id": "u1"})   # {"id": "u1", "age": Decimal("30")}
    state.items("users")               # every item, in scan order
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ...indexes import NameIndexed
from . import errors
from .storage import ItemMap, PartitionToken, partition_token
from .values import AttributeValue, Item, item_size, sort_key, validate_item

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()


@dataclass
class KeySchema:
    hash: str
    range: str | None = None

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The key's attribute names, hash first (a schema never changes once made)."""
        return (self.hash,) if self.range is None else (self.hash, self.range)

    def described(self) -> list[dict[str, str]]:
        out = [{"AttributeName": self.hash, "KeyType": "HASH"}]
        if self.range is not None:
            out.append({"AttributeName": self.range, "KeyType": "RANGE"})
        return out


@dataclass
class Index:
    """A global or local secondary index and the items it holds (sparse: only items with its keys)."""

    name: str
    kind: str  # "GSI" or "LSI"
    schema: KeySchema
    projection: dict[str, Any]
    arn: str
    throughput: dict[str, int] | None = None
    status: str = "ACTIVE"
    items: ItemMap = field(default_factory=ItemMap)
    size_bytes: int = 0

    def projected_names(self, table_keys: tuple[str, ...]) -> set[str] | None:
        """Attribute names the index holds; None for `ALL`."""
        kind = self.projection.get("ProjectionType", "ALL")
        if kind == "ALL":
            return None
        names = set(table_keys) | set(self.schema.names)
        if kind == "INCLUDE":
            names |= set(self.projection.get("NonKeyAttributes", []))
        return names


@dataclass
class StreamRecord:
    sequence: int
    record: dict[str, Any]
    created: float


@dataclass
class Stream:
    arn: str
    label: str
    view_type: str
    created: datetime
    shard_id: str
    enabled: bool = True
    records: list[StreamRecord] = field(default_factory=list)


@dataclass
class Table:
    name: str
    arn: str
    table_id: str
    schema: KeySchema
    attributes: dict[str, str]
    created: datetime
    billing_mode: str = "PROVISIONED"
    throughput: dict[str, int] = field(default_factory=lambda: {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0})
    indexes: dict[str, Index] = field(default_factory=dict)
    items: ItemMap = field(default_factory=ItemMap)
    size_bytes: int = 0
    status: str = "ACTIVE"
    stream: Stream | None = None
    old_streams: list[Stream] = field(default_factory=list)
    ttl_attribute: str | None = None
    ttl_heap: list[tuple[Decimal, int, PartitionToken, Any]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    deletion_protection: bool = False
    table_class: str = "STANDARD"
    sse: dict[str, Any] | None = None
    pitr_enabled: bool = False
    pitr_enabled_at: datetime | None = None
    #: point-in-time recovery: the items when it was enabled, then every change (time, key, new item or None)
    pitr_baseline: list[Item] = field(default_factory=list)
    history: list[tuple[float, Item, Item | None]] = field(default_factory=list)
    contributor_insights: dict[str, str] = field(default_factory=dict)
    kinesis_destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    resource_policy: str | None = None
    replicas: dict[str, dict[str, Any]] = field(default_factory=dict)
    on_demand_throughput: dict[str, int] | None = None
    pay_per_request_since: datetime | None = None
    ttl_counter: int = 0
    policy_revision: int = 0

    # -- keys --------------------------------------------------------------------------------
    def key_values(self, key: Item) -> Item:
        return {name: key[name] for name in self.schema.names if name in key}

    def locate(self, item: Item) -> tuple[PartitionToken, Any]:
        """Where an item with valid key attributes lives."""
        token = partition_token(item[self.schema.hash])
        position = sort_key(item[self.schema.range]) if self.schema.range is not None else ()
        return token, position

    def get(self, key: Item) -> Item | None:
        return self.items.get(*self.locate(key))

    # -- writes ------------------------------------------------------------------------------
    def write(self, key: Item, new: Item | None, new_size: int | None = None,
              where: tuple[PartitionToken, Any] | None = None) -> Item | None:
        """Put `new` (None: delete) at `key`, keeping indexes, size and the TTL queue; the old item.

        `new_size` (`item_size(new)`) and `where` (`locate(key)`) when the caller has them already.
        """
        token, position = where if where is not None else self.locate(key)
        old = self.items.get(token, position)
        if old is not None:
            old_size = self.items.size(token, position)
            self.size_bytes -= old_size
            for index in self.indexes.values():
                entry = self.index_entry(index, old, token, position)
                if entry is not None:
                    index.items.remove(*entry)
                    index.size_bytes -= old_size
        if new is None:
            self.items.remove(token, position)
            return old
        if new_size is None:
            new_size = item_size(new)
        self.items.put(token, position, new, new_size)
        self.size_bytes += new_size
        for index in self.indexes.values():
            entry = self.index_entry(index, new, token, position)
            if entry is not None:
                index.items.put(*entry, new, new_size)
                index.size_bytes += new_size
        if self.ttl_attribute is not None:
            self.track_ttl(new, token, position)
        return old

    def index_entry(self, index: Index, item: Item, token: PartitionToken, position: Any) -> tuple[PartitionToken, Any] | None:
        """An item's place in an index, or None when it lacks the index's keys (sparse)."""
        hash_value = item.get(index.schema.hash)
        if hash_value is None or "S" not in hash_value and "N" not in hash_value and "B" not in hash_value:
            return None
        if index.schema.range is None:
            return partition_token(hash_value), (token, position)
        range_value = item.get(index.schema.range)
        if range_value is None or "S" not in range_value and "N" not in range_value and "B" not in range_value:
            return None
        return partition_token(hash_value), (sort_key(range_value), token, position)

    def fill_index(self, index: Index) -> None:
        """Index every existing item (a GSI added by UpdateTable)."""
        for token, position, item in self.items.walk():
            entry = self.index_entry(index, item, token, position)
            if entry is not None:
                size = self.items.size(token, position)
                index.items.put(*entry, item, size)
                index.size_bytes += size

    def track_ttl(self, item: Item, token: PartitionToken, position: Any) -> None:
        if self.ttl_attribute is None:
            return
        value = item.get(self.ttl_attribute)
        if value is not None and "N" in value:
            self.ttl_counter += 1
            heapq.heappush(self.ttl_heap, (Decimal(value["N"]), self.ttl_counter, token, position))

    def rebuild_ttl_queue(self) -> None:
        self.ttl_heap = []
        for token, position, item in self.items.walk():
            self.track_ttl(item, token, position)


@dataclass
class Backup:
    arn: str
    name: str
    table: Table
    created: datetime
    size_bytes: int
    item_count: int
    kind: str = "USER"
    status: str = "AVAILABLE"


@dataclass
class DynamoDbState:
    tables: NameIndexed[Table] = field(default_factory=NameIndexed)  # by name; creation order, names also sorted
    backups: dict[str, Backup] = field(default_factory=dict)
    global_tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    imports: dict[str, dict[str, Any]] = field(default_factory=dict)
    transactions: dict[str, tuple[str, float, dict[str, Any]]] = field(default_factory=dict)
    #: streams of deleted tables, readable for the 24 hours their records live
    retired_streams: list[tuple[Table, Stream]] = field(default_factory=list)
    stream_sequence: int = 0

    # -- the test API: typed Python values in, Decimals out ----------------------------------
    def table(self, name: str) -> Table:
        table = self.tables.get(name)
        if table is None:
            raise errors.table_not_found(name)
        return table

    def put(self, table_name: str, item: dict[str, Any]) -> None:
        """Store an item given as plain Python values (`{"id": "a", "n": 3}`), as PutItem would."""
        table = self.table(table_name)
        wire = validate_item({k: _SERIALIZER.serialize(v) for k, v in item.items()})
        table.write(wire, wire)

    def get(self, table_name: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """An item as plain Python values (numbers as `Decimal`), or None."""
        table = self.table(table_name)
        wire = validate_item({k: _SERIALIZER.serialize(v) for k, v in key.items()})
        found = table.get(wire)
        return python_item(found) if found is not None else None

    def items(self, table_name: str) -> list[dict[str, Any]]:
        """Every item of a table, in scan order, as plain Python values."""
        return [python_item(item) for item in self.table(table_name).items.items()]

    def delete(self, table_name: str, key: dict[str, Any]) -> None:
        table = self.table(table_name)
        table.write(validate_item({k: _SERIALIZER.serialize(v) for k, v in key.items()}), None)


def python_item(item: Item) -> dict[str, Any]:
    """A stored item as plain Python values (boto3's resource types: `Decimal`, `set`, `Binary`)."""
    return {name: python_value(value) for name, value in item.items()}


def python_value(value: AttributeValue) -> Any:
    return _DESERIALIZER.deserialize(value)
