"""Cognito providers: a user pool with its client, domain, groups, users and resource server;
identity pools with their roles; all through stacks."""

from __future__ import annotations

import json
from typing import Any

import requests

from tests.conftest import REGION

from .conftest import events, outputs

POOL = {
    "Resources": {
        "Pool": {"Type": "AWS::Cognito::UserPool",
                 "Properties": {"UserPoolName": "people", "AutoVerifiedAttributes": ["email"],
                                "UsernameAttributes": ["email"],
                                "Policies": {"PasswordPolicy": {"MinimumLength": "10", "RequireSymbols": "false"}},
                                "Schema": [{"Name": "team", "AttributeDataType": "String", "Mutable": True}],
                                "UserPoolTags": {"team": "id"}}},
        "Client": {"Type": "AWS::Cognito::UserPoolClient",
                   "Properties": {"UserPoolId": {"Ref": "Pool"}, "ClientName": "web", "GenerateSecret": True,
                                  "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                                  "AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "hours"}}},
        "Domain": {"Type": "AWS::Cognito::UserPoolDomain",
                   "Properties": {"UserPoolId": {"Ref": "Pool"}, "Domain": "people-login"}},
        "Admins": {"Type": "AWS::Cognito::UserPoolGroup",
                   "Properties": {"UserPoolId": {"Ref": "Pool"}, "GroupName": "admins", "Precedence": 1,
                                  "Description": "the admins"}},
        "Ann": {"Type": "AWS::Cognito::UserPoolUser",
                "Properties": {"UserPoolId": {"Ref": "Pool"}, "Username": "ann@example.com", "MessageAction": "SUPPRESS",
                               "UserAttributes": [{"Name": "email", "Value": "ann@example.com"}]}},
        "AnnIsAdmin": {"Type": "AWS::Cognito::UserPoolUserToGroupAttachment",
                       "Properties": {"UserPoolId": {"Ref": "Pool"}, "Username": {"Ref": "Ann"},
                                      "GroupName": {"Ref": "Admins"}}},
        "Orders": {"Type": "AWS::Cognito::UserPoolResourceServer",
                   "Properties": {"UserPoolId": {"Ref": "Pool"}, "Identifier": "orders", "Name": "Orders",
                                  "Scopes": [{"ScopeName": "read", "ScopeDescription": "read orders"}]}},
    },
    "Outputs": {
        "Pool": {"Value": {"Ref": "Pool"}}, "Arn": {"Value": {"Fn::GetAtt": ["Pool", "Arn"]}},
        "ProviderName": {"Value": {"Fn::GetAtt": ["Pool", "ProviderName"]}},
        "ProviderURL": {"Value": {"Fn::GetAtt": ["Pool", "ProviderURL"]}},
        "Client": {"Value": {"Ref": "Client"}}, "Secret": {"Value": {"Fn::GetAtt": ["Client", "ClientSecret"]}},
        "ClientName": {"Value": {"Fn::GetAtt": ["Client", "Name"]}},
        "Domain": {"Value": {"Ref": "Domain"}}, "Group": {"Value": {"Ref": "Admins"}}, "User": {"Value": {"Ref": "Ann"}},
        "Server": {"Value": {"Ref": "Orders"}},
    },
}


def _changed(**changes: Any) -> dict[str, Any]:
    template = json.loads(json.dumps(POOL))
    for path, value in changes.items():
        logical, key = path.split("__")
        template["Resources"][logical]["Properties"][key] = value
    return template


def test_a_user_pool_and_its_parts_deploy(cfn, deploy, client, aws):
    stack = deploy("pool", POOL)
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "pool")
    out, idp = outputs(stack), client("cognito-idp")
    pool = idp.describe_user_pool(UserPoolId=out["Pool"])["UserPool"]
    assert (pool["Name"], pool["Arn"], pool["UserPoolTags"]) == ("people", out["Arn"], {"team": "id"})
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert any(a["Name"] == "custom:team" for a in pool["SchemaAttributes"])
    assert out["ProviderName"] == f"cognito-idp.{REGION}.amazonaws.com/{out['Pool']}"
    assert out["ProviderURL"] == f"https://{out['ProviderName']}"
    app = idp.describe_user_pool_client(UserPoolId=out["Pool"], ClientId=out["Client"])["UserPoolClient"]
    assert (app["ClientName"], app["ClientSecret"], app["AccessTokenValidity"]) == ("web", out["Secret"], 2)
    assert out["ClientName"] == "web"
    assert idp.describe_user_pool_domain(Domain="people-login")["DomainDescription"]["UserPoolId"] == out["Pool"]
    assert [g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=out["Pool"],
                                                                   Username="ann@example.com")["Groups"]] == ["admins"]
    assert out["User"] == "ann@example.com" and out["Group"] == "admins" and out["Server"] == "orders"
    server = idp.describe_resource_server(UserPoolId=out["Pool"], Identifier="orders")["ResourceServer"]
    assert server["Scopes"] == [{"ScopeName": "read", "ScopeDescription": "read orders"}]

    cfn.delete_stack(StackName="pool")
    aws.settle()
    assert idp.list_user_pools(MaxResults=10)["UserPools"] == []


