"""SNS to HTTP endpoints on 127.0.0.1: confirmation flow, notifications, AWS's headers."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ..sns_endpoint import Endpoint

ACCOUNT = "123456789012"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    yield server
    server.stop()


@pytest.fixture
def sns(client):
    return client("sns")


def test_confirmation_flow_then_notifications(aws, sns, endpoint):
    topic = sns.create_topic(Name="hooks")["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=endpoint.url)["SubscriptionArn"] == (
        "pending confirmation")
    confirmation, = endpoint.received
    headers = confirmation.headers
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == topic
    assert headers["content-type"] == "text/plain; charset=UTF-8"
    assert headers["user-agent"] == "Amazon Simple Notification Service Agent"
    doc = confirmation.json
    assert list(doc) == ["Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp",
                         "SignatureVersion", "Signature", "SigningCertURL"]
    assert doc["MessageId"] == headers["x-amz-sns-message-id"]
    assert doc["SubscribeURL"] == f"{aws.endpoint}/?Action=ConfirmSubscription&TopicArn={topic}&Token={doc['Token']}"
    pending, = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert pending["SubscriptionArn"] == "PendingConfirmation"
    sns.publish(TopicArn=topic, Message="too early")
    assert len(endpoint.received) == 1

    arn = sns.confirm_subscription(TopicArn=topic, Token=doc["Token"])["SubscriptionArn"]
    out = sns.publish(TopicArn=topic, Message="hello hook", Subject="S")
    note = endpoint.received[-1]
    assert note.path == "/hook"
    assert (note.headers["x-amz-sns-message-type"], note.headers["x-amz-sns-message-id"],
            note.headers["x-amz-sns-topic-arn"], note.headers["x-amz-sns-subscription-arn"]) == (
        "Notification", out["MessageId"], topic, arn)
    assert "x-amz-sns-rawdelivery" not in note.headers
    assert (note.json["Type"], note.json["Message"], note.json["Subject"]) == ("Notification", "hello hook", "S")


def test_endpoint_confirming_by_fetching_subscribe_url(sns):
    server = Endpoint(auto_confirm=True)
    try:
        topic = sns.create_topic(Name="auto")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=server.url,
                      Attributes={"RawMessageDelivery": "true"})
        sub, = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        assert sub["SubscriptionArn"].startswith(topic + ":")  # confirmed by the GET of SubscribeURL
        sns.publish(TopicArn=topic, Message="raw body")
        note, = server.of_type("Notification")
        assert note.body == "raw body" and note.headers["x-amz-sns-rawdelivery"] == "true"
    finally:
        server.stop()


def test_failing_endpoint_is_recorded(aws, sns):
    server = Endpoint(auto_confirm=True, status=500)
    try:
        topic = sns.create_topic(Name="broken")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=server.url)
        sns.publish(TopicArn=topic, Message="lost")
        state = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")
        assert [(f.type, f.error) for f in state.failed] == [
            ("SubscriptionConfirmation", "HTTP 500"), ("Notification", "HTTP 500")]
    finally:
        server.stop()


def test_remote_endpoints_are_never_contacted(aws, sns):
    topic = sns.create_topic(Name="remote")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://example.com/hook")
    state = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")
    captured, = state.outbox
    assert (captured.type, captured.endpoint) == ("SubscriptionConfirmation", "https://example.com/hook")
    sns.confirm_subscription(TopicArn=topic, Token=json.loads(captured.body)["Token"])
    sns.publish(TopicArn=topic, Message="kept here")
    assert json.loads(state.outbox[-1].body)["Message"] == "kept here"


def test_unsubscribe_tells_the_endpoint(sns):
    server = Endpoint(auto_confirm=True)
    try:
        topic = sns.create_topic(Name="bye")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=server.url)
        arn = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"][0]["SubscriptionArn"]
        sns.unsubscribe(SubscriptionArn=arn)
        note, = server.of_type("UnsubscribeConfirmation")
        assert note.headers["x-amz-sns-subscription-arn"] == arn
        assert note.json["Type"] == "UnsubscribeConfirmation" and "SubscribeURL" in note.json
    finally:
        server.stop()


def test_https_endpoint_on_localhost(sns):
    server = Endpoint(tls=True)
    try:
        topic = sns.create_topic(Name="secure")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="https", Endpoint=server.url)
        confirmation, = server.of_type("SubscriptionConfirmation")
        sns.confirm_subscription(TopicArn=topic, Token=confirmation.json["Token"])
        sns.publish(TopicArn=topic, Message="over tls")
        note, = server.of_type("Notification")
        assert note.json["Message"] == "over tls"
    finally:
        server.stop()
