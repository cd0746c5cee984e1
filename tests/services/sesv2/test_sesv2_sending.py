"""SendEmail / SendBulkEmail through the shared SES core: captured mail, templates, the mailbox
simulator's bounce reaching SNS, the sandbox, the suppression list, list management."""

from __future__ import annotations

import json
from email import message_from_bytes
from email.message import EmailMessage

import pytest

from ..aws_errors import error_with_status

SENDER = "sender@example.com"


def simple(subject: str, text: str = "body", **extra):
    return {"Simple": {"Subject": {"Data": subject}, "Body": {"Text": {"Data": text}}, **extra}}


@pytest.fixture
def sender(verified):
    verified(SENDER)
    return SENDER


def test_simple_send_is_captured(sesv2, ses, sender, production):
    got = sesv2.send_email(FromEmailAddress=f"Sender <{sender}>",
                           Destination={"ToAddresses": ["to@example.net"], "CcAddresses": ["cc@example.net"]},
                           ReplyToAddresses=["reply@example.com"],
                           Content={"Simple": {"Subject": {"Data": "Hi"},
                                               "Body": {"Text": {"Data": "plain"}, "Html": {"Data": "<b>rich</b>"}}}},
                           EmailTags=[{"Name": "campaign", "Value": "launch"}])
    [msg] = ses.messages()
    assert msg.message_id == got["MessageId"] and msg.api == "sesv2" and msg.operation == "SendEmail"
    assert (msg.subject, msg.text, msg.html) == ("Hi", "plain", "<b>rich</b>")
    assert msg.to == ["to@example.net"] and msg.cc == ["cc@example.net"] and msg.reply_to == ["reply@example.com"]
    assert msg.tags == {"campaign": "launch"}
    assert ses.messages(destination="cc@example.net") == [msg]


def test_templated_send_renders(sesv2, ses, sender, production):
    sesv2.create_email_template(TemplateName="welcome", TemplateContent={
        "Subject": "Welcome {{name}}", "Text": "Hello {{name}}, plan {{plan.tier}}", "Html": "<p>{{name}}</p>"})
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]},
                     Content={"Template": {"TemplateName": "welcome",
                                           "TemplateData": json.dumps({"name": "Ada & co", "plan": {"tier": "pro"}})}})
    [msg] = ses.messages()
    assert msg.subject == "Welcome Ada & co" and msg.text == "Hello Ada & co, plan pro"
    assert msg.html == "<p>Ada &amp; co</p>" and msg.template == "welcome"
    rendered = sesv2.test_render_email_template(TemplateName="welcome", TemplateData=json.dumps(
        {"name": "Bo", "plan": {"tier": "free"}}))["RenderedTemplate"]
    assert "Subject: Welcome Bo" in rendered and "Hello Bo, plan free" in rendered
    code, message, _ = error_with_status(sesv2.test_render_email_template, TemplateName="welcome", TemplateData="{}")
    assert code == "BadRequestException" and "name" in message
    assert error_with_status(sesv2.send_email, FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]},
                             Content={"Template": {"TemplateName": "ghost", "TemplateData": "{}"}})[0] == \
        "NotFoundException"


def test_inline_template_and_bulk_send(sesv2, ses, sender, production):
    sesv2.create_email_template(TemplateName="note", TemplateContent={"Subject": "For {{who}}", "Text": "{{what}}"})
    result = sesv2.send_bulk_email(
        FromEmailAddress=sender,
        DefaultContent={"Template": {"TemplateName": "note", "TemplateData": json.dumps({"what": "default"})}},
        BulkEmailEntries=[
            {"Destination": {"ToAddresses": ["one@example.net"]},
             "ReplacementEmailContent": {"ReplacementTemplate": {"ReplacementTemplateData": json.dumps({"who": "one"})}}},
            {"Destination": {"ToAddresses": ["two@example.net"]},
             "ReplacementEmailContent": {"ReplacementTemplate": {
                 "ReplacementTemplateData": json.dumps({"who": "two", "what": "custom"})}}},
        ])["BulkEmailEntryResults"]
    assert [r["Status"] for r in result] == ["SUCCESS", "SUCCESS"]
    assert [(m.subject, m.text) for m in ses.messages()] == [("For one", "default"), ("For two", "custom")]
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["x@example.net"]},
                     Content={"Template": {"TemplateContent": {"Subject": "Inline {{n}}"}, "TemplateData": '{"n": 7}'}})
    assert ses.messages()[-1].subject == "Inline 7"


