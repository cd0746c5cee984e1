"""Item storage in key order: partitions by key hash, items in a partition by sort key.

A query touches one partition (`O(log n + k)`); a scan walks partitions in the order of
their key hash, as DynamoDB's does, so a scan can resume from any key and a parallel
scan's segment is one contiguous range of hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sortedcontainers import SortedDict

from .values import AttributeValue, Item, hashable

PartitionToken = tuple[bytes, tuple[str, Any]]
HASH_SPACE = 1 << 128


def partition_token(value: AttributeValue) -> PartitionToken:
    """The position of a partition key value: its hash first, then the value itself."""
    ((kind, raw),) = value.items()
    if kind in _KEY_TYPES and isinstance(raw, (str, bytes)):
        return _key_token(kind, raw)
    return _token(value)


_KEY_TYPES = frozenset(("S", "N", "B"))


@lru_cache(maxsize=8192)
def _key_token(kind: str, raw: str | bytes) -> PartitionToken:
    """`partition_token` of a scalar key value, cached: reads and writes repeat the same keys."""
    return _token({kind: raw})


def _token(value: AttributeValue) -> PartitionToken:
    """The MD5 of a value's tag and text, and the value's identity."""
    identity = hashable(value)
    raw = identity[1]
    data = raw if isinstance(raw, bytes) else str(raw).encode()
    return (hashlib.md5(identity[0].encode() + b":" + data, usedforsecurity=False).digest(), identity)


def segment_of(token: PartitionToken, total: int) -> int:
    """The parallel-scan segment a partition belongs to."""
    return int.from_bytes(token[0], "big") * total // HASH_SPACE


def segment_start(segment: int, total: int) -> bytes:
    """The smallest hash in a segment."""
    bound = -(-segment * HASH_SPACE // total)
    return bound.to_bytes(16, "big") if bound < HASH_SPACE else b"\xff" * 17


@dataclass
class ItemMap:
    """Items keyed by (partition token, sort position), with each item's size."""

    partitions: SortedDict = field(default_factory=SortedDict)
    count: int = 0
    #: `item_size` of every item, by partition token and position: reads and overwrites need not measure
    sizes: dict[PartitionToken, dict[Any, int]] = field(default_factory=dict)

    def get(self, token: PartitionToken, position: Any) -> Item | None:
        partition = self.partitions.get(token)
        return partition.get(position) if partition is not None else None

    def put(self, token: PartitionToken, position: Any, item: Item, size: int) -> None:
        """Store `item` (whose `item_size` is `size`) at its place."""
        partition = self.partitions.get(token)
        if partition is None:
            partition = self.partitions[token] = SortedDict()
            self.sizes[token] = {}
        if position not in partition:
            self.count += 1
        partition[position] = item
        self.sizes[token][position] = size

    def remove(self, token: PartitionToken, position: Any) -> Item | None:
        partition = self.partitions.get(token)
        if partition is None or position not in partition:
            return None
        self.count -= 1
        item = partition.pop(position)
        del self.sizes[token][position]
        if not partition:
            del self.partitions[token]
            del self.sizes[token]
        return item

    def size(self, token: PartitionToken, position: Any) -> int:
        """The size of the item at a place that holds one."""
        return self.sizes[token][position]

    def partition(self, token: PartitionToken) -> SortedDict | None:
        return self.partitions.get(token)

    def walk(self, after: tuple[PartitionToken, Any] | None = None,
             first_hash: bytes | None = None) -> Iterator[tuple[PartitionToken, Any, Item]]:
        """Every item in scan order, after `after` or from the first partition hash >= `first_hash`.

        Lazy: the caller holds the store lock while it iterates.
        """
        if after is not None:
            token, position = after
            partition = self.partitions.get(token)
            if partition is not None:
                for pos in partition.irange(minimum=position, inclusive=(False, True)):
                    yield token, pos, partition[pos]
            tokens = self.partitions.irange(minimum=token, inclusive=(False, True))
        elif first_hash is not None:
            tokens = self.partitions.irange(minimum=(first_hash,), inclusive=(True, True))
        else:
            tokens = iter(self.partitions)
        for token in tokens:  # callers hold the store lock: nothing changes underneath
            partition = self.partitions[token]
            for pos, item in partition.items():
                yield token, pos, item

    def items(self) -> Iterator[Item]:
        for _token, _pos, item in self.walk():
            yield item
