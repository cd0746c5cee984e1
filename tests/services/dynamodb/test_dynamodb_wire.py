"""The wire: `x-amz-crc32` on every answer (botocore checks it), json 1.0 errors with AWS's `__type`."""

from __future__ import annotations

import zlib

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ChecksumError
from botocore.parsers import create_parser
from botocore.retryhandler import CRC32Checker

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


def test_botocores_own_crc32_checker_accepts_our_answers():
    codec = DynamoDbJsonCodec()
    operation = MODEL.operation_model("Query")
    wire = codec.serialize({"Items": [{"pk": {"S": "\u00e9" * 50}}], "Count": 1}, operation, "req-3")
    response = AWSResponse("http://x", wire.status, wire.headers, _Raw(wire.body))
    checker = CRC32Checker("x-amz-crc32")
    assert checker(attempt_number=1, response=(response, {}), caught_exception=None) is None  # accepted
    tampered = AWSResponse("http://x", wire.status, wire.headers, _Raw(wire.body + b" "))
    with pytest.raises(ChecksumError):
        checker(attempt_number=1, response=(tampered, {}), caught_exception=None)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, *args: object, **kwargs: object):
        yield self.body



def test_the_gateway_sends_the_crc32_on_every_dynamodb_answer(ddb):
    """The codec table picks DynamoDB's codec: the header reaches boto3 on answers and errors."""
    answer = ddb.list_tables()
    headers = answer["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-crc32"].isdigit()
    with pytest.raises(ddb.exceptions.ResourceNotFoundException) as info:
        ddb.describe_table(TableName="missing")
    assert info.value.response["ResponseMetadata"]["HTTPHeaders"]["x-amz-crc32"].isdigit()
