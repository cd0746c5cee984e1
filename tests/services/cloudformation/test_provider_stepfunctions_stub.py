"""The Step Functions provider and the generic stub-catalog provider."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext

from ..aws_errors import error_of
from .test_provider_base import provider_context

ROLE = "arn:aws:iam::123456789012:role/sfn"
PASS = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "${greeting}", "End": True}}}


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Flow")


def test_state_machine_from_a_definition_object_with_substitutions(ctx: ProviderContext, client: Any) -> None:
    sfn = client("stepfunctions")
    machine = provider_for("AWS::StepFunctions::StateMachine")
    old = {"Definition": PASS, "DefinitionSubstitutions": {"greeting": "hi"}, "RoleArn": ROLE,
           "Tags": [{"Key": "a", "Value": "1"}]}
    made = machine.create(ctx, old)
    described = sfn.describe_state_machine(stateMachineArn=made.physical_id)
    assert made.attributes["Arn"] == made.physical_id and made.attributes["Name"] == described["name"]
    assert described["name"].startswith("stk-Flow-") and described["type"] == "STANDARD"
    assert json.loads(described["definition"])["States"]["Hello"]["Result"] == "hi"
    new = {"DefinitionString": json.dumps(PASS).replace("${greeting}", "bye"), "RoleArn": ROLE,
           "Tags": [{"Key": "b", "Value": "2"}]}
    machine.update(ctx, made.physical_id, old, new)
    described = sfn.describe_state_machine(stateMachineArn=made.physical_id)
    assert json.loads(described["definition"])["States"]["Hello"]["Result"] == "bye"
    assert sfn.list_tags_for_resource(resourceArn=made.physical_id)["tags"] == [{"key": "b", "value": "2"}]
    assert machine.replaces == frozenset({"StateMachineName", "StateMachineType"})
    machine.delete(ctx, made.physical_id, new)
    assert error_of(lambda: sfn.describe_state_machine(stateMachineArn=made.physical_id))[0] == \
        "StateMachineDoesNotExist"


def test_stub_provider_maps_a_type_to_the_catalog_resource(ctx: ProviderContext, client: Any) -> None:
    ecs = client("ecs")
    cluster = provider_for("AWS::ECS::Cluster")
    assert cluster is not None and "ClusterName" in cluster.replaces
    old = {"ClusterName": "web", "Tags": [{"Key": "a", "Value": "1"}]}
    made = cluster.create(ctx, old)
    described = ecs.describe_clusters(clusters=["web"])["clusters"][0]
    assert made.physical_id == "web" and made.attributes["Arn"] == described["clusterArn"]
    assert ecs.list_tags_for_resource(resourceArn=described["clusterArn"])["tags"] == [{"key": "a", "value": "1"}]
    cluster.update(ctx, "web", old, {"ClusterName": "web", "Tags": [{"Key": "b", "Value": "2"}]})
    assert ecs.list_tags_for_resource(resourceArn=described["clusterArn"])["tags"] == [{"key": "b", "value": "2"}]
    cluster.delete(ctx, "web", old)
    assert ecs.list_clusters()["clusterArns"] == []


def test_stub_provider_generates_names_the_model_accepts(ctx: ProviderContext, client: Any) -> None:
    repository = provider_for("AWS::ECR::Repository")
    made = repository.create(ctx, {})
    assert made.physical_id.startswith("stk-flow-") and made.physical_id == made.physical_id.lower()
    found = client("ecr").describe_repositories(repositoryNames=[made.physical_id])["repositories"][0]
    assert made.attributes["Arn"] == found["repositoryArn"]


def test_stub_provider_with_a_server_side_identifier(ctx: ProviderContext, client: Any) -> None:
    vpc = provider_for("AWS::EC2::VPC").create(ctx, {"CidrBlock": "10.1.0.0/16"})
    assert vpc.physical_id.startswith("vpc-")
    assert client("ec2").describe_vpcs(VpcIds=[vpc.physical_id])["Vpcs"][0]["CidrBlock"] == "10.1.0.0/16"


def test_types_no_provider_serves_are_unknown() -> None:
    assert provider_for("AWS::NotAService::Thing") is None
    assert provider_for("AWS::ECS::NoSuchResource") is None


def test_stub_attributes_name_nested_members_with_dots_and_pick_the_resources_own_arn(ctx: ProviderContext,
                                                                                        client: Any) -> None:
    made = provider_for("AWS::EKS::Cluster").create(ctx, {  # type: ignore[union-attr]
        "Name": "kube", "RoleArn": "arn:aws:iam::123456789012:role/eks",
        "ResourcesVpcConfig": {"SubnetIds": ["subnet-1"], "EndpointPublicAccess": True}})
    described = client("eks").describe_cluster(name="kube")["cluster"]
    assert made.attributes["Arn"] == described["arn"]
    assert made.attributes["Endpoint"] == described["endpoint"]
    assert made.attributes["KubernetesNetworkConfig.ServiceIpv4Cidr"] == \
        described["kubernetesNetworkConfig"]["serviceIpv4Cidr"]


def test_stub_child_resources_are_found_in_their_parent(ctx: ProviderContext, client: Any) -> None:
    ecs = client("ecs")
    provider_for("AWS::ECS::Cluster").create(ctx, {"ClusterName": "apps"})  # type: ignore[union-attr]
    task = provider_for("AWS::ECS::TaskDefinition").create(ctx, {  # type: ignore[union-attr]
        "Family": "web", "ContainerDefinitions": [{"Name": "app", "Image": "nginx"}]})
    service = provider_for("AWS::ECS::Service")
    old = {"Cluster": "apps", "ServiceName": "front", "TaskDefinition": task.attributes["Arn"], "DesiredCount": 1}
    made = service.create(ctx, old)  # type: ignore[union-attr]
    service.update(ctx, made.physical_id, old, {**old, "DesiredCount": 3})  # type: ignore[union-attr]
    assert ecs.describe_services(cluster="apps", services=["front"])["services"][0]["desiredCount"] == 3
    service.delete(ctx, made.physical_id, old)  # type: ignore[union-attr]
    assert ecs.list_services(cluster="apps")["serviceArns"] == []


def test_namespaces_shared_by_several_services_find_the_one_declaring_the_type() -> None:
    from pytest_cloudmock.services.cloudformation.providers.stub import stub_target

    assert stub_target("AWS::RDS::DBCluster") == ("rds", "cluster")
    assert stub_target("AWS::ElasticLoadBalancingV2::TargetGroup") == ("elbv2", "targetgroup")
    assert stub_target("AWS::Glue::Table") == ("glue", "table")
