"""Custom resources, wait conditions and resource signals wait on the gateway clock without
holding the dispatcher: the stack stays IN_PROGRESS, `settle()` returns, an answer resumes it,
and moving the clock past the deadline fails the resource with AWS's reason and rolls back."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from .conftest import error_of, events, outputs

UNANSWERED = "CloudFormation did not receive a response from your Custom Resource."


def topic_with_inbox(client: Any) -> tuple[str, Any, str]:
    """An SNS topic (a custom resource's ServiceToken) delivering raw to an SQS queue the test reads."""
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="custom-requests")["TopicArn"]
    url = sqs.create_queue(QueueName="custom-requests")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    return topic, sqs, url


def next_request(sqs: Any, url: str) -> dict[str, Any]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", [])
    assert messages, "CloudFormation sent no custom resource request"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    return json.loads(messages[0]["Body"])


def put(url: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="PUT")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def custom(topic: str, **props: Any) -> dict[str, Any]:
    return {"Resources": {"Thing": {"Type": "Custom::Thing", "Properties": {"ServiceToken": topic, **props}}},
            "Outputs": {"Color": {"Value": {"Fn::GetAtt": ["Thing", "Color"]}}, "Id": {"Value": {"Ref": "Thing"}}}}


def status(cfn: Any, name: str) -> dict[str, Any]:
    return cfn.describe_stacks(StackName=name)["Stacks"][0]


