"""The shared paging helper: offset and keyset pages, opaque tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.paging import decode_token, encode_token, keyset_page, offset_page


def bad() -> AWSError:
    return AWSError("InvalidNextToken", "The token is not valid.")


def walk(pager, items, limit):
    out, token = [], None
    for _ in range(len(items) + 2):
        page, token = pager(items, token, limit)
        out += page
        if token is None:
            return out
    raise AssertionError("paging did not end")


@given(st.lists(st.integers(), max_size=40), st.integers(min_value=1, max_value=7))
def test_offset_pages_cover_every_item_once(items, limit):
    assert walk(lambda i, t, n: offset_page(i, t, n, bad_token=bad), items, limit) == items


@given(st.lists(st.text(max_size=5), max_size=40, unique=True), st.integers(min_value=1, max_value=7))
def test_keyset_pages_cover_every_item_once(items, limit):
    items = sorted(items)
    assert walk(lambda i, t, n: keyset_page(i, lambda x: x, t, n, bad_token=bad), items, limit) == items


def test_keyset_page_survives_a_delete_between_pages():
    items = ["a", "b", "c", "d"]
    page, token = keyset_page(items, lambda x: x, None, 2, bad_token=bad)
    assert page == ["a", "b"]
    page, token = keyset_page(["a", "c", "d"], lambda x: x, token, 2, bad_token=bad)
    assert page == ["c", "d"] and token is None


def test_tuple_keys_round_trip():
    items = [("a", 1), ("a", 2), ("b", 1)]
    page, token = keyset_page(items, lambda x: x, None, 2, bad_token=bad)
    assert keyset_page(items, lambda x: x, token, 2, bad_token=bad) == ([("b", 1)], None)


@pytest.mark.parametrize("token", ["", "!!!", "bm90IGpzb24", encode_token(3, "other-list"), encode_token("x")])
def test_foreign_or_broken_tokens_are_the_callers_error(token):
    with pytest.raises(AWSError) as err:
        offset_page([1, 2, 3, 4], token or "=", 2, bad_token=bad)
    assert err.value.code == "InvalidNextToken"


def test_tokens_are_opaque_and_scoped():
    token = encode_token({"k": 1}, "queues")
    assert "queues" not in token and "{" not in token
    assert decode_token(token, bad, "queues") == {"k": 1}


def test_tag_key_pages_follow_exclusive_start_tag_key():
    from pytest_cloudmock.paging import tag_key_page

    tags = {f"k{i}": str(i) for i in range(5)}
    first = tag_key_page(tags, {"Limit": 2})
    assert [t["Key"] for t in first["Tags"]] == ["k0", "k1"] and first["HasMoreTags"]
    last = tag_key_page(tags, {"ExclusiveStartTagKey": "k2", "Limit": 2})
    assert [t["Key"] for t in last["Tags"]] == ["k3", "k4"] and not last["HasMoreTags"]
