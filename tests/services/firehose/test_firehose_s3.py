"""Buffered delivery to S3: intervals on the clock, sizes, prefixes, compression, transformation."""

from __future__ import annotations

import base64
import gzip
import io
import json
import re
import struct
import zipfile

import pytest

from pytest_cloudmock.services.lambda_ import lambda_zip

from ..aws_errors import error_of
from .conftest import ROLE, objects

NAME = re.compile(r"(?P<prefix>(?:.*/)?)(?P<stream>[a-z-]+)-(?P<version>\d+)-2026-03-04-05-\d\d-\d\d-"
                  r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?P<ext>\.\w+)?$")


def test_buffered_objects_appear_after_the_interval_with_prefix_and_gzip(aws, firehose, s3, to_s3, frozen):
    to_s3("logs", BufferingHints={"SizeInMBs": 5, "IntervalInSeconds": 60}, CompressionFormat="GZIP")
    for i in range(3):
        firehose.put_record(DeliveryStreamName="logs", Record={"Data": b"line %d\n" % i})
    out = firehose.put_record_batch(DeliveryStreamName="logs", Records=[{"Data": b"batch\n"}] * 2)
    assert out["FailedPutCount"] == 0 and len(out["RequestResponses"]) == 2
    aws.settle()
    assert objects(s3) == {}
    frozen.advance(59)
    aws.settle()
    assert objects(s3) == {}
    frozen.advance(1)
    aws.settle()
    (key, body), = objects(s3).items()
    match = NAME.match(key)
    assert match and match["prefix"] == "2026/03/04/05/" and match["stream"] == "logs"
    assert match["version"] == "1" and match["ext"] == ".gz"
    assert gzip.decompress(body) == b"line 0\nline 1\nline 2\nbatch\nbatch\n"


def test_size_hint_delivers_without_waiting(aws, firehose, s3, to_s3, frozen):
    to_s3("big", BufferingHints={"SizeInMBs": 1, "IntervalInSeconds": 900})
    firehose.put_record_batch(DeliveryStreamName="big", Records=[{"Data": b"x" * 300_000}] * 4)
    aws.settle()
    (body,) = objects(s3).values()
    assert len(body) == 1_200_000


def test_custom_prefix_expressions_and_zip(aws, firehose, s3, to_s3, frozen):
    to_s3("custom", Prefix="data/!{timestamp:yyyy/MM/dd}/", CompressionFormat="ZIP",
          ErrorOutputPrefix="errors/!{firehose:error-output-type}/")
    firehose.put_record(DeliveryStreamName="custom", Record={"Data": b"abc"})
    aws.registry.get("firehose").flush()
    (key, body), = objects(s3).items()
    assert key.startswith("data/2026/03/04/custom-1-") and key.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.read(archive.namelist()[0]) == b"abc"


def test_prefix_rules(firehose, to_s3):
    code, message = error_of(firehose.create_delivery_stream, DeliveryStreamName="bad",
                             ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::b",
                                                                 "Prefix": "!{timestamp:yyyy}/"})
    assert code == "InvalidArgumentException" and "ErrorOutputPrefix" in message


def test_snappy_objects_are_framed_and_hadoop_snappy_objects_are_blocks(aws, firehose, s3, to_s3, frozen):
    from cramjam import snappy

    data = b"".join(b"record %d of a repetitive stream\n" % i for i in range(20000))  # past one Hadoop block
    for name, compression in (("framed", "Snappy"), ("hadoop", "HADOOP_SNAPPY")):
        to_s3(name, CompressionFormat=compression, Prefix=f"{name}/", ErrorOutputPrefix=f"{name}-errors/",
              BufferingHints={"SizeInMBs": 5, "IntervalInSeconds": 60})
        for start in range(0, len(data), 500_000):
            firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": data[start:start + 500_000]}])
    frozen.advance(60)
    aws.settle()
    found = objects(s3)
    (framed,) = [body for key, body in found.items() if key.startswith("framed/") and key.endswith(".snappy")]
    assert framed.startswith(b"\xff\x06\x00\x00sNaPpY") and bytes(snappy.decompress(framed)) == data
    assert len(framed) < len(data) / 3
    (blocks,) = [body for key, body in found.items() if key.startswith("hadoop/")]
    out, at = b"", 0
    while at < len(blocks):  # [raw length][compressed length][raw snappy], one per 256 KiB block
        raw, packed = struct.unpack(">II", blocks[at:at + 8])
        chunk = bytes(snappy.decompress_raw(blocks[at + 8:at + 8 + packed]))
        assert len(chunk) == raw <= 256 * 1024
        out, at = out + chunk, at + 8 + packed
    assert out == data


