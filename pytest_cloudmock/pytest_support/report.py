"""The "cloudmock: AWS calls" section of a failing test's report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..gateway.request_log import RequestRecord

SECTION_TITLE = "cloudmock: AWS calls"
MAX_ROWS = 50


def format_calls(records: Sequence[RequestRecord], start_seq: int, max_rows: int = MAX_ROWS) -> str:
    """A table of the calls made after `start_seq` (service, operation, status, error code, ...)."""
    if not records:
        return "(no AWS calls)"
    shown = records[-max_rows:]
    header = ("#", "service", "operation", "status", "error", "account", "region", "ms")
    rows = [header] + [
        tuple(str(cell) for cell in (
            r.seq - start_seq, r.service or "?", r.operation or f"{r.method} {r.path}", r.status,
            r.error_code, r.account_id, r.region, f"{r.duration_ms:.1f}",
        ))
        for r in shown
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    hidden = shown[0].seq - start_seq - 1
    if hidden:
        lines.insert(1, f"... {hidden} earlier calls not shown")
    return "\n".join(lines)


def calls_section(records: Sequence[RequestRecord], start_seq: int) -> str:
    """`format_calls`, or a line saying why not: a report section must never fail the run."""
    try:
        return format_calls(records, start_seq)
    except Exception as exc:  # the report is read after a failure: never add an INTERNALERROR
        return f"(cloudmock could not list the calls: {type(exc).__name__}: {exc})"
