"""AWS's own not-found and already-exists messages, where the catalog entries give them
(`messages:`); every other resource type keeps the engine's wording (AWS's is unknown)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"


def failure(call, **params) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**params)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_not_found_messages_are_aws_s(client):
    ecs, ecr, eks, glue = client("ecs"), client("ecr"), client("eks"), client("glue")
    assert failure(ecs.create_service, cluster="nope", serviceName="s", desiredCount=1) == (
        "ClusterNotFoundException", "Cluster not found.")
    ecs.create_cluster(clusterName="c")
    assert failure(ecs.update_service, cluster="c", service="nope") == ("ServiceNotFoundException", "Service not found.")
    assert failure(ecr.describe_repositories, repositoryNames=["nope"]) == (
        "RepositoryNotFoundException",
        f"The repository with name 'nope' does not exist in the registry with id '{ACCOUNT}'")
    assert failure(eks.describe_cluster, name="nope") == ("ResourceNotFoundException", "No cluster found for name: nope.")
    assert failure(glue.get_database, Name="nope") == ("EntityNotFoundException", "Database nope not found.")
    glue.create_database(DatabaseInput={"Name": "d"})
    assert failure(glue.get_table, DatabaseName="d", Name="nope") == ("EntityNotFoundException", "Table nope not found.")
    assert failure(client("athena").get_work_group, WorkGroup="nope") == (
        "InvalidRequestException", "WorkGroup is not found.")
    assert failure(client("route53").get_hosted_zone, Id="Z0000000000000") == (
        "NoSuchHostedZone", "No hosted zone found with ID: Z0000000000000")
    assert failure(client("elasticache").describe_cache_clusters, CacheClusterId="nope") == (
        "CacheClusterNotFound", "CacheCluster not found: nope")
    assert failure(client("batch").update_job_queue, jobQueue="nope", state="DISABLED") == (
        "ClientException", "JobQueue nope not found.")


def test_already_exists_messages_are_aws_s(client):
    ecr, eks = client("ecr"), client("eks")
    ecr.create_repository(repositoryName="app")
    assert failure(ecr.create_repository, repositoryName="app") == (
        "RepositoryAlreadyExistsException",
        f"The repository with name 'app' already exists in the registry with id '{ACCOUNT}'")
    params = {"name": "prod", "roleArn": f"arn:aws:iam::{ACCOUNT}:role/r", "resourcesVpcConfig": {}}
    eks.create_cluster(**params)
    assert failure(eks.create_cluster, **params) == ("ResourceInUseException", "Cluster already exists with name: prod")


def test_other_types_keep_the_engines_wording(client):
    """AWS wording unknown: the resource type and the name the request gave."""
    code, message = failure(client("eks").describe_nodegroup, clusterName="none", nodegroupName="ng")
    assert code == "ResourceNotFoundException" and message == "No cluster found for name: none."
    client("eks").create_cluster(name="c1", roleArn=f"arn:aws:iam::{ACCOUNT}:role/r", resourcesVpcConfig={})
    assert failure(client("eks").describe_nodegroup, clusterName="c1", nodegroupName="ng") == (
        "ResourceNotFoundException", "No node group found for name: ng.")  # AWS's text
    assert failure(client("eks").describe_fargate_profile, clusterName="c1", fargateProfileName="fp") == (
        "ResourceNotFoundException", "FargateProfile fp not found")  # ours