def test_a_waiting_custom_resource_frees_settle_and_completes_on_its_answer(cfn, client, deploy, aws, frozen):
    topic, sqs, inbox = topic_with_inbox(client)
    started = time.monotonic()
    stack = deploy("waits", custom(topic, Size="3"))
    assert time.monotonic() - started < 3  # settle() did not wait for the answer
    assert stack["StackStatus"] == "CREATE_IN_PROGRESS"
    assert ("Thing", "CREATE_IN_PROGRESS", "Resource creation Initiated") in events(cfn, "waits")
    request = next_request(sqs, inbox)
    assert request["RequestType"] == "Create" and request["ResourceProperties"]["Size"] == "3"
    frozen.advance(minutes=59)  # still within the hour
    aws.settle()
    assert status(cfn, "waits")["StackStatus"] == "CREATE_IN_PROGRESS"
    assert put(request["ResponseURL"], {"Status": "SUCCESS", "PhysicalResourceId": "thing-1", "Data": {"Color": "red"},
                                        "StackId": request["StackId"], "RequestId": request["RequestId"],
                                        "LogicalResourceId": "Thing"}) == 200
    aws.settle()
    cfn.get_waiter("stack_create_complete").wait(StackName="waits", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    assert outputs(status(cfn, "waits")) == {"Color": "red", "Id": "thing-1"}


def test_an_unanswered_custom_resource_times_out_after_an_hour_on_the_clock(cfn, client, deploy, aws, frozen):
    topic, _, _ = topic_with_inbox(client)
    assert deploy("silent", custom(topic))["StackStatus"] == "CREATE_IN_PROGRESS"
    frozen.advance(hours=1)
    aws.settle()
    stack = status(cfn, "silent")
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [r for logical, s, r in events(cfn, "silent") if logical == "Thing" and s == "CREATE_FAILED"]
    assert failed and failed[0].startswith(UNANSWERED)
    assert ("silent", "ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [Thing]. Rollback requested by user.") in events(cfn, "silent")


def test_service_timeout_shortens_the_wait(cfn, client, deploy, aws, frozen):
    topic, _, _ = topic_with_inbox(client)
    assert deploy("short", custom(topic, ServiceTimeout="60"))["StackStatus"] == "CREATE_IN_PROGRESS"
    frozen.advance(seconds=59)
    aws.settle()
    assert status(cfn, "short")["StackStatus"] == "CREATE_IN_PROGRESS"
    frozen.advance(seconds=1)
    aws.settle()
    assert status(cfn, "short")["StackStatus"] == "ROLLBACK_COMPLETE"


def test_a_failed_answer_rolls_back_with_its_reason(cfn, client, deploy, aws, frozen):
    topic, sqs, inbox = topic_with_inbox(client)
    deploy("refused", custom(topic))
    request = next_request(sqs, inbox)
    put(request["ResponseURL"], {"Status": "FAILED", "Reason": "quota reached", "PhysicalResourceId": "x",
                                 "StackId": request["StackId"], "RequestId": request["RequestId"],
                                 "LogicalResourceId": "Thing"})
    aws.settle()
    # the resource the failed Create named gets a Delete request on rollback (as on AWS), answered too
    delete = next_request(sqs, inbox)
    assert delete["RequestType"] == "Delete" and delete["PhysicalResourceId"] == "x"
    assert status(cfn, "refused")["StackStatus"] == "ROLLBACK_IN_PROGRESS"
    answer(delete, PhysicalResourceId="x")
    aws.settle()
    assert status(cfn, "refused")["StackStatus"] == "ROLLBACK_COMPLETE"
    failed = [r for logical, s, r in events(cfn, "refused") if logical == "Thing" and s == "CREATE_FAILED"]
    assert failed[0].startswith("Received response status [FAILED] from custom resource. Message returned: "
                                "quota reached")


WAIT_TEMPLATE = {"Resources": {
    "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
    "Wait": {"Type": "AWS::CloudFormation::WaitCondition",
             "Properties": {"Handle": {"Ref": "Handle"}, "Timeout": "300", "Count": "2"}}},
    "Outputs": {"Data": {"Value": {"Fn::GetAtt": ["Wait", "Data"]}}}}


def handle_url(cfn: Any, name: str) -> str:
    return cfn.describe_stack_resource(StackName=name, LogicalResourceId="Handle")[
        "StackResourceDetail"]["PhysicalResourceId"]


def test_a_wait_condition_waits_for_its_count_of_signals(cfn, deploy, aws, frozen):
    assert deploy("wc", WAIT_TEMPLATE)["StackStatus"] == "CREATE_IN_PROGRESS"
    url = handle_url(cfn, "wc")
    put(url, {"Status": "SUCCESS", "UniqueId": "a", "Data": "one", "Reason": "up"})
    aws.settle()
    assert status(cfn, "wc")["StackStatus"] == "CREATE_IN_PROGRESS"  # one of two
    put(url, {"Status": "SUCCESS", "UniqueId": "b", "Data": "two", "Reason": "up"})
    aws.settle()
    stack = status(cfn, "wc")
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert json.loads(outputs(stack)["Data"]) == {"a": "one", "b": "two"}


def test_a_wait_condition_times_out_on_the_clock(cfn, deploy, aws, frozen):
    deploy("wc-late", WAIT_TEMPLATE)
    put(handle_url(cfn, "wc-late"), {"Status": "SUCCESS", "UniqueId": "a", "Data": "one", "Reason": "up"})
    frozen.advance(seconds=300)
    aws.settle()
    assert status(cfn, "wc-late")["StackStatus"] == "ROLLBACK_COMPLETE"
    assert ("Wait", "CREATE_FAILED", "WaitCondition timed out. Received 1 conditions when expecting 2") in \
        events(cfn, "wc-late")


def test_signal_resource_completes_a_creation_policy(cfn, deploy, widgets, aws, frozen):
    template = {"Resources": {"Box": {"Type": "Test::Widget::Thing", "Properties": {},
                                      "CreationPolicy": {"ResourceSignal": {"Count": 1, "Timeout": "PT1H"}}}}}
    assert deploy("signalled", template)["StackStatus"] == "CREATE_IN_PROGRESS"
    cfn.signal_resource(StackName="signalled", LogicalResourceId="Box", UniqueId="i-1", Status="SUCCESS")
    aws.settle()
    assert status(cfn, "signalled")["StackStatus"] == "CREATE_COMPLETE"
    assert ("Box", "CREATE_IN_PROGRESS", "Received SUCCESS signal with UniqueId i-1") in events(cfn, "signalled")


def test_a_failure_signal_fails_the_resource(cfn, deploy, widgets, aws, frozen):
    template = {"Resources": {"Box": {"Type": "Test::Widget::Thing", "Properties": {},
                                      "CreationPolicy": {"ResourceSignal": {"Count": 2, "Timeout": "PT1H"}}}}}
    deploy("bad-signal", template)
    cfn.signal_resource(StackName="bad-signal", LogicalResourceId="Box", UniqueId="i-1", Status="FAILURE")
    aws.settle()
    assert status(cfn, "bad-signal")["StackStatus"] == "ROLLBACK_COMPLETE"
    assert ("Box", "CREATE_FAILED", "Received FAILURE signal with UniqueId i-1") in events(cfn, "bad-signal")


def test_a_reset_ends_a_waiting_stack(cfn, client, deploy, aws, frozen):
    topic, _, _ = topic_with_inbox(client)
    deploy("abandoned", custom(topic))
    aws.reset()
    aws.settle()
    assert cfn.list_stacks()["StackSummaries"] == []


def answer(request: dict[str, Any], **fields: Any) -> None:
    put(request["ResponseURL"], {"Status": "SUCCESS", "StackId": request["StackId"], "RequestId": request["RequestId"],
                                 "LogicalResourceId": request["LogicalResourceId"], **fields})


def test_cancel_update_stack_stops_a_waiting_update_and_rolls_back(cfn, client, deploy, aws, frozen):
    topic, sqs, inbox = topic_with_inbox(client)
    deploy("cancel", custom(topic, Size="1"))
    answer(next_request(sqs, inbox), PhysicalResourceId="thing-1", Data={"Color": "red"})
    aws.settle()
    assert status(cfn, "cancel")["StackStatus"] == "CREATE_COMPLETE"
    cfn.update_stack(StackName="cancel", TemplateBody=json.dumps(custom(topic, Size="2")))
    aws.settle()
    assert next_request(sqs, inbox)["RequestType"] == "Update"
    assert status(cfn, "cancel")["StackStatus"] == "UPDATE_IN_PROGRESS"
    cfn.cancel_update_stack(StackName="cancel")
    aws.settle()
    assert status(cfn, "cancel")["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert ("Thing", "UPDATE_FAILED", "Resource update cancelled") in events(cfn, "cancel")
    assert outputs(status(cfn, "cancel")) == {"Color": "red", "Id": "thing-1"}
    code, message = error_of(cfn.cancel_update_stack, StackName="cancel")
    assert (code, message) == ("ValidationError", "CancelUpdateStack cannot be called from current stack status")


def test_the_stacks_timeout_in_minutes_ends_a_longer_wait(cfn, client, deploy, aws, frozen):
    topic, _, _ = topic_with_inbox(client)
    assert deploy("hurried", custom(topic), TimeoutInMinutes=5)["StackStatus"] == "CREATE_IN_PROGRESS"
    frozen.advance(minutes=5)
    aws.settle()
    assert status(cfn, "hurried")["StackStatus"] == "ROLLBACK_COMPLETE"
    assert ("Thing", "CREATE_FAILED", "Resource creation cancelled") in events(cfn, "hurried")


def test_delete_stack_during_a_waiting_create_cancels_it_then_deletes(cfn, client, deploy, aws, frozen):
    topic, _, _ = topic_with_inbox(client)
    stack = deploy("abandon", custom(topic))
    assert stack["StackStatus"] == "CREATE_IN_PROGRESS"
    cfn.delete_stack(StackName="abandon")
    aws.settle()
    assert cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    assert ("Thing", "CREATE_FAILED", "Resource creation cancelled") in events(cfn, stack["StackId"])
