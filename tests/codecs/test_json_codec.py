"""JsonCodec: routing, real boto3 calls through it, the wire format, shape-less services."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

from botocore.parsers import create_parser
from roundtrip import response_dict
from wire_client import Recorder, make_client

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for, detect_protocol
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("json")
DYNAMODB = service_model("dynamodb")


def target(value: str, content_type: str = "application/x-amz-json-1.0") -> WireRequest:
    return WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": value, "Content-Type": content_type}, b"{}"
    )


def test_find_operation_by_target():
    assert CODEC.find_operation(target("DynamoDB_20120810.GetItem"), DYNAMODB) == "GetItem"
    assert CODEC.find_operation(target("DynamoDB_20120810.NoSuchOp"), DYNAMODB) is None
    assert CODEC.find_operation(target("AmazonSQS.GetItem"), DYNAMODB) is None
    assert CODEC.find_operation(WireRequest.from_parts("POST", "/"), DYNAMODB) is None
    assert CODEC.find_operation(target("Anything.DoIt"), None) == "DoIt"


def test_matches_only_json_requests():
    assert CODEC.matches(target("X.Y"))
    assert CODEC.matches(target("X.Y", "application/x-amz-json-1.1"))
    form = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, "Action=X"
    )
    cbor = WireRequest.from_parts(
        "POST", "/service/X/operation/Y", {"smithy-protocol": "rpc-v2-cbor"}
    )
    assert not CODEC.matches(form) and not CODEC.matches(cbor)
    candidates = ["smithy-rpc-v2-cbor", "json", "query"]
    assert [detect_protocol(r, candidates) for r in (target("X.Y"), form, cbor)] == [
        "json",
        "query",
        "smithy-rpc-v2-cbor",
    ]


def test_dynamodb_call_round_trips_types():
    recorder = Recorder()
    item = {
        "pk": {"S": "k"},
        "b": {"B": b"\x00\x01"},
        "n": {"N": "1.5"},
        "l": {"L": [{"BOOL": True}]},
    }

    def answer(op, params, request):
        if op == "PutItem":
            return {}
        return {"Item": item, "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}}

    ddb = make_client("dynamodb", answer, recorder)
    out = ddb.get_item(
        TableName="t", Key={"pk": {"S": "k"}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL"
    )
    assert recorder.params == {
        "TableName": "t",
        "Key": {"pk": {"S": "k"}},
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    assert out["Item"] == item
    assert out["ConsumedCapacity"] == {"TableName": "t", "CapacityUnits": 0.5}
    ddb.put_item(TableName="t", Item=item)
    assert recorder.params == {"TableName": "t", "Item": item}


def test_wire_format_of_a_response():
    op = service_model("kinesis").operation_model("DescribeStreamSummary")
    created = datetime(2024, 1, 2, 3, 4, 5, 678_000, tzinfo=timezone.utc)
    result = {
        "StreamDescriptionSummary": {
            "StreamName": "s",
            "StreamARN": "arn",
            "StreamStatus": "ACTIVE",
            "RetentionPeriodHours": 24,
            "StreamCreationTimestamp": created,
            "EnhancedMonitoring": [],
            "OpenShardCount": 1,
            "Unknown": "dropped",
        },
        "NotInShape": 1,
    }
    wire = CODEC.serialize(result, op, "rid")
    assert wire.status == 200
    assert wire.headers == {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "rid"}
    body = json.loads(wire.body)
    assert body["StreamDescriptionSummary"]["StreamCreationTimestamp"] == 1704164645.678
    assert "Unknown" not in body["StreamDescriptionSummary"] and "NotInShape" not in body
    parsed = create_parser("json").parse(response_dict(wire, op), op.output_shape)
    assert parsed["StreamDescriptionSummary"]["StreamCreationTimestamp"] == created


def test_float_specials_travel_as_strings():
    op = service_model("cloudwatch").operation_model("GetMetricStatistics")
    wire = CODEC.serialize(
        {"Datapoints": [{"Sum": math.nan, "Maximum": math.inf, "Minimum": -math.inf}]}, op, "r"
    )
    assert json.loads(wire.body)["Datapoints"] == [
        {"Sum": "NaN", "Maximum": "Infinity", "Minimum": "-Infinity"}
    ]
    body = json.dumps(
        {"Namespace": "n", "MetricData": [{"MetricName": "m", "Value": "NaN"}]}
    ).encode()
    request = WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": "GraniteServiceVersion20100801.PutMetricData"}, body
    )
    params = CODEC.parse(request, service_model("cloudwatch").operation_model("PutMetricData"))
    assert math.isnan(params["MetricData"][0]["Value"])


def test_empty_body_and_unknown_members():
    op = service_model("sqs").operation_model("ListQueues")
    assert CODEC.parse(WireRequest.from_parts("POST", "/", {}, b""), op) == {}
    request = WireRequest.from_parts(
        "POST", "/", {}, b'{"QueueNamePrefix": "a", "Bogus": 1, "MaxResults": null}'
    )
    assert CODEC.parse(request, op) == {"QueueNamePrefix": "a"}


def test_shape_less_service_passes_json_through():
    request = WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": "Custom.Do"}, b'{"a": [1, {"b": null}]}'
    )
    assert CODEC.parse(request, None) == {"a": [1, {"b": None}]}
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    wire = CODEC.serialize({"at": when, "raw": b"\x01", "n": 1}, None, "rid")
    assert json.loads(wire.body) == {"at": 1704067200, "raw": "AQ==", "n": 1}
    assert wire.headers["x-amzn-RequestId"] == "rid"


def test_status_override_and_no_output_shape():
    op = service_model("sqs").operation_model("DeleteQueue")
    assert op.output_shape is None
    wire = CODEC.serialize({}, op, "rid", status=202)
    assert (wire.status, wire.body) == (202, b"{}")
