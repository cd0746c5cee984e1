"""PutLogEvents' batch rules and rejections, GetLogEvents' tokens, retention on the clock,
GetLogRecord and GetLogGroupFields, through boto3."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.clock import Clock

from ..aws_errors import error_of
from .conftest import NOW_MS

HOUR = 3_600_000
DAY = 24 * HOUR
_streams = count()


def test_put_and_get_in_timestamp_order(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(0, "one"), (10, "two")])
    put("g", "s", [(5, "between")])  # a later batch may be older than what is stored
    events = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)["events"]
    assert [e["message"] for e in events] == ["one", "between", "two"]
    assert events[0]["timestamp"] == NOW_MS and events[0]["ingestionTime"] == NOW_MS
    stream = logs.describe_log_streams(logGroupName="g")["logStreams"][0]
    assert stream["firstEventTimestamp"] == NOW_MS and stream["lastEventTimestamp"] == NOW_MS + 10
    assert stream["lastIngestionTime"] == NOW_MS


def test_batch_rules(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(0, "x")])
    send = lambda events: logs.put_log_events(  # noqa: E731
        logGroupName="g", logStreamName="s", logEvents=[{"timestamp": NOW_MS + t, "message": m} for t, m in events])
    assert error_of(send, events=[(10, "b"), (0, "a")]) == (
        "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order.")
    assert error_of(send, events=[(-DAY - 1, "a"), (0, "b")])[1] == (
        "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
    # the 24 hours are counted among the valid events: a too-old one does not stretch the span
    assert send(events=[(-15 * DAY, "old"), (-DAY, "a"), (0, "b")])["rejectedLogEventsInfo"] == {
        "tooOldLogEventEndIndex": 1}
    big = "x" * (1_048_576 - 26 * 2 - 10)
    assert error_of(send, events=[(0, big), (0, "y" * 11)])[0] == "InvalidParameterException"
    send(events=[(0, big), (0, "y" * 10)])  # exactly 1,048,576 bytes with the 26-byte overheads
    assert error_of(logs.put_log_events, logGroupName="g", logStreamName="nope",
                    logEvents=[{"timestamp": NOW_MS, "message": "m"}]) == (
        "ResourceNotFoundException", "The specified log stream does not exist.")
    assert error_of(logs.put_log_events, logGroupName="nope", logStreamName="s",
                    logEvents=[{"timestamp": NOW_MS, "message": "m"}]) == (
        "ResourceNotFoundException", "The specified log group does not exist.")


def test_sequence_tokens_are_ignored(logs: Any, put: Callable[..., Any]) -> None:
    first = put("g", "s", [(0, "a")])
    assert len(first["nextSequenceToken"]) == 56
    logs.put_log_events(logGroupName="g", logStreamName="s", sequenceToken="bogus",
                        logEvents=[{"timestamp": NOW_MS, "message": "b"}])
    assert len(logs.get_log_events(logGroupName="g", logStreamName="s")["events"]) == 2


def test_too_old_too_new_and_expired_events_are_rejected(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(0, "seed")])
    logs.put_retention_policy(logGroupName="g", retentionInDays=1)
    result = logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
        {"timestamp": NOW_MS - DAY - 1000, "message": "expired"},  # past the 1-day retention
        {"timestamp": NOW_MS - 1000, "message": "ok"},
    ])
    assert result["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    result = logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
        {"timestamp": NOW_MS + 2 * HOUR, "message": "just in time"},
        {"timestamp": NOW_MS + 2 * HOUR + 1, "message": "too new"},
    ])
    assert result["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    logs.delete_retention_policy(logGroupName="g")
    result = logs.put_log_events(logGroupName="g", logStreamName="s", logEvents=[
        {"timestamp": NOW_MS - 15 * DAY, "message": "too old"},
        {"timestamp": NOW_MS - 14 * DAY - 1, "message": "too old too"},
    ])
    assert result["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 2}
    messages = [e["message"] for e in logs.get_log_events(logGroupName="g", logStreamName="s")["events"]]
    assert messages == ["ok", "seed", "just in time"]


def test_retention_hides_events_as_the_clock_moves(logs: Any, put: Callable[..., Any], frozen: Clock) -> None:
    put("g", "s", [(-HOUR, "old"), (0, "new")])
    logs.put_retention_policy(logGroupName="g", retentionInDays=1)
    read = lambda: [e["message"] for e in logs.filter_log_events(logGroupName="g")["events"]]  # noqa: E731
    assert read() == ["old", "new"]
    frozen.advance(DAY / 1000 - 1800)  # 23.5 hours on: "old" is 24.5 hours old
    assert read() == ["new"]
    assert [e["message"] for e in logs.get_log_events(logGroupName="g", logStreamName="s")["events"]] == ["new"]
    frozen.advance(3600)
    assert read() == []


def test_get_log_events_tokens(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(i, f"m{i}") for i in range(5)])
    get = lambda **kw: logs.get_log_events(logGroupName="g", logStreamName="s", limit=2, **kw)  # noqa: E731
    tail = get()  # from the end by default
    assert [e["message"] for e in tail["events"]] == ["m3", "m4"]
    assert tail["nextForwardToken"].startswith("f/") and tail["nextBackwardToken"].startswith("b/")
    back = get(nextToken=tail["nextBackwardToken"])
    assert [e["message"] for e in back["events"]] == ["m1", "m2"]
    back = get(nextToken=back["nextBackwardToken"])
    assert [e["message"] for e in back["events"]] == ["m0"]
    start = get(nextToken=back["nextBackwardToken"])
    assert start["events"] == [] and start["nextBackwardToken"] == back["nextBackwardToken"]
    head = get(startFromHead=True)
    assert [e["message"] for e in head["events"]] == ["m0", "m1"]
    page = get(nextToken=head["nextForwardToken"])
    assert [e["message"] for e in page["events"]] == ["m2", "m3"]
    page = get(nextToken=page["nextForwardToken"])
    end = get(nextToken=page["nextForwardToken"])
    assert end["events"] == [] and end["nextForwardToken"] == page["nextForwardToken"]  # the end: same token
    put("g", "s", [(9, "later")])
    assert [e["message"] for e in get(nextToken=end["nextForwardToken"])["events"]] == ["later"]
    assert error_of(get, nextToken="garbage")[0] == "InvalidParameterException"


def test_get_log_events_time_range(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(0, "a"), (10, "b"), (20, "c")])
    events = logs.get_log_events(logGroupName="g", logStreamName="s", startTime=NOW_MS + 10,
                                 endTime=NOW_MS + 20)["events"]
    assert [e["message"] for e in events] == ["b"]


def test_log_group_fields(logs: Any, put: Callable[..., Any]) -> None:
    put("g", "s", [(-1000, '{"level": "INFO", "req": {"id": 7}}'), (0, "plain")])
    found = {f["name"]: f["percent"] for f in logs.get_log_group_fields(logGroupName="g")["logGroupFields"]}
    assert found["@message"] == 100 and found["level"] == 50 and found["req.id"] == 50


def test_get_log_events_returns_at_most_a_megabyte(logs: Any, put: Callable[..., Any]) -> None:
    big = "x" * 300_000
    for i in range(4):
        put("g", "s", [(i, big)])
    head = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)
    assert len(head["events"]) == 3
    rest = logs.get_log_events(logGroupName="g", logStreamName="s", nextToken=head["nextForwardToken"])
    assert [e["timestamp"] for e in rest["events"]] == [NOW_MS + 3]
    assert len(logs.get_log_events(logGroupName="g", logStreamName="s")["events"]) == 3


def test_parallel_writers_to_one_stream(logs: Any, put: Callable[..., Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    put("g", "s", [(0, "first")])

    def write(worker: int) -> None:
        for i in range(20):
            logs.put_log_events(logGroupName="g", logStreamName="s",
                                logEvents=[{"timestamp": NOW_MS + 1 + i, "message": f"w{worker}-{i}"}])

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(4)))
    events = logs.get_log_events(logGroupName="g", logStreamName="s", startFromHead=True)["events"]
    assert len(events) == 81
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)


def test_filter_log_events_pages_at_a_megabyte(logs: Any, put: Callable[..., Any]) -> None:
    for i in range(4):
        put("g", "s", [(i, "x" * 300_000)])
    first = logs.filter_log_events(logGroupName="g")
    assert len(first["events"]) == 3
    rest = logs.filter_log_events(logGroupName="g", nextToken=first["nextToken"])
    assert [e["timestamp"] for e in rest["events"]] == [NOW_MS + 3] and "nextToken" not in rest


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(-5_000, 5_000), min_size=0, max_size=30),
       start=st.none() | st.integers(-6_000, 6_000), end=st.none() | st.integers(-6_000, 6_000),
       limit=st.integers(1, 7), from_head=st.booleans(), forward=st.booleans())
def test_get_log_events_pages_equal_a_filter_over_every_event(logs: Any, put: Callable[..., Any], offsets: list[int],
                                                              start: int | None, end: int | None, limit: int,
                                                              from_head: bool, forward: bool) -> None:
    """A page is found by bisection in the stream's time-ordered events: the same pages as taking
    every event in [startTime, endTime), oldest first, and cutting after (or before) the token."""
    stream = f"s{next(_streams)}"
    messages = [f"m{i}" for i in range(len(offsets))]
    order = sorted(range(len(offsets)), key=lambda i: offsets[i])  # PutLogEvents wants them in order
    if offsets:
        put("paged", stream, [(offsets[i], messages[i]) for i in order])
    window = [messages[i] for i in order
              if (start is None or offsets[i] >= start) and (end is None or offsets[i] < end)]
    kwargs: dict[str, Any] = {"logGroupName": "paged", "logStreamName": stream, "limit": limit,
                              "startFromHead": from_head}
    if start is not None:
        kwargs["startTime"] = NOW_MS + start
    if end is not None:
        kwargs["endTime"] = NOW_MS + end
    first = logs.get_log_events(**kwargs) if offsets else None
    if first is None:
        return
    got = [e["message"] for e in first["events"]]
    assert got == (window[:limit] if from_head else window[-limit:])
    # walk to the end in one direction from the first page: every event of the window, once, in order
    seen, page = list(got), first
    for _ in range(len(window) + 2):
        token = page["nextForwardToken" if forward else "nextBackwardToken"]
        page = logs.get_log_events(**{**kwargs, "nextToken": token})
        batch = [e["message"] for e in page["events"]]
        if not batch:
            break
        assert len(batch) <= limit
        seen = seen + batch if forward else batch + seen
    start_at = window.index(seen[0]) if seen else 0
    assert seen == window[start_at:] if forward else seen == window[:len(seen)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(st.sampled_from("abc"), st.integers(-3_000, 3_000), st.booleans()), max_size=30),
       start=st.none() | st.integers(-4_000, 4_000), end=st.none() | st.integers(-4_000, 4_000),
       limit=st.integers(1, 6), filtered=st.booleans())
def test_filter_log_events_pages_equal_a_filter_over_every_event(logs: Any, put: Callable[..., Any],
                                                                 writes: list[tuple[str, int, bool]], start: int | None,
                                                                 end: int | None, limit: int, filtered: bool) -> None:
    """FilterLogEvents merges each stream's time window (found by bisection) in time order: the
    same pages as filtering every event of every stream, sorted, cut after the token's event."""
    group = f"filtered{next(_streams)}"
    stamped = sorted(enumerate(writes), key=lambda w: w[1][1])  # one batch per event, oldest first
    for i, (stream, offset, tagged) in stamped:
        put(group, stream, [(offset, f"{'ERROR' if tagged else 'ok'} {i}")])
    expected = [f"{'ERROR' if tagged else 'ok'} {i}" for i, (_, offset, tagged) in stamped
                if (start is None or offset >= start) and (end is None or offset <= end) and (tagged or not filtered)]
    if not writes:
        return
    kwargs: dict[str, Any] = {"logGroupName": group, "limit": limit}
    if filtered:
        kwargs["filterPattern"] = "ERROR"
    if start is not None:
        kwargs["startTime"] = NOW_MS + start
    if end is not None:
        kwargs["endTime"] = NOW_MS + end
    seen: list[str] = []
    for _ in range(len(writes) + 1):
        page = logs.filter_log_events(**kwargs)
        assert len(page["events"]) <= limit
        seen += [e["message"] for e in page["events"]]
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    assert seen == expected
