"""SNS's own checks and policies: publish rules, delivery and data protection policies, numeric
filters at AWS's precision, message attribute names and numbers; and every operation answered."""

from __future__ import annotations

import json

import pytest

from pytest_cloudmock.services.sns import SNS

from ..aws_errors import error_of
from ..every_operation import call_every_operation

ACCOUNT = "123456789012"
DEFAULT_HTTP_RETRY = {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
                      "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"}


@pytest.fixture
def sns(client):
    return client("sns")


@pytest.fixture
def sqs(client):
    return client("sqs")


def raw_queue(sns, sqs, topic: str, policy: dict) -> str:
    """A queue subscribed to `topic` with raw delivery and `policy`; its URL."""
    url = sqs.create_queue(QueueName="filtered")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps(policy)})
    return url


def bodies(sqs, url: str) -> list[str]:
    return sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []))


def test_every_sns_operation_is_answered(client):
    assert call_every_operation(client("sns"), seed=14, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = SNS()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


def test_effective_delivery_policy_is_aws_default_overlaid_by_the_topic_policy(sns):
    topic = sns.create_topic(Name="delivery")["TopicArn"]
    effective = json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["EffectiveDeliveryPolicy"])
    assert effective == {"http": {"defaultHealthyRetryPolicy": DEFAULT_HTTP_RETRY, "disableSubscriptionOverrides": False,
                                  "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"}}}
    policy = {"http": {"defaultHealthyRetryPolicy": {"numRetries": 7}, "disableSubscriptionOverrides": True}}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(policy))
    attrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert json.loads(attrs["DeliveryPolicy"]) == policy
    effective = json.loads(attrs["EffectiveDeliveryPolicy"])["http"]
    assert effective["defaultHealthyRetryPolicy"] == {**DEFAULT_HTTP_RETRY, "numRetries": 7}
    assert effective["disableSubscriptionOverrides"] is True
    assert error_of(sns.create_topic, Name="bad", Attributes={"DeliveryPolicy": "{"}) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: DeliveryPolicy: failed to parse JSON.")


def test_data_protection_policy(sns):
    topic = sns.create_topic(Name="pii")["TopicArn"]
    assert sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"] == ""
    policy = json.dumps({"Name": "p", "Description": "", "Version": "2021-06-01", "Statement": []})
    sns.put_data_protection_policy(ResourceArn=topic, DataProtectionPolicy=policy)
    assert sns.get_data_protection_policy(ResourceArn=topic)["DataProtectionPolicy"] == policy
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DataProtectionPolicy"] == policy
    assert error_of(sns.put_data_protection_policy, ResourceArn=topic, DataProtectionPolicy="not json")[0] == "InvalidParameter"
    assert error_of(sns.get_data_protection_policy, ResourceArn=topic + "-gone") == ("NotFound", "Topic does not exist")


