"""Notification destination checks, S3 -> EventBridge events, and listing wire details."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of


@pytest.fixture
def events_to_queue(aws, client):
    """An EventBridge rule on the default bus for `aws.s3` events, delivering to an SQS queue."""
    sqs, events = client("sqs"), client("events")
    url = sqs.create_queue(QueueName="s3-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="s3", EventPattern=json.dumps({"source": ["aws.s3"]}))
    events.put_targets(Rule="s3", Targets=[{"Id": "q", "Arn": arn}])

    def received() -> list[dict[str, Any]]:
        aws.settle()
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return received


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


def test_eventbridge_gets_s3_events(s3_default, bucket, events_to_queue):
    """S3 -> EventBridge (the bus's rules) -> SQS, in the event shape S3 sends."""
    s3_default.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert s3_default.get_bucket_notification_configuration(Bucket=bucket)["EventBridgeConfiguration"] == {}
    s3_default.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")
    s3_default.delete_object(Bucket=bucket, Key="a.txt")
    created, deleted = sorted(events_to_queue(), key=lambda e: e["detail-type"])
    assert (created["source"], created["detail-type"]) == ("aws.s3", "Object Created")
    assert created["resources"] == [f"arn:aws:s3:::{bucket}"]
    detail = created["detail"]
    assert detail["bucket"]["name"] == bucket and detail["object"]["key"] == "a.txt"
    assert detail["object"]["size"] == 5 and detail["reason"] == "PutObject"
    assert deleted["detail-type"] == "Object Deleted"
    assert deleted["detail"]["deletion-type"] == "Permanently Deleted"


def test_without_eventbridge_configuration_no_event_is_sent(s3_default, bucket, events_to_queue):
    s3_default.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")
    assert events_to_queue() == []


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
