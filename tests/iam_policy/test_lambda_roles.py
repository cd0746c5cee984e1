"""Lambda and its execution role: the role's trust policy checked when a function is created,
reconfigured and run; Kinesis mappings reading as the role at run time; dead-letter queues and
destinations written as the principal AWS writes them as (the function's role for Lambda,
`events.amazonaws.com` with the queue policy for an EventBridge target's DLQ)."""

from __future__ import annotations

import json

from pytest_cloudmock.services.lambda_ import lambda_zip
from tests.services.iam.enforce_helpers import ACCOUNT, Principals, denied, document, mode_fixture

enforce = mode_fixture("enforce")
audit = mode_fixture("audit")
ROLE = f"arn:aws:iam::{ACCOUNT}:role/fn"
NOT_ASSUMABLE = ("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.",
                 400)
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18
FAILING = "def handler(event, context):\n    raise ValueError('boom')\n"


def _trusting(service: str) -> str:
    return document({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})


def _role(principals, trusted: str = "lambda.amazonaws.com", *statements: dict) -> str:
    iam = principals.root("iam")
    iam.create_role(RoleName="fn", AssumeRolePolicyDocument=_trusting(trusted))
    for i, statement in enumerate(statements):
        iam.put_role_policy(RoleName="fn", PolicyName=f"p{i}", PolicyDocument=document(statement))
    return ROLE


def _create(principals, role: str = ROLE, code: bytes = EMPTY_ZIP, **extra) -> dict:
    return principals.root("lambda").create_function(
        FunctionName="worker", Runtime="python3.12", Role=role, Handler="lambda_function.handler",
        Code={"ZipFile": code}, **extra)


# -- the trust policy ----------------------------------------------------------------------------------------
def test_create_function_refuses_a_role_lambda_may_not_assume(enforce):
    _role(enforce, "states.amazonaws.com")
    lam = enforce.root("lambda")
    assert denied(_create, principals=enforce) == NOT_ASSUMABLE
    assert denied(_create, principals=enforce, role=f"arn:aws:iam::{ACCOUNT}:role/missing") == NOT_ASSUMABLE
    assert lam.list_functions()["Functions"] == []
    assert [(d.principal, d.action, d.resource) for d in enforce.gateway.iam.denials()] == [
        ("lambda.amazonaws.com", "sts:AssumeRole", ROLE),
        ("lambda.amazonaws.com", "sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/missing")]
    enforce.root("iam").update_assume_role_policy(RoleName="fn", PolicyDocument=_trusting("lambda.amazonaws.com"))
    assert _create(enforce)["Role"] == ROLE


def test_update_function_configuration_refuses_such_a_role_and_keeps_the_old_one(enforce):
    _create(enforce, _role(enforce))
    iam, lam = enforce.root("iam"), enforce.root("lambda")
    iam.create_role(RoleName="other", AssumeRolePolicyDocument=_trusting("events.amazonaws.com"))
    other = f"arn:aws:iam::{ACCOUNT}:role/other"
    assert denied(lam.update_function_configuration, FunctionName="worker", Role=other) == NOT_ASSUMABLE
    assert lam.get_function_configuration(FunctionName="worker")["Role"] == ROLE
    # a change that does not name a role is not checked again
    assert lam.update_function_configuration(FunctionName="worker", Timeout=9)["Timeout"] == 9


def test_a_role_that_stops_trusting_lambda_fails_the_next_invoke(enforce):
    _create(enforce, _role(enforce), code=lambda_zip("def handler(event, context):\n    return 'ran'\n"))
    lam = enforce.root("lambda")
    assert json.loads(lam.invoke(FunctionName="worker")["Payload"].read()) == "ran"
    enforce.root("iam").update_assume_role_policy(RoleName="fn", PolicyDocument=_trusting("states.amazonaws.com"))
    assert denied(lam.invoke, FunctionName="worker") == NOT_ASSUMABLE


def test_audit_creates_the_function_and_records_the_trust_lambda_needs(audit):
    _role(audit, "states.amazonaws.com")
    assert _create(audit)["Role"] == ROLE
    assert ("lambda.amazonaws.com", "sts:AssumeRole", ROLE) in {
        (d.principal, d.action, d.resource) for d in audit.gateway.iam.denials()}


def test_with_iam_off_a_placeholder_role_is_accepted(aws):
    out = _create(Principals(aws), f"arn:aws:iam::{ACCOUNT}:role/placeholder")
    assert out["Role"] == f"arn:aws:iam::{ACCOUNT}:role/placeholder"


# -- Kinesis mappings read as the role ----------------------------------------------------------------------
KINESIS_READS = ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards"]


def test_a_kinesis_mapping_whose_role_loses_its_reads_is_turned_off(enforce):
    kinesis = enforce.root("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    stream = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    _create(enforce, _role(enforce, "lambda.amazonaws.com", {"Effect": "Allow", "Action": KINESIS_READS,
                                                             "Resource": stream}))
    lam = enforce.root("lambda")
    uuid = lam.create_event_source_mapping(FunctionName="worker", EventSourceArn=stream,
                                           StartingPosition="TRIM_HORIZON", Enabled=False)["UUID"]
    enforce.root("iam").delete_role_policy(RoleName="fn", PolicyName="p0")
    kinesis.put_record(StreamName="clicks", Data=b"{}", PartitionKey="k")
    lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    enforce.gateway.settle()
    mapping = lam.get_event_source_mapping(UUID=uuid)
    assert (mapping["State"], mapping["StateTransitionReason"]) == ("Disabled", "EVENT_SOURCE_AUTHZ_ERROR")
    assert enforce.gateway.registry.get("lambda").invocations("worker") == []
    denial = enforce.gateway.iam.denials()[-1]
    assert (denial.principal, denial.action, denial.resource) == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/fn/worker", "kinesis:GetRecords", stream)


