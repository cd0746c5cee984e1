"""Store containers that keep an order beside them, and lazy views for paging through them.

`NameIndexed` is a dict (creation order, as listings that show it need) whose keys are also kept
sorted, so a page by name seeks instead of sorting every key; `MappedSequence` is a sequence's
items passed through a function only as they are read, so `paging.offset_page` cuts a page of
outputs without making one per stored item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar, overload

from sortedcontainers import SortedList

T = TypeVar("T")
V = TypeVar("V")


class NameIndexed(dict[str, V]):
    """A dict (creation order kept) that also keeps its keys sorted: a page by name seeks."""

    _sorted: SortedList

    def __new__(cls, *args: Any, **kwargs: Any) -> NameIndexed[V]:  # copies and state files skip __init__
        self = super().__new__(cls)
        self._sorted = SortedList()
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, key: str, value: V) -> None:
        if key not in self:
            self._sorted.add(key)
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._sorted.remove(key)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, key: str, *default: Any) -> Any:  # type: ignore[override]
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = super().__getitem__(key)
        del self[key]
        return value

    def popitem(self) -> tuple[str, V]:
        key, value = super().popitem()
        self._sorted.remove(key)
        return key, value

    def setdefault(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        super().clear()
        self._sorted.clear()

    def __ior__(self, other: Any) -> NameIndexed[V]:  # type: ignore[override]
        self.update(other)
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {"sorted": True}  # the index is rebuilt from the keys (deep copies, state files)

    def __setstate__(self, state: Any) -> None:
        self._sorted = SortedList(dict.keys(self))

    def keys_after(self, after: str | None = None) -> Iterator[str]:
        """The keys in order, from the first one after `after` (None: from the first)."""
        return iter(self._sorted) if after is None else self._sorted.irange(after, inclusive=(False, True))

    def by_key(self) -> Sequence[V]:
        """The values in key order, indexable and sliceable without sorting them all."""
        return MappedSequence(self._sorted, partial(dict.__getitem__, self))


class MappedSequence(Sequence[V]):
    """`source`'s items passed through `fn` as they are read (indexes, slices, iteration)."""

    def __init__(self, source: Sequence[T], fn: Callable[[T], V]) -> None:
        self.source, self.fn = source, fn

    def __len__(self) -> int:
        return len(self.source)

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> list[V]: ...
    def __getitem__(self, index: int | slice) -> V | list[V]:
        if isinstance(index, slice):
            return [self.fn(item) for item in self.source[index]]
        return self.fn(self.source[index])

    def __iter__(self) -> Iterator[V]:
        return map(self.fn, self.source)
