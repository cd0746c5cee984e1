"""The wire: `x-amz-crc32` on every answer (botocore checks it), json 1.0 errors with AWS's `__type`."""

from __future__ import annotations

import zlib

import botocore.session
from botocore.parsers import create_parser

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.services.dynamodb.wire import DynamoDbJsonCodec

MODEL = botocore.session.get_session().get_service_model("dynamodb")


def test_results_and_errors_carry_the_crc32_of_their_body():
    codec = DynamoDbJsonCodec()
    operation = MODEL.operation_model("GetItem")
    ok = codec.serialize({"Item": {"pk": {"S": "a"}}}, operation, "req-1")
    assert ok.headers["x-amz-crc32"] == str(zlib.crc32(ok.body))
    parsed = create_parser("json").parse({"status_code": 200, "headers": ok.headers, "body": ok.body},
                                         operation.output_shape)
    assert parsed["Item"] == {"pk": {"S": "a"}}
    error = codec.serialize_error(AWSError("ConditionalCheckFailedException", "The conditional request failed"),
                                  MODEL, operation, "req-2")
    assert error.headers["x-amz-crc32"] == str(zlib.crc32(error.body))
    parsed = create_parser("json").parse({"status_code": 400, "headers": error.headers, "body": error.body},
                                         operation.output_shape)
    assert parsed["Error"]["Code"] == "ConditionalCheckFailedException"

