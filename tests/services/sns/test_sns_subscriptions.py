"""SNS subscriptions over the gateway; email and SMS deliveries read from the store."""

from __future__ import annotations

import json

import pytest
import requests

from ..aws_errors import error_of

ACCOUNT = "123456789012"
QUEUE_ARN = f"arn:aws:sqs:us-east-1:{ACCOUNT}:inbox"


@pytest.fixture
def sns(client):
    return client("sns")


@pytest.fixture
def topic(sns):
    return sns.create_topic(Name="news")["TopicArn"]


@pytest.fixture
def sns_state(aws):
    return aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")


def test_sqs_subscription_is_confirmed_and_idempotent(sns, topic):
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=QUEUE_ARN)["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    assert sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=QUEUE_ARN)["SubscriptionArn"] == arn
    attrs = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attrs == {
        "SubscriptionArn": arn, "TopicArn": topic, "Owner": ACCOUNT, "Protocol": "sqs", "Endpoint": QUEUE_ARN,
        "ConfirmationWasAuthenticated": "true", "PendingConfirmation": "false", "RawMessageDelivery": "false",
        "SubscriptionPrincipal": f"arn:aws:iam::{ACCOUNT}:root",
    }
    code, message = error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=QUEUE_ARN,
                             Attributes={"RawMessageDelivery": "true"})
    assert message == "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsConfirmed"] == "1"


def test_subscription_attributes(sns, topic):
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=QUEUE_ARN,
                        Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"]
    policy = json.dumps({"store": ["example_corp"]})
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue=policy)
    attrs = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert (attrs["RawMessageDelivery"], attrs["FilterPolicy"], attrs["FilterPolicyScope"]) == (
        "true", policy, "MessageAttributes")
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicyScope", AttributeValue="MessageBody")
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["FilterPolicyScope"] == "MessageBody"
    assert error_of(sns.set_subscription_attributes, SubscriptionArn=arn, AttributeName="FilterPolicyScope",
                    AttributeValue="Random") == (
        "InvalidParameter",
        "Invalid parameter: FilterPolicyScope: Invalid value [Random]. Please use either MessageBody or MessageAttributes")
    assert error_of(sns.set_subscription_attributes, SubscriptionArn=arn, AttributeName="RawMessageDelivery",
                    AttributeValue="yes")[0] == "InvalidParameter"
    assert error_of(sns.set_subscription_attributes, SubscriptionArn=arn, AttributeName="Colour",
                    AttributeValue="x") == ("InvalidParameter", "Invalid parameter: AttributeName")
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy", AttributeValue="")
    assert "FilterPolicy" not in sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert error_of(sns.get_subscription_attributes, SubscriptionArn=arn + "x") == ("NotFound", "Subscription does not exist")


@pytest.mark.parametrize(("protocol", "endpoint", "message"), [
    ("carrier-pigeon", "x", "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon"),
    ("sqs", "not-an-arn", "Invalid parameter: SQS endpoint ARN"),
    ("email", "nobody", "Invalid parameter: Email address"),
    ("https", "http://127.0.0.1/x", "Invalid parameter: Endpoint must match the specified protocol"),
    ("sqs", "arn:aws:sqs:us-east-1:12:short-account", "Invalid parameter: SQS endpoint ARN"),
    ("lambda", "my-function", "Invalid parameter: Lambda endpoint ARN"),
    ("lambda", "arn:aws:lambda:fn", "Invalid parameter: Lambda endpoint ARN"),
    ("sqs", f"arn:aws:sqs:us-east-1:{ACCOUNT}:q.fifo",
     "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics"),
])
def test_subscribe_errors(sns, topic, protocol, endpoint, message):
    assert error_of(sns.subscribe, TopicArn=topic, Protocol=protocol, Endpoint=endpoint) == ("InvalidParameter", message)


