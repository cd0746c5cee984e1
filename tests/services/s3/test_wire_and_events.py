"""Notification destination checks, S3 -> EventBridge events, and listing wire details."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.api import Action, RequestContext

from .conftest import error_of


class FakeEvents:
    """An `events` service that records PutEvents (EventBridge is another engineer's)."""

    name = "events"

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def actions(self) -> list[Action]:
        return [Action("PutEvents")]

    def handle_request(self, ctx: RequestContext) -> dict[str, Any]:
        self.entries.extend(ctx.params["Entries"])
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "e"}]}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.entries.clear()


@pytest.fixture
def events(aws):
    fake = aws.registry.register(FakeEvents())
    yield fake
    aws.registry.unregister("events")


def test_malformed_destination_arns(s3_default, bucket):
    for config in (
        {"QueueConfigurations": [{"QueueArn": "not-an-arn", "Events": ["s3:ObjectCreated:*"]}]},
        {"TopicConfigurations": [{"TopicArn": "arn:aws:sqs:us-east-1:123456789012:q",
                                  "Events": ["s3:ObjectCreated:*"]}]},
    ):
        with pytest.raises(ClientError) as exc:
            s3_default.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
        assert error_of(exc) == ("InvalidArgument", 400)
        assert exc.value.response["Error"]["Message"] == "The ARN is not well formed"


def test_missing_destinations_are_refused_unless_validation_is_skipped(s3_default, bucket):
    config = {"TopicConfigurations": [{"TopicArn": "arn:aws:sns:us-east-1:123456789012:nope",
                                       "Events": ["s3:ObjectCreated:*"]}]}
    with pytest.raises(ClientError) as exc:
        s3_default.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
    assert error_of(exc) == ("InvalidArgument", 400)
    assert exc.value.response["Error"]["Message"] == "Unable to validate the following destination configurations"
    s3_default.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config,
                                                     SkipDestinationValidation=True)
    got = s3_default.get_bucket_notification_configuration(Bucket=bucket)
    assert got["TopicConfigurations"][0]["TopicArn"].endswith(":nope")


def test_eventbridge_gets_s3_events(s3_default, bucket, events):
    s3_default.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert s3_default.get_bucket_notification_configuration(Bucket=bucket)["EventBridgeConfiguration"] == {}
    s3_default.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")
    s3_default.delete_object(Bucket=bucket, Key="a.txt")
    created, deleted = events.entries
    assert (created["Source"], created["DetailType"]) == ("aws.s3", "Object Created")
    assert created["Resources"] == [f"arn:aws:s3:::{bucket}"]
    detail = json.loads(created["Detail"])
    assert detail["bucket"]["name"] == bucket and detail["object"]["key"] == "a.txt"
    assert detail["object"]["size"] == 5 and detail["reason"] == "PutObject"
    assert deleted["DetailType"] == "Object Deleted"
    assert json.loads(deleted["Detail"])["deletion-type"] == "Permanently Deleted"


def test_eventbridge_without_an_events_service_is_stored_only(s3_default, bucket):
    s3_default.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    s3_default.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")  # no error, nowhere to send


def test_listing_echoes_prefix_only_when_sent_and_owner_display_name(s3_default, bucket):
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x", ChecksumAlgorithm="SHA256")
    plain = s3_default.list_objects_v2(Bucket=bucket, FetchOwner=True)
    assert "Prefix" not in plain and "StartAfter" not in plain
    assert plain["Contents"][0]["ChecksumAlgorithm"] == ["SHA256"]
    assert plain["Contents"][0]["Owner"]["DisplayName"]
    assert s3_default.list_objects_v2(Bucket=bucket, Prefix="k")["Prefix"] == "k"
    assert "Prefix" not in s3_default.list_objects(Bucket=bucket)
    assert s3_default.list_objects(Bucket=bucket, Prefix="")["Prefix"] == ""


def test_delete_objects_with_an_empty_list_is_malformed(s3_default, bucket):
    with pytest.raises(ClientError) as exc:
        s3_default.delete_objects(Bucket=bucket, Delete={"Objects": []})
    assert error_of(exc) == ("MalformedXML", 400)


def test_grant_headers(s3_default, bucket):
    s3_default.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3_default.put_object_acl(
        Bucket=bucket, Key="k",
        GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers", id="abc123"',
        GrantWrite='emailAddress="user@example.com"')
    grants = s3_default.get_object_acl(Bucket=bucket, Key="k")["Grants"]
    grantees = sorted((g["Grantee"]["Type"], g["Permission"]) for g in grants)
    assert grantees == [("AmazonCustomerByEmail", "WRITE"), ("CanonicalUser", "READ"), ("Group", "READ")]


def test_copying_a_multipart_object_gives_a_plain_md5_etag(s3_default, bucket):
    """S3's CopyObject writes a fresh single-part object (reported from S3 in minio/minio#2934)."""
    import hashlib

    part = b"a" * (5 * 1024 * 1024)
    upload = s3_default.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etags = [s3_default.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=n, Body=part)["ETag"]
             for n in (1, 2)]
    done = s3_default.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": n, "ETag": e} for n, e in zip((1, 2), etags, strict=True)]})
    assert done["ETag"].endswith('-2"')
    copied = s3_default.copy_object(Bucket=bucket, Key="copy", CopySource=f"{bucket}/mp")
    assert copied["CopyObjectResult"]["ETag"] == f'"{hashlib.md5(part * 2).hexdigest()}"'
