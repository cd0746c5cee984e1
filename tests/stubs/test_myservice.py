"""The plugin docs' `myservice` widget entry: raw signed JSON requests, and a real
boto3 client once the entry carries a botocore-format model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from pytest_cloudmock.stubs import (
    Entry,
    create_action,
    delete_action,
    describe_action,
    list_action,
    opt_str,
    req_str,
    rt,
)
from pytest_cloudmock.stubs.catalog import catalog_changes
from pytest_cloudmock.stubs.client import boto3_session

MODELS = Path(__file__).parent / "models"
CREDS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

# The plugin docs' catalog.go example, in Python.
MYSERVICE = Entry(
    service="myservice",
    protocol="json",
    target_prefix="MyService_20260101",
    actions={
        "CreateWidget": create_action("CreateWidget", "widget", "WidgetId",
                                      [req_str("WidgetName")], [opt_str("WidgetName")]),
        "DescribeWidget": describe_action("DescribeWidget", "widget", "WidgetId"),
        "ListWidgets": list_action("ListWidgets", "widget"),
        "DeleteWidget": delete_action("DeleteWidget", "widget", "WidgetId"),
    },
    resource_types={
        "widget": rt("Widget", "WidgetId", "arn:aws:myservice:{region}:{account}:widget/{id}",
                      [opt_str("WidgetName")]),
    },
)


def call(endpoint: str, operation: str, body: dict, region: str = "us-east-1", creds=CREDS):
    """A SigV4-signed JSON request, as any SDK would send it; returns (status, json)."""
    request = AWSRequest("POST", endpoint + "/", data=json.dumps(body).encode(), headers={
        "X-Amz-Target": f"MyService_20260101.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
    })
    SigV4Auth(creds, "myservice", region).add_auth(request)
    response = requests.post(endpoint + "/", data=request.body, headers=dict(request.headers), timeout=10)
    return response.status_code, response.json() if response.content else {}


@pytest.fixture
def catalog(aws):
    with catalog_changes(aws) as changes:
        yield changes


def test_raw_signed_requests_serve_the_docs_widget(catalog, aws):
    catalog.add(MYSERVICE)
    status, created = call(aws.endpoint, "CreateWidget", {"WidgetName": "blue"})
    assert status == 200 and set(created) == {"WidgetId", "WidgetName"}
    widget_id = created["WidgetId"]
    assert len(widget_id) == 36 and created["WidgetName"] == "blue"

    status, widget = call(aws.endpoint, "DescribeWidget", {"WidgetId": widget_id})
    assert status == 200
    assert widget == {"WidgetId": widget_id, "WidgetName": "blue",
                      "Arn": f"arn:aws:myservice:us-east-1:123456789012:widget/{widget_id}"}

    for name in ("green", "red"):
        call(aws.endpoint, "CreateWidget", {"WidgetName": name})
    status, page = call(aws.endpoint, "ListWidgets", {"MaxResults": 2})
    assert len(page["Widgets"]) == 2 and page["NextToken"]
    status, rest = call(aws.endpoint, "ListWidgets", {"MaxResults": 2, "NextToken": page["NextToken"]})
    assert len(rest["Widgets"]) == 1 and "NextToken" not in rest
    assert {w["WidgetName"] for w in page["Widgets"] + rest["Widgets"]} == {"blue", "green", "red"}

    assert call(aws.endpoint, "DeleteWidget", {"WidgetId": widget_id})[0] == 200
    status, error = call(aws.endpoint, "DescribeWidget", {"WidgetId": widget_id})
    assert status == 404 and error["__type"].endswith("ResourceNotFoundException")


def test_raw_requests_are_validated_and_partitioned(catalog, aws):
    catalog.add(MYSERVICE)
    status, error = call(aws.endpoint, "CreateWidget", {})
    assert status == 400 and error["__type"].endswith("ValidationException")
    assert "WidgetName" in (error.get("message") or error.get("Message"))
    call(aws.endpoint, "CreateWidget", {"WidgetName": "here"})
    assert call(aws.endpoint, "ListWidgets", {}, region="eu-west-1")[1]["Widgets"] == []
    other = Credentials("210987654321", "secret")  # a 12-digit access key is its own account
    assert call(aws.endpoint, "ListWidgets", {}, creds=other)[1]["Widgets"] == []
    assert len(call(aws.endpoint, "ListWidgets", {})[1]["Widgets"]) == 1


def test_entry_with_a_model_file_serves_a_real_boto3_client(catalog, aws):
    catalog.add({
        "service": "myservice",
        "model": str(MODELS / "myservice" / "2026-01-01" / "service-2.json"),
        "resources": {"widget": {
            "id": "WidgetId",
            "unique": "WidgetName",
            "arn": "arn:{partition}:myservice:{region}:{account}:widget/{id}",
            "actions": {"create": "CreateWidget", "describe": "DescribeWidget",
                        "list": "ListWidgets", "delete": "DeleteWidget"},
        }},
    })
    session = boto3_session(MODELS, region_name="us-east-1", aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                            aws_secret_access_key="secret")
    client = session.client("myservice", endpoint_url=aws.endpoint)
    created = client.create_widget(WidgetName="blue")
    assert created["WidgetArn"].endswith("widget/" + created["WidgetId"])
    widget = client.describe_widget(WidgetId=created["WidgetId"])["Widget"]
    assert widget["WidgetName"] == "blue" and widget["CreatedAt"].year >= 2024
    with pytest.raises(client.exceptions.WidgetAlreadyExistsException):
        client.create_widget(WidgetName="blue")
    client.delete_widget(WidgetId=created["WidgetId"])
    with pytest.raises(ClientError) as info:
        client.describe_widget(WidgetId=created["WidgetId"])
    assert info.value.response["Error"]["Code"] == "WidgetNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert client.list_widgets()["Widgets"] == []
