"""Input found by fuzzing that once answered 500: each now gets SES v2's 4xx (or is accepted)."""

from __future__ import annotations

from ..aws_errors import error_with_status

DEEP = '{"a":' * 5000 + "1" + "}" * 5000  # deeper than the JSON parser recurses


def test_too_deeply_nested_template_data_is_a_bad_request(sesv2, verified, production) -> None:
    verified("sender@example.com")
    sesv2.create_email_template(TemplateName="t", TemplateContent={"Subject": "s", "Text": "t"})
    assert error_with_status(sesv2.test_render_email_template, TemplateName="t", TemplateData=DEEP)[::2] == (
        "BadRequestException", 400)
    assert error_with_status(
        sesv2.send_bulk_email, FromEmailAddress="sender@example.com",
        DefaultContent={"Template": {"TemplateName": "t", "TemplateData": DEEP}},
        BulkEmailEntries=[{"Destination": {"ToAddresses": ["to@example.com"]}}])[::2] == ("BadRequestException", 400)
    results = sesv2.send_bulk_email(
        FromEmailAddress="sender@example.com", DefaultContent={"Template": {"TemplateName": "t", "TemplateData": "{}"}},
        BulkEmailEntries=[{"Destination": {"ToAddresses": ["to@example.com"]},
                           "ReplacementEmailContent": {"ReplacementTemplate": {"ReplacementTemplateData": DEEP}}}],
    )["BulkEmailEntryResults"]
    assert [r["Status"] for r in results] == ["INVALID_PARAMETER"]


def test_too_deeply_nested_policy_is_a_bad_request(sesv2, verified) -> None:
    verified("sender@example.com")
    assert error_with_status(sesv2.create_email_identity_policy, EmailIdentity="sender@example.com",
                             PolicyName="p", Policy=DEEP)[::2] == ("BadRequestException", 400)


def test_raw_content_with_an_unparseable_header_is_sent(sesv2, verified, production) -> None:
    verified("sender@example.com")
    raw = b"From: sender@example.com\r\nTo: to@example.com\r\nMessage-ID: <>\r\nDate: garbage\r\n\r\nbody"
    assert sesv2.send_email(Content={"Raw": {"Data": raw}})["MessageId"]
