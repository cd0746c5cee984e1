"""The engine's vocabulary through real boto3 clients: parents, revisions, states on the
gateway clock, settings with AWS defaults, batch failures, filters, custom operations, and
every other operation of a model answered with a well-formed output."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return info.value.response["Error"]["Code"]


def test_glue_tables_live_in_their_database_and_go_with_it(client):
    glue = client("glue")
    glue.create_database(DatabaseInput={"Name": "sales"})
    glue.create_database(DatabaseInput={"Name": "empty"})
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.create_table(DatabaseName="nodb", TableInput={"Name": "t"})
    glue.create_table(DatabaseName="sales", TableInput={"Name": "orders", "StorageDescriptor": {"Location": "s3://b/o"}})
    glue.create_table(DatabaseName="empty", TableInput={"Name": "orders"})  # same name, other database
    with pytest.raises(glue.exceptions.AlreadyExistsException):
        glue.create_table(DatabaseName="sales", TableInput={"Name": "orders"})
    table = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
    assert table["DatabaseName"] == "sales" and table["StorageDescriptor"]["Location"] == "s3://b/o"
    assert [t["Name"] for t in glue.get_tables(DatabaseName="sales")["TableList"]] == ["orders"]
    glue.create_partition(DatabaseName="sales", TableName="orders", PartitionInput={"Values": ["2024", "01"]})
    part = glue.get_partition(DatabaseName="sales", TableName="orders", PartitionValues=["2024", "01"])["Partition"]
    assert part["Values"] == ["2024", "01"] and part["TableName"] == "orders"
    got = glue.batch_get_partition(DatabaseName="sales", TableName="orders",
                                   PartitionsToGet=[{"Values": ["2024", "01"]}, {"Values": ["1999", "12"]}])
    assert [p["Values"] for p in got["Partitions"]] == [["2024", "01"]]
    assert got["UnprocessedKeys"] == [{"Values": ["1999", "12"]}]
    glue.delete_database(Name="sales")  # Glue deletes the database's tables with it
    with pytest.raises(glue.exceptions.EntityNotFoundException):
        glue.get_table(DatabaseName="sales", Name="orders")
    assert glue.get_table(DatabaseName="empty", Name="orders")["Table"]["Name"] == "orders"


def test_glue_batch_delete_reports_each_missing_table(client):
    glue = client("glue")
    glue.create_database(DatabaseInput={"Name": "d"})
    glue.create_table(DatabaseName="d", TableInput={"Name": "t"})
    errors = glue.batch_delete_table(DatabaseName="d", TablesToDelete=["t", "nope"])["Errors"]
    assert errors == [{"TableName": "nope", "ErrorDetail": {"ErrorCode": "EntityNotFoundException",
                                                            "ErrorMessage": "Table nope not found"}}]
    assert glue.get_tables(DatabaseName="d")["TableList"] == []


def test_job_runs_and_crawlers_move_on_the_gateway_clock(client, frozen):
    glue = client("glue")
    glue.create_job(Name="etl", Role="r", Command={"Name": "glueetl"})
    run_id = glue.start_job_run(JobName="etl")["JobRunId"]
    assert glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]["JobRunState"] == "STARTING"
    frozen.advance(1)
    assert glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]["JobRunState"] == "RUNNING"
    frozen.advance(5)
    run = glue.get_job_run(JobName="etl", RunId=run_id)["JobRun"]
    assert run["JobRunState"] == "SUCCEEDED" and run["JobName"] == "etl"
    other = glue.start_job_run(JobName="etl")["JobRunId"]
    glue.batch_stop_job_run(JobName="etl", JobRunIds=[other])
    assert glue.get_job_run(JobName="etl", RunId=other)["JobRun"]["JobRunState"] == "STOPPED"
    assert len(glue.get_job_runs(JobName="etl")["JobRuns"]) == 2
    glue.create_crawler(Name="c", Role="r", Targets={})
    assert glue.get_crawler(Name="c")["Crawler"]["State"] == "READY"
    glue.start_crawler(Name="c")
    assert glue.get_crawler(Name="c")["Crawler"]["State"] == "RUNNING"
    frozen.advance(3)
    assert glue.get_crawler(Name="c")["Crawler"]["State"] == "READY"


def test_ecs_services_tasks_and_the_cluster_delete_they_block(client, frozen):
    ecs = client("ecs")
    with pytest.raises(ecs.exceptions.ClusterNotFoundException):
        ecs.create_service(serviceName="web")  # no cluster named: the `default` one, which does not exist
    ecs.create_cluster(clusterName="prod")
    service = ecs.create_service(cluster="prod", serviceName="web", taskDefinition="app", desiredCount=1)["service"]
    assert service["serviceArn"] == "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
    assert service["clusterArn"] == "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
    described = ecs.describe_services(cluster="prod", services=["web", "gone"])
    assert [s["serviceName"] for s in described["services"]] == ["web"]
    assert described["failures"][0]["arn"] == "gone" and described["failures"][0]["reason"] == "MISSING"
    task = ecs.run_task(cluster="prod", taskDefinition="app")["tasks"][0]
    assert task["lastStatus"] == "PROVISIONING" and task["taskArn"].startswith(
        "arn:aws:ecs:us-east-1:123456789012:task/prod/")
    frozen.advance(2)
    assert ecs.describe_tasks(cluster="prod", tasks=[task["taskArn"]])["tasks"][0]["lastStatus"] == "RUNNING"
    ecs.stop_task(cluster="prod", task=task["taskArn"])
    assert ecs.describe_tasks(cluster="prod", tasks=[task["taskArn"]])["tasks"][0]["lastStatus"] == "STOPPED"
    with pytest.raises(ecs.exceptions.ClusterContainsServicesException):
        ecs.delete_cluster(cluster="prod")
    ecs.delete_service(cluster="prod", service="web")
    with pytest.raises(ecs.exceptions.ClusterContainsTasksException):
        ecs.delete_cluster(cluster="prod")


def test_ecs_task_definitions_have_revisions(client):
    ecs = client("ecs")
    containers = [{"name": "app", "image": "nginx"}]
    first = ecs.register_task_definition(family="web", containerDefinitions=containers)["taskDefinition"]
    second = ecs.register_task_definition(family="web", containerDefinitions=containers)["taskDefinition"]
    assert (first["revision"], second["revision"]) == (1, 2) and second["family"] == "web"
    assert second["taskDefinitionArn"] == "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2"
    assert ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]["revision"] == 2
    ecs.deregister_task_definition(taskDefinition="web:1")
    assert ecs.describe_task_definition(taskDefinition="web:1")["taskDefinition"]["status"] == "INACTIVE"
    assert ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"] == [second["taskDefinitionArn"]]


def test_ecs_account_settings_have_aws_defaults(client):
    ecs = client("ecs")
    insights = ecs.list_account_settings(name="containerInsights")["settings"]
    assert [(s["name"], s["value"]) for s in insights] == [("containerInsights", "disabled")]
    ecs.put_account_setting(name="containerInsights", value="enabled")
    insights = ecs.list_account_settings(name="containerInsights")["settings"]
    assert [(s["name"], s["value"]) for s in insights] == [("containerInsights", "enabled")]


def test_ecr_images_policies_and_a_repository_that_is_not_empty(client):
    ecr = client("ecr")
    ecr.create_repository(repositoryName="app")
    digest = ecr.put_image(repositoryName="app", imageManifest="{}", imageTag="v1")["image"]["imageId"]["imageDigest"]
    assert digest.startswith("sha256:")
    got = ecr.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}, {"imageTag": "v9"}])
    assert got["images"][0]["imageId"] == {"imageDigest": digest, "imageTag": "v1"}
    assert got["failures"] == [{"imageId": {"imageTag": "v9"}, "failureCode": "ImageNotFound",
                                "failureReason": "Requested image not found"}]
    assert ecr.describe_images(repositoryName="app")["imageDetails"][0]["imageTags"] == ["v1"]
    with pytest.raises(ecr.exceptions.LifecyclePolicyNotFoundException):
        ecr.get_lifecycle_policy(repositoryName="app")
    text = '{"rules": []}'.ljust(100)
    ecr.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)
    assert ecr.get_lifecycle_policy(repositoryName="app")["lifecyclePolicyText"] == text
    with pytest.raises(ecr.exceptions.RepositoryNotFoundException):
        ecr.set_repository_policy(repositoryName="nope", policyText="{}")
    scanning = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    assert scanning == {"scanType": "BASIC", "rules": []}
    with pytest.raises(ecr.exceptions.RepositoryNotEmptyException):
        ecr.delete_repository(repositoryName="app")
    ecr.delete_repository(repositoryName="app", force=True)
    with pytest.raises(ecr.exceptions.RepositoryNotFoundException):
        ecr.list_images(repositoryName="app")


def test_route53_record_sets(client):
    r53 = client("route53")
    zone = r53.create_hosted_zone(Name="example.com", CallerReference="r1")["HostedZone"]["Id"]
    change = {"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "www.example.com", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]}}]}
    assert r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=change)["ChangeInfo"]["Status"] == "INSYNC"
    with pytest.raises(r53.exceptions.InvalidChangeBatch):
        r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=change)
    listed = r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    assert [(r["Name"], r["Type"]) for r in listed] == [
        ("example.com.", "NS"), ("example.com.", "SOA"), ("www.example.com.", "A")]
    pages = list(r53.get_paginator("list_resource_record_sets").paginate(
        HostedZoneId=zone, PaginationConfig={"PageSize": 1}))
    assert [p["ResourceRecordSets"][0]["Type"] for p in pages] == ["NS", "SOA", "A"]
    assert r53.get_hosted_zone(Id=zone)["HostedZone"]["ResourceRecordSetCount"] == 3
    with pytest.raises(r53.exceptions.HostedZoneNotEmpty) as info:
        r53.delete_hosted_zone(Id=zone)
    assert info.value.response["Error"]["Message"] == (
        "The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
    change["Changes"][0]["Action"] = "DELETE"
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=change)
    r53.delete_hosted_zone(Id=zone)
    with pytest.raises(r53.exceptions.NoSuchHostedZone):
        r53.list_resource_record_sets(HostedZoneId=zone)


def test_athena_queries_succeed_and_a_test_provides_the_rows(client, aws):
    from pytest_cloudmock.stubs import catalog_changes

    athena = client("athena")
    query = athena.start_query_execution(QueryString="SELECT 1")["QueryExecutionId"]
    execution = athena.get_query_execution(QueryExecutionId=query)["QueryExecution"]
    assert execution["Status"]["State"] == "SUCCEEDED" and execution["Query"] == "SELECT 1"
    assert athena.get_query_results(QueryExecutionId=query)["ResultSet"]["Rows"] == []
    rows = {"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "1"}]}]}}
    with catalog_changes(aws) as catalog:
        catalog.override("athena", "GetQueryResults", rows)
        assert athena.get_query_results(QueryExecutionId=query)["ResultSet"] == rows["ResultSet"]
    assert athena.list_query_executions()["QueryExecutionIds"] == [query]


def test_list_filters_and_status_filters(client):
    glue = client("glue")
    for name in ("alpha", "beta", "alphabet"):
        glue.create_crawler(Name=name, Role="r", Targets={})
    ecs = client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="web-a", containerDefinitions=[{"name": "a", "image": "x"}])
    ecs.register_task_definition(family="worker", containerDefinitions=[{"name": "a", "image": "x"}])
    arns = ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"]
    assert [a.rsplit("/", 1)[1] for a in arns] == ["web-a:1"]


def test_operations_outside_the_entry_answer_well_formed_outputs(client):
    """An operation no entry maps answers its model's output with every required member set."""
    ecs = client("ecs")
    assert ecs.list_task_definition_families()["families"] == []
    eks = client("eks")
    with pytest.raises(eks.exceptions.ResourceNotFoundException):
        eks.list_nodegroups(clusterName="none")  # the parent is checked
    glue = client("glue")
    settings = glue.get_data_catalog_encryption_settings()
    assert settings["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_registered_targets_are_links_read_back(client):
    elb = client("elbv2")
    arn = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId="vpc-1")["TargetGroups"][0][
        "TargetGroupArn"]
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": "i-1", "Port": 80}])
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": "i-2", "Port": 80}])
    health = elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    assert [(h["Target"]["Id"], h["TargetHealth"]["State"]) for h in health] == [("i-1", "healthy"),
                                                                                 ("i-2", "healthy")]
    elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": "i-1", "Port": 80}])
    assert [h["Target"]["Id"] for h in elb.describe_target_health(TargetGroupArn=arn)[
        "TargetHealthDescriptions"]] == ["i-2"]
    with pytest.raises(elb.exceptions.TargetGroupNotFoundException):
        elb.register_targets(TargetGroupArn=arn + "x", Targets=[{"Id": "i-3"}])
