"""A REST API with a Lambda proxy integration, deployed and called over HTTP with `requests`."""

from __future__ import annotations

import json

import requests

from .conftest import lambda_uri

PROXY = """
import json
def handler(event, context):
    if event["path"].endswith("/broken"):
        return {"statusCode": 200, "body": {"not": "a string"}}
    if event["path"].endswith("/boom"):
        raise ValueError("boom")
    return {"statusCode": 201, "headers": {"X-Seen": event["httpMethod"]},
            "multiValueHeaders": {"X-Multi": ["a", "b"]},
            "body": json.dumps(event)}
"""


def _proxy_api(apigw, function_arn, path_part="{proxy+}"):
    api = apigw.create_rest_api(name="proxy")
    resource = apigw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart=path_part)
    apigw.put_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(restApiId=api["id"], resourceId=resource["id"], httpMethod="ANY", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=lambda_uri(function_arn))
    apigw.create_deployment(restApiId=api["id"], stageName="prod", variables={"env": "test"})
    return api, resource


def test_lambda_proxy_event_and_answer(apigw, make_function, url):
    api, resource = _proxy_api(apigw, make_function("proxy", PROXY))
    answer = requests.post(url(api["id"], "prod", "/items/42?q=1&q=2&x=y"), data=b'{"a": 1}',
                           headers={"Content-Type": "application/json", "X-Custom": "v"}, timeout=30)
    assert answer.status_code == 201
    assert answer.headers["X-Seen"] == "POST"
    assert answer.headers["X-Multi"] == "a, b"
    assert answer.headers["x-amz-apigw-id"] and answer.headers["x-amzn-RequestId"]
    event = answer.json()
    assert event["resource"] == "/{proxy+}"
    assert event["path"] == "/items/42"
    assert event["httpMethod"] == "POST"
    assert event["pathParameters"] == {"proxy": "items/42"}
    assert event["queryStringParameters"] == {"q": "2", "x": "y"}
    assert event["multiValueQueryStringParameters"] == {"q": ["1", "2"], "x": ["y"]}
    assert event["headers"]["X-Custom"] == "v"
    assert event["multiValueHeaders"]["X-Custom"] == ["v"]
    assert event["body"] == '{"a": 1}'
    assert event["isBase64Encoded"] is False
    assert event["stageVariables"] == {"env": "test"}
    context = event["requestContext"]
    assert (context["apiId"], context["stage"], context["resourcePath"], context["httpMethod"]) == (
        api["id"], "prod", "/{proxy+}", "POST")
    assert context["accountId"] == "123456789012"
    assert context["resourceId"] == resource["id"]
    assert context["identity"]["sourceIp"] == "127.0.0.1"


def test_host_form_reaches_the_same_api(apigw, make_function, aws):
    api, _ = _proxy_api(apigw, make_function("proxy", PROXY))
    port = aws.endpoint.rsplit(":", 1)[1]
    for host in (f"{api['id']}.execute-api.localhost:{port}", f"{api['id']}.execute-api.us-east-1.localhost:{port}"):
        answer = requests.get(f"http://127.0.0.1:{port}/prod/hello", headers={"Host": host}, timeout=30)
        assert answer.status_code == 201
        assert answer.json()["path"] == "/hello"


def test_gateway_errors_in_api_gateway_shapes(apigw, make_function, url):
    api, _ = _proxy_api(apigw, make_function("proxy", PROXY), path_part="things")
    missing = requests.get(url(api["id"], "prod", "/nothing/here"), timeout=30)
    assert (missing.status_code, missing.json()) == (403, {"message": "Missing Authentication Token"})
    assert missing.headers["x-amzn-ErrorType"] == "MissingAuthenticationTokenException"
    unknown_stage = requests.get(url(api["id"], "nostage", "/things"), timeout=30)
    assert unknown_stage.status_code == 403


def test_malformed_or_failing_lambda_answers_502(apigw, make_function, url):
    api, _ = _proxy_api(apigw, make_function("proxy", PROXY))
    for path in ("/broken", "/boom"):
        answer = requests.get(url(api["id"], "prod", path), timeout=30)
        assert (answer.status_code, answer.json()) == (502, {"message": "Internal server error"})


def test_unknown_api_is_forbidden(url):
    answer = requests.get(url("nosuchapi1", "prod", "/"), timeout=30)
    assert answer.status_code == 403
    assert json.loads(answer.content) == {"message": "Forbidden"}


SLOW = """
import time
def handler(event, context):
    time.sleep(1)
    return {"statusCode": 200, "body": "late"}
"""


def test_integration_timeout_answers_504(apigw, make_function, url):
    api = apigw.create_rest_api(name="slow")
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, type="AWS_PROXY", integrationHttpMethod="POST", timeoutInMillis=100,
                          uri=lambda_uri(make_function("slow", SLOW)))
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    answer = requests.get(url(api["id"], "prod", "/"), timeout=30)
    assert (answer.status_code, answer.json()) == (504, {"message": "Endpoint request timed out"})


BINARY = """
import base64
def handler(event, context):
    data = base64.b64decode(event["body"]) if event["isBase64Encoded"] else event["body"].encode()
    return {"statusCode": 200, "headers": {"Content-Type": "application/octet-stream"},
            "isBase64Encoded": True, "body": base64.b64encode(data[::-1]).decode()}
"""


def test_binary_bodies_both_ways(apigw, make_function, url):
    api = apigw.create_rest_api(name="bin", binaryMediaTypes=["image/*"])
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "POST"}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, type="AWS_PROXY", integrationHttpMethod="POST",
                          uri=lambda_uri(make_function("bin", BINARY)))
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    payload = bytes(range(256))
    answer = requests.post(url(api["id"], "prod", "/"), data=payload, headers={"Content-Type": "image/png"}, timeout=30)
    assert (answer.status_code, answer.content) == (200, payload[::-1])
