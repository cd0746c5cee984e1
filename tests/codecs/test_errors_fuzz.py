"""Garbage in, AWS error out: no codec lets anything but `AWSError` escape `parse`."""

from __future__ import annotations

import json

import cbor2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.wire import WireRequest

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=20,
)
DDB_PUT = service_model("dynamodb").operation_model("PutItem")
SQS_SEND = service_model("sqs").operation_model("SendMessage")
IAM_POLICY = service_model("iam").operation_model("CreatePolicy")
EC2_RUN = service_model("ec2").operation_model("RunInstances")
CW_DATA = service_model("cloudwatch").operation_model("PutMetricData")


def parses_or_raises_aws_error(protocol: str, request: WireRequest, op) -> None:
    try:
        result = codec_for(protocol).parse(request, op)
    except AWSError as err:
        assert err.status == 400 and err.code and err.message
    else:
        assert isinstance(result, dict)


@FUZZ
@given(st.binary(max_size=64) | JSON_VALUES.map(lambda v: json.dumps(v).encode()))
def test_json_bodies(body):
    request = WireRequest.from_parts(
        "POST", "/", {"X-Amz-Target": "DynamoDB_20120810.PutItem"}, body
    )
    parses_or_raises_aws_error("json", request, DDB_PUT)


@FUZZ
@given(st.fixed_dictionaries({"TableName": st.text(max_size=4), "Item": JSON_VALUES}))
def test_json_shaped_almost_right(value):
    request = WireRequest.from_parts("POST", "/", {}, json.dumps(value).encode())
    parses_or_raises_aws_error("json", request, DDB_PUT)


def test_deeply_nested_json_is_an_error_not_a_crash():
    deep = b'{"TableName": "t", "Item": {"a": ' + b'{"L": [' * 5000 + b"]}" * 5000 + b"}}"
    for body in (b"[" * 100_000, deep):
        request = WireRequest.from_parts("POST", "/", {}, body)
        parses_or_raises_aws_error("json", request, DDB_PUT)


@FUZZ
@given(st.binary(max_size=64) | JSON_VALUES.map(lambda v: cbor2.dumps(v)))
def test_cbor_bodies(body):
    request = WireRequest.from_parts("POST", "/", {"smithy-protocol": "rpc-v2-cbor"}, body)
    parses_or_raises_aws_error("smithy-rpc-v2-cbor", request, CW_DATA)


FORM_KEYS = st.sampled_from(
    [
        "PolicyName",
        "PolicyDocument",
        "Tags.member.1.Key",
        "Tags.member.1.Value",
        "Tags.member",
        "Tags.member.0.Key",
        "Tags",
        "MaxCount",
        "MinCount",
        "BlockDeviceMapping.1.Ebs.VolumeSize",
        "TagSpecification.1.Tag.1.Key",
        "DryRun",
        "InstanceMarketOptions.SpotOptions.ValidUntil",
        "UserData",
        "MessageAttribute.1.Value.BinaryValue",
        "MessageAttribute.1.Name",
        "DelaySeconds",
    ]
)


@FUZZ
@given(st.dictionaries(FORM_KEYS, st.text(max_size=6)), st.sampled_from(["query", "ec2"]))
def test_query_forms(form, protocol):
    from urllib.parse import urlencode

    op = IAM_POLICY if protocol == "query" else EC2_RUN
    body = urlencode({"Action": op.name, **form})
    request = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, body
    )
    parses_or_raises_aws_error(protocol, request, op)


@FUZZ
@given(st.binary(max_size=64))
def test_query_raw_bytes(body):
    request = WireRequest.from_parts(
        "POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, body
    )
    parses_or_raises_aws_error("query", request, IAM_POLICY)
