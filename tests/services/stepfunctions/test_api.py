"""The Step Functions API: state machines, definitions and their diagnostics, versions,
aliases, tags, executions (start, sync, stop, list, history, redrive), map runs, TestState
and every operation of the model."""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from .conftest import ROLE, history, output

PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "World", "End": True}}}


def test_history_of_a_simple_machine_matches_aws(sfn, aws, machine):
    arn = machine(PASS)
    execution = sfn.start_execution(stateMachineArn=arn, input='{"a": 1}')["executionArn"]
    aws.settle()
    events = history(sfn, execution)
    shape = [(e["id"], e["previousEventId"], e["type"]) for e in events]
    assert shape == [(1, 0, "ExecutionStarted"), (2, 0, "PassStateEntered"), (3, 2, "PassStateExited"),
                     (4, 3, "ExecutionSucceeded")]
    assert events[0]["executionStartedEventDetails"] == {"input": '{"a": 1}', "inputDetails": {"truncated": False},
                                                         "roleArn": ROLE}
    assert events[1]["stateEnteredEventDetails"] == {"name": "Hello", "input": '{"a":1}',
                                                     "inputDetails": {"truncated": False}}
    assert events[2]["stateExitedEventDetails"]["output"] == '"World"'
    assert events[3]["executionSucceededEventDetails"]["output"] == '"World"'
    reverse = sfn.get_execution_history(executionArn=execution, reverseOrder=True, maxResults=3)
    assert [e["id"] for e in reverse["events"]] == [4, 3, 2]
    rest = sfn.get_execution_history(executionArn=execution, reverseOrder=True, maxResults=3,
                                     nextToken=reverse["nextToken"])
    assert [e["id"] for e in rest["events"]] == [1] and "nextToken" not in rest
    bare = sfn.get_execution_history(executionArn=execution, includeExecutionData=False)["events"]
    assert "input" not in bare[1]["stateEnteredEventDetails"]


def test_task_history_sequence(sfn, aws, machine, intercept):
    intercept("stepfunctions", "InvokeTask", before=lambda ctx: {"ok": True})
    arn = machine({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                    "Parameters": {"FunctionName": "f"}, "End": True}}})
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    aws.settle()
    events = history(sfn, execution)
    assert [(e["id"], e["previousEventId"], e["type"]) for e in events] == [
        (1, 0, "ExecutionStarted"), (2, 0, "TaskStateEntered"), (3, 2, "TaskScheduled"), (4, 3, "TaskStarted"),
        (5, 4, "TaskSucceeded"), (6, 5, "TaskStateExited"), (7, 6, "ExecutionSucceeded")]
    scheduled = events[2]["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"], scheduled["region"]) == ("lambda", "invoke",
                                                                                        "us-east-1")
    assert json.loads(scheduled["parameters"]) == {"FunctionName": "f"}


@pytest.mark.parametrize(("definition", "code"), [
    ("not json", "INVALID_JSON_DESCRIPTION"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}, "MISSING_TRANSITION_TARGET"),
    ({"StartAt": "A", "States": {"A": {"Type": "Bogus", "End": True}}}, "SCHEMA_VALIDATION_FAILED"),
    ({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "nope", "End": True}}}, "INVALID_RESOURCE"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}, "SCHEMA_VALIDATION_FAILED"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}},
     "MISSING_END_STATE"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "States.Nope()"}, "End": True}}},
     "SCHEMA_VALIDATION_FAILED"),
    ({"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "A"}]}}},
     "SCHEMA_VALIDATION_FAILED"),
    ({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$", "End": True}}},
     "SCHEMA_VALIDATION_FAILED"),
    ({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}]}}}, "DUPLICATE_STATE_NAME"),
])
def test_invalid_definitions(sfn, definition, code):
    text = definition if isinstance(definition, str) else json.dumps(definition)
    found = sfn.validate_state_machine_definition(definition=text)
    assert found["result"] == "FAIL" and found["diagnostics"][0]["code"] == code
    with pytest.raises(sfn.exceptions.InvalidDefinition) as raised:
        sfn.create_state_machine(name="bad", definition=text, roleArn=ROLE)
    assert raised.value.response["Error"]["Message"].startswith(f"Invalid State Machine Definition: '{code}")
    valid = sfn.validate_state_machine_definition(definition=json.dumps(PASS))
    assert (valid["result"], valid["diagnostics"]) == ("OK", [])


def test_state_machine_lifecycle_and_errors(sfn, machine):
    arn = machine(PASS, name="life", tags=[{"key": "team", "value": "a"}])
    assert machine(PASS, name="life", tags=[{"key": "team", "value": "a"}]) == arn  # same config: idempotent
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        machine({**PASS, "Comment": "different"}, name="life")
    with pytest.raises(sfn.exceptions.InvalidName):
        machine(PASS, name="has space")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.create_state_machine(name="r", definition=json.dumps(PASS), roleArn="not-an-arn")
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert (described["name"], described["type"], described["status"]) == ("life", "STANDARD", "ACTIVE")
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps({**PASS, "Comment": "v2"}))
    assert updated["revisionId"] != described["revisionId"]
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=arn)
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "test"}])
    sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "test"}]
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert names == ["life"]
    sfn.delete_state_machine(stateMachineArn=arn)
    missing = arn.replace("life", "gone")
    assert error_of(sfn.describe_state_machine, stateMachineArn=missing) == (
        "StateMachineDoesNotExist", f"State Machine Does Not Exist: '{missing}'")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine(stateMachineArn="arn:aws:sqs:us-east-1:123456789012:q")


