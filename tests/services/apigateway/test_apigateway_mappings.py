"""Non-proxy integrations with VTL mapping templates: MOCK, Lambda (AWS) with error selection,
HTTP to a local server, and an AWS service action through the registry."""

from __future__ import annotations

import json

import requests

from .conftest import lambda_uri

ADD = """
def handler(event, context):
    if event.get("fail"):
        raise ValueError("Bad input: " + event["fail"])
    return {"sum": event["a"] + event["b"], "who": event["who"]}
"""


def _method(apigw, api, part, http="POST", **integration):
    resource = apigw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart=part)
    ids = {"restApiId": api["id"], "resourceId": resource["id"], "httpMethod": http}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, **integration)
    return ids


def _respond(apigw, ids, status, template=None, pattern=None, **extra):
    apigw.put_method_response(**ids, statusCode=status)
    kwargs = {"responseTemplates": {"application/json": template}} if template else {}
    if pattern:
        kwargs["selectionPattern"] = pattern
    apigw.put_integration_response(**ids, statusCode=status, **kwargs, **extra)


def test_mock_integration_with_vtl_templates(apigw, url):
    api = apigw.create_rest_api(name="mock")
    ids = _method(apigw, api, "greet", type="MOCK", requestTemplates={
        "application/json": '#if($input.params("fail") == "yes"){"statusCode": 400}#else{"statusCode": 200}#end'})
    _respond(apigw, ids, "200", template=(
        '#set($name = $input.params("name"))'
        '{"hello": "$util.escapeJavaScript($name)", "stage": "$context.stage", "env": "$stageVariables.env",'
        ' "encoded": "$util.base64Encode($name)", "url": "$util.urlEncode("a b&c")", "method": "$context.httpMethod"}'),
        responseParameters={"method.response.header.X-Mode": "'mocked'"})
    apigw.put_method_response(**ids, statusCode="400")
    apigw.put_integration_response(**ids, statusCode="400", selectionPattern="4\\d{2}",
                                   responseTemplates={"application/json": '{"error": "you asked for it"}'})
    apigw.create_deployment(restApiId=api["id"], stageName="dev", variables={"env": "development"})
    answer = requests.post(url(api["id"], "dev", "/greet?name=Ann%22O"), timeout=30)
    assert answer.status_code == 200
    assert answer.headers["X-Mode"] == "mocked"
    assert answer.json() == {"hello": 'Ann"O', "stage": "dev", "env": "development",
                             "encoded": "QW5uIk8=", "url": "a+b%26c", "method": "POST"}
    failed = requests.post(url(api["id"], "dev", "/greet?fail=yes"), timeout=30)
    assert (failed.status_code, failed.json()) == (400, {"error": "you asked for it"})


def test_lambda_custom_integration_maps_both_ways(apigw, make_function, url):
    api = apigw.create_rest_api(name="custom")
    ids = _method(apigw, api, "add", type="AWS", integrationHttpMethod="POST",
                  uri=lambda_uri(make_function("add", ADD)), requestTemplates={"application/json": (
                      '#set($body = $input.path("$"))'
                      '{"a": $body.a, "b": $input.json("$.b"), "who": "$context.identity.sourceIp"'
                      '#if($body.fail), "fail": "$body.fail"#end}')})
    _respond(apigw, ids, "200", template='{"total": $input.json("$.sum"), "caller": "$input.path(\'$.who\')"}')
    _respond(apigw, ids, "400", template='{"problem": "$input.path(\'$.errorMessage\')"}', pattern="Bad input.*")
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    ok = requests.post(url(api["id"], "prod", "/add"), json={"a": 2, "b": 40}, timeout=30)
    assert (ok.status_code, ok.json()) == (200, {"total": 42, "caller": "127.0.0.1"})
    bad = requests.post(url(api["id"], "prod", "/add"), json={"a": 1, "b": 1, "fail": "nope"}, timeout=30)
    assert (bad.status_code, bad.json()) == (400, {"problem": "Bad input: nope"})