def test_user_pool_parts_update_in_place_or_replace_as_their_schemas_say(cfn, deploy, update, client):
    out = outputs(deploy("pool-up", POOL))
    idp = client("cognito-idp")
    schema = [*POOL["Resources"]["Pool"]["Properties"]["Schema"],
              {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "1"}}]
    stack = update("pool-up", _changed(Pool__UserPoolTags={"team": "platform"}, Pool__Schema=schema,
                                       Pool__MfaConfiguration="OPTIONAL", Pool__EnabledMfas=["SOFTWARE_TOKEN_MFA"],
                                       Client__AccessTokenValidity=5, Admins__Precedence=3, Orders__Name="All orders"))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "pool-up")
    assert outputs(stack)["Pool"] == out["Pool"] and outputs(stack)["Client"] == out["Client"]
    pool = idp.describe_user_pool(UserPoolId=out["Pool"])["UserPool"]
    assert pool["UserPoolTags"] == {"team": "platform"}
    assert {"custom:team", "custom:level"} <= {a["Name"] for a in pool["SchemaAttributes"]}  # added in place
    mfa = idp.get_user_pool_mfa_config(UserPoolId=out["Pool"])
    assert (mfa["MfaConfiguration"], mfa["SoftwareTokenMfaConfiguration"]) == ("OPTIONAL", {"Enabled": True})
    assert idp.describe_user_pool_client(UserPoolId=out["Pool"], ClientId=out["Client"])[
        "UserPoolClient"]["AccessTokenValidity"] == 5
    assert idp.get_group(UserPoolId=out["Pool"], GroupName="admins")["Group"]["Precedence"] == 3
    assert idp.describe_resource_server(UserPoolId=out["Pool"], Identifier="orders")["ResourceServer"]["Name"] == \
        "All orders"
    stack = update("pool-up", _changed(Ann__Username="bob@example.com",
                                       Ann__UserAttributes=[{"Name": "email", "Value": "bob@example.com"}]))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "pool-up")
    emails = [{a["Name"]: a["Value"] for a in u["Attributes"]}["email"] for u in idp.list_users(UserPoolId=out["Pool"])["Users"]]
    assert emails == ["bob@example.com"]  # a changed user is a new user; the old one is deleted
    assert outputs(stack)["User"] == "bob@example.com"


