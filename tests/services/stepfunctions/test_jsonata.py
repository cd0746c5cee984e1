"""The JSONata query language: `Arguments`, `Output`, `Assign` and variables, `Condition`,
`Items`, expressions in Wait and Fail, and `$states.errorOutput` in a Catch."""

from __future__ import annotations

import pytest

from .conftest import output


def test_jsonata_machine_with_variables_tasks_and_choice(run, intercept):
    intercept("stepfunctions", "InvokeTask",
              before=lambda ctx: {"Payload": {"charged": ctx.params["Input"]["Payload"]["total"] * 2}})
    definition = {"QueryLanguage": "JSONata", "StartAt": "Prep", "States": {
        "Prep": {"Type": "Pass", "Assign": {"total": "{% $sum($states.input.items.price) %}",
                                            "who": "{% $states.input.customer %}"},
                 "Output": {"count": "{% $count($states.input.items) %}"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Condition": "{% $total > 10 %}", "Assign": {"size": "big"}, "Next": "Charge"}],
            "Default": "Small"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Arguments": {"FunctionName": "charge", "Payload": {"total": "{% $total %}"}},
                   "Output": {"charged": "{% $states.result.Payload.charged %}", "size": "{% $size %}",
                              "count": "{% $states.input.count %}",
                              "greeting": "{% 'Hello ' & $uppercase($who) %}"},
                   "End": True},
        "Small": {"Type": "Succeed", "Output": {"size": "small"}}}}
    got = output(run(definition, {"customer": "ana", "items": [{"price": 5}, {"price": 7}]}))
    assert got == {"charged": 24, "size": "big", "count": 2, "greeting": "Hello ANA"}
    assert output(run(definition, {"customer": "bo", "items": [{"price": 1}]})) == {"size": "small"}


def test_jsonata_map_items_and_item_selector(run):
    definition = {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% $states.input.nums %}", "End": True,
        "ItemSelector": {"n": "{% $states.context.Map.Item.Value %}",
                         "i": "{% $states.context.Map.Item.Index %}"},
        "ItemProcessor": {"StartAt": "Sq", "States": {
            "Sq": {"Type": "Pass", "Output": "{% $states.input.n * $states.input.n + $states.input.i %}",
                   "End": True}}},
        "Output": "{% $sum($states.result) %}"}}}
    assert output(run(definition, {"nums": [1, 2, 3]})) == 1 + 5 + 11


def test_jsonata_wait_fail_and_catch_error_output(run):
    definition = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% 0 %}", "Next": "P"},
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {
            "F": {"Type": "Fail", "Error": "{% 'Err.' & $states.input.kind %}", "Cause": "{% 'bad ' & 1 %}"}}}],
              "Catch": [{"ErrorEquals": ["Err.Input"], "Next": "Handled",
                         "Output": {"caught": "{% $states.errorOutput.Error %}",
                                    "cause": "{% $states.errorOutput.Cause %}"}}],
              "End": True},
        "Handled": {"Type": "Pass", "End": True}}}
    assert output(run(definition, {"kind": "Input"})) == {"caught": "Err.Input", "cause": "bad 1"}


def test_jsonata_evaluation_error_fails_the_execution(run, sfn):
    definition = {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": "{% 'not a boolean' %}", "Next": "D"}], "Default": "D"},
        "D": {"Type": "Succeed"}}}
    described = run(definition)
    assert described["status"] == "FAILED" and described["error"] == "States.QueryEvaluationError"
    events = sfn.get_execution_history(executionArn=described["executionArn"])["events"]
    assert [e["type"] for e in events][-2:] == ["EvaluationFailed", "ExecutionFailed"]
    assert events[-2]["evaluationFailedEventDetails"]["state"] == "C"


@pytest.mark.parametrize("field", ["Parameters", "ResultPath", "OutputPath"])
def test_jsonpath_fields_are_invalid_in_jsonata(sfn, field):
    import json
    definition = {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", field: "$",
                                                                             "End": True}}}
    got = sfn.validate_state_machine_definition(definition=json.dumps(definition))
    assert got["result"] == "FAIL" and got["diagnostics"][0]["location"] == f"/States/P/{field}"


def test_step_functions_jsonata_functions(run):
    definition = {"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": {"Type": "Pass", "End": True, "Output": {
        "partition": "{% $partition([1, 2, 3, 4, 5], 2) %}", "range": "{% $range(0, 10, 5) %}",
        "hash": "{% $hash('input data', 'SHA-1') %}", "parse": "{% $parse('[1, {}]') %}",
        "uuid": "{% $length($uuid()) %}", "random": "{% $random() < 1 %}"}}}}
    assert output(run(definition)) == {"partition": [[1, 2], [3, 4], [5]], "range": [0, 5, 10],
                                       "hash": "aaff4a450a104cd177d28d18d74485e8cae074b7", "parse": [1, {}],
                                       "uuid": 36, "random": True}
