"""`cloudmock.assert_called(...)`: did the test make this AWS call, and if not, what came close."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..gateway.request_log import RequestRecord

MAX_NEAR_MISSES = 10
_MISSING = object()


def assert_called(
    calls: Sequence[RequestRecord], service: str, operation: str, count: int | None, params: dict[str, Any]
) -> list[RequestRecord]:
    """The calls matching; `AssertionError` listing the near misses when their number is wrong."""
    matching = [c for c in calls if c.service == service and c.operation == operation and not _differences(c, params)]
    if (len(matching) >= 1) if count is None else (len(matching) == count):
        return matching
    wanted = f"{service} {_signature(operation, params)}"
    times = "at least once" if count is None else _times(count)
    lines = [f"expected {wanted} to be called {times}; it was called {_times(len(matching))} in this test"]
    near = [c for c in calls if c.service == service and c not in matching]
    if near:
        lines.append(f"near misses (this test's other calls to {service}):")
        for call in near[-MAX_NEAR_MISSES:]:
            why = "another operation" if call.operation != operation else "; ".join(_differences(call, params))
            status = f" -> {call.status}{' ' + call.error_code if call.error_code else ''}"
            lines.append(f"  {_signature(call.operation, call.params)}{status}: {why}")
    else:
        others = sorted({f"{c.service} {c.operation}" for c in calls if c.service})
        lines.append(f"no call to {service} in this test" + (f" (calls made: {', '.join(others)})" if others else ""))
    raise AssertionError("\n".join(lines))


def _differences(call: RequestRecord, params: dict[str, Any]) -> list[str]:
    if not params:
        return []
    if call.params is None:
        return ["its parameters were not recorded"]
    out = []
    for key, value in params.items():
        sent = call.params.get(key, _MISSING)
        if sent is _MISSING:
            out.append(f"no {key}")
        elif sent != value:
            out.append(f"{key} is {sent!r}")
    return out


def _signature(operation: str, params: dict[str, Any] | None) -> str:
    if params is None:
        return operation
    shown = ", ".join(f"{k}={_short(v)}" for k, v in params.items())
    return f"{operation}({shown})"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _times(n: int) -> str:
    return {0: "0 times", 1: "once", 2: "twice"}.get(n, f"{n} times")
