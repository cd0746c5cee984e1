"""DynamoDB, Kinesis, Firehose, Logs, CloudWatch, SSM, Secrets Manager and KMS providers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.api import AWSError
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from ..aws_errors import error_of
from .test_provider_base import provider_context

KEYS = {"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]}


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Store", tags=[{"Key": "stack", "Value": "stk"}])


def test_table_with_indexes_stream_and_ttl(ctx: ProviderContext, client: Any) -> None:
    ddb = client("dynamodb")
    table = provider_for("AWS::DynamoDB::Table")
    old = {**KEYS, "BillingMode": "PAY_PER_REQUEST",
           "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                       "Projection": {"ProjectionType": "KEYS_ONLY"}}],
           "LocalSecondaryIndexes": [{"IndexName": "byPkG", "KeySchema": [
               {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}],
               "Projection": {"ProjectionType": "ALL"}}],
           "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
           "TimeToLiveSpecification": {"AttributeName": "expires", "Enabled": True},
           "Tags": [{"Key": "a", "Value": "1"}]}
    made = table.create(ctx, old)
    described = ddb.describe_table(TableName=made.physical_id)["Table"]
    assert made.physical_id.startswith("stk-Store-")
    assert made.attributes == {"Arn": described["TableArn"], "StreamArn": described["LatestStreamArn"]}
    assert [i["IndexName"] for i in described["GlobalSecondaryIndexes"]] == ["byG"]
    assert [i["IndexName"] for i in described["LocalSecondaryIndexes"]] == ["byPkG"]
    assert ddb.describe_time_to_live(TableName=made.physical_id)["TimeToLiveDescription"]["AttributeName"] == "expires"
    new = {**old, "GlobalSecondaryIndexes": [], "StreamSpecification": None,
           "Tags": [{"Key": "b", "Value": "2"}]}
    updated = table.update(ctx, made.physical_id, old, new)
    described = ddb.describe_table(TableName=made.physical_id)["Table"]
    assert not described.get("GlobalSecondaryIndexes") and "StreamArn" not in updated.attributes
    tags = ddb.list_tags_of_resource(ResourceArn=described["TableArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"stack": "stk", "b": "2"}
    assert {"TableName", "KeySchema", "LocalSecondaryIndexes"} <= table.replaces
    assert "GlobalSecondaryIndexes" not in table.replaces
    table.delete(ctx, made.physical_id, new)
    table.delete(ctx, made.physical_id, new)
    assert error_of(lambda: ddb.describe_table(TableName=made.physical_id))[0] == "ResourceNotFoundException"


def test_table_provisioned_throughput_changes_in_place(ctx: ProviderContext, client: Any) -> None:
    ddb = client("dynamodb")
    table = provider_for("AWS::DynamoDB::Table")
    old = {"AttributeDefinitions": KEYS["AttributeDefinitions"][:2], "KeySchema": KEYS["KeySchema"],
           "TableName": "metered", "ProvisionedThroughput": {"ReadCapacityUnits": "5", "WriteCapacityUnits": 5}}
    table.create(ctx, old)
    new = {**old, "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}}
    table.update(ctx, "metered", old, new)
    throughput = ddb.describe_table(TableName="metered")["Table"]["ProvisionedThroughput"]
    assert throughput["ReadCapacityUnits"] == 10


def test_stream_shards_retention_and_tags(ctx: ProviderContext, client: Any) -> None:
    kinesis = client("kinesis")
    stream = provider_for("AWS::Kinesis::Stream")
    old = {"Name": "clicks", "ShardCount": 2, "Tags": [{"Key": "a", "Value": "1"}]}
    made = stream.create(ctx, old)
    summary = kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert made.physical_id == "clicks" and made.attributes == {"Arn": summary["StreamARN"]}
    assert summary["OpenShardCount"] == 2
    new = {"Name": "clicks", "ShardCount": 2, "RetentionPeriodHours": 48, "Tags": [{"Key": "b", "Value": "2"}]}
    stream.update(ctx, "clicks", old, new)
    summary = kinesis.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert summary["RetentionPeriodHours"] == 48
    assert {t["Key"] for t in kinesis.list_tags_for_stream(StreamName="clicks")["Tags"]} == {"stack", "b"}
    stream.delete(ctx, "clicks", new)
    assert error_of(lambda: kinesis.describe_stream_summary(StreamName="clicks"))[0] == "ResourceNotFoundException"


def test_delivery_stream_to_s3(ctx: ProviderContext, client: Any) -> None:
    firehose = client("firehose")
    provider_for("AWS::S3::Bucket").create(ctx, {"BucketName": "firehose-sink"})
    delivery = provider_for("AWS::KinesisFirehose::DeliveryStream")
    destination = {"BucketARN": "arn:aws:s3:::firehose-sink", "RoleARN": "arn:aws:iam::123456789012:role/fh"}
    old = {"DeliveryStreamName": "to-s3", "S3DestinationConfiguration": destination}
    made = delivery.create(ctx, old)
    described = firehose.describe_delivery_stream(DeliveryStreamName="to-s3")["DeliveryStreamDescription"]
    assert made.attributes == {"Arn": described["DeliveryStreamARN"]}
    new = {**old, "S3DestinationConfiguration": {**destination, "Prefix": "in/"}}
    delivery.update(ctx, "to-s3", old, new)
    described = firehose.describe_delivery_stream(DeliveryStreamName="to-s3")["DeliveryStreamDescription"]
    assert described["Destinations"][0]["S3DestinationDescription"]["Prefix"] == "in/"
    assert {"DeliveryStreamName", "DeliveryStreamType", "KinesisStreamSourceConfiguration"} <= delivery.replaces
    delivery.delete(ctx, "to-s3", new)
    assert error_of(lambda: firehose.describe_delivery_stream(DeliveryStreamName="to-s3"))[0] == \
        "ResourceNotFoundException"


def test_log_group_retention_and_arn(ctx: ProviderContext, client: Any) -> None:
    logs = client("logs")
    group = provider_for("AWS::Logs::LogGroup")
    old = {"LogGroupName": "/app/web", "RetentionInDays": 7}
    made = group.create(ctx, old)
    found = logs.describe_log_groups(logGroupNamePrefix="/app/web")["logGroups"][0]
    assert made.attributes == {"Arn": found["arn"]} and found["retentionInDays"] == 7
    group.update(ctx, "/app/web", old, {"LogGroupName": "/app/web", "Tags": [{"Key": "b", "Value": "2"}]})
    found = logs.describe_log_groups(logGroupNamePrefix="/app/web")["logGroups"][0]
    assert "retentionInDays" not in found
    assert logs.list_tags_for_resource(resourceArn=found["logGroupArn"])["tags"] == {"stack": "stk", "b": "2"}
    group.delete(ctx, "/app/web", {})
    assert logs.describe_log_groups(logGroupNamePrefix="/app/web")["logGroups"] == []


def test_alarm_created_updated_and_deleted(ctx: ProviderContext, client: Any) -> None:
    cloudwatch = client("cloudwatch")
    alarm = provider_for("AWS::CloudWatch::Alarm")
    old = {"MetricName": "Errors", "Namespace": "App", "Statistic": "Sum", "Period": "60", "EvaluationPeriods": 1,
           "Threshold": "5", "ComparisonOperator": "GreaterThanThreshold",
           "Dimensions": [{"Name": "Service", "Value": "web"}]}
    made = alarm.create(ctx, old)
    found = cloudwatch.describe_alarms(AlarmNames=[made.physical_id])["MetricAlarms"][0]
    assert made.attributes == {"Arn": found["AlarmArn"]} and found["Threshold"] == 5.0 and found["Period"] == 60
    alarm.update(ctx, made.physical_id, old, {**old, "Threshold": 9, "Tags": [{"Key": "b", "Value": "2"}]})
    found = cloudwatch.describe_alarms(AlarmNames=[made.physical_id])["MetricAlarms"][0]
    assert found["Threshold"] == 9.0
    tags = cloudwatch.list_tags_for_resource(ResourceARN=found["AlarmArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"stack": "stk", "b": "2"}
    alarm.delete(ctx, made.physical_id, old)
    assert cloudwatch.describe_alarms(AlarmNames=[made.physical_id])["MetricAlarms"] == []


def test_parameter_value_type_and_generated_name(ctx: ProviderContext, client: Any) -> None:
    ssm = client("ssm")
    parameter = provider_for("AWS::SSM::Parameter")
    old = {"Type": "StringList", "Value": ["a", "b"], "Tags": {"team": "x"}}
    made = parameter.create(ctx, old)
    assert made.physical_id.startswith("CFN-Store-")
    found = ssm.get_parameter(Name=made.physical_id)["Parameter"]
    assert made.attributes == {"Type": "StringList", "Value": "a,b"} == {"Type": found["Type"], "Value": found["Value"]}
    updated = parameter.update(ctx, made.physical_id, old, {"Type": "String", "Value": "c", "Tags": {"team": "y"}})
    assert updated.attributes == {"Type": "String", "Value": "c"}
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=made.physical_id)["TagList"]
    assert {t["Key"]: t["Value"] for t in tags}["team"] == "y"
    parameter.delete(ctx, made.physical_id, {})
    assert error_of(lambda: ssm.get_parameter(Name=made.physical_id))[0] == "ParameterNotFound"


def test_secure_string_parameters_are_refused(ctx: ProviderContext) -> None:
    with pytest.raises(AWSError) as refused:
        provider_for("AWS::SSM::Parameter").create(ctx, {"Type": "SecureString", "Value": "x"})
    assert refused.value.message.startswith("Properties validation failed for resource Store with message: #/Type")


def test_secret_generated_from_a_template(ctx: ProviderContext, client: Any) -> None:
    secrets = client("secretsmanager")
    secret = provider_for("AWS::SecretsManager::Secret")
    old = {"Name": "db/creds", "GenerateSecretString": {
        "SecretStringTemplate": json.dumps({"username": "admin"}), "GenerateStringKey": "password",
        "PasswordLength": 24, "ExcludeCharacters": "\"@/\\", "ExcludePunctuation": "true"}}
    made = secret.create(ctx, old)
    described = secrets.describe_secret(SecretId="db/creds")
    assert made.physical_id == described["ARN"] and made.attributes == {"Id": described["ARN"]}
    value = json.loads(secrets.get_secret_value(SecretId="db/creds")["SecretString"])
    assert value["username"] == "admin" and len(value["password"]) == 24 and value["password"].isalnum()
    secret.update(ctx, made.physical_id, old, {**old, "Description": "db", "Tags": [{"Key": "b", "Value": "2"}]})
    described = secrets.describe_secret(SecretId="db/creds")
    assert described["Description"] == "db"
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == {"stack": "stk", "b": "2"}
    assert json.loads(secrets.get_secret_value(SecretId="db/creds")["SecretString"]) == value
    secret.delete(ctx, made.physical_id, old)
    assert error_of(lambda: secrets.describe_secret(SecretId="db/creds"))[0] == "ResourceNotFoundException"


def test_key_rotation_state_and_alias(ctx: ProviderContext, client: Any) -> None:
    kms = client("kms")
    key = provider_for("AWS::KMS::Key")
    old = {"Description": "data key", "EnableKeyRotation": True, "Tags": [{"Key": "a", "Value": "1"}]}
    made = key.create(ctx, old)
    metadata = kms.describe_key(KeyId=made.physical_id)["KeyMetadata"]
    assert made.attributes == {"Arn": metadata["Arn"], "KeyId": metadata["KeyId"]}
    assert kms.get_key_rotation_status(KeyId=made.physical_id)["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=made.physical_id, PolicyName="default")["Policy"])
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    alias = provider_for("AWS::KMS::Alias")
    alias.create(ctx, {"AliasName": "alias/data", "TargetKeyId": made.physical_id})
    assert [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/data"][0]["TargetKeyId"] == \
        made.physical_id
    new = {"Description": "renamed", "Enabled": False}
    key.update(ctx, made.physical_id, old, new)
    metadata = kms.describe_key(KeyId=made.physical_id)["KeyMetadata"]
    assert metadata["Description"] == "renamed" and metadata["Enabled"] is False
    assert kms.get_key_rotation_status(KeyId=made.physical_id)["KeyRotationEnabled"] is False
    assert alias.replaces == frozenset({"AliasName"})
    alias.delete(ctx, "alias/data", {})
    key.delete(ctx, made.physical_id, {"PendingWindowInDays": 7})
    assert kms.describe_key(KeyId=made.physical_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_key_spec_changes_fail_the_update_instead_of_replacing_the_key(ctx: ProviderContext) -> None:
    key = provider_for("AWS::KMS::Key")
    made = key.create(ctx, {"KeySpec": "SYMMETRIC_DEFAULT"})
    with pytest.raises(AWSError) as failed:
        key.update(ctx, made.physical_id, {"KeySpec": "SYMMETRIC_DEFAULT"}, {"KeySpec": "RSA_2048"})
    assert "KeySpec" in failed.value.message and not key.replaces
