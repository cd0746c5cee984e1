"""The rest-json codec against real boto3 clients (Lambda, API Gateway, Lex, ...)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest
from wire_client import REQUEST_ID, Recorder, make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("rest-json")
LAMBDA = service_model("lambda")


def test_invoke_blob_payload_headers_query_and_status_code():
    recorder = Recorder()

    def answer(op, params, req):
        return {
            "StatusCode": 202,
            "Payload": b'{"ok": true}',
            "FunctionError": "Unhandled",
            "ExecutedVersion": "$LATEST",
            "LogResult": base64.b64encode(b"log").decode(),
        }

    client = make_client("lambda", answer, recorder)
    out = client.invoke(
        FunctionName="arn:aws:lambda:us-east-1:123:function:f",
        Qualifier="v1",
        InvocationType="Event",
        Payload=b'{"in": 1}',
    )
    assert recorder.operation == "Invoke"
    assert recorder.params == {
        "FunctionName": "arn:aws:lambda:us-east-1:123:function:f",
        "Qualifier": "v1",
        "InvocationType": "Event",
        "Payload": b'{"in": 1}',
    }
    assert out["StatusCode"] == 202 and out["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert out["Payload"].read() == b'{"ok": true}'
    assert out["FunctionError"] == "Unhandled" and out["ExecutedVersion"] == "$LATEST"
    assert recorder.response.headers["x-amzn-RequestId"] == REQUEST_ID


def test_json_body_in_and_out_with_model_status():
    recorder = Recorder()

    def answer(op, params, req):
        return {
            "FunctionName": params["FunctionName"],
            "MemorySize": params["MemorySize"],
            "LastModified": "2024-01-01T00:00:00.000+0000",
            "Timeout": 3,
        }

    client = make_client("lambda", answer, recorder)
    out = client.create_function(
        FunctionName="f",
        Role="arn:aws:iam::1:role/r",
        Code={"ZipFile": b"PK\x03\x04"},
        MemorySize=256,
        Environment={"Variables": {"A": "1"}},
        Publish=True,
    )
    assert recorder.params["Code"] == {"ZipFile": b"PK\x03\x04"}
    assert recorder.params["Environment"] == {"Variables": {"A": "1"}}
    assert recorder.params["Publish"] is True
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201  # the model's responseCode
    assert out["MemorySize"] == 256 and out["FunctionName"] == "f"
    assert recorder.response.headers["Content-Type"] == "application/json"


def test_modelled_error_with_header_field():
    def answer(op, params, req):
        raise AWSError(
            "TooManyRequestsException",
            "Rate exceeded",
            429,
            retryAfterSeconds="7",
            Reason="CallerRateLimitExceeded",
            Type="User",
        )

    recorder = Recorder()
    client = make_client("lambda", answer, recorder)
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.get_function(FunctionName="f")
    response = info.value.response
    assert response["Error"]["Code"] == "TooManyRequestsException"
    assert response["Error"]["Message"] == "Rate exceeded"
    assert response["retryAfterSeconds"] == "7" and response["Reason"] == "CallerRateLimitExceeded"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["RequestId"] == REQUEST_ID
    headers = recorder.response.headers
    assert headers["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert headers["Retry-After"] == "7"
    assert json.loads(recorder.response.body) == {
        "message": "Rate exceeded",
        "Reason": "CallerRateLimitExceeded",
        "Type": "User",
    }


def test_unmodelled_error_code_still_reaches_client():
    def answer(op, params, req):
        raise AWSError("AccessDeniedException", "nope", 403)

    client = make_client("lambda", answer)
    with pytest.raises(client.exceptions.ClientError) as info:
        client.list_functions()
    assert info.value.response["Error"] == {"Code": "AccessDeniedException", "Message": "nope"}


def test_head_operation_errors_have_no_body():
    def answer(op, params, req):
        raise AWSError("ObjectNotFoundException", "missing", 404)

    recorder = Recorder()
    client = make_client("mediastore-data", answer, recorder)
    with pytest.raises(client.exceptions.ObjectNotFoundException):
        client.describe_object(Path="a/b")
    assert recorder.response.body == b""


def test_querystring_map_collects_unclaimed_params():
    recorder = Recorder()
    client = make_client(
        "apigateway", lambda *a: {"body": b"swagger", "contentType": "x/y"}, recorder
    )
    out = client.get_export(
        restApiId="api",
        stageName="prod",
        exportType="swagger",
        parameters={"extensions": "integrations", "x": "y z&"},
    )
    assert recorder.params["parameters"] == {"extensions": "integrations", "x": "y z&"}
    assert (recorder.params["restApiId"], recorder.params["exportType"]) == ("api", "swagger")
    assert out["body"].read() == b"swagger" and out["contentType"] == "x/y"


def test_jsonvalue_headers_both_ways():
    recorder = Recorder()

    def answer(op, params, req):
        return {
            "nluIntentConfidence": {"score": 0.5},
            "sessionAttributes": {"s": "1"},
            "contentType": "text/plain",
            "audioStream": b"pcm",
        }

    client = make_client("lex-runtime", answer, recorder)
    out = client.post_content(
        botName="bot",
        botAlias="alias",
        userId="user",
        contentType="text/plain; charset=utf-8",
        inputStream=b"hello",
        sessionAttributes={"k": "v"},
        requestAttributes={"r": 1},
    )
    assert recorder.params["sessionAttributes"] == {"k": "v"}
    assert recorder.params["requestAttributes"] == {"r": 1}
    assert recorder.params["inputStream"] == b"hello"
    assert out["nluIntentConfidence"] == {"score": 0.5}
    assert out["sessionAttributes"] == {"s": "1"}
    assert out["audioStream"].read() == b"pcm"


def test_header_lists_quote_commas():
    recorder = Recorder()
    client = make_client(
        "entityresolution",
        lambda *a: {
            "deleted": [],
            "disconnectedUniqueIds": [],
            "errors": [],
            "status": "COMPLETED",
        },
        recorder,
    )
    client.batch_delete_unique_id(workflowName="w", uniqueIds=["a", 'b,"c"', "d"])
    assert recorder.params["uniqueIds"] == ["a", 'b,"c"', "d"]


def test_header_timestamps_are_rfc822():
    op = service_model("mediastore-data").operation_model("DescribeObject")
    wire = CODEC.serialize(
        {"LastModified": datetime(2024, 2, 3, 4, 5, 6, tzinfo=timezone.utc), "ContentLength": 3},
        op,
        REQUEST_ID,
    )
    assert wire.headers["Last-Modified"] == "Sat, 03 Feb 2024 04:05:06 GMT"
    assert wire.headers["Content-Length"] == "3" and wire.body == b""


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Malformed JSON in request body"),
        (b"[1, 2]", "START_ARRAY can not be converted to Structure"),
        (b'{"MemorySize": "big"}', "STRING_VALUE can not be converted to Integer at 'MemorySize'"),
    ],
)
def test_bad_json_is_serialization_exception(body, message):
    req = WireRequest.from_parts("PUT", "/2015-03-31/functions/f/configuration", {}, body)
    op = LAMBDA.operation_model("UpdateFunctionConfiguration")
    assert CODEC.find_operation(req, LAMBDA) == op.name
    with pytest.raises(AWSError) as info:
        CODEC.parse(req, op)
    assert (info.value.code, info.value.status) == ("SerializationException", 400)
    assert info.value.message == message


def test_bad_uri_or_header_value_is_serialization_exception():
    req = WireRequest.from_parts("GET", "/2015-03-31/functions?MaxItems=lots", {}, b"")
    with pytest.raises(AWSError) as info:
        CODEC.parse(req, LAMBDA.operation_model("ListFunctions"))
    assert info.value.code == "SerializationException"


def test_body_cannot_override_located_members():
    op = service_model("apigateway").operation_model("CreateDeployment")
    req = WireRequest.from_parts(
        "POST", "/restapis/real/deployments", {}, b'{"restapi_id": "fake", "stageName": "s"}'
    )
    assert CODEC.parse(req, op) == {"restApiId": "real", "stageName": "s"}
