"""The mailbox simulator's outcomes as AWS reports them: identity notifications to SNS topics
and configuration-set events to SNS and Firehose, read back from SQS queues and S3."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from .test_ses_sending import simple


@pytest.fixture
def topic_queue(client: Callable[..., Any]) -> Callable[[str], tuple[str, Callable[[], list[dict[str, Any]]]]]:
    """`topic_queue(name)`: an SNS topic with an SQS queue subscribed; returns (topic ARN, read),
    `read()` giving the SNS messages' parsed `Message`s received so far."""
    sns, sqs = client("sns"), client("sqs")

    def make(name: str) -> tuple[str, Callable[[], list[dict[str, Any]]]]:
        arn = sns.create_topic(Name=name)["TopicArn"]
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)

        def read() -> list[dict[str, Any]]:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            return [json.loads(json.loads(m["Body"])["Message"]) for m in got]

        return arn, read

    return make


def test_a_bounce_to_the_simulator_notifies_the_identity_topic(ses, sender, topic_queue, aws) -> None:
    arn, read = topic_queue("bounces")
    ses.set_identity_notification_topic(Identity=sender, NotificationType="Bounce", SnsTopic=arn)
    message_id = simple(ses, sender, "bounce@simulator.amazonses.com")
    aws.settle()
    [note] = read()
    assert note["notificationType"] == "Bounce"
    assert note["bounce"]["bounceType"] == "Permanent" and note["bounce"]["bounceSubType"] == "General"
    assert note["bounce"]["bouncedRecipients"][0]["emailAddress"] == "bounce@simulator.amazonses.com"
    assert note["mail"]["messageId"] == message_id and note["mail"]["source"] == sender
    assert note["mail"]["destination"] == ["bounce@simulator.amazonses.com"]
    assert "headers" not in note["mail"] and "tags" not in note["mail"]  # headers only when asked for
    ses.set_identity_headers_in_notifications_enabled(Identity=sender, NotificationType="Bounce", Enabled=True)
    simple(ses, sender, "bounce@simulator.amazonses.com")
    aws.settle()
    [note] = read()
    assert note["mail"]["commonHeaders"]["subject"] == "Hello" and note["mail"]["headersTruncated"] is False
    assert {"name": "Subject", "value": "Hello"} in note["mail"]["headers"]


def test_complaint_and_delivery_topics_and_the_domain_fallback(ses, verified, topic_queue, aws) -> None:
    verified("example.com")
    complaints, read_complaints = topic_queue("complaints")
    deliveries, read_deliveries = topic_queue("deliveries")
    ses.set_identity_notification_topic(Identity="example.com", NotificationType="Complaint", SnsTopic=complaints)
    ses.set_identity_notification_topic(Identity="example.com", NotificationType="Delivery", SnsTopic=deliveries)
    simple(ses, "shop@example.com", "complaint@simulator.amazonses.com")
    aws.settle()
    [complaint] = read_complaints()
    assert complaint["notificationType"] == "Complaint"
    assert complaint["complaint"]["complainedRecipients"] == [{"emailAddress": "complaint@simulator.amazonses.com"}]
    [delivery] = read_deliveries()
    assert delivery["notificationType"] == "Delivery"
    assert delivery["delivery"]["recipients"] == ["complaint@simulator.amazonses.com"]


def test_notification_attributes_read_back(ses, sender, topic_queue) -> None:
    arn, _read = topic_queue("t")
    ses.set_identity_notification_topic(Identity=sender, NotificationType="Bounce", SnsTopic=arn)
    ses.set_identity_notification_topic(Identity=sender, NotificationType="Complaint", SnsTopic=arn)
    ses.set_identity_feedback_forwarding_enabled(Identity=sender, ForwardingEnabled=False)
    ses.set_identity_headers_in_notifications_enabled(Identity=sender, NotificationType="Bounce", Enabled=True)
    attrs = ses.get_identity_notification_attributes(Identities=[sender])["NotificationAttributes"][sender]
    assert attrs == {"BounceTopic": arn, "ComplaintTopic": arn, "ForwardingEnabled": False,
                     "HeadersInBounceNotificationsEnabled": True, "HeadersInComplaintNotificationsEnabled": False,
                     "HeadersInDeliveryNotificationsEnabled": False}
    ses.set_identity_notification_topic(Identity=sender, NotificationType="Bounce")
    attrs = ses.get_identity_notification_attributes(Identities=[sender])["NotificationAttributes"][sender]
    assert "BounceTopic" not in attrs


