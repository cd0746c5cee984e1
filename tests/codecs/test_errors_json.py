"""JsonCodec errors as real boto3 clients see them (SQS's query-compatible codes included)."""

from __future__ import annotations

import json

import pytest
from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("json")


def raising(error: AWSError):
    def answer(op, params, request):
        raise error

    return answer


@pytest.mark.parametrize("code", ["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"])
def test_sqs_modelled_error_carries_the_legacy_query_code(code):
    recorder = Recorder()
    sqs = make_client(
        "sqs", raising(AWSError(code, "The specified queue does not exist.")), recorder
    )
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as info:
        sqs.get_queue_url(QueueName="missing")
    error = info.value.response["Error"]
    assert error == {
        "Code": "AWS.SimpleQueueService.NonExistentQueue",
        "QueryErrorCode": "QueueDoesNotExist",
        "Type": "Sender",
        "Message": "The specified queue does not exist.",
    }
    assert info.value.response["ResponseMetadata"]["RequestId"] == REQUEST_ID
    headers = recorder.response.headers
    assert headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    # SQS names the shape by its full id (com.amazonaws.sqs#...), as its JSON responses do
    assert headers["x-amzn-ErrorType"] == "com.amazonaws.sqs#QueueDoesNotExist"
    assert headers["Content-Type"] == "application/x-amz-json-1.0"
    assert json.loads(recorder.response.body)["__type"] == "com.amazonaws.sqs#QueueDoesNotExist"


def test_sqs_unmodelled_error_and_receiver_fault():
    sqs = make_client("sqs", raising(AWSError("InternalError", "boom", 500, sender_fault=False)))
    with pytest.raises(sqs.exceptions.ClientError) as info:
        sqs.list_queues()
    assert info.value.response["Error"]["Code"] == "InternalError"
    assert info.value.response["Error"]["Type"] == "Receiver"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_sqs_status_of_legacy_errors_is_the_callers():
    sqs = make_client("sqs", raising(AWSError("OverLimit", "too many", 403)))
    with pytest.raises(sqs.exceptions.OverLimit) as info:
        sqs.receive_message(QueueUrl="https://sqs.us-east-1.amazonaws.com/1/q")
    assert info.value.response["Error"]["Code"] == "OverLimit"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_dynamodb_modelled_fields_reach_the_client():
    item = {"pk": {"S": "a"}, "n": {"N": "1"}}
    error = AWSError("ConditionalCheckFailedException", "The conditional request failed", Item=item)
    ddb = make_client("dynamodb", raising(error))
    with pytest.raises(ddb.exceptions.ConditionalCheckFailedException) as info:
        ddb.put_item(
            TableName="t", Item={"pk": {"S": "a"}}, ReturnValuesOnConditionCheckFailure="ALL_OLD"
        )
    assert info.value.response["Item"] == item
    assert info.value.response["Error"]["Message"] == "The conditional request failed"
    assert "QueryErrorCode" not in info.value.response["Error"]


def test_error_headers_and_unknown_fields_are_written():
    recorder = Recorder()
    error = AWSError("ThrottlingException", "slow down", headers={"Retry-After": "3"}, Reason="x")
    kms = make_client("kms", raising(error), recorder)
    with pytest.raises(kms.exceptions.ClientError) as info:
        kms.list_keys()
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    assert recorder.response.headers["Retry-After"] == "3"
    assert json.loads(recorder.response.body) == {
        "__type": "ThrottlingException",
        "Reason": "x",
        "message": "slow down",
    }
    assert "x-amzn-query-error" not in recorder.response.headers


def test_message_goes_under_the_shapes_own_message_member():
    acm = service_model("acm")  # AccessDeniedException spells it `Message`
    response = CODEC.serialize_error(AWSError("AccessDeniedException", "no"), acm, None, "r")
    assert json.loads(response.body) == {"__type": "AccessDeniedException", "Message": "no"}
    assert response.headers["Content-Type"] == "application/x-amz-json-1.1"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Malformed JSON in request body"),
        (b"[1, 2]", "START_ARRAY can not be converted to Structure"),
        (b'{"QueueName": 5}', "NUMBER_VALUE can not be converted to String at 'QueueName'"),
        (
            b'{"QueueName": "q", "Attributes": []}',
            "START_ARRAY can not be converted to Map at 'Attributes'",
        ),
    ],
)
def test_bad_bodies_are_serialization_exceptions(body, message):
    op = service_model("sqs").operation_model("CreateQueue")
    request = WireRequest.from_parts("POST", "/", {"X-Amz-Target": "AmazonSQS.CreateQueue"}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(request, op)
    assert (info.value.code, info.value.status, info.value.message) == (
        "SerializationException",
        400,
        message,
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Limit", "ten"),
        ("Limit", 1.5),
        ("Limit", {"k": "v"}),
        ("Limit", [1]),
        ("Segment", {}),
        ("ConsistentRead", "yes"),
        ("ExclusiveStartKey", {"k": {"B": "!!not base64"}}),
    ],
)
def test_wrongly_typed_values_are_serialization_exceptions(field, value):
    op = service_model("dynamodb").operation_model("Scan")
    body = json.dumps({"TableName": "t", field: value}).encode()
    request = WireRequest.from_parts("POST", "/", {"X-Amz-Target": "DynamoDB_20120810.Scan"}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(request, op)
    assert info.value.code == "SerializationException" and field in info.value.message


def test_an_error_echoing_a_lone_surrogate_still_reaches_the_client():
    """A message quoting request text UTF-8 cannot carry is written with JSON escapes."""
    sqs = make_client("sqs", raising(AWSError("InvalidAddress", "The address \ud800 is not valid.", 404)))
    with pytest.raises(sqs.exceptions.ClientError) as info:
        sqs.list_queues()
    assert info.value.response["Error"]["Message"] == "The address \ud800 is not valid."


@pytest.mark.parametrize(
    ("operation", "body", "message"),
    [
        ("CreateQueue", b'{"QueueName": "q", "Attributes": {"DelaySeconds": 5}}',
         "NUMBER_VALUE can not be converted to String at 'Attributes.DelaySeconds'"),
        ("SendMessageBatch", b'{"QueueUrl": "u", "Entries": [{"Id": "a", "MessageBody": "b"}, {"Id": 5}]}',
         "NUMBER_VALUE can not be converted to String at 'Entries[1].Id'"),
        ("SendMessage", b'{"QueueUrl": "u", "MessageBody": "b", "MessageAttributes": {"k": {"DataType": []}}}',
         "START_ARRAY can not be converted to String at 'MessageAttributes.k.DataType'"),
        ("ReceiveMessage", b'{"QueueUrl": "u", "AttributeNames": ["All", {}]}',
         "START_OBJECT can not be converted to String at 'AttributeNames[1]'"),
    ],
)
def test_nested_mismatches_name_their_path(operation, body, message):
    op = service_model("sqs").operation_model(operation)
    request = WireRequest.from_parts("POST", "/", {"X-Amz-Target": f"AmazonSQS.{operation}"}, body)
    with pytest.raises(AWSError) as info:
        CODEC.parse(request, op)
    assert (info.value.code, info.value.message) == ("SerializationException", message)
