"""Every state type, the JSONPath data flow, the context object and intrinsic functions,
run as real executions through boto3."""

from __future__ import annotations

import json

from .conftest import output


def one(state: dict, **extra) -> dict:
    return {"StartAt": "S", "States": {"S": {**state, **extra}}}


def test_pass_result_result_path_and_output_path(run):
    d = run(one({"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "OutputPath": "$.r", "End": True}),
            {"a": 1})
    assert output(d) == {"x": 1}


def test_parameters_with_paths_context_and_intrinsics(run):
    params = {
        "plain": "v", "fromInput.$": "$.who", "name.$": "$$.Execution.Name", "state.$": "$$.State.Name",
        "greeting.$": "States.Format('Hello, {}! You are {}.', $.who, $.age)",
        "nested": {"deep.$": "$.list[1]"},
        "all.$": "$.list[*]", "sum.$": "States.MathAdd($.age, 10)",
    }
    d = run(one({"Type": "Pass", "Parameters": params, "End": True}), {"who": "Ana", "age": 30, "list": [1, 2, 3]},
            name="ex1")
    assert output(d) == {"plain": "v", "fromInput": "Ana", "name": "ex1", "state": "S",
                         "greeting": "Hello, Ana! You are 30.", "nested": {"deep": 2}, "all": [1, 2, 3], "sum": 40}


def test_input_path_result_selector_and_null_paths(run):
    machine = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "InputPath": "$.inner", "Next": "B"},
        "B": {"Type": "Pass", "ResultPath": None, "Next": "C"},
        "C": {"Type": "Pass", "OutputPath": None, "End": True}}}
    assert output(run(machine, {"inner": {"k": 1}})) == {}


