"""Backups and restores, point-in-time recovery from the item history, exports and imports through S3."""

from __future__ import annotations

import gzip
import json

from tests.services.aws_errors import error_of


def keys(ddb, table):
    return sorted(i["pk"]["S"] for i in ddb.scan(TableName=table)["Items"])


def test_backup_and_restore(ddb, make_table):
    make_table("bak", range=None)
    ddb.put_item(TableName="bak", Item={"pk": {"S": "kept"}})
    arn = ddb.create_backup(TableName="bak", BackupName="bk1")["BackupDetails"]["BackupArn"]
    ddb.put_item(TableName="bak", Item={"pk": {"S": "after"}})
    assert [b["BackupName"] for b in ddb.list_backups(TableName="bak")["BackupSummaries"]] == ["bk1"]
    assert ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableDetails"]["ItemCount"] == 1
    ddb.restore_table_from_backup(TargetTableName="bak-restored", BackupArn=arn)
    assert keys(ddb, "bak-restored") == ["kept"]
    assert error_of(ddb.restore_table_from_backup, TargetTableName="bak-restored", BackupArn=arn)[0] == (
        "TableAlreadyExistsException")
    ddb.delete_backup(BackupArn=arn)
    assert error_of(ddb.describe_backup, BackupArn=arn)[0] == "BackupNotFoundException"


def test_point_in_time_restore_replays_history(ddb, make_table, aws):
    make_table("pitr", range=None)
    ddb.put_item(TableName="pitr", Item={"pk": {"S": "before"}})
    assert error_of(ddb.restore_table_to_point_in_time, SourceTableName="pitr", TargetTableName="pitr-x",
                    UseLatestRestorableTime=True)[0] == "PointInTimeRecoveryUnavailableException"
    aws.clock.freeze(float(int(aws.clock.now())))  # botocore sends RestoreDateTime in whole seconds
    try:
        ddb.update_continuous_backups(TableName="pitr",
                                      PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        aws.clock.advance(10)
        ddb.put_item(TableName="pitr", Item={"pk": {"S": "t10"}})
        middle = aws.clock.utcnow()
        aws.clock.advance(10)
        ddb.delete_item(TableName="pitr", Key={"pk": {"S": "before"}})
        ddb.put_item(TableName="pitr", Item={"pk": {"S": "t20"}})
        ddb.restore_table_to_point_in_time(SourceTableName="pitr", TargetTableName="pitr-mid", RestoreDateTime=middle)
        ddb.restore_table_to_point_in_time(SourceTableName="pitr", TargetTableName="pitr-now",
                                           UseLatestRestorableTime=True)
    finally:
        aws.clock.unfreeze()
    assert keys(ddb, "pitr-mid") == ["before", "t10"]
    assert keys(ddb, "pitr-now") == ["t10", "t20"]
    described = ddb.describe_continuous_backups(TableName="pitr")["ContinuousBackupsDescription"]
    assert described["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_export_writes_dynamodb_json_to_s3_and_import_reads_it_back(ddb, make_table, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="exports")
    make_table("exp-src", range=None)
    for i in range(3):
        ddb.put_item(TableName="exp-src", Item={"pk": {"S": f"k{i}"}, "b": {"B": b"\x00\x01"}, "n": {"N": str(i)}})
    ddb.update_continuous_backups(TableName="exp-src",
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    arn = ddb.describe_table(TableName="exp-src")["Table"]["TableArn"]
    export = ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="exports", S3Prefix="dump")["ExportDescription"]
    described = ddb.describe_export(ExportArn=export["ExportArn"])["ExportDescription"]
    assert described["ExportStatus"] == "COMPLETED"
    data_keys = [o["Key"] for o in s3.list_objects_v2(Bucket="exports", Prefix="dump/AWSDynamoDB/")["Contents"]
                 if "/data/" in o["Key"]]
    lines = gzip.decompress(s3.get_object(Bucket="exports", Key=data_keys[0])["Body"].read()).decode().splitlines()
    assert sorted(json.loads(line)["Item"]["pk"]["S"] for line in lines) == ["k0", "k1", "k2"]
    assert json.loads(lines[0])["Item"]["b"] == {"B": "AAE="}
    s3.put_object(Bucket="exports", Key="import/data.json.gz", Body=gzip.compress("\n".join(lines).encode()))
    answer = ddb.import_table(
        S3BucketSource={"S3Bucket": "exports", "S3KeyPrefix": "import/"}, InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP", TableCreationParameters={
            "TableName": "imported", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"})["ImportTableDescription"]
    assert ddb.describe_import(ImportArn=answer["ImportArn"])["ImportTableDescription"]["ImportedItemCount"] == 3
    assert ddb.get_item(TableName="imported", Key={"pk": {"S": "k1"}})["Item"]["b"] == {"B": b"\x00\x01"}


def test_csv_import(ddb, client):
    s3 = client("s3")
    s3.create_bucket(Bucket="csvs")
    s3.put_object(Bucket="csvs", Key="in/a.csv", Body=b"pk,n,name\n1,5,ann\n2,6,bob\n")
    ddb.import_table(S3BucketSource={"S3Bucket": "csvs", "S3KeyPrefix": "in/"}, InputFormat="CSV",
                     TableCreationParameters={"TableName": "fromcsv", "BillingMode": "PAY_PER_REQUEST",
                                              "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                              "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "N"}]})
    assert ddb.get_item(TableName="fromcsv", Key={"pk": {"N": "2"}})["Item"] == {
        "pk": {"N": "2"}, "n": {"S": "6"}, "name": {"S": "bob"}}
