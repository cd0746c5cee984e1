"""OpenAPI import (ImportRestApi, PutRestApi) with API Gateway's extensions, and GetExport."""

from __future__ import annotations

import json

import requests
import yaml

from ..aws_errors import error_with_status
from .conftest import lambda_uri

HELLO = """
import json
def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"pet": event["pathParameters"]["petId"]})}
"""


def _definition(function_arn: str) -> dict:
    return {
        "openapi": "3.0.1",
        "info": {"title": "Pets", "version": "1.0", "description": "pet store"},
        "paths": {
            "/pets/{petId}": {"get": {
                "operationId": "getPet", "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",
                                                    "uri": lambda_uri(function_arn)}}},
            "/health": {"get": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                    "responses": {"default": {"statusCode": "200",
                                              "responseTemplates": {"application/json": '{"up": true}'}}}}}},
        },
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    }


def test_import_deploy_call_and_export(apigw, make_function, url):
    body = json.dumps(_definition(make_function("pets", HELLO))).encode()
    api = apigw.import_rest_api(body=body)
    assert (api["name"], api["description"]) == ("Pets", "pet store")
    paths = sorted(r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"])
    assert paths == ["/", "/health", "/pets", "/pets/{petId}"]
    assert [m["name"] for m in apigw.get_models(restApiId=api["id"])["items"]] == ["Pet"]
    apigw.create_deployment(restApiId=api["id"], stageName="v1")
    pet = requests.get(url(api["id"], "v1", "/pets/7"), timeout=30)
    assert (pet.status_code, pet.json()) == (200, {"pet": "7"})
    assert requests.get(url(api["id"], "v1", "/health"), timeout=30).json() == {"up": True}
    exported = apigw.get_export(restApiId=api["id"], stageName="v1", exportType="oas30",
                                parameters={"extensions": "integrations"}, accepts="application/json")
    doc = json.loads(exported["body"].read())
    assert doc["openapi"].startswith("3.0")
    assert doc["paths"]["/pets/{petId}"]["get"]["x-amazon-apigateway-integration"]["type"] == "aws_proxy"
    swagger = apigw.get_export(restApiId=api["id"], stageName="v1", exportType="swagger", accepts="application/yaml")
    assert yaml.safe_load(swagger["body"].read())["swagger"] == "2.0"


def test_put_rest_api_overwrites_and_bad_definitions_are_refused(apigw, make_function):
    api = apigw.import_rest_api(body=json.dumps(_definition(make_function("pets", HELLO))).encode())
    smaller = {"swagger": "2.0", "info": {"title": "Tiny", "version": "2"}, "paths": {"/only": {"get": {
        "responses": {}, "x-amazon-apigateway-integration": {"type": "mock"}}}}}
    replaced = apigw.put_rest_api(restApiId=api["id"], mode="overwrite", body=yaml.safe_dump(smaller).encode())
    assert replaced["name"] == "Tiny"
    assert sorted(r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"]) == ["/", "/only"]
    code, message, status = error_with_status(apigw.import_rest_api, body=b"not: [an api")
    assert (code, status) == ("BadRequestException", 400)


def test_imported_request_validators_guard_the_method(apigw, url):
    definition = {
        "openapi": "3.0.1", "info": {"title": "Validated", "version": "1"},
        "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": True,
                                                           "validateRequestParameters": True}},
        "x-amazon-apigateway-request-validator": "all",
        "paths": {"/pets": {"post": {
            "parameters": [{"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                "responses": {"default": {"statusCode": "200"}}}}}},
        "components": {"schemas": {"Pet": {"type": "object", "required": ["name"],
                                           "properties": {"name": {"type": "string"}}}}},
    }
    api = apigw.import_rest_api(body=json.dumps(definition).encode())
    [validator] = apigw.get_request_validators(restApiId=api["id"])["items"]
    assert (validator["name"], validator["validateRequestBody"]) == ("all", True)
    apigw.create_deployment(restApiId=api["id"], stageName="v1")
    address = url(api["id"], "v1", "/pets")
    assert requests.post(address, json={"name": "x"}, timeout=30).json() == {
        "message": "Missing required request parameters: [owner]"}
    assert requests.post(address + "?owner=o", json={}, timeout=30).json() == {"message": "Invalid request body"}
    assert requests.post(address + "?owner=o", json={"name": "x"}, timeout=30).status_code == 200