def test_list_state_machines_pages(sfn, machine):
    for i in range(5):
        machine(PASS, name=f"p{i}")
    first = sfn.list_state_machines(maxResults=2)
    assert len(first["stateMachines"]) == 2
    names = [m["name"] for page in sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2})
             for m in page["stateMachines"]]
    assert names == [f"p{i}" for i in range(5)]
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="garbage")


def test_execution_names_are_unique(sfn, aws, machine, frozen):
    arn = machine({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
    first = sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 1}')
    again = sfn.start_execution(stateMachineArn=arn, name="once", input='{"a": 1}')  # running, same input
    assert again["executionArn"] == first["executionArn"]
    assert error_of(sfn.start_execution, stateMachineArn=arn, name="once", input='{"a": 2}') == (
        "ExecutionAlreadyExists", f"Execution Already Exists: '{first['executionArn']}'")
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=arn, input="{not json")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=arn + "x")


def test_stop_list_and_redrive(sfn, aws, machine, frozen):
    arn = machine({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "Done"},
                                              "Done": {"Type": "Pass", "End": True}}})
    stopped = sfn.start_execution(stateMachineArn=arn, name="s1")["executionArn"]
    running = sfn.start_execution(stateMachineArn=arn, name="s2")["executionArn"]
    aws.settle()
    sfn.stop_execution(executionArn=stopped, error="Op.Cancelled", cause="by test")
    aws.settle()
    described = sfn.describe_execution(executionArn=stopped)
    assert (described["status"], described["error"], described["redriveStatus"]) == ("ABORTED", "Op.Cancelled",
                                                                                      "REDRIVABLE")
    assert history(sfn, stopped)[-1]["type"] == "ExecutionAborted"
    listed = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
    assert [e["executionArn"] for e in listed] == [running]
    assert len(sfn.list_executions(stateMachineArn=arn)["executions"]) == 2
    sfn.redrive_execution(executionArn=stopped)
    aws.settle()  # the redriven execution has entered its Wait
    frozen.advance(10)
    aws.settle()
    redriven = sfn.describe_execution(executionArn=stopped)
    assert (redriven["status"], redriven["redriveCount"]) == ("SUCCEEDED", 1)
    events = history(sfn, stopped)
    redriven_at = next(e for e in events if e["type"] == "ExecutionRedriven")
    assert events[redriven_at["id"]]["previousEventId"] == redriven_at["id"]  # the restart follows it
    assert events[redriven_at["id"]]["stateEnteredEventDetails"]["name"] == "W"
    with pytest.raises(sfn.exceptions.ExecutionNotRedrivable):
        sfn.redrive_execution(executionArn=stopped)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=stopped + "x")
    definition = sfn.describe_state_machine_for_execution(executionArn=running)
    assert json.loads(definition["definition"])["StartAt"] == "W"


def test_express_sync_execution(sfn, machine):
    arn = machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "$.n"}, "End": True}}},
                  type="EXPRESS")
    result = sfn.start_sync_execution(stateMachineArn=arn, input='{"n": 3}')
    assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"v": 3}
    assert result["billingDetails"]["billedDurationInMilliseconds"] >= 100
    bare = sfn.start_sync_execution(stateMachineArn=arn, input='{"n": 3}', includedData="METADATA_ONLY")
    assert "output" not in bare and "input" not in bare and bare["status"] == "SUCCEEDED"
    failing = machine({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}},
                      type="EXPRESS")
    result = sfn.start_sync_execution(stateMachineArn=failing)
    assert (result["status"], result["error"], result["cause"]) == ("FAILED", "E", "C")
    standard = machine(PASS)
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=standard)
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.list_executions(stateMachineArn=arn)


def test_versions_and_aliases(sfn, aws, machine):
    arn = machine(PASS, name="ver")
    v1 = sfn.publish_state_machine_version(stateMachineArn=arn, description="first")["stateMachineVersionArn"]
    assert v1 == f"{arn}:1"
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == v1  # no change
    v2 = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(
        {"StartAt": "H", "States": {"H": {"Type": "Pass", "Result": "two", "End": True}}}),
        publish=True)["stateMachineVersionArn"]
    assert v2 == f"{arn}:2"
    assert [v["stateMachineVersionArn"] for v in sfn.list_state_machine_versions(stateMachineArn=arn)[
        "stateMachineVersions"]] == [v2, v1]
    assert sfn.describe_state_machine(stateMachineArn=v1)["description"] == "first"
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=f"{arn}:9")
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
    assert alias == f"{arn}:live"
    execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    aws.settle()
    described = sfn.describe_execution(executionArn=execution)
    assert output(described) == "World" and described["stateMachineAliasArn"] == alias
    assert described["stateMachineVersionArn"] == v1
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[
        {"stateMachineVersionArn": v2, "weight": 100}])
    execution = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    aws.settle()
    assert output(sfn.describe_execution(executionArn=execution)) == "two"
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.create_state_machine_alias(name="bad", routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 60}, {"stateMachineVersionArn": v2, "weight": 30}])
    with pytest.raises(sfn.exceptions.ConflictException):
        sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    assert [a["stateMachineAliasArn"] for a in sfn.list_state_machine_aliases(stateMachineArn=arn)[
        "stateMachineAliases"]] == [alias]
    assert sfn.describe_state_machine_alias(stateMachineAliasArn=alias)["routingConfiguration"][0]["weight"] == 100
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)


