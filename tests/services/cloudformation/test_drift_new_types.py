"""Drift detection and import for the API Gateway, Cognito, SES and EC2 types: each resource read
back through its service, in sync until a test changes it with boto3."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import outputs
from .test_drift import detect, drifts

TEMPLATE = {"Resources": {
    "Rest": {"Type": "AWS::ApiGateway::RestApi",
             "Properties": {"Name": "shop", "Description": "the shop", "BinaryMediaTypes": ["image/png"],
                            "Tags": [{"Key": "team", "Value": "a"}]}},
    "Http": {"Type": "AWS::ApiGatewayV2::Api",
             "Properties": {"Name": "http", "ProtocolType": "HTTP", "Description": "the api", "Tags": {"team": "a"}}},
    "Pool": {"Type": "AWS::Cognito::UserPool",
             "Properties": {"UserPoolName": "drift-pool", "UserPoolTags": {"team": "a"},
                            "Policies": {"PasswordPolicy": {"MinimumLength": "10", "RequireSymbols": "false"}}}},
    "Client": {"Type": "AWS::Cognito::UserPoolClient",
               "Properties": {"UserPoolId": {"Ref": "Pool"}, "ClientName": "web", "AccessTokenValidity": 2,
                              "TokenValidityUnits": {"AccessToken": "hours"},
                              "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}},
    "Set": {"Type": "AWS::SES::ConfigurationSet",
            "Properties": {"Name": "drift-set", "SendingOptions": {"SendingEnabled": True},
                           "Tags": [{"Key": "team", "Value": "a"}]}},
    "Mail": {"Type": "AWS::SES::Template",
             "Properties": {"Template": {"TemplateName": "drift-mail", "SubjectPart": "Hi", "TextPart": "hello"}}},
    "Vpc": {"Type": "AWS::EC2::VPC",
            "Properties": {"CidrBlock": "10.1.0.0/16", "EnableDnsHostnames": True,
                           "Tags": [{"Key": "team", "Value": "a"}]}},
    "Group": {"Type": "AWS::EC2::SecurityGroup",
              "Properties": {"GroupDescription": "web", "VpcId": {"Ref": "Vpc"},
                             "Tags": [{"Key": "team", "Value": "a"}]}}},
    "Outputs": {name: {"Value": {"Ref": name}} for name in ("Rest", "Http", "Pool", "Client", "Vpc", "Group")}}
NEW_TYPES = {"Rest", "Http", "Pool", "Client", "Set", "Mail", "Vpc", "Group"}


@pytest.fixture
def ids(deploy) -> dict[str, str]:
    stack = deploy("drift-new", TEMPLATE, Tags=[{"Key": "env", "Value": "test"}])
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack.get("StackStatusReason")
    return outputs(stack)


def _differences(found: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted((d["PropertyPath"], d["ExpectedValue"], d["ActualValue"], d["DifferenceType"])
                  for d in found["PropertyDifferences"])


def test_the_new_types_are_read_back_in_sync(cfn, aws, ids):
    status = detect(cfn, aws, "drift-new")
    assert status["DetectionStatus"] == "DETECTION_COMPLETE", status.get("DetectionStatusReason")
    found = drifts(cfn, "drift-new")
    assert {k: v["StackResourceDriftStatus"] for k, v in found.items()} == dict.fromkeys(NEW_TYPES, "IN_SYNC")
    assert status["StackDriftStatus"] == "IN_SYNC"


def test_changes_made_with_boto3_are_modified(cfn, aws, client, ids):
    client("apigateway").update_rest_api(restApiId=ids["Rest"], patchOperations=[
        {"op": "replace", "path": "/description", "value": "changed"}])
    client("apigatewayv2").update_api(ApiId=ids["Http"], Description="changed")
    idp = client("cognito-idp")
    idp.update_user_pool(UserPoolId=ids["Pool"], Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": False}},
                         UserPoolTags={"team": "a"})
    idp.update_user_pool_client(UserPoolId=ids["Pool"], ClientId=ids["Client"], ClientName="web",
                                AccessTokenValidity=5, TokenValidityUnits={"AccessToken": "hours"},
                                ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    sesv2 = client("sesv2")
    sesv2.put_configuration_set_sending_options(ConfigurationSetName="drift-set", SendingEnabled=False)
    sesv2.update_email_template(TemplateName="drift-mail", TemplateContent={"Subject": "Bye", "Text": "hello"})
    ec2 = client("ec2")
    ec2.modify_vpc_attribute(VpcId=ids["Vpc"], EnableDnsHostnames={"Value": False})
    ec2.create_tags(Resources=[ids["Group"]], Tags=[{"Key": "team", "Value": "b"}])
    status = detect(cfn, aws, "drift-new")
    assert status["StackDriftStatus"] == "DRIFTED" and status["DriftedStackResourceCount"] == len(NEW_TYPES)
    found = drifts(cfn, "drift-new")
    assert {k: v["StackResourceDriftStatus"] for k, v in found.items()} == dict.fromkeys(NEW_TYPES, "MODIFIED")
    assert _differences(found["Rest"]) == [("/Description", "the shop", "changed", "NOT_EQUAL")]
    assert _differences(found["Http"]) == [("/Description", "the api", "changed", "NOT_EQUAL")]
    assert _differences(found["Pool"]) == [("/Policies/PasswordPolicy/MinimumLength", "10", "12", "NOT_EQUAL")]
    assert _differences(found["Client"]) == [("/AccessTokenValidity", "2", "5", "NOT_EQUAL")]
    assert _differences(found["Set"]) == [("/SendingOptions/SendingEnabled", "true", "false", "NOT_EQUAL")]
    assert _differences(found["Mail"]) == [("/Template/SubjectPart", "Hi", "Bye", "NOT_EQUAL")]
    assert _differences(found["Vpc"]) == [("/EnableDnsHostnames", "true", "false", "NOT_EQUAL")]
    assert _differences(found["Group"]) == [("/Tags/0/Value", "a", "b", "NOT_EQUAL")]


def test_resources_deleted_with_boto3_are_deleted(cfn, aws, client, ids):
    client("apigatewayv2").delete_api(ApiId=ids["Http"])
    client("cognito-idp").delete_user_pool_client(UserPoolId=ids["Pool"], ClientId=ids["Client"])
    client("sesv2").delete_email_template(TemplateName="drift-mail")
    detect(cfn, aws, "drift-new")
    found = drifts(cfn, "drift-new", StackResourceDriftStatusFilters=["DELETED"])
    assert set(found) == {"Http", "Client", "Mail"}


def test_an_existing_vpc_and_configuration_set_are_imported(cfn, client, aws):
    vpc = client("ec2").create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    client("sesv2").create_configuration_set(ConfigurationSetName="legacy-set")
    template = {"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "DeletionPolicy": "Retain", "Properties": {"CidrBlock": "10.2.0.0/16"}},
        "Set": {"Type": "AWS::SES::ConfigurationSet", "DeletionPolicy": "Retain", "Properties": {"Name": "legacy-set"}}}}
    summaries = cfn.get_template_summary(TemplateBody=json.dumps(template))["ResourceIdentifierSummaries"]
    assert {s["ResourceType"]: s["ResourceIdentifiers"] for s in summaries} == {
        "AWS::EC2::VPC": ["VpcId"], "AWS::SES::ConfigurationSet": ["Name"]}
    created = cfn.create_change_set(
        StackName="adopted-net", ChangeSetName="adopt", ChangeSetType="IMPORT", TemplateBody=json.dumps(template),
        ResourcesToImport=[
            {"ResourceType": "AWS::EC2::VPC", "LogicalResourceId": "Vpc", "ResourceIdentifier": {"VpcId": vpc}},
            {"ResourceType": "AWS::SES::ConfigurationSet", "LogicalResourceId": "Set",
             "ResourceIdentifier": {"Name": "legacy-set"}}])
    aws.settle()
    assert cfn.describe_change_set(ChangeSetName=created["Id"])["Status"] == "CREATE_COMPLETE"
    cfn.execute_change_set(ChangeSetName=created["Id"])
    aws.settle()
    assert cfn.describe_stacks(StackName="adopted-net")["Stacks"][0]["StackStatus"] == "IMPORT_COMPLETE"
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cfn.describe_stack_resources(StackName="adopted-net")["StackResources"]}
    assert physical == {"Vpc": vpc, "Set": "legacy-set"}
