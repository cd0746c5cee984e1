"""APIs AWS serves from one backend: DocumentDB and Neptune are the RDS API (one endpoint,
signing name and version), Timestream Write and Query share a target prefix and resources.
Their entries share state; the router picks the API a request's operation belongs to."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway.router import Router
from pytest_cloudmock.registry import Registry
from pytest_cloudmock.stubs.engine import StubService
from pytest_cloudmock.wire import WireRequest


def code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return info.value.response["Error"]["Code"]


def test_timestream_write_and_query_work_side_by_side(client):
    write, query = client("timestream-write"), client("timestream-query")
    db = write.create_database(DatabaseName="metrics", Tags=[{"Key": "team", "Value": "a"}])["Database"]
    assert db["Arn"] == "arn:aws:timestream:us-east-1:123456789012:database/metrics"
    assert db["KmsKeyId"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    table = write.create_table(DatabaseName="metrics", TableName="cpu")["Table"]
    assert table["Arn"] == "arn:aws:timestream:us-east-1:123456789012:database/metrics/table/cpu"
    assert table["TableStatus"] == "ACTIVE" and table["DatabaseName"] == "metrics"
    assert table["MagneticStoreWriteProperties"] == {"EnableMagneticStoreWrites": False}
    assert [t["TableName"] for t in write.list_tables(DatabaseName="metrics")["Tables"]] == ["cpu"]
    with pytest.raises(write.exceptions.ConflictException):
        write.create_table(DatabaseName="metrics", TableName="cpu")
    with pytest.raises(write.exceptions.ResourceNotFoundException):
        write.create_table(DatabaseName="nodb", TableName="cpu")
    with pytest.raises(write.exceptions.ValidationException):
        write.delete_database(DatabaseName="metrics")  # its tables first
    ingested = write.write_records(DatabaseName="metrics", TableName="cpu", Records=[
        {"MeasureName": "cpu", "MeasureValue": "1.5", "Time": "1700000000000"}] * 3)["RecordsIngested"]
    assert ingested == {"Total": 3, "MemoryStore": 3, "MagneticStore": 0}
    with pytest.raises(write.exceptions.ResourceNotFoundException):
        write.write_records(DatabaseName="metrics", TableName="nope", Records=[{"MeasureName": "m"}])
    made = query.create_scheduled_query(
        Name="q", QueryString="SELECT 1", ScheduleConfiguration={"ScheduleExpression": "rate(1 hour)"},
        NotificationConfiguration={"SnsConfiguration": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t"}},
        ErrorReportConfiguration={"S3Configuration": {"BucketName": "reports"}},
        ScheduledQueryExecutionRoleArn="arn:aws:iam::123456789012:role/r")["Arn"]
    assert [s["Arn"] for s in query.list_scheduled_queries()["ScheduledQueries"]] == [made]
    # tagging is one API on both clients, over one set of resources
    query.tag_resource(ResourceARN=db["Arn"], Tags=[{"Key": "env", "Value": "x"}])
    assert write.list_tags_for_resource(ResourceARN=db["Arn"])["Tags"] == [
        {"Key": "team", "Value": "a"}, {"Key": "env", "Value": "x"}]
    write.delete_table(DatabaseName="metrics", TableName="cpu")
    write.delete_database(DatabaseName="metrics")
    with pytest.raises(write.exceptions.ResourceNotFoundException):
        write.describe_database(DatabaseName="metrics")


@pytest.mark.parametrize("service", ["timestream-write", "timestream-query"])
def test_timestream_describe_endpoints_answers_the_gateways_address(client, aws, service):
    endpoints = client(service).describe_endpoints()["Endpoints"]
    assert endpoints == [{"Address": aws.endpoint.split("://", 1)[1], "CachePeriodInMinutes": 1440}]


def test_timestream_batch_load_tasks_move_on_the_clock(client, frozen):
    write = client("timestream-write")
    write.create_database(DatabaseName="db1")
    write.create_table(DatabaseName="db1", TableName="t1")
    task = write.create_batch_load_task(
        TargetDatabaseName="db1", TargetTableName="t1",
        DataSourceConfiguration={"DataSourceS3Configuration": {"BucketName": "data"}, "DataFormat": "CSV"},
        ReportConfiguration={"ReportS3Configuration": {"BucketName": "reports"}})["TaskId"]
    assert write.describe_batch_load_task(TaskId=task)["BatchLoadTaskDescription"]["TaskStatus"] == "CREATED"
    frozen.advance(5)
    assert write.describe_batch_load_task(TaskId=task)["BatchLoadTaskDescription"]["TaskStatus"] == "SUCCEEDED"


def test_documentdb_and_neptune_share_the_rds_backend(client, aws):
    rds, docdb, neptune = client("rds"), client("docdb"), client("neptune")
    docdb.create_db_cluster(DBClusterIdentifier="docs", Engine="docdb", MasterUsername="u",
                            MasterUserPassword="password1")
    neptune.create_db_cluster(DBClusterIdentifier="graph", Engine="neptune")
    rds.create_db_cluster(DBClusterIdentifier="pg", Engine="aurora-postgresql", MasterUsername="u",
                          MasterUserPassword="password1")
    # AWS: DescribeDBClusters lists the clusters of every engine; filter on `engine` for one
    every = ["docs", "graph", "pg"]
    for api in (rds, docdb, neptune):
        assert sorted(c["DBClusterIdentifier"] for c in api.describe_db_clusters()["DBClusters"]) == every
    only = docdb.describe_db_clusters(Filters=[{"Name": "engine", "Values": ["docdb"]}])["DBClusters"]
    assert [(c["DBClusterIdentifier"], c["Engine"]) for c in only] == [("docs", "docdb")]
    by_id = docdb.describe_db_clusters(Filters=[{"Name": "db-cluster-id", "Values": [
        "docs", "arn:aws:rds:us-east-1:123456789012:cluster:pg"]}])["DBClusters"]
    assert sorted(c["DBClusterIdentifier"] for c in by_id) == ["docs", "pg"]  # identifiers or ARNs
    graph = neptune.describe_db_clusters(DBClusterIdentifier="graph")["DBClusters"][0]
    assert graph["DBClusterArn"] == "arn:aws:rds:us-east-1:123456789012:cluster:graph"
    with pytest.raises(ClientError) as info:
        docdb.describe_db_clusters(DBClusterIdentifier="nope")
    assert code(info) == "DBClusterNotFoundFault"
    # one backend behind three names: the services share one store
    stores = {id(aws.registry.get(n).store) for n in ("rds", "docdb", "neptune")}
    assert len(stores) == 1 and all(isinstance(aws.registry.get(n), StubService) for n in ("docdb", "neptune"))
    rds.delete_db_cluster(DBClusterIdentifier="docs", SkipFinalSnapshot=True)
    assert [c["DBClusterIdentifier"] for c in docdb.describe_db_clusters(
        Filters=[{"Name": "engine", "Values": ["docdb"]}])["DBClusters"]] == []


def _router() -> Router:
    registry = Registry()
    for name in ("timestream-query", "timestream-write", "rds", "docdb", "neptune"):
        registry.register_factory(name, lambda: None)  # type: ignore[arg-type,return-value]
    return Router(registry)


@pytest.mark.parametrize(("operation", "host", "expected"), [
    ("CreateDatabase", "127.0.0.1:4566", "timestream-write"),
    ("Query", "127.0.0.1:4566", "timestream-query"),
    ("DescribeEndpoints", "ingest.timestream.us-east-1.localhost:4566", "timestream-write"),
    ("TagResource", "query.timestream.us-east-1.localhost:4566", "timestream-query"),
    ("DescribeEndpoints", "127.0.0.1:4566", "timestream-query"),  # the first: both answer alike
])
def test_a_shared_target_prefix_is_told_apart_by_operation_then_host(operation, host, expected):
    request = WireRequest.from_parts("POST", "/", {
        "Host": host, "X-Amz-Target": f"Timestream_20181101.{operation}",
        "Content-Type": "application/x-amz-json-1.0",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/timestream/aws4_request, "
                         "SignedHeaders=host, Signature=abc"}, b"{}")
    assert _router().route(request).service == expected


def test_the_rds_api_routes_to_rds_whoever_signs_it():
    request = WireRequest.from_parts("POST", "/", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/rds/aws4_request, "
                         "SignedHeaders=host, Signature=abc"}, b"Action=DescribeDBClusters&Version=2014-10-31")
    assert _router().route(request).service == "rds"
