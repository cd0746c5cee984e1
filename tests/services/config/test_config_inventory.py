"""Discovery: resources made through their own services show up in AWS Config's shapes."""

from __future__ import annotations

import json
from datetime import timedelta

from ..aws_errors import error_of
from .conftest import ACCOUNT


def make_inventory(client):
    s3, iam = client("s3"), client("iam")
    s3.create_bucket(Bucket="tagged-bucket")
    s3.put_bucket_tagging(Bucket="tagged-bucket", Tagging={"TagSet": [{"Key": "team", "Value": "blue"}]})
    s3.create_bucket(Bucket="plain-bucket")
    user = iam.create_user(UserName="alice", Tags=[{"Key": "dept", "Value": "ops"}])["User"]
    role = iam.create_role(RoleName="runner", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))["Role"]
    topic = client("sns").create_topic(Name="alerts", Tags=[{"Key": "env", "Value": "test"}])["TopicArn"]
    queue = client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    return user, role, topic, queue


def test_list_discovered_resources_finds_each_type(config, client):
    user, role, topic, queue = make_inventory(client)
    buckets = config.list_discovered_resources(resourceType="AWS::S3::Bucket")["resourceIdentifiers"]
    assert buckets == [
        {"resourceType": "AWS::S3::Bucket", "resourceId": "plain-bucket", "resourceName": "plain-bucket"},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "tagged-bucket", "resourceName": "tagged-bucket"}]
    users = config.list_discovered_resources(resourceType="AWS::IAM::User")["resourceIdentifiers"]
    assert users == [{"resourceType": "AWS::IAM::User", "resourceId": user["UserId"], "resourceName": "alice"}]
    roles = config.list_discovered_resources(resourceType="AWS::IAM::Role")["resourceIdentifiers"]
    assert [(r["resourceId"], r["resourceName"]) for r in roles] == [(role["RoleId"], "runner")]
    topics = config.list_discovered_resources(resourceType="AWS::SNS::Topic")["resourceIdentifiers"]
    assert topics == [{"resourceType": "AWS::SNS::Topic", "resourceId": topic, "resourceName": "alerts"}]
    queues = config.list_discovered_resources(resourceType="AWS::SQS::Queue")["resourceIdentifiers"]
    assert [(q["resourceId"].rsplit("/", 1)[-1], q["resourceName"]) for q in queues] == [("jobs", "jobs")]
    assert config.list_discovered_resources(resourceType="AWS::EC2::Instance")["resourceIdentifiers"] == []


def test_filters_and_paging(config, client):
    s3 = client("s3")
    for n in range(5):
        s3.create_bucket(Bucket=f"page-bucket-{n}")
    first = config.list_discovered_resources(resourceType="AWS::S3::Bucket", limit=2)
    assert len(first["resourceIdentifiers"]) == 2 and first["nextToken"]
    seen = [r["resourceId"] for r in first["resourceIdentifiers"]]
    token = first["nextToken"]
    while token:
        page = config.list_discovered_resources(resourceType="AWS::S3::Bucket", limit=2, nextToken=token)
        seen += [r["resourceId"] for r in page["resourceIdentifiers"]]
        token = page.get("nextToken")
    assert seen == [f"page-bucket-{n}" for n in range(5)]
    by_id = config.list_discovered_resources(resourceType="AWS::S3::Bucket", resourceIds=["page-bucket-3"])
    assert [r["resourceId"] for r in by_id["resourceIdentifiers"]] == ["page-bucket-3"]
    by_name = config.list_discovered_resources(resourceType="AWS::S3::Bucket", resourceName="page-bucket-1")
    assert [r["resourceId"] for r in by_name["resourceIdentifiers"]] == ["page-bucket-1"]
    assert error_of(config.list_discovered_resources, resourceType="AWS::S3::Bucket",
                    nextToken="garbage")[0] == "InvalidNextTokenException"
    assert error_of(config.list_discovered_resources, resourceType="AWS::S3::Bucket", resourceIds=["a"],
                    resourceName="a")[0] == "ValidationException"


def test_batch_get_resource_config_shapes(config, client, frozen):
    user, role, topic, _ = make_inventory(client)
    got = config.batch_get_resource_config(resourceKeys=[
        {"resourceType": "AWS::S3::Bucket", "resourceId": "tagged-bucket"},
        {"resourceType": "AWS::IAM::User", "resourceId": user["UserId"]},
        {"resourceType": "AWS::SNS::Topic", "resourceId": topic},
        {"resourceType": "AWS::S3::Bucket", "resourceId": "no-such-bucket"}])
    assert got["unprocessedResourceKeys"] == []
    bucket, iam_user, sns_topic = got["baseConfigurationItems"]
    assert bucket["resourceType"] == "AWS::S3::Bucket" and bucket["arn"] == "arn:aws:s3:::tagged-bucket"
    assert bucket["awsRegion"] == "us-east-1" and bucket["accountId"] == ACCOUNT
    assert bucket["configurationItemStatus"] == "ResourceDiscovered"
    assert bucket["configurationItemCaptureTime"] == frozen.utcnow()
    configuration = json.loads(bucket["configuration"])
    assert configuration["name"] == "tagged-bucket"
    assert json.loads(bucket["supplementaryConfiguration"]["BucketTaggingConfiguration"]) == {
        "tagSets": [{"tags": {"team": "blue"}}]}
    assert json.loads(bucket["supplementaryConfiguration"]["BucketVersioningConfiguration"])["status"] == "Off"
    assert iam_user["awsRegion"] == "global" and iam_user["resourceName"] == "alice"
    assert json.loads(iam_user["configuration"])["userName"] == "alice"
    assert sns_topic["resourceId"] == topic and json.loads(sns_topic["configuration"])["TopicArn"] == topic


