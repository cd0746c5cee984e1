"""The JSON documents SNS sends: notification and confirmation envelopes, Lambda events.

Envelopes are laid out as AWS lays them out (`"Key" : value`, two-space indent,
attributes one per line), field order included.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from ...clock import Clock

SIGNATURE_VERSION = "1"


def timestamp(clock: Clock) -> str:
    """The clock's time as SNS writes it: ISO 8601 with milliseconds and `Z`."""
    return clock.utcnow().isoformat(timespec="milliseconds")[:-6] + "Z"  # less the "+00:00"


_COUNTERS = tuple(bytes([i]) for i in range(8))


@lru_cache(maxsize=8)
def signature(*parts: str) -> str:
    """A signature-shaped value (256 bytes, base64): not verifiable, nothing signs it. Kept for the
    last few messages: a fan-out signs a message once for all its subscriptions."""
    seeded = hashlib.sha256("\n".join(parts).encode())  # SHA-256(seed + counter), the seed hashed once
    digests = []
    for counter in _COUNTERS:
        digest = seeded.copy()
        digest.update(counter)
        digests.append(digest.digest())
    return base64.b64encode(b"".join(digests)).decode()


def signing_cert_url(region: str) -> str:
    return f"https://sns.{region}.amazonaws.com/SimpleNotificationService-cloudmock.pem"


def envelope_attributes(attributes: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Publish attributes as the envelope shows them: `{"Type": ..., "Value": ...}`."""
    out = {}
    for name, attr in sorted(attributes.items()):
        if "BinaryValue" in attr and attr["BinaryValue"] is not None:
            value = base64.b64encode(attr["BinaryValue"]).decode()
        else:
            value = attr.get("StringValue", "")
        out[name] = {"Type": attr.get("DataType", "String"), "Value": value}
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def aws_json(fields: list[tuple[str, Any]]) -> str:
    """A flat document in SNS's layout; a dict value is written one entry per line.

    Keys and string values are escaped as `json.dumps(ensure_ascii=False)` escapes them (its own
    C escaper, called directly).
    """
    lines = [f"  {encode_basestring(key)} : {encode_basestring(value) if isinstance(value, str) else _text(value)}"
             for key, value in fields]
    return "{\n" + ",\n".join(lines) + "\n}"


def _text(value: Any) -> str:
    """A value that is not a string: a dict one entry per line, anything else compact JSON."""
    if isinstance(value, dict):
        return "{\n" + ",\n".join(f"    {encode_basestring(k)} : {_dumps(v)}" for k, v in value.items()) + "\n  }"
    return _dumps(value)


def notification(
    *,
    message_id: str,
    topic_arn: str,
    message: str,
    sent_at: str,
    unsubscribe_url: str,
    region: str,
    subject: str | None = None,
    attributes: dict[str, dict[str, Any]] | None = None,
    sequence_number: str | None = None,
) -> str:
    """The `Notification` envelope delivered to SQS, HTTP and email-json endpoints.

    FIFO topics' envelopes carry a `SequenceNumber` and no signature, as on AWS.
    """
    fields: list[tuple[str, Any]] = [("Type", "Notification"), ("MessageId", message_id)]
    if sequence_number:
        fields.append(("SequenceNumber", sequence_number))
    fields.append(("TopicArn", topic_arn))
    if subject is not None:
        fields.append(("Subject", subject))
    fields += [("Message", message), ("Timestamp", sent_at)]
    if not sequence_number:
        fields += [
            ("SignatureVersion", SIGNATURE_VERSION),
            ("Signature", signature(message_id, message, sent_at, topic_arn)),
            ("SigningCertURL", signing_cert_url(region)),
        ]
    fields.append(("UnsubscribeURL", unsubscribe_url))
    if attributes:
        fields.append(("MessageAttributes", envelope_attributes(attributes)))
    return aws_json(fields)


def confirmation(
    *,
    kind: str,
    message_id: str,
    token: str,
    topic_arn: str,
    message: str,
    subscribe_url: str,
    sent_at: str,
    region: str,
) -> str:
    """A `SubscriptionConfirmation` or `UnsubscribeConfirmation` envelope."""
    return aws_json([
        ("Type", kind),
        ("MessageId", message_id),
        ("Token", token),
        ("TopicArn", topic_arn),
        ("Message", message),
        ("SubscribeURL", subscribe_url),
        ("Timestamp", sent_at),
        ("SignatureVersion", SIGNATURE_VERSION),
        ("Signature", signature(message_id, token, sent_at, topic_arn)),
        ("SigningCertURL", signing_cert_url(region)),
    ])


def lambda_event(
    *,
    subscription_arn: str,
    message_id: str,
    topic_arn: str,
    message: str,
    sent_at: str,
    unsubscribe_url: str,
    region: str,
    subject: str | None,
    attributes: dict[str, dict[str, Any]],
) -> bytes:
    """The event a subscribed Lambda function is invoked with."""
    record = {
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": subscription_arn,
        "Sns": {
            "Type": "Notification",
            "MessageId": message_id,
            "TopicArn": topic_arn,
            "Subject": subject,
            "Message": message,
            "Timestamp": sent_at,
            "SignatureVersion": SIGNATURE_VERSION,
            "Signature": signature(message_id, message, sent_at, topic_arn),
            "SigningCertUrl": signing_cert_url(region),
            "UnsubscribeUrl": unsubscribe_url,
            "MessageAttributes": envelope_attributes(attributes),
        },
    }
    return json.dumps({"Records": [record]}).encode()


def email_text(message: str, unsubscribe_url: str) -> str:
    """The plain-text email SNS sends for an `email` subscription."""
    return (
        f"{message}\n\n--\nIf you wish to stop receiving notifications from this topic, please "
        f"click or visit the link below to unsubscribe:\n{unsubscribe_url}\n\nPlease do not reply "
        "directly to this email. If you have any questions or comments regarding this email, "
        "please contact us at https://aws.amazon.com/support"
    )
