"""Directory buckets and sessions, S3 Metadata, ABAC, deprecated lifecycle/notification forms,
torrents, UpdateObjectEncryption and WriteGetObjectResponse."""

from __future__ import annotations

import uuid

import pytest
from botocore.exceptions import ClientError

from .conftest import error_of, s3_config

ZONE = "use1-az4"
DIRECTORY = {"Location": {"Type": "AvailabilityZone", "Name": ZONE},
             "Bucket": {"Type": "Directory", "DataRedundancy": "SingleAvailabilityZone"}}


def directory_bucket(s3):
    name = f"d{uuid.uuid4().hex[:8]}--{ZONE}--x-s3"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration=DIRECTORY)
    return name


def test_directory_bucket_session_listing_and_rename(s3_default, bucket):
    name = directory_bucket(s3_default)
    session = s3_default.create_session(Bucket=name)
    assert session["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert session["ServerSideEncryption"] == "AES256"
    listed = s3_default.list_directory_buckets()["Buckets"]
    assert [b["Name"] for b in listed] == [name]
    assert listed[0]["BucketArn"].startswith("arn:aws:s3express:")
    assert name not in [b["Name"] for b in s3_default.list_buckets()["Buckets"]]
    head = s3_default.head_bucket(Bucket=name)
    assert (head["BucketLocationType"], head["BucketLocationName"]) == ("AvailabilityZone", ZONE)
    s3_default.put_object(Bucket=name, Key="old", Body=b"data")
    s3_default.rename_object(Bucket=name, Key="new", RenameSource=f"{name}/old")
    assert s3_default.get_object(Bucket=name, Key="new")["Body"].read() == b"data"
    with pytest.raises(ClientError) as exc:
        s3_default.head_object(Bucket=name, Key="old")
    assert error_of(exc)[1] == 404
    s3_default.put_object(Bucket=name, Key="taken", Body=b"x")
    with pytest.raises(ClientError) as exc:  # the destination must not exist with If-None-Match: *
        s3_default.rename_object(Bucket=name, Key="taken", RenameSource=f"{name}/new", DestinationIfNoneMatch="*")
    assert error_of(exc) == ("PreconditionFailed", 412)
    with pytest.raises(ClientError) as exc:  # general purpose buckets cannot rename
        s3_default.rename_object(Bucket=bucket, Key="b", RenameSource=f"{bucket}/a")
    assert error_of(exc) == ("InvalidRequest", 400)


def test_directory_bucket_name_must_match_its_zone(s3_default):
    with pytest.raises(ClientError) as exc:
        s3_default.create_bucket(Bucket="abc--usw2-az1--x-s3", CreateBucketConfiguration=DIRECTORY)
    assert error_of(exc) == ("InvalidBucketName", 400)


def test_metadata_configuration_lifecycle(s3_default, bucket):
    with pytest.raises(ClientError) as exc:
        s3_default.get_bucket_metadata_configuration(Bucket=bucket)
    assert error_of(exc)[1] == 404
    s3_default.create_bucket_metadata_configuration(Bucket=bucket, MetadataConfiguration={
        "JournalTableConfiguration": {"RecordExpiration": {"Expiration": "ENABLED", "Days": 10}},
        "InventoryTableConfiguration": {"ConfigurationState": "DISABLED"}})
    result = s3_default.get_bucket_metadata_configuration(Bucket=bucket)[
        "GetBucketMetadataConfigurationResult"]["MetadataConfigurationResult"]
    assert result["JournalTableConfigurationResult"]["RecordExpiration"]["Days"] == 10
    assert result["InventoryTableConfigurationResult"]["ConfigurationState"] == "DISABLED"
    s3_default.update_bucket_metadata_inventory_table_configuration(
        Bucket=bucket, InventoryTableConfiguration={"ConfigurationState": "ENABLED"})
    s3_default.update_bucket_metadata_journal_table_configuration(
        Bucket=bucket, JournalTableConfiguration={"RecordExpiration": {"Expiration": "DISABLED"}})
    result = s3_default.get_bucket_metadata_configuration(Bucket=bucket)[
        "GetBucketMetadataConfigurationResult"]["MetadataConfigurationResult"]
    assert result["InventoryTableConfigurationResult"]["TableStatus"] == "ACTIVE"
    assert result["JournalTableConfigurationResult"]["RecordExpiration"] == {"Expiration": "DISABLED"}
    with pytest.raises(ClientError) as exc:
        s3_default.update_bucket_metadata_journal_table_configuration(
            Bucket=bucket, JournalTableConfiguration={"RecordExpiration": {"Expiration": "ENABLED", "Days": 1}})
    assert error_of(exc) == ("InvalidArgument", 400)
    s3_default.delete_bucket_metadata_configuration(Bucket=bucket)
    table = {"S3TablesDestination": {"TableBucketArn": "arn:aws:s3tables:us-east-1:123456789012:bucket/t",
                                     "TableName": "meta"}}
    s3_default.create_bucket_metadata_table_configuration(Bucket=bucket, MetadataTableConfiguration=table)
    got = s3_default.get_bucket_metadata_table_configuration(Bucket=bucket)["GetBucketMetadataTableConfigurationResult"]
    assert got["Status"] == "ACTIVE"
    assert got["MetadataTableConfigurationResult"]["S3TablesDestinationResult"]["TableName"] == "meta"
    s3_default.delete_bucket_metadata_table_configuration(Bucket=bucket)


def test_abac_status(s3_default, bucket):
    assert s3_default.get_bucket_abac(Bucket=bucket)["AbacStatus"] == {"Status": "Disabled"}
    s3_default.put_bucket_abac(Bucket=bucket, AbacStatus={"Status": "Enabled"})
    assert s3_default.get_bucket_abac(Bucket=bucket)["AbacStatus"] == {"Status": "Enabled"}


def test_deprecated_lifecycle_and_notification_share_the_configuration(s3_default, bucket):
    s3_default.put_bucket_lifecycle(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "old", "Prefix": "tmp/", "Status": "Enabled", "Expiration": {"Days": 1}}]})
    assert s3_default.get_bucket_lifecycle(Bucket=bucket)["Rules"][0]["Prefix"] == "tmp/"
    assert s3_default.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]["ID"] == "old"
    s3_default.put_bucket_notification(Bucket=bucket, NotificationConfiguration={})
    assert s3_default.get_bucket_notification(Bucket=bucket).get("TopicConfiguration") is None