TRANSFORM = """
import base64

def handler(event, context):
    out = []
    for record in event["records"]:
        text = base64.b64decode(record["data"]).decode()
        result = {"drop": "Dropped", "fail": "ProcessingFailed"}.get(text, "Ok")
        out.append({"recordId": record["recordId"], "result": result,
                    "data": base64.b64encode(text.upper().encode()).decode()})
    return {"records": out}
"""


def test_lambda_transformation_ok_dropped_and_failed(aws, client, firehose, s3, to_s3, frozen, lambda_service):
    lam = client("lambda")
    arn = lam.create_function(FunctionName="transform", Runtime="python3.12", Role=ROLE,
                              Handler="lambda_function.handler", Code={"ZipFile": lambda_zip(TRANSFORM)})["FunctionArn"]
    to_s3("tx", Prefix="ok/", ErrorOutputPrefix="err/!{firehose:error-output-type}/!{timestamp:yyyy}/",
          ProcessingConfiguration={"Enabled": True, "Processors": [{"Type": "Lambda", "Parameters": [
              {"ParameterName": "LambdaArn", "ParameterValue": arn}]}]})
    firehose.put_record_batch(DeliveryStreamName="tx", Records=[{"Data": d} for d in (b"a", b"drop", b"fail", b"b")])
    aws.registry.get("firehose").flush()
    found = objects(s3)
    ok = [v for k, v in found.items() if k.startswith("ok/")]
    errors = [v for k, v in found.items() if k.startswith("err/processing-failed/2026/")]
    assert ok == [b"AB"]
    (line,) = [json.loads(x) for x in errors[0].decode().splitlines()]
    assert base64.b64decode(line["rawData"]) == b"fail" and line["lambdaArn"] == arn
    assert line["errorCode"].startswith("Lambda.")
    (invocation,) = lambda_service.invocations("transform")
    assert invocation.payload["deliveryStreamArn"].endswith(":deliverystream/tx")


def test_direct_put_is_refused_on_a_kinesis_sourced_stream(aws, client, firehose, s3, frozen):
    kinesis = client("kinesis")
    kinesis.create_stream(StreamName="src", ShardCount=2)
    stream_arn = kinesis.describe_stream_summary(StreamName="src")["StreamDescriptionSummary"]["StreamARN"]
    firehose.create_delivery_stream(
        DeliveryStreamName="fromk", DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": ROLE},
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::delivery",
                                            "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 60}})
    code, message = error_of(firehose.put_record, DeliveryStreamName="fromk", Record={"Data": b"x"})
    assert code == "InvalidArgumentException" and "KinesisStreamAsSource" in message
    kinesis.put_records(StreamName="src", Records=[{"Data": b"%d," % i, "PartitionKey": str(i)} for i in range(20)])
    frozen.advance(61)
    aws.settle()
    (body,) = objects(s3).values()
    assert sorted(body.decode().strip(",").split(",")) == sorted(str(i) for i in range(20))
    frozen.advance(61)
    aws.settle()
    assert len(objects(s3)) == 1  # nothing read twice
    source = firehose.describe_delivery_stream(DeliveryStreamName="fromk")["DeliveryStreamDescription"]["Source"]
    assert source["KinesisStreamSourceDescription"]["KinesisStreamARN"] == stream_arn


@pytest.mark.parametrize("key_state", ["Disabled"])
def test_put_record_batch_fails_per_record_when_the_key_is_unusable(client, firehose, to_s3, key_state):
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    to_s3("enc")
    firehose.start_delivery_stream_encryption(
        DeliveryStreamName="enc",
        DeliveryStreamEncryptionConfigurationInput={"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": key})
    assert firehose.put_record(DeliveryStreamName="enc", Record={"Data": b"x"})["Encrypted"] is True
    kms.disable_key(KeyId=key)
    out = firehose.put_record_batch(DeliveryStreamName="enc", Records=[{"Data": b"a"}, {"Data": b"b"}])
    assert out["FailedPutCount"] == 2
    assert {r["ErrorCode"] for r in out["RequestResponses"]} == {"InvalidKMSResourceException"}


def test_under_the_real_clock_a_timer_wakes_the_service_when_the_buffer_is_due(aws, firehose, s3, to_s3):
    service = aws.registry.get("firehose")
    to_s3("rt", BufferingHints={"SizeInMBs": 5, "IntervalInSeconds": 120})
    before = aws.clock.now()
    firehose.put_record(DeliveryStreamName="rt", Record={"Data": b"x"})
    assert before + 120 <= service._wake_at <= aws.clock.now() + 120
    service._woken(aws.registry)  # what the timer does when it fires: nothing is due yet
    aws.settle()
    assert objects(s3) == {} and service._wake_at is not None  # re-armed for the same buffer
    aws.reset()
    assert service._wake_at is None and service._timer is None  # a reset cancels the timer
