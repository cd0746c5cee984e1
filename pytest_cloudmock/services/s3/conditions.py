"""Conditional requests (`If-Match` & co., 304/412) and byte ranges (206/416)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ...api import AWSError
from . import errors
from .store import ObjectVersion

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def etag_matches(condition: str, etag: str) -> bool:
    """Whether an `If-Match`/`If-None-Match` value (a list, or `*`) names `etag`."""
    bare = etag.strip('"')
    return any(tag.strip() in ("*", bare) for tag in condition.replace('"', "").split(","))


def _whole_seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def check_read(obj: ObjectVersion, params: dict[str, Any], prefix: str = "") -> bool:
    """Evaluate a read's conditions in S3's order.

    Returns False for "not modified" (304); raises `PreconditionFailed` (412).
    `prefix` is `CopySource` for a copy's source conditions (which fail with 412 only).
    """
    if_match = params.get(f"{prefix}IfMatch")
    if_none_match = params.get(f"{prefix}IfNoneMatch")
    modified_since = params.get(f"{prefix}IfModifiedSince")
    unmodified_since = params.get(f"{prefix}IfUnmodifiedSince")
    header = "x-amz-copy-source-" if prefix else ""
    if if_match is not None:
        if not etag_matches(if_match, obj.etag):
            raise errors.precondition_failed(f"{header}If-Match")
    elif unmodified_since is not None and _whole_seconds(obj.last_modified) > unmodified_since:
        raise errors.precondition_failed(f"{header}If-Unmodified-Since")
    if if_none_match is not None:
        if etag_matches(if_none_match, obj.etag):
            if prefix:
                raise errors.precondition_failed(f"{header}If-None-Match")
            return False
    elif modified_since is not None and _whole_seconds(obj.last_modified) <= modified_since:
        if prefix:
            raise errors.precondition_failed(f"{header}If-Modified-Since")
        return False
    return True


def check_write(current: ObjectVersion | None, params: dict[str, Any], key: str) -> None:
    """Conditional writes: `If-None-Match: *` and `If-Match: <etag>`."""
    if_none_match = params.get("IfNoneMatch")
    if_match = params.get("IfMatch")
    exists = current is not None and not current.delete_marker
    if if_none_match is not None:
        if if_none_match.strip() != "*":
            raise AWSError(
                "NotImplemented",
                "A header you provided implies functionality that is not implemented",
                501,
                Header="If-None-Match",
            )
        if exists:
            raise errors.precondition_failed("If-None-Match")
    if if_match is not None:
        if not exists:
            raise errors.no_such_key(key)
        if not etag_matches(if_match, current.etag):  # type: ignore[union-attr]
            raise errors.precondition_failed("If-Match")


def parse_range(value: str | None, size: int) -> tuple[int, int] | None:
    """A `bytes=a-b` range as [start, end) within `size`, None to send everything.

    Unparseable ranges are ignored, as S3 does; unsatisfiable ones raise `InvalidRange`.
    """
    if not value:
        return None
    match = _RANGE.match(value.strip())
    if not match or (not match[1] and not match[2]):
        return None
    first, last = match[1], match[2]
    if first:
        start = int(first)
        end = min(int(last) + 1, size) if last else size
        if last and int(last) < start:
            return None
    else:
        start, end = max(size - int(last), 0), size
        if int(last) == 0:
            raise invalid_range(value, size)
    if start >= size:
        raise invalid_range(value, size)
    return start, end


def invalid_range(requested: str, size: int) -> AWSError:
    return AWSError(
        "InvalidRange",
        "The requested range is not satisfiable",
        416,
        RangeRequested=requested,
        ActualObjectSize=str(size),
    )
