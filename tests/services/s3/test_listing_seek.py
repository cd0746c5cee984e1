"""Listing pages seek through the bucket's sorted keys: the same entries as filtering every key.

The reference below is the listing as a filter over every key in order (keys after the marker,
under the prefix, current ones only for object listings; each common prefix once; the marker's
own common prefix left out, as S3 resumes after it). Hypothesis compares it with `walk` over
random buckets, prefixes, delimiters and markers; then a bucket of 20,000 keys is paged through.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from hypothesis import given, settings
from hypothesis import strategies as st
from sortedcontainers import SortedDict

from pytest_cloudmock.services.s3.listing import page, walk

_TEXT = st.text(alphabet="ab/c\u00e9\U0010ffff", max_size=6)


class _Version(NamedTuple):
    delete_marker: bool


def _reference(keys: list[str], deleted: set[str], prefix: str, delimiter: str, marker: str,
               current_only: bool) -> Iterator[tuple[str, bool]]:
    skip = None
    if delimiter and marker.startswith(prefix) and marker.find(delimiter, len(prefix)) >= 0:
        skip = marker[: marker.find(delimiter, len(prefix)) + len(delimiter)]
    last_prefix = None
    for key in sorted(keys):
        if key <= marker or not key.startswith(prefix) or (skip and key.startswith(skip)):
            continue
        if current_only and key in deleted:
            continue
        cut = key.find(delimiter, len(prefix)) if delimiter else -1
        if cut >= 0:
            common = key[: cut + len(delimiter)]
            if common != last_prefix:
                last_prefix = common
                yield common, True
            continue
        yield key, False


@settings(max_examples=400, deadline=None)
@given(keys=st.lists(_TEXT.filter(bool), max_size=25, unique=True), data=st.data(),
       prefix=_TEXT, delimiter=st.sampled_from(["", "/", "b", "/a", "\U0010ffff"]), marker=_TEXT,
       current_only=st.booleans())
def test_walk_equals_filtering_every_key(keys, data, prefix, delimiter, marker, current_only):
    deleted = set(data.draw(st.lists(st.sampled_from(keys), unique=True))) if keys else set()
    objects = SortedDict({k: [_Version(k in deleted)] for k in keys})
    expected = list(_reference(keys, deleted, prefix, delimiter, marker, current_only))
    assert list(walk(objects, prefix, delimiter, marker, current_only)) == expected


def _page_through(objects: SortedDict, prefix: str, limit: int) -> list[str]:
    """Every entry, one page after another, each page resuming after the last one's last entry."""
    seen: list[str] = []
    marker = ""
    while True:
        contents, prefixes, truncated, last = page(walk(objects, prefix, "/", marker), limit)
        seen += prefixes + contents
        if not truncated:
            return seen
        marker = last


def test_paging_a_large_bucket_by_its_last_entry_lists_everything_once():
    keys = [f"logs/{day:03d}/{n:03d}" for day in range(100) for n in range(100)] + [f"top{n:05d}" for n in range(10_000)]
    objects = SortedDict({k: [_Version(False)] for k in keys})
    assert _page_through(objects, "", 1000) == ["logs/"] + [f"top{n:05d}" for n in range(10_000)]
    assert _page_through(objects, "logs/", 7) == [f"logs/{day:03d}/" for day in range(100)]
