"""FilterLogEvents with each kind of filter pattern (AWS's documented examples among
them), across streams, with time ranges and pagination; invalid patterns get AWS's
InvalidParameterException; no generated pattern gets a 5xx."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.logs.patterns import compile_pattern

from ..aws_errors import error_of
from .conftest import NOW_MS

APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534'
MESSAGES = [
    "[ERROR 400] BAD REQUEST",
    "Exiting with ERRORCODE: -1",
    "[WARN] Failed to process the request",
    "[ERROR] Unhandled Exception",
    "[INFO] all good",
    '{"level": "ERROR", "latency": 150, "user": {"id": "u1"}, "tags": ["a", "b"], "ok": true, "gone": null}',
    '{"level": "INFO", "latency": 20, "user": {"id": "u2"}, "tags": ["c"], "ok": false}',
    '{"eventType": "UpdateTrail", "sourceIPAddress": "123.123.123.123"}',
    APACHE,
    '127.0.0.1 - bob [10/Oct/2000:13:25:16 -0700] "GET /x HTTP/1.0" 404 2000',
    '127.0.0.1 - eve [10/Oct/2000:13:25:17 -0700] "POST /y HTTP/1.0" 503 5000',
]

CASES = [
    # terms
    ("ERROR", [0, 1, 3, 5]),
    ("ERROR Exception", [3]),
    ('"Failed to process the request"', [2]),
    ("ERROR -Exiting", [0, 3, 5]),
    ("?WARN ?INFO", [2, 4, 6]),
    ("%ERROR.[0-9]+%", [0]),
    ("%UNHANDLED|Unhandled%", [3]),
    ("", list(range(len(MESSAGES)))),
    # JSON
    ('{ $.level = "ERROR" && $.latency > 100 }', [5]),
    ('{ $.level = "ERROR" || $.latency < 50 }', [5, 6]),
    ('{ $.level != "ERROR" }', [6]),
    ('{ $.user.id = "u*" }', [5, 6]),
    ('{ $.tags[0] = "c" }', [6]),
    ("{ $.gone IS NULL }", [5]),
    ("{ $.ok IS TRUE }", [5]),
    ("{ $.ok IS FALSE }", [6]),
    ("{ $.gone NOT EXISTS }", [6, 7]),
    ('{ ($.eventType = "UpdateTrail") || ($.sourceIPAddress != 123.123.*) }', [7]),
    ('{ $.level = %ERR.R% }', [5]),
    ("{ $.latency >= 20 && $.latency <= 20 }", [6]),
    # space-delimited
    ("[ip, user, username, timestamp, request, status_code, bytes]", [8, 9, 10]),
    ("[ip, user, username, timestamp, request, status_code = 4*, bytes]", [9]),
    ("[ip, user, ..., status_code = 5*, bytes > 1000]", [10]),
    ('[ip, user, username, timestamp, request = "*POST*", status_code, bytes]', [10]),
    ("[..., status_code != 200, bytes]", [9, 10]),
    ('[ip, user = "-", username != bob, ...]', [8, 10]),
    ("[..., status_code = 200 || status_code = 404, bytes]", [8, 9]),
    ("[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]", [9]),
    ("[..., request=*.html*, status_code=4*,]", []),
    ("[..., request=*/x*, status_code=4*,]", [9]),
    ("[w1=ERROR || w1=WARN, w2]", []),
    ('{ $.latency = * }', [5, 6]),
    ("{ $.latency > +100 }", [5]),
    ('{ $.level = E*R }', []),  # a `*` inside a value is literal
    ('ERROR - "Exiting"', [0, 3, 5]),
]


@pytest.fixture
def messages(put: Callable[..., Any]) -> None:
    put("g", "a", [(i * 10, m) for i, m in enumerate(MESSAGES) if i % 2 == 0])
    put("g", "b", [(i * 10, m) for i, m in enumerate(MESSAGES) if i % 2 == 1])


@pytest.mark.parametrize(("pattern", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_filter_patterns(logs: Any, messages: None, pattern: str, expected: list[int]) -> None:
    events = logs.filter_log_events(logGroupName="g", filterPattern=pattern)["events"]
    assert [e["message"] for e in events] == [MESSAGES[i] for i in expected]


@pytest.mark.parametrize("pattern", [
    '{ $.level = "ERROR"', "[ip, user", "user@example.com", '""', "{ $.a > \"x\" }", "[a, b = ]",
    "%a(b)%", "%a b%", "%something!%", "{ }", "[a, a]", "{ $.a = %x% && $.b = %y% && $.c = %z% }", "[a, b = 1 && c > 2]",
    # AWS's own doc example that its console rejects (awsdocs/amazon-cloudwatch-logs-user-guide#21):
    "[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]",
])
def test_invalid_patterns(logs: Any, messages: None, pattern: str) -> None:
    code, message = error_of(logs.filter_log_events, logGroupName="g", filterPattern=pattern)
    assert code == "InvalidParameterException" and message


def test_documented_error_texts(logs: Any, messages: None) -> None:
    assert error_of(logs.filter_log_events, logGroupName="g", filterPattern='{ $.a = 1') == (
        "InvalidParameterException", "If a filter pattern starts with '{' it must end with '}'")
    assert error_of(logs.filter_log_events, logGroupName="g", filterPattern="a@b")[1] == \
        "Invalid character(s) in term 'a@b'"


def test_streams_time_range_and_pages(logs: Any, messages: None) -> None:
    by_names = logs.filter_log_events(logGroupName="g", logStreamNames=["b"], filterPattern="ERROR")["events"]
    assert [e["logStreamName"] for e in by_names] == ["b", "b", "b"]
    by_prefix = logs.filter_log_events(logGroupIdentifier="g", logStreamNamePrefix="a", startTime=NOW_MS + 20,
                                       endTime=NOW_MS + 60)["events"]
    assert [e["message"] for e in by_prefix] == [MESSAGES[2], MESSAGES[4], MESSAGES[6]]
    assert len({e["eventId"] for e in by_prefix}) == 3
    first = logs.filter_log_events(logGroupName="g", limit=4)
    assert [e["message"] for e in first["events"]] == MESSAGES[:4]
    rest = logs.filter_log_events(logGroupName="g", limit=100, nextToken=first["nextToken"])
    assert [e["message"] for e in rest["events"]] == MESSAGES[4:] and "nextToken" not in rest
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName="g", PaginationConfig={"PageSize": 3})
    assert sum(len(p["events"]) for p in pages) == len(MESSAGES)
    assert error_of(logs.filter_log_events, logGroupName="g", logStreamNames=["a"], logStreamNamePrefix="a")[0] == \
        "InvalidParameterException"
    assert error_of(logs.filter_log_events, logGroupName="nope") == (
        "ResourceNotFoundException", "The specified log group does not exist.")


PATTERN_ALPHABET = st.sampled_from(list('{}[]()$.=!<>&|?-"% *,abc01 \\') + ["IS", "NULL", "NOT", "EXISTS", "..."])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=st.lists(PATTERN_ALPHABET, max_size=14).map("".join))
def test_no_pattern_gives_a_5xx(logs: Any, messages: None, pattern: str) -> None:
    try:
        logs.filter_log_events(logGroupName="g", filterPattern=pattern)
    except ClientError as exc:
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert exc.response["Error"]["Code"] == "InvalidParameterException"


def test_deeply_nested_json_is_not_an_error(logs: Any, put: Callable[..., Any]) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    put("deep", "s", [(0, deep), (1, '{"a": 1}')])
    assert len(logs.filter_log_events(logGroupName="deep", filterPattern="{ $.a = 1 }")["events"]) == 1


MESSAGE_TEXT = st.one_of(
    st.text(max_size=60),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                 max_leaves=8).map(json.dumps),
)


@settings(max_examples=80, deadline=None)
@given(message=MESSAGE_TEXT)
def test_any_message_against_every_pattern_is_a_plain_answer(message: str) -> None:
    for pattern, _ in CASES:
        found = compile_pattern(pattern).match(message)
        assert found is None or all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())