def test_sandbox_refuses_unverified_recipients(sesv2, ses, sender):
    code, message, status = error_with_status(sesv2.send_email, FromEmailAddress=sender,
                                              Destination={"ToAddresses": ["stranger@example.net"]},
                                              Content=simple("Hi"))
    assert (code, status) == ("MessageRejected", 400) and "stranger@example.net" in message
    assert sesv2.get_account()["ProductionAccessEnabled"] is False
    # the mailbox simulator is reachable from the sandbox
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                     Content=simple("Hi"))
    sesv2.put_account_details(MailType="MARKETING", WebsiteURL="https://example.com", ProductionAccessEnabled=True)
    account = sesv2.get_account()
    assert account["ProductionAccessEnabled"] is True and account["Details"]["ReviewDetails"]["Status"] == "GRANTED"
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["stranger@example.net"]},
                     Content=simple("Hi"))
    assert [m.to for m in ses.messages()] == [["success@simulator.amazonses.com"], ["stranger@example.net"]]
    assert sesv2.get_account()["SendQuota"]["SentLast24Hours"] == 2.0


def test_unverified_sender_is_refused(sesv2, production):
    code, _, _ = error_with_status(sesv2.send_email, FromEmailAddress="nobody@unverified.example",
                                   Destination={"ToAddresses": ["a@example.net"]}, Content=simple("Hi"))
    assert code == "MessageRejected"


def test_paused_sending(sesv2, sender, production):
    sesv2.create_configuration_set(ConfigurationSetName="paused", SendingOptions={"SendingEnabled": False})
    code, _, _ = error_with_status(sesv2.send_email, FromEmailAddress=sender, ConfigurationSetName="paused",
                                   Destination={"ToAddresses": ["a@example.net"]}, Content=simple("Hi"))
    assert code == "SendingPausedException"
    sesv2.put_account_sending_attributes(SendingEnabled=False)
    code, _, _ = error_with_status(sesv2.send_email, FromEmailAddress=sender,
                                   Destination={"ToAddresses": ["a@example.net"]}, Content=simple("Hi"))
    assert code == "SendingPausedException"
    assert sesv2.get_account()["SendingEnabled"] is False


@pytest.fixture
def topic_queue(client):
    """An SNS topic delivering to an SQS queue: (topic ARN, read() -> SNS messages' JSON bodies)."""
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="ses-events")["TopicArn"]
    url = sqs.create_queue(QueueName="ses-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

    def read():
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]

    return topic, read


def test_bounce_to_the_simulator_publishes_to_sns(sesv2, sender, topic_queue, aws):
    topic, read = topic_queue
    sesv2.create_configuration_set(ConfigurationSetName="events")
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="events", EventDestinationName="to-sns",
        EventDestination={"Enabled": True, "MatchingEventTypes": ["BOUNCE"], "SnsDestination": {"TopicArn": topic}})
    sent = sesv2.send_email(FromEmailAddress=sender, ConfigurationSetName="events",
                            Destination={"ToAddresses": ["bounce@simulator.amazonses.com"]}, Content=simple("Hi"))
    aws.settle()
    [event] = read()
    assert event["eventType"] == "Bounce" and event["mail"]["messageId"] == sent["MessageId"]
    assert event["bounce"]["bounceType"] == "Permanent"
    assert event["bounce"]["bouncedRecipients"][0]["emailAddress"] == "bounce@simulator.amazonses.com"
    insights = sesv2.get_message_insights(MessageId=sent["MessageId"])["Insights"]
    assert [e["Type"] for e in insights[0]["Events"]] == ["SEND", "BOUNCE"]


