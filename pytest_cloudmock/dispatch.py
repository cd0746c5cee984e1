"""The background dispatcher: work AWS does after it has answered.

Asynchronous effects (Lambda async invokes, event source mappings, EventBridge
targets, scheduled work) are queued here and run on worker threads, in order of
submission per worker. `settle()` waits until everything queued, including work
queued by queued work, has run, so tests never sleep.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("pytest_cloudmock")

_STOP = object()


class SettleTimeout(TimeoutError):
    """`settle()` ran out of time with work still pending."""


class Dispatcher:
    """A small pool of daemon workers with a pending-work counter."""

    def __init__(self, workers: int = 4, name: str = "cloudmock-dispatch") -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._workers = workers
        self._name = name
        self._threads: list[threading.Thread] = []
        self._pending = 0
        self._idle = threading.Condition()
        self._start_lock = threading.Lock()
        self.errors: list[BaseException] = []  # the last few failures, for debugging

    def submit(self, work: Callable[[], Any]) -> None:
        """Queue `work()`; its exceptions are logged, never raised to the submitter."""
        with self._idle:
            self._pending += 1
        self._ensure_started()
        self._queue.put(work)

    @property
    def pending(self) -> int:
        return self._pending

    def settle(self, timeout: float = 5.0) -> None:
        """Block until no work is queued or running; `SettleTimeout` after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SettleTimeout(f"{self._pending} background task(s) still running after {timeout} s")
                self._idle.wait(remaining)

    def stop(self) -> None:
        """Stop the workers after the work already queued."""
        with self._start_lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(_STOP)
        for thread in threads:
            thread.join(timeout=5)

    def _ensure_started(self) -> None:
        if self._threads:
            return
        with self._start_lock:
            if self._threads:
                return
            for i in range(self._workers):
                thread = threading.Thread(target=self._run, name=f"{self._name}-{i}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is _STOP:
                return
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - a worker must survive any task
                log.exception("cloudmock: background task failed")
                self.errors = [*self.errors[-9:], exc]
            finally:
                with self._idle:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.notify_all()


def run_deferred(effects: list[Callable[[], Any]]) -> None:
    """Run a request's deferred effects in order (`RequestContext.defer`), logging failures.

    Effects may defer more effects (they land on the same list and run in turn).
    """
    i = 0
    while i < len(effects):
        try:
            effects[i]()
        except Exception:
            log.exception("cloudmock: deferred effect failed")
        i += 1
    effects.clear()
