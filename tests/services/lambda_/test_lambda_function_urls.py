"""Function URLs over plain HTTP: the payload 2.0 event in, the HTTP answer out, and
AWS's access rules (public policy for `NONE`, a signature for `AWS_IAM`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

HTTP_ECHO = """
import base64, json
def handler(event, context):
    if event["rawPath"] == "/plain":
        return {"just": "json"}
    if event["rawPath"] == "/boom":
        raise ValueError("boom")
    return {"statusCode": 201, "headers": {"X-Echo": "yes"}, "cookies": ["a=1", "b=2"],
            "body": json.dumps({"event": event})}
"""


def public(lam: Any, name: str, actions: tuple[str, ...] = ("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")) -> None:
    for index, action in enumerate(actions):
        extra = {"FunctionUrlAuthType": "NONE"} if action == "lambda:InvokeFunctionUrl" else {}
        lam.add_permission(FunctionName=name, StatementId=f"public{index}", Action=action, Principal="*", **extra)


@pytest.fixture
def url_function(lam, make_function, lambda_service):
    lambda_service.set_executor("inprocess")
    make_function("web", HTTP_ECHO)
    url = lam.create_function_url_config(FunctionName="web", AuthType="NONE",
                                         Cors={"AllowOrigins": ["https://app.example"], "AllowMethods": ["POST"],
                                               "MaxAge": 60})["FunctionUrl"]
    return url


def test_the_url_answers_with_the_function_response_and_a_v2_event(lam, url_function: str) -> None:
    public(lam, "web")
    answer = requests.post(f"{url_function}items/7?a=1&a=2&b=x", data='{"k": 1}', timeout=10,
                           headers={"Content-Type": "application/json", "Cookie": "s=1; t=2"})
    assert answer.status_code == 201
    assert answer.headers["X-Echo"] == "yes"
    assert answer.raw.headers.getlist("Set-Cookie") == ["a=1", "b=2"]
    event = answer.json()["event"]
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert (event["rawPath"], event["rawQueryString"]) == ("/items/7", "a=1&a=2&b=x")
    assert event["queryStringParameters"] == {"a": "1,2", "b": "x"}
    assert event["cookies"] == ["s=1", "t=2"] and "cookie" not in event["headers"]
    assert (event["body"], event["isBase64Encoded"]) == ('{"k": 1}', False)
    context = event["requestContext"]
    assert context["http"]["method"] == "POST" and context["accountId"] == "anonymous"
    assert context["domainName"].endswith(".lambda-url.us-east-1.on.aws")


def test_binary_bodies_arrive_base64_and_json_without_status_is_a_200(lam, url_function: str) -> None:
    public(lam, "web")
    echoed = requests.put(f"{url_function}bin", data=b"\x00\xff", timeout=10,
                          headers={"Content-Type": "application/octet-stream"}).json()["event"]
    assert echoed["isBase64Encoded"] is True and echoed["body"] == "AP8="
    plain = requests.get(f"{url_function}plain", timeout=10)
    assert (plain.status_code, plain.json(), plain.headers["Content-Type"]) == (200, {"just": "json"},
                                                                               "application/json")


def test_a_function_error_is_a_502(lam, url_function: str) -> None:
    public(lam, "web")
    assert requests.get(f"{url_function}boom", timeout=10).status_code == 502


@pytest.mark.parametrize("actions", [(), ("lambda:InvokeFunctionUrl",)])
def test_none_auth_needs_a_public_policy_for_both_actions(lam, url_function: str, actions) -> None:
    public(lam, "web", actions)
    answer = requests.get(url_function, timeout=10)
    assert (answer.status_code, answer.json()) == (403, {"Message": "Forbidden"})


def test_iam_auth_needs_a_signed_request(lam, make_function, lambda_service, boto_session) -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    lambda_service.set_executor("inprocess")
    make_function("private", HTTP_ECHO)
    url = lam.create_function_url_config(FunctionName="private", AuthType="AWS_IAM")["FunctionUrl"]
    assert requests.get(f"{url}plain", timeout=10).status_code == 403
    signed = AWSRequest(method="GET", url=f"{url}plain")
    SigV4Auth(boto_session.get_credentials(), "lambda", "us-east-1").add_auth(signed)
    answer = requests.get(f"{url}plain", headers=dict(signed.headers), timeout=10)
    assert (answer.status_code, answer.json()) == (200, {"just": "json"})


def test_cors_preflight_is_answered_from_the_configuration(lam, url_function: str) -> None:
    answer = requests.options(url_function, timeout=10, headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert answer.headers["Access-Control-Allow-Methods"] == "POST"
    assert answer.headers["Access-Control-Max-Age"] == "60"
    other = requests.options(url_function, timeout=10, headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_unknown_and_deleted_urls_are_forbidden(lam, url_function: str, aws) -> None:
    public(lam, "web")
    assert requests.get(f"{aws.endpoint}/_aws/lambda-url/{'0' * 32}/", timeout=10).status_code == 403
    lam.delete_function_url_config(FunctionName="web")
    assert requests.get(url_function, timeout=10).status_code == 403


def test_the_host_form_reaches_the_same_function(lam, url_function: str, aws) -> None:
    public(lam, "web")
    url_id = url_function.rstrip("/").rsplit("/", 1)[1]
    answer = requests.get(f"{aws.endpoint}/plain", timeout=10,
                          headers={"Host": f"{url_id}.lambda-url.us-east-1.localhost"})
    assert answer.json() == {"just": "json"}
    assert json.loads(json.dumps(lam.get_function_url_config(FunctionName="web")))["FunctionUrl"] == url_function


def test_urls_are_found_by_id_among_many_functions_and_not_after_their_function(
        lam, url_function: str, make_function, aws) -> None:
    public(lam, "web")
    for i in range(5):
        make_function(f"other-{i}", HTTP_ECHO)
        lam.create_function_url_config(FunctionName=f"other-{i}", AuthType="AWS_IAM")
    lam.publish_version(FunctionName="web")
    lam.create_alias(FunctionName="web", Name="live", FunctionVersion="1")
    live = lam.create_function_url_config(FunctionName="web", Qualifier="live", AuthType="NONE")["FunctionUrl"]
    lam.add_permission(FunctionName="web", Qualifier="live", StatementId="url", Action="lambda:InvokeFunctionUrl",
                       Principal="*", FunctionUrlAuthType="NONE")
    lam.add_permission(FunctionName="web", Qualifier="live", StatementId="call", Action="lambda:InvokeFunction",
                       Principal="*")
    assert requests.get(live + "plain", timeout=10).json() == {"just": "json"}
    assert requests.get(url_function + "plain", timeout=10).json() == {"just": "json"}
    lam.delete_function(FunctionName="web")
    make_function("web", HTTP_ECHO)  # the same name again: the old URLs stay gone
    public(lam, "web")
    assert requests.get(url_function + "plain", timeout=10).status_code == 403
    assert requests.get(live + "plain", timeout=10).status_code == 403
    fresh = lam.create_function_url_config(FunctionName="web", AuthType="NONE")["FunctionUrl"]
    assert fresh != url_function
    assert requests.get(fresh + "plain", timeout=10).json() == {"just": "json"}
