"""SES state (identities, configuration sets, captured mail with raw bytes) survives the state
file's export and import, and snapshots."""

from __future__ import annotations

import json

from pytest_cloudmock.state_file import export_state, import_state


def test_state_file_round_trip(cloudmock) -> None:
    ses = cloudmock.client("ses")
    ses.verify_email_identity(EmailAddress="a@example.com")
    cloudmock.ses.verify("a@example.com")
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    raw = b"From: a@example.com\r\nTo: success@simulator.amazonses.com\r\nSubject: kept\r\n\r\nx"
    ses.send_raw_email(RawMessage={"Data": raw}, ConfigurationSetName="cs")
    exported = json.loads(json.dumps(export_state(cloudmock.gateway)))
    cloudmock.reset()
    assert cloudmock.ses.messages() == []
    import_state(cloudmock.gateway, exported, "the test")
    [msg] = cloudmock.ses.messages()
    assert (msg.subject, msg.raw, msg.configuration_set) == ("kept", raw, "cs")
    assert ses.list_verified_email_addresses()["VerifiedEmailAddresses"] == ["a@example.com"]
