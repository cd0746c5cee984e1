"""Interceptors: code that runs around a service call (the plugin docs' "intercept
requests, modify responses").

An `Interceptor` matches services and operations by glob (`"s3"`, `"*"`,
`"Put*"`). Its `before(ctx)` sees the parsed request (`ctx.service`,
`ctx.operation`, `ctx.params`, `ctx.identity`) and may replace `ctx.params`, or
answer instead of the service by returning a dict / `Response` or raising (or
returning) an `AWSError`; returning None lets the call go on. Its `after(ctx,
outcome)` sees the service's answer (a `Response`, or the `AWSError` it raised)
and may return a replacement. Interceptors run in the order added; `after`s in
reverse, like nested wrappers.

The chain runs for requests from the wire and for service-to-service calls
(`Registry.call`), so a test's override reaches SNS's fan-out into SQS too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from .api import AWSError, RequestContext, Response, Service

Outcome = Response | AWSError
Before = Callable[[RequestContext], Any]
After = Callable[[RequestContext, Outcome], Any]


@dataclass(eq=False)
class Interceptor:
    """One interceptor: which calls it sees, and what it does before and after them."""

    service: str = "*"
    operation: str = "*"
    before: Before | None = None
    after: After | None = None
    name: str = ""

    def matches(self, service: str, operation: str) -> bool:
        """Whether this interceptor sees calls of `operation` of `service` (a chain asks once
        per pair while the interceptor is in it)."""
        return _glob(self.service, service) and _glob(self.operation, operation)


def _glob(pattern: str, value: str) -> bool:
    return pattern == "*" or pattern == value or fnmatchcase(value, pattern)


class InterceptorChain:
    """The gateway's interceptors. Adding and removing are thread-safe; calls read a
    snapshot (copy on write), so an empty chain costs one attribute read. Which
    interceptors match a (service, operation) is worked out once per snapshot."""

    def __init__(self) -> None:
        self._items: tuple[Interceptor, ...] = ()
        self._lock = threading.Lock()
        self._matching: tuple[tuple[Interceptor, ...], dict[tuple[str, str], tuple[Interceptor, ...]]] = ((), {})

    def add(self, interceptor: Interceptor) -> Interceptor:
        with self._lock:
            self._items = (*self._items, interceptor)
        return interceptor

    def remove(self, interceptor: Interceptor) -> None:
        with self._lock:
            self._items = tuple(i for i in self._items if i is not interceptor)

    def clear(self) -> None:
        with self._lock:
            self._items = ()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def call(self, service: Service, ctx: RequestContext) -> Response:
        """Run the matching interceptors around `service.handle_request(ctx)`.

        Returns the (possibly replaced) answer as a `Response`; raises `AWSError`.
        """
        items = self._items
        if not items:
            return as_response(service.handle_request(ctx))
        snapshot, matching = self._matching
        if snapshot is not items:
            matching = {}
            self._matching = (items, matching)
        active = matching.get((ctx.service, ctx.operation))
        if active is None:
            active = matching[(ctx.service, ctx.operation)] = tuple(
                i for i in items if i.matches(ctx.service, ctx.operation)
            )
        if not active:
            return as_response(service.handle_request(ctx))
        outcome: Outcome | None = None
        ran = len(active)  # how many interceptors' `before` ran (their `after`s run)
        for at, interceptor in enumerate(active):
            if interceptor.before is None:
                continue
            try:
                answer = interceptor.before(ctx)
            except AWSError as err:
                outcome, ran = err, at + 1
                break
            if answer is not None:
                outcome, ran = (answer if isinstance(answer, AWSError) else as_response(answer)), at + 1
                break
        if outcome is None:
            try:
                outcome = as_response(service.handle_request(ctx))
            except AWSError as err:
                outcome = err
        for interceptor in reversed(active[:ran]):
            if interceptor.after is None:
                continue
            try:
                replaced = interceptor.after(ctx, outcome)
            except AWSError as err:
                replaced = err
            if replaced is not None:
                outcome = replaced if isinstance(replaced, AWSError) else as_response(replaced)
        if isinstance(outcome, AWSError):
            raise outcome
        return outcome


def as_response(result: Response | dict[str, Any] | None) -> Response:
    """A service's return value as a `Response` (None is an empty answer)."""
    if isinstance(result, Response):
        return result
    return Response(body=result if result is not None else {})
