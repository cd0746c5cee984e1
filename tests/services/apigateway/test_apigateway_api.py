"""The control plane: REST APIs, the resource tree, methods, stages, patches and errors."""

from __future__ import annotations

from ..aws_errors import error_with_status


def test_resource_tree_and_methods(apigw):
    api = apigw.create_rest_api(name="tree", description="d", tags={"team": "a"})
    assert api["apiKeySource"] == "HEADER" and api["endpointConfiguration"] == {"types": ["EDGE"]}
    assert apigw.get_rest_api(restApiId=api["id"])["tags"] == {"team": "a"}
    root = api["rootResourceId"]
    users = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="users")
    user = apigw.create_resource(restApiId=api["id"], parentId=users["id"], pathPart="{id}")
    assert (users["path"], user["path"], user["parentId"]) == ("/users", "/users/{id}", users["id"])
    code, _msg, status = error_with_status(apigw.create_resource, restApiId=api["id"], parentId=root, pathPart="users")
    assert (code, status) == ("ConflictException", 409)
    apigw.put_method(restApiId=api["id"], resourceId=user["id"], httpMethod="get", authorizationType="NONE")
    apigw.put_method_response(restApiId=api["id"], resourceId=user["id"], httpMethod="GET", statusCode="200")
    apigw.put_integration(restApiId=api["id"], resourceId=user["id"], httpMethod="GET", type="MOCK")
    method = apigw.get_method(restApiId=api["id"], resourceId=user["id"], httpMethod="GET")
    assert method["methodIntegration"]["type"] == "MOCK"
    assert method["methodResponses"] == {"200": {"statusCode": "200"}}
    embedded = {r["path"]: r for r in apigw.get_resources(restApiId=api["id"], embed=["methods"])["items"]}
    assert embedded["/users/{id}"]["resourceMethods"]["GET"]["httpMethod"] == "GET"
    apigw.update_resource(restApiId=api["id"], resourceId=users["id"],
                          patchOperations=[{"op": "replace", "path": "/pathPart", "value": "people"}])
    assert apigw.get_resource(restApiId=api["id"], resourceId=user["id"])["path"] == "/people/{id}"
    apigw.delete_resource(restApiId=api["id"], resourceId=users["id"])
    assert [r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"]] == ["/"]


def test_errors_in_api_gateway_codes(apigw):
    code, message, status = error_with_status(apigw.get_rest_api, restApiId="missing12")
    assert (code, status) == ("NotFoundException", 404)
    assert message == "Invalid REST API identifier specified"
    api = apigw.create_rest_api(name="empty")
    code, message, status = error_with_status(apigw.create_deployment, restApiId=api["id"], stageName="x")
    assert (code, message, status) == ("BadRequestException", "The REST API doesn't contain any methods", 400)
    code, _m, status = error_with_status(apigw.put_integration, restApiId=api["id"], resourceId=api["rootResourceId"],
                                         httpMethod="GET", type="MOCK")
    assert (code, status) == ("NotFoundException", 404)


def test_stages_variables_and_method_settings(apigw):
    api = apigw.create_rest_api(name="staged")
    apigw.put_method(restApiId=api["id"], resourceId=api["rootResourceId"], httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api["id"], resourceId=api["rootResourceId"], httpMethod="GET", type="MOCK")
    deployment = apigw.create_deployment(restApiId=api["id"], stageName="prod", variables={"a": "1"})
    stage = apigw.get_stage(restApiId=api["id"], stageName="prod")
    assert (stage["deploymentId"], stage["variables"]) == (deployment["id"], {"a": "1"})
    updated = apigw.update_stage(restApiId=api["id"], stageName="prod", patchOperations=[
        {"op": "replace", "path": "/variables/b", "value": "2"},
        {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "10"},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"},
    ])
    assert updated["variables"] == {"a": "1", "b": "2"}
    assert updated["methodSettings"]["*/*"]["throttlingRateLimit"] == 10.0
    per_method = apigw.update_stage(restApiId=api["id"], stageName="prod", patchOperations=[
        {"op": "replace", "path": "/~1/GET/throttling/burstLimit", "value": "3"}])
    assert per_method["methodSettings"]["~1/GET"] == {"throttlingBurstLimit": 3}
    assert updated["tracingEnabled"] is True
    code, _m, status = error_with_status(apigw.delete_deployment, restApiId=api["id"], deploymentId=deployment["id"])
    assert (code, status) == ("BadRequestException", 400)
    assert [d["id"] for d in apigw.get_deployments(restApiId=api["id"])["items"]] == [deployment["id"]]
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api["id"])["item"]] == ["prod"]
    apigw.delete_stage(restApiId=api["id"], stageName="prod")
    assert apigw.get_stages(restApiId=api["id"])["item"] == []


