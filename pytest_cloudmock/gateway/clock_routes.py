"""Admin routes for the gateway clock (`cloudmock serve`): read it, freeze, move and reset it.

    GET  /api/clock   -> {"now": "2026-01-01T00:00:00+00:00", "epoch": 1767225600.0, "frozen": true}
    POST /api/clock   {"freeze": true, "set": "2026-01-01T00:00:00Z", "advance": 90}
                      {"freeze": false}   {"reset": true}

A POST applies, in this order: `reset` (back to real time), `freeze: true`,
`set` (ISO 8601; no offset means UTC), `advance` (seconds, >= 0), `freeze: false`;
it answers with the clock as GET shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request

from ..clock import Clock, epoch_of

_KEYS = {"freeze", "set", "advance", "reset"}


def clock_routes(clock: Clock) -> list[tuple[str, str, Callable[..., Any], list[str]]]:
    """`AdminApp.add_route` arguments for `GET/POST /api/clock`."""

    def show(request: Request) -> dict[str, Any]:
        return describe(clock)

    def change(request: Request) -> dict[str, Any]:
        from .admin import AdminError, json_body

        try:
            apply(clock, json_body(request))
        except (TypeError, ValueError) as exc:
            raise AdminError(400, str(exc)) from exc
        return describe(clock)

    return [("/api/clock", "clock_show", show, ["GET"]), ("/api/clock", "clock_change", change, ["POST"])]


def describe(clock: Clock) -> dict[str, Any]:
    """The clock as the admin API shows it."""
    return {"now": clock.utcnow().isoformat(), "epoch": clock.now(), "frozen": clock.frozen}


def apply(clock: Clock, changes: dict[str, Any]) -> None:
    """Apply a POST body to the clock; `ValueError` names what is wrong (nothing is applied then)."""
    unknown = set(changes) - _KEYS
    if unknown:
        raise ValueError(f"unknown clock field(s) {sorted(unknown)}; expected some of {sorted(_KEYS)}")
    freeze, reset = changes.get("freeze"), changes.get("reset", False)
    for name, value in (("freeze", freeze), ("reset", reset)):
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
    advance = changes.get("advance", 0)
    if isinstance(advance, bool) or not isinstance(advance, (int, float)) or advance < 0:
        raise ValueError("advance must be a number of seconds >= 0 (set moves the clock back)")
    when = None
    if changes.get("set") is not None:
        if not isinstance(changes["set"], str):
            raise ValueError("set must be an ISO 8601 date-time string")
        when = epoch_of(changes["set"])  # ValueError names the bad value
    if reset:
        clock.reset()
    if freeze is True:
        clock.freeze()
    if when is not None:
        clock.set(when)
    if advance:
        clock.advance(advance)
    if freeze is False:
        clock.unfreeze()
