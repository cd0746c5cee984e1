"""Raw MIME messages (`SendRawEmail`, v2 `Content.Raw`) read with the stdlib `email` package."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

# What the stdlib's header parser raises on some malformed headers (`Message-ID: <>`, stray `>`):
# such a header is read as its raw text instead.
_HEADER_ERRORS = (HeaderParseError, IndexError, AttributeError, TypeError, ValueError)


@dataclass
class ParsedMime:
    """What a raw message says: its addresses, rendered parts, attachments and headers."""

    sender: str | None
    to: list[str]
    cc: list[str]
    bcc: list[str]
    reply_to: list[str]
    return_path: str | None
    subject: str
    text: str | None
    html: str | None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)


def addresses(values: list[str]) -> list[str]:
    """`"Name" <a@b>` header values -> bare addresses."""
    return [addr for _name, addr in getaddresses(values) if addr]


def bare_address(value: str) -> str:
    """The address part of `"Name" <a@b>` (the value itself when it has none)."""
    found = addresses([value])
    return found[0] if found else value.strip()


def domain_of(address: str) -> str:
    return bare_address(address).rpartition("@")[2].lower()


def parse(raw: bytes) -> ParsedMime:
    """Parse a MIME message; raises ValueError when it has no header block at all."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not message.keys():
        raise ValueError("the message has no headers")
    assert isinstance(message, EmailMessage)
    text = html = None
    attachments: list[dict[str, Any]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        content_type = part.get_content_type()
        if disposition == "attachment" or (filename and disposition != "inline") or (
                disposition == "inline" and filename):
            payload = part.get_payload(decode=True) or b""
            attachments.append({"filename": filename or "", "content_type": content_type, "content": payload})
        elif content_type == "text/plain" and text is None:
            text = _text_of(part)
        elif content_type == "text/html" and html is None:
            html = _text_of(part)
    sender = _first(message, "From")
    return_path = _first(message, "Return-Path")
    return ParsedMime(
        sender=bare_address(sender) if sender else None,
        to=addresses(_all(message, "To")), cc=addresses(_all(message, "Cc")),
        bcc=addresses(_all(message, "Bcc")), reply_to=addresses(_all(message, "Reply-To")),
        return_path=bare_address(return_path) if return_path else None,
        subject=_first(message, "Subject") or "", text=text, html=html, attachments=attachments,
        headers=[(k, _value(message, k, v)) for k, v in message.raw_items()],
    )


def _all(message: EmailMessage, name: str) -> list[str]:
    return [_value(message, k, v) for k, v in message.raw_items() if k.lower() == name.lower()]


def _first(message: EmailMessage, name: str) -> str | None:
    found = _all(message, name)
    return found[0] if found else None


def _value(message: EmailMessage, name: str, raw: str) -> str:
    """A header's decoded value (its raw text when the stdlib cannot parse it)."""
    try:
        return str(message.policy.header_fetch_parse(name, raw))
    except _HEADER_ERRORS:
        return raw


def _text_of(part: Any) -> str:
    try:
        return str(part.get_content())
    except (LookupError, ValueError):  # unknown charset: the bytes as Latin-1 (never an error)
        return (part.get_payload(decode=True) or b"").decode("latin-1")

