"""Sending through the v1 API, read back from the capture: simple, raw MIME, templated, bulk;
the sandbox's refusals, quota and statistics, the account's sending switch."""

from __future__ import annotations

import email.mime.application
import email.mime.multipart
import email.mime.text
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import SENDER


def simple(ses: Any, source: str, *to: str, **kwargs: Any) -> str:
    return ses.send_email(Source=source, Destination={"ToAddresses": list(to)},
                          Message={"Subject": {"Data": "Hello"},
                                   "Body": {"Text": {"Data": "plain"}, "Html": {"Data": "<p>html</p>"}}},
                          **kwargs)["MessageId"]


def test_send_email_is_captured_with_everything(ses, ses_service, sender, verified) -> None:
    verified("to@example.com", "cc@example.com", "bcc@example.com")
    message_id = ses.send_email(
        Source=f"Sender <{sender}>",
        Destination={"ToAddresses": ['"To, Person" <to@example.com>'], "CcAddresses": ["cc@example.com"],
                     "BccAddresses": ["bcc@example.com"]},
        Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "plain"}, "Html": {"Data": "<p>html</p>"}}},
        ReplyToAddresses=["reply@example.com"], Tags=[{"Name": "campaign", "Value": "launch"}])["MessageId"]
    [msg] = ses_service.messages()
    assert msg.message_id == message_id and message_id.endswith("-000000")
    assert (msg.source, msg.to, msg.cc, msg.bcc) == (f"Sender <{sender}>", ["to@example.com"], ["cc@example.com"],
                                                     ["bcc@example.com"])
    assert (msg.subject, msg.text, msg.html) == ("Hello", "plain", "<p>html</p>")
    assert msg.reply_to == ["reply@example.com"] and msg.tags == {"campaign": "launch"}
    assert msg.api == "ses" and msg.operation == "SendEmail"
    assert ses_service.messages(destination="bcc@example.com") == [msg]
    assert ses_service.messages(source=sender) == [msg] and ses_service.messages(destination="x@y.z") == []


def test_sandbox_refuses_an_unverified_recipient_and_names_it(ses, ses_service, sender) -> None:
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, "stranger@example.org", "other@example.org")
    error = caught.value.response["Error"]
    assert error["Code"] == "MessageRejected"
    assert error["Message"] == ("Email address is not verified. The following identities failed the check in "
                                "region US-EAST-1: stranger@example.org, other@example.org")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert ses_service.messages() == []


def test_an_unverified_sender_is_refused_even_out_of_the_sandbox(ses, production) -> None:
    ses.verify_email_identity(EmailAddress="pending@example.com")  # created, not verified
    with pytest.raises(ClientError) as caught:
        simple(ses, "pending@example.com", "anyone@example.org")
    assert caught.value.response["Error"]["Message"].endswith("US-EAST-1: pending@example.com")


def test_a_verified_domain_verifies_its_addresses_and_production_any_recipient(ses, ses_service, verified,
                                                                                production) -> None:
    verified("example.com")
    simple(ses, "anyone@example.com", "stranger@example.org")
    assert [m.to for m in ses_service.messages()] == [["stranger@example.org"]]


def test_the_mailbox_simulator_is_reachable_from_the_sandbox(ses, ses_service, sender) -> None:
    simple(ses, sender, "success@simulator.amazonses.com", "bounce+x@simulator.amazonses.com")
    assert len(ses_service.messages()) == 1


def test_auto_verify_makes_new_identities_verified(ses, ses_service) -> None:
    ses_service.auto_verify = True
    try:
        ses.verify_email_identity(EmailAddress="auto@example.com")
    finally:
        ses_service.auto_verify = False
    attrs = ses.get_identity_verification_attributes(Identities=["auto@example.com"])["VerificationAttributes"]
    assert attrs["auto@example.com"]["VerificationStatus"] == "Success"
    simple(ses, "auto@example.com", "success@simulator.amazonses.com")


def test_auto_verify_from_the_gateway_settings(ses, aws) -> None:
    aws.registry.service_settings["ses"] = {"auto_verify": True}
    try:
        ses.verify_domain_identity(Domain="auto.example.com")
    finally:
        del aws.registry.service_settings["ses"]
    attrs = ses.get_identity_verification_attributes(Identities=["auto.example.com"])["VerificationAttributes"]
    assert attrs["auto.example.com"]["VerificationStatus"] == "Success"


