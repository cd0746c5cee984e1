"""IAM's `Marker` / `MaxItems` / `IsTruncated` pagination over a list (opaque markers)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from ...api import AWSError
from ...paging import decode_token, encode_token, offset_page

DEFAULT_MAX_ITEMS = 100
MAX_ITEMS_LIMIT = 1000


def _bad_marker() -> AWSError:
    return AWSError("ValidationError", "Invalid Marker.", 400)  # AWS's exact wording is not documented


def window(items: list[Any], params: dict[str, Any], listing: str) -> tuple[list[Any], dict[str, Any]]:
    """One page of `items` and its `IsTruncated` (and `Marker`) fields; markers scoped to `listing`."""
    chunk, marker = offset_page(items, params.get("Marker"), _max_items(params), bad_token=_bad_marker,
                                scope=listing)
    return chunk, _fields(marker)


def stream_window(items: Iterable[Any], params: dict[str, Any], listing: str) -> tuple[list[Any], dict[str, Any]]:
    """`window` over an iterable read only as far as the page and one more item."""
    size = _max_items(params) or DEFAULT_MAX_ITEMS  # as `offset_page` takes a zero limit
    start = 0
    if params.get("Marker"):
        start = decode_token(params["Marker"], _bad_marker, listing)
        if not isinstance(start, int) or start < 0:
            raise _bad_marker()
    rest = iter(items)
    chunk = list(islice(rest, start, start + size))
    more = next(rest, rest) is not rest
    return chunk, _fields(encode_token(start + len(chunk), listing) if more else None)


def _max_items(params: dict[str, Any]) -> int:
    max_items = params.get("MaxItems", DEFAULT_MAX_ITEMS)
    if max_items > MAX_ITEMS_LIMIT:
        raise AWSError(
            "ValidationError",
            f"1 validation error detected: Value '{max_items}' at 'maxItems' failed to satisfy "
            f"constraint: Member must have value less than or equal to {MAX_ITEMS_LIMIT}",
            400,
        )
    return max_items


def _fields(marker: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"IsTruncated": marker is not None}
    if marker is not None:
        fields["Marker"] = marker
    return fields


def page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """`{key: page, "IsTruncated": ..., "Marker": ...}` (markers scoped to the list `key` names)."""
    chunk, fields = window(items, params, key)
    return {key: chunk, **fields}
