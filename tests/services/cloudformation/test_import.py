"""Resource import: IMPORT change sets adopt existing resources into a new or existing stack."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import error_of, events, outputs

FAST = {"Delay": 1, "MaxAttempts": 2}


def queue_template(**extra: Any) -> dict[str, Any]:
    return {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain",
                                    "Properties": {"QueueName": "legacy", "VisibilityTimeout": 30}}, **extra},
            "Outputs": {"Arn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}}, "Url": {"Value": {"Ref": "Queue"}}}}


@pytest.fixture
def legacy(client) -> str:
    return client("sqs").create_queue(QueueName="legacy", Attributes={"VisibilityTimeout": "30"})["QueueUrl"]


def import_queue(cfn: Any, url: str, name: str = "adopted", template: dict[str, Any] | None = None,
                 **kwargs: Any) -> dict[str, Any]:
    return cfn.create_change_set(
        StackName=name, ChangeSetName="adopt", ChangeSetType="IMPORT",
        TemplateBody=json.dumps(template or queue_template()),
        ResourcesToImport=[{"ResourceType": "AWS::SQS::Queue", "LogicalResourceId": "Queue",
                            "ResourceIdentifier": {"QueueUrl": url}}], **kwargs)


def test_import_adopts_an_existing_queue_into_a_new_stack(cfn, client, aws, legacy):
    created = import_queue(cfn, legacy)
    assert cfn.describe_stacks(StackName="adopted")["Stacks"][0]["StackStatus"] == "REVIEW_IN_PROGRESS"
    cfn.get_waiter("change_set_create_complete").wait(ChangeSetName=created["Id"], WaiterConfig=FAST)
    described = cfn.describe_change_set(ChangeSetName=created["Id"])
    assert described["Status"] == "CREATE_COMPLETE" and described["ExecutionStatus"] == "AVAILABLE"
    change = described["Changes"][0]["ResourceChange"]
    assert (change["Action"], change["LogicalResourceId"], change["PhysicalResourceId"]) == ("Import", "Queue", legacy)
    cfn.execute_change_set(ChangeSetName=created["Id"])
    aws.settle()
    cfn.get_waiter("stack_import_complete").wait(StackName="adopted", WaiterConfig=FAST)
    stack = cfn.describe_stacks(StackName="adopted")["Stacks"][0]
    assert stack["StackStatus"] == "IMPORT_COMPLETE"
    assert outputs(stack)["Url"] == legacy and outputs(stack)["Arn"].endswith(":legacy")
    assert [(logical, status) for logical, status, _ in events(cfn, "adopted")] == [
        ("adopted", "IMPORT_IN_PROGRESS"), ("Queue", "IMPORT_IN_PROGRESS"), ("Queue", "IMPORT_COMPLETE"),
        ("adopted", "IMPORT_COMPLETE")]
    resource = cfn.describe_stack_resource(StackName="adopted", LogicalResourceId="Queue")["StackResourceDetail"]
    assert (resource["PhysicalResourceId"], resource["ResourceStatus"]) == (legacy, "IMPORT_COMPLETE")
    # the queue is the stack's now: an update changes it, the Retain policy keeps it on delete
    cfn.update_stack(StackName="adopted", TemplateBody=json.dumps(queue_template()).replace('"VisibilityTimeout": 30',
                                                                                            '"VisibilityTimeout": 45'))
    aws.settle()
    sqs = client("sqs")
    assert sqs.get_queue_attributes(QueueUrl=legacy, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"] == "45"
    cfn.delete_stack(StackName="adopted")
    aws.settle()
    assert sqs.get_queue_url(QueueName="legacy")["QueueUrl"] == legacy


def test_import_into_an_existing_stack_then_drift_shows_what_differs(cfn, client, aws, deploy, legacy):
    client("sqs").set_queue_attributes(QueueUrl=legacy, Attributes={"VisibilityTimeout": "99"})
    param = {"Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x"}}}
    assert deploy("host", {"Resources": param})["StackStatus"] == "CREATE_COMPLETE"
    created = import_queue(cfn, legacy, name="host", template={"Resources": {**queue_template()["Resources"], **param}})
    assert cfn.describe_change_set(ChangeSetName=created["Id"])["Status"] == "CREATE_COMPLETE"
    cfn.execute_change_set(ChangeSetName=created["Id"])
    aws.settle()
    assert cfn.describe_stacks(StackName="host")["Stacks"][0]["StackStatus"] == "IMPORT_COMPLETE"
    assert {r["LogicalResourceId"] for r in cfn.list_stack_resources(StackName="host")["StackResourceSummaries"]} == \
        {"Param", "Queue"}
    drift = cfn.detect_stack_resource_drift(StackName="host", LogicalResourceId="Queue")["StackResourceDrift"]
    assert drift["StackResourceDriftStatus"] == "MODIFIED"  # an import never changes the resource
    assert drift["PropertyDifferences"][0]["PropertyPath"] == "/VisibilityTimeout"


def test_import_validation_errors(cfn, legacy, deploy):
    no_policy = queue_template()
    del no_policy["Resources"]["Queue"]["DeletionPolicy"]
    code, message = error_of(lambda: import_queue(cfn, legacy, template=no_policy))
    assert code == "ValidationError" and "[Queue] must have DeletionPolicy attribute" in message
    code, message = error_of(cfn.create_change_set, StackName="bad", ChangeSetName="c", ChangeSetType="IMPORT",
                             TemplateBody=json.dumps(queue_template()), ResourcesToImport=[
                                 {"ResourceType": "AWS::SQS::Queue", "LogicalResourceId": "Queue",
                                  "ResourceIdentifier": {"QueueName": "legacy"}}])
    assert code == "ValidationError" and "QueueUrl" in message
    code, _ = error_of(cfn.create_change_set, StackName="bad", ChangeSetName="c", ChangeSetType="IMPORT",
                       TemplateBody=json.dumps(queue_template()), ResourcesToImport=[
                           {"ResourceType": "AWS::SQS::Queue", "LogicalResourceId": "Other",
                            "ResourceIdentifier": {"QueueUrl": legacy}}])
    assert code == "ValidationError"
    extra = queue_template(Param={"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x"}})
    deploy("host2", {"Resources": {"Param": extra["Resources"]["Param"]}})
    code, message = error_of(lambda: import_queue(cfn, legacy, name="host2", template=extra))
    assert (code, message) == ("ValidationError", "As part of the import operation, you cannot modify or add [Outputs]")
    code, _ = error_of(cfn.create_change_set, StackName="plain", ChangeSetName="c", ChangeSetType="CREATE",
                       TemplateBody=json.dumps(queue_template()), ResourcesToImport=[
                           {"ResourceType": "AWS::SQS::Queue", "LogicalResourceId": "Queue",
                            "ResourceIdentifier": {"QueueUrl": legacy}}])
    assert code == "ValidationError"


def test_a_missing_or_managed_resource_fails_the_change_set(cfn, client, aws, legacy):
    gone = legacy.replace("legacy", "nothing-here")
    created = import_queue(cfn, gone, name="ghost")
    described = cfn.describe_change_set(ChangeSetName=created["Id"])
    assert (described["Status"], described["ExecutionStatus"]) == ("FAILED", "UNAVAILABLE")
    assert "was not found" in described["StatusReason"]
    cfn.execute_change_set(ChangeSetName=import_queue(cfn, legacy)["Id"])
    aws.settle()
    described = cfn.describe_change_set(ChangeSetName=import_queue(cfn, legacy, name="second")["Id"])
    assert described["Status"] == "FAILED" and "already exists in stack" in described["StatusReason"]


def test_a_resource_gone_before_execution_rolls_the_import_back(cfn, client, aws, legacy):
    created = import_queue(cfn, legacy, name="late")
    client("sqs").delete_queue(QueueUrl=legacy)
    cfn.execute_change_set(ChangeSetName=created["Id"])
    aws.settle()
    stack = cfn.describe_stacks(StackName="late")["Stacks"][0]
    assert stack["StackStatus"] == "IMPORT_ROLLBACK_COMPLETE"
    found = events(cfn, "late")
    assert ("late", "IMPORT_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to import: [Queue].") in found
    assert [s for logical, s, _ in found if logical == "Queue"] == ["IMPORT_IN_PROGRESS", "IMPORT_FAILED",
                                                                     "IMPORT_ROLLBACK_COMPLETE"]
    assert cfn.list_stack_resources(StackName="late")["StackResourceSummaries"] == []


def test_template_summary_lists_resource_identifiers(cfn):
    template = queue_template(Other={"Type": "AWS::SQS::Queue", "Properties": {}},
                              Bucket={"Type": "AWS::S3::Bucket"}, Thing={"Type": "Custom::Thing",
                                                                          "Properties": {"ServiceToken": "x"}})
    summary = cfn.get_template_summary(TemplateBody=json.dumps(template))
    assert sorted((s["ResourceType"], sorted(s["LogicalResourceIds"]), s["ResourceIdentifiers"])
                  for s in summary["ResourceIdentifierSummaries"]) == [
        ("AWS::S3::Bucket", ["Bucket"], ["BucketName"]), ("AWS::SQS::Queue", ["Other", "Queue"], ["QueueUrl"])]