def test_raw_mime_with_an_attachment_is_parsed(ses, ses_service, sender, verified) -> None:
    verified("to@example.com")
    mime = email.mime.multipart.MIMEMultipart("mixed")
    mime["Subject"], mime["From"], mime["To"] = "Report", f"Reports <{sender}>", "to@example.com"
    mime["X-Custom"] = "kept"
    body = email.mime.multipart.MIMEMultipart("alternative")
    body.attach(email.mime.text.MIMEText("see attached", "plain"))
    body.attach(email.mime.text.MIMEText("<b>see attached</b>", "html"))
    mime.attach(body)
    part = email.mime.application.MIMEApplication(b"%PDF-1.4 \x00\x01", "pdf", Name="report.pdf")
    part["Content-Disposition"] = 'attachment; filename="report.pdf"'
    mime.attach(part)
    message_id = ses.send_raw_email(RawMessage={"Data": mime.as_bytes()})["MessageId"]
    [msg] = ses_service.messages()
    assert msg.message_id == message_id and msg.operation == "SendRawEmail"
    assert (msg.source, msg.to, msg.subject) == (sender, ["to@example.com"], "Report")
    assert (msg.text.strip(), msg.html.strip()) == ("see attached", "<b>see attached</b>")
    assert msg.attachments == [{"filename": "report.pdf", "content_type": "application/pdf",
                                "content": b"%PDF-1.4 \x00\x01"}]
    assert ("X-Custom", "kept") in msg.headers and msg.raw == mime.as_bytes()


def test_raw_destinations_override_the_headers_and_a_missing_from_is_refused(ses, ses_service, sender,
                                                                             verified) -> None:
    verified("bcc@example.com")
    raw = f"From: {sender}\r\nTo: someone@example.org\r\nSubject: s\r\n\r\nbody".encode()
    ses.send_raw_email(RawMessage={"Data": raw}, Destinations=["bcc@example.com"])
    assert ses_service.messages()[0].to == ["bcc@example.com"]
    with pytest.raises(ClientError) as caught:
        ses.send_raw_email(RawMessage={"Data": b"To: bcc@example.com\r\nSubject: s\r\n\r\nbody"})
    assert caught.value.response["Error"] == {"Type": "Sender", "Code": "InvalidParameterValue",
                                              "Message": "Missing required header 'From'."}


def test_templated_send_renders_subject_text_and_html(ses, ses_service, sender, verified) -> None:
    verified("to@example.com")
    ses.create_template(Template={"TemplateName": "welcome", "SubjectPart": "Hi {{name}}",
                                  "TextPart": "Dear {{name}},{{#if vip}} VIP{{/if}} items:{{#each items}} {{this}}{{/each}}",
                                  "HtmlPart": "<h1>{{name}}</h1>"})
    ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["to@example.com"]}, Template="welcome",
                             TemplateData='{"name": "Ann & Bo", "vip": true, "items": ["a", "b"]}')
    [msg] = ses_service.messages()
    assert msg.subject == "Hi Ann & Bo" and msg.text == "Dear Ann & Bo, VIP items: a b"
    assert msg.html == "<h1>Ann &amp; Bo</h1>"  # Handlebars escapes values in HTML
    assert (msg.template, msg.operation) == ("welcome", "SendTemplatedEmail")


def test_templated_send_to_a_missing_template_is_refused(ses, sender) -> None:
    with pytest.raises(ClientError) as caught:
        ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                                 Template="nope", TemplateData="{}")
    assert caught.value.response["Error"]["Code"] == "TemplateDoesNotExist"
    assert caught.value.response["Error"]["Message"] == "Template nope does not exist."


def test_a_missing_variable_is_accepted_but_not_sent(ses, ses_service, sender) -> None:
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "Hi {{name}}", "TextPart": "x"})
    message_id = ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["success@simulator.amazonses.com"]},
                                          Template="t", TemplateData="{}")["MessageId"]
    assert message_id and ses_service.messages() == []


