"""The CBOR form of the Kinesis API (what the AWS SDKs for Java send), answered in CBOR;
boto3's JSON requests keep JSON answers. Requests are signed by botocore's SigV4 signer."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any

import cbor2
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pytest_cloudmock.protocols import eventstream

CBOR = "application/x-amz-cbor-1.1"
CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def call(endpoint: str, operation: str, params: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    request = AWSRequest("POST", endpoint + "/", data=cbor2.dumps(params),
                         headers={"X-Amz-Target": f"Kinesis_20131202.{operation}", "Content-Type": CBOR})
    SigV4Auth(CREDENTIALS, "kinesis", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(endpoint + "/", data=request.body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _millis(value: int, *_: Any) -> int:
    return value


def test_cbor_requests_get_cbor_answers(aws, kinesis):
    status, headers, _ = call(aws.endpoint, "CreateStream", {"StreamName": "cbor", "ShardCount": 1})
    assert status == 200
    status, headers, body = call(aws.endpoint, "PutRecord", {"StreamName": "cbor", "Data": b"\x00\xffbin",
                                                             "PartitionKey": "k"})
    assert status == 200 and headers["Content-Type"] == CBOR
    put = cbor2.loads(body)
    assert put["ShardId"] == "shardId-000000000000" and len(put["SequenceNumber"]) == 56
    _, _, body = call(aws.endpoint, "GetShardIterator", {"StreamName": "cbor", "ShardId": "shardId-000000000000",
                                                         "ShardIteratorType": "AT_TIMESTAMP",
                                                         "Timestamp": cbor2.CBORTag(1, 0)})
    _, _, body = call(aws.endpoint, "GetRecords", {"ShardIterator": cbor2.loads(body)["ShardIterator"]})
    (record,) = cbor2.loads(body, semantic_decoders={1: _millis})["Records"]
    assert record["Data"] == b"\x00\xffbin"  # a CBOR byte string, not base64
    arrived = datetime.fromtimestamp(record["ApproximateArrivalTimestamp"] / 1000, timezone.utc)
    assert abs((arrived - aws.clock.utcnow()).total_seconds()) < 60  # epoch milliseconds
    # the same stream through boto3's JSON
    assert kinesis.describe_stream_summary(StreamName="cbor")["StreamDescriptionSummary"]["OpenShardCount"] == 1


def test_cbor_errors_are_cbor(aws):
    status, headers, body = call(aws.endpoint, "DescribeStream", {"StreamName": "missing"})
    assert status == 400 and headers["Content-Type"] == CBOR
    error = cbor2.loads(body)
    assert error["__type"] == "ResourceNotFoundException"
    assert error["message"] == "Stream missing under account 123456789012 not found."


def test_subscribe_to_shard_in_cbor_frames_cbor_events(aws, kinesis, make_stream):
    arn = make_stream("fan", shards=1)
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
    kinesis.put_record(StreamName="fan", Data=b"one", PartitionKey="k")
    status, headers, body = call(aws.endpoint, "SubscribeToShard", {
        "ConsumerARN": consumer, "ShardId": "shardId-000000000000", "StartingPosition": {"Type": "TRIM_HORIZON"}})
    assert status == 200 and headers["Content-Type"] == eventstream.CONTENT_TYPE
    messages = list(eventstream.decode_messages(body))
    events = [m for m in messages if m.headers.get(":event-type") == "SubscribeToShardEvent"]
    assert messages[0].headers[":event-type"] == "initial-response"
    (event,) = events
    assert event.headers[":content-type"] == CBOR
    (record,) = cbor2.loads(event.payload, semantic_decoders={1: _millis})["Records"]
    assert record["Data"] == b"one"
