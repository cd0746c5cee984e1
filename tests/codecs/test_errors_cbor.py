"""CborCodec errors through botocore's rpc-v2-cbor parser and client error mapping."""

from __future__ import annotations

import cbor2
import pytest
from roundtrip import botocore_request, client_error

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for

CODEC = codec_for("smithy-rpc-v2-cbor")
CLOUDWATCH = service_model("cloudwatch")


def test_query_compatible_error_maps_to_its_modelled_class():
    op = CLOUDWATCH.operation_model("GetDashboard")
    wire = CODEC.serialize_error(
        AWSError("ResourceNotFound", "no such dashboard", 404), CLOUDWATCH, op, "rid"
    )
    parsed, code = client_error("smithy-rpc-v2-cbor", op, wire)
    assert code == "ResourceNotFound"
    assert parsed["Error"]["Message"] == "no such dashboard"
    assert parsed["Error"]["Type"] == "Sender"
    assert parsed["ResponseMetadata"]["RequestId"] == "rid"
    assert wire.headers["x-amzn-query-error"] == "ResourceNotFound;Sender"
    assert wire.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert cbor2.loads(wire.body) == {"__type": "ResourceNotFound", "message": "no such dashboard"}


def test_unmodelled_server_error():
    op = service_model("gamelift").operation_model("ListFleets")
    error = AWSError("InternalServiceException", "down", 500, sender_fault=False)
    wire = CODEC.serialize_error(error, op.service_model, op, "rid")
    parsed, code = client_error("smithy-rpc-v2-cbor", op, wire)
    assert (
        code == "InternalServiceException" and parsed["ResponseMetadata"]["HTTPStatusCode"] == 500
    )
    assert "x-amzn-query-error" not in wire.headers


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\x00garbage", "Malformed CBOR in request body"),
        (cbor2.dumps([1, 2]), "Request body is not a CBOR map"),
        (
            cbor2.dumps({"Namespace": 5}),
            "NUMBER_VALUE can not be converted to String at 'Namespace'",
        ),
    ],
)
def test_bad_bodies_are_serialization_exceptions(body, message):
    op = CLOUDWATCH.operation_model("ListMetrics")
    request = botocore_request("smithy-rpc-v2-cbor", op, {})
    request._body = body
    with pytest.raises(AWSError) as info:
        CODEC.parse(request, op)
    assert (info.value.code, info.value.message) == ("SerializationException", message)
