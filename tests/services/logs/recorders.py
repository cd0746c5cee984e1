"""A tiny service that records the calls it gets, registered through the registry's
public API for a test (a stand-in `lambda`, `kinesis`, `firehose` or `cloudwatch`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pytest_cloudmock.api import Action, RequestContext
from pytest_cloudmock.registry import Registry


class Recorder:
    """Answers every operation with `{}` and keeps (operation, params, account, region)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[tuple[str, dict[str, Any], str, str]] = []

    def actions(self) -> list[Action]:
        return []

    def handle_request(self, ctx: RequestContext) -> dict[str, Any]:
        self.calls.append((ctx.operation, ctx.params, ctx.account_id, ctx.region))
        return {}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.calls.clear()


@contextmanager
def recording(registry: Registry, *names: str) -> Iterator[dict[str, Recorder]]:
    """Register a `Recorder` under each name for the block, then put the registry back."""
    before = registry.snapshot()
    recorders = {name: Recorder(name) for name in names}
    for recorder in recorders.values():
        registry.register(recorder)
    try:
        yield recorders
    finally:
        registry.restore(before)
