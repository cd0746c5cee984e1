"""Tables: create, describe, list, update, delete; indexes, tags, TTL settings, limits, endpoints."""

from __future__ import annotations

import pytest

from tests.services.aws_errors import error_of

KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "pk", "AttributeType": "S"}]


def test_create_answers_creating_then_the_table_is_active_and_the_waiter_returns(ddb, make_table):
    answer = ddb.create_table(TableName="www", KeySchema=KEYS, AttributeDefinitions=ATTRS,
                              ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    assert answer["TableDescription"]["TableStatus"] == "CREATING"
    ddb.get_waiter("table_exists").wait(TableName="www", WaiterConfig={"Delay": 0.01, "MaxAttempts": 2})
    table = ddb.describe_table(TableName="www")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert table["TableArn"] == "arn:aws:dynamodb:us-east-1:123456789012:table/www"
    ddb.delete_table(TableName="www")
    ddb.get_waiter("table_not_exists").wait(TableName="www", WaiterConfig={"Delay": 0.01, "MaxAttempts": 2})


def test_schema_errors_use_aws_messages(ddb, make_table):
    code, message = error_of(ddb.create_table, TableName="xxx", KeySchema=KEYS, BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[*ATTRS, {"AttributeName": "extra", "AttributeType": "S"}])
    assert (code, message) == ("ValidationException", "One or more parameter values were invalid: Number of "
                               "attributes in KeySchema does not exactly match number of attributes defined in "
                               "AttributeDefinitions")
    _, message = error_of(ddb.create_table, TableName="xxx", KeySchema=KEYS, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "other", "AttributeType": "S"}])
    assert message.startswith("One or more parameter values were invalid: Some index key attributes are not "
                              "defined in AttributeDefinitions. Keys: [pk]")
    _, message = error_of(ddb.create_table, TableName="xxx", KeySchema=KEYS, AttributeDefinitions=ATTRS)
    assert "ReadCapacityUnits and WriteCapacityUnits must both be specified" in message
    make_table("dupe")
    assert error_of(ddb.create_table, TableName="dupe", KeySchema=KEYS, AttributeDefinitions=ATTRS,
                    BillingMode="PAY_PER_REQUEST") == ("ResourceInUseException", "Table already exists: dupe")
    assert error_of(ddb.describe_table, TableName="nope") == (
        "ResourceNotFoundException", "Requested resource not found: Table: nope not found")


def test_list_tables_pages_by_name(ddb, make_table):
    for name in ("ccc", "aaa", "bbb"):
        make_table(name, range=None)
    first = ddb.list_tables(Limit=2)
    assert first["TableNames"] == ["aaa", "bbb"] and first["LastEvaluatedTableName"] == "bbb"
    assert ddb.list_tables(ExclusiveStartTableName="bbb")["TableNames"] == ["ccc"]
    pages = ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 1})
    assert [n for page in pages for n in page["TableNames"]] == ["aaa", "bbb", "ccc"]


