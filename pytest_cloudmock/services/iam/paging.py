"""IAM's `Marker` / `MaxItems` / `IsTruncated` pagination over a list."""

from __future__ import annotations

import base64
from typing import Any

from ...api import AWSError

DEFAULT_MAX_ITEMS = 100
MAX_ITEMS_LIMIT = 1000


def _offset(marker: str) -> int:
    try:
        offset = int(base64.urlsafe_b64decode(marker.encode()).decode().removeprefix("offset:"))
    except (ValueError, UnicodeDecodeError):
        raise AWSError("ValidationError", "Invalid Marker.", 400) from None
    if offset < 0:
        raise AWSError("ValidationError", "Invalid Marker.", 400)
    return offset


def window(items: list[Any], params: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """One page of `items` and its `IsTruncated` (and `Marker`) fields."""
    max_items = params.get("MaxItems", DEFAULT_MAX_ITEMS)
    if max_items > MAX_ITEMS_LIMIT:
        raise AWSError(
            "ValidationError",
            f"1 validation error detected: Value '{max_items}' at 'maxItems' failed to satisfy "
            f"constraint: Member must have value less than or equal to {MAX_ITEMS_LIMIT}",
            400,
        )
    start = _offset(params["Marker"]) if params.get("Marker") else 0
    end = start + max_items
    fields: dict[str, Any] = {"IsTruncated": end < len(items)}
    if fields["IsTruncated"]:
        fields["Marker"] = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode()
    return items[start:end], fields


def page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """`{key: page, "IsTruncated": ..., "Marker": ...}`."""
    chunk, fields = window(items, params)
    return {key: chunk, **fields}
