"""The adapters of IAM, API Gateway (v1 and v2), CloudFormation stacks and Cognito identity
pools: a resource made through its service is tagged, found and untagged through the Tagging API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.services.iam.pki import certificate
from tests.services.iam.saml_documents import metadata
from tests.services.resourcegroupstaggingapi.roundtrip import tag_find_untag

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"Service": "lambda.amazonaws.com"}}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})


def _role(c: Callable[..., Any]) -> str:
    return c("iam").create_role(RoleName="app", Path="/svc/", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]


def _user(c: Callable[..., Any]) -> str:
    return c("iam").create_user(UserName="ann")["User"]["Arn"]


def _policy(c: Callable[..., Any]) -> str:
    return c("iam").create_policy(PolicyName="p", PolicyDocument=POLICY)["Policy"]["Arn"]


def _instance_profile(c: Callable[..., Any]) -> str:
    return c("iam").create_instance_profile(InstanceProfileName="ip")["InstanceProfile"]["Arn"]


def _oidc(c: Callable[..., Any]) -> str:
    return c("iam").create_open_id_connect_provider(Url="https://issuer.example.com", ClientIDList=["sts"],
                                                    ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]


def _saml(c: Callable[..., Any]) -> str:
    return c("iam").create_saml_provider(Name="idp", SAMLMetadataDocument=metadata())["SAMLProviderArn"]


def _server_certificate(c: Callable[..., Any]) -> str:
    body, key = certificate()
    return c("iam").upload_server_certificate(ServerCertificateName="web", CertificateBody=body,
                                              PrivateKey=key)["ServerCertificateMetadata"]["Arn"]


def _mfa(c: Callable[..., Any]) -> str:
    return c("iam").create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]["SerialNumber"]


def _rest_api(c: Callable[..., Any]) -> str:
    return f"arn:aws:apigateway:{c('apigateway').meta.region_name}::/restapis/" + \
        c("apigateway").create_rest_api(name="r")["id"]


def _rest_stage(c: Callable[..., Any]) -> str:
    apigw = c("apigateway")
    api = apigw.create_rest_api(name="r")
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, type="MOCK")
    apigw.create_deployment(restApiId=api["id"], stageName="live")
    return f"arn:aws:apigateway:{apigw.meta.region_name}::/restapis/{api['id']}/stages/live"


def _api_key(c: Callable[..., Any]) -> str:
    return f"arn:aws:apigateway:{c('apigateway').meta.region_name}::/apikeys/" + \
        c("apigateway").create_api_key(name="k")["id"]


def _usage_plan(c: Callable[..., Any]) -> str:
    return f"arn:aws:apigateway:{c('apigateway').meta.region_name}::/usageplans/" + \
        c("apigateway").create_usage_plan(name="u")["id"]


def _client_certificate(c: Callable[..., Any]) -> str:
    return f"arn:aws:apigateway:{c('apigateway').meta.region_name}::/clientcertificates/" + \
        c("apigateway").generate_client_certificate()["clientCertificateId"]


def _vpc_links(c: Callable[..., Any]) -> str:
    """A VPC link of each API (the two share the ARN form); the v2 one is tagged."""
    c("apigateway").create_vpc_link(name="v1", targetArns=["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/n/1"])
    link = c("apigatewayv2").create_vpc_link(Name="v2", SubnetIds=["subnet-1"])["VpcLinkId"]
    return f"arn:aws:apigateway:{c('apigatewayv2').meta.region_name}::/vpclinks/{link}"


def _http_api(c: Callable[..., Any]) -> str:
    return f"arn:aws:apigateway:{c('apigatewayv2').meta.region_name}::/apis/" + \
        c("apigatewayv2").create_api(Name="h", ProtocolType="HTTP")["ApiId"]


def _http_stage(c: Callable[..., Any]) -> str:
    v2 = c("apigatewayv2")
    api = v2.create_api(Name="h", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=api, StageName="beta")
    return f"arn:aws:apigateway:{v2.meta.region_name}::/apis/{api}/stages/beta"


def _identity_pool(c: Callable[..., Any]) -> str:
    identity = c("cognito-identity")
    pool = identity.create_identity_pool(IdentityPoolName="ids", AllowUnauthenticatedIdentities=True)
    account = c("sts").get_caller_identity()["Account"]
    return f"arn:aws:cognito-identity:{identity.meta.region_name}:{account}:identitypool/{pool['IdentityPoolId']}"


MAKERS = {"iam:role": _role, "iam:user": _user, "iam:policy": _policy, "iam:instance-profile": _instance_profile,
          "iam:oidc-provider": _oidc, "iam:saml-provider": _saml, "iam:server-certificate": _server_certificate,
          "iam:mfa": _mfa, "apigateway:restapis": _rest_api, "apigateway:restapis/stages": _rest_stage,
          "apigateway:apikeys": _api_key, "apigateway:usageplans": _usage_plan, "apigateway:apis": _http_api,
          "apigateway:apis/stages": _http_stage, "apigateway:clientcertificates": _client_certificate,
          "apigateway:vpclinks": _vpc_links, "cognito-identity:identitypool": _identity_pool}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_tag_find_and_untag_through_the_owning_service(kind: str, tagging: Any, client: Any) -> None:
    tag_find_untag(tagging, MAKERS[kind](client), kind)


def test_iam_tags_are_iams_own_and_iam_is_listed_in_every_region(tagging: Any, client: Any) -> None:
    iam = client("iam")
    iam.create_role(RoleName="tagged", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "team", "Value": "a"}])
    arn = iam.get_role(RoleName="tagged")["Role"]["Arn"]
    tagging.tag_resources(ResourceARNList=[arn], Tags={"env": "prod"})
    assert {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName="tagged")["Tags"]} == {"team": "a", "env": "prod"}
    elsewhere = client("resourcegroupstaggingapi", region_name="eu-west-1")
    assert [m["ResourceARN"] for m in elsewhere.get_resources(TagFilters=[{"Key": "team"}])["ResourceTagMappingList"]] \
        == [arn]


def test_domain_names_of_either_api_gateway_are_tagged_through_the_one_that_holds_them(tagging: Any, client: Any):
    region = client("apigateway").meta.region_name
    certificate_arn = f"arn:aws:acm:{region}:123456789012:certificate/x"
    client("apigateway").create_domain_name(domainName="v1.example.com", regionalCertificateArn=certificate_arn,
                                            endpointConfiguration={"types": ["REGIONAL"]})
    client("apigatewayv2").create_domain_name(DomainName="v2.example.com", DomainNameConfigurations=[
        {"CertificateArn": certificate_arn, "EndpointType": "REGIONAL"}])
    v1, v2 = (f"arn:aws:apigateway:{region}::/domainnames/{name}" for name in ("v1.example.com", "v2.example.com"))
    assert tagging.tag_resources(ResourceARNList=[v1, v2], Tags={"d": "1"})["FailedResourcesMap"] == {}
    assert client("apigateway").get_tags(resourceArn=v1)["tags"] == {"d": "1"}
    assert client("apigatewayv2").get_tags(ResourceArn=v2)["Tags"] == {"d": "1"}
    found = tagging.get_resources(ResourceTypeFilters=["apigateway:domainnames"])["ResourceTagMappingList"]
    assert sorted(m["ResourceARN"] for m in found) == [v1, v2]


def test_an_api_gateway_arn_of_nothing_is_not_tagged(tagging: Any, client: Any) -> None:
    client("apigateway").get_rest_apis()
    missing = f"arn:aws:apigateway:{client('apigateway').meta.region_name}::/restapis/nope"
    failed = tagging.tag_resources(ResourceARNList=[missing], Tags={"a": "b"})["FailedResourcesMap"]
    assert failed[missing]["ErrorCode"] == "InvalidParameterException"
    assert client("apigateway").get_tags(resourceArn=missing)["tags"] == {}


def test_a_stack_is_tagged_by_updating_it_with_its_previous_template_and_values(tagging: Any, client: Any, aws: Any) -> None:
    cfn = client("cloudformation")
    template = {"Parameters": {"Size": {"Type": "Number", "Default": 5}},
                "Resources": {"Jobs": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": {"Ref": "Size"}}}}}
    stack_id = cfn.create_stack(StackName="tagged", TemplateBody=json.dumps(template), Parameters=[
        {"ParameterKey": "Size", "ParameterValue": "3"}], Tags=[{"Key": "team", "Value": "a"}])["StackId"]
    aws.settle()
    assert tagging.tag_resources(ResourceARNList=[stack_id], Tags={"env": "qa"})["FailedResourcesMap"] == {}
    aws.settle()
    [stack] = cfn.describe_stacks(StackName="tagged")["Stacks"]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert {t["Key"]: t["Value"] for t in stack["Tags"]} == {"team": "a", "env": "qa"}
    assert stack["Parameters"] == [{"ParameterKey": "Size", "ParameterValue": "3"}]
    found = tagging.get_resources(ResourceTypeFilters=["cloudformation:stack"])["ResourceTagMappingList"]
    assert [m["ResourceARN"] for m in found] == [stack_id]
    tagging.untag_resources(ResourceARNList=[stack_id], TagKeys=["team"])
    aws.settle()
    assert cfn.describe_stacks(StackName="tagged")["Stacks"][0]["Tags"] == [{"Key": "env", "Value": "qa"}]

