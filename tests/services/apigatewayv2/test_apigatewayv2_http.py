"""HTTP APIs over HTTP: Lambda proxy payloads 1.0 and 2.0, route selection, `$default`
stages, JWT authorizers, Lambda authorizers with simple responses, CORS, HTTP proxy."""

from __future__ import annotations

import requests

from ..aws_errors import error_with_status

ECHO = """
import json
def handler(event, context):
    return {"statusCode": 200, "headers": {"X-Version": event["version"]},
            "cookies": ["a=1", "b=2"], "body": json.dumps(event)}
"""
PLAIN = """
def handler(event, context):
    return {"hello": event["rawPath"]}
"""
SIMPLE_AUTH = """
def handler(event, context):
    ok = event["identitySource"] == ["letmein"]
    return {"isAuthorized": ok, "context": {"user": "u1"}}
"""


def _lambda_api(v2, function_arn, version="2.0", route_key="ANY /{proxy+}", **route):
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                        IntegrationUri=function_arn, PayloadFormatVersion=version)
    v2.create_route(ApiId=api["ApiId"], RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}",
                    **route)
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    return api


def test_payload_2_event_and_answer(v2, make_function, url):
    api = _lambda_api(v2, make_function("echo", ECHO))
    answer = requests.post(url(api["ApiId"], "items", "/7?a=1&a=2&b=3"), data=b"hi",
                           headers={"Content-Type": "text/plain", "Cookie": "c1=x; c2=y", "X-Two": "v"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["X-Version"] == "2.0"
    assert answer.headers["Apigw-Requestid"]
    assert answer.cookies.get("a") == "1" and answer.cookies.get("b") == "2"
    event = answer.json()
    assert (event["routeKey"], event["rawPath"], event["rawQueryString"]) == ("ANY /{proxy+}", "/items/7", "a=1&a=2&b=3")
    assert event["queryStringParameters"] == {"a": "1,2", "b": "3"}
    assert event["cookies"] == ["c1=x", "c2=y"]
    assert event["headers"]["x-two"] == "v"
    assert event["pathParameters"] == {"proxy": "items/7"}
    assert (event["body"], event["isBase64Encoded"]) == ("hi", False)
    context = event["requestContext"]
    assert (context["apiId"], context["stage"], context["http"]["method"], context["http"]["path"]) == (
        api["ApiId"], "$default", "POST", "/items/7")


def test_payload_1_event_on_a_named_stage(v2, make_function, url):
    api = v2.create_api(Name="v1", ProtocolType="HTTP")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                        IntegrationUri=make_function("echo", ECHO), PayloadFormatVersion="1.0")
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /users/{id}", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="dev", StageVariables={"color": "blue"})
    assert requests.get(url(api["ApiId"], "dev", "/users/5"), timeout=30).status_code == 404  # not deployed yet
    v2.create_deployment(ApiId=api["ApiId"], StageName="dev")
    answer = requests.get(url(api["ApiId"], "dev", "/users/5?x=1"), timeout=30)
    event = answer.json()
    assert (answer.status_code, event["version"], event["resource"], event["path"]) == (200, "1.0", "/users/{id}", "/dev/users/5")
    assert event["pathParameters"] == {"id": "5"} and event["stageVariables"] == {"color": "blue"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1"]}
    missing = requests.get(url(api["ApiId"], "dev", "/nothing"), timeout=30)
    assert (missing.status_code, missing.json()) == (404, {"message": "Not Found"})


def test_quick_create_and_inferred_answer(v2, make_function, url):
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=make_function("plain", PLAIN))
    routes = v2.get_routes(ApiId=api["ApiId"])["Items"]
    assert [r["RouteKey"] for r in routes] == ["$default"]
    assert api["ApiEndpoint"] == url(api["ApiId"], "", "").rstrip("/")  # the path form: no DNS needed
    answer = requests.get(api["ApiEndpoint"] + "/anything/at/all", timeout=30)
    assert (answer.status_code, answer.json()) == (200, {"hello": "/anything/at/all"})
    assert answer.headers["Content-Type"] == "application/json"


def test_route_selection_prefers_specific_routes(v2, make_function, url):
    function = make_function("plain", PLAIN)
    api = v2.create_api(Name="routes", ProtocolType="HTTP")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=function,
                                        PayloadFormatVersion="2.0")["IntegrationId"]
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /pets/dog", Target=f"integrations/{integration}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    assert requests.get(url(api["ApiId"], "pets", "/dog"), timeout=30).status_code == 200
    assert requests.post(url(api["ApiId"], "pets", "/dog"), timeout=30).status_code == 404
    code, _message, status = error_with_status(v2.create_route, ApiId=api["ApiId"], RouteKey="GET /pets/dog")
    assert (code, status) == ("ConflictException", 409)