def test_publish_rules(sns):
    fifo = sns.create_topic(Name="jobs.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert error_of(sns.publish, TopicArn=fifo, Message="m", MessageDeduplicationId="d") == (
        "InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
    topic = sns.create_topic(Name="plain")["TopicArn"]
    assert error_of(sns.publish, TopicArn=topic, Message="{", MessageStructure="json") == (
        "InvalidParameter", "Invalid parameter: Message Structure - JSON message body failed to parse")
    assert error_of(sns.publish, TopicArn=topic, Message='{"sqs": "x"}', MessageStructure="json") == (
        "InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body")
    for phone in ("+0123", "15555550100", "+1 555 555 0100"):  # not E.164
        assert error_of(sns.publish, PhoneNumber=phone, Message="m") == (
            "InvalidParameter", f"Invalid parameter: PhoneNumber Reason: {phone} is not valid to publish to")
    assert "MessageId" in sns.publish(PhoneNumber="+15555550100", Message="m")
    assert error_of(sns.create_topic, Name="x" * 257)[0] == "InvalidParameter"
    assert "Fifo Topic names must end with .fifo" in error_of(sns.create_topic, Name="jobs", Attributes={"FifoTopic": "true"})[1]


def test_number_attributes_take_aws_range(sns):
    topic = sns.create_topic(Name="numbers")["TopicArn"]
    big = {"n": {"DataType": "Number", "StringValue": "12345678901234"}}
    assert "MessageId" in sns.publish(TopicArn=topic, Message="m", MessageAttributes=big)
    assert error_of(sns.publish, TopicArn=topic, Message="m",
                    MessageAttributes={"n": {"DataType": "Number", "StringValue": "1e127"}})[0] == "InvalidParameter"
    code, message = error_of(sns.publish, TopicArn=topic, Message="m",
                             MessageAttributes={"n": {"DataType": "Number", "StringValue": "ten"}})
    assert code == "InvalidParameter" and "Could not cast message attribute 'n' value to number." in message


def test_numeric_filters_at_five_decimals_and_string_arrays_of_numbers(sns, sqs):
    topic = sns.create_topic(Name="prices")["TopicArn"]
    url = raw_queue(sns, sqs, topic, {"Price": [{"numeric": ["=", 1]}], "Sizes": [2]})
    entries = [
        {"Id": "near", "Message": "near", "MessageAttributes": {
            "Price": {"DataType": "Number", "StringValue": "1.000001"},  # equal at five decimals
            "Sizes": {"DataType": "String.Array", "StringValue": "[1, 2, 3]"}}},
        {"Id": "far", "Message": "far", "MessageAttributes": {
            "Price": {"DataType": "Number", "StringValue": "1.0001"},
            "Sizes": {"DataType": "String.Array", "StringValue": "[2]"}}},
        {"Id": "text", "Message": "text", "MessageAttributes": {
            "Price": {"DataType": "Number", "StringValue": "1"},
            "Sizes": {"DataType": "String.Array", "StringValue": "[\"2\"]"}}},  # a string is no number
    ]
    assert len(sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)["Successful"]) == 3
    assert bodies(sqs, url) == ["near"]


def test_publish_batch_keeps_upper_case_attribute_names(sns, sqs):
    topic = sns.create_topic(Name="upper")["TopicArn"]
    url = raw_queue(sns, sqs, topic, {"CustomerTier": ["Gold"]})
    sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "1", "Message": "gold", "MessageAttributes": {"CustomerTier": {"DataType": "String", "StringValue": "Gold"}}},
        {"Id": "2", "Message": "lower", "MessageAttributes": {"customertier": {"DataType": "String", "StringValue": "Gold"}}},
    ])
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
    assert [(m["Body"], list(m["MessageAttributes"])) for m in messages] == [("gold", ["CustomerTier"])]
    result = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "r", "Message": "m", "MessageAttributes": {"AWS.Reserved": {"DataType": "String", "StringValue": "x"}}}])
    assert result["Failed"][0]["Code"] == "InvalidParameter"


def test_reserved_attribute_names(sns, aws):
    sms = {"AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "Shop"},
           "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
    assert "MessageId" in sns.publish(PhoneNumber="+15555550100", Message="m", MessageAttributes=sms)
    state = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")
    assert state.outbox[-1].message_attributes["AWS.SNS.SMS.SMSType"]["StringValue"] == "Transactional"
    topic = sns.create_topic(Name="reserved")["TopicArn"]
    for name in ("AWS.SNS.SMS.SenderId", "amazon.thing"):  # not a documented name (spelling counts)
        assert error_of(sns.publish, TopicArn=topic, Message="m",
                        MessageAttributes={name: {"DataType": "String", "StringValue": "x"}}) == (
            "InvalidParameter", "Message attribute names starting with 'AWS.' or 'Amazon.' are reserved for use by Amazon.")


def test_topic_attribute_values(sns):
    topic = sns.create_topic(Name="values")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    sns.set_topic_attributes(TopicArn=topic, AttributeName="TracingConfig", AttributeValue="Active")
    attrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attrs["SignatureVersion"], attrs["TracingConfig"]) == ("2", "Active")
    # AWS's wording for these is not documented: the code is asserted.
    for name, value in (("SignatureVersion", "3"), ("TracingConfig", "On")):
        assert error_of(sns.set_topic_attributes, TopicArn=topic, AttributeName=name, AttributeValue=value)[0] == (
            "InvalidParameter")
    assert error_of(sns.create_topic, Name="v2", Attributes={"SignatureVersion": "9"})[0] == "InvalidParameter"
