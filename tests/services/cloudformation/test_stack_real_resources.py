"""The issue's demonstration on real services: an update changes a queue attribute in place and
replaces a renamed bucket; delete removes everything in reverse order; a failed update rolls back."""

from __future__ import annotations

import json
from typing import Any

from .conftest import events


def app(bucket: str, visibility: int, extra: dict[str, Any] | None = None) -> str:
    resources = {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": bucket}},
        "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders",
                                                            "VisibilityTimeout": visibility}},
        "Policy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [{"Ref": "Queue"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": {"Fn::GetAtt": ["Queue", "Arn"]},
                "Condition": {"ArnLike": {"aws:SourceArn": {"Fn::GetAtt": ["Bucket", "Arn"]}}}}]}}},
        **(extra or {}),
    }
    return json.dumps({"Resources": resources, "Outputs": {"QueueUrl": {"Value": {"Ref": "Queue"}}}})


def visibility(sqs: Any, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])["Attributes"]["VisibilityTimeout"]


def test_update_in_place_replacement_and_reverse_delete(cfn, client, aws):
    s3, sqs = client("s3"), client("sqs")
    cfn.create_stack(StackName="shop", TemplateBody=app("shop-uploads", 30))
    aws.settle()
    url = cfn.describe_stacks(StackName="shop")["Stacks"][0]["Outputs"][0]["OutputValue"]
    assert visibility(sqs, url) == "30"

    cfn.update_stack(StackName="shop", TemplateBody=app("shop-uploads-v2", 60))
    aws.settle()
    stack = cfn.describe_stacks(StackName="shop")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE", stack.get("StackStatusReason")
    assert visibility(sqs, url) == "60"  # same queue, changed in place
    assert stack["Outputs"][0]["OutputValue"] == url
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert buckets == ["shop-uploads-v2"]  # the renamed bucket replaced the old one
    seen = events(cfn, "shop")
    assert ("Bucket", "UPDATE_IN_PROGRESS", "Requested update requires the creation of a new physical resource; "
            "hence creating one.") in seen
    assert ("Queue", "UPDATE_COMPLETE", "") in seen

    cfn.delete_stack(StackName="shop")
    aws.settle()
    deletions = [logical for logical, status, _ in events(cfn, stack["StackId"]) if status == "DELETE_COMPLETE"]
    assert deletions[-4:] == ["Policy", "Bucket", "Queue", "shop"] or deletions[-4:] == ["Policy", "Queue", "Bucket", "shop"]
    assert deletions.index("Policy") < deletions.index("Queue", deletions.index("Policy"))
    assert s3.list_buckets()["Buckets"] == []
    assert sqs.list_queues().get("QueueUrls", []) == []


def test_failed_update_rolls_back_to_the_previous_state(cfn, client, aws):
    sqs = client("sqs")
    cfn.create_stack(StackName="rb", TemplateBody=app("rb-uploads", 30))
    aws.settle()
    url = cfn.describe_stacks(StackName="rb")["Stacks"][0]["Outputs"][0]["OutputValue"]
    broken = {"Broken": {"Type": "AWS::SQS::Queue", "DependsOn": "Queue",
                         "Properties": {"QueueName": "bad name!"}}}
    cfn.update_stack(StackName="rb", TemplateBody=app("rb-uploads", 45, broken))
    aws.settle()
    stack = cfn.describe_stacks(StackName="rb")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert visibility(sqs, url) == "30"  # the in-place change was undone
    statuses = [s for logical, s, _ in events(cfn, "rb") if logical == "rb"]
    assert statuses[-4:] == ["UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
                             "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"]
    assert sorted(u.rsplit("/", 1)[-1] for u in sqs.list_queues()["QueueUrls"]) == ["orders"]
    assert [r["LogicalResourceId"] for r in cfn.describe_stack_resources(StackName="rb")["StackResources"]] == \
        ["Bucket", "Queue", "Policy"]