def test_jwt_authorizer(v2, make_function, url, issuer):
    api = v2.create_api(Name="jwt", ProtocolType="HTTP")
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="jwt", AuthorizerType="JWT",
                                      IdentitySource=["$request.header.Authorization"],
                                      JwtConfiguration={"Issuer": issuer.url, "Audience": ["client-1"]})
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", PayloadFormatVersion="2.0",
                                        IntegrationUri=make_function("echo", ECHO))["IntegrationId"]
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /me", Target=f"integrations/{integration}", AuthorizationType="JWT",
                    AuthorizerId=authorizer["AuthorizerId"], AuthorizationScopes=["read"])
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    address = url(api["ApiId"], "me", "")
    assert requests.get(address, timeout=30).json() == {"message": "Unauthorized"}
    wrong_audience = issuer.token(aud="someone-else", scope="read")
    assert requests.get(address, headers={"Authorization": f"Bearer {wrong_audience}"}, timeout=30).status_code == 401
    no_scope = issuer.token(aud="client-1", scope="write")
    assert requests.get(address, headers={"Authorization": f"Bearer {no_scope}"}, timeout=30).status_code == 403
    good = requests.get(address, headers={"Authorization": f"Bearer {issuer.token(aud='client-1', scope='read x')}"},
                        timeout=30)
    assert good.status_code == 200
    jwt = good.json()["requestContext"]["authorizer"]["jwt"]
    assert (jwt["claims"]["aud"], jwt["scopes"]) == ("client-1", ["read", "x"])