def test_torrent_and_object_encryption(s3_default, bucket, client):
    s3_default.put_object(Bucket=bucket, Key="f.bin", Body=b"hello")
    body = s3_default.get_object_torrent(Bucket=bucket, Key="f.bin")["Body"].read()
    assert body.startswith(b"d8:announce") and b"6:lengthi5e" in body
    key_arn = client("kms").create_key()["KeyMetadata"]["Arn"]
    s3_default.update_object_encryption(Bucket=bucket, Key="f.bin",
                                        ObjectEncryption={"SSEKMS": {"KMSKeyArn": key_arn}})
    head = s3_default.head_object(Bucket=bucket, Key="f.bin")
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_arn)
    with pytest.raises(ClientError) as exc:
        s3_default.get_object_torrent(Bucket=bucket, Key="f.bin")
    assert error_of(exc) == ("InvalidRequest", 400)


def test_write_get_object_response_is_recorded(aws, boto_session):
    client = boto_session.client("s3", endpoint_url=aws.endpoint, config=s3_config(inject_host_prefix=False))
    client.write_get_object_response(RequestRoute="io-1", RequestToken="tok-1", Body=b"transformed",
                                     StatusCode=200, ContentType="text/plain")
    recorded = aws.registry.get("s3").store.get("123456789012").object_lambda_responses["tok-1"]
    assert recorded["Body"] == b"transformed" and recorded["ContentType"] == "text/plain"
    with pytest.raises(ClientError) as exc:
        client.write_get_object_response(RequestRoute="io-1", RequestToken="tok-2", StatusCode=200,
                                         ErrorCode="NoSuchKey")
    assert error_of(exc) == ("InvalidRequest", 400)
