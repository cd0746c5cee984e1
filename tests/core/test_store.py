"""Stores: partitions, constant-time reset, snapshots, concurrent use."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

import pytest

from pytest_cloudmock import store as store_module
from pytest_cloudmock.store import Store


@dataclass
class State:
    items: dict[str, int] = field(default_factory=dict)


def test_partitioned_by_account_and_region() -> None:
    store: Store[State] = Store(State)
    store.get("111111111111", "us-east-1").items["a"] = 1
    assert store.get("111111111111", "eu-west-1").items == {}
    assert store.get("222222222222", "us-east-1").items == {}
    assert store.find("333333333333", "us-east-1") is None
    assert len(store) == 3


def test_global_store_ignores_region() -> None:
    store: Store[State] = Store(State, global_=True)
    store.get("111111111111", "us-east-1").items["a"] = 1
    assert store.get("111111111111", "ap-south-1").items == {"a": 1}


def test_reset_swaps_the_table_and_frees_it_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reset costs the same whatever the size: it swaps the partition table for an empty one
    and hands the old one to the background reaper (freeing a million entries in place would
    take tens of ms)."""
    released: list[object] = []
    monkeypatch.setattr(store_module, "_release_later", released.append)
    store: Store[State] = Store(State)
    for account in range(100):
        store.get(f"{account:012d}", "us-east-1").items.update({str(i): i for i in range(1_000)})
    old = store._partitions  # noqa: SLF001
    store.reset()
    assert released == [old] and len(old) == 100  # handed over whole, not walked or emptied
    assert len(store) == 0 and store._partitions is not old  # noqa: SLF001


def test_snapshot_and_restore_are_deep() -> None:
    store: Store[State] = Store(State)
    store.get("111111111111", "us-east-1").items["seed"] = 1
    snap = store.snapshot()
    store.get("111111111111", "us-east-1").items["later"] = 2
    store.restore(snap)
    assert store.get("111111111111", "us-east-1").items == {"seed": 1}
    store.get("111111111111", "us-east-1").items["again"] = 3
    store.restore(snap)  # reusable
    assert store.get("111111111111", "us-east-1").items == {"seed": 1}


def test_concurrent_first_use_makes_one_partition() -> None:
    store: Store[State] = Store(State)
    seen: list[State] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        seen.append(store.get("111111111111", "us-east-1"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in seen}) == 1


def test_the_reaper_frees_released_tables_without_being_woken() -> None:
    """Handing a table over is an append (no thread switch in `reset`); the reaper frees it on
    its next round."""
    freed = threading.Event()
    table = State()
    weakref.finalize(table, freed.set)
    store_module._release_later(table)  # noqa: SLF001
    del table
    assert freed.wait(10 * store_module.REAP_INTERVAL)
