"""Waits, retries with backoff, timeouts and heartbeats run on the gateway clock: an
execution parks while it waits and resumes when the test moves the clock (no sleeping)."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.api import AWSError

from .conftest import history, output

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen_at():
    return "2026-03-01T12:00:00Z"


def start(sfn, aws, machine, definition, data=None):
    arn = machine(definition)
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(data or {}))["executionArn"]
    aws.settle()
    return execution


def status(sfn, aws, arn):
    aws.settle()
    return sfn.describe_execution(executionArn=arn)["status"]


@pytest.mark.parametrize("wait", [
    {"Seconds": 60},
    {"SecondsPath": "$.secs"},
    {"Timestamp": "2026-03-01T12:01:00Z"},
    {"TimestampPath": "$.when"},
])
def test_wait_parks_until_the_clock_passes_it(sfn, aws, machine, frozen, wait):
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", **wait, "Next": "Done"},
                                             "Done": {"Type": "Pass", "End": True}}}
    arn = start(sfn, aws, machine, definition, {"secs": 60, "when": "2026-03-01T12:01:00Z"})
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(59)
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(1)
    assert status(sfn, aws, arn) == "SUCCEEDED"
    types = [e["type"] for e in history(sfn, arn)]
    assert types == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
                     "PassStateExited", "ExecutionSucceeded"]


def test_wait_in_the_past_does_not_park(sfn, aws, machine):
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2020-01-01T00:00:00Z",
                                                   "End": True}}}
    assert status(sfn, aws, start(sfn, aws, machine, definition)) == "SUCCEEDED"


def test_retry_backs_off_on_the_clock_then_catch(sfn, aws, machine, frozen, intercept):
    calls = []

    def flaky(ctx):
        calls.append(ctx.params["StateName"])
        raise AWSError("Service.Flaky", "try again")

    intercept("stepfunctions", "InvokeTask", before=flaky)
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
              "Retry": [{"ErrorEquals": ["Service.Flaky"], "IntervalSeconds": 2, "BackoffRate": 3,
                         "MaxAttempts": 3, "MaxDelaySeconds": 10}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
              "End": True},
        "Handled": {"Type": "Pass", "End": True}}}
    arn = start(sfn, aws, machine, definition, {"k": 1})
    assert calls == ["T"]
    frozen.advance(1.9)
    assert status(sfn, aws, arn) == "RUNNING" and len(calls) == 1
    frozen.advance(0.1)  # first retry after 2 s
    aws.settle()
    assert len(calls) == 2
    frozen.advance(5.9)
    aws.settle()
    assert len(calls) == 2
    frozen.advance(0.1)  # second after 2 * 3 = 6 s
    aws.settle()
    assert len(calls) == 3
    frozen.advance(9.9)  # third after min(18, MaxDelaySeconds 10)
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(0.1)
    assert status(sfn, aws, arn) == "SUCCEEDED" and len(calls) == 4
    got = json.loads(sfn.describe_execution(executionArn=arn)["output"])
    assert got == {"k": 1, "error": {"Error": "Service.Flaky", "Cause": "try again"}}
    failed = [e for e in history(sfn, arn) if e["type"] == "TaskFailed"]
    assert len(failed) == 4 and failed[0]["taskFailedEventDetails"]["error"] == "Service.Flaky"


def test_retry_max_attempts_zero_and_task_failed_wildcard(sfn, aws, machine, intercept):
    intercept("stepfunctions", "InvokeTask",
                        before=lambda ctx: (_ for _ in ()).throw(AWSError("Any.Error", "x")))
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {},
              "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 0}], "End": True}}}
    arn = start(sfn, aws, machine, definition)
    described = sfn.describe_execution(executionArn=arn)
    assert (described["status"], described["error"]) == ("FAILED", "Any.Error")


def test_machine_timeout_times_the_execution_out(sfn, aws, machine, frozen):
    definition = {"TimeoutSeconds": 30, "StartAt": "W",
                  "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}
    arn = start(sfn, aws, machine, definition)
    frozen.advance(30)
    assert status(sfn, aws, arn) == "TIMED_OUT"
    assert history(sfn, arn)[-1]["type"] == "ExecutionTimedOut"


def test_task_token_times_out_on_the_clock(sfn, aws, machine, frozen, client):
    url = client("sqs").create_queue(QueueName="tok")["QueueUrl"]
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 100,
        "HeartbeatSeconds": 40, "Parameters": {"QueueUrl": url, "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": True}}}
    arn = start(sfn, aws, machine, definition)
    token = json.loads(client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"])["token"]
    frozen.advance(30)
    sfn.send_task_heartbeat(taskToken=token)
    frozen.advance(30)  # 60 s in: the heartbeat at 30 s keeps it alive
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(10)  # 40 s after the last heartbeat
    described = sfn.describe_execution(executionArn=(aws.settle(), arn)[1])
    assert (described["status"], described["error"]) == ("FAILED", "States.HeartbeatTimeout")
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")


def test_map_items_each_wait_concurrently(sfn, aws, machine, frozen):
    definition = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "MaxConcurrency": 0,
                                                   "ItemProcessor": {"StartAt": "W", "States": {
                                                       "W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}}}}
    arn = start(sfn, aws, machine, definition, [10, 20])
    frozen.advance(10)
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(10)
    assert status(sfn, aws, arn) == "SUCCEEDED"
    assert output(sfn.describe_execution(executionArn=arn)) == [10, 20]


def test_a_polling_loop_moves_one_wait_per_clock_step(sfn, aws, machine, frozen):
    definition = {"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 3, "Next": "Done"}],
                  "Default": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 10, "Next": "Count"},
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}
    arn = start(sfn, aws, machine, definition, {"n": 0})
    for _ in range(2):
        frozen.advance(10)
        assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(10)
    assert status(sfn, aws, arn) == "SUCCEEDED"
    assert output(sfn.describe_execution(executionArn=arn)) == {"n": 3}
    assert sum(e["type"] == "WaitStateEntered" for e in history(sfn, arn)) == 3


def test_one_long_clock_move_runs_the_whole_loop(sfn, aws, machine, frozen):
    definition = {"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThanEquals": 3, "Next": "Done"}],
                  "Default": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 10, "Next": "Count"},
        "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}}
    arn = start(sfn, aws, machine, definition, {"n": 0})
    frozen.advance(29)  # the third wait ends at 30 s
    assert status(sfn, aws, arn) == "RUNNING"
    frozen.advance(1)
    assert status(sfn, aws, arn) == "SUCCEEDED"


def test_a_wait_counts_from_the_start_even_if_the_clock_moves_first(sfn, aws, machine, frozen):
    arn = machine({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}})
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    frozen.advance(60)  # before the dispatcher may have run the execution at all
    assert status(sfn, aws, execution) == "SUCCEEDED"
