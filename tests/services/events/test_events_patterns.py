"""The event pattern language, table-driven (AWS's "Event patterns" and "Content filtering"
examples first): the matcher, `TestEventPattern` and delivery through rules all agree."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.patterns import PatternError, matches, parse

from ..aws_errors import error_of

# (pattern, event fields, matches?)
ROWS: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    # exact values, types distinct
    ({"detail": {"state": ["running"]}}, {"detail": {"state": "running"}}, True),
    ({"detail": {"state": ["running"]}}, {"detail": {"state": "Running"}}, False),
    ({"detail": {"n": [5]}}, {"detail": {"n": 5.0}}, True),
    ({"detail": {"n": [5]}}, {"detail": {"n": "5"}}, False),
    ({"detail": {"ok": [True]}}, {"detail": {"ok": True}}, True),
    ({"detail": {"ok": [True]}}, {"detail": {"ok": "true"}}, False),
    # null and empty values (AWS docs)
    ({"detail": {"responseElements": [None]}}, {"detail": {"responseElements": None}}, True),
    ({"detail": {"responseElements": [None]}}, {"detail": {}}, False),
    ({"detail": {"eventVersion": [""]}}, {"detail": {"eventVersion": ""}}, True),
    ({"detail": {"eventVersion": [""]}}, {"detail": {"eventVersion": "1"}}, False),
    ({"detail": {"eventVersion": [""]}}, {"detail": {"eventVersion": None}}, False),  # not interchangeable
    ({"detail": {"responseElements": [None]}}, {"detail": {"responseElements": ""}}, False),
    # arrays: any element
    ({"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]},
     {"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f", "arn:aws:ec2:x"]}, True),
    ({"detail": {"tags": ["b", "z"]}}, {"detail": {"tags": ["a", "b"]}}, True),
    ({"detail": {"tags": ["z"]}}, {"detail": {"tags": ["a", "b"]}}, False),
    ({"detail": {"items": {"sku": ["x"]}}}, {"detail": {"items": [{"sku": "y"}, {"sku": "x"}]}}, True),
    # nested objects
    ({"detail": {"a": {"b": {"c": ["d"]}}}}, {"detail": {"a": {"b": {"c": "d"}}}}, True),
    ({"detail": {"a": {"b": {"c": ["d"]}}}}, {"detail": {"a": {"b": "c"}}}, False),
    # prefix / suffix (and their ignore-case forms)
    ({"time": [{"prefix": "2017-10-02"}]}, {"time": "2017-10-02T10:00:00Z"}, True),
    ({"time": [{"prefix": "2017-10-02"}]}, {"time": "2017-10-03T10:00:00Z"}, False),
    ({"detail": {"state": [{"prefix": {"equals-ignore-case": "OK"}}]}}, {"detail": {"state": "ok-fine"}}, True),
    ({"detail": {"FileName": [{"suffix": ".png"}]}}, {"detail": {"FileName": "photo.png"}}, True),
    ({"detail": {"FileName": [{"suffix": ".png"}]}}, {"detail": {"FileName": "photo.PNG"}}, False),
    ({"detail": {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]}}, {"detail": {"FileName": "a.PNG"}}, True),
    ({"detail": {"n": [{"prefix": "1"}]}}, {"detail": {"n": 12}}, False),
    # equals-ignore-case
    ({"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]},
     {"detail-type": "EC2 Instance State-change Notification"}, True),
    # anything-but: value, number, list, prefix, suffix, equals-ignore-case, wildcard
    ({"detail": {"state": [{"anything-but": "initializing"}]}}, {"detail": {"state": "running"}}, True),
    ({"detail": {"state": [{"anything-but": "initializing"}]}}, {"detail": {"state": "initializing"}}, False),
    ({"detail": {"state": [{"anything-but": "initializing"}]}}, {"detail": {}}, False),
    ({"detail": {"x-limit": [{"anything-but": 123}]}}, {"detail": {"x-limit": 456}}, True),
    ({"detail": {"x-limit": [{"anything-but": 123}]}}, {"detail": {"x-limit": 123}}, False),
    ({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}, {"detail": {"state": "stopped"}}, False),
    ({"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}}, {"detail": {"state": "ok"}}, True),
    ({"detail": {"x": [{"anything-but": [100, 200]}]}}, {"detail": {"x": 300}}, True),
    ({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}, {"detail": {"state": "initializing"}}, False),
    ({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}, {"detail": {"state": "running"}}, True),
    ({"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}}, {"detail": {"FileName": "a.txt"}}, False),
    ({"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}}, {"detail": {"FileName": "a.png"}}, True),
    ({"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}},
     {"detail": {"state": "STOPPED"}}, False),
    ({"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}]}},
     {"detail": {"state": "running"}}, True),
    ({"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}}, {"detail": {"FilePath": "/usr/lib/x"}},
     False),
    ({"detail": {"FilePath": [{"anything-but": {"wildcard": ["*/lib/*", "*.tmp"]}}]}},
     {"detail": {"FilePath": "/home/a.txt"}}, True),
    ({"detail": {"state": [{"anything-but": {"prefix": ["a", "b"]}}]}}, {"detail": {"state": "bee"}}, False),
    # numeric
    ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}, {"detail": {"c-count": 5}}, True),
    ({"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}}, {"detail": {"c-count": 0}}, False),
    ({"detail": {"d-count": [{"numeric": ["<", 10]}]}}, {"detail": {"d-count": 9.99}}, True),
    ({"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}]}}, {"detail": {"x-limit": 301.8}}, True),
    ({"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}]}}, {"detail": {"x-limit": "301.8"}}, False),
    ({"detail": {"n": [{"numeric": [">=", -1, "<", 1]}]}}, {"detail": {"n": -1}}, True),
    # exists
    ({"detail": {"state": [{"exists": True}]}}, {"detail": {"state": "x"}}, True),
    ({"detail": {"state": [{"exists": True}]}}, {"detail": {}}, False),
    ({"detail": {"state": [{"exists": False}]}}, {"detail": {}}, True),
    ({"detail": {"state": [{"exists": False}]}}, {"detail": {"state": "x"}}, False),
    ({"detail": {"state": [{"exists": True}]}}, {"detail": {"state": []}}, False),
    # cidr, IPv4 and IPv6
    ({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}, {"detail": {"sourceIPAddress": "10.0.0.255"}}, True),
    ({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}, {"detail": {"sourceIPAddress": "10.0.1.1"}}, False),
    ({"detail": {"sourceIPAddress": [{"cidr": "2001:db8::/64"}]}},
     {"detail": {"sourceIPAddress": "2001:db8::ff00:42:8329"}}, True),
    ({"detail": {"sourceIPAddress": [{"cidr": "2001:db8::/64"}]}}, {"detail": {"sourceIPAddress": "2001:db9::1"}},
     False),
    ({"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/24"}]}}, {"detail": {"sourceIPAddress": "not-an-ip"}}, False),
    # wildcard
    ({"detail": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}},
     {"detail": {"EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders"}}, True),
    ({"detail": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}},
     {"detail": {"EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/orders"}}, False),
    ({"detail": {"f": [{"wildcard": "dir/*.png"}]}}, {"detail": {"f": "dir/a/b.png"}}, True),
    ({"detail": {"f": [{"wildcard": "a\\*b"}]}}, {"detail": {"f": "a*b"}}, True),
    ({"detail": {"f": [{"wildcard": "a\\*b"}]}}, {"detail": {"f": "axb"}}, False),
    # several conditions on one key are ORed; keys are ANDed
    ({"detail": {"location": [{"prefix": "us-"}, "eu-west-1"]}}, {"detail": {"location": "eu-west-1"}}, True),
    ({"detail-type": ["order"], "detail": {"n": [1]}}, {"detail-type": "order", "detail": {"n": 2}}, False),
    # $or
    ({"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]},
                         {"x-limit": [{"numeric": ["<", 10]}]}]}}, {"detail": {"d-count": 3}}, True),
    ({"detail": {"$or": [{"c-count": [{"numeric": [">", 0, "<=", 5]}]}, {"d-count": [{"numeric": ["<", 10]}]}]}},
     {"detail": {"c-count": 9, "d-count": 30}}, False),
    ({"$or": [{"detail-type": ["a"]}, {"detail": {"x": ["y"]}}]}, {"detail-type": "b", "detail": {"x": "y"}}, True),
]

INVALID: list[tuple[str, str]] = [
    ('{"detail": ', "Event pattern is not valid JSON"),
    ("[]", "Event pattern must be a JSON object"),
    ('{"source": "aws.ec2"}', '"source" must be an object or an array'),
    ('{"a": [{"nope": 1}]}', "Unrecognized match type nope"),
    ('{"a": [{"numeric": ["<>", 1]}]}', "Unrecognized numeric range operator: <>"),
    ('{"a": [{"numeric": [">", 5, "<", 1]}]}', "Bottom must be less than top"),
    ('{"a": [{"numeric": ["<", "x"]}]}', "Value of < must be numeric"),
    ('{"a": [{"exists": "yes"}]}', "exists match pattern must be either true or false."),
    ('{"a": [{"prefix": 1}]}', "prefix match pattern must be a string"),
    ('{"a": [{"wildcard": "a**b"}]}', "Consecutive wildcard characters at pos 2"),
    ('{"a": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"),
    ('{"a": [{"anything-but": {"nope": "x"}}]}', "Unsupported anything-but pattern: nope"),
    ('{"a": [{"anything-but": [true]}]}', "Inside anything but list, start|null|boolean is not supported."),
    ('{"a": [{"prefix": "a", "suffix": "b"}]}', "Only one key allowed in match expression"),
    ('{"a": [[1]]}', "Match value must be String, number, true, false, or null"),
    ('{"$or": [{"a": [1]}]}', "Or relationship must have at least 2 elements that are objects"),
]

_TIME = "2026-01-05T10:00:00Z"


def envelope(fields: dict[str, Any], source: str = "tests") -> dict[str, Any]:
    event = {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": "t", "source": source,
             "account": "123456789012", "time": _TIME, "region": "us-east-1", "resources": [], "detail": {}}
    event.update(fields)
    return event


@pytest.mark.parametrize(("pattern", "fields", "expected"), ROWS)
def test_matcher(pattern, fields, expected):
    assert matches(parse(json.dumps(pattern)), envelope(fields)) is expected


def test_test_event_pattern_answers_every_row(events):
    wrong = []
    for pattern, fields, expected in ROWS:
        answer = events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(envelope(fields)))
        if answer["Result"] is not expected:
            wrong.append((pattern, fields))
    assert wrong == []


@pytest.mark.parametrize(("text", "reason"), INVALID)
def test_invalid_pattern_reasons(text, reason):
    with pytest.raises(PatternError) as info:
        parse(text)
    assert info.value.reason == reason


def test_invalid_patterns_are_refused_by_the_api(events):
    for text, reason in INVALID:
        code, message = error_of(events.test_event_pattern, EventPattern=text, Event=json.dumps(envelope({})))
        assert (code, message) == ("InvalidEventPatternException", f"Event pattern is not valid. Reason: {reason}")
        assert error_of(events.put_rule, Name="bad", EventPattern=text)[0] == "InvalidEventPatternException"


def test_delivery_agrees_with_test_event_pattern(events, queue, drain):
    """Every row as a rule and a PutEvents entry: exactly the rows that match are delivered."""
    url, arn = queue("agree")
    expected = set()
    for i, (pattern, fields, match) in enumerate(ROWS):
        if not set(fields) <= {"detail", "detail-type", "resources", "time"} or "$or" in pattern:
            continue
        events.put_rule(Name=f"row{i}", EventPattern=json.dumps({**pattern, "source": [f"row{i}"]}))
        events.put_targets(Rule=f"row{i}", Targets=[{"Id": "q", "Arn": arn, "Input": json.dumps({"row": i})}])
        entry = {"Source": f"row{i}", "DetailType": fields.get("detail-type", "t"),
                 "Detail": json.dumps(fields.get("detail", {})), "Resources": fields.get("resources", [])}
        if "time" in fields:
            entry["Time"] = datetime.fromisoformat(fields["time"].replace("Z", "+00:00")).astimezone(timezone.utc)
        assert events.put_events(Entries=[entry])["FailedEntryCount"] == 0
        if match:
            expected.add(i)
    assert {body["row"] for body in drain(url)} == expected


def test_test_event_pattern_needs_an_event(events):
    code, _ = error_of(events.test_event_pattern, EventPattern='{"source": ["a"]}', Event="not json")
    assert code == "ValidationException"
    code, _ = error_of(events.test_event_pattern, EventPattern='{"source": ["a"]}', Event='{"source": "a"}')
    assert code == "ValidationException"


_leaf = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.booleans(), st.none())


@settings(max_examples=150, deadline=None)
@given(value=_leaf, other=_leaf)
def test_exact_and_anything_but_are_complements(value, other):
    """For a present scalar, `[v]` and `[{"anything-but": v}]` never agree (strings and numbers)."""
    if value is None or isinstance(value, bool):
        return
    event = {"k": other}
    exact = matches(parse(json.dumps({"k": [value]})), event)
    negated = matches(parse(json.dumps({"k": [{"anything-but": value}]})), event)
    assert exact != negated