def test_history_keeps_changes_and_deletion(config, client, frozen):
    s3 = client("s3")
    s3.create_bucket(Bucket="changing")
    config.list_discovered_resources(resourceType="AWS::S3::Bucket")
    frozen.advance(60)
    config.list_discovered_resources(resourceType="AWS::S3::Bucket")  # nothing changed: no new item
    s3.put_bucket_tagging(Bucket="changing", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    frozen.advance(60)
    history = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="changing")
    items = history["configurationItems"]
    assert [i["configurationItemStatus"] for i in items] == ["OK", "ResourceDiscovered"]
    assert items[0]["tags"] == {"k": "v"} and items[1]["tags"] == {}
    assert items[0]["configurationItemCaptureTime"] - items[1]["configurationItemCaptureTime"] == timedelta(
        seconds=120)
    s3.delete_bucket_tagging(Bucket="changing")
    s3.delete_bucket(Bucket="changing")
    frozen.advance(5)
    assert config.list_discovered_resources(resourceType="AWS::S3::Bucket")["resourceIdentifiers"] == []
    deleted = config.list_discovered_resources(resourceType="AWS::S3::Bucket", includeDeletedResources=True)
    assert deleted["resourceIdentifiers"] == [{"resourceType": "AWS::S3::Bucket", "resourceId": "changing",
                                               "resourceName": "changing",
                                               "resourceDeletionTime": frozen.utcnow()}]
    newest = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="changing",
                                                limit=1)["configurationItems"][0]
    assert newest["configurationItemStatus"] == "ResourceDeleted" and "configuration" not in newest
    forward = config.get_resource_config_history(resourceType="AWS::S3::Bucket", resourceId="changing",
                                                 chronologicalOrder="Forward")["configurationItems"]
    assert [i["configurationItemStatus"] for i in forward] == ["ResourceDiscovered", "OK", "ResourceDeleted"]
    assert config.batch_get_resource_config(resourceKeys=[
        {"resourceType": "AWS::S3::Bucket", "resourceId": "changing"}])["baseConfigurationItems"] == []


def test_history_errors(config):
    code, message = error_of(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="nope")
    assert code == "ResourceNotDiscoveredException" and "nope" in message
    from datetime import datetime, timezone
    later = datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert error_of(config.get_resource_config_history, resourceType="AWS::S3::Bucket", resourceId="x",
                    laterTime=later, earlierTime=later + timedelta(days=1))[0] == "InvalidTimeRangeException"


def test_discovered_resource_counts(config, client):
    make_inventory(client)
    counts = config.get_discovered_resource_counts()
    by_type = {c["resourceType"]: c["count"] for c in counts["resourceCounts"]}
    assert by_type["AWS::S3::Bucket"] == 2 and by_type["AWS::IAM::User"] == 1 and by_type["AWS::SQS::Queue"] == 1
    assert counts["totalDiscoveredResources"] == sum(by_type.values())
    only = config.get_discovered_resource_counts(resourceTypes=["AWS::S3::Bucket"])
    assert only["totalDiscoveredResources"] == 2


def test_other_types_dynamodb_kms(config, client):
    client("dynamodb").create_table(
        TableName="orders", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    key_id = client("kms").create_key()["KeyMetadata"]["KeyId"]
    items = config.batch_get_resource_config(resourceKeys=[
        {"resourceType": "AWS::DynamoDB::Table", "resourceId": "orders"},
        {"resourceType": "AWS::KMS::Key", "resourceId": key_id}])["baseConfigurationItems"]
    table, key = items
    assert json.loads(table["configuration"])["tableName"] == "orders"
    assert json.loads(key["configuration"])["keyId"] == key_id


def test_third_party_resources_need_a_running_recorder(config, recording):
    recording.stop_configuration_recorder(ConfigurationRecorderName="default")
    code, _ = error_of(config.put_resource_config, ResourceType="MyCorp::App::Widget", SchemaVersionId="1",
                       ResourceId="w1", Configuration="{}")
    assert code == "NoRunningConfigurationRecorderException"
    recording.start_configuration_recorder(ConfigurationRecorderName="default")
    assert error_of(config.put_resource_config, ResourceType="AWS::S3::Bucket", SchemaVersionId="1",
                    ResourceId="w1", Configuration="{}")[0] == "ValidationException"
    config.put_resource_config(ResourceType="MyCorp::App::Widget", SchemaVersionId="1", ResourceId="w1",
                               ResourceName="widget", Configuration='{"size": 3}')
    # (ListDiscoveredResources' resourceType is an enum of AWS types: counts and queries see third-party ones)
    counts = config.get_discovered_resource_counts(resourceTypes=["MyCorp::App::Widget"])
    assert counts["resourceCounts"] == [{"resourceType": "MyCorp::App::Widget", "count": 1}]
    rows = config.select_resource_config(
        Expression="SELECT resourceId, configuration.size WHERE resourceType = 'MyCorp::App::Widget'")["Results"]
    assert [json.loads(r) for r in rows] == [{"resourceId": "w1", "configuration": {"size": 3}}]
    config.delete_resource_config(ResourceType="MyCorp::App::Widget", ResourceId="w1")
    assert config.get_discovered_resource_counts(resourceTypes=["MyCorp::App::Widget"])["resourceCounts"] == []
