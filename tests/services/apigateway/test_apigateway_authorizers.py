"""Authorizers on deployed REST APIs: Cognito user pools (RS256 JWTs checked against the issuer's
JWKS) and Lambda authorizers (TOKEN and REQUEST, policy documents and context)."""

from __future__ import annotations

import requests

from .conftest import ACCOUNT, lambda_uri

ECHO = """
import json
def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(event["requestContext"].get("authorizer"))}
"""

TOKEN_AUTHORIZER = """
def handler(event, context):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    token = event.get("authorizationToken") or headers.get("x-token")
    if token == "bad":
        raise Exception("Unauthorized")
    effect = "Deny" if token == "deny" else "Allow"
    return {"principalId": "user-" + token, "context": {"tier": "gold", "n": 3},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}}
"""


def _api_with(apigw, make_function, authorizer: dict, authorization_type: str):
    api = apigw.create_rest_api(name="secured")
    resource = apigw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart="me")
    made = apigw.create_authorizer(restApiId=api["id"], name="auth", **authorizer)
    apigw.put_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="GET",
                     authorizationType=authorization_type, authorizerId=made["id"])
    apigw.put_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=lambda_uri(make_function("echo", ECHO)))
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    return api


def test_cognito_authorizer_401_without_token_200_with_one(apigw, make_function, url, issuer):
    pool_arn = f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{issuer.pool_id}"
    api = _api_with(apigw, make_function, {"type": "COGNITO_USER_POOLS", "providerARNs": [pool_arn],
                                           "identitySource": "method.request.header.Authorization"},
                    "COGNITO_USER_POOLS")
    address = url(api["id"], "prod", "/me")
    missing = requests.get(address, timeout=30)
    assert (missing.status_code, missing.json()) == (401, {"message": "Unauthorized"})
    forged = issuer.token(**{"cognito:username": "bob"})[:-4] + "AAAA"
    assert requests.get(address, headers={"Authorization": forged}, timeout=30).status_code == 401
    expired = issuer.token(exp=1000)
    assert requests.get(address, headers={"Authorization": expired}, timeout=30).status_code == 401
    good = requests.get(address, headers={"Authorization": issuer.token(**{"cognito:username": "bob"})}, timeout=30)
    assert good.status_code == 200
    assert good.json()["claims"]["cognito:username"] == "bob"
    assert good.json()["claims"]["sub"] == "user-1"


def test_cognito_authorizer_refuses_another_pools_token(apigw, make_function, url, issuer):
    other = f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/us-east-1_OtherPool"
    api = _api_with(apigw, make_function, {"type": "COGNITO_USER_POOLS", "providerARNs": [other]},
                    "COGNITO_USER_POOLS")
    answer = requests.get(url(api["id"], "prod", "/me"), headers={"Authorization": issuer.token()}, timeout=30)
    assert answer.status_code == 401


def test_lambda_token_authorizer(apigw, make_function, url):
    auth_arn = make_function("authz", TOKEN_AUTHORIZER)
    api = _api_with(apigw, make_function, {"type": "TOKEN", "authorizerUri": lambda_uri(auth_arn),
                                           "identitySource": "method.request.header.Authorization",
                                           "authorizerResultTtlInSeconds": 0}, "CUSTOM")
    address = url(api["id"], "prod", "/me")
    assert requests.get(address, timeout=30).status_code == 401
    assert requests.get(address, headers={"Authorization": "bad"}, timeout=30).json() == {"message": "Unauthorized"}
    denied = requests.get(address, headers={"Authorization": "deny"}, timeout=30)
    assert denied.status_code == 403
    assert denied.json() == {"message": "User is not authorized to access this resource with an explicit deny"}
    allowed = requests.get(address, headers={"Authorization": "alice"}, timeout=30)
    assert allowed.status_code == 200
    assert allowed.json() == {"principalId": "user-alice", "tier": "gold", "n": 3}


