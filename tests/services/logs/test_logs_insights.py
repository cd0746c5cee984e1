"""Logs Insights through boto3: queries complete on StartQuery; fields, filter, sort,
limit, stats (count(*) by, avg, bin), parse (glob and regex), display, JSON field
discovery, statistics, MalformedQueryException; query definitions; Live Tail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..aws_errors import error_fields, error_of
from .conftest import NOW

LINES = [
    '{"level": "INFO", "latency": 20, "path": "/a"}',
    '{"level": "ERROR", "latency": 150, "path": "/b"}',
    '{"level": "ERROR", "latency": 250, "path": "/a"}',
    "user=bob, method:GET, latency := 30",
    "user=amy, method:POST, latency := 45",
]


@pytest.fixture
def query(logs: Any, put: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    put("/app", "s1", [(i * 60_000, m) for i, m in enumerate(LINES) if i % 2 == 0])
    put("/app", "s2", [(i * 60_000, m) for i, m in enumerate(LINES) if i % 2 == 1])

    def run(text: str, **kwargs: Any) -> dict[str, Any]:
        query_id = logs.start_query(logGroupName="/app", startTime=int(NOW) - 60, endTime=int(NOW) + 3600,
                                    queryString=text, **kwargs)["queryId"]
        return logs.get_query_results(queryId=query_id)

    return run


def rows(result: dict[str, Any]) -> list[dict[str, str]]:
    return [{f["field"]: f["value"] for f in row if f["field"] != "@ptr"} for row in result["results"]]


def test_stats_count_by(query: Callable[..., dict[str, Any]]) -> None:
    result = query("stats count(*) by level | sort level")
    assert result["status"] == "Complete"
    # the two plain-text lines have no `level`: they count in a group of their own, sorted last
    assert rows(result) == [{"level": "ERROR", "count(*)": "2"}, {"level": "INFO", "count(*)": "1"},
                            {"count(*)": "2"}]
    stats = result["statistics"]
    assert stats["recordsScanned"] == 5 and stats["recordsMatched"] == 5 and stats["bytesScanned"] > 0


def test_fields_filter_sort_limit(query: Callable[..., dict[str, Any]]) -> None:
    result = query('fields @timestamp, path, latency | filter level = "ERROR" and latency > 100 '
                   "| sort latency desc | limit 1")
    assert rows(result) == [{"@timestamp": "2026-01-01 00:02:00.000", "path": "/a", "latency": "250"}]
    assert result["statistics"]["recordsMatched"] == 2
    assert any(f["field"] == "@ptr" for f in result["results"][0])


def test_default_fields_are_newest_first(query: Callable[..., dict[str, Any]]) -> None:
    result = rows(query("filter @message like /latency :=/"))
    assert [r["@message"] for r in result] == [LINES[4], LINES[3]]


def test_aggregates_and_bins(query: Callable[..., dict[str, Any]]) -> None:
    assert rows(query("filter ispresent(latency) | stats avg(latency) as avg, max(latency), min(latency), "
                      "sum(latency), count(latency)")) == [
        {"avg": "140", "max(latency)": "250", "min(latency)": "20", "sum(latency)": "420", "count(latency)": "3"}]
    assert rows(query("stats count() as n by bin(2m)")) == [
        {"bin(2m)": "2026-01-01 00:00:00.000", "n": "2"}, {"bin(2m)": "2026-01-01 00:02:00.000", "n": "2"},
        {"bin(2m)": "2026-01-01 00:04:00.000", "n": "1"}]


def test_parse_glob_and_regex_and_display(query: Callable[..., dict[str, Any]]) -> None:
    parsed = query('parse @message "user=*, method:*, latency := *" as user, method, took '
                   "| filter ispresent(user) | sort user | display user, method, took")
    assert rows(parsed) == [{"user": "amy", "method": "POST", "took": "45"},
                            {"user": "bob", "method": "GET", "took": "30"}]
    regex = query(r"parse @message /user=(?<who>\w+)/ | filter who in ['bob'] | fields who, @logStream")
    assert rows(regex) == [{"who": "bob", "@logStream": "s2"}]


def test_malformed_queries(logs: Any, query: Callable[..., dict[str, Any]]) -> None:
    for text in ("fields", "stats", "bogus x", "filter a =", "limit x", "fields a |", "sort x up"):
        error = error_fields(logs.start_query, logGroupName="/app", startTime=0, endTime=1, queryString=text)
        assert error["Code"] == "MalformedQueryException", text
    response = error_fields(logs.start_query, logGroupName="/app", startTime=0, endTime=1, queryString="limit x")
    assert response["Message"]


def test_malformed_query_location(logs: Any, query: Callable[..., dict[str, Any]]) -> None:
    try:
        logs.start_query(logGroupName="/app", startTime=0, endTime=1, queryString="fields a | limit x")
    except logs.exceptions.MalformedQueryException as exc:
        location = exc.response["queryCompileError"]["location"]
        assert (location["startCharOffset"], location["endCharOffset"]) == (17, 18)
    else:
        pytest.fail("no MalformedQueryException")


def test_query_bookkeeping(logs: Any, query: Callable[..., dict[str, Any]]) -> None:
    query("fields @message")
    (info,) = logs.describe_queries(logGroupName="/app")["queries"]
    assert info["status"] == "Complete" and info["queryString"] == "fields @message"
    assert logs.stop_query(queryId=info["queryId"])["success"] is False
    assert logs.list_log_groups_for_query(queryId=info["queryId"])["logGroupIdentifiers"][0].endswith(":/app")
    assert error_of(logs.get_query_results, queryId="nope")[0] == "ResourceNotFoundException"
    assert error_of(logs.start_query, logGroupName="nope", startTime=0, endTime=1, queryString="fields a") == (
        "ResourceNotFoundException", "The specified log group does not exist.")


def test_query_definitions(logs: Any) -> None:
    definition_id = logs.put_query_definition(name="errors", queryString="filter level = 'ERROR'",
                                              logGroupNames=["/app"])["queryDefinitionId"]
    logs.put_query_definition(name="errors v2", queryDefinitionId=definition_id, queryString="fields @message")
    (found,) = logs.describe_query_definitions(queryDefinitionNamePrefix="err")["queryDefinitions"]
    assert (found["name"], found["queryString"]) == ("errors v2", "fields @message")
    assert logs.delete_query_definition(queryDefinitionId=definition_id)["success"] is True
    assert error_of(logs.delete_query_definition, queryDefinitionId=definition_id)[0] == "ResourceNotFoundException"


def test_record_pointer(logs: Any, query: Callable[..., dict[str, Any]]) -> None:
    result = query('filter path = "/b" | fields @message')
    pointer = next(f["value"] for f in result["results"][0] if f["field"] == "@ptr")
    record = logs.get_log_record(logRecordPointer=pointer)["logRecord"]
    assert record["@message"] == LINES[1] and record["@logStream"] == "s2" and record["level"] == "ERROR"
    assert error_of(logs.get_log_record, logRecordPointer="bogus")[0] == "InvalidParameterException"


def test_live_tail_streams_matching_events(logs: Any, query: Callable[..., dict[str, Any]]) -> None:
    arn = logs.describe_log_groups()["logGroups"][0]["logGroupArn"]
    stream = logs.start_live_tail(logGroupIdentifiers=[arn], logEventFilterPattern='{ $.level = "ERROR" }')
    events = list(stream["responseStream"])
    assert events[0]["sessionStart"]["logGroupIdentifiers"] == [arn]
    results = [r for e in events[1:] for r in e["sessionUpdate"]["sessionResults"]]
    assert [r["message"] for r in results] == [LINES[1], LINES[2]]
    assert error_of(logs.start_live_tail, logGroupIdentifiers=[arn], logEventFilterPattern="{ bad")[0] == \
        "InvalidParameterException"


def test_sort_is_aws_natural_sort(logs: Any, put: Callable[..., Any]) -> None:
    # AWS's documented ascending order (CWL_QuerySyntax-Sort): non-numbers first, digit runs by length.
    documented = ["!:", "#", "*%04", "0#", "5A", "111A", "2345_", "@", "@_", "A", "A9876fghj", "a12345hfh",
                  "0", "01", "1", "2", "3"]
    put("/sorted", "s", [(i, m) for i, m in enumerate(reversed(documented))])
    query_id = logs.start_query(logGroupName="/sorted", startTime=int(NOW) - 60, endTime=int(NOW) + 60,
                                queryString="fields @message | sort @message asc")["queryId"]
    assert [r["@message"] for r in rows(logs.get_query_results(queryId=query_id))] == documented


QUERY_WORDS = st.sampled_from(["fields", "filter", "stats", "sort", "limit", "parse", "display", "by", "as", "and",
                               "or", "not", "like", "in", "count(*)", "avg(", "bin(5m)", "@message", "level", "=",
                               ">", "|", ",", "(", ")", "[", "]", '"ERROR"', "/x+/", "1", "desc", "*", "-", "`a b`",
                               "strlen(", "floor(", "substr(", "pct(", "coalesce(", "1e400"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(QUERY_WORDS, min_size=1, max_size=10))
def test_no_query_gives_a_5xx(logs: Any, query: Callable[..., dict[str, Any]], words: list[str]) -> None:
    try:
        query(" ".join(words))
    except ClientError as exc:
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert exc.response["Error"]["Code"] == "MalformedQueryException"


def test_more_aggregates_and_functions(query: Callable[..., dict[str, Any]]) -> None:
    assert rows(query("filter ispresent(latency) | stats pct(latency, 50) as p50, stddev(latency) as sd, "
                      "earliest(path) as first, latest(path) as last")) == [
        {"p50": "150", "sd": "115.32562594670796", "first": "/a", "last": "/a"}]
    assert rows(query('filter strcontains(@message, "amy") | fields substr(@message, 0, 8) as head, '
                      'replace(@message, "amy", "x") as r, coalesce(missing, "dflt") as c')) == [
        {"head": "user=amy", "r": "user=x, method:POST, latency := 45", "c": "dflt"}]
    assert error_fields(query, text="fields strlen(a, b)")["Code"] == "MalformedQueryException"
