"""IAM's `Marker` / `MaxItems` / `IsTruncated` pagination over a list (opaque markers)."""

from __future__ import annotations

from typing import Any

from ...api import AWSError
from ...paging import offset_page

DEFAULT_MAX_ITEMS = 100
MAX_ITEMS_LIMIT = 1000


def _bad_marker() -> AWSError:
    return AWSError("ValidationError", "Invalid Marker.", 400)  # AWS's exact wording is not documented


def window(items: list[Any], params: dict[str, Any], listing: str) -> tuple[list[Any], dict[str, Any]]:
    """One page of `items` and its `IsTruncated` (and `Marker`) fields; markers scoped to `listing`."""
    max_items = params.get("MaxItems", DEFAULT_MAX_ITEMS)
    if max_items > MAX_ITEMS_LIMIT:
        raise AWSError(
            "ValidationError",
            f"1 validation error detected: Value '{max_items}' at 'maxItems' failed to satisfy "
            f"constraint: Member must have value less than or equal to {MAX_ITEMS_LIMIT}",
            400,
        )
    chunk, marker = offset_page(items, params.get("Marker"), max_items, bad_token=_bad_marker, scope=listing)
    fields: dict[str, Any] = {"IsTruncated": marker is not None}
    if marker is not None:
        fields["Marker"] = marker
    return chunk, fields


def page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """`{key: page, "IsTruncated": ..., "Marker": ...}` (markers scoped to the list `key` names)."""
    chunk, fields = window(items, params, key)
    return {key: chunk, **fields}
