"""The gateway clock: the one time source every time-dependent behaviour reads.

Real time by default. A test freezes it, moves it (`advance`, `set`) and lets it
run again (`unfreeze`); waiters (long polls, schedules, timeouts) block on
`wait_until`, which wakes both when real time reaches the deadline and when the
clock is moved past it, so no test sleeps.

    clock = Clock()
    clock.freeze()
    clock.advance(seconds=90)
    clock.now()          # epoch seconds (float)
    clock.utcnow()       # aware UTC datetime
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

_POLL = 1.0  # longest real-time nap of a waiter between looks at the clock


class Clock:
    """A settable, freezable clock. Thread-safe."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        # (epoch seconds while frozen, else None; seconds added to real time while running),
        # one tuple so that a reader never sees half of a change
        self._state: tuple[float | None, float] = (None, 0.0)
        self._listeners: list[Callable[[], None]] = []
        self._waiters: list[threading.Condition] = []  # the conditions `wait_until` calls wait on
        self._waiters_lock = threading.Lock()  # never held while taking a waiter's condition
        self._waiters_changed = threading.Condition(threading.Lock())

    # -- reading ---------------------------------------------------------------------
    def now(self) -> float:
        """Epoch seconds, as `time.time()` would say on this clock."""
        frozen, offset = self._state
        return frozen if frozen is not None else time.time() + offset

    def utcnow(self) -> datetime:
        """The current time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), timezone.utc)

    def now_ms(self) -> int:
        """Epoch milliseconds."""
        return int(self.now() * 1000)

    @property
    def frozen(self) -> bool:
        return self._state[0] is not None

    # -- moving ----------------------------------------------------------------------
    def freeze(self, at: datetime | float | str | None = None) -> Clock:
        """Stop the clock (at `at`, or now)."""
        with self._cond:
            self._state = (self.now() if at is None else epoch_of(at), 0.0)
        self._changed()
        return self

    def unfreeze(self) -> Clock:
        """Let the clock run again from where it stands."""
        with self._cond:
            frozen, _ = self._state
            if frozen is not None:
                self._state = (None, frozen - time.time())
        self._changed()
        return self

    def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> float:
        """Move the clock forward (frozen or running); returns the new time."""
        delta = timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days).total_seconds()
        if delta < 0:
            raise ValueError("the clock only moves forward: use set() to go back")
        with self._cond:
            frozen, offset = self._state
            self._state = (frozen + delta, 0.0) if frozen is not None else (None, offset + delta)
        self._changed()
        return self.now()

    def set(self, when: datetime | float | str) -> float:
        """Put the clock at `when` (frozen stays frozen, running keeps running from there)."""
        target = epoch_of(when)
        with self._cond:
            frozen, _ = self._state
            self._state = (target, 0.0) if frozen is not None else (None, target - time.time())
        self._changed()
        return target

    def reset(self) -> None:
        """Back to real time."""
        with self._cond:
            self._state = (None, 0.0)
        self._changed()

    # -- waiting ---------------------------------------------------------------------
    def wait_until(
        self,
        deadline: float,
        ready: Callable[[], bool] | None = None,
        cond: threading.Condition | None = None,
    ) -> bool:
        """Block until the clock reaches `deadline` (epoch seconds) or `ready()` is true.

        Wakes when real time passes, when the clock is moved and on `notify()`.
        With `cond` (held by the caller) it waits on that condition instead, so
        whoever notifies it (a send to a long-polled queue) wakes the wait at once;
        `ready()` then runs with `cond` held. Returns `ready()`'s last answer (True
        without `ready` once the deadline passed).
        """
        own = cond is None
        waiting_on = self._cond if cond is None else cond
        if own:
            waiting_on.acquire()
        registered = False
        try:
            while True:
                if ready is not None and ready():
                    return True
                if not registered:  # before reading the time: a move from now on wakes us
                    registered = True
                    with self._waiters_lock:
                        self._waiters.append(waiting_on)
                    with self._waiters_changed:
                        self._waiters_changed.notify_all()
                remaining = deadline - self.now()
                if remaining <= 0:
                    return ready is None
                # Frozen: only a move or a notify brings the deadline; poll rarely as a safety net.
                waiting_on.wait(_POLL if self.frozen else min(remaining, _POLL))
        finally:
            if registered:
                with self._waiters_lock:
                    self._waiters.remove(waiting_on)
            if own:
                waiting_on.release()

    @property
    def waiters(self) -> int:
        """How many `wait_until` calls are blocked right now (long polls, timers)."""
        return len(self._waiters)

    def wait_for_waiters(self, count: int = 1, timeout: float = 5.0) -> bool:
        """Block (real time, at most `timeout` s) until `count` waits are blocked on this clock.

        A test that moves the clock to wake a long poll calls this first, so the
        poll has started waiting before the clock moves.
        """
        end = time.monotonic() + timeout
        with self._waiters_changed:
            while len(self._waiters) < count:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._waiters_changed.wait(left)
        return True

    def notify(self) -> None:
        """Wake every `wait_until` to look at its condition again.

        Takes each waiter's condition in turn: never move the clock or call this while
        holding a condition a waiter uses (a store lock).
        """
        with self._waiters_lock:
            conds = list(dict.fromkeys(self._waiters))
        if self._cond not in conds:
            conds.append(self._cond)
        for cond in conds:
            with cond:
                cond.notify_all()

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after every freeze, move or reset (schedules, sweeps)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        self.notify()
        for listener in list(self._listeners):
            listener()


def epoch_of(when: datetime | float | str) -> float:
    """Epoch seconds of a datetime (naive means UTC), a number, or an ISO 8601 string."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when[:-1] + "+00:00" if when.endswith("Z") else when)
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.timestamp()
    return float(when)


#: The clock of code that runs outside any gateway (bare services in unit tests).
REAL_CLOCK = Clock()
