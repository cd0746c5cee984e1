"""Deliveries act as AWS's services do: EventBridge and SNS and S3 as their service principals
against the target's resource policy (`aws:SourceArn` = the rule, topic or bucket), Scheduler
as the schedule's role, and a Lambda event source mapping as the function's execution role."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.services.iam.enforce_helpers import ACCOUNT, OTHER, document, mode_fixture

enforce = mode_fixture("enforce")
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:inbox"
RULE = f"arn:aws:events:us-east-1:{ACCOUNT}:rule/orders"


@pytest.fixture
def frozen_at():
    return "2026-01-05T10:00:00Z"


def _queue(principals) -> str:
    return principals.root("sqs").create_queue(QueueName="inbox")["QueueUrl"]


def _allow_queue(principals, url: str, service: str, source: str) -> None:
    principals.root("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": document(
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sqs:SendMessage", "Resource": QUEUE,
         "Condition": {"ArnEquals": {"aws:SourceArn": source}}})})


def _bodies(principals, url: str) -> list[str]:
    principals.gateway.settle()
    got = principals.root("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [m["Body"] for m in got.get("Messages", [])]


def test_an_event_rule_delivers_to_a_queue_only_when_its_policy_allows_events(enforce):
    url = _queue(enforce)
    events = enforce.root("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": QUEUE}])
    entry = {"Source": "shop", "DetailType": "order", "Detail": "{}"}
    events.put_events(Entries=[entry])
    assert _bodies(enforce, url) == []
    failed = enforce.gateway.registry.get("events").failed_deliveries
    assert [(f["rule"], f["target"], f["error"]) for f in failed] == [(RULE, QUEUE, "AccessDenied")]
    [denial] = enforce.gateway.iam.denials()
    assert (denial.principal, denial.action, denial.resource, denial.denied_by) == (
        "events.amazonaws.com", "sqs:SendMessage", QUEUE, "resource")
    _allow_queue(enforce, url, "events.amazonaws.com", f"arn:aws:events:us-east-1:{ACCOUNT}:rule/other")
    events.put_events(Entries=[entry])
    assert _bodies(enforce, url) == []  # the condition names another rule
    _allow_queue(enforce, url, "events.amazonaws.com", RULE)
    events.put_events(Entries=[entry])
    [body] = _bodies(enforce, url)
    assert json.loads(body)["source"] == "shop"


def test_an_event_rule_reaches_a_state_machine_as_the_targets_role(enforce):
    iam, sfn, events = enforce.root("iam"), enforce.root("stepfunctions"), enforce.root("events")
    iam.create_role(RoleName="sfn", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    machine = sfn.create_state_machine(name="m", roleArn=f"arn:aws:iam::{ACCOUNT}:role/sfn", definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    iam.create_role(RoleName="bridge", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "m", "Arn": machine,
                                               "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/bridge"}])
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": "{}"}])
    enforce.gateway.settle()
    assert sfn.list_executions(stateMachineArn=machine)["executions"] == []
    assert enforce.gateway.iam.denials()[-1].action == "states:StartExecution"
    iam.put_role_policy(RoleName="bridge", PolicyName="start", PolicyDocument=document(
        {"Effect": "Allow", "Action": "states:StartExecution", "Resource": machine}))
    events.put_events(Entries=[{"Source": "shop", "DetailType": "order", "Detail": "{}"}])
    enforce.gateway.settle()
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 1


def test_a_schedule_whose_role_lacks_the_permission_delivers_nothing(enforce, frozen):
    url = _queue(enforce)
    iam = enforce.root("iam")
    iam.create_role(RoleName="sched", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    scheduler = enforce.root("scheduler")
    scheduler.create_schedule(Name="tick", ScheduleExpression="rate(10 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                              Target={"Arn": QUEUE, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sched", "Input": "t"})
    frozen.advance(minutes=10)
    assert _bodies(enforce, url) == []
    [failed] = enforce.gateway.registry.get("scheduler").failed_invocations
    assert failed["error"] == "AccessDenied"
    assert failed["message"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/sched/tick is not authorized to perform: sqs:SendMessage on "
        f"resource: {QUEUE} because no identity-based policy allows the sqs:SendMessage action")
    iam.put_role_policy(RoleName="sched", PolicyName="send", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE}))
    frozen.advance(minutes=10)
    assert _bodies(enforce, url) == ["t"]


def test_a_schedules_dead_letter_queue_is_written_as_its_role(enforce, frozen):
    _queue(enforce)
    sqs, iam = enforce.root("sqs"), enforce.root("iam")
    dlq_url = sqs.create_queue(QueueName="sched-dlq")["QueueUrl"]
    dlq = f"arn:aws:sqs:us-east-1:{ACCOUNT}:sched-dlq"
    iam.create_role(RoleName="sched", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    enforce.root("scheduler").create_schedule(
        Name="tick", ScheduleExpression="rate(10 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": QUEUE, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sched", "Input": "t",
                "RetryPolicy": {"MaximumRetryAttempts": 0}, "DeadLetterConfig": {"Arn": dlq}})
    frozen.advance(minutes=10)
    assert _bodies(enforce, dlq_url) == []  # the role may send to neither queue
    [failed] = enforce.gateway.registry.get("scheduler").failed_invocations
    assert (failed["error"], failed["dead_letter_error"]) == ("AccessDenied", "AccessDenied")
    assert enforce.gateway.iam.denials()[-1].resource == dlq
    iam.put_role_policy(RoleName="sched", PolicyName="dlq", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": dlq}))
    frozen.advance(minutes=10)
    assert _bodies(enforce, dlq_url) == ["t"]


def test_a_schedule_whose_role_does_not_trust_scheduler_delivers_nothing(enforce, frozen):
    url = _queue(enforce)
    iam = enforce.root("iam")
    iam.create_role(RoleName="sched", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName="sched", PolicyName="send", PolicyDocument=document(
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE}))
    enforce.root("scheduler").create_schedule(
        Name="tick", ScheduleExpression="rate(10 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": QUEUE, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sched", "Input": "t"})
    frozen.advance(minutes=10)
    assert _bodies(enforce, url) == []
    [denial] = enforce.gateway.iam.denials()
    assert (denial.principal, denial.action, denial.resource) == (
        "scheduler.amazonaws.com", "sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/sched")


def _function(principals, *policies: dict) -> None:
    iam = principals.root("iam")
    role = iam.create_role(RoleName="fn", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}))["Role"]
    for i, statement in enumerate(policies):
        iam.put_role_policy(RoleName="fn", PolicyName=f"p{i}", PolicyDocument=document(statement))
    principals.root("lambda").create_function(
        FunctionName="consumer", Runtime="python3.12", Role=role["Arn"], Handler="lambda_function.h",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})


def test_a_mapping_whose_role_lacks_receive_message_is_refused(enforce):
    _queue(enforce)
    _function(enforce, {"Effect": "Allow", "Action": ["sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                        "Resource": QUEUE})
    with pytest.raises(ClientError) as info:
        enforce.root("lambda").create_event_source_mapping(FunctionName="consumer", EventSourceArn=QUEUE)
    error = info.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "InvalidParameterValueException", "The provided execution role does not have permissions to call "
        "ReceiveMessage on SQS")


def test_a_mapping_whose_role_loses_its_permission_is_turned_off(enforce):
    url = _queue(enforce)
    _function(enforce, {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                      "sqs:GetQueueAttributes"], "Resource": QUEUE})
    lam = enforce.root("lambda")
    uuid = lam.create_event_source_mapping(FunctionName="consumer", EventSourceArn=QUEUE, Enabled=False)["UUID"]
    enforce.root("iam").delete_role_policy(RoleName="fn", PolicyName="p0")
    enforce.root("sqs").send_message(QueueUrl=url, MessageBody="job")
    lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    enforce.gateway.settle()
    mapping = lam.get_event_source_mapping(UUID=uuid)
    assert (mapping["State"], mapping["StateTransitionReason"]) == ("Disabled", "EVENT_SOURCE_AUTHZ_ERROR")
    assert _bodies(enforce, url) == ["job"]  # still in the queue
    assert enforce.gateway.iam.denials()[-1].principal == f"arn:aws:sts::{ACCOUNT}:assumed-role/fn/consumer"


def test_a_topic_delivers_to_a_queue_only_when_its_policy_allows_sns(enforce):
    url = _queue(enforce)
    sns = enforce.root("sns")
    topic = sns.create_topic(Name="news")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=QUEUE, Attributes={"RawMessageDelivery": "true"})
    sns.publish(TopicArn=topic, Message="one")
    assert _bodies(enforce, url) == []
    assert enforce.gateway.iam.denials()[-1].principal == "sns.amazonaws.com"
    _allow_queue(enforce, url, "sns.amazonaws.com", topic)
    sns.publish(TopicArn=topic, Message="two")
    assert _bodies(enforce, url) == ["two"]


def test_bucket_notifications_need_the_queue_to_allow_s3(enforce):
    url = _queue(enforce)
    s3 = enforce.root("s3")
    s3.create_bucket(Bucket="uploads")
    config = {"QueueConfigurations": [{"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"]}]}
    with pytest.raises(ClientError) as info:
        s3.put_bucket_notification_configuration(Bucket="uploads", NotificationConfiguration=config)
    error = info.value.response["Error"]
    assert (error["Code"], error["Message"], error["ArgumentValue"]) == (
        "InvalidArgument", "Unable to validate the following destination configurations",
        "Permissions on the destination queue do not allow S3 to publish notifications from this bucket")
    _allow_queue(enforce, url, "s3.amazonaws.com", "arn:aws:s3:::uploads")
    s3.put_bucket_notification_configuration(Bucket="uploads", NotificationConfiguration=config)
    s3.put_object(Bucket="uploads", Key="a.txt", Body=b"a")
    bodies = [json.loads(b) for b in _bodies(enforce, url)]
    assert [b.get("Event") or b["Records"][0]["s3"]["object"]["key"] for b in bodies] == ["s3:TestEvent", "a.txt"]


def test_a_rule_sends_to_another_accounts_bus_as_its_role_when_the_bus_policy_allows(enforce):
    central = f"arn:aws:events:us-east-1:{OTHER}:event-bus/central"
    theirs = enforce.root("events", OTHER)
    theirs.create_event_bus(Name="central")
    theirs.put_permission(EventBusName="central", Policy=document(
        {"Sid": "a", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
         "Action": "events:PutEvents", "Resource": central}))
    url = enforce.root("sqs", OTHER).create_queue(QueueName="inbox")["QueueUrl"]
    inbox = f"arn:aws:sqs:us-east-1:{OTHER}:inbox"
    enforce.root("sqs", OTHER).set_queue_attributes(QueueUrl=url, Attributes={"Policy": document(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
         "Resource": inbox})})
    theirs.put_rule(Name="all", EventBusName="central", EventPattern=json.dumps({"source": ["shop"]}))
    theirs.put_targets(Rule="all", EventBusName="central", Targets=[{"Id": "q", "Arn": inbox}])
    iam, events = enforce.root("iam"), enforce.root("events")
    iam.create_role(RoleName="forward", AssumeRolePolicyDocument=document(
        {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sts:AssumeRole"}))
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "c", "Arn": central,
                                               "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/forward"}])
    entry = {"Source": "shop", "DetailType": "order", "Detail": "{}"}
    events.put_events(Entries=[entry])
    enforce.gateway.settle()
    assert enforce.root("sqs", OTHER).receive_message(QueueUrl=url).get("Messages", []) == []
    assert enforce.gateway.iam.denials()[-1].action == "events:PutEvents"
    iam.put_role_policy(RoleName="forward", PolicyName="put", PolicyDocument=document(
        {"Effect": "Allow", "Action": "events:PutEvents", "Resource": central}))
    events.put_events(Entries=[entry])
    enforce.gateway.settle()
    [message] = enforce.root("sqs", OTHER).receive_message(QueueUrl=url)["Messages"]
    assert json.loads(message["Body"])["source"] == "shop"


audit = mode_fixture("audit")


def test_audit_reports_what_a_rules_targets_must_allow_and_that_policy_lets_it_deliver(audit):
    url = _queue(audit)
    events = audit.root("events")
    events.put_rule(Name="orders", EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="orders", Targets=[{"Id": "q", "Arn": QUEUE}])
    entry = {"Source": "shop", "DetailType": "order", "Detail": "{}"}
    events.put_events(Entries=[entry])
    assert len(_bodies(audit, url)) == 1  # audit: delivered, the would-be denial recorded
    iam = audit.gateway.iam
    assert [(d.principal, d.action, d.enforced) for d in iam.denials()] == [
        ("events.amazonaws.com", "sqs:SendMessage", False)]
    policy = iam.policy_for("events.amazonaws.com")
    assert policy["Statement"] == [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                    "Action": "sqs:SendMessage", "Resource": QUEUE}]
    audit.root("sqs").set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    iam.set_mode("enforce")
    events.put_events(Entries=[entry])
    assert len(_bodies(audit, url)) == 1  # the new one (the first is in flight)
    assert [d for d in iam.denials() if d.enforced] == []


def _stream(principals) -> str:
    return principals.root("dynamodb").create_table(
        TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})["TableDescription"][
        "LatestStreamArn"]


def test_a_stream_mapping_is_refused_without_the_reads_and_turned_off_when_it_loses_them(enforce):
    stream = _stream(enforce)
    reads = ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"]
    _function(enforce, {"Effect": "Allow", "Action": reads[1:], "Resource": stream})
    lam = enforce.root("lambda")
    with pytest.raises(ClientError) as info:
        lam.create_event_source_mapping(FunctionName="consumer", EventSourceArn=stream, StartingPosition="LATEST")
    assert info.value.response["Error"]["Message"] == (
        f"Cannot access stream {stream}. Please ensure the role can perform the GetRecords, GetShardIterator, "
        "DescribeStream, and ListStreams Actions on your stream in IAM.")
    iam = enforce.root("iam")
    iam.put_role_policy(RoleName="fn", PolicyName="p1", PolicyDocument=document(
        {"Effect": "Allow", "Action": "dynamodb:GetRecords", "Resource": stream}))
    uuid = lam.create_event_source_mapping(FunctionName="consumer", EventSourceArn=stream,
                                           StartingPosition="LATEST", Enabled=False)["UUID"]
    iam.delete_role_policy(RoleName="fn", PolicyName="p1")
    enforce.root("dynamodb").put_item(TableName="orders", Item={"id": {"S": "1"}})
    lam.update_event_source_mapping(UUID=uuid, Enabled=True)
    enforce.gateway.settle()
    mapping = lam.get_event_source_mapping(UUID=uuid)
    assert (mapping["State"], mapping["StateTransitionReason"]) == ("Disabled", "EVENT_SOURCE_AUTHZ_ERROR")
    denial = enforce.gateway.iam.denials()[-1]
    assert (denial.action, denial.resource) == ("dynamodb:GetRecords", stream)
