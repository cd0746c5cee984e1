"""The SRP-6a server against pycognito's client math, for any username and password: the
right password's claim is accepted, any other refused; ListUsers filter values round-trip."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st
from pycognito.aws_srp import AWSSRP

from pytest_cloudmock.services.cognito_idp import filters, srp
from pytest_cloudmock.services.cognito_idp.state import User

POOL_ID = "us-east-1_AbCdEf123"
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24)


def _claim(username: str, password: str, challenge: dict[str, str]) -> tuple[str, str, str]:
    """What pycognito answers to the PASSWORD_VERIFIER challenge: (A, timestamp, signature)."""
    client = AWSSRP(username=username, password=password, pool_id=POOL_ID, client_id="c", client=object())
    key = client.get_password_authentication_key(username, password, int(challenge["B"], 16), challenge["salt"])
    timestamp = AWSSRP.get_cognito_formatted_timestamp(datetime.datetime(2026, 12, 3, 21, 5, 9))
    message = b"AbCdEf123" + username.encode() + base64.b64decode(challenge["secret_block"]) + timestamp.encode()
    signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return f"{client.large_a_value:x}", timestamp, signature


@settings(max_examples=4, deadline=None)
@given(username=_TEXT, password=_TEXT, other=_TEXT)
def test_srp_claims_prove_the_password(username: str, password: str, other: str) -> None:
    challenge = srp.password_challenge("AbCdEf123", username, password)
    verifier = srp.password_verifier("AbCdEf123", username, password, challenge["salt"])
    a_hex, timestamp, signature = _claim(username, password, challenge)
    assert srp.claim_is_valid("AbCdEf123" + username, verifier, challenge, a_hex, challenge["secret_block"],
                              timestamp, signature)
    if other != password:
        wrong_a, wrong_time, wrong_signature = _claim(username, other, challenge)
        assert not srp.claim_is_valid("AbCdEf123" + username, verifier, challenge, wrong_a,
                                      challenge["secret_block"], wrong_time, wrong_signature)


def test_timestamp_format_matches_the_sdks() -> None:
    assert AWSSRP.get_cognito_formatted_timestamp(datetime.datetime(2026, 12, 3, 21, 5, 9)) == "Thu Dec 3 21:05:09 UTC 2026"


@settings(max_examples=50, deadline=None)
@given(value=st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))
def test_filter_values_with_escaped_quotes_round_trip(value: str) -> None:
    user = User("u", "sub", {"given_name": value}, 0.0, 0.0)
    assert filters.parse(f'given_name = "{_escaped(value)}"')(user)
    assert filters.parse(f'given_name ^= "{_escaped(value[:3])}"')(user)
    assert not filters.parse(f'given_name = "{_escaped(value + "x")}"')(user)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