def test_unnamed_pool_parts_get_generated_names(deploy, client):
    stack = deploy("unnamed", {"Resources": {
        "Pool": {"Type": "AWS::Cognito::UserPool"},
        "Client": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": {"Ref": "Pool"}}}},
        "Outputs": {"Name": {"Value": {"Fn::GetAtt": ["Client", "Name"]}}, "Pool": {"Value": {"Ref": "Pool"}}}})
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    pool = client("cognito-idp").describe_user_pool(UserPoolId=outputs(stack)["Pool"])["UserPool"]
    assert pool["Name"].startswith("unnamed-Pool-") and outputs(stack)["Name"].startswith("unnamed-Client-")


IDENTITY = {
    "Resources": {
        "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": "p"}},
        "Client": {"Type": "AWS::Cognito::UserPoolClient", "Properties": {"UserPoolId": {"Ref": "Pool"}}},
        "Identities": {"Type": "AWS::Cognito::IdentityPool",
                       "Properties": {"AllowUnauthenticatedIdentities": True,
                                      "CognitoIdentityProviders": [{"ClientId": {"Ref": "Client"},
                                                                    "ProviderName": {"Fn::GetAtt": ["Pool", "ProviderName"]}}],
                                      "IdentityPoolTags": [{"Key": "team", "Value": "id"}]}},
        "Roles": {"Type": "AWS::Cognito::IdentityPoolRoleAttachment",
                  "Properties": {"IdentityPoolId": {"Ref": "Identities"},
                                 "Roles": {"authenticated": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/auth"},
                                           "unauthenticated": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/guest"}},
                                 "RoleMappings": {"users": {
                                     "IdentityProvider": {"Fn::Sub": "${Pool.ProviderName}:${Client}"},
                                     "Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}}}},
    },
    "Outputs": {"Id": {"Value": {"Ref": "Identities"}}, "Name": {"Value": {"Fn::GetAtt": ["Identities", "Name"]}},
                "Attachment": {"Value": {"Ref": "Roles"}}, "Provider": {"Value": {"Fn::GetAtt": ["Pool", "ProviderName"]}},
                "Client": {"Value": {"Ref": "Client"}}},
}


def test_an_identity_pool_with_its_roles(cfn, deploy, update, client, aws):
    stack = deploy("ids", IDENTITY)
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "ids")
    out, identity = outputs(stack), client("cognito-identity")
    pool = identity.describe_identity_pool(IdentityPoolId=out["Id"])
    assert pool["IdentityPoolName"] == out["Name"] and pool["AllowUnauthenticatedIdentities"] is True
    assert pool["IdentityPoolTags"] == {"team": "id"}
    assert pool["CognitoIdentityProviders"][0]["ClientId"] == out["Client"]
    roles = identity.get_identity_pool_roles(IdentityPoolId=out["Id"])
    assert roles["Roles"]["authenticated"].endswith(":role/auth")
    assert roles["RoleMappings"][f"{out['Provider']}:{out['Client']}"]["Type"] == "Token"
    assert out["Attachment"] == out["Id"]

    changed = json.loads(json.dumps(IDENTITY))
    changed["Resources"]["Identities"]["Properties"]["AllowUnauthenticatedIdentities"] = False
    del changed["Resources"]["Roles"]["Properties"]["Roles"]["unauthenticated"]
    stack = update("ids", changed)
    assert stack["StackStatus"] == "UPDATE_COMPLETE", events(cfn, "ids")
    assert identity.describe_identity_pool(IdentityPoolId=out["Id"])["AllowUnauthenticatedIdentities"] is False
    assert set(identity.get_identity_pool_roles(IdentityPoolId=out["Id"])["Roles"]) == {"authenticated"}

    cfn.delete_stack(StackName="ids")
    aws.settle()
    assert identity.list_identity_pools(MaxResults=10)["IdentityPools"] == []


GUARDED_API = {
    "Resources": {
        "Pool": {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolName": "guard"}},
        "Client": {"Type": "AWS::Cognito::UserPoolClient",
                   "Properties": {"UserPoolId": {"Ref": "Pool"}, "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH",
                                                                                    "ALLOW_REFRESH_TOKEN_AUTH"]}},
        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "guarded"}},
        "Auth": {"Type": "AWS::ApiGateway::Authorizer",
                 "Properties": {"RestApiId": {"Ref": "Api"}, "Name": "cognito", "Type": "COGNITO_USER_POOLS",
                                "IdentitySource": "method.request.header.Authorization",
                                "ProviderARNs": [{"Fn::GetAtt": ["Pool", "Arn"]}]}},
        "Get": {"Type": "AWS::ApiGateway::Method",
                "Properties": {"RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
                               "HttpMethod": "GET", "AuthorizationType": "COGNITO_USER_POOLS",
                               "AuthorizerId": {"Ref": "Auth"}, "MethodResponses": [{"StatusCode": "200"}],
                               "Integration": {"Type": "MOCK",
                                               "RequestTemplates": {"application/json": '{"statusCode": 200}'},
                                               "IntegrationResponses": [{"StatusCode": "200", "ResponseTemplates": {
                                                   "application/json":
                                                       '{"user": "$context.authorizer.claims[\'cognito:username\']"}'}}]}}},
        "Deployment": {"Type": "AWS::ApiGateway::Deployment", "DependsOn": "Get",
                       "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "prod"}},
    },
    "Outputs": {"Pool": {"Value": {"Ref": "Pool"}}, "Client": {"Value": {"Ref": "Client"}},
                "Api": {"Value": {"Ref": "Api"}}},
}


def test_a_stacks_user_pool_guards_the_stacks_api(cfn, deploy, client, aws):
    stack = deploy("guarded", GUARDED_API)
    assert stack["StackStatus"] == "CREATE_COMPLETE", events(cfn, "guarded")
    out, idp = outputs(stack), client("cognito-idp")
    idp.admin_create_user(UserPoolId=out["Pool"], Username="ann", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=out["Pool"], Username="ann", Password="Sup3r-secret!", Permanent=True)
    tokens = idp.initiate_auth(ClientId=out["Client"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "ann", "PASSWORD": "Sup3r-secret!"})["AuthenticationResult"]
    url = f"{aws.endpoint}/_aws/execute-api/{out['Api']}/prod/"
    assert requests.get(url, timeout=10).status_code == 401
    answer = requests.get(url, headers={"Authorization": tokens["IdToken"]}, timeout=10)
    assert (answer.status_code, answer.json()) == (200, {"user": "ann"})
