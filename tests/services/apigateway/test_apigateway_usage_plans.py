"""API keys and usage plans on a deployed API: 403 without a valid key, 429 when throttled
("Too Many Requests") or over quota ("Limit Exceeded"), usage read back."""

from __future__ import annotations

import requests


def _keyed_api(apigw, throttle=None, quota=None):
    api = apigw.create_rest_api(name="keyed")
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    apigw.put_method(**ids, authorizationType="NONE", apiKeyRequired=True)
    apigw.put_integration(**ids, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(**ids, statusCode="200")
    apigw.put_integration_response(**ids, statusCode="200", responseTemplates={"application/json": '{"ok": true}'})
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    plan = apigw.create_usage_plan(name="plan", apiStages=[{"apiId": api["id"], "stage": "prod"}],
                                   **({"throttle": throttle} if throttle else {}), **({"quota": quota} if quota else {}))
    key = apigw.create_api_key(name="k", enabled=True)
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    return api, plan, key


def test_api_key_required(apigw, url):
    api, _plan, key = _keyed_api(apigw)
    address = url(api["id"], "prod", "/")
    keyless = requests.get(address, timeout=30)
    assert (keyless.status_code, keyless.json()) == (403, {"message": "Forbidden"})
    assert requests.get(address, headers={"x-api-key": "x" * 30}, timeout=30).status_code == 403
    answer = requests.get(address, headers={"x-api-key": key["value"]}, timeout=30)
    assert (answer.status_code, answer.json()) == (200, {"ok": True})
    disabled = apigw.create_api_key(name="off", enabled=False)
    assert requests.get(address, headers={"x-api-key": disabled["value"]}, timeout=30).status_code == 403


def test_throttle_answers_429_until_tokens_refill(apigw, url, frozen):
    api, _plan, key = _keyed_api(apigw, throttle={"burstLimit": 2, "rateLimit": 1.0})
    call = lambda: requests.get(url(api["id"], "prod", "/"), headers={"x-api-key": key["value"]}, timeout=30)  # noqa: E731
    assert [call().status_code, call().status_code] == [200, 200]
    throttled = call()
    assert (throttled.status_code, throttled.json()) == (429, {"message": "Too Many Requests"})
    frozen.advance(seconds=1)
    assert call().status_code == 200


def test_quota_answers_limit_exceeded_and_usage_counts(apigw, url, frozen):
    api, plan, key = _keyed_api(apigw, quota={"limit": 2, "period": "DAY"})
    call = lambda: requests.get(url(api["id"], "prod", "/"), headers={"x-api-key": key["value"]}, timeout=30)  # noqa: E731
    assert [call().status_code, call().status_code] == [200, 200]
    over = call()
    assert (over.status_code, over.json()) == (429, {"message": "Limit Exceeded"})
    today = frozen.utcnow().strftime("%Y-%m-%d")
    usage = apigw.get_usage(usagePlanId=plan["id"], startDate=today, endDate=today)
    assert usage["items"] == {key["id"]: [[2, 0]]}
    frozen.advance(days=1)
    assert call().status_code == 200


def test_usage_plan_keys_and_errors(apigw):
    _api, plan, key = _keyed_api(apigw)
    listed = apigw.get_usage_plan_keys(usagePlanId=plan["id"])["items"]
    assert listed == [{"id": key["id"], "type": "API_KEY", "value": key["value"], "name": "k"}]
    assert [p["id"] for p in apigw.get_usage_plans(keyId=key["id"])["items"]] == [plan["id"]]
    assert "value" not in apigw.get_api_key(apiKey=key["id"])
    assert apigw.get_api_key(apiKey=key["id"], includeValue=True)["value"] == key["value"]
    error = apigw.exceptions.ConflictException
    try:
        apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    except error as exc:
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    else:
        raise AssertionError("a second usage plan key was accepted")


def test_stage_method_throttling(apigw, url, frozen):
    api, _plan, key = _keyed_api(apigw)
    apigw.update_stage(restApiId=api["id"], stageName="prod", patchOperations=[
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "1"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "1"}])
    call = lambda: requests.get(url(api["id"], "prod", "/"), headers={"x-api-key": key["value"]}, timeout=30)  # noqa: E731
    assert call().status_code == 200
    throttled = call()
    assert (throttled.status_code, throttled.json()) == (429, {"message": "Too Many Requests"})
    frozen.advance(seconds=1)
    assert call().status_code == 200


def test_api_key_stages_patched_as_aws_documents(apigw):
    api, _plan, key = _keyed_api(apigw)
    stage_key = f"{api['id']}/prod"
    added = apigw.update_api_key(apiKey=key["id"], patchOperations=[{"op": "add", "path": "/stages", "value": stage_key}])
    assert added["stageKeys"] == [stage_key]
    missing = apigw.exceptions.NotFoundException
    try:
        apigw.update_api_key(apiKey=key["id"], patchOperations=[{"op": "add", "path": "/stages",
                                                                 "value": f"{api['id']}/nope"}])
    except missing:
        pass
    else:
        raise AssertionError("a stage that does not exist was added to the key")
    removed = apigw.update_api_key(apiKey=key["id"],
                                   patchOperations=[{"op": "remove", "path": "/stages", "value": stage_key}])
    assert removed.get("stageKeys", []) == []
