"""A stack's tags reach its resources that take tags, on create and when an update changes
only the stack's tags (as CloudFormation's do); the list of such types matches AWS's schemas."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.services.cloudformation.providers import PROVIDERS
from pytest_cloudmock.services.cloudformation.stack_tags import (
    LIST_TAGGED,
    MAP_TAGGED,
    with_stack_tags,
)

from .conftest import events

TEMPLATE = json.dumps({"Resources": {
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs",
                                                        "Tags": [{"Key": "owner", "Value": "queue-team"}]}},
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "news"}},
    "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/app/mode", "Type": "String",
                                                            "Value": "on"}},
    "Policy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
        "Queues": [{"Ref": "Queue"}], "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}}}}})


def _tags(client):
    sqs, sns, ssm = client("sqs"), client("sns"), client("ssm")
    url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
    topic = next(t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith(":news"))
    return (sqs.list_queue_tags(QueueUrl=url).get("Tags", {}),
            {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=topic)["Tags"]},
            {t["Key"]: t["Value"] for t in ssm.list_tags_for_resource(ResourceType="Parameter",
                                                                      ResourceId="/app/mode")["TagList"]})


def test_an_update_of_only_the_stack_tags_moves_them_to_the_resources(deploy, update, cfn, client):
    stack = deploy("tagged", TEMPLATE, Tags=[{"Key": "team", "Value": "a"}, {"Key": "owner", "Value": "stack"}])
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    queue, topic, param = _tags(client)
    assert queue == {"team": "a", "owner": "queue-team"}  # the resource's own tag wins on a key
    assert topic == param == {"team": "a", "owner": "stack"}

    stack = update("tagged", TEMPLATE, Tags=[{"Key": "team", "Value": "b"}, {"Key": "cost", "Value": "42"}])
    assert stack["StackStatus"] == "UPDATE_COMPLETE", [e for e in events(cfn, "tagged") if "FAILED" in e[1]]
    queue, topic, param = _tags(client)
    assert queue == {"team": "b", "cost": "42", "owner": "queue-team"}
    assert topic == param == {"team": "b", "cost": "42"}
    updated = {logical for logical, status, _ in events(cfn, "tagged") if status == "UPDATE_COMPLETE"}
    assert {"Queue", "Topic", "Param"} <= updated and "Policy" not in updated  # a policy takes no tags


def test_an_update_that_keeps_the_stack_tags_changes_no_resource(deploy, update, cfn):
    deploy("steady", TEMPLATE, Tags=[{"Key": "team", "Value": "a"}])
    before = len(events(cfn, "steady"))
    body = json.loads(TEMPLATE)
    body["Resources"]["Topic"]["Properties"]["DisplayName"] = "News"
    update("steady", json.dumps(body), Tags=[{"Key": "team", "Value": "a"}])
    updated = {logical for logical, status, _ in events(cfn, "steady")[before:] if status == "UPDATE_COMPLETE"}
    assert updated == {"Topic", "steady"}


def test_with_stack_tags_keeps_the_types_form_and_leaves_untagged_types_alone() -> None:
    stack = [{"Key": "team", "Value": "a"}]
    assert with_stack_tags("AWS::SSM::Parameter", {"Tags": {"x": "1"}}, stack)["Tags"] == {"team": "a", "x": "1"}
    assert with_stack_tags("AWS::SQS::Queue", {}, stack)["Tags"] == stack
    assert with_stack_tags("AWS::SQS::QueuePolicy", {"Queues": []}, stack) == {"Queues": []}
    assert with_stack_tags("AWS::SQS::Queue", {"A": 1}, []) == {"A": 1}


@pytest.mark.parametrize("type_name", sorted(PROVIDERS))
def test_the_tagged_types_are_the_schemas_taggable_ones(type_name: str) -> None:
    manager = pytest.importorskip("cfnlint.schema.manager").PROVIDER_SCHEMA_MANAGER
    schema = manager.get_resource_schema("us-east-1", type_name).schema
    tagging = schema.get("tagging") or {}
    create_only = {p.split("/")[2] for p in schema.get("createOnlyProperties", [])}
    takes = (tagging.get("taggable", False) and tagging.get("tagProperty", "/properties/Tags") == "/properties/Tags"
             and "Tags" not in create_only)
    assert (type_name in LIST_TAGGED or type_name in MAP_TAGGED) == bool(takes)
    if takes:
        is_list = schema["properties"]["Tags"].get("type") == "array"
        assert (type_name in LIST_TAGGED) == is_list
