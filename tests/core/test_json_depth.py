"""JSON nesting measured without recursion: the same answer whatever the recursion limit."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_cloudmock.json_depth import loads, nesting_depth

documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='{}[]"\\ab:,'),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='{}[]"ab'), inner, max_size=3),
    max_leaves=20,
)


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(documents)
def test_depth_of_any_document_is_its_nesting(value) -> None:
    assert nesting_depth(json.dumps(value)) == _depth(value)


def test_deep_documents_are_refused_before_parsing() -> None:
    deep = "[" * 50_000 + "]" * 50_000
    with pytest.raises(ValueError, match="deeper than 100 levels"):
        loads(deep, 100)
    assert loads(b'{"a": ["{[", {"b": 1}]}', 3) == {"a": ["{[", {"b": 1}]}