INTRINSIC_CASES = [
    ("States.StringToJson($.s)", {"a": 1}),
    ("States.JsonToString($.o)", '{"b":2}'),
    ("States.Array(1, 'two', $.o)", [1, "two", {"b": 2}]),
    ("States.ArrayPartition($.nums, 2)", [[1, 2], [3, 4], [5]]),
    ("States.ArrayContains($.nums, 3)", True),
    ("States.ArrayRange(1, 9, 2)", [1, 3, 5, 7, 9]),
    ("States.ArrayGetItem($.nums, 1)", 2),
    ("States.ArrayLength($.nums)", 5),
    ("States.ArrayUnique($.dups)", [1, 2, 3]),
    ("States.Base64Encode('Data to encode')", "RGF0YSB0byBlbmNvZGU="),
    ("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "Data to encode"),
    ("States.Hash('input data', 'SHA-1')", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
    ("States.JsonMerge($.o, $.p, false)", {"b": 2, "c": 3}),
    ("States.MathAdd(111, -1)", 110),
    ("States.StringSplit('This.is+a,test=string', '.+,=')", ["This", "is", "a", "test", "string"]),
    ("States.Format('{} \\\\{literal\\\\}', 'x')", "x {literal}"),
    ("States.ArrayLength(States.Array(1, 2))", 2),
]


def test_intrinsic_functions(run):
    """Every case in one execution: a Pass state whose Parameters call each function."""
    data = {"s": '{"a":1}', "o": {"b": 2}, "p": {"c": 3}, "nums": [1, 2, 3, 4, 5], "dups": [1, 2, 2, 3, 1]}
    params = {f"v{i}.$": expression for i, (expression, _) in enumerate(INTRINSIC_CASES)}
    got = output(run(one({"Type": "Pass", "Parameters": params, "End": True}), data))
    for i, (expression, expected) in enumerate(INTRINSIC_CASES):
        assert got[f"v{i}"] == expected, expression


def test_math_random_and_uuid(run):
    d = run(one({"Type": "Pass", "Parameters": {"r.$": "States.MathRandom(1, 5)", "u.$": "States.UUID()"},
                 "End": True}))
    got = output(d)
    assert 1 <= got["r"] < 5 and len(got["u"]) == 36


def test_intrinsic_failure_fails_the_execution(run):
    d = run(one({"Type": "Pass", "Parameters": {"v.$": "States.ArrayGetItem($.a, 5)"}, "End": True}), {"a": [1]})
    assert d["status"] == "FAILED" and d["error"] == "States.IntrinsicFailure"


def test_missing_path_is_states_runtime(run):
    d = run(one({"Type": "Pass", "InputPath": "$.nope", "End": True}), {"a": 1})
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime"
    assert "$.nope" in d["cause"]


CHOICE_CASES = [
    ({"Variable": "$.s", "StringEquals": "abc"}, True),
    ({"Variable": "$.s", "StringEqualsPath": "$.s2"}, True),
    ({"Variable": "$.s", "StringLessThan": "abd"}, True),
    ({"Variable": "$.s", "StringGreaterThan": "abb"}, True),
    ({"Variable": "$.s", "StringLessThanEquals": "abc"}, True),
    ({"Variable": "$.s", "StringGreaterThanEqualsPath": "$.s2"}, True),
    ({"Variable": "$.s", "StringMatches": "a*c"}, True),
    ({"Variable": "$.star", "StringMatches": "log\\*"}, True),
    ({"Variable": "$.n", "NumericEquals": 5}, True),
    ({"Variable": "$.n", "NumericLessThan": 5}, False),
    ({"Variable": "$.n", "NumericGreaterThanPath": "$.small"}, True),
    ({"Variable": "$.n", "NumericLessThanEqualsPath": "$.n"}, True),
    ({"Variable": "$.n", "NumericGreaterThanEquals": 5.0}, True),
    ({"Variable": "$.b", "BooleanEquals": True}, True),
    ({"Variable": "$.b", "BooleanEqualsPath": "$.b"}, True),
    ({"Variable": "$.t", "TimestampEquals": "2026-01-01T00:00:00Z"}, True),
    ({"Variable": "$.t", "TimestampLessThan": "2026-01-02T00:00:00Z"}, True),
    ({"Variable": "$.t", "TimestampGreaterThanPath": "$.t0"}, True),
    ({"Variable": "$.t", "TimestampLessThanEqualsPath": "$.t"}, True),
    ({"Variable": "$.t", "TimestampGreaterThanEquals": "2026-01-01T00:00:00+00:00"}, True),
    ({"Variable": "$.nothing", "IsNull": True}, True),
    ({"Variable": "$.missing", "IsPresent": False}, True),
    ({"Variable": "$.n", "IsNumeric": True}, True),
    ({"Variable": "$.s", "IsString": True}, True),
    ({"Variable": "$.b", "IsBoolean": True}, True),
    ({"Variable": "$.t", "IsTimestamp": True}, True),
    ({"Variable": "$.s", "IsTimestamp": True}, False),
    ({"Variable": "$.n", "StringEquals": "5"}, False),  # wrong type: no match, no error
    ({"And": [{"Variable": "$.n", "NumericEquals": 5}, {"Variable": "$.b", "BooleanEquals": True}]}, True),
    ({"Or": [{"Variable": "$.n", "NumericEquals": 4}, {"Variable": "$.s", "StringEquals": "abc"}]}, True),
    ({"Not": {"Variable": "$.n", "NumericEquals": 5}}, False),
]


def test_choice_operators(run):
    """Every case in one execution: a Parallel state with one Choice branch per case."""
    branches = [{"StartAt": f"C{i}", "States": {  # state names are unique in the whole machine
        f"C{i}": {"Type": "Choice", "Choices": [{**rule, "Next": f"Yes{i}"}], "Default": f"No{i}"},
        f"Yes{i}": {"Type": "Pass", "Result": True, "End": True},
        f"No{i}": {"Type": "Pass", "Result": False, "End": True}}} for i, (rule, _) in enumerate(CHOICE_CASES)]
    data = {"s": "abc", "s2": "abc", "star": "log*", "n": 5, "small": 1, "b": True, "nothing": None,
            "t": "2026-01-01T00:00:00Z", "t0": "2025-12-31T00:00:00Z"}
    got = output(run(one({"Type": "Parallel", "Branches": branches, "End": True}), data))
    assert [(rule, matched) for (rule, _), matched in zip(CHOICE_CASES, got, strict=True)] == CHOICE_CASES


def test_choice_without_match_or_default_fails(run):
    machine = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
        "E": {"Type": "Succeed"}}}
    d = run(machine, {"n": 2})
    assert d["status"] == "FAILED" and d["error"] == "States.NoChoiceMatched"