def test_suppression_list_blocks_delivery(sesv2, sender, production, topic_queue, aws):
    topic, read = topic_queue
    sesv2.put_account_suppression_attributes(SuppressedReasons=["BOUNCE", "COMPLAINT"])
    sesv2.put_suppressed_destination(EmailAddress="gone@example.net", Reason="BOUNCE")
    sesv2.create_configuration_set(ConfigurationSetName="events")
    sesv2.create_configuration_set_event_destination(
        ConfigurationSetName="events", EventDestinationName="to-sns",
        EventDestination={"Enabled": True, "MatchingEventTypes": ["BOUNCE", "DELIVERY"],
                          "SnsDestination": {"TopicArn": topic}})
    sesv2.send_email(FromEmailAddress=sender, ConfigurationSetName="events",
                     Destination={"ToAddresses": ["gone@example.net"]}, Content=simple("Hi"))
    aws.settle()
    [event] = read()
    assert event["eventType"] == "Bounce" and event["bounce"]["bounceSubType"] == "OnAccountSuppressionList"
    # a configuration set that suppresses nothing overrides the account's list
    sesv2.put_configuration_set_suppression_options(ConfigurationSetName="events", SuppressedReasons=[])
    sesv2.send_email(FromEmailAddress=sender, ConfigurationSetName="events",
                     Destination={"ToAddresses": ["gone@example.net"]}, Content=simple("Hi"))
    aws.settle()
    assert [e["eventType"] for e in read()] == ["Delivery"]


def test_list_management_skips_opted_out_contacts(sesv2, ses, sender, production):
    sesv2.create_contact_list(ContactListName="news", Topics=[
        {"TopicName": "weekly", "DisplayName": "Weekly", "DefaultSubscriptionStatus": "OPT_IN"}])
    sesv2.create_contact(ContactListName="news", EmailAddress="out@example.net",
                         TopicPreferences=[{"TopicName": "weekly", "SubscriptionStatus": "OPT_OUT"}])
    sesv2.create_contact(ContactListName="news", EmailAddress="in@example.net")
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["out@example.net", "in@example.net"]},
                     Content=simple("Weekly"), ListManagementOptions={"ContactListName": "news", "TopicName": "weekly"})
    [msg] = ses.messages()
    assert msg.to == ["in@example.net"]
    assert any(name == "List-Unsubscribe" for name, _ in msg.headers)
    assert error_with_status(sesv2.send_email, FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]},
                             Content=simple("x"), ListManagementOptions={"ContactListName": "news",
                                                                         "TopicName": "ghost"})[0] == "NotFoundException"


def test_raw_and_attachments(sesv2, ses, sender, production):
    raw = EmailMessage()
    raw["From"], raw["To"], raw["Subject"] = sender, "raw@example.net", "Raw one"
    raw.set_content("raw body")
    raw.add_attachment(b"%PDF-1", maintype="application", subtype="pdf", filename="a.pdf")
    sesv2.send_email(Content={"Raw": {"Data": raw.as_bytes()}})
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["att@example.net"]},
                     Content=simple("With file", Attachments=[{"RawContent": b"hello", "FileName": "h.txt",
                                                               "ContentType": "text/plain"}],
                                    Headers=[{"Name": "X-Trace", "Value": "42"}]))
    first, second = ses.messages()
    assert first.subject == "Raw one" and first.to == ["raw@example.net"]
    assert [(a["filename"], a["content"]) for a in first.attachments] == [("a.pdf", b"%PDF-1")]
    assert second.subject == "With file" and second.text.strip() == "body"
    assert [(a["filename"], a["content"]) for a in second.attachments] == [("h.txt", b"hello")]
    assert message_from_bytes(second.raw)["X-Trace"] == "42"


