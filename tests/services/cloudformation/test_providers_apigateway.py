"""API Gateway providers: REST APIs built resource by resource or imported, HTTP APIs, through stacks."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import yaml

from .conftest import events, outputs

MOCK_API = {
    "Resources": {
        "Api": {"Type": "AWS::ApiGateway::RestApi",
                "Properties": {"Name": "pets", "BinaryMediaTypes": ["image/png"], "Tags": [{"Key": "team", "Value": "a"}]}},
        "Pets": {"Type": "AWS::ApiGateway::Resource",
                 "Properties": {"RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
                                "PathPart": "pets"}},
        "PetModel": {"Type": "AWS::ApiGateway::Model",
                     "Properties": {"RestApiId": {"Ref": "Api"}, "ContentType": "application/json",
                                    "Schema": {"type": "object", "required": ["name"]}}},
        "Validator": {"Type": "AWS::ApiGateway::RequestValidator",
                      "Properties": {"RestApiId": {"Ref": "Api"}, "ValidateRequestBody": "true"}},
        "GetPets": {"Type": "AWS::ApiGateway::Method",
                    "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Pets"}, "HttpMethod": "GET",
                                   "AuthorizationType": "NONE", "ApiKeyRequired": False,
                                   "MethodResponses": [{"StatusCode": 200}],
                                   "Integration": {"Type": "MOCK",
                                                   "RequestTemplates": {"application/json": '{"statusCode": 200}'},
                                                   "IntegrationResponses": [{"StatusCode": 200, "ResponseTemplates": {
                                                       "application/json": '{"pets": "$context.stage"}'}}]}}},
        "PostPets": {"Type": "AWS::ApiGateway::Method",
                     "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Pets"}, "HttpMethod": "POST",
                                    "AuthorizationType": "NONE", "RequestValidatorId": {"Ref": "Validator"},
                                    "RequestModels": {"application/json": {"Ref": "PetModel"}},
                                    "MethodResponses": [{"StatusCode": "201"}],
                                    "Integration": {"Type": "MOCK",
                                                    "RequestTemplates": {"application/json": '{"statusCode": 201}'},
                                                    "IntegrationResponses": [{"StatusCode": "201"}]}}},
        "Deployment": {"Type": "AWS::ApiGateway::Deployment", "DependsOn": ["GetPets", "PostPets"],
                       "Properties": {"RestApiId": {"Ref": "Api"}, "Description": "first"}},
        "Stage": {"Type": "AWS::ApiGateway::Stage",
                  "Properties": {"RestApiId": {"Ref": "Api"}, "DeploymentId": {"Ref": "Deployment"}, "StageName": "live",
                                 "Variables": {"Color": "blue"},
                                 "MethodSettings": [{"ResourcePath": "/*", "HttpMethod": "*",
                                                     "ThrottlingBurstLimit": 7, "ThrottlingRateLimit": 3}]}},
        "Missing": {"Type": "AWS::ApiGateway::GatewayResponse",
                    "Properties": {"RestApiId": {"Ref": "Api"}, "ResponseType": "MISSING_AUTHENTICATION_TOKEN",
                                   "StatusCode": "404",
                                   "ResponseTemplates": {"application/json": '{"oops": $context.error.messageString}'}}},
        "Key": {"Type": "AWS::ApiGateway::ApiKey", "Properties": {"Enabled": True, "Value": "k" * 24}},
        "Plan": {"Type": "AWS::ApiGateway::UsagePlan", "DependsOn": "Stage",
                 "Properties": {"UsagePlanName": "gold", "ApiStages": [{"ApiId": {"Ref": "Api"}, "Stage": "live"}],
                                "Throttle": {"BurstLimit": 10, "RateLimit": "5"},
                                "Quota": {"Limit": 1000, "Period": "DAY"}}},
        "PlanKey": {"Type": "AWS::ApiGateway::UsagePlanKey",
                    "Properties": {"KeyId": {"Ref": "Key"}, "KeyType": "API_KEY", "UsagePlanId": {"Ref": "Plan"}}},
        "Domain": {"Type": "AWS::ApiGateway::DomainName",
                   "Properties": {"DomainName": "api.example.com", "RegionalCertificateArn":
                                  {"Fn::Sub": "arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/abc"},
                                  "EndpointConfiguration": {"Types": ["REGIONAL"]}}},
        "Mapping": {"Type": "AWS::ApiGateway::BasePathMapping", "DependsOn": "Stage",
                    "Properties": {"DomainName": {"Ref": "Domain"}, "RestApiId": {"Ref": "Api"}, "Stage": "live",
                                   "BasePath": "v1"}},
    },
    "Outputs": {
        "ApiId": {"Value": {"Ref": "Api"}}, "Root": {"Value": {"Fn::GetAtt": ["Api", "RootResourceId"]}},
        "Pets": {"Value": {"Fn::GetAtt": ["Pets", "ResourceId"]}}, "Deployment": {"Value": {"Ref": "Deployment"}},
        "Stage": {"Value": {"Ref": "Stage"}}, "Model": {"Value": {"Ref": "PetModel"}},
        "Validator": {"Value": {"Fn::GetAtt": ["Validator", "RequestValidatorId"]}},
        "Key": {"Value": {"Fn::GetAtt": ["Key", "APIKeyId"]}}, "Plan": {"Value": {"Ref": "Plan"}},
        "PlanKey": {"Value": {"Ref": "PlanKey"}}, "Regional": {"Value": {"Fn::GetAtt": ["Domain", "RegionalDomainName"]}},
        "DomainArn": {"Value": {"Fn::GetAtt": ["Domain", "DomainNameArn"]}},
    },
}


def _template(**changes: Any) -> str:
    template = json.loads(json.dumps(MOCK_API))
    for path, value in changes.items():
        logical, key = path.split("__")
        template["Resources"][logical]["Properties"][key] = value
    return json.dumps(template)


def test_a_rest_api_built_resource_by_resource_answers_and_is_removed(cfn, deploy, client, aws):
    stack = deploy("rest", _template())
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "rest")
    out, apigw = outputs(stack), client("apigateway")
    api = apigw.get_rest_api(restApiId=out["ApiId"])
    assert (api["name"], api["binaryMediaTypes"], api["rootResourceId"]) == ("pets", ["image/png"], out["Root"])
    assert api["tags"] == {"team": "a"}
    assert apigw.get_resource(restApiId=out["ApiId"], resourceId=out["Pets"])["path"] == "/pets"
    assert json.loads(apigw.get_model(restApiId=out["ApiId"], modelName=out["Model"])["schema"])["required"] == ["name"]
    assert apigw.get_request_validator(restApiId=out["ApiId"], requestValidatorId=out["Validator"])["validateRequestBody"]
    stage = apigw.get_stage(restApiId=out["ApiId"], stageName="live")
    assert (stage["deploymentId"], stage["variables"]) == (out["Deployment"], {"Color": "blue"})
    assert stage["methodSettings"]["*/*"]["throttlingBurstLimit"] == 7
    plan = apigw.get_usage_plan(usagePlanId=out["Plan"])
    assert (plan["name"], plan["throttle"], plan["quota"]["limit"]) == ("gold", {"burstLimit": 10, "rateLimit": 5.0}, 1000)
    assert plan["apiStages"][0]["apiId"] == out["ApiId"]
    assert out["PlanKey"] == f"{out['Key']}:{out['Plan']}"
    assert [k["id"] for k in apigw.get_usage_plan_keys(usagePlanId=out["Plan"])["items"]] == [out["Key"]]
    assert out["Regional"] and out["DomainArn"].endswith("/domainnames/api.example.com")
    assert apigw.get_base_path_mapping(domainName="api.example.com", basePath="v1")["restApiId"] == out["ApiId"]

    base = f"{aws.endpoint}/_aws/execute-api/{out['ApiId']}/live"
    assert requests.get(f"{base}/pets", timeout=10).json() == {"pets": "live"}
    assert requests.post(f"{base}/pets", json={"name": "rex"}, timeout=10).status_code == 201
    assert requests.post(f"{base}/pets", json={"age": 3}, timeout=10).status_code == 400  # the model, validated
    missing = requests.get(f"{base}/nothing-here", timeout=10)
    assert missing.status_code == 404 and "oops" in missing.json()  # the stack's gateway response

    cfn.delete_stack(StackName="rest")
    aws.settle()
    assert [a["id"] for a in apigw.get_rest_apis()["items"]] == []
    assert apigw.get_api_keys()["items"] == [] and apigw.get_usage_plans()["items"] == []
    assert apigw.get_domain_names()["items"] == []


def test_rest_api_updates_in_place(cfn, deploy, update, client):
    stack = deploy("rest-up", _template(Api__Description="first", Api__MinimumCompressionSize=1024))
    out, apigw = outputs(stack), client("apigateway")
    changed = update("rest-up", _template(Api__Name="pets2", Api__BinaryMediaTypes=["image/gif"],
                                          Stage__Variables={"Color": "red", "Size": "L"},
                                          Plan__Throttle={"BurstLimit": 20, "RateLimit": 5},
                                          Validator__ValidateRequestBody=False))
    assert changed["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "rest-up")
    assert outputs(changed)["ApiId"] == out["ApiId"]
    api = apigw.get_rest_api(restApiId=out["ApiId"])
    assert (api["name"], api["binaryMediaTypes"]) == ("pets2", ["image/gif"])
    assert "description" not in api and "minimumCompressionSize" not in api  # dropped from the template
    assert apigw.get_stage(restApiId=out["ApiId"], stageName="live")["variables"] == {"Color": "red", "Size": "L"}
    assert apigw.get_usage_plan(usagePlanId=out["Plan"])["throttle"]["burstLimit"] == 20
    validator = apigw.get_request_validator(restApiId=out["ApiId"], requestValidatorId=out["Validator"])
    assert validator["validateRequestBody"] is False


OPENAPI = {
    "openapi": "3.0.1", "info": {"title": "imported", "version": "1"},
    "paths": {"/ping": {"get": {
        "responses": {"200": {"description": "ok"}},
        "x-amazon-apigateway-integration": {"type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                                            "responses": {"default": {"statusCode": "200", "responseTemplates": {
                                                "application/json": '{"pong": true}'}}}}}}},
}


@pytest.mark.parametrize("source", ["Body", "BodyS3Location"])
def test_rest_api_imports_its_openapi_body(source, cfn, deploy, client, aws):
    properties: dict[str, Any] = {"Body": OPENAPI}
    if source == "BodyS3Location":
        s3 = client("s3")
        s3.create_bucket(Bucket="defs")
        s3.put_object(Bucket="defs", Key="api.yaml", Body=yaml.safe_dump(OPENAPI).encode())
        properties = {"BodyS3Location": {"Bucket": "defs", "Key": "api.yaml"}}
    template = {"Resources": {
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": properties},
        "Deployment": {"Type": "AWS::ApiGateway::Deployment",
                       "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "v1",
                                      "StageDescription": {"Variables": {"x": "1"}}}}},
        "Outputs": {"ApiId": {"Value": {"Ref": "Api"}}}}
    stack = deploy(f"imported-{source.lower()}", template)
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, stack["StackName"])
    api_id = outputs(stack)["ApiId"]
    assert client("apigateway").get_rest_api(restApiId=api_id)["name"] == "imported"
    assert client("apigateway").get_stage(restApiId=api_id, stageName="v1")["variables"] == {"x": "1"}
    answer = requests.get(f"{aws.endpoint}/_aws/execute-api/{api_id}/v1/ping", timeout=10)
    assert answer.json() == {"pong": True}


def test_a_bad_method_fails_the_stack_with_the_services_error(cfn, deploy, client):
    template = json.loads(_template())
    template["Resources"]["GetPets"]["Properties"]["Integration"]["Type"] = "HTTP"  # an HTTP integration needs a URI
    stack = deploy("rest-bad", json.dumps(template))
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    [reason] = [r for logical, status, r in events(cfn, "rest-bad") if logical == "GetPets" and status == "CREATE_FAILED"]
    assert reason
    assert client("apigateway").get_rest_apis()["items"] == []


def test_account_sets_the_cloudwatch_role(deploy, client):
    role = "arn:aws:iam::123456789012:role/apigw-logs"
    stack = deploy("account", {"Resources": {"Account": {"Type": "AWS::ApiGateway::Account",
                                                         "Properties": {"CloudWatchRoleArn": role}}},
                               "Outputs": {"Id": {"Value": {"Fn::GetAtt": ["Account", "Id"]}}}})
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert client("apigateway").get_account()["cloudwatchRoleArn"] == role
    assert outputs(stack)["Id"].startswith("account-Account-")


HTTP_API = {
    "Resources": {
        "Api": {"Type": "AWS::ApiGatewayV2::Api",
                "Properties": {"Name": "web", "ProtocolType": "HTTP", "Tags": {"team": "b"}}},
        "Backend": {"Type": "AWS::ApiGatewayV2::Integration",
                    "Properties": {"ApiId": {"Ref": "Api"}, "IntegrationType": "HTTP_PROXY", "IntegrationMethod": "GET",
                                   "IntegrationUri": "http://127.0.0.1:9/never", "PayloadFormatVersion": "1.0"}},
        "Auth": {"Type": "AWS::ApiGatewayV2::Authorizer",
                 "Properties": {"ApiId": {"Ref": "Api"}, "Name": "jwt", "AuthorizerType": "JWT",
                                "IdentitySource": ["$request.header.Authorization"],
                                "JwtConfiguration": {"Issuer": "https://issuer.example", "Audience": ["me"]}}},
        "Route": {"Type": "AWS::ApiGatewayV2::Route",
                  "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "GET /items", "AuthorizationType": "JWT",
                                 "AuthorizerId": {"Ref": "Auth"},
                                 "Target": {"Fn::Sub": "integrations/${Backend}"}}},
        "Model": {"Type": "AWS::ApiGatewayV2::Model",
                  "Properties": {"ApiId": {"Ref": "Api"}, "Name": "Item", "ContentType": "application/json",
                                 "Schema": {"type": "object"}}},
        "Deployment": {"Type": "AWS::ApiGatewayV2::Deployment", "DependsOn": "Route",
                       "Properties": {"ApiId": {"Ref": "Api"}}},
        "Stage": {"Type": "AWS::ApiGatewayV2::Stage",
                  "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "prod", "DeploymentId": {"Ref": "Deployment"},
                                 "StageVariables": {"v": "1"}}},
        "Domain": {"Type": "AWS::ApiGatewayV2::DomainName",
                   "Properties": {"DomainName": "web.example.com", "DomainNameConfigurations": [
                       {"CertificateArn": {"Fn::Sub": "arn:aws:acm:${AWS::Region}:${AWS::AccountId}:certificate/x"},
                        "EndpointType": "REGIONAL"}]}},
        "Mapping": {"Type": "AWS::ApiGatewayV2::ApiMapping", "DependsOn": "Stage",
                    "Properties": {"DomainName": {"Ref": "Domain"}, "ApiId": {"Ref": "Api"}, "Stage": "prod"}},
    },
    "Outputs": {"ApiId": {"Value": {"Fn::GetAtt": ["Api", "ApiId"]}},
                "Endpoint": {"Value": {"Fn::GetAtt": ["Api", "ApiEndpoint"]}},
                "Route": {"Value": {"Fn::GetAtt": ["Route", "RouteId"]}}, "Auth": {"Value": {"Ref": "Auth"}},
                "Model": {"Value": {"Fn::GetAtt": ["Model", "ModelId"]}}, "Stage": {"Value": {"Ref": "Stage"}},
                "Mapping": {"Value": {"Ref": "Mapping"}},
                "Regional": {"Value": {"Fn::GetAtt": ["Domain", "RegionalDomainName"]}}},
}


def test_an_http_api_built_resource_by_resource(cfn, deploy, update, client, aws):
    stack = deploy("http", HTTP_API)
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "http")
    out, v2 = outputs(stack), client("apigatewayv2")
    api = v2.get_api(ApiId=out["ApiId"])
    assert (api["Name"], api["Tags"], api["ApiEndpoint"]) == ("web", {"team": "b"}, out["Endpoint"])
    route = v2.get_route(ApiId=out["ApiId"], RouteId=out["Route"])
    assert (route["RouteKey"], route["AuthorizerId"]) == ("GET /items", out["Auth"])
    assert v2.get_model(ApiId=out["ApiId"], ModelId=out["Model"])["Name"] == "Item"
    assert v2.get_stage(ApiId=out["ApiId"], StageName="prod")["StageVariables"] == {"v": "1"}
    assert v2.get_api_mapping(DomainName="web.example.com", ApiMappingId=out["Mapping"])["Stage"] == "prod"
    assert out["Regional"]
    unauthorized = requests.get(f"{out['Endpoint']}/prod/items", timeout=10)
    assert unauthorized.status_code == 401  # the stack's JWT authorizer guards the route

    changed = json.loads(json.dumps(HTTP_API))
    changed["Resources"]["Route"]["Properties"]["RouteKey"] = "GET /things"
    changed["Resources"]["Stage"]["Properties"]["StageVariables"] = {"v": "2"}
    stack = update("http", changed)
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "http")
    assert outputs(stack)["Route"] == out["Route"]
    assert v2.get_route(ApiId=out["ApiId"], RouteId=out["Route"])["RouteKey"] == "GET /things"
    assert v2.get_stage(ApiId=out["ApiId"], StageName="prod")["StageVariables"] == {"v": "2"}

    cfn.delete_stack(StackName="http")
    aws.settle()
    assert v2.get_apis()["Items"] == [] and v2.get_domain_names()["Items"] == []


def test_http_api_quick_create_and_imported_body(cfn, deploy, client, aws):
    body = {"openapi": "3.0.1", "info": {"title": "from-body", "version": "1"},
            "paths": {"/a": {"get": {"x-amazon-apigateway-integration": {
                "type": "http_proxy", "httpMethod": "GET", "uri": "http://127.0.0.1:9/a", "payloadFormatVersion": "1.0"}}}}}
    stack = deploy("http-quick", {"Resources": {
        "Quick": {"Type": "AWS::ApiGatewayV2::Api",
                  "Properties": {"Name": "quick", "ProtocolType": "HTTP", "Target": "http://127.0.0.1:9/q"}},
        "Imported": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": body, "Description": "set beside"}}},
        "Outputs": {"Quick": {"Value": {"Ref": "Quick"}}, "Imported": {"Value": {"Ref": "Imported"}}}})
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "http-quick")
    out, v2 = outputs(stack), client("apigatewayv2")
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=out["Quick"])["Items"]] == ["$default"]
    assert [s["StageName"] for s in v2.get_stages(ApiId=out["Quick"])["Items"]] == ["$default"]
    imported = v2.get_api(ApiId=out["Imported"])
    assert (imported["Name"], imported["Description"]) == ("from-body", "set beside")
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=out["Imported"])["Items"]] == ["GET /a"]


def test_authorizer_provider_arns_change_one_by_one(cfn, deploy, update, client):
    def template(*pools: str) -> dict[str, Any]:
        arns = [{"Fn::Sub": f"arn:aws:cognito-idp:${{AWS::Region}}:${{AWS::AccountId}}:userpool/{p}"} for p in pools]
        return {"Resources": {
            "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "a"}},
            "Auth": {"Type": "AWS::ApiGateway::Authorizer",
                     "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "c", "Type": "COGNITO_USER_POOLS",
                                    "IdentitySource": "method.request.header.Authorization", "ProviderARNs": arns}}},
            "Outputs": {"Api": {"Value": {"Ref": "Api"}}, "Auth": {"Value": {"Fn::GetAtt": ["Auth", "AuthorizerId"]}}}}

    out = outputs(deploy("auth-up", template("us-east-1_a", "us-east-1_b")))
    stack = update("auth-up", template("us-east-1_b", "us-east-1_c"))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "auth-up")
    found = client("apigateway").get_authorizer(restApiId=out["Api"], authorizerId=out["Auth"])
    assert sorted(a.rsplit("/", 1)[1] for a in found["providerARNs"]) == ["us-east-1_b", "us-east-1_c"]
