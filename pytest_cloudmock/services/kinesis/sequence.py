"""Sequence numbers and hash keys as Kinesis forms them.

A sequence number is a 56-digit decimal string: `49`, a 34-digit counter shared by
the stream's shards (so a child shard's numbers follow its parents'), the 4-digit
index of the shard, and 16 zeros. Numbers of one shard increase; any two compare as
big integers, which is how consumers order and checkpoint them.
"""

from __future__ import annotations

import hashlib

from .state import HASH_SPACE

_PREFIX = 49 * 10**54
_COUNTER = 10**20
_SHARD = 10**16


def make_sequence(counter: int, shard_index: int) -> int:
    return _PREFIX + counter * _COUNTER + (shard_index % 10**4) * _SHARD


def counter_of(sequence: int) -> int:
    return (sequence - _PREFIX) // _COUNTER


def shard_index_of(sequence: int) -> int:
    return sequence // _SHARD % 10**4


def text(sequence: int) -> str:
    return str(sequence)


def parse(value: str) -> int | None:
    """The big integer of a sequence number string, or None if it is not one of ours."""
    if not value.isdigit() or len(value) != 56 or not value.startswith("49"):
        return None
    return int(value)


def hash_key_of(partition_key: str) -> int:
    """The 128-bit integer of a partition key's MD5, as Kinesis maps keys to shards."""
    return int.from_bytes(hashlib.md5(partition_key.encode(), usedforsecurity=False).digest(), "big")


def even_ranges(count: int, start: int = 0, end: int = HASH_SPACE - 1) -> list[tuple[int, int]]:
    """`count` contiguous hash key ranges splitting [start, end] evenly."""
    size = (end - start + 1) // count
    return [(start + i * size, end if i == count - 1 else start + (i + 1) * size - 1) for i in range(count)]