def test_configuration_set_events_go_to_an_sns_destination(ses, sender, topic_queue, aws) -> None:
    arn, read = topic_queue("events")
    ses.create_configuration_set(ConfigurationSet={"Name": "tracked"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="tracked", EventDestination={
        "Name": "sns", "Enabled": True, "MatchingEventTypes": ["send", "bounce", "delivery", "renderingFailure"],
        "SNSDestination": {"TopicARN": arn}})
    message_id = simple(ses, sender, "bounce@simulator.amazonses.com", "success@simulator.amazonses.com",
                        ConfigurationSetName="tracked", Tags=[{"Name": "campaign", "Value": "x"}])
    aws.settle()
    events = {e["eventType"]: e for e in read()}
    assert set(events) == {"Send", "Bounce", "Delivery"}
    assert events["Send"]["mail"]["messageId"] == message_id
    assert events["Send"]["mail"]["tags"]["ses:configuration-set"] == ["tracked"]
    assert events["Send"]["mail"]["tags"]["campaign"] == ["x"]
    assert events["Delivery"]["delivery"]["recipients"] == ["success@simulator.amazonses.com"]
    assert events["Bounce"]["bounce"]["bouncedRecipients"][0]["emailAddress"] == "bounce@simulator.amazonses.com"

    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "{{missing}}", "TextPart": "x"})
    ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                             Template="t", TemplateData="{}", ConfigurationSetName="tracked")
    aws.settle()
    [failure] = read()
    assert failure["eventType"] == "Rendering Failure"
    assert failure["failure"] == {"templateName": "t",
                                  "errorMessage": "Attribute 'missing' is not present in the rendering data."}


def test_a_disabled_destination_and_unmatched_types_publish_nothing(ses, sender, topic_queue, aws) -> None:
    arn, read = topic_queue("quiet")
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "off", "Enabled": False, "MatchingEventTypes": ["send"], "SNSDestination": {"TopicARN": arn}})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "complaints", "Enabled": True, "MatchingEventTypes": ["complaint"], "SNSDestination": {"TopicARN": arn}})
    simple(ses, sender, "success@simulator.amazonses.com", ConfigurationSetName="cs")
    aws.settle()
    assert read() == []


def test_events_reach_a_firehose_stream(ses, sender, client, aws, frozen) -> None:
    s3, firehose = client("s3"), client("firehose")
    s3.create_bucket(Bucket="ses-events")
    stream = firehose.create_delivery_stream(
        DeliveryStreamName="ses", S3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/firehose", "BucketARN": "arn:aws:s3:::ses-events",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60}})["DeliveryStreamARN"]
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "fh", "Enabled": True, "MatchingEventTypes": ["send"],
        "KinesisFirehoseDestination": {"IAMRoleARN": "arn:aws:iam::123456789012:role/ses", "DeliveryStreamARN": stream}})
    simple(ses, sender, "success@simulator.amazonses.com", ConfigurationSetName="cs")
    aws.settle()
    frozen.advance(61)  # the stream's buffer interval
    aws.settle()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="ses-events").get("Contents", [])]
    body = b"".join(s3.get_object(Bucket="ses-events", Key=k)["Body"].read() for k in keys)
    assert json.loads(body.decode().splitlines()[0])["eventType"] == "Send"



def test_events_reach_an_eventbridge_bus(ses, ses_service, sender, client, aws) -> None:
    """An EventBridge destination (SES v2 sets them; put straight into the shared state here)."""
    events, sqs = client("events"), client("sqs")
    url = sqs.create_queue(QueueName="ses-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="ses", EventPattern=json.dumps({"source": ["aws.ses"], "detail-type": ["Email Bounced"]}))
    events.put_targets(Rule="ses", Targets=[{"Id": "q", "Arn": queue_arn}])
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "eb", "Enabled": True, "MatchingEventTypes": ["send", "bounce"],
        "SNSDestination": {"TopicARN": "arn:aws:sns:us-east-1:123456789012:unused"}})
    destination = ses_service.store.get(aws.config.account_id, aws.config.region).configuration_sets["cs"].destinations["eb"]
    destination.sns_topic_arn = None
    destination.eventbridge_bus_arn = f"arn:aws:events:us-east-1:{aws.config.account_id}:event-bus/default"
    simple(ses, sender, "bounce@simulator.amazonses.com", ConfigurationSetName="cs")
    aws.settle()
    [received] = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    event = json.loads(received["Body"])
    assert (event["source"], event["detail-type"]) == ("aws.ses", "Email Bounced")
    assert event["detail"]["eventType"] == "Bounce"