# -- dead-letter queues and destinations --------------------------------------------------------------------
def _queues(principals, *names: str) -> dict[str, str]:
    sqs = principals.root("sqs")
    return {name: sqs.create_queue(QueueName=name)["QueueUrl"] for name in names}


def _bodies(principals, url: str) -> list[str]:
    principals.gateway.settle()
    got = principals.root("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [m["Body"] for m in got.get("Messages", [])]


def _queue_arn(name: str) -> str:
    return f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"


def test_lambda_writes_its_dlq_and_failure_destination_as_the_functions_role(enforce):
    urls = _queues(enforce, "dlq", "failures")
    role = _role(enforce, "lambda.amazonaws.com",
                 {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": _queue_arn("failures")})
    _create(enforce, role, code=lambda_zip(FAILING), DeadLetterConfig={"TargetArn": _queue_arn("dlq")})
    lam = enforce.root("lambda")
    lam.put_function_event_invoke_config(FunctionName="worker", MaximumRetryAttempts=0, DestinationConfig={
        "OnFailure": {"Destination": _queue_arn("failures")}})
    lam.invoke(FunctionName="worker", InvocationType="Event", Payload=b'{"n": 1}')
    [record] = _bodies(enforce, urls["failures"])
    assert json.loads(record)["requestPayload"] == {"n": 1}
    assert _bodies(enforce, urls["dlq"]) == []  # the role may not send there
    denial = enforce.gateway.iam.denials()[-1]
    assert (denial.principal, denial.action, denial.resource) == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/fn/worker", "sqs:SendMessage", _queue_arn("dlq"))
    enforce.root("iam").put_role_policy(RoleName="fn", PolicyName="dlq", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": _queue_arn("dlq")}))
    lam.invoke(FunctionName="worker", InvocationType="Event", Payload=b'{"n": 2}')
    assert _bodies(enforce, urls["dlq"]) == ['{"n": 2}']


def test_an_event_rules_dlq_is_written_as_events_only_when_its_policy_allows(enforce):
    urls = _queues(enforce, "target", "dlq")
    rule = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/orders"
    events = enforce.root("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": _queue_arn("target"),
                                               "DeadLetterConfig": {"Arn": _queue_arn("dlq")}}])
    entry = {"Source": "shop", "DetailType": "order", "Detail": "{}"}
    events.put_events(Entries=[entry])  # the target queue's policy does not allow events: to the DLQ
    assert _bodies(enforce, urls["dlq"]) == []
    [failed] = enforce.gateway.registry.get("events").failed_deliveries
    assert (failed["error"], failed["dead_letter_error"]) == ("AccessDenied", "AccessDenied")
    assert enforce.gateway.iam.denials()[-1].resource == _queue_arn("dlq")
    enforce.root("sqs").set_queue_attributes(QueueUrl=urls["dlq"], Attributes={"Policy": document(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
         "Resource": _queue_arn("dlq"), "Condition": {"ArnEquals": {"aws:SourceArn": rule}}})})
    events.put_events(Entries=[entry])
    [body] = _bodies(enforce, urls["dlq"])
    assert json.loads(body)["source"] == "shop"


def _subscribed_with_redrive(principals) -> tuple[str, dict[str, str]]:
    urls = _queues(principals, "inbox", "dlq")
    sns = principals.root("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=_queue_arn("inbox"), Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": _queue_arn("dlq")})})
    return topic, urls


def test_a_subscriptions_redrive_writes_the_dlq_as_sns_only_when_its_policy_allows(enforce):
    topic, urls = _subscribed_with_redrive(enforce)
    sns = enforce.root("sns")
    sns.publish(TopicArn=topic, Message="first")  # the inbox's policy does not allow SNS: redriven
    assert _bodies(enforce, urls["dlq"]) == []  # nor does the DLQ's
    denial = enforce.gateway.iam.denials()[-1]
    assert (denial.principal, denial.action, denial.resource) == (
        "sns.amazonaws.com", "sqs:SendMessage", _queue_arn("dlq"))
    enforce.root("sqs").set_queue_attributes(QueueUrl=urls["dlq"], Attributes={"Policy": document(
        {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
         "Resource": _queue_arn("dlq"), "Condition": {"ArnEquals": {"aws:SourceArn": topic}}})})
    sns.publish(TopicArn=topic, Message="second")
    [body] = _bodies(enforce, urls["dlq"])
    assert (json.loads(body)["Message"], json.loads(body)["TopicArn"]) == ("second", topic)
    assert _bodies(enforce, urls["inbox"]) == []


def test_with_iam_off_a_delivery_to_a_deleted_queue_is_redriven(aws):
    principals = Principals(aws)
    topic, urls = _subscribed_with_redrive(principals)
    principals.root("sqs").delete_queue(QueueUrl=urls["inbox"])
    principals.root("sns").publish(TopicArn=topic, Message="lost?")
    [body] = _bodies(principals, urls["dlq"])
    assert json.loads(body)["Message"] == "lost?"
