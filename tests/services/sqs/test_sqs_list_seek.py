"""ListQueues seeks in the name-ordered queue map: the same pages and tokens as a keyset page
over every matching name sorted (the plain reference), for any names, prefix and token."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sortedcontainers import SortedDict

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.paging import encode_token
from pytest_cloudmock.services.sqs.queues import names_page, prefix_page

LISTING = "ListQueues:test"
NAMES = st.text(alphabet="ab-_", min_size=1, max_size=4)


def _outcome(call: Any) -> Any:
    try:
        return call()
    except AWSError as exc:
        return ("error", exc.code, exc.message)


@settings(max_examples=300, deadline=None)
@given(names=st.sets(NAMES, max_size=25), prefix=st.text(alphabet="ab-", max_size=2),
       max_results=st.none() | st.integers(min_value=0, max_value=6),
       after=st.none() | NAMES | st.text(alphabet="ab-_", max_size=4) | st.integers() | st.lists(st.integers(), max_size=1),
       foreign=st.booleans())
def test_prefix_page_is_a_keyset_page_over_the_sorted_matching_names(
        names: set[str], prefix: str, max_results: int | None, after: Any, foreign: bool) -> None:
    queues = SortedDict({n: f"queue:{n}" for n in names})
    params: dict[str, Any] = {} if max_results is None else {"MaxResults": max_results}
    if after is not None:
        params["NextToken"] = encode_token(after, "another list" if foreign else LISTING)
    expected = _outcome(lambda: names_page(sorted(n for n in names if n.startswith(prefix)), params, LISTING))
    got = _outcome(lambda: prefix_page(queues, prefix, params, LISTING))
    if isinstance(expected, tuple) and expected[0] == "error":
        assert got == expected
    else:
        page, token = expected
        assert got == ([f"queue:{n}" for n in page], token)


def test_walking_pages_of_a_large_region_lists_every_matching_queue_once(sqs: Any) -> None:
    for i in range(120):
        sqs.create_queue(QueueName=f"{'odd' if i % 2 else 'even'}-{i:03d}")
    seen, token = [], None
    while True:
        page = sqs.list_queues(QueueNamePrefix="odd-", MaxResults=7, **({"NextToken": token} if token else {}))
        seen += [u.rsplit("/", 1)[1] for u in page.get("QueueUrls", [])]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [f"odd-{i:03d}" for i in range(1, 120, 2)]
    assert len(sqs.list_queues(QueueNamePrefix="even-")["QueueUrls"]) == 60


@pytest.mark.parametrize("prefix", ["", "even-00"])
def test_without_max_results_there_is_no_token(sqs: Any, prefix: str) -> None:
    for i in range(12):
        sqs.create_queue(QueueName=f"even-{i:03d}")
    out = sqs.list_queues(QueueNamePrefix=prefix) if prefix else sqs.list_queues()
    assert "NextToken" not in out
    assert len(out["QueueUrls"]) == (12 if not prefix else 10)