def test_lambda_request_authorizer_sees_headers(apigw, make_function, url):
    auth_arn = make_function("authz", TOKEN_AUTHORIZER)
    api = _api_with(apigw, make_function, {"type": "REQUEST", "authorizerUri": lambda_uri(auth_arn),
                                           "identitySource": "method.request.header.x-token"}, "CUSTOM")
    address = url(api["id"], "prod", "/me")
    assert requests.get(address, timeout=30).status_code == 401
    answer = requests.get(address, headers={"x-token": "carol"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["principalId"] == "user-carol", answer.text


def test_cognito_authorizer_with_real_user_pool_tokens(apigw, make_function, url, client):
    """Tokens issued by our Cognito (RS256, the pool's JWKS served on the gateway)."""
    idp = client("cognito-idp")
    pool = idp.create_user_pool(PoolName="users")["UserPool"]
    app = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web",
                                      ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    idp.admin_create_user(UserPoolId=pool["Id"], Username="bob", TemporaryPassword="Temp1234!x",
                          MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool["Id"], Username="bob", Password="Passw0rd!x", Permanent=True)
    tokens = idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=app["UserPoolClient"]["ClientId"],
                                     AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "bob", "PASSWORD": "Passw0rd!x"})["AuthenticationResult"]
    api = _api_with(apigw, make_function, {"type": "COGNITO_USER_POOLS", "providerARNs": [pool["Arn"]]},
                    "COGNITO_USER_POOLS")
    address = url(api["id"], "prod", "/me")
    assert requests.get(address, timeout=30).status_code == 401
    answer = requests.get(address, headers={"Authorization": tokens["IdToken"]}, timeout=30)
    assert answer.status_code == 200
    assert answer.json()["claims"]["cognito:username"] == "bob"


COUNTING_AUTHORIZER = """
RUNS = []
def handler(event, context):
    RUNS.append(1)
    return {"principalId": "p", "usageIdentifierKey": event["authorizationToken"], "context": {"runs": len(RUNS)},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}
"""


def test_authorizer_results_are_cached_for_their_ttl(apigw, make_function, url, frozen):
    auth_arn = make_function("counting", COUNTING_AUTHORIZER)
    api = _api_with(apigw, make_function, {"type": "TOKEN", "authorizerUri": lambda_uri(auth_arn),
                                           "identitySource": "method.request.header.Authorization",
                                           "authorizerResultTtlInSeconds": 60}, "CUSTOM")
    call = lambda: requests.get(url(api["id"], "prod", "/me"), headers={"Authorization": "tok"}, timeout=30)  # noqa: E731
    assert [call().json()["runs"], call().json()["runs"]] == [1, 1]
    frozen.advance(seconds=61)
    assert call().json()["runs"] == 2


def test_api_key_from_the_authorizer(apigw, make_function, url):
    """`apiKeySource: AUTHORIZER`: the authorizer's `usageIdentifierKey` is the request's API key."""
    auth_arn = make_function("counting", COUNTING_AUTHORIZER)
    api = _api_with(apigw, make_function, {"type": "TOKEN", "authorizerUri": lambda_uri(auth_arn),
                                           "identitySource": "method.request.header.Authorization",
                                           "authorizerResultTtlInSeconds": 0}, "CUSTOM")
    apigw.update_rest_api(restApiId=api["id"], patchOperations=[
        {"op": "replace", "path": "/apiKeySource", "value": "AUTHORIZER"}])
    me = next(r for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/me")
    apigw.update_method(restApiId=api["id"], resourceId=me["id"], httpMethod="GET", patchOperations=[
        {"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    key = apigw.create_api_key(name="k", enabled=True)
    plan = apigw.create_usage_plan(name="p", apiStages=[{"apiId": api["id"], "stage": "prod"}])
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    address = url(api["id"], "prod", "/me")
    assert requests.get(address, headers={"Authorization": "not-a-key"}, timeout=30).status_code == 403
    assert requests.get(address, headers={"Authorization": key["value"]}, timeout=30).status_code == 200


def test_cognito_authorizer_with_scopes_wants_a_scoped_access_token(apigw, make_function, url, issuer):
    pool_arn = f"arn:aws:cognito-idp:us-east-1:{ACCOUNT}:userpool/{issuer.pool_id}"
    api = _api_with(apigw, make_function, {"type": "COGNITO_USER_POOLS", "providerARNs": [pool_arn]},
                    "COGNITO_USER_POOLS")
    me = next(r for r in apigw.get_resources(restApiId=api["id"])["items"] if r["path"] == "/me")
    apigw.update_method(restApiId=api["id"], resourceId=me["id"], httpMethod="GET", patchOperations=[
        {"op": "add", "path": "/authorizationScopes", "value": "orders/read"}])
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    address = url(api["id"], "prod", "/me")
    id_token = issuer.token(token_use="id")
    assert requests.get(address, headers={"Authorization": id_token}, timeout=30).status_code == 401
    access = issuer.token(token_use="access", scope="openid orders/read")
    assert requests.get(address, headers={"Authorization": access}, timeout=30).status_code == 200