def test_http_proxy_and_http_integrations(apigw, url, backend):
    api = apigw.create_rest_api(name="http")
    proxy = apigw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart="{proxy+}")
    ids = {"restApiId": api["id"], "resourceId": proxy["id"], "httpMethod": "ANY"}
    apigw.put_method(**ids, authorizationType="NONE", requestParameters={"method.request.path.proxy": True})
    apigw.put_integration(**ids, type="HTTP_PROXY", integrationHttpMethod="ANY", uri=f"{backend}/up/{{proxy}}",
                          requestParameters={"integration.request.path.proxy": "method.request.path.proxy"})
    mapped = _method(apigw, api, "mapped", http="GET", type="HTTP", integrationHttpMethod="POST",
                     uri=f"{backend}/teapot", requestTemplates={"application/json": '{"q": "$input.params(\'q\')"}'},
                     requestParameters={"integration.request.header.X-Tenant": "'acme'"})
    _respond(apigw, mapped, "200", template='{"saw": $input.json("$.body"), "tenant": "$input.path(\'$.tenant\')"}',
             pattern="4\\d\\d", responseParameters={"method.response.header.X-From": "integration.response.header.X-Backend"})
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    proxied = requests.post(url(api["id"], "prod", "/a/b?x=1"), data=b"payload", timeout=30)
    assert proxied.status_code == 200
    assert proxied.headers["X-Backend"] == "yes"
    assert proxied.json() == {"method": "POST", "path": "/up/a/b?x=1", "body": "payload", "tenant": None}
    answer = requests.get(url(api["id"], "prod", "/mapped?q=tea"), timeout=30)
    assert answer.status_code == 200
    assert answer.headers["X-From"] == "yes"
    assert answer.json() == {"saw": '{"q": "tea"}', "tenant": "acme"}


def test_aws_service_integration_through_the_registry(apigw, client, url):
    sqs = client("sqs")
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    api = apigw.create_rest_api(name="to-sqs")
    ids = _method(apigw, api, "send", type="AWS", integrationHttpMethod="POST",
                  uri="arn:aws:apigateway:us-east-1:sqs:action/SendMessage",
                  requestTemplates={"application/json": '{"QueueUrl": "' + queue + '", '
                                                        '"MessageBody": "$util.escapeJavaScript($input.body)"}'})
    _respond(apigw, ids, "200", template='{"id": "$input.path(\'$.MessageId\')"}')
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    answer = requests.post(url(api["id"], "prod", "/send"), json={"order": 7}, timeout=30)
    assert answer.status_code == 200
    received = sqs.receive_message(QueueUrl=queue)["Messages"][0]
    assert (answer.json()["id"], json.loads(received["Body"])) == (received["MessageId"], {"order": 7})


def test_no_matching_template_with_never_passthrough_is_415(apigw, url):
    api = apigw.create_rest_api(name="strict")
    ids = _method(apigw, api, "x", type="MOCK", passthroughBehavior="NEVER",
                  requestTemplates={"application/json": '{"statusCode": 200}'})
    _respond(apigw, ids, "200")
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    answer = requests.post(url(api["id"], "prod", "/x"), data="a=b",
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert (answer.status_code, answer.json()) == (415, {"message": "Unsupported Media Type"})


def test_request_validator_checks_parameters_and_body(apigw, url):
    api = apigw.create_rest_api(name="validated")
    schema = '{"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 2}}}'
    apigw.create_model(restApiId=api["id"], name="Pet", contentType="application/json", schema=schema)
    assert apigw.get_model(restApiId=api["id"], modelName="Pet")["name"] == "Pet"
    validator = apigw.create_request_validator(restApiId=api["id"], name="all", validateRequestBody=True,
                                               validateRequestParameters=True)
    resource = apigw.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart="pets")
    ids = {"restApiId": api["id"], "resourceId": resource["id"], "httpMethod": "POST"}
    apigw.put_method(**ids, authorizationType="NONE", requestValidatorId=validator["id"],
                     requestParameters={"method.request.querystring.owner": True},
                     requestModels={"application/json": "Pet"})
    apigw.put_integration(**ids, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'})
    _respond(apigw, ids, "200", template='{"ok": true}')
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    address = url(api["id"], "prod", "/pets")
    missing = requests.post(f"{address}", json={"name": "Rex"}, timeout=30)
    assert (missing.status_code, missing.json()) == (400, {"message": "Missing required request parameters: [owner]"})
    for body in ({"name": "R"}, {"other": 1}, [1]):
        bad = requests.post(f"{address}?owner=ann", json=body, timeout=30)
        assert (bad.status_code, bad.json()) == (400, {"message": "Invalid request body"})
    good = requests.post(f"{address}?owner=ann", json={"name": "Rex"}, timeout=30)
    assert (good.status_code, good.json()) == (200, {"ok": True})
