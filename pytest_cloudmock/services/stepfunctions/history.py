"""Execution history: recording events with AWS's types, ids and `previousEventId`, and
answering `GetExecutionHistory`."""

from __future__ import annotations

from functools import cache
from typing import Any

from ...models import service_model
from .state import Execution

#: Event types after which an execution records nothing more.
CLOSING = frozenset({"ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut"})
#: Detail members that carry execution data (dropped when `includeExecutionData` is false).
_DATA = ("input", "output", "inputDetails", "outputDetails", "parameters")


@cache
def _detail_members() -> frozenset[str]:
    return frozenset(service_model("stepfunctions").shape_for("HistoryEvent").members)


def details_key(kind: str) -> str | None:
    """The `HistoryEvent` member holding an event type's details (None: the type has none)."""
    if kind.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if kind.endswith("StateExited"):
        return "stateExitedEventDetails"
    key = kind[0].lower() + kind[1:] + "EventDetails"
    return key if key in _detail_members() else None


def append(execution: Execution, kind: str, details: dict[str, Any] | None, previous: int, when: Any) -> int:
    """Add one event (caller holds the execution's lock); its id."""
    ident = len(execution.events) + 1
    event: dict[str, Any] = {"timestamp": when, "type": kind, "id": ident, "previousEventId": previous}
    key = details_key(kind)
    if key and details is not None:
        event[key] = details
    execution.events.append(event)
    return ident


def without_data(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in _DATA}
    return out
