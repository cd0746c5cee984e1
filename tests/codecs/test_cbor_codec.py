"""CborCodec: routing, the CBOR wire format, and botocore's rpc-v2-cbor client side."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import cbor2
from botocore.parsers import create_parser
from roundtrip import botocore_request, response_dict

from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

CODEC = codec_for("smithy-rpc-v2-cbor")
CLOUDWATCH = service_model("cloudwatch")
UTC = timezone.utc


def cbor_request(path: str, body: bytes = b"") -> WireRequest:
    headers = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"}
    return WireRequest.from_parts("POST", path, headers, body)


def test_find_operation_by_path():
    assert (
        CODEC.find_operation(
            cbor_request("/service/GraniteServiceVersion20100801/operation/ListMetrics"), CLOUDWATCH
        )
        == "ListMetrics"
    )
    assert (
        CODEC.find_operation(
            cbor_request("/prefix/service/GraniteServiceVersion20100801/operation/ListMetrics"),
            CLOUDWATCH,
        )
        == "ListMetrics"
    )
    assert (
        CODEC.find_operation(cbor_request("/service/Other/operation/ListMetrics"), CLOUDWATCH)
        is None
    )
    assert (
        CODEC.find_operation(
            cbor_request("/service/GraniteServiceVersion20100801/operation/Nope"), CLOUDWATCH
        )
        is None
    )
    assert CODEC.find_operation(cbor_request("/"), CLOUDWATCH) is None
    assert CODEC.matches(cbor_request("/")) and not CODEC.matches(
        WireRequest.from_parts("POST", "/")
    )


def test_botocore_request_parses_with_native_types():
    op = CLOUDWATCH.operation_model("GetMetricData")
    start = datetime(2024, 1, 1, tzinfo=UTC)
    params = {
        "MetricDataQueries": [
            {
                "Id": "q1",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "N",
                        "MetricName": "M",
                        "Dimensions": [{"Name": "d", "Value": "v"}],
                    },
                    "Period": 60,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            }
        ],
        "StartTime": start,
        "EndTime": datetime(2024, 1, 2, tzinfo=UTC),
        "MaxDatapoints": 100,
    }
    request = botocore_request("smithy-rpc-v2-cbor", op, params)
    assert CODEC.find_operation(request, CLOUDWATCH) == "GetMetricData"
    parsed = CODEC.parse(request, op)
    assert parsed == params and parsed["StartTime"].tzinfo is not None


def test_response_wire_format():
    op = CLOUDWATCH.operation_model("GetMetricData")
    stamp = datetime(2024, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
    result = {
        "MetricDataResults": [
            {"Id": "q", "Timestamps": [stamp], "Values": [1.5, math.inf], "StatusCode": "Complete"}
        ]
    }
    wire = CODEC.serialize(result, op, "rid")
    assert wire.headers == {
        "smithy-protocol": "rpc-v2-cbor",
        "x-amzn-RequestId": "rid",
        "Content-Type": "application/cbor",
    }
    assert wire.body[:1] == b"\xa1"  # a map
    assert b"\xc1" + cbor2.dumps(1704164645.678) in wire.body  # tag 1: epoch seconds
    parsed = create_parser("smithy-rpc-v2-cbor").parse(response_dict(wire, op), op.output_shape)
    assert parsed["MetricDataResults"] == result["MetricDataResults"]
    assert parsed["ResponseMetadata"]["RequestId"] == "rid"


def test_blob_output_and_empty_outputs():
    op = CLOUDWATCH.operation_model("GetMetricWidgetImage")
    wire = CODEC.serialize({"MetricWidgetImage": b"\x89PNG"}, op, "r")
    assert cbor2.loads(wire.body) == {"MetricWidgetImage": b"\x89PNG"}
    assert CODEC.serialize({}, op, "r").body == b"\xa0"  # an empty map, not an empty body
    no_output = CLOUDWATCH.operation_model("DeleteAlarms")
    wire = CODEC.serialize({}, no_output, "r")
    assert wire.body == b"" and "Content-Type" not in wire.headers


def test_empty_request_body_and_shape_less_service():
    op = CLOUDWATCH.operation_model("ListDashboards")
    assert CODEC.parse(cbor_request("/service/X/operation/ListDashboards"), op) == {}
    raw = cbor_request("/service/X/operation/Y", cbor2.dumps({"a": [1, b"x"]}))
    assert CODEC.parse(raw, None) == {"a": [1, b"x"]}
    assert cbor2.loads(CODEC.serialize({"a": 1}, None, "r").body) == {"a": 1}
