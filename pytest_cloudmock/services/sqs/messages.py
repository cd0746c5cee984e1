"""Message rules: what may be sent, the MD5 digests SDKs check, what a receive returns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from . import digests, errors
from .attributes import COMPUTED, SETTABLE
from .state import Message

MAX_ATTRIBUTES = 10
SYSTEM_ATTRIBUTES = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "SequenceNumber",
    "MessageDeduplicationId",
    "MessageGroupId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
)
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,256}$")
_ID_CHARS = re.compile(r"^[!-~]{1,128}$")  # alphanumerics and punctuation
_INVALID_BODY = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ASCII_CONTROLS = bytes(c for c in range(32) if chr(c) not in "\t\n\r")  # the ASCII that _INVALID_BODY finds
_TYPES = ("String", "Number", "Binary")
QUEUE_ATTRIBUTES = SETTABLE | set(COMPUTED)


def attributes_size(attributes: dict[str, dict[str, Any]]) -> int:
    """Bytes the attributes count towards the message size limit."""
    size = 0
    for name, value in attributes.items():
        size += len(name.encode()) + len(value["DataType"].encode())
        size += len(value["StringValue"].encode()) if "StringValue" in value else len(value.get("BinaryValue") or b"")
    return size


def valid_text(text: str) -> bool:
    """Whether `text` has only the characters SQS accepts (`_INVALID_BODY`'s complement); ASCII text,
    the usual, is checked by deleting its invalid control bytes (a quarter of the regex's time)."""
    if text.isascii():
        data = text.encode()
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return not _INVALID_BODY.search(text)


def check_body(body: str | None) -> str:
    if not body:
        raise errors.missing_parameter("MessageBody")
    if not valid_text(body):
        raise errors.AWSError(
            "InvalidMessageContents",
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
            "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
        )
    return body


def check_attributes(attributes: dict[str, dict[str, Any]] | None, kind: str = "user") -> dict[str, dict[str, Any]]:
    """Validate message attributes; returns them as stored (only the value that counts)."""
    attributes = attributes or {}
    if len(attributes) > MAX_ATTRIBUTES:
        raise errors.invalid_parameter(
            f"Number of message attributes [{len(attributes)}] exceeds the allowed maximum [{MAX_ATTRIBUTES}]."
        )
    out = {}
    for name, value in attributes.items():
        _check_attribute_name(name, kind)
        data_type = value.get("DataType") or ""
        if not data_type:
            raise errors.invalid_parameter(f"The message attribute '{name}' must contain non-empty message attribute type.")
        base = data_type.split(".", 1)[0]
        if base not in _TYPES or len(data_type) > 256:
            raise errors.invalid_parameter(
                f"The type of message ({kind}) attribute '{name}' is invalid. You must use only the "
                "following supported type prefixes: Binary, Number, String."
            )
        if base == "Binary":
            if not value.get("BinaryValue"):
                raise errors.invalid_parameter(f"The message ({kind}) attribute '{name}' must contain a non-empty value of type 'Binary'.")
            out[name] = {"DataType": data_type, "BinaryValue": bytes(value["BinaryValue"])}
            continue
        text = value.get("StringValue")
        if not text:
            raise errors.invalid_parameter(f"The message ({kind}) attribute '{name}' must contain a non-empty value of type '{base}'.")
        if base == "Number":
            _check_number(name, text, kind)
        if not valid_text(text):
            raise errors.invalid_parameter(f"The message ({kind}) attribute '{name}' contains invalid characters.")
        out[name] = {"DataType": data_type, "StringValue": text}
    return out


def _check_attribute_name(name: str, kind: str) -> None:
    lowered = name.lower()
    if (
        not _ATTRIBUTE_NAME.match(name)
        or name.startswith(".")
        or name.endswith(".")
        or ".." in name
        or (kind == "user" and (lowered.startswith("aws.") or lowered.startswith("amazon.")))
    ):
        raise errors.invalid_parameter(
            f"Message ({kind}) attribute name '{name}' is invalid. The attribute name can contain "
            "alphanumeric characters and the underscore (_), hyphen (-), and period (.). It can't "
            "start or end with a period, or have periods in succession, and it can't begin with "
            "AWS. or Amazon."
        )


def _check_number(name: str, text: str, kind: str) -> None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > Decimal("1e308"):
        raise errors.invalid_parameter(f"Can't cast the value of message ({kind}) attribute '{name}' to a number.")


def check_system_attributes(attributes: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """Only `AWSTraceHeader` (a String) may be sent."""
    attributes = attributes or {}
    for name, value in attributes.items():
        if name != "AWSTraceHeader":
            raise errors.invalid_parameter(f"Message system attribute name '{name}' is invalid.")
        if not value.get("DataType", "").startswith("String"):
            raise errors.invalid_parameter(f"Message system attribute '{name}' must be of type 'String'.")
    return check_attributes(attributes, "system")


def check_token(name: str, value: str) -> str:
    """A group, deduplication or receive attempt id: 1-128 alphanumerics and punctuation."""
    if not _ID_CHARS.match(value):
        raise errors.invalid_value(name, value, f"{name} can only include alphanumeric and punctuation characters. 1 to 128 in length.")
    return value


def system_attributes(msg: Message, names: set[str]) -> dict[str, str]:
    """The system attributes a receive asked for (`All` for every one the message has)."""
    if not names:
        return {}
    values = {
        "SenderId": msg.sender_id,
        "SentTimestamp": str(int(msg.sent * 1000)),
        "ApproximateReceiveCount": str(msg.receive_count),
        "ApproximateFirstReceiveTimestamp": str(int((msg.first_receive or msg.sent) * 1000)),
        "SequenceNumber": msg.sequence_number,
        "MessageDeduplicationId": msg.dedup_id,
        "MessageGroupId": msg.group_id,
        "AWSTraceHeader": (msg.system_attributes.get("AWSTraceHeader") or {}).get("StringValue"),
        "DeadLetterQueueSourceArn": msg.dead_letter_source_arn,
    }
    everything = "All" in names
    return {k: v for k, v in values.items() if v is not None and (everything or k in names)}


def md5_of_all_attributes(msg: Message) -> str:
    """The digest of all the message's attributes: worked out at send, reused by every receive."""
    if msg.md5_attributes is None:
        msg.md5_attributes = digests.md5_of_attributes(msg.message_attributes)
    return msg.md5_attributes


def selected_attributes(msg: Message, patterns: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The message attributes a receive asked for: names, `All`, `.*` or `prefix.*`."""
    patterns = list(patterns)
    if not patterns:
        return {}
    if "All" in patterns or ".*" in patterns:
        return dict(msg.message_attributes)
    prefixes = tuple(p[:-1] for p in patterns if p.endswith(".*"))
    exact = set(patterns)
    return {
        name: value
        for name, value in msg.message_attributes.items()
        if name in exact or (prefixes and name.startswith(prefixes))
    }


def check_receive_names(names: Iterable[str]) -> set[str]:
    """System attribute names a receive asks for (queue attribute names, once allowed, are ignored)."""
    names = set(names)
    for name in names:
        if name != "All" and name not in SYSTEM_ATTRIBUTES and name not in QUEUE_ATTRIBUTES:
            raise errors.unknown_attribute(name)
    return names
