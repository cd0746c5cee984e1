"""An event as Logs Insights and GetLogRecord see it: the built-in `@` fields and the
fields discovered in a JSON message (nested keys joined with `.`, array items by index)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from ...paging import decode_token, encode_token
from . import errors
from .state import Event

POINTER_SCOPE = "log-record"
MAX_DISCOVERED = 1000  # AWS discovers up to 1,000 fields per event


def pointer(group: str, stream: str, event: Event) -> str:
    """The opaque `@ptr` of an event (what GetLogRecord takes)."""
    return encode_token([group, stream, event.timestamp, event.seq], POINTER_SCOPE)


def parse_pointer(text: str) -> tuple[str, str, tuple[int, int]]:
    value = decode_token(text, lambda: errors.invalid("The specified log record pointer is invalid."), POINTER_SCOPE)
    if not (isinstance(value, list) and len(value) == 4):
        raise errors.invalid("The specified log record pointer is invalid.")  # exact text unknown
    return str(value[0]), str(value[1]), (int(value[2]), int(value[3]))


def timestamp_text(ms: int) -> str:
    """`@timestamp` as Insights prints it: `2024-01-02 03:04:05.678`."""
    when = datetime.fromtimestamp(ms / 1000, timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S.") + f"{ms % 1000:03d}"


def discovered(message: str) -> dict[str, Any]:
    """The fields of a JSON object message, flattened (empty for any other message)."""
    text = message.strip()
    if not text.startswith("{"):
        return {}
    try:
        doc = json.loads(text)
        out: dict[str, Any] = {}
        _flatten(doc, "", out)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
        return {}
    return out


def _flatten(node: Any, prefix: str, out: dict[str, Any]) -> None:
    if len(out) >= MAX_DISCOVERED:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _flatten(value, f"{prefix}.{i}" if prefix else str(i), out)
    elif prefix:
        out[prefix] = node


def record(account: str, group: str, stream: str, event: Event) -> dict[str, Any]:
    """Every field of one event, built-ins first (`@log` is `account:group`, as AWS)."""
    fields: dict[str, Any] = {
        "@timestamp": event.timestamp, "@message": event.message, "@logStream": stream,
        "@log": f"{account}:{group}", "@ingestionTime": event.ingestion_time,
        "@ptr": pointer(group, stream, event),
    }
    for key, value in discovered(event.message).items():
        fields.setdefault(key, value)
    return fields


def text(value: Any) -> str:
    """A field value as the results strings carry it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)