def test_lambda_authorizer_simple_responses(v2, make_function, url):
    api = v2.create_api(Name="lam", ProtocolType="HTTP")
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="simple", AuthorizerType="REQUEST",
                                      AuthorizerUri=make_function("auth", SIMPLE_AUTH), AuthorizerPayloadFormatVersion="2.0",
                                      EnableSimpleResponses=True, IdentitySource=["$request.header.X-Key"])
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", PayloadFormatVersion="2.0",
                                        IntegrationUri=make_function("echo", ECHO))["IntegrationId"]
    v2.create_route(ApiId=api["ApiId"], RouteKey="$default", Target=f"integrations/{integration}",
                    AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    address = url(api["ApiId"], "x", "")
    assert requests.get(address, timeout=30).status_code == 401
    assert requests.get(address, headers={"X-Key": "nope"}, timeout=30).json() == {"message": "Forbidden"}
    good = requests.get(address, headers={"X-Key": "letmein"}, timeout=30)
    assert good.json()["requestContext"]["authorizer"] == {"lambda": {"user": "u1"}}


def test_cors_preflight_and_headers(v2, make_function, url):
    api = v2.create_api(Name="cors", ProtocolType="HTTP", Target=make_function("plain", PLAIN),
                        CorsConfiguration={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                                           "AllowHeaders": ["content-type"], "MaxAge": 300})
    address = url(api["ApiId"], "x", "")
    preflight = requests.options(address, headers={"Origin": "https://app.example",
                                                   "Access-Control-Request-Method": "POST"}, timeout=30)
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET,POST"
    assert preflight.headers["Access-Control-Max-Age"] == "300"
    answer = requests.get(address, headers={"Origin": "https://app.example"}, timeout=30)
    assert answer.headers["Access-Control-Allow-Origin"] == "https://app.example"
    other = requests.get(address, headers={"Origin": "https://evil.example"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers
    v2.delete_cors_configuration(ApiId=api["ApiId"])
    assert "CorsConfiguration" not in v2.get_api(ApiId=api["ApiId"])


def test_http_proxy_integration(v2, url, backend):
    api = v2.create_api(Name="proxy", ProtocolType="HTTP")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="ANY",
                                        IntegrationUri=f"{backend}/base/{{proxy}}", PayloadFormatVersion="1.0")
    v2.create_route(ApiId=api["ApiId"], RouteKey="ANY /api/{proxy+}", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    answer = requests.put(url(api["ApiId"], "api", "/x/y?q=1"), data=b"body", timeout=30)
    assert answer.status_code == 200
    assert answer.json() == {"method": "PUT", "path": "/base/x/y?q=1", "body": "body", "tenant": None}
    assert answer.headers["X-Backend"] == "yes"


def test_route_throttling(v2, make_function, url, frozen):
    api = v2.create_api(Name="throttled", ProtocolType="HTTP", Target=make_function("plain", PLAIN))
    v2.update_stage(ApiId=api["ApiId"], StageName="$default",
                    DefaultRouteSettings={"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": 1.0})
    assert requests.get(url(api["ApiId"], "a", ""), timeout=30).status_code == 200
    throttled = requests.get(url(api["ApiId"], "a", ""), timeout=30)
    assert (throttled.status_code, throttled.json()) == (429, {"message": "Too Many Requests"})
    frozen.advance(seconds=1)
    assert requests.get(url(api["ApiId"], "a", ""), timeout=30).status_code == 200


def test_jwt_authorizer_with_cognito_access_tokens(v2, make_function, url, client):
    """A user pool's access token (audience in `client_id`) against the pool's issuer."""
    import base64
    import json

    idp = client("cognito-idp")
    pool = idp.create_user_pool(PoolName="users")["UserPool"]
    app_id = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web", ExplicitAuthFlows=[
        "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool["Id"], Username="amy", TemporaryPassword="Temp1234!x", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool["Id"], Username="amy", Password="Passw0rd!x", Permanent=True)
    access = idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=app_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "amy", "PASSWORD": "Passw0rd!x"})[
        "AuthenticationResult"]["AccessToken"]
    issuer = json.loads(base64.urlsafe_b64decode(access.split(".")[1] + "=="))["iss"]
    api = v2.create_api(Name="jwt", ProtocolType="HTTP", Target=make_function("echo", ECHO))
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="pool", AuthorizerType="JWT",
                                      IdentitySource=["$request.header.Authorization"],
                                      JwtConfiguration={"Issuer": issuer, "Audience": [app_id]})
    [route] = v2.get_routes(ApiId=api["ApiId"])["Items"]
    v2.update_route(ApiId=api["ApiId"], RouteId=route["RouteId"], AuthorizationType="JWT",
                    AuthorizerId=authorizer["AuthorizerId"])
    address = url(api["ApiId"], "me", "")
    assert requests.get(address, timeout=30).status_code == 401
    good = requests.get(address, headers={"Authorization": f"Bearer {access}"}, timeout=30)
    assert good.status_code == 200
    assert good.json()["requestContext"]["authorizer"]["jwt"]["claims"]["username"] == "amy"


