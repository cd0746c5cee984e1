"""Delivery stream lifecycle, versions, tags, HTTP endpoints, every operation."""

from __future__ import annotations

import base64

from pytest_cloudmock.services.firehose import FirehoseService

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from ..service_fuzz import fuzz
from ..sns_endpoint import Endpoint
from .conftest import ROLE, objects


def test_create_describe_list_delete(firehose, to_s3):
    arn = to_s3("one")
    assert arn == "arn:aws:firehose:us-east-1:123456789012:deliverystream/one"
    description = firehose.describe_delivery_stream(DeliveryStreamName="one")["DeliveryStreamDescription"]
    assert description["DeliveryStreamStatus"] == "ACTIVE" and description["VersionId"] == "1"
    (destination,) = description["Destinations"]
    extended = destination["ExtendedS3DestinationDescription"]
    assert extended["BufferingHints"] == {"SizeInMBs": 5, "IntervalInSeconds": 300}
    assert extended["CompressionFormat"] == "UNCOMPRESSED"
    assert destination["S3DestinationDescription"]["BucketARN"] == "arn:aws:s3:::delivery"
    to_s3("two")
    listed = firehose.list_delivery_streams(Limit=1)
    assert listed == {"DeliveryStreamNames": ["one"], "HasMoreDeliveryStreams": True,
                      "ResponseMetadata": listed["ResponseMetadata"]}
    code, _ = error_of(firehose.create_delivery_stream, DeliveryStreamName="one",
                       ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::delivery"})
    assert code == "ResourceInUseException"
    firehose.delete_delivery_stream(DeliveryStreamName="one")
    assert error_of(firehose.describe_delivery_stream, DeliveryStreamName="one")[0] == "ResourceNotFoundException"


def test_update_destination_checks_the_version(firehose, to_s3):
    to_s3("upd")
    firehose.update_destination(DeliveryStreamName="upd", CurrentDeliveryStreamVersionId="1",
                                DestinationId="destinationId-000000000001",
                                ExtendedS3DestinationUpdate={"CompressionFormat": "GZIP"})
    description = firehose.describe_delivery_stream(DeliveryStreamName="upd")["DeliveryStreamDescription"]
    assert description["VersionId"] == "2"
    assert description["Destinations"][0]["ExtendedS3DestinationDescription"]["CompressionFormat"] == "GZIP"
    code, _ = error_of(firehose.update_destination, DeliveryStreamName="upd", CurrentDeliveryStreamVersionId="1",
                       DestinationId="destinationId-000000000001", ExtendedS3DestinationUpdate={})
    assert code == "ConcurrentModificationException"


def test_tags(firehose, to_s3):
    to_s3("tagged")
    firehose.tag_delivery_stream(DeliveryStreamName="tagged", Tags=[{"Key": "b", "Value": "2"},
                                                                   {"Key": "a", "Value": "1"}])
    firehose.untag_delivery_stream(DeliveryStreamName="tagged", TagKeys=["b"])
    out = firehose.list_tags_for_delivery_stream(DeliveryStreamName="tagged")
    assert out["Tags"] == [{"Key": "a", "Value": "1"}] and out["HasMoreTags"] is False


def test_http_endpoint_gets_firehoses_request_shape(aws, firehose, s3):
    endpoint = Endpoint(tls=True)
    try:
        firehose.create_delivery_stream(DeliveryStreamName="web", HttpEndpointDestinationConfiguration={
            "EndpointConfiguration": {"Url": endpoint.url, "AccessKey": "secret"},
            "RequestConfiguration": {"CommonAttributes": [{"AttributeName": "env", "AttributeValue": "test"}]},
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
            "S3Configuration": {"RoleARN": ROLE, "BucketARN": "arn:aws:s3:::delivery"}})
        firehose.put_record_batch(DeliveryStreamName="web", Records=[{"Data": b"a"}, {"Data": b"b"}])
        aws.registry.get("firehose").flush()
        (got,) = endpoint.received
        assert got.headers["x-amz-firehose-access-key"] == "secret"
        assert got.headers["x-amz-firehose-request-id"] == got.json["requestId"]
        assert '"env": "test"' in got.headers["x-amz-firehose-common-attributes"]
        assert [base64.b64decode(r["data"]) for r in got.json["records"]] == [b"a", b"b"]
        endpoint.status = 500
        firehose.put_record(DeliveryStreamName="web", Record={"Data": b"c"})
        aws.registry.get("firehose").flush()
        (key,) = objects(s3)
        assert key.startswith("http-endpoint-failed/")
    finally:
        endpoint.stop()


def test_every_firehose_operation_is_answered(firehose, to_s3):
    to_s3("everyop")
    assert call_every_operation(firehose, seed=19, rounds=2) == []


def test_the_service_implements_its_whole_model():
    service = FirehoseService()
    assert sorted(service.implemented()) == sorted(service.model.operation_names)


def test_random_calls_never_crash():
    assert fuzz(FirehoseService(), rounds=15, seed=19) == []