def test_succeed_and_fail_states(run):
    assert output(run(one({"Type": "Succeed", "OutputPath": "$.a"}), {"a": 7})) == 7
    d = run(one({"Type": "Fail", "Error": "Custom.Error", "Cause": "it broke"}))
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Custom.Error", "it broke")
    d = run(one({"Type": "Fail", "ErrorPath": "$.e", "CausePath": "States.Format('code {}', $.c)"}),
            {"e": "Dyn.Error", "c": 42})
    assert (d["error"], d["cause"]) == ("Dyn.Error", "code 42")


def test_parallel_collects_branch_outputs_in_order(run):
    machine = one({"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"v.$": "$.x"}, "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": True}}},
    ], "ResultSelector": {"first.$": "$[0].v", "second.$": "$[1]"}})
    assert output(run(machine, {"x": 1})) == {"first": 1, "second": "b"}


def test_parallel_branch_failure_fails_the_state_and_catch_takes_it(run):
    machine = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "Done", "Branches": [
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "c"}}},
            {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}}],
            "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "Done"}]},
        "Done": {"Type": "Pass", "End": True}}}
    assert output(run(machine, {"k": 1})) == {"k": 1, "err": {"Error": "Boom", "Cause": "c"}}


def test_inline_map_with_item_selector_and_context(run):
    machine = one({"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": True,
                   "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index",
                                    "tag.$": "$.tag"},
                   "ItemProcessor": {"StartAt": "Double", "States": {
                       "Double": {"Type": "Pass", "Parameters": {"d.$": "States.MathAdd($.value, $.value)",
                                                                  "i.$": "$.index", "t.$": "$.tag"}, "End": True}}}})
    got = output(run(machine, {"items": [1, 2, 3], "tag": "x"}))
    assert got == [{"d": 2, "i": 0, "t": "x"}, {"d": 4, "i": 1, "t": "x"}, {"d": 6, "i": 2, "t": "x"}]


def test_map_over_a_thousand_items(run, sfn):
    machine = one({"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($, 1)"}, "End": True}}}})
    d = run(machine, list(range(1000)))
    got = output(d)
    assert len(got) == 1000 and got[0] == {"n": 1} and got[-1] == {"n": 1000}


def test_map_iteration_failure_fails_the_map(run):
    machine = one({"Type": "Map", "End": True, "ItemProcessor": {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 3, "Next": "Bad"}], "Default": "Ok"},
        "Bad": {"Type": "Fail", "Error": "Three"},
        "Ok": {"Type": "Succeed"}}}})
    d = run(machine, [1, 2, 3, 4])
    assert d["status"] == "FAILED" and d["error"] == "Three"


def test_variables_assigned_in_jsonpath_mode(run):
    machine = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"saved.$": "$.x"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"got.$": "$saved"}, "End": True}}}
    assert output(run(machine, {"x": 9})) == {"got": 9}


def test_execution_context_object_fields(run):
    d = run(one({"Type": "Pass", "Parameters": {"ctx.$": "$$"}, "End": True}), {"q": 1}, name="ctx-run")
    ctx = output(d)["ctx"]
    assert ctx["Execution"]["Name"] == "ctx-run" and ctx["Execution"]["Input"] == {"q": 1}
    assert ctx["StateMachine"]["Id"] == d["stateMachineArn"] and ctx["State"]["Name"] == "S"
    assert ctx["State"]["RetryCount"] == 0 and json.loads(d["input"]) == {"q": 1}


def test_output_over_256_kb_is_data_limit_exceeded_and_not_caught(run):
    machine = {"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "End": True, "Branches": [{"StartAt": "Big", "States": {"Big": {
            "Type": "Pass", "Parameters": {"s.$": "$.s", "again.$": "$.s"}, "End": True}}}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
        "Caught": {"Type": "Succeed"}}}
    d = run(machine, {"s": "x" * 200_000})
    assert d["status"] == "FAILED" and d["error"] == "States.DataLimitExceeded"


def test_fail_error_path_must_name_a_string(run):
    d = run(one({"Type": "Fail", "ErrorPath": "$.code"}), {"code": 5})
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime"


def test_an_endless_loop_stops_at_the_history_limit(run):
    machine = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": True, "Next": "End"}], "Default": "A"},
        "End": {"Type": "Succeed"}}}
    d = run(machine, settle_timeout=30)  # 25,000 history events: seconds on a loaded 2-core machine
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime" and "25000" in d["cause"]