def test_import_and_export_an_http_api(v2, make_function, url):
    import json

    definition = {"openapi": "3.0.1", "info": {"title": "imported", "version": "1"}, "paths": {"/hi": {"get": {
        "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST", "payloadFormatVersion": "2.0",
                                            "uri": make_function("plain", PLAIN)}}}}}
    api = v2.import_api(Body=json.dumps(definition))
    assert api["Name"] == "imported" and api["ProtocolType"] == "HTTP"
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    assert requests.get(url(api["ApiId"], "hi", ""), timeout=30).json() == {"hello": "/hi"}
    exported = json.loads(v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON")["body"].read())
    assert exported["paths"]["/hi"]["get"]["x-amazon-apigateway-integration"]["payloadFormatVersion"] == "2.0"


def test_imported_default_route_catches_every_path_and_exports_back(v2, make_function, url):
    import json

    integration = {"type": "aws_proxy", "httpMethod": "POST", "payloadFormatVersion": "2.0",
                   "uri": make_function("catchall", PLAIN)}
    definition = {"openapi": "3.0.1", "info": {"title": "catch-all", "version": "1"},
                  "paths": {"/$default": {"x-amazon-apigateway-any-method": {"x-amazon-apigateway-integration": integration}}}}
    api = v2.import_api(Body=json.dumps(definition))
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["$default"]
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    assert requests.delete(url(api["ApiId"], "any", "/where"), timeout=30).json() == {"hello": "/any/where"}
    exported = json.loads(v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON")["body"].read())
    assert list(exported["paths"]) == ["/$default"]
    assert "x-amazon-apigateway-any-method" in exported["paths"]["/$default"]


def test_parameter_mapping_both_ways(v2, url, backend):
    api = v2.create_api(Name="mapped", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationMethod="POST", PayloadFormatVersion="1.0",
        IntegrationUri=f"{backend}/ignored",
        RequestParameters={"overwrite:path": "/orders/$request.path.id", "append:header.X-Tenant": "t-$request.header.X-User",
                           "overwrite:querystring.stage": "$context.stage", "remove:querystring.secret": "''"},
        ResponseParameters={"200": {"overwrite:statuscode": "202", "append:header.X-Path": "$response.body.path",
                                    "remove:header.X-Backend": "''"}})
    v2.create_route(ApiId=api["ApiId"], RouteKey="POST /orders/{id}", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    answer = requests.post(url(api["ApiId"], "orders", "/9?secret=s&keep=1"), data=b"x", headers={"X-User": "u1"},
                           timeout=30)
    assert answer.status_code == 202
    assert answer.json() == {"method": "POST", "path": "/orders/9?keep=1&stage=%24default", "body": "x",
                             "tenant": "t-u1"}
    assert answer.headers["X-Path"] == "/orders/9?keep=1&stage=%24default"
    assert "X-Backend" not in answer.headers


def test_sqs_send_message_subtype(v2, url, client):
    import json

    sqs = client("sqs")
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    api = v2.create_api(Name="to-sqs", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationSubtype="SQS-SendMessage",
        PayloadFormatVersion="1.0", CredentialsArn="arn:aws:iam::123456789012:role/apigw",
        RequestParameters={"QueueUrl": queue, "MessageBody": "$request.body.order"})
    v2.create_route(ApiId=api["ApiId"], RouteKey="POST /orders", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    answer = requests.post(url(api["ApiId"], "orders", ""), json={"order": {"id": 5}}, timeout=30)
    assert answer.status_code == 200
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert (json.loads(message["Body"]), answer.json()["MessageId"]) == ({"id": 5}, message["MessageId"])


COUNTING_AUTH = """
RUNS = []
def handler(event, context):
    RUNS.append(1)
    return {"isAuthorized": True, "context": {"runs": len(RUNS)}}
"""


def test_lambda_authorizer_cache_follows_its_ttl(v2, make_function, url, frozen):
    api = v2.create_api(Name="cached", ProtocolType="HTTP", Target=make_function("echo", ECHO))
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="c", AuthorizerType="REQUEST",
                                      AuthorizerUri=make_function("count", COUNTING_AUTH),
                                      AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
                                      IdentitySource=["$request.header.X-Key"], AuthorizerResultTtlInSeconds=30)
    [route] = v2.get_routes(ApiId=api["ApiId"])["Items"]
    v2.update_route(ApiId=api["ApiId"], RouteId=route["RouteId"], AuthorizationType="CUSTOM",
                    AuthorizerId=authorizer["AuthorizerId"])

    def runs() -> int:
        answer = requests.get(url(api["ApiId"], "x", ""), headers={"X-Key": "k"}, timeout=30)
        return answer.json()["requestContext"]["authorizer"]["lambda"]["runs"]

    assert [runs(), runs()] == [1, 1]
    frozen.advance(seconds=20)
    assert runs() == 1  # still within the TTL of the first answer
    frozen.advance(seconds=11)
    assert runs() == 2
