"""What an entry declares reaches the answers: falsy and nested defaults, templates in
defaults and ARNs, and the untag operations whatever the model calls their key list."""

from __future__ import annotations

import re

import pytest

from pytest_cloudmock.stubs.catalog import catalog_changes

CLUSTER = {
    "service": "ecs",
    "resources": {"cluster": {
        "name": "Cluster", "id": "clusterName",
        "arn": "arn:{partition}:ecs:{region}:{account}:cluster/{id}/{hex:8}",
        "defaults": {
            "runningTasksCount": 0, "pendingTasksCount": 0, "status": "",
            "statistics": [{"name": "owner", "value": "{account}"}, {"name": "where", "value": "{region}"}],
            "settings": [{"name": "containerInsights", "value": "cluster-{id}"}],
        },
        "actions": {"create": "CreateCluster", "describe": "DescribeClusters"},
    }},
}


def test_falsy_defaults_are_answered(client, aws):
    with catalog_changes(aws) as catalog:
        catalog.replace(CLUSTER)
        made = client("ecs").create_cluster(clusterName="c1")["cluster"]
        assert made["runningTasksCount"] == 0 and made["pendingTasksCount"] == 0 and made["status"] == ""
        described = client("ecs").describe_clusters(clusters=["c1"])["clusters"][0]
        assert described["runningTasksCount"] == 0 and described["status"] == ""


def test_nested_defaults_and_arns_are_templated(client, aws):
    with catalog_changes(aws) as catalog:
        catalog.replace(CLUSTER)
        made = client("ecs").create_cluster(clusterName="c2")["cluster"]
    assert made["statistics"] == [{"name": "owner", "value": "123456789012"}, {"name": "where", "value": "us-east-1"}]
    assert made["settings"] == [{"name": "containerInsights", "value": "cluster-c2"}]
    assert re.fullmatch(r"arn:aws:ecs:us-east-1:123456789012:cluster/c2/[0-9a-f]{8}", made["clusterArn"])


def test_generated_ids_and_default_fields_are_available_to_arn_templates(client, aws):
    entry = {
        "service": "ecr",
        "resources": {"repo": {
            "name": "Repository", "id": "registryId", "id_format": "{digits:12}",
            "arn": "arn:{partition}:ecr:{region}:{account}:repository/{repositoryName}@{id}/{tier}",
            "defaults": {"tier": "gold", "repositoryUri": "{id}.dkr.ecr.{region}.amazonaws.com/{repositoryName}"},
            "actions": {"create": "CreateRepository"},
        }},
    }
    with catalog_changes(aws) as catalog:
        catalog.replace(entry)
        made = client("ecr").create_repository(repositoryName="app")["repository"]
    ident = made["registryId"]
    assert re.fullmatch(r"\d{12}", ident)
    assert made["repositoryArn"] == f"arn:aws:ecr:us-east-1:123456789012:repository/app@{ident}/gold"
    assert made["repositoryUri"] == f"{ident}.dkr.ecr.us-east-1.amazonaws.com/app"


@pytest.mark.parametrize("service", ["budgets", "ce"])
def test_untag_reads_resource_tag_keys(client, service):
    api = client(service)
    if service == "budgets":
        api.create_budget(AccountId="123456789012", Budget={
            "BudgetName": "b", "BudgetType": "COST", "TimeUnit": "MONTHLY",
            "BudgetLimit": {"Amount": "10", "Unit": "USD"}})
        arn = "arn:aws:budgets::123456789012:budget/b"
    else:
        arn = api.create_cost_category_definition(Name="cc", RuleVersion="CostCategoryExpression.v1", Rules=[
            {"Value": "v", "Rule": {"Dimensions": {"Key": "SERVICE", "Values": ["Amazon EC2"]}}}])["CostCategoryArn"]
    name = "ResourceARN" if service == "budgets" else "ResourceArn"
    api.tag_resource(**{name: arn}, ResourceTags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    api.untag_resource(**{name: arn}, ResourceTagKeys=["a"])
    assert api.list_tags_for_resource(**{name: arn})["ResourceTags"] == [{"Key": "b", "Value": "2"}]


def test_untag_by_tag_structures(client):
    """ACM's RemoveTagsFromCertificate names the tags to remove as `{Key, Value}` structures."""
    acm = client("acm")
    arn = acm.request_certificate(DomainName="example.com")["CertificateArn"]
    acm.add_tags_to_certificate(CertificateArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    acm.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": "a"}])
    assert acm.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]


def test_parents_count_their_children(client, frozen):
    """`activeServicesCount`, `runningTasksCount`, `TableCount`: counted from the children, in
    the state the member names."""
    ecs = client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="f", containerDefinitions=[{"name": "app", "image": "nginx"}])
    ecs.create_service(cluster="c", serviceName="s1", taskDefinition="f", desiredCount=1)
    ecs.create_service(cluster="c", serviceName="s2", taskDefinition="f", desiredCount=1)
    ecs.run_task(cluster="c", taskDefinition="f", count=1)
    cluster = ecs.describe_clusters(clusters=["c"])["clusters"][0]
    assert cluster["activeServicesCount"] == 2 and cluster["runningTasksCount"] == 0
    frozen.advance(600)
    cluster = ecs.describe_clusters(clusters=["c"])["clusters"][0]
    assert cluster["runningTasksCount"] == 1 and cluster["pendingTasksCount"] == 0
    write = client("timestream-write")
    write.create_database(DatabaseName="db1")
    write.create_table(DatabaseName="db1", TableName="t1")
    assert write.describe_database(DatabaseName="db1")["Database"]["TableCount"] == 1
    assert [d["TableCount"] for d in write.list_databases()["Databases"]] == [1]
