"""QueryCodec errors as real boto3 clients see them, and bad form bodies."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from roundtrip import client_error
from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("query")
NS = "{https://iam.amazonaws.com/doc/2010-05-08/}"


def raising(error: AWSError):
    def answer(op, params, request):
        raise error

    return answer


@pytest.mark.parametrize("code", ["NoSuchEntityException", "NoSuchEntity"])
def test_modelled_error_is_written_with_its_query_code(code):
    recorder = Recorder()
    iam = make_client(
        "iam", raising(AWSError(code, "The user with name bob cannot be found.", 404)), recorder
    )
    with pytest.raises(iam.exceptions.NoSuchEntityException) as info:
        iam.get_user(UserName="bob")
    assert info.value.response["Error"] == {
        "Type": "Sender",
        "Code": "NoSuchEntity",
        "Message": "The user with name bob cannot be found.",
    }
    meta = info.value.response["ResponseMetadata"]
    assert (meta["RequestId"], meta["HTTPStatusCode"]) == (REQUEST_ID, 404)
    root = ElementTree.fromstring(recorder.response.body)
    assert root.tag == f"{NS}ErrorResponse"
    assert [child.tag for child in root] == [f"{NS}Error", f"{NS}RequestId"]
    assert recorder.response.headers["Content-Type"] == "text/xml"
    assert recorder.response.headers["x-amzn-RequestId"] == REQUEST_ID


def test_receiver_fault_extra_fields_and_headers():
    recorder = Recorder()
    error = AWSError(
        "ServiceFailure",
        "try again",
        500,
        sender_fault=False,
        headers={"Retry-After": "1"},
        Detail="d",
    )
    iam = make_client("iam", raising(error), recorder)
    with pytest.raises(iam.exceptions.ServiceFailureException) as info:
        iam.list_users()
    assert info.value.response["Error"] == {
        "Type": "Receiver",
        "Code": "ServiceFailure",
        "Message": "try again",
        "Detail": "d",
    }
    assert recorder.response.headers["Retry-After"] == "1"


def test_cloudwatch_query_error_uses_the_aws_query_error_code():
    model = service_model("cloudwatch")
    op = model.operation_model("GetDashboard")
    wire = codec_for("query").serialize_error(
        AWSError("ResourceNotFound", "no dashboard", 404), model, op, REQUEST_ID
    )
    parsed, code = client_error("query", op, wire)
    assert code == "ResourceNotFound" and parsed["Error"]["Message"] == "no dashboard"
    assert b'xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"' in wire.body


def form_request(body: str, url: str = "/") -> WireRequest:
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    return WireRequest.from_parts("POST", url, headers, body)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ("Action=ListUsers&Version=2010-05-08&MaxItems=many", "MaxItems"),
        ("Action=ListUsers&Version=2010-05-08&MaxItems=1.5", "MaxItems"),
    ],
)
def test_badly_typed_values_are_invalid_parameter_values(body, param):
    op = service_model("iam").operation_model("ListUsers")
    with pytest.raises(AWSError) as info:
        CODEC.parse(form_request(body), op)
    assert info.value.code == "InvalidParameterValue" and info.value.status == 400
    assert param in info.value.message


def test_invalid_boolean_and_blob():
    op = service_model("sns").operation_model("Publish")
    body = "Action=Publish&Message=m&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=Binary&MessageAttributes.entry.1.Value.BinaryValue=%%%"
    with pytest.raises(AWSError) as info:
        CODEC.parse(form_request(body), op)
    assert info.value.code == "InvalidParameterValue"
    assert "MessageAttributes.entry.1.Value.BinaryValue" in info.value.message


def test_body_that_is_not_utf8_is_a_malformed_query_string():
    op = service_model("iam").operation_model("ListUsers")
    request = WireRequest.from_parts(
        "POST",
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        b"Action=ListUsers&PathPrefix=\xff\xfe",
    )
    with pytest.raises(AWSError) as info:
        CODEC.parse(request, op)
    assert info.value.code == "MalformedQueryString"
