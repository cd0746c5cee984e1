"""The gateway clock: freezing, moving, and waits that wake when it moves."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

from pytest_cloudmock.clock import Clock, epoch_of

NEW_YEAR = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_a_running_clock_reads_real_time_plus_its_moves() -> None:
    clock = Clock()
    assert abs(clock.now() - time.time()) < 0.1
    clock.advance(hours=1)
    assert abs(clock.now() - time.time() - 3600) < 0.1
    clock.reset()
    assert abs(clock.now() - time.time()) < 0.1


def test_freeze_set_advance_unfreeze() -> None:
    clock = Clock().freeze(at=NEW_YEAR)
    assert clock.frozen and clock.utcnow() == NEW_YEAR and clock.now_ms() == 1767225600000
    assert clock.advance(seconds=30, minutes=1, hours=1, days=1) == NEW_YEAR.timestamp() + 86400 + 3600 + 90
    clock.set("2026-06-01T00:00:00Z")
    assert clock.utcnow() == datetime(2026, 6, 1, tzinfo=timezone.utc)
    clock.unfreeze()
    assert not clock.frozen and clock.now() >= datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp()
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_epoch_of_reads_datetimes_strings_and_numbers() -> None:
    assert epoch_of(NEW_YEAR) == epoch_of(NEW_YEAR.replace(tzinfo=None)) == epoch_of("2026-01-01T00:00:00Z")
    assert epoch_of("2026-01-01T01:00:00+01:00") == epoch_of(1767225600) == 1767225600.0
    with pytest.raises(ValueError):
        epoch_of("tomorrow")


def _waiting(clock: Clock, deadline: float, **kwargs) -> tuple[threading.Thread, dict]:
    result: dict = {}

    def wait() -> None:
        started = time.monotonic()
        result["ready"] = clock.wait_until(deadline, **kwargs)
        result["took"] = time.monotonic() - started

    thread = threading.Thread(target=wait)
    thread.start()
    assert clock.wait_for_waiters(1)
    return thread, result


def test_a_wait_on_a_frozen_clock_ends_when_the_clock_passes_the_deadline() -> None:
    clock = Clock().freeze(at=NEW_YEAR)
    thread, result = _waiting(clock, NEW_YEAR.timestamp() + 3600)
    clock.advance(minutes=59)
    assert thread.is_alive() and clock.waiters == 1
    clock.advance(minutes=1)
    thread.join(2)
    assert result["ready"] is True and result["took"] < 1
    assert clock.waiters == 0


def test_a_wait_on_a_caller_s_condition_wakes_on_its_notify_and_on_moves() -> None:
    clock, cond = Clock().freeze(), threading.Condition()
    sent: list[str] = []
    results: list[tuple[bool, float]] = []

    def wait(deadline: float) -> None:
        with cond:  # the caller holds its condition, as a long poll holds its queue's
            started = time.monotonic()
            results.append((clock.wait_until(deadline, ready=lambda: bool(sent), cond=cond),
                            time.monotonic() - started))

    waiter = threading.Thread(target=wait, args=(clock.now() + 60,))
    waiter.start()
    assert clock.wait_for_waiters(1)
    with cond:
        sent.append("message")
        cond.notify_all()
    waiter.join(2)
    assert results[0][0] is True and results[0][1] < 1

    sent.clear()
    waiter = threading.Thread(target=wait, args=(clock.now() + 60,))
    waiter.start()
    assert clock.wait_for_waiters(1)
    clock.advance(60)
    waiter.join(2)
    assert results[1][0] is False and results[1][1] < 1


def test_a_wait_without_ready_on_a_running_clock_takes_real_time() -> None:
    clock = Clock()
    started = time.monotonic()
    assert clock.wait_until(clock.now() + 0.05) is True
    assert 0.04 <= time.monotonic() - started < 1
    assert clock.wait_until(clock.now() + 5, ready=lambda: True) is True
    assert clock.wait_until(clock.now() - 1, ready=lambda: False) is False


def test_wait_for_waiters_gives_up_after_its_timeout() -> None:
    assert Clock().wait_for_waiters(1, timeout=0.05) is False


def test_listeners_hear_every_change() -> None:
    clock, heard = Clock(), []
    clock.on_change(lambda: heard.append(clock.frozen))
    clock.freeze()
    clock.advance(1)
    clock.unfreeze()
    clock.reset()
    assert heard == [True, True, False, False]
