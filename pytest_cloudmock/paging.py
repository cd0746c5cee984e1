"""One paging helper for every list operation: offset pages and keyset pages.

Tokens are opaque to clients (url-safe base64 of a small JSON document tagged
with the list it belongs to); a token that does not decode, or that belongs to
another list, is the caller's `bad_token` error (each service names its own:
`InvalidNextToken`, `InvalidParameterValue`, ...).

    page, token = offset_page(items, ctx.params.get("NextToken"), limit, bad_token=err)
    page, token = keyset_page(sorted_items, key=lambda q: q.name, token=..., limit=..., ...)
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any, TypeVar

from .api import AWSError

T = TypeVar("T")


def encode_token(value: Any, scope: str = "") -> str:
    """An opaque token carrying `value` (JSON-serialisable) for the list `scope`."""
    raw = json.dumps({"s": scope, "v": value}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str, bad_token: Callable[[], AWSError], scope: str = "") -> Any:
    """The value inside a token made by `encode_token` for `scope`; else `bad_token()`."""
    try:
        padded = token + "=" * (-len(token) % 4)
        doc = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise bad_token() from None
    if not isinstance(doc, dict) or doc.get("s") != scope or "v" not in doc:
        raise bad_token()
    return doc["v"]


def offset_page(
    items: Sequence[T],
    token: str | None,
    limit: int | None,
    *,
    bad_token: Callable[[], AWSError],
    default_limit: int = 100,
    scope: str = "",
) -> tuple[list[T], str | None]:
    """A page of `items` from the offset in `token`; the next token or None at the end."""
    start = _offset(token, bad_token, scope)
    size = limit or default_limit
    page = list(items[start : start + size])
    end = start + len(page)
    return page, (encode_token(end, scope) if end < len(items) else None)


def offset_page_of(
    items_from: Callable[[int], Iterable[T]],
    token: str | None,
    limit: int | None,
    *,
    bad_token: Callable[[], AWSError],
    default_limit: int = 100,
    scope: str = "",
) -> tuple[list[T], str | None]:
    """`offset_page` without the whole list: `items_from(offset)` gives the items from an offset on
    (a seek into a sorted index, filtered lazily), read no further than one item past the page."""
    start = _offset(token, bad_token, scope)
    size = max(limit or default_limit, 0)  # a negative limit validation let through: an empty last page
    window = list(islice(items_from(start), size + 1))
    return window[:size], (encode_token(start + size, scope) if size and len(window) > size else None)


def _offset(token: str | None, bad_token: Callable[[], AWSError], scope: str) -> int:
    """The offset an `offset_page` token holds (0 without one)."""
    if not token:
        return 0
    start = decode_token(token, bad_token, scope)
    if not isinstance(start, int) or start < 0:
        raise bad_token()
    return start


def keyset_page(
    items: Sequence[T],
    key: Callable[[T], Any],
    token: str | None,
    limit: int | None,
    *,
    bad_token: Callable[[], AWSError],
    default_limit: int = 100,
    scope: str = "",
) -> tuple[list[T], str | None]:
    """A page of `items` (sorted by `key`) after the last key in `token`.

    Stable under inserts and deletes between pages (unlike offsets): the next page
    starts after the last key the previous one returned. Keys must be JSON values.
    """
    start = 0
    if token:
        after = decode_token(token, bad_token, scope)
        keys = [key(item) for item in items]
        try:
            start = bisect_right(keys, _key_value(after))
        except TypeError:
            raise bad_token() from None
    size = limit or default_limit
    page = list(items[start : start + size])
    more = start + len(page) < len(items)
    return page, (encode_token(key(page[-1]), scope) if more and page else None)


def _key_value(value: Any) -> Any:
    """JSON gives lists back for tuples: compare like with like."""
    return tuple(value) if isinstance(value, list) else value


def tag_key_page(tags: dict[str, str], params: dict[str, Any], default_limit: int = 50) -> dict[str, Any]:
    """Tags listed by key, the Kinesis and Firehose way: after `ExclusiveStartTagKey`, at most
    `Limit`, with `HasMoreTags` (the last key returned is the next call's start)."""
    start = params.get("ExclusiveStartTagKey")
    items = [(k, v) for k, v in sorted(tags.items()) if not start or k > start]
    limit = params.get("Limit") or default_limit
    return {"Tags": [{"Key": k, "Value": v} for k, v in items[:limit]], "HasMoreTags": len(items) > limit}
