"""Task integrations through the registry: Lambda, SQS, SNS, DynamoDB, EventBridge, nested
Step Functions, AWS SDK integrations, `.waitForTaskToken`, activities, and stubbed task
answers through the interception API."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.api import AWSError

from .conftest import history, output

FAILING = """
class OrderError(Exception):
    pass

def handler(event, context):
    raise OrderError("no stock for " + event["item"])
"""


def one(state: dict) -> dict:
    return {"StartAt": "T", "States": {"T": {"Type": "Task", "End": True, **state}}}


def test_lambda_invoke_optimized_and_bare_arn(run, sfn, make_function):
    arn = make_function("echo")["FunctionArn"]
    d = run(one({"Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": "echo", "Payload": {"x.$": "$.x"}},
                 "ResultSelector": {"event.$": "$.Payload.event", "status.$": "$.StatusCode"}}), {"x": 5})
    assert output(d) == {"event": {"x": 5}, "status": 200}
    d = run(one({"Resource": arn, "ResultPath": "$.result"}), {"y": 1})
    assert output(d)["result"]["event"] == {"y": 1}
    types = [e["type"] for e in history(sfn, d["executionArn"])]
    assert types[1:6] == ["TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                          "LambdaFunctionSucceeded", "TaskStateExited"]


def test_lambda_error_type_becomes_the_error_name(run, make_function):
    make_function("failing", FAILING)
    definition = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "failing", "Payload.$": "$"},
              "Catch": [{"ErrorEquals": ["OrderError"], "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}}
    got = output(run(definition, {"item": "apple"}))
    assert got["Error"] == "OrderError" and "no stock for apple" in got["Cause"]


def test_missing_function_is_a_lambda_prefixed_error(run):
    d = run(one({"Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "ghost"}}))
    assert d["status"] == "FAILED" and d["error"] == "Lambda.ResourceNotFoundException"


def test_sqs_sns_dynamodb_and_eventbridge(run, client):
    sqs, ddb = client("sqs"), client("dynamodb")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    topic = client("sns").create_topic(Name="t")["TopicArn"]
    ddb.create_table(TableName="T", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    definition = {"StartAt": "Send", "States": {
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.sqs",
                 "Parameters": {"QueueUrl": url, "MessageBody": {"order.$": "$.order"}}, "Next": "Publish"},
        "Publish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "ResultPath": "$.sns",
                    "Parameters": {"TopicArn": topic, "Message.$": "$.order"}, "Next": "Put"},
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": None,
                "Parameters": {"TableName": "T", "Item": {"id": {"S.$": "$.order"}, "n": {"N": "1"}}}, "Next": "Update"},
        "Update": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "ResultPath": None,
                   "Parameters": {"TableName": "T", "Key": {"id": {"S.$": "$.order"}},
                                  "UpdateExpression": "SET n = n + :one",
                                  "ExpressionAttributeValues": {":one": {"N": "1"}}}, "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "ResultPath": "$.item",
                "Parameters": {"TableName": "T", "Key": {"id": {"S.$": "$.order"}}}, "Next": "Delete"},
        "Delete": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem", "ResultPath": None,
                   "Parameters": {"TableName": "T", "Key": {"id": {"S.$": "$.order"}}}, "Next": "Emit"},
        "Emit": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "ResultPath": "$.events",
                 "Parameters": {"Entries": [{"Source": "shop", "DetailType": "Ordered",
                                             "Detail": {"order.$": "$.order"}}]}, "End": True}}}
    got = output(run(definition, {"order": "o-1"}))
    assert "MessageId" in got["sqs"] and "MessageId" in got["sns"]
    assert got["item"]["Item"] == {"id": {"S": "o-1"}, "n": {"N": "2"}}
    assert got["events"]["FailedEntryCount"] == 0
    body = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert body == {"order": "o-1"}
    assert "Item" not in ddb.get_item(TableName="T", Key={"id": {"S": "o-1"}})


def test_dynamodb_error_names(run, client):
    client("dynamodb").create_table(TableName="T", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                    BillingMode="PAY_PER_REQUEST")
    d = run(one({"Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {
        "TableName": "T", "Item": {"id": {"S": "a"}}, "ConditionExpression": "attribute_exists(id)"}}))
    assert d["error"] == "DynamoDB.ConditionalCheckFailedException"


def test_aws_sdk_integration_and_its_error_names(run, client):
    client("s3").create_bucket(Bucket="sfn-bucket")
    definition = {"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject", "ResultPath": None,
                "Parameters": {"Bucket": "sfn-bucket", "Key": "k", "Body.$": "$.text"}, "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                "Parameters": {"Bucket": "sfn-bucket", "Key": "k"}, "ResultSelector": {"body.$": "$.Body"}, "Next": "Missing"},
        "Missing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters": {"Bucket": "sfn-bucket", "Key": "nope"},
                    "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.err", "Next": "Done"}],
                    "End": True},
        "Done": {"Type": "Pass", "End": True}}}
    got = output(run(definition, {"text": "hello"}))
    assert got["body"] == "hello" and got["err"]["Error"] == "S3.NoSuchKeyException"
    assert client("s3").get_object(Bucket="sfn-bucket", Key="k")["Body"].read() == b"hello"
    d = run(one({"Resource": "arn:aws:states:::aws-sdk:sqs:listQueues", "Parameters": {}}))
    assert d["status"] == "SUCCEEDED"


def test_wait_for_task_token_completed_by_the_test(sfn, aws, machine, client):
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="work")["QueueUrl"]
    arn = machine(one({"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": url, "MessageBody": {"token.$": "$$.Task.Token", "job.$": "$.job"}}}))
    execution = sfn.start_execution(stateMachineArn=arn, input='{"job": 7}')["executionArn"]
    aws.settle()
    message = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert message["job"] == 7
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=message["token"], output='{"done": true}')
    aws.settle()
    assert output(sfn.describe_execution(executionArn=execution)) == {"done": True}
    types = [e["type"] for e in history(sfn, execution)]
    assert types == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted",
                     "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=message["token"], output="{}")


def test_task_failure_and_token_errors(sfn, aws, machine, client):
    url = client("sqs").create_queue(QueueName="w2")["QueueUrl"]
    arn = machine(one({"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"}}))
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    aws.settle()
    token = client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"]
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken=token, output="not json")
    sfn.send_task_failure(taskToken=token, error="Worker.Failed", cause="bad input")
    aws.settle()
    described = sfn.describe_execution(executionArn=execution)
    assert (described["status"], described["error"], described["cause"]) == ("FAILED", "Worker.Failed", "bad input")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.send_task_heartbeat(taskToken="garbage")
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_success(taskToken="AQ" + "x" * 100, output="{}")


def test_activity_worker_round_trip(sfn, aws, machine):
    activity = sfn.create_activity(name="worker")["activityArn"]
    assert sfn.create_activity(name="worker")["activityArn"] == activity  # idempotent
    arn = machine(one({"Resource": activity, "Parameters": {"n.$": "$.n"}, "TimeoutSeconds": 300}))
    execution = sfn.start_execution(stateMachineArn=arn, input='{"n": 3}')["executionArn"]
    aws.settle()
    task = sfn.get_activity_task(activityArn=activity, workerName="w1")
    assert json.loads(task["input"]) == {"n": 3}
    sfn.send_task_success(taskToken=task["taskToken"], output='{"n": 4}')
    aws.settle()
    assert output(sfn.describe_execution(executionArn=execution)) == {"n": 4}
    events = history(sfn, execution)
    assert [e["type"] for e in events][2:5] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded"]
    assert events[3]["activityStartedEventDetails"] == {"workerName": "w1"}
    assert [e["previousEventId"] for e in events[2:5]] == [2, 3, 4]
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.get_activity_task(activityArn=activity + "x")


def test_nested_executions_plain_sync_and_sync2(run, machine):
    child = machine({"StartAt": "C", "States": {"C": {"Type": "Pass", "Parameters": {"doubled.$":
                                                                                      "States.MathAdd($.n, $.n)"},
                                                      "End": True}}}, name="child")
    definition = {"StartAt": "Plain", "States": {
        "Plain": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "ResultPath": "$.plain",
                  "Parameters": {"StateMachineArn": child, "Input": {"n": 1}}, "Next": "Sync"},
        "Sync": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "ResultPath": "$.sync",
                 "Parameters": {"StateMachineArn": child, "Input": {"n": 2}}, "Next": "Sync2"},
        "Sync2": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                  "ResultPath": "$.sync2", "Parameters": {"StateMachineArn": child, "Input": {"n.$": "$.n"}},
                  "End": True}}}
    got = output(run(definition, {"n": 5}))
    assert got["plain"]["ExecutionArn"].startswith("arn:aws:states:")
    assert json.loads(got["sync"]["Output"]) == {"doubled": 4} and got["sync"]["Status"] == "SUCCEEDED"
    assert got["sync2"]["Output"] == {"doubled": 10}


def test_failed_child_fails_the_sync_task(run, machine):
    child = machine({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Child.Broke"}}}, name="bad")
    d = run(one({"Resource": "arn:aws:states:::states:startExecution.sync:2",
                 "Parameters": {"StateMachineArn": child}}))
    assert d["error"] == "States.TaskFailed" and json.loads(d["cause"])["Error"] == "Child.Broke"


def test_stub_a_task_by_state_name_or_resource(run, intercept):
    def stub(ctx):
        if ctx.params["StateName"] == "Charge":
            return {"charged": ctx.params["Input"]["amount"]}
        if ctx.params["Resource"] == "arn:aws:states:::sns:publish":
            raise AWSError("SNS.Unavailable", "stubbed outage")
        return None

    intercept("stepfunctions", "InvokeTask", before=stub)
    definition = {"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                   "Parameters": {"FunctionName": "not-deployed", "amount.$": "$.amount"}, "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "x"},
                   "Catch": [{"ErrorEquals": ["SNS.Unavailable"], "ResultPath": "$.notify", "Next": "Done"}],
                   "End": True},
        "Done": {"Type": "Pass", "End": True}}}
    got = output(run(definition, {"amount": 12}))
    assert got == {"charged": 12, "notify": {"Error": "SNS.Unavailable", "Cause": "stubbed outage"}}


def test_execution_status_changes_reach_eventbridge(sfn, aws, run, client):
    sqs, events = client("sqs"), client("events")
    url = sqs.create_queue(QueueName="status")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="sfn", EventPattern=json.dumps({"source": ["aws.states"],
                                                         "detail-type": ["Step Functions Execution Status Change"]}))
    events.put_targets(Rule="sfn", Targets=[{"Id": "q", "Arn": queue_arn}])
    d = run({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    aws.settle()
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    statuses = sorted(json.loads(m["Body"])["detail"]["status"] for m in messages)
    assert statuses == ["RUNNING", "SUCCEEDED"]
    assert all(json.loads(m["Body"])["detail"]["executionArn"] == d["executionArn"] for m in messages)


def test_tokens_of_a_stopped_execution_are_gone(sfn, aws, machine, client):
    url = client("sqs").create_queue(QueueName="w3")["QueueUrl"]
    arn = machine(one({"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": url, "MessageBody.$": "$$.Task.Token"}}))
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    aws.settle()
    token = client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"]
    sfn.stop_execution(executionArn=execution)
    aws.settle()
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")
    assert sfn.describe_execution(executionArn=execution)["status"] == "ABORTED"


def test_an_eventbridge_rule_starts_an_execution(sfn, aws, machine, client):
    arn = machine({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.detail", "End": True}}})
    events = client("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "sfn", "Arn": arn,
                                                "RoleArn": "arn:aws:iam::123456789012:role/events"}])
    events.put_events(Entries=[{"Source": "shop", "DetailType": "Ordered", "Detail": '{"order": 3}'}])
    aws.settle()
    aws.settle()
    executions = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert len(executions) == 1
    assert output(sfn.describe_execution(executionArn=executions[0]["executionArn"])) == {"order": 3}


def test_step_functions_local_mock_configuration(sfn, aws, machine, intercept, frozen):
    from pytest_cloudmock.services.stepfunctions.mocks import LocalMocks

    config = {
        "StateMachines": {"Orders": {"TestCases": {"RetryPath": {"Charge": "ChargeRetries", "Notify": "Sent"}}}},
        "MockedResponses": {
            "ChargeRetries": {"0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "busy"}},
                              "2": {"Return": {"StatusCode": 200, "Payload": {"charged": True}}}},
            "Sent": {"0": {"Return": {"MessageId": "m-1"}}}},
    }
    intercept("stepfunctions", "InvokeTask", before=LocalMocks(config, "RetryPath").before)
    definition = {"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "c"},
                   "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 3}],
                   "ResultSelector": {"charged.$": "$.Payload.charged"}, "ResultPath": "$.charge", "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "t"},
                   "ResultPath": "$.notify", "End": True}}}
    execution = sfn.start_execution(stateMachineArn=machine(definition, name="Orders"))["executionArn"]
    for seconds in (1, 2):  # the default backoff: 1 s, then 2 s
        aws.settle()
        frozen.advance(seconds)
    aws.settle()
    assert output(sfn.describe_execution(executionArn=execution)) == {"charge": {"charged": True},
                                                                      "notify": {"MessageId": "m-1"}}
