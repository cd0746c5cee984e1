"""Ec2Codec errors as a real boto3 EC2 client sees them."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest


def raising(error: AWSError):
    def answer(op, params, request):
        raise error

    return answer


def test_error_envelope_code_message_and_request_id():
    recorder = Recorder()
    error = AWSError("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist")
    ec2 = make_client("ec2", raising(error), recorder)
    with pytest.raises(ec2.exceptions.ClientError) as info:
        ec2.describe_instances(InstanceIds=["i-1"])
    response = info.value.response
    assert response["Error"] == {
        "Code": "InvalidInstanceID.NotFound",
        "Message": "The instance ID 'i-1' does not exist",
    }
    assert response["ResponseMetadata"]["RequestId"] == REQUEST_ID
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    root = ElementTree.fromstring(recorder.response.body)
    assert (root.tag, [c.tag for c in root]) == ("Response", ["Errors", "RequestID"])


def test_server_error_with_fields_and_headers():
    recorder = Recorder()
    error = AWSError("InternalError", "oops", 500, headers={"Retry-After": "2"}, Hint="h")
    ec2 = make_client("ec2", raising(error), recorder)
    with pytest.raises(ec2.exceptions.ClientError) as info:
        ec2.describe_regions()
    assert info.value.response["Error"] == {"Code": "InternalError", "Message": "oops", "Hint": "h"}
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert recorder.response.headers["Retry-After"] == "2"


def test_bad_value_is_invalid_parameter_value():
    op = service_model("ec2").operation_model("DescribeInstances")
    request = WireRequest.from_parts(
        "POST",
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        "Action=DescribeInstances&Version=2016-11-15&MaxResults=lots",
    )
    with pytest.raises(AWSError) as info:
        codec_for("ec2").parse(request, op)
    assert (info.value.code, info.value.status) == ("InvalidParameterValue", 400)
    assert "MaxResults" in info.value.message