def test_generic_collections_page_and_patch(apigw):
    for i in range(3):
        apigw.create_api_key(name=f"key{i}", enabled=True)
    first = apigw.get_api_keys(limit=2)
    assert len(first["items"]) == 2 and first["position"]
    rest = apigw.get_api_keys(limit=2, position=first["position"])
    assert len(rest["items"]) == 1 and "position" not in rest
    api = apigw.create_rest_api(name="v")
    validator = apigw.create_request_validator(restApiId=api["id"], name="body", validateRequestBody=True)
    patched = apigw.update_request_validator(restApiId=api["id"], requestValidatorId=validator["id"], patchOperations=[
        {"op": "replace", "path": "/validateRequestParameters", "value": "true"}])
    assert patched["validateRequestParameters"] is True and patched["validateRequestBody"] is True
    apigw.delete_rest_api(restApiId=api["id"])
    code, _m, status = error_with_status(apigw.get_request_validators, restApiId=api["id"])
    assert (code, status) == ("NotFoundException", 404)


def test_gateway_responses_default_and_customized(apigw, url):
    import requests

    api = apigw.create_rest_api(name="responses")
    defaults = {r["responseType"]: r for r in apigw.get_gateway_responses(restApiId=api["id"], limit=50)["items"]}
    assert defaults["UNAUTHORIZED"]["statusCode"] == "401" and defaults["UNAUTHORIZED"]["defaultResponse"] is True
    assert "statusCode" not in defaults["DEFAULT_4XX"]
    apigw.put_gateway_response(restApiId=api["id"], responseType="MISSING_AUTHENTICATION_TOKEN", statusCode="404",
                               responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
                               responseTemplates={"application/json": '{"error": $context.error.messageString, '
                                                                      '"type": "$context.error.responseType"}'})
    assert apigw.get_gateway_response(restApiId=api["id"], responseType="MISSING_AUTHENTICATION_TOKEN")[
        "defaultResponse"] is False
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, type="MOCK")
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    answer = requests.get(url(api["id"], "prod", "/nowhere"), timeout=30)
    assert answer.status_code == 404
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.json() == {"error": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN"}
    apigw.delete_gateway_response(restApiId=api["id"], responseType="MISSING_AUTHENTICATION_TOKEN")
    assert requests.get(url(api["id"], "prod", "/nowhere"), timeout=30).status_code == 403


def test_deployed_apis_are_found_in_any_region(client, url):
    import requests

    apigw = client("apigateway", region_name="eu-west-1")
    api = apigw.create_rest_api(name="far")
    ids = {"restApiId": api["id"], "resourceId": api["rootResourceId"], "httpMethod": "GET"}
    apigw.put_method(**ids, authorizationType="NONE")
    apigw.put_integration(**ids, type="MOCK", requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(**ids, statusCode="200")
    apigw.put_integration_response(**ids, statusCode="200",
                                   responseTemplates={"application/json": '{"api": "$context.apiId"}'})
    apigw.create_deployment(restApiId=api["id"], stageName="prod")
    assert requests.get(url(api["id"], "prod", "/"), timeout=30).json() == {"api": api["id"]}
