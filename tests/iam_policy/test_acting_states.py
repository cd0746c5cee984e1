"""Step Functions executions act as the state machine's role: a task the role may not call
fails with the error Step Functions reports, and a role that does not trust the service is
refused at CreateStateMachine."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.services.lambda_ import lambda_zip
from tests.services.iam.enforce_helpers import ACCOUNT, document, mode_fixture

enforce = mode_fixture("enforce")
audit = mode_fixture("audit")
TRUST_STATES = document({"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                         "Action": "sts:AssumeRole"})
ROLE = f"arn:aws:iam::{ACCOUNT}:role/sfn"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:done"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:work"


def _machine(principals, states: dict, trust: str = TRUST_STATES, **policies: str) -> str:
    iam = principals.root("iam")
    iam.create_role(RoleName="sfn", AssumeRolePolicyDocument=trust)
    for name, text in policies.items():
        iam.put_role_policy(RoleName="sfn", PolicyName=name, PolicyDocument=text)
    definition = {"StartAt": next(iter(states)), "States": states}
    return principals.root("stepfunctions").create_state_machine(
        name="flow", roleArn=ROLE, definition=json.dumps(definition))["stateMachineArn"]


def _run(principals, machine: str) -> tuple[dict, list[dict]]:
    sfn = principals.root("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    principals.gateway.settle()
    return sfn.describe_execution(executionArn=arn), sfn.get_execution_history(executionArn=arn)["events"]


SEND = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": f"http://localhost/{ACCOUNT}/done", "MessageBody": "ok"}, "End": True}
INVOKE = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": FUNCTION},
          "Next": "Send"}


def _function(principals) -> None:
    iam, lam = principals.root("iam"), principals.root("lambda")
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))["Role"]
    lam.create_function(FunctionName="work", Runtime="python3.12", Role=role["Arn"], Handler="lambda_function.h",
                        Code={"ZipFile": lambda_zip("def h(event, context):\n    return 1\n")})


def test_a_task_the_role_may_not_call_fails_with_the_error_step_functions_reports(enforce):
    enforce.root("sqs").create_queue(QueueName="done")
    _function(enforce)
    machine = _machine(enforce, {"Invoke": INVOKE, "Send": SEND}, send=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE}))
    described, events = _run(enforce, machine)
    assert described["status"] == "FAILED"
    failed = next(e for e in events if e["type"] == "TaskFailed")["taskFailedEventDetails"]
    assert failed["error"] == "Lambda.AWSLambdaException"
    assert failed["cause"].startswith(
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/sfn/flow is not authorized to perform: lambda:InvokeFunction on "
        f"resource: {FUNCTION} because no identity-based policy allows the lambda:InvokeFunction action (Service: "
        "AWSLambda; Status Code: 403; Error Code: AccessDeniedException; Request ID: ")
    [denial] = [d for d in enforce.gateway.iam.denials() if d.enforced]
    assert (denial.principal, denial.action, denial.resource) == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/sfn/flow", "lambda:InvokeFunction", FUNCTION)


def test_a_task_the_role_may_call_succeeds_and_one_it_may_not_fails_as_an_sdk_error(enforce):
    sqs = enforce.root("sqs")
    url = sqs.create_queue(QueueName="done")["QueueUrl"]
    purge = {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sqs:purgeQueue",
             "Parameters": {"QueueUrl": url}, "End": True}
    machine = _machine(enforce, {"Send": {**SEND, "End": False, "Next": "Purge"}, "Purge": purge}, send=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE}))
    described, events = _run(enforce, machine)
    assert described["status"] == "FAILED"
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "ok"
    failed = next(e for e in events if e["type"] == "TaskFailed")["taskFailedEventDetails"]
    assert failed["error"] == "Sqs.AccessDeniedException"
    assert "sqs:PurgeQueue on resource: " + QUEUE in failed["cause"]


@pytest.mark.parametrize("service", ["lambda.amazonaws.com", "states.eu-west-1.amazonaws.com.evil"])
def test_a_role_that_does_not_trust_step_functions_is_refused_at_create(enforce, service):
    trust = document({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})
    with pytest.raises(ClientError) as info:
        _machine(enforce, {"Send": SEND}, trust=trust)
    error = info.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "AccessDeniedException", "Neither the global service principal states.amazonaws.com, nor the regional one "
        "is authorized to assume the provided role.")
    enforce.root("iam").update_assume_role_policy(RoleName="sfn", PolicyDocument=TRUST_STATES)
    definition = json.dumps({"StartAt": "Send", "States": {"Send": SEND}})
    assert enforce.root("stepfunctions").create_state_machine(name="flow", roleArn=ROLE, definition=definition)


def test_the_regional_principal_is_trusted_too_and_a_missing_role_is_refused(enforce):
    trust = document({"Effect": "Allow", "Principal": {"Service": "states.us-east-1.amazonaws.com"},
                      "Action": "sts:AssumeRole"})
    assert _machine(enforce, {"Send": SEND}, trust=trust).endswith(":stateMachine:flow")
    with pytest.raises(ClientError, match="Neither the global service principal"):
        enforce.root("stepfunctions").create_state_machine(
            name="other", roleArn=f"arn:aws:iam::{ACCOUNT}:role/missing",
            definition=json.dumps({"StartAt": "Send", "States": {"Send": SEND}}))


def test_audit_gives_the_role_the_policy_its_executions_need_and_enforce_then_passes(audit):
    sqs = audit.root("sqs")
    url = sqs.create_queue(QueueName="done")["QueueUrl"]
    machine = _machine(audit, {"Send": SEND})
    described, _ = _run(audit, machine)
    assert described["status"] == "SUCCEEDED"
    iam = audit.gateway.iam
    assert [(d.action, d.enforced) for d in iam.denials()] == [("sqs:SendMessage", False)]
    policy = iam.policy_for(ROLE)
    assert policy["Statement"] == [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE}]
    audit.root("iam").put_role_policy(RoleName="sfn", PolicyName="least", PolicyDocument=json.dumps(policy))
    iam.set_mode("enforce")
    described, _ = _run(audit, machine)
    assert described["status"] == "SUCCEEDED"
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == 2
    assert [d for d in iam.denials() if d.enforced] == []