def test_indexes_are_described_and_a_gsi_can_be_added_and_removed(ddb, make_table):
    make_table("ixx", attributes={"g": "S", "l": "N"},
               GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "KEYS_ONLY"}}],
               LocalSecondaryIndexes=[{"IndexName": "byL", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                         {"AttributeName": "l", "KeyType": "RANGE"}],
                                       "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}])
    ddb.put_item(TableName="ixx", Item={"pk": {"S": "1"}, "sk": {"S": "a"}, "g": {"S": "G"}, "n": {"S": "v"}})
    table = ddb.describe_table(TableName="ixx")["Table"]
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 1
    assert table["LocalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}
    answer = ddb.update_table(TableName="ixx", AttributeDefinitions=[{"AttributeName": "n", "AttributeType": "S"}],
                              GlobalSecondaryIndexUpdates=[{"Create": {
                                  "IndexName": "byN", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
                                  "Projection": {"ProjectionType": "ALL"}}}])
    created = {i["IndexName"]: i["IndexStatus"] for i in answer["TableDescription"]["GlobalSecondaryIndexes"]}
    assert created == {"byG": "ACTIVE", "byN": "CREATING"}
    found = ddb.query(TableName="ixx", IndexName="byN", KeyConditionExpression="n = :v",
                      ExpressionAttributeValues={":v": {"S": "v"}})
    assert found["Count"] == 1  # existing items are back-filled
    ddb.update_table(TableName="ixx", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byG"}}])
    names = [i["IndexName"] for i in ddb.describe_table(TableName="ixx")["Table"]["GlobalSecondaryIndexes"]]
    assert names == ["byN"]


def test_lsi_needs_a_range_key_on_the_table(ddb):
    _, message = error_of(ddb.create_table, TableName="xxx", KeySchema=KEYS, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[*ATTRS, {"AttributeName": "l", "AttributeType": "S"}],
                          LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": [
                              {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                              "Projection": {"ProjectionType": "ALL"}}])
    assert "Table KeySchema does not have a range key" in message


def test_billing_mode_switch_and_deletion_protection(ddb, make_table):
    make_table("bbb", range=None, DeletionProtectionEnabled=True)
    assert ddb.describe_table(TableName="bbb")["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    code, message = error_of(ddb.delete_table, TableName="bbb")
    assert code == "ValidationException" and "protected against deletion" in message
    ddb.update_table(TableName="bbb", DeletionProtectionEnabled=False, BillingMode="PROVISIONED",
                     ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    table = ddb.describe_table(TableName="bbb")["Table"]
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
    assert ddb.delete_table(TableName="bbb")["TableDescription"]["TableStatus"] == "DELETING"


def test_tags(ddb, make_table):
    make_table("tgx", range=None, Tags=[{"Key": "a", "Value": "1"}])
    arn = ddb.describe_table(TableName="tgx")["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}])
    ddb.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    code, _ = error_of(ddb.list_tags_of_resource, ResourceArn=arn + "x")
    assert code == "ResourceNotFoundException"


def test_ttl_settings(ddb, make_table):
    make_table("ttl", range=None)
    assert ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    assert ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
    assert error_of(ddb.update_time_to_live, TableName="ttl",
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}) == (
        "ValidationException", "TimeToLive is already enabled")


def test_limits_and_endpoints(ddb):
    assert ddb.describe_limits()["TableMaxReadCapacityUnits"] == 40000
    assert ddb.describe_endpoints()["Endpoints"] == [
        {"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}]


@pytest.mark.parametrize("view", ["KEYS_ONLY", "NEW_AND_OLD_IMAGES"])
def test_stream_specification_is_described(ddb, make_table, view):
    make_table("sss", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
    table = ddb.describe_table(TableName="sss")["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert table["LatestStreamArn"].startswith(table["TableArn"] + "/stream/")


def test_global_table_replicas_receive_writes(ddb, make_table, client):
    make_table("glob", range=None, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.put_item(TableName="glob", Item={"pk": {"S": "before"}})
    ddb.update_table(TableName="glob", ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1"}}])
    west = client("dynamodb", region_name="eu-west-1")
    assert west.get_item(TableName="glob", Key={"pk": {"S": "before"}})["Item"] == {"pk": {"S": "before"}}
    ddb.put_item(TableName="glob", Item={"pk": {"S": "after"}})
    west.put_item(TableName="glob", Item={"pk": {"S": "from-west"}})
    assert west.scan(TableName="glob")["Count"] == 3 and ddb.scan(TableName="glob")["Count"] == 3
    replicas = [r["RegionName"] for r in west.describe_table(TableName="glob")["Table"]["Replicas"]]
    assert replicas == ["eu-west-1", "us-east-1"]
    assert west.describe_table(TableName="glob")["Table"]["TableArn"].startswith("arn:aws:dynamodb:eu-west-1:")
    ddb.update_table(TableName="glob", ReplicaUpdates=[{"Delete": {"RegionName": "eu-west-1"}}])
    assert error_of(west.describe_table, TableName="glob")[0] == "ResourceNotFoundException"


def test_update_table_needs_a_change(ddb, make_table):
    make_table("nochange", range=None)
    assert error_of(ddb.update_table, TableName="nochange")[1].startswith(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled")


def test_store_snapshot_and_restore(ddb, make_table, service):
    make_table("snap", range=None, attributes={"g": "S"}, GlobalSecondaryIndexes=[{
        "IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}])
    ddb.put_item(TableName="snap", Item={"pk": {"S": "kept"}, "g": {"S": "x"}})
    snapshot = service.store.snapshot()
    ddb.put_item(TableName="snap", Item={"pk": {"S": "dropped"}, "g": {"S": "x"}})
    service.store.restore(snapshot)
    assert [i["pk"]["S"] for i in ddb.scan(TableName="snap")["Items"]] == ["kept"]
    found = ddb.query(TableName="snap", IndexName="byG", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "x"}})
    assert [i["pk"]["S"] for i in found["Items"]] == ["kept"]


def test_sse_keys_are_resolved_and_checked_by_kms(ddb, client):
    """A customer key's alias becomes its ARN; no key id means the AWS managed aws/dynamodb key;
    a missing or disabled key is refused."""
    kms = client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/tables", TargetKeyId=key["KeyId"])
    sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/tables"}
    table = ddb.create_table(TableName="sealed", KeySchema=KEYS, AttributeDefinitions=ATTRS,
                             BillingMode="PAY_PER_REQUEST", SSESpecification=sse)["TableDescription"]
    assert table["SSEDescription"] == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key["Arn"]}
    managed = ddb.create_table(TableName="managed", KeySchema=KEYS, AttributeDefinitions=ATTRS,
                               BillingMode="PAY_PER_REQUEST", SSESpecification={"Enabled": True})
    managed_arn = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"]
    assert managed["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"] == managed_arn
    missing = {"Enabled": True, "KMSMasterKeyId": "alias/nope"}
    assert error_of(ddb.create_table, TableName="lost", KeySchema=KEYS, AttributeDefinitions=ATTRS,
                    BillingMode="PAY_PER_REQUEST", SSESpecification=missing)[0] == "ValidationException"
    kms.disable_key(KeyId=key["KeyId"])
    assert error_of(ddb.update_table, TableName="managed", SSESpecification=sse)[0] == "ValidationException"
    ddb.update_table(TableName="sealed", SSESpecification={"Enabled": False})
    assert "SSEDescription" not in ddb.describe_table(TableName="sealed")["Table"]
