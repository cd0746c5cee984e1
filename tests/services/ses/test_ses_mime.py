"""Raw MIME parsing (`services/ses/mime.py`): what the stdlib builds, read back part by part."""

from __future__ import annotations

from email.message import EmailMessage

from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.ses.mime import bare_address, parse

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
NAME = st.from_regex(r"[a-z][a-z0-9_-]{0,10}\.(txt|bin|pdf)", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(subject=TEXT, text=TEXT, html=TEXT, attachments=st.lists(st.tuples(NAME, st.binary(max_size=64)), max_size=3))
def test_a_built_message_parses_back(subject: str, text: str, html: str, attachments: list[tuple[str, bytes]]) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Cc"] = '"Ann" <ann@example.com>', "b@example.com, c@example.com", "d@x.org"
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    parsed = parse(message.as_bytes())
    assert (parsed.sender, parsed.to, parsed.cc) == ("ann@example.com", ["b@example.com", "c@example.com"], ["d@x.org"])
    assert parsed.subject.split() == subject.split()  # folding may change whitespace, never words
    assert (parsed.text, parsed.html) == (text + "\n", html + "\n")
    assert [(a["filename"], a["content"]) for a in parsed.attachments] == attachments


def test_bare_address() -> None:
    assert bare_address('"Support, Team" <help@example.com>') == "help@example.com"
    assert bare_address("plain@example.com") == "plain@example.com"