def test_test_state(sfn):
    passed = sfn.test_state(definition=json.dumps({"Type": "Pass", "Parameters": {"v.$": "$.a"}, "Next": "X"}),
                            roleArn=ROLE, input='{"a": 2}')
    assert (passed["status"], json.loads(passed["output"]), passed["nextState"]) == ("SUCCEEDED", {"v": 2}, "X")
    failed = sfn.test_state(definition=json.dumps({"Type": "Fail", "Error": "E"}), roleArn=ROLE)
    assert (failed["status"], failed["error"]) == ("FAILED", "E")


def test_activities_api(sfn):
    arn = sfn.create_activity(name="act", tags=[{"key": "k", "value": "v"}])["activityArn"]
    assert sfn.describe_activity(activityArn=arn)["name"] == "act"
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["act"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    sfn.delete_activity(activityArn=arn)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=arn)


@pytest.mark.parametrize("seed", [18, 81])
def test_every_operation_answers(sfn, seed):
    assert call_every_operation(sfn, seed=seed, rounds=2) == []


def test_validation_warnings_and_express_restrictions(sfn):
    definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x": "$.y"},
                                                              "End": True}}})
    warned = sfn.validate_state_machine_definition(definition=definition, severity="WARNING")
    assert warned["result"] == "OK"
    assert [(d["severity"], d["code"], d["location"]) for d in warned["diagnostics"]] == [
        ("WARNING", "NO_DOLLAR", "/States/P/Parameters/x")]
    assert sfn.validate_state_machine_definition(definition=definition)["diagnostics"] == []
    waiting = json.dumps({"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}}})
    assert sfn.validate_state_machine_definition(definition=waiting, type="EXPRESS")["result"] == "FAIL"
    assert sfn.validate_state_machine_definition(definition=waiting, type="STANDARD")["result"] == "OK"
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(name="x", definition=waiting, roleArn=ROLE, type="EXPRESS")


def test_test_state_mock_retriable_caught_and_inspection(sfn):
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f",
                                                                                           "n.$": "$.n"},
            "ResultSelector": {"v.$": "$.Payload"}, "ResultPath": "$.out", "Next": "After",
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handler"}]}
    ok = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, input='{"n": 1}', inspectionLevel="DEBUG",
                        mock={"result": '{"Payload": 42}'})
    assert (ok["status"], json.loads(ok["output"]), ok["nextState"]) == ("SUCCEEDED", {"n": 1, "out": {"v": 42}},
                                                                         "After")
    assert json.loads(ok["inspectionData"]["afterParameters"]) == {"FunctionName": "f", "n": 1}
    assert json.loads(ok["inspectionData"]["afterResultSelector"]) == {"v": 42}
    throttled = {"errorOutput": {"error": "Lambda.TooManyRequestsException", "cause": "slow down"}}
    retriable = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, input='{"n": 1}', mock=throttled)
    assert retriable["status"] == "RETRIABLE"
    exhausted = sfn.test_state(definition=json.dumps(task), roleArn=ROLE, input='{"n": 1}', mock=throttled,
                               stateConfiguration={"retrierRetryCount": 2})
    assert (exhausted["status"], exhausted["nextState"]) == ("CAUGHT_ERROR", "Handler")
    assert json.loads(exhausted["output"])["err"] == {"Error": "Lambda.TooManyRequestsException",
                                                      "Cause": "slow down"}
    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True},
                                          "C": {"Type": "Choice", "Default": "A", "Choices": [
                                              {"Variable": "$.x", "NumericEquals": 1, "Next": "A"}]}}}
    chosen = sfn.test_state(definition=json.dumps(machine), stateName="C", roleArn=ROLE, input='{"x": 1}')
    assert (chosen["status"], chosen["nextState"]) == ("SUCCEEDED", "A")
    with pytest.raises(sfn.exceptions.ValidationException):
        sfn.test_state(definition=json.dumps(machine), stateName="Nope", roleArn=ROLE)


def test_fuzzed_calls_never_crash():
    """Valid-shaped random calls straight into the service (no gateway): results or AWS errors only."""
    from pytest_cloudmock.services.stepfunctions import StepFunctionsService

    from ..service_fuzz import fuzz

    service = StepFunctionsService()
    service.long_poll_real = 0.0
    assert fuzz(service, rounds=30, seed=18) == []