def test_subscribe_to_missing_topic_and_fifo_rules(sns):
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:missing"
    assert error_of(sns.subscribe, TopicArn=missing, Protocol="sqs", Endpoint=QUEUE_ARN) == ("NotFound", "Topic does not exist")
    fifo = sns.create_topic(Name="f.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert error_of(sns.subscribe, TopicArn=fifo, Protocol="email", Endpoint="a@example.com")[0] == "InvalidParameter"
    sns.subscribe(TopicArn=fifo, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:{ACCOUNT}:q.fifo")


def test_email_confirmation_then_delivery_read_from_store(sns, topic, sns_state):
    out = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    assert out["SubscriptionArn"] == "pending confirmation"
    listed, = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed["SubscriptionArn"] == "PendingConfirmation"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsPending"] == "1"
    confirmation, = sns_state.outbox
    assert (confirmation.type, confirmation.endpoint) == ("SubscriptionConfirmation", "ops@example.com")
    assert "Action=ConfirmSubscription" in confirmation.body
    sns.publish(TopicArn=topic, Message="not yet")  # pending subscriptions get nothing
    assert len(sns_state.outbox) == 1
    assert error_of(sns.confirm_subscription, TopicArn=topic, Token="wrong") == ("InvalidParameter", "Invalid parameter: Token")
    arn = sns.confirm_subscription(TopicArn=topic, Token=confirmation.token)["SubscriptionArn"]
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "false"

    sns.publish(TopicArn=topic, Message="Disk is full", Subject="Alert")
    email = sns_state.outbox[-1]
    assert (email.protocol, email.endpoint, email.type, email.subject, email.message) == (
        "email", "ops@example.com", "Notification", "Alert", "Disk is full")
    assert email.body.startswith("Disk is full\n\n--\nIf you wish to stop receiving notifications")
    assert f"?Action=Unsubscribe&SubscriptionArn={arn}" in email.body


def test_email_json_gets_the_envelope(sns, topic, sns_state):
    sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="json@example.com")
    confirmation = json.loads(sns_state.outbox[0].body)
    assert confirmation["Type"] == "SubscriptionConfirmation" and confirmation["Token"] == sns_state.outbox[0].token
    sns.confirm_subscription(TopicArn=topic, Token=confirmation["Token"])
    sns.publish(TopicArn=topic, Message="hello")
    envelope = json.loads(sns_state.outbox[-1].body)
    assert (envelope["Type"], envelope["Message"], envelope["TopicArn"]) == ("Notification", "hello", topic)


def test_subscribe_url_confirms_when_fetched(aws, sns, topic, sns_state):
    sns.subscribe(TopicArn=topic, Protocol="email-json", Endpoint="click@example.com")
    url = json.loads(sns_state.outbox[0].body)["SubscribeURL"]
    assert url.startswith(aws.endpoint + "/?Action=ConfirmSubscription&")
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and "<ConfirmSubscriptionResult>" in answer.text
    assert sns.list_subscriptions()["Subscriptions"][0]["SubscriptionArn"].startswith(topic + ":")


def test_sms_subscriptions_and_direct_sms(sns, topic, sns_state):
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+15555550100")
    sns.publish(TopicArn=topic, Message="topic text")
    sns.publish(PhoneNumber="+15555550199", Message="direct text")
    texts = [(d.protocol, d.endpoint, d.message) for d in sns_state.outbox]
    assert texts == [("sms", "+15555550100", "topic text"), ("sms", "+15555550199", "direct text")]
    assert error_of(sns.publish, PhoneNumber="call me", Message="x")[0] == "InvalidParameter"
    assert error_of(sns.subscribe, TopicArn=topic, Protocol="sms", Endpoint="12ab")[0] == "InvalidParameter"


def test_list_and_unsubscribe(sns, topic):
    other = sns.create_topic(Name="other")["TopicArn"]
    arns = [sns.subscribe(TopicArn=t, Protocol="sqs", Endpoint=f"{QUEUE_ARN}{i}")["SubscriptionArn"]
            for i, t in enumerate([topic, topic, other])]
    assert len(sns.list_subscriptions()["Subscriptions"]) == 3
    assert {s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]} == set(arns[:2])
    sns.unsubscribe(SubscriptionArn=arns[0])
    sns.unsubscribe(SubscriptionArn=arns[0])
    assert len(sns.list_subscriptions()["Subscriptions"]) == 2
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsDeleted"] == "1"
    assert error_of(sns.unsubscribe, SubscriptionArn="nonsense")[0] == "InvalidParameter"
    sns.delete_topic(TopicArn=other)
    assert [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]] == [arns[1]]
    assert error_of(sns.list_subscriptions_by_topic, TopicArn=other)[0] == "NotFound"


def test_sms_settings_and_opted_out_numbers(sns, topic, sns_state):
    sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional", "DefaultSenderID": "Me"})
    assert sns.get_sms_attributes(attributes=["DefaultSMSType"])["attributes"] == {"DefaultSMSType": "Transactional"}
    assert sns.get_sms_attributes()["attributes"]["DefaultSenderID"] == "Me"
    sns_state.opted_out.add("+15555550111")  # seeded through the store
    assert sns.check_if_phone_number_is_opted_out(phoneNumber="+15555550111")["isOptedOut"] is True
    assert sns.list_phone_numbers_opted_out()["phoneNumbers"] == ["+15555550111"]
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+15555550111")
    sns.publish(TopicArn=topic, Message="not sent")
    sns.publish(PhoneNumber="+15555550111", Message="not sent either")
    assert sns_state.outbox == []
    sns.opt_in_phone_number(phoneNumber="+15555550111")
    sns.publish(PhoneNumber="+15555550111", Message="sent")
    assert [d.message for d in sns_state.outbox] == ["sent"]
