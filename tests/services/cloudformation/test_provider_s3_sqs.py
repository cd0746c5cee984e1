"""S3 and SQS providers: real buckets and queues, updated in place, replacement-signalled, deleted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from ..aws_errors import error_of
from .test_provider_base import provider_context


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Data", tags=[{"Key": "stack", "Value": "stk"}])


def test_bucket_created_with_every_configuration(ctx: ProviderContext, client: Any) -> None:
    s3 = client("s3")
    bucket = provider_for("AWS::S3::Bucket")
    made = bucket.create(ctx, {
        "VersioningConfiguration": {"Status": "Enabled"},
        "LifecycleConfiguration": {"Rules": [{"Id": "old", "Status": "Enabled", "Prefix": "logs/",
                                              "ExpirationInDays": "30"}]},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"}}]},
        "CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAge": 60}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": "true"},
        "Tags": [{"Key": "team", "Value": "data"}],
    })
    name = made.physical_id
    assert name.startswith("stk-data-") and name == name.lower()
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    rule = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"][0]
    assert rule["ID"] == "old" and rule["Expiration"] == {"Days": 30} and rule["Filter"] == {"Prefix": "logs/"}
    sse = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert sse["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == "alias/k"
    assert s3.get_bucket_cors(Bucket=name)["CORSRules"][0]["MaxAgeSeconds"] == 60
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=name)["TagSet"]} == {
        "stack": "stk", "team": "data"}
    assert made.attributes["Arn"] == f"arn:aws:s3:::{name}"
    assert made.attributes["RegionalDomainName"] == f"{name}.s3.us-east-1.amazonaws.com"
    assert made.attributes["DomainName"] == f"{name}.s3.amazonaws.com"
    assert made.attributes["WebsiteURL"] == f"http://{name}.s3-website-us-east-1.amazonaws.com"


def test_bucket_update_in_place_puts_changes_and_removes_dropped_settings(ctx: ProviderContext, client: Any) -> None:
    s3 = client("s3")
    bucket = provider_for("AWS::S3::Bucket")
    old = {"BucketName": "keep-me-bucket", "VersioningConfiguration": {"Status": "Enabled"},
           "CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]},
           "Tags": [{"Key": "a", "Value": "1"}]}
    bucket.create(ctx, old)
    new = {"BucketName": "keep-me-bucket", "Tags": [{"Key": "b", "Value": "2"}]}
    assert not ({"BucketName"} & {k for k in old if old.get(k) != new.get(k)} - {"BucketName"})
    assert bucket.update(ctx, "keep-me-bucket", old, new).physical_id == "keep-me-bucket"
    assert s3.get_bucket_versioning(Bucket="keep-me-bucket")["Status"] == "Suspended"
    assert error_of(lambda: s3.get_bucket_cors(Bucket="keep-me-bucket"))[0] == "NoSuchCORSConfiguration"
    assert {t["Key"] for t in s3.get_bucket_tagging(Bucket="keep-me-bucket")["TagSet"]} == {"stack", "b"}


def test_bucket_name_change_is_a_replacement_and_delete_removes_it(ctx: ProviderContext, client: Any) -> None:
    s3 = client("s3")
    bucket = provider_for("AWS::S3::Bucket")
    assert "BucketName" in bucket.replaces and "VersioningConfiguration" not in bucket.replaces
    bucket.create(ctx, {"BucketName": "going-away"})
    bucket.delete(ctx, "going-away", {"BucketName": "going-away"})
    bucket.delete(ctx, "going-away", {"BucketName": "going-away"})  # already gone: no error
    assert error_of(lambda: s3.head_bucket(Bucket="going-away"))[0] == "404"


def test_bucket_notifications_reach_a_queue(ctx: ProviderContext, client: Any, aws: Gateway) -> None:
    sqs, s3 = client("sqs"), client("s3")
    queue = provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": "events"})
    bucket = provider_for("AWS::S3::Bucket").create(ctx, {"BucketName": "noisy-bucket", "NotificationConfiguration": {
        "QueueConfigurations": [{"Event": "s3:ObjectCreated:*", "Queue": queue.attributes["Arn"],
                                 "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}]}}}]}})
    config = s3.get_bucket_notification_configuration(Bucket=bucket.physical_id)["QueueConfigurations"][0]
    assert config["QueueArn"] == queue.attributes["Arn"]
    assert config["Filter"]["Key"]["FilterRules"][0]["Value"] == "in/"
    s3.put_object(Bucket="noisy-bucket", Key="in/x", Body=b"1")
    aws.settle()
    messages = sqs.receive_message(QueueUrl=queue.physical_id, MaxNumberOfMessages=10).get("Messages", [])
    assert any("ObjectCreated" in m["Body"] for m in messages), [m["Body"] for m in messages]


def test_bucket_policy_put_replaced_and_removed(ctx: ProviderContext, client: Any) -> None:
    s3 = client("s3")
    provider_for("AWS::S3::Bucket").create(ctx, {"BucketName": "guarded-bucket"})
    policy = provider_for("AWS::S3::BucketPolicy")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
                                                        "Resource": "arn:aws:s3:::guarded-bucket/*"}]}
    made = policy.create(ctx, {"Bucket": "guarded-bucket", "PolicyDocument": document})
    assert made.physical_id == "guarded-bucket"
    assert json.loads(s3.get_bucket_policy(Bucket="guarded-bucket")["Policy"])["Statement"][0]["Effect"] == "Deny"
    assert policy.replaces == frozenset({"Bucket"})
    policy.delete(ctx, made.physical_id, {"Bucket": "guarded-bucket", "PolicyDocument": document})
    assert error_of(lambda: s3.get_bucket_policy(Bucket="guarded-bucket"))[0] == "NoSuchBucketPolicy"


def test_queue_attributes_tags_and_getatt_match_sqs(ctx: ProviderContext, client: Any) -> None:
    sqs = client("sqs")
    queue = provider_for("AWS::SQS::Queue")
    dlq = queue.create(ctx, {"QueueName": "dlq"})
    made = queue.create(ctx, {"VisibilityTimeout": 45, "DelaySeconds": "5",
                              "RedrivePolicy": {"deadLetterTargetArn": dlq.attributes["Arn"], "maxReceiveCount": 3},
                              "Tags": [{"Key": "team", "Value": "q"}]})
    attributes = sqs.get_queue_attributes(QueueUrl=made.physical_id, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "45" and attributes["DelaySeconds"] == "5"
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 3
    assert made.attributes == {"Arn": attributes["QueueArn"], "QueueUrl": made.physical_id,
                               "QueueName": made.physical_id.rsplit("/", 1)[1]}
    assert sqs.get_queue_url(QueueName=made.attributes["QueueName"])["QueueUrl"].endswith(made.attributes["QueueName"])
    assert sqs.list_queue_tags(QueueUrl=made.physical_id)["Tags"] == {"stack": "stk", "team": "q"}


def test_queue_update_in_place_and_dropped_attributes_go_back_to_defaults(ctx: ProviderContext, client: Any) -> None:
    sqs = client("sqs")
    queue = provider_for("AWS::SQS::Queue")
    old = {"QueueName": "steady", "VisibilityTimeout": 45, "DelaySeconds": 5, "Tags": [{"Key": "a", "Value": "1"}]}
    url = queue.create(ctx, old).physical_id
    new = {"QueueName": "steady", "VisibilityTimeout": 90, "Tags": [{"Key": "b", "Value": "2"}]}
    assert queue.update(ctx, url, old, new).physical_id == url
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "90" and attributes["DelaySeconds"] == "0"
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"stack": "stk", "b": "2"}
    assert {"QueueName", "FifoQueue"} <= queue.replaces and "VisibilityTimeout" not in queue.replaces


def test_fifo_queue_name_is_generated_with_the_suffix_and_delete_is_idempotent(ctx: ProviderContext,
                                                                               client: Any) -> None:
    sqs = client("sqs")
    queue = provider_for("AWS::SQS::Queue")
    made = queue.create(ctx, {"FifoQueue": "true", "ContentBasedDeduplication": True})
    assert made.attributes["QueueName"].endswith(".fifo") and made.attributes["QueueName"].startswith("stk-Data-")
    assert sqs.get_queue_attributes(QueueUrl=made.physical_id, AttributeNames=["FifoQueue"])["Attributes"] == {
        "FifoQueue": "true"}
    queue.delete(ctx, made.physical_id, {})
    queue.delete(ctx, made.physical_id, {})
    assert error_of(lambda: sqs.get_queue_url(QueueName=made.attributes["QueueName"]))[0] in (
        "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")


def test_queue_policy_sets_and_clears_each_queue_policy(ctx: ProviderContext, client: Any) -> None:
    sqs = client("sqs")
    urls = [provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": n}).physical_id for n in ("p1", "p2")]
    policy = provider_for("AWS::SQS::QueuePolicy")
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                        "Action": "sqs:SendMessage", "Resource": "*"}]}
    made = policy.create(ctx, {"Queues": urls, "PolicyDocument": document})
    assert all(json.loads(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["Policy"])["Attributes"]["Policy"])
               == document for u in urls)
    policy.update(ctx, made.physical_id, {"Queues": urls, "PolicyDocument": document},
                  {"Queues": urls[:1], "PolicyDocument": document})
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=urls[1], AttributeNames=["Policy"]).get("Attributes", {})
    policy.delete(ctx, made.physical_id, {"Queues": urls[:1], "PolicyDocument": document})
    assert "Policy" not in sqs.get_queue_attributes(QueueUrl=urls[0], AttributeNames=["Policy"]).get("Attributes", {})


def test_bucket_logging_and_replication(ctx: ProviderContext, client: Any) -> None:
    s3 = client("s3")
    bucket = provider_for("AWS::S3::Bucket")
    bucket.create(ctx, {"BucketName": "log-sink"})
    bucket.create(ctx, {"BucketName": "replica-bucket", "VersioningConfiguration": {"Status": "Enabled"}})
    old = {"BucketName": "logged-bucket", "VersioningConfiguration": {"Status": "Enabled"},
           "LoggingConfiguration": {"DestinationBucketName": "log-sink", "LogFilePrefix": "logs/"},
           "ReplicationConfiguration": {"Role": "arn:aws:iam::123456789012:role/rep", "Rules": [
               {"Id": "all", "Status": "Enabled", "Prefix": "",
                "Destination": {"Bucket": "arn:aws:s3:::replica-bucket"}}]}}
    bucket.create(ctx, old)
    assert s3.get_bucket_logging(Bucket="logged-bucket")["LoggingEnabled"] == {
        "TargetBucket": "log-sink", "TargetPrefix": "logs/"}
    assert s3.get_bucket_replication(Bucket="logged-bucket")["ReplicationConfiguration"]["Rules"][0]["ID"] == "all"
    new = {"BucketName": "logged-bucket", "VersioningConfiguration": {"Status": "Enabled"}}
    bucket.update(ctx, "logged-bucket", old, new)
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket="logged-bucket")
    assert error_of(lambda: s3.get_bucket_replication(Bucket="logged-bucket"))[0] == \
        "ReplicationConfigurationNotFoundError"
