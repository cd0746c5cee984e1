"""Stack operations that wait without holding the dispatcher, with deadlines on the gateway clock.

A stack's operations run on a thread of their own (a `Fiber`), but only while a dispatcher
task (a *slice*) stands by for it, so `settle()` counts the work. When the engine must wait
(a custom resource's answer, a wait condition's or a CreationPolicy's signals), the fiber
*parks*: the slice ends, `settle()` no longer waits for the stack, and the stack stays
IN_PROGRESS. An answer, a signal, a move of the gateway clock past the deadline or the
real-time deadline wakes it with a new slice, which the waker submits before it returns,
so a `settle()` after the wake sees the rest of the operation.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from ...clock import Clock

_current = threading.local()


class Aborted(BaseException):
    """Raised in a parked fiber when the gateway stops or resets: the operation ends where it is
    (a BaseException, so no engine handler turns it into a resource failure)."""


class Fiber:
    """One stack's queue of operations, run on its own thread in dispatcher slices."""

    def __init__(self, work: Callable[[], None], submit: Callable[[Callable[[], None]], None], name: str) -> None:
        self.work = work
        self.submit = submit
        self.name = name
        self.cond = threading.Condition()
        self.thread: threading.Thread | None = None
        self.running = False  # the fiber's thread may run (a slice stands by)
        self.queued = False  # a slice is submitted and has not started
        self.done = False
        self.kicks = 0  # wakes so far: a wake between a look and a park is never lost
        self.deadline: float | None = None  # while parked: when the clock ends the wait
        self.aborted = False
        #: Why the running operation was cancelled ("" if not): it stops at its next resource or wait
        self.cancelled = ""
        self.limits: list[float] = []  # the running stacks' creation deadlines (TimeoutInMinutes), nested last
        self.timer: threading.Timer | None = None

    # -- the dispatcher side ------------------------------------------------------------
    def run_slice(self) -> None:
        """A dispatcher task: let the fiber run until it parks or ends."""
        with self.cond:
            self.queued = False
            if self.done:
                return
            self.running = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._main, name=f"cloudmock-cfn-{self.name}", daemon=True)
                self.thread.start()
            self.cond.notify_all()
            self.cond.wait_for(lambda: not self.running or self.done)

    def wake(self) -> None:
        """Have the fiber look at what it waits for again: a new slice on the dispatcher when it
        is parked; a running fiber sees the kick before it parks and looks again instead."""
        with self.cond:
            self.kicks += 1
            if self.done or self.running or self.queued:
                return
            self.queued = True
        self.submit(self.run_slice)

    def cancel(self, reason: str) -> None:
        """Ask the running operation to stop (CancelUpdateStack, DeleteStack during a create); a
        wait ends at once and its resource fails with `reason`."""
        self.cancelled = reason
        self.wake()

    def abort(self) -> None:
        """End the operation at its next wait (the gateway stops or is reset)."""
        self.aborted = True
        self.wake()

    def _main(self) -> None:
        _current.fiber = self
        try:
            self.work()
        except Aborted:
            pass
        finally:
            with self.cond:
                self.done, self.running = True, False
                self.cond.notify_all()
            if self.timer is not None:
                self.timer.cancel()

    # -- the fiber side -------------------------------------------------------------------
    def park(self, ready: Callable[[], bool], deadline: float, clock: Clock) -> bool:
        """Wait (on the fiber's thread) until `ready()` or the clock reaches `deadline`; `ready()`'s answer."""
        while True:
            with self.cond:
                seen = self.kicks
            if self.aborted:
                raise Aborted
            if ready():
                return True
            if self.cancelled or clock.now() >= deadline:
                return ready()
            with self.cond:
                if self.kicks != seen:
                    continue
                self.deadline = deadline
                self._arm_timer(deadline, clock)
                self.running = False
                self.cond.notify_all()
                self.cond.wait_for(lambda: self.running)
                self.deadline = None

    def due(self, now: float) -> bool:
        """Parked with a deadline the clock has reached."""
        deadline = self.deadline
        return deadline is not None and not self.running and now >= deadline

    def _arm_timer(self, deadline: float, clock: Clock) -> None:
        """Real time ends the wait too while the clock runs (a frozen clock moves only by a test)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if clock.frozen:
            return
        self.timer = threading.Timer(max(0.0, deadline - clock.now()) + 0.001, self.wake)
        self.timer.daemon = True
        self.timer.start()


def current_fiber() -> Fiber | None:
    """The fiber running on this thread, if any."""
    return getattr(_current, "fiber", None)


def cancel_requested() -> str:
    """Why the operation running on this thread was cancelled, or ""."""
    fiber = current_fiber()
    return fiber.cancelled if fiber is not None else ""


def clear_cancel() -> None:
    """The cancelled operation rolls back: its rollback is not cancelled in turn."""
    fiber = current_fiber()
    if fiber is not None:
        fiber.cancelled = ""


@contextlib.contextmanager
def time_limit(deadline: float | None) -> Iterator[None]:
    """Within: waits end by `deadline` too (a stack's TimeoutInMinutes, on the gateway clock)."""
    fiber = current_fiber()
    if deadline is None or fiber is None:
        yield
        return
    fiber.limits.append(deadline)
    try:
        yield
    finally:
        fiber.limits.remove(deadline)


def limit_passed(clock: Clock) -> bool:
    """Whether the clock passed a running stack's creation deadline."""
    fiber = current_fiber()
    return fiber is not None and any(clock.now() >= limit for limit in fiber.limits)


def wait_until(ready: Callable[[], bool], deadline: float, clock: Clock, cond: threading.Condition) -> bool:
    """Wait for `ready()` (read under `cond`) until the clock reaches `deadline` (or a running
    stack's time limit), parking the current fiber; outside a fiber (no dispatcher) the calling
    thread blocks on the clock."""
    fiber = current_fiber()
    if fiber is None:
        with cond:
            return clock.wait_until(deadline, ready, cond)
    deadline = min([deadline, *fiber.limits])

    def look() -> bool:
        with cond:
            return ready()

    return fiber.park(look, deadline, clock)


def seconds_of(value: Any, default: float) -> float:
    """A template timeout (seconds as a number or text) as seconds; the default when absent or bad."""
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
