"""Stacks through boto3: create, update (in place and replacement), delete, rollback, events."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .conftest import Widget, error_of, events, outputs


def widget_template(**props: Any) -> dict[str, Any]:
    return {"Resources": {
        "First": {"Type": "Test::Widget::Thing", "Properties": {"Name": "one", **props}},
        "Second": {"Type": "Test::Widget::Thing", "Properties": {"Target": {"Fn::GetAtt": ["First", "Arn"]}}},
    }, "Outputs": {"SecondId": {"Value": {"Ref": "Second"}}}}


def test_create_runs_in_dependency_order_and_reports_progress(cfn, deploy, widgets):
    stack = deploy("s1", widget_template())
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert widgets.calls == [("create", "First"), ("create", "Second")]
    assert outputs(stack)["SecondId"] == "s1-Second-1"
    assert widgets.live["s1-Second-1"]["Target"] == "arn:test:widget:s1-First-0"
    assert events(cfn, "s1") == [
        ("s1", "CREATE_IN_PROGRESS", "User Initiated"),
        ("First", "CREATE_IN_PROGRESS", ""), ("First", "CREATE_IN_PROGRESS", "Resource creation Initiated"),
        ("First", "CREATE_COMPLETE", ""),
        ("Second", "CREATE_IN_PROGRESS", ""), ("Second", "CREATE_IN_PROGRESS", "Resource creation Initiated"),
        ("Second", "CREATE_COMPLETE", ""),
        ("s1", "CREATE_COMPLETE", ""),
    ]
    cfn.get_waiter("stack_create_complete").wait(StackName="s1", WaiterConfig={"Delay": 1, "MaxAttempts": 2})


def test_update_in_place_replaces_on_a_replacing_property_and_cleans_up(cfn, deploy, update, widgets):
    deploy("s2", widget_template(Size=1))
    stack = update("s2", widget_template(Size=2))
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert widgets.calls[-1] == ("update", "First")
    stack = update("s2", widget_template(Size=2, Name="renamed"))
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    # First replaced (new physical id), Second updated because First's Arn changed, old First deleted
    assert widgets.calls[-3:] == [("create", "First"), ("update", "Second"), ("delete", "First")]
    assert sorted(widgets.live) == ["s2-First-3", "s2-Second-1"]
    assert events(cfn, "s2")[-4:] == [("s2", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", ""),
                                      ("First", "DELETE_IN_PROGRESS", ""), ("First", "DELETE_COMPLETE", ""),
                                      ("s2", "UPDATE_COMPLETE", "")]
    replaced = [e for e in cfn.describe_stack_events(StackName="s2")["StackEvents"]
                if e["LogicalResourceId"] == "First" and e["ResourceStatus"] == "DELETE_COMPLETE"]
    assert replaced[0]["PhysicalResourceId"] == "s2-First-0"


def test_no_updates_is_a_validation_error(cfn, deploy, widgets):
    deploy("s3", widget_template())
    code, message = error_of(cfn.update_stack, StackName="s3", UsePreviousTemplate=True)
    assert (code, message) == ("ValidationError", "No updates are to be performed.")


def test_delete_goes_in_reverse_order(cfn, deploy, widgets, aws):
    deploy("s4", widget_template())
    cfn.delete_stack(StackName="s4")
    aws.settle()
    assert widgets.calls[-2:] == [("delete", "Second"), ("delete", "First")]
    assert widgets.live == {}
    code, message = error_of(cfn.describe_stacks, StackName="s4")
    assert (code, message) == ("ValidationError", "Stack with id s4 does not exist")
    deleted = cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    assert [s["StackName"] for s in deleted] == ["s4"]


def test_a_failing_resource_rolls_back_and_leaves_nothing(cfn, deploy, widgets):
    template = widget_template()
    template["Resources"]["Third"] = {"Type": "Test::Widget::Thing", "DependsOn": "Second",
                                      "Properties": {"Fail": True}}
    stack = deploy("s5", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert widgets.live == {}
    seen = events(cfn, "s5")
    failed = [r for logical, status, r in seen if (logical, status) == ("Third", "CREATE_FAILED")]
    assert re.fullmatch(r'Resource handler returned message: "widget Third refused \(Service: Widget, Status Code: '
                        r'400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: '
                        r'InvalidRequest\)', failed[0])
    assert ("s5", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Third]. "
            "Rollback requested by user.") in seen
    assert seen[-1] == ("s5", "ROLLBACK_COMPLETE", "")
    code, _ = error_of(cfn.update_stack, StackName="s5", UsePreviousTemplate=True)
    assert code == "ValidationError"


def test_on_failure_do_nothing_and_delete(cfn, deploy, widgets, aws):
    template = {"Resources": {"Ok": {"Type": "Test::Widget::Thing"},
                              "Bad": {"Type": "Test::Widget::Thing", "DependsOn": "Ok", "Properties": {"Fail": True}}}}
    assert deploy("keep", template, OnFailure="DO_NOTHING")["StackStatus"] == "CREATE_FAILED"
    assert len(widgets.live) == 1
    cfn.create_stack(StackName="gone", TemplateBody=__import__("json").dumps(template), OnFailure="DELETE")
    aws.settle()
    assert cfn.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"][0]["StackName"] == "gone"


def test_unsupported_type_fails_the_stack(cfn, deploy):
    stack = deploy("s6", {"Resources": {"Thing": {"Type": "AWS::Nope::Thing"}}})
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert ("Thing", "CREATE_FAILED", "Unrecognized resource types: [AWS::Nope::Thing]") in events(cfn, "s6")


def test_existing_stack_and_termination_protection(cfn, deploy, widgets):
    deploy("s7", widget_template(), EnableTerminationProtection=True)
    code, message = error_of(cfn.create_stack, StackName="s7", TemplateBody='{"Resources": {}}')
    assert (code, message) == ("AlreadyExistsException", "Stack [s7] already exists")
    code, message = error_of(cfn.delete_stack, StackName="s7")
    assert message == "Stack [s7] cannot be deleted while TerminationProtection is enabled"
    cfn.update_termination_protection(StackName="s7", EnableTerminationProtection=False)
    cfn.delete_stack(StackName="s7")


def test_stack_names_follow_aws_rules(cfn):
    code, message = error_of(cfn.create_stack, StackName="bad_name", TemplateBody='{"Resources": {}}')
    assert (code, message) == ("ValidationError", "1 validation error detected: Value 'bad_name' at 'stackName' "
                               "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                               "[a-zA-Z][-a-zA-Z0-9]*")


def test_stack_events_go_to_the_notification_topics(cfn, deploy, widgets, client):
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="stack-events")["TopicArn"]
    url = sqs.create_queue(QueueName="stack-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    deploy("noisy", {"Resources": {"W": {"Type": "Test::Widget::Thing"}}}, NotificationARNs=[topic])
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    statuses = [line for body in bodies for line in body.splitlines() if line.startswith("ResourceStatus=")]
    assert statuses[0] == "ResourceStatus='CREATE_IN_PROGRESS'" and "ResourceStatus='CREATE_COMPLETE'" in statuses
    assert any("StackName='noisy'" in body and "ResourceType='AWS::CloudFormation::Stack'" in body for body in bodies)


def test_an_alias_names_the_stack_everywhere(cfn, deploy, widgets):
    if not hasattr(cfn, "set_alias"):
        pytest.skip("this botocore's model has no SetAlias/RemoveAlias (added in botocore 1.44)")
    stack = deploy("original", widget_template())
    cfn.set_alias(StackName="original", AliasName="renamed")
    assert cfn.describe_stacks(StackName="renamed")["Stacks"][0]["StackId"] == stack["StackId"]
    assert cfn.describe_stacks(StackName="original")["Stacks"][0]["AliasName"] == "renamed"
    assert error_of(cfn.set_alias, StackName="original", AliasName="other")[0] == "LimitExceededException"
    deploy("second", widget_template())
    assert error_of(cfn.set_alias, StackName="second", AliasName="renamed")[0] == "AlreadyExistsException"
    cfn.remove_alias(AliasName="renamed")
    assert error_of(cfn.describe_stacks, StackName="renamed")[1] == "Stack with id renamed does not exist"


def test_stack_policy_protects_resources_during_updates(cfn, deploy, update, widgets, aws):
    import json

    deploy("guarded", widget_template(Size=1))
    cfn.set_stack_policy(StackName="guarded", StackPolicyBody=json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "Update:Replace", "Principal": "*", "Resource": "LogicalResourceId/First"}]}))
    assert update("guarded", widget_template(Size=2))["StackStatus"] == "UPDATE_COMPLETE"  # Modify is allowed
    stack = update("guarded", widget_template(Size=2, Name="new"))  # a replacement is denied
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert ("First", "UPDATE_FAILED", "Action denied by stack policy: Statement [#2] has a Deny for resource "
            "LogicalResourceId/First") in events(cfn, "guarded")
    during = json.dumps({"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}]})
    stack = update("guarded", widget_template(Size=2, Name="new"), StackPolicyDuringUpdateBody=during)
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    stack = update("guarded", {"Resources": {"First": widget_template(Size=2, Name="new")["Resources"]["First"]}})
    assert stack["StackStatus"] == "UPDATE_COMPLETE"  # the stack's own policy allows Update:Delete of Second
    cfn.set_stack_policy(StackName="guarded", StackPolicyBody=json.dumps({"Statement": [
        {"Effect": "Allow", "Action": "Update:Modify", "Principal": "*", "Resource": "*"}]}))
    stack = update("guarded", {"Resources": {"Other": {"Type": "Test::Widget::Thing"}}})
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"  # deleting First is not allowed


def test_retain_resources_finishes_a_failed_delete(cfn, deploy, widgets, aws):
    template = {"Resources": {"Stuck": {"Type": "Test::Widget::Thing", "Properties": {"FailDelete": True}},
                              "Free": {"Type": "Test::Widget::Thing"}}}
    stack = deploy("stuck", template)
    code, message = error_of(cfn.delete_stack, StackName="stuck", RetainResources=["Stuck"])
    assert code == "ValidationError"
    cfn.delete_stack(StackName="stuck")
    aws.settle()
    failed = cfn.describe_stacks(StackName="stuck")["Stacks"][0]
    assert (failed["StackStatus"], failed["StackStatusReason"]) == (
        "DELETE_FAILED", "The following resource(s) failed to delete: [Stuck].")
    assert any(logical == "Stuck" and status == "DELETE_FAILED" and 'returned message: "widget Stuck is busy' in r
               for logical, status, r in events(cfn, "stuck"))
    cfn.delete_stack(StackName="stuck", RetainResources=["Stuck"])
    aws.settle()
    assert cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    assert list(widgets.live) == ["stuck-Stuck-0"]


def test_creation_policy_waits_for_resource_signals(cfn, deploy, widgets, aws, frozen):
    def signalled(count: int, sent: int) -> dict:
        return {"Resources": {"Box": {"Type": "Test::Widget::Thing", "Properties": {"Signals": sent},
                                      "CreationPolicy": {"ResourceSignal": {"Count": count, "Timeout": "PT5M"}}}}}

    assert deploy("signals", signalled(2, 2))["StackStatus"] == "CREATE_COMPLETE"
    assert [r for logical, _, r in events(cfn, "signals") if logical == "Box" and r.startswith("Received")] == [
        "Received SUCCESS signal with UniqueId i-0", "Received SUCCESS signal with UniqueId i-1"]
    assert deploy("too-few", signalled(2, 1))["StackStatus"] == "CREATE_IN_PROGRESS"  # waits on the clock
    frozen.advance(minutes=5)
    aws.settle()
    assert cfn.describe_stacks(StackName="too-few")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    assert ("Box", "CREATE_FAILED", "Failed to receive 2 resource signal(s) within the specified duration") in \
        events(cfn, "too-few")
    code, message = error_of(cfn.signal_resource, StackName="signals", LogicalResourceId="Box", UniqueId="x",
                             Status="SUCCESS")
    assert code == "ValidationError"


def test_describe_reflects_progress_and_operations_queue_per_stack(cfn, widgets, aws):
    import json

    template = {"Resources": {"Slow": {"Type": "Test::Widget::Thing", "Properties": {"Gated": True}}}}
    cfn.create_stack(StackName="slow", TemplateBody=json.dumps(template))
    try:
        assert cfn.describe_stacks(StackName="slow")["Stacks"][0]["StackStatus"] == "CREATE_IN_PROGRESS"
        code, message = error_of(cfn.update_stack, StackName="slow", UsePreviousTemplate=True)
        assert code == "ValidationError" and message.endswith("is in CREATE_IN_PROGRESS state and can not be updated.")
        # the resource's create has begun: it finishes, then the queued delete runs (a delete
        # during a wait cancels the creation: test_delete_stack_during_a_waiting_create_*)
        assert widgets.at_gate.wait(timeout=10)
        cfn.delete_stack(StackName="slow")
    finally:
        widgets.gate.set()
    aws.settle()
    stack_id = cfn.list_stacks()["StackSummaries"][0]["StackId"]
    statuses = [s for logical, s, _ in events(cfn, stack_id) if logical == "slow"]
    assert statuses == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    assert widgets.live == {}


class Flaky(Widget):
    """A widget whose in-place updates back to `Size` 1 (a rollback's) fail while `broken` is set."""

    broken = False

    def update(self, ctx, physical_id, old, new):
        if self.broken and new.get("Size") == 1:
            from pytest_cloudmock.api import AWSError

            raise AWSError("InvalidRequest", "flaky refused the update", 400)
        return super().update(ctx, physical_id, old, new)


def test_continue_update_rollback_retries_or_skips(cfn, cfn_service, deploy, update, aws):
    flaky = Flaky(type_name="Test::Flaky::Thing")
    undo = cfn_service.register_provider(flaky)
    try:
        def template(size: int, name: str, fail: bool) -> dict:
            return {"Resources": {
                "A": {"Type": "Test::Flaky::Thing", "Properties": {"Size": size}},
                "B": {"Type": "Test::Flaky::Thing", "DependsOn": "A", "Properties": {"Name": name, "Fail": fail}}}}

        flaky.broken = True  # A's update has to be undone: that fails
        for name in ("retry", "skip"):
            assert deploy(name, template(1, "one", False))["StackStatus"] == "CREATE_COMPLETE"
            cfn.update_stack(StackName=name, TemplateBody=json.dumps(template(2, "two", True)))
            aws.settle()
            assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_FAILED"
        flaky.broken = False
        cfn.continue_update_rollback(StackName="retry")
        aws.settle()
        assert cfn.describe_stacks(StackName="retry")["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
        assert [p["Size"] for p in flaky.live.values() if p.get("Name") is None] == [1, 2]  # retry's A, skip's A
        flaky.broken = True
        code, _ = error_of(cfn.continue_update_rollback, StackName="skip", ResourcesToSkip=["B"])
        assert code == "ValidationError"  # B is not UPDATE_FAILED
        cfn.continue_update_rollback(StackName="skip", ResourcesToSkip=["A"])
        aws.settle()
        assert cfn.describe_stacks(StackName="skip")["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
        assert ("A", "UPDATE_COMPLETE", "") in events(cfn, "skip")
    finally:
        undo()
