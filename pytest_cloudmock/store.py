"""Service state, partitioned by account and region as AWS partitions it.

A `Store` holds one state object per (account, region), made on first use by
the service's factory (a dataclass, usually). Global services (IAM, S3 bucket
names, Route 53) use `global_=True`, keeping one partition per account.
Resetting swaps the partition table for an empty one (constant time, whatever
the size); snapshots are deep copies, so state objects must be plain data
(no locks, conditions or open files inside them: keep those on the service).
"""

from __future__ import annotations

import copy
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .api import RequestContext

S = TypeVar("S")
GLOBAL_REGION = "global"

_graveyard: deque[object] = deque()
_reaper_lock = threading.Lock()
_reaper: threading.Thread | None = None
REAP_INTERVAL = 0.1  # seconds between the reaper's rounds


def _release_later(obj: object) -> None:
    """Drop the last reference to `obj` on a background thread (freeing a big table walks it).

    The reaper looks for work every `REAP_INTERVAL` instead of being woken, so handing
    it a table costs an append, not a thread switch.
    """
    global _reaper
    if _reaper is None:
        with _reaper_lock:
            if _reaper is None:
                _reaper = threading.Thread(target=_reap, name="cloudmock-store-reaper", daemon=True)
                _reaper.start()
    _graveyard.append(obj)


def _reap() -> None:
    while True:
        time.sleep(REAP_INTERVAL)
        while _graveyard:
            _graveyard.popleft()


class Store(Generic[S]):
    """Per-(account, region) state for one service. Thread-safe."""

    def __init__(self, factory: Callable[[], S], *, global_: bool = False) -> None:
        self.factory = factory
        self.is_global = global_
        self.lock = threading.RLock()
        self._partitions: dict[tuple[str, str], S] = {}

    def _key(self, account_id: str, region: str) -> tuple[str, str]:
        return (account_id, GLOBAL_REGION if self.is_global else region)

    def get(self, account_id: str, region: str = GLOBAL_REGION) -> S:
        """The state of one account and region, created empty on first use."""
        key = self._key(account_id, region)
        state = self._partitions.get(key)
        if state is None:
            with self.lock:
                state = self._partitions.get(key)
                if state is None:
                    state = self._partitions[key] = self.factory()
        return state

    def for_ctx(self, ctx: RequestContext) -> S:
        """The state of the request's account and region."""
        return self.get(ctx.account_id, ctx.region)

    def find(self, account_id: str, region: str = GLOBAL_REGION) -> S | None:
        """The state of a partition if it exists (never creates one)."""
        return self._partitions.get(self._key(account_id, region))

    def partitions(self) -> Iterator[tuple[tuple[str, str], S]]:
        """Every ((account, region), state) pair that exists now."""
        return iter(list(self._partitions.items()))

    def reset(self) -> None:
        """Forget everything, in constant time (the old state is freed in the background)."""
        with self.lock:
            old, self._partitions = self._partitions, {}
        _release_later(old)

    def snapshot(self) -> dict[tuple[str, str], S]:
        """A deep copy of all partitions, for `restore`."""
        with self.lock:
            return copy.deepcopy(self._partitions)

    def restore(self, snapshot: dict[tuple[str, str], S]) -> None:
        """Go back to a snapshot (the snapshot stays reusable)."""
        fresh = copy.deepcopy(snapshot)
        with self.lock:
            old, self._partitions = self._partitions, fresh
        _release_later(old)

    def __len__(self) -> int:
        return len(self._partitions)
