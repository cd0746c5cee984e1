"""Input found by fuzzing that once answered 500: each now gets SES's 4xx (or is accepted)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.services.ses.mime import parse

from ..aws_errors import error_with_status

DEEP = '{"a":' * 5000 + "1" + "}" * 5000  # deeper than the JSON parser recurses


@pytest.fixture
def template(ses: Any) -> str:
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "s {{a}}", "TextPart": "x"})
    return "t"


def test_too_deeply_nested_template_data_is_invalid(ses, sender, production, template) -> None:
    assert error_with_status(ses.test_render_template, TemplateName=template, TemplateData=DEEP)[::2] == (
        "InvalidRenderingParameter", 400)
    assert error_with_status(ses.send_templated_email, Source=sender, Template=template, TemplateData=DEEP,
                             Destination={"ToAddresses": ["to@example.com"]})[::2] == ("InvalidParameterValue", 400)


def test_too_deeply_nested_policy_is_invalid(ses, sender) -> None:
    assert error_with_status(ses.put_identity_policy, Identity=sender, PolicyName="p", Policy=DEEP)[::2] == (
        "InvalidPolicy", 400)


@pytest.mark.parametrize("replacement", ["{", "null", "[]", "1", DEEP],
                         ids=["unclosed", "null", "list", "number", "5000-deep"])
def test_bad_replacement_data_fails_only_its_destination(ses, sender, production, template, replacement) -> None:
    status = ses.send_bulk_templated_email(
        Source=sender, Template=template, DefaultTemplateData=json.dumps({"a": "x"}),
        Destinations=[{"Destination": {"ToAddresses": ["one@example.com"]}, "ReplacementTemplateData": replacement},
                      {"Destination": {"ToAddresses": ["two@example.com"]}, "ReplacementTemplateData": '{"a":"y"}'}],
    )["Status"]
    assert [s["Status"] for s in status] == ["InvalidParameterValue", "Success"]


def test_a_header_the_stdlib_cannot_parse_is_kept_raw(ses, sender, production) -> None:
    # Python's header parser raises IndexError on an empty Message-ID
    raw = b"From: " + sender.encode() + b"\r\nTo: to@example.com\r\nMessage-ID: <>\r\nSubject: s\r\n\r\nbody"
    assert ses.send_raw_email(RawMessage={"Data": raw})["MessageId"]
    parsed = parse(raw)
    assert ("Message-ID", "<>") in parsed.headers
    assert (parsed.sender, parsed.to, parsed.subject) == (sender, ["to@example.com"], "s")


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                     max_leaves=8)
_HEADER_TEXT = st.lists(st.sampled_from(list('<>@"()[]:;,.\\ =?\'-aZ9é') + ["=?utf-8?B?", "?=", "s@example.com"]),
                        max_size=10).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(_JSON.map(json.dumps), st.text(max_size=20)),
       header=st.sampled_from(["To", "Cc", "Reply-To", "Return-Path", "Message-ID", "Date", "Subject", "Content-Type"]),
       value=_HEADER_TEXT)
def test_generated_template_data_and_headers_never_fail_the_server(ses, sender, production, template, data, header,
                                                                   value) -> None:
    raw = f"From: {sender}\r\nTo: to@example.com\r\n{header}: {value}\r\n\r\nbody".encode()
    for call, kwargs in ((ses.test_render_template, {"TemplateName": template, "TemplateData": data}),
                         (ses.send_raw_email, {"RawMessage": {"Data": raw}})):
        try:
            call(**kwargs)
        except ClientError as exc:
            assert exc.response["ResponseMetadata"]["HTTPStatusCode"] < 500, exc.response["Error"]
