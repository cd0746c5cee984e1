"""SNS topics over the gateway: create (standard, FIFO), attributes, list, delete, tags."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.services.sns import SNS

from ..aws_errors import error_with_status
from ..service_fuzz import fuzz

ACCOUNT = "123456789012"


@pytest.fixture
def sns(client):
    return client("sns")


def test_create_topic_is_idempotent(sns):
    arn = sns.create_topic(Name="orders", Attributes={"DisplayName": "Orders"})["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:{ACCOUNT}:orders"
    assert sns.create_topic(Name="orders")["TopicArn"] == arn
    assert sns.create_topic(Name="orders", Attributes={"DisplayName": "Orders"})["TopicArn"] == arn
    code, message, status = error_with_status(sns.create_topic, Name="orders", Attributes={"DisplayName": "Other"})
    assert (code, status) == ("InvalidParameter", 400)
    assert message == "Invalid parameter: Attributes Reason: Topic already exists with different attributes"


def test_topic_attributes(sns):
    arn = sns.create_topic(Name="attrs", Attributes={"DisplayName": "Shown"})["TopicArn"]
    attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["TopicArn"] == arn and attrs["Owner"] == ACCOUNT and attrs["DisplayName"] == "Shown"
    assert (attrs["SubscriptionsConfirmed"], attrs["SubscriptionsPending"], attrs["SubscriptionsDeleted"]) == ("0", "0", "0")
    policy = json.loads(attrs["Policy"])
    assert policy["Statement"][0]["Resource"] == arn
    assert "http" in json.loads(attrs["EffectiveDeliveryPolicy"])
    assert "FifoTopic" not in attrs
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="New")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "New"
    assert error_with_status(sns.set_topic_attributes, TopicArn=arn, AttributeName="Colour", AttributeValue="x")[:2] == (
        "InvalidParameter", "Invalid parameter: AttributeName")
    assert error_with_status(sns.set_topic_attributes, TopicArn=arn, AttributeName="Policy", AttributeValue="{")[0] == (
        "InvalidParameter")
    assert error_with_status(sns.set_topic_attributes, TopicArn=arn, AttributeName="ContentBasedDeduplication",
                    AttributeValue="true")[0] == "InvalidParameter"


def test_fifo_topics(sns):
    arn = sns.create_topic(Name="jobs.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert (attrs["FifoTopic"], attrs["ContentBasedDeduplication"]) == ("true", "false")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["ContentBasedDeduplication"] == "true"
    code, message, _ = error_with_status(sns.create_topic, Name="jobs", Attributes={"FifoTopic": "true"})
    assert code == "InvalidParameter" and "Fifo Topic names must end with .fifo" in message
    assert error_with_status(sns.create_topic, Name="plain.fifo")[:2] == ("InvalidParameter", "Invalid parameter: Topic Name")


@pytest.mark.parametrize("name", ["has space", "a" * 257, "dots.not.allowed", ""])
def test_bad_topic_names(sns, name):
    if not name:
        with pytest.raises(ClientError) as info:  # botocore lets an empty name through to the server
            sns.create_topic(Name=name)
        assert info.value.response["Error"]["Code"] == "InvalidParameter"
        return
    assert error_with_status(sns.create_topic, Name=name)[:2] == ("InvalidParameter", "Invalid parameter: Topic Name")


def test_list_topics_pages_by_100_and_delete(sns):
    arns = sorted(sns.create_topic(Name=f"t{i:03d}")["TopicArn"] for i in range(105))
    first = sns.list_topics()
    assert len(first["Topics"]) == 100 and "NextToken" in first
    second = sns.list_topics(NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert [t["TopicArn"] for t in first["Topics"] + second["Topics"]] == arns
    every = [t["TopicArn"] for p in sns.get_paginator("list_topics").paginate() for t in p["Topics"]]
    assert every == arns
    sns.delete_topic(TopicArn=arns[0])
    sns.delete_topic(TopicArn=arns[0])  # deleting twice is fine, as on AWS
    assert len([t for p in sns.get_paginator("list_topics").paginate() for t in p["Topics"]]) == 104
    assert error_with_status(sns.get_topic_attributes, TopicArn=arns[0]) == ("NotFound", "Topic does not exist", 404)


def test_topics_are_per_region_and_account(aws, client):
    sns = client("sns")
    sns.create_topic(Name="here")
    assert client("sns", region_name="eu-west-1").list_topics()["Topics"] == []
    state = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")
    assert list(state.topics) == [f"arn:aws:sns:us-east-1:{ACCOUNT}:here"]


def test_tags(sns):
    arn = sns.create_topic(Name="tagged", Tags=[{"Key": "env", "Value": "dev"}])["TopicArn"]
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "prod"}])
    tags = sns.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "prod"), ("team", "a")]
    sns.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:missing"
    assert error_with_status(sns.list_tags_for_resource, ResourceArn=missing)[:2] == ("ResourceNotFound", "Resource does not exist")
    code, _, _ = error_with_status(sns.tag_resource, ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    assert code == "TagLimitExceeded"
    code, message, _ = error_with_status(sns.create_topic, Name="tagged", Tags=[{"Key": "other", "Value": "x"}])
    assert message == "Invalid parameter: Tags Reason: Topic already exists with different tags"


def test_add_and_remove_permission(sns):
    arn = sns.create_topic(Name="shared")["TopicArn"]
    sns.add_permission(TopicArn=arn, Label="partner", AWSAccountId=["111111111111"], ActionName=["Publish"])
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert statements[-1] == {"Sid": "partner", "Effect": "Allow",
                              "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                              "Action": "SNS:Publish", "Resource": arn}
    assert error_with_status(sns.add_permission, TopicArn=arn, Label="partner", AWSAccountId=["1"], ActionName=["Publish"])[:2] == (
        "InvalidParameter", "Invalid parameter: Statement already exists")
    assert error_with_status(sns.add_permission, TopicArn=arn, Label="x", AWSAccountId=["1"], ActionName=["Fly"])[0] == (
        "InvalidParameter")
    sns.remove_permission(TopicArn=arn, Label="partner")
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["__default_statement_ID"]


@pytest.mark.parametrize("seed", range(4))
def test_random_calls_never_crash(seed):
    """Every operation, fed random botocore-valid params: a result or an AWS error, no traceback."""
    assert fuzz(SNS(), rounds=25, seed=seed) == []



def test_encrypted_topics_check_their_kms_key_at_publish(sns, client):
    """Any KmsMasterKeyId is accepted on the topic; publishing finds out, in SNS's KMS* codes."""
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    arn = sns.create_topic(Name="sealed", Attributes={"KmsMasterKeyId": key})["TopicArn"]
    assert sns.publish(TopicArn=arn, Message="hi")["MessageId"]
    kms.disable_key(KeyId=key)
    assert error_with_status(sns.publish, TopicArn=arn, Message="hi")[::2] == ("KMSDisabled", 400)
    batch = [{"Id": "1", "Message": "hi"}]
    assert error_with_status(sns.publish_batch, TopicArn=arn, PublishBatchRequestEntries=batch)[0] == "KMSDisabled"
    kms.enable_key(KeyId=key)
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert error_with_status(sns.publish, TopicArn=arn, Message="hi")[0] == "KMSInvalidState"
    lost = sns.create_topic(Name="lost", Attributes={"KmsMasterKeyId": "alias/does-not-exist"})["TopicArn"]
    assert error_with_status(sns.publish, TopicArn=lost, Message="hi")[0] == "KMSNotFound"
    managed = sns.create_topic(Name="managed", Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
    assert sns.publish(TopicArn=managed, Message="hi")["MessageId"]