def test_bulk_templated_send_merges_data_and_reports_each_destination(ses, ses_service, sender, verified) -> None:
    verified("a@example.com")
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "{{greet}} {{name}}", "TextPart": "x"})
    status = ses.send_bulk_templated_email(
        Source=sender, Template="t", DefaultTemplateData='{"greet": "Hi", "name": "you"}',
        Destinations=[{"Destination": {"ToAddresses": ["a@example.com"]}, "ReplacementTemplateData": '{"name": "A"}'},
                      {"Destination": {"ToAddresses": ["stranger@example.org"]}}])["Status"]
    assert status[0]["Status"] == "Success" and status[1]["Status"] == "MessageRejected"
    assert [m.subject for m in ses_service.messages()] == ["Hi A"]


def test_quota_statistics_and_the_daily_limit(ses, ses_service, sender, aws) -> None:
    simple(ses, sender, "success@simulator.amazonses.com", "bounce@simulator.amazonses.com")
    quota = ses.get_send_quota()
    assert (quota["Max24HourSend"], quota["MaxSendRate"], quota["SentLast24Hours"]) == (200.0, 1.0, 2.0)
    [point] = ses.get_send_statistics()["SendDataPoints"]
    assert (point["DeliveryAttempts"], point["Bounces"], point["Complaints"], point["Rejects"]) == (2, 1, 0, 0)
    ses_service.store.get(aws.config.account_id, aws.config.region).account.max_24h = 3
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, "success@simulator.amazonses.com", "success+2@simulator.amazonses.com")
    assert caught.value.response["Error"]["Code"] == "Throttling"
    assert caught.value.response["Error"]["Message"] == "Daily message quota exceeded."


def test_the_quota_window_moves_with_the_gateway_clock(ses, sender, frozen) -> None:
    simple(ses, sender, "success@simulator.amazonses.com")
    frozen.advance(24 * 3600 + 1)
    assert ses.get_send_quota()["SentLast24Hours"] == 0.0


def test_disabled_account_sending_refuses(ses, sender) -> None:
    assert ses.get_account_sending_enabled()["Enabled"] is True
    ses.update_account_sending_enabled(Enabled=False)
    assert ses.get_account_sending_enabled()["Enabled"] is False
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, "success@simulator.amazonses.com")
    assert caught.value.response["Error"]["Code"] == "AccountSendingPausedException"


def test_too_many_recipients_is_refused(ses, sender, production) -> None:
    with pytest.raises(ClientError) as caught:
        simple(ses, sender, *[f"u{i}@example.org" for i in range(51)])
    assert caught.value.response["Error"]["Message"] == "Recipient count exceeds 50."


def test_send_bounce_goes_back_to_the_original_sender(ses, ses_service, sender) -> None:
    original = simple(ses, sender, "success@simulator.amazonses.com")
    ses.send_bounce(OriginalMessageId=original, BounceSender=SENDER, Explanation="gone",
                    BouncedRecipientInfoList=[{"Recipient": "success@simulator.amazonses.com",
                                               "BounceType": "DoesNotExist"}])
    bounce = ses_service.messages()[-1]
    assert bounce.operation == "SendBounce" and bounce.to == [sender] and "gone" in (bounce.text or "")


def test_raw_from_and_return_path_headers_are_checked_too(ses, sender, production) -> None:
    raw = (b"From: other@example.org\r\nReturn-Path: <bounces@example.net>\r\nTo: x@example.org\r\n"
           b"Subject: s\r\n\r\nbody")
    with pytest.raises(ClientError) as caught:
        ses.send_raw_email(Source=sender, RawMessage={"Data": raw})
    assert caught.value.response["Error"]["Message"].endswith("US-EAST-1: other@example.org, bounces@example.net")


def test_an_address_without_a_domain_is_refused(ses, sender, production) -> None:
    for to in (["someone"], ["ok@example.org", "someone@"]):
        with pytest.raises(ClientError) as caught:
            simple(ses, sender, *to)
        assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"
        assert caught.value.response["Error"]["Message"] == "Missing final '@domain'"
    with pytest.raises(ClientError) as caught:
        ses.send_email(Source=sender, Destination={"ToAddresses": []},
                       Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
    assert caught.value.response["Error"]["Message"] == "Missing final '@domain'"
