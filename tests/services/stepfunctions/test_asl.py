"""The language pieces on their own: JSONPath reading and writing, `StringMatches`,
intrinsic function parsing and rules, error matching (property-based where inputs are many)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.stepfunctions.asl import intrinsics, paths
from pytest_cloudmock.services.stepfunctions.asl.choice import string_matches
from pytest_cloudmock.services.stepfunctions.asl.errors import StatesError, matches

KEYS = st.sampled_from(["a", "b", "c", "_"])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.sampled_from(["", "x"]),
                    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(KEYS, inner, max_size=2), max_leaves=5)
FEW = settings(max_examples=60, deadline=None)


@FEW
@given(st.dictionaries(KEYS, JSON, max_size=3), st.lists(KEYS, min_size=1, max_size=3), JSON)
def test_result_path_then_select_gives_the_result_back(data, keys, value):
    path = "$." + ".".join(keys)
    node, blocked = data, False
    for key in keys[:-1]:  # a step through an existing non-object value cannot be written
        if not isinstance(node, dict) or (key in node and not isinstance(node[key], dict)):
            blocked = True
            break
        node = node.get(key, {})
    if blocked or not isinstance(node, dict):
        with pytest.raises(StatesError):
            paths.put(path, data, value)
        return
    placed = paths.put(path, data, value)
    assert paths.select(path, placed) == value
    if keys[0] not in data:
        assert {k: v for k, v in placed.items() if k != keys[0]} == data  # the rest is untouched


@FEW
@given(st.dictionaries(KEYS, JSON, max_size=3), JSON)
def test_result_path_dollar_replaces_and_null_discards(data, value):
    assert paths.put("$", data, value) == value
    assert paths.put(None, data, value) == data


def test_jsonpath_forms():
    data = {"store": {"book": [{"t": "a", "p": 8}, {"t": "b", "p": 12}, {"t": "c", "p": 5}]}, "k-1": 1}
    assert paths.select("$.store.book[0].t", data) == "a"
    assert paths.select("$['store']['book'][-1].t", data) == "c"
    assert paths.select("$.store.book[*].t", data) == ["a", "b", "c"]
    assert paths.select("$.store.book[0:2].p", data) == [8, 12]
    assert paths.select("$.store.book[0,2].t", data) == ["a", "c"]
    assert paths.select("$..p", data) == [8, 12, 5]
    assert paths.select("$.store.book[?(@.p < 10)].t", data) == ["a", "c"]
    assert paths.select("$.store.book[?(@.t == 'b')].p", data) == [12]
    assert paths.select("$.k-1", data) == 1
    assert paths.select("$.missing[*]", data) == []
    with pytest.raises(StatesError) as raised:
        paths.select("$.store.nope", data)
    assert raised.value.error == "States.Runtime"


@given(st.text(alphabet="ab*\\", max_size=6), st.text(alphabet="ab*", max_size=6))
def test_string_matches_agrees_with_a_regex_reading(pattern, value):
    regex, i = "", 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            regex += re.escape(pattern[i + 1])
            i += 2
            continue
        regex += ".*" if pattern[i] == "*" else re.escape(pattern[i])
        i += 1
    assert string_matches(value, pattern) == (re.fullmatch(regex, value, re.DOTALL) is not None)


@given(st.lists(st.integers(), max_size=20), st.integers(min_value=1, max_value=7))
def test_array_partition_keeps_every_item_in_order(items, size):
    parts = intrinsics.evaluate("States.ArrayPartition($.a, $.n)", {"a": items, "n": size}, {})
    assert [x for part in parts for x in part] == items
    assert all(len(p) == size for p in parts[:-1]) and all(0 < len(p) <= size for p in parts)


@pytest.mark.parametrize("text", [
    "States.Nope()", "States.Format('a'", "States.Array(1,, 2)", "Format('x')", "States.Array(1) extra",
])
def test_bad_intrinsic_syntax(text):
    with pytest.raises(ValueError):
        intrinsics.parse(text)


@pytest.mark.parametrize(("text", "data"), [
    ("States.ArrayRange(1, 2000, 1)", {}),
    ("States.ArrayRange(1, 5, 0)", {}),
    ("States.JsonMerge($.a, $.a, true)", {"a": {}}),
    ("States.MathAdd(1.5, 1)", {}),
    ("States.Hash('x', 'SHA-3')", {}),
    ("States.Format('{} {}', 'one')", {}),
    ("States.StringToJson('{bad')", {}),
    ("States.Base64Decode('***')", {}),
    ("States.UUID(1)", {}),
])
def test_intrinsic_argument_rules(text, data):
    with pytest.raises(StatesError) as raised:
        intrinsics.evaluate(text, data, {})
    assert raised.value.error == "States.IntrinsicFailure"


@pytest.mark.parametrize(("names", "error", "matched"), [
    (["States.ALL"], "Anything", True),
    (["States.ALL"], "States.Runtime", False),
    (["States.TaskFailed"], "Lambda.ServiceException", True),
    (["States.TaskFailed"], "States.Timeout", False),
    (["States.Timeout"], "States.Timeout", True),
    (["A", "B"], "B", True),
    (["A"], "a", False),
])
def test_error_matching(names, error, matched):
    assert matches(names, error) is matched


FIELD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.sampled_from(["A", "B", "$.x", "States.Array(1)",
                                                                                       "{% 1 + %}", "arn:aws:states:::x:y"]),
                         st.lists(st.sampled_from(["A", {"Next": "A"}, {"ErrorEquals": ["States.ALL"]}, 1]), max_size=2),
                         st.dictionaries(st.sampled_from(["x", "x.$", "Next", "Variable"]), st.sampled_from(["$", "A", 1]),
                                         max_size=2))
STATE = st.fixed_dictionaries({"Type": st.sampled_from(["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel",
                                                        "Map", "Nope", 3])},
                              optional={k: FIELD_VALUES for k in ("Next", "End", "Choices", "Default", "Resource", "Seconds",
                                                                  "Branches", "ItemProcessor", "Retry", "Catch",
                                                                  "Parameters", "InputPath", "Output", "MaxConcurrency",
                                                                  "TimeoutSeconds", "Error", "ErrorPath", "QueryLanguage")})
MACHINE = st.fixed_dictionaries({"StartAt": st.sampled_from(["A", "B", 1, None]),
                                 "States": st.dictionaries(st.sampled_from(["A", "B", ""]), STATE, max_size=3)},
                                optional={"QueryLanguage": st.sampled_from(["JSONata", "JSONPath", "x"]),
                                          "TimeoutSeconds": FIELD_VALUES})


@settings(max_examples=100, deadline=None)
@given(MACHINE)
def test_any_definition_gets_diagnostics_never_an_exception(doc):
    import json

    from pytest_cloudmock.services.stepfunctions.asl.definition import load

    _, diagnostics = load(json.dumps(doc))
    assert all(d.code and d.severity in ("ERROR", "WARNING") for d in diagnostics)