def test_deliverability_test_report_needs_a_verified_sender(sesv2, sender):
    made = sesv2.create_deliverability_test_report(ReportName="r", FromEmailAddress=sender, Content=simple("Probe"))
    got = sesv2.get_deliverability_test_report(ReportId=made["ReportId"])
    assert got["DeliverabilityTestReport"]["Subject"] == "Probe" and got["OverallPlacement"]["InboxPercentage"] == 0.0
    sesv2.create_email_template(TemplateName="probe", TemplateContent={"Subject": "Stored subject"})
    stored = sesv2.create_deliverability_test_report(FromEmailAddress=sender, Content={
        "Template": {"TemplateName": "probe", "TemplateData": "{}"}})["ReportId"]
    assert sesv2.get_deliverability_test_report(ReportId=stored)["DeliverabilityTestReport"]["Subject"] == "Stored subject"
    assert error_with_status(sesv2.create_deliverability_test_report, FromEmailAddress="x@unverified.example",
                             Content=simple("Probe"))[0] == "MessageRejected"


def test_metrics_from_the_capture(sesv2, sender, production, ses):
    from datetime import datetime, timedelta, timezone

    for to in ("success@simulator.amazonses.com", "bounce@simulator.amazonses.com"):
        sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": [to]}, Content=simple("m"))
    now = datetime.now(timezone.utc)
    window = {"StartDate": now - timedelta(hours=1), "EndDate": now + timedelta(hours=1)}
    got = sesv2.batch_get_metric_data(Queries=[
        {"Id": "s", "Namespace": "VDM", "Metric": "SEND", **window},
        {"Id": "b", "Namespace": "VDM", "Metric": "PERMANENT_BOUNCE", "Dimensions": {"EMAIL_IDENTITY": sender}, **window},
    ])["Results"]
    assert [sum(r["Values"]) for r in got] == [2, 1]


def test_bulk_entries_fail_one_by_one(sesv2, ses, sender):
    sesv2.create_email_template(TemplateName="t", TemplateContent={"Subject": "Hi {{n}}"})
    results = sesv2.send_bulk_email(
        FromEmailAddress=sender, DefaultContent={"Template": {"TemplateName": "t", "TemplateData": '{"n": 1}'}},
        BulkEmailEntries=[{"Destination": {"ToAddresses": ["success@simulator.amazonses.com"]}},
                          {"Destination": {"ToAddresses": ["stranger@example.net"]}}],  # the sandbox refuses this one
    )["BulkEmailEntryResults"]
    assert [r["Status"] for r in results] == ["SUCCESS", "MESSAGE_REJECTED"]
    assert "stranger@example.net" in results[1]["Error"] and len(ses.messages()) == 1
    code, _, status = error_with_status(sesv2.send_bulk_email, FromEmailAddress=sender,
                                        DefaultContent={"Template": {"TemplateName": "ghost", "TemplateData": "{}"}},
                                        BulkEmailEntries=[{"Destination": {"ToAddresses": ["a@example.net"]}}])
    assert (code, status) == ("NotFoundException", 404)


def test_a_disabled_tenant_cannot_send(sesv2, sender, production):
    tenant = sesv2.create_tenant(TenantName="acme")
    message = simple("Hi")
    sesv2.send_email(FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]}, Content=message,
                     TenantName="acme")
    sesv2.update_reputation_entity_customer_managed_status(
        ReputationEntityType="RESOURCE", ReputationEntityReference=tenant["TenantArn"], SendingStatus="DISABLED")
    code, _, _ = error_with_status(sesv2.send_email, FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]},
                                   Content=message, TenantName="acme")
    assert code == "SendingPausedException"
    assert error_with_status(sesv2.send_email, FromEmailAddress=sender, Destination={"ToAddresses": ["a@example.net"]},
                             Content=message, TenantName="ghost")[0] == "NotFoundException"
