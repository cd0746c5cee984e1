"""Event streams (`application/vnd.amazon.eventstream`): framing against AWS's test
vectors and botocore's decoder, and event-stream operations through real boto3 clients."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from botocore.eventstream import EventStreamBuffer
from botocore.exceptions import ClientError, EventStreamError
from hypothesis import given
from hypothesis import strategies as st
from wire_client import make_client

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.models import service_model
from pytest_cloudmock.protocols import codec_for
from pytest_cloudmock.protocols.eventstream import (
    INTEGER,
    FramingError,
    Typed,
    decode_messages,
    encode_message,
)
from pytest_cloudmock.wire import WireRequest

# The event-stream test vectors AWS publishes with its SDKs (empty_message,
# int32_header, payload_one_str_header).
VECTORS = [
    (bytes([0, 0, 0, 16, 0, 0, 0, 0, 5, 194, 72, 235, 125, 152, 200, 255]), {}, b""),
    (
        bytes(
            [0, 0, 0, 45, 0, 0, 0, 16, 65, 196, 36, 184, 10, 101, 118, 101, 110, 116, 45, 116, 121]
            + [112, 101, 4, 0, 0, 160, 12, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39]
            + [125, 54, 244, 128, 160]
        ),
        {"event-type": Typed(INTEGER, 40972)},
        b"{'foo':'bar'}",
    ),
    (
        bytes(
            [0, 0, 0, 61, 0, 0, 0, 32, 7, 253, 131, 150, 12, 99, 111, 110, 116, 101, 110, 116, 45]
            + [116, 121, 112, 101, 7, 0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110]
            + [47, 106, 115, 111, 110, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125]
            + [141, 156, 8, 177]
        ),
        {"content-type": "application/json"},
        b"{'foo':'bar'}",
    ),
]


@pytest.mark.parametrize(("encoded", "headers", "payload"), VECTORS)
def test_aws_test_vectors_encode_and_decode(encoded, headers, payload):
    assert encode_message(headers, payload) == encoded
    [message] = decode_messages(encoded)
    assert message.payload == payload
    assert message.headers == {k: getattr(v, "value", v) for k, v in headers.items()}


_HEADER_VALUES = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.binary(max_size=40),
    st.text(max_size=40),
    st.datetimes(timezones=st.just(timezone.utc)).map(lambda d: d.replace(microsecond=0)),
    st.uuids(),
)


@given(st.dictionaries(st.text(min_size=1, max_size=20), _HEADER_VALUES, max_size=6), st.binary())
def test_frames_read_back_by_botocore_and_by_us(headers, payload):
    data = encode_message(headers, payload)
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    [theirs] = list(buffer)
    [ours] = decode_messages(data)
    assert theirs.payload == ours.payload == payload
    assert ours.headers == headers
    for name, value in headers.items():  # botocore: timestamps as ms, uuids as bytes
        if isinstance(value, datetime):
            value = round(value.timestamp() * 1000)
        elif isinstance(value, uuid.UUID):
            value = value.bytes
        assert theirs.headers[name] == value


@pytest.mark.parametrize("damage", [5, 9, 20, -1])
def test_damaged_frames_are_refused(damage):
    data = bytearray(encode_message({":event-type": "x"}, b"payload"))
    data[damage] ^= 0xFF
    with pytest.raises(FramingError):
        list(decode_messages(bytes(data)))
    with pytest.raises(FramingError):
        list(decode_messages(bytes(data[:-3])))


# -- output streams through boto3 ----------------------------------------------------


def test_s3_select_object_content_events():
    def answer(op, params, req):
        assert params["Expression"] == "SELECT * FROM S3Object"
        return {
            "Payload": iter(
                [
                    {"Records": {"Payload": b"a,b\n"}},
                    {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 10, "BytesReturned": 4}}},
                    {"Cont": {}},
                    {"End": {}},
                ]
            )
        }

    s3 = make_client("s3", answer, s3={"addressing_style": "path"})
    out = s3.select_object_content(
        Bucket="b",
        Key="k.csv",
        Expression="SELECT * FROM S3Object",
        ExpressionType="SQL",
        InputSerialization={"CSV": {}},
        OutputSerialization={"CSV": {}},
    )
    assert list(out["Payload"]) == [
        {"Records": {"Payload": b"a,b\n"}},
        {"Stats": {"Details": {"BytesScanned": 10, "BytesProcessed": 10, "BytesReturned": 4}}},
        {"Cont": {}},
        {"End": {}},
    ]


def _subscribe(events):
    kinesis = make_client("kinesis", lambda op, params, req: {"EventStream": events})
    return kinesis.subscribe_to_shard(
        ConsumerARN="arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
        ShardId="shardId-000000000000",
        StartingPosition={"Type": "LATEST"},
    )


def test_kinesis_subscribe_to_shard_and_a_modelled_exception_mid_stream():
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

    def events():
        yield {
            "SubscribeToShardEvent": {
                "Records": [
                    {
                        "SequenceNumber": "1",
                        "ApproximateArrivalTimestamp": when,
                        "Data": b"\x00hello",
                        "PartitionKey": "p",
                    }
                ],
                "ContinuationSequenceNumber": "1",
                "MillisBehindLatest": 0,
            }
        }
        raise AWSError("ResourceNotFoundException", "Stream s was deleted.")

    stream = iter(_subscribe(events())["EventStream"])
    first = next(stream)["SubscribeToShardEvent"]
    assert first["Records"][0]["Data"] == b"\x00hello"
    assert first["Records"][0]["ApproximateArrivalTimestamp"] == when
    with pytest.raises(EventStreamError) as info:
        next(stream)
    assert info.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Stream s was deleted.",
    }


def test_an_error_before_the_first_event_is_an_http_error():
    def events():
        raise AWSError("ResourceInUseException", "Another subscription is active.")
        yield  # pragma: no cover

    with pytest.raises(ClientError) as info:
        _subscribe(events())
    assert info.value.response["Error"]["Code"] == "ResourceInUseException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unmodelled_errors_and_yielded_exception_events_end_the_stream():
    def failing():
        yield {"SubscribeToShardEvent": {"Records": [], "ContinuationSequenceNumber": "1"}}
        raise AWSError("ThrottledSomehow", "slow down")

    stream = iter(_subscribe(failing())["EventStream"])
    next(stream)
    with pytest.raises(EventStreamError) as info:
        next(stream)
    assert info.value.response["Error"] == {"Code": "ThrottledSomehow", "Message": "slow down"}

    yielded = iter([{"KMSThrottlingException": {"message": "slow"}}, {"SubscribeToShardEvent": {}}])
    with pytest.raises(EventStreamError) as info:
        list(_subscribe(yielded)["EventStream"])
    assert info.value.response["Error"]["Code"] == "KMSThrottlingException"


def test_lambda_invoke_with_response_stream_headers_and_events():
    def answer(op, params, req):
        return {
            "StatusCode": 200,
            "ExecutedVersion": "$LATEST",
            "EventStream": [
                {"PayloadChunk": {"Payload": b'{"partial": '}},
                {"PayloadChunk": {"Payload": b"1}"}},
                {"InvokeComplete": {"LogResult": "bG9n"}},
            ],
        }

    out = make_client("lambda", answer).invoke_with_response_stream(FunctionName="f")
    assert out["StatusCode"] == 200 and out["ExecutedVersion"] == "$LATEST"
    events = list(out["EventStream"])
    assert b"".join(e["PayloadChunk"]["Payload"] for e in events[:2]) == b'{"partial": 1}'
    assert events[2] == {"InvokeComplete": {"LogResult": "bG9n"}}


def test_long_streams_are_not_buffered():
    produced = []

    def events():
        for i in range(1000):
            produced.append(i)
            yield {"PayloadChunk": {"Payload": b"x"}}

    op = service_model("lambda").operation_model("InvokeWithResponseStream")
    wire = codec_for("rest-json").serialize({"EventStream": events()}, op, "r")
    assert wire.headers["Content-Type"] == "application/vnd.amazon.eventstream"
    body = iter(wire.body)
    next(body)
    assert len(produced) <= 2


# -- input streams -------------------------------------------------------------------

BEDROCK = service_model("bedrock-runtime").operation_model("InvokeModelWithBidirectionalStream")


def _chunk(data: bytes) -> bytes:
    payload = b'{"bytes":"' + __import__("base64").b64encode(data) + b'"}'
    headers = {":message-type": "event", ":event-type": "chunk", ":content-type": "application/json"}
    return encode_message(headers, payload)


def _signed(inner: bytes) -> bytes:
    """The envelope SDKs wrap each input event in when signing the stream."""
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return encode_message({":date": when, ":chunk-signature": b"\x01" * 32}, inner)


def _bedrock_request(body: bytes) -> WireRequest:
    return WireRequest.from_parts(
        "POST",
        "/model/m/invoke-with-bidirectional-stream",
        {"Content-Type": "application/vnd.amazon.eventstream"},
        body,
    )


def test_input_event_stream_decodes_to_events_signed_or_not():
    body = _chunk(b"one") + _signed(_chunk(b"two")) + _signed(b"") + _chunk(b"after the end")
    request = _bedrock_request(body)
    assert codec_for("rest-json").find_operation(request, BEDROCK.service_model) == BEDROCK.name
    params = codec_for("rest-json").parse(request, BEDROCK)
    assert params["modelId"] == "m"
    assert list(params["body"]) == [{"chunk": {"bytes": b"one"}}, {"chunk": {"bytes": b"two"}}]


def test_a_malformed_input_event_stream_is_a_serialization_exception():
    body = bytearray(_chunk(b"one"))
    body[-1] ^= 1
    with pytest.raises(AWSError) as info:
        codec_for("rest-json").parse(_bedrock_request(bytes(body)), BEDROCK)
    assert (info.value.code, info.value.status) == ("SerializationException", 400)
