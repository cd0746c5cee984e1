"""Captured mail as a user of the plugin reads it: `cloudmock.ses.messages()` and
`GET /api/ses/messages` on the admin API."""

from __future__ import annotations

import base64

import requests


def test_messages_through_the_fixture_and_the_admin_api(cloudmock) -> None:
    ses = cloudmock.client("ses")
    ses.verify_email_identity(EmailAddress="app@example.com")
    cloudmock.ses.verify("app@example.com")
    raw = (b"From: app@example.com\r\nTo: success@simulator.amazonses.com\r\nSubject: Invoice\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
           b"Content-Type: text/plain\r\n\r\nYour invoice\r\n--XX\r\nContent-Type: text/csv\r\n"
           b"Content-Disposition: attachment; filename=invoice.csv\r\n\r\na,b\r\n--XX--\r\n")
    message_id = ses.send_raw_email(RawMessage={"Data": raw})["MessageId"]
    [msg] = cloudmock.ses.messages(destination="success@simulator.amazonses.com")
    assert msg.message_id == message_id and msg.subject == "Invoice" and msg.text.strip() == "Your invoice"
    listed = requests.get(f"{cloudmock.admin_endpoint}/api/ses/messages",
                          params={"source": "app@example.com"}, timeout=5).json()
    [served] = listed
    assert served["MessageId"] == message_id and served["Subject"] == "Invoice"
    assert served["Destination"]["ToAddresses"] == ["success@simulator.amazonses.com"]
    [attachment] = served["Attachments"]
    assert (attachment["Filename"], attachment["ContentType"]) == ("invoice.csv", "text/csv")
    assert base64.b64decode(attachment["Content"]) == b"a,b"
    assert requests.get(f"{cloudmock.admin_endpoint}/api/ses/messages", params={"destination": "x@y.z"},
                        timeout=5).json() == []
