"""The plugin docs' Python widget plugin, spawned by the marker for this module, driven with
SigV4-signed HTTP requests and with a botocore client built from a model file."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import plugin_manager

from .conftest import signed_call

pytestmark = pytest.mark.cloudmock_plugin(
    "docs/examples/widget_plugin/plugin.py", name="myservice", target_prefix="MyService_20260101"
)


def test_crud_with_a_client_from_the_model_file(widgets: Any) -> None:
    name = f"w-{uuid.uuid4()}"
    widget_id = widgets.create_widget(WidgetName=name)["WidgetId"]
    assert widgets.get_widget(WidgetId=widget_id)["WidgetName"] == name
    assert {"WidgetId": widget_id, "WidgetName": name} in widgets.list_widgets()["Widgets"]
    widgets.delete_widget(WidgetId=widget_id)
    assert widget_id not in [w["WidgetId"] for w in widgets.list_widgets()["Widgets"]]


def test_crud_with_signed_http_requests(gw: Gateway) -> None:
    created = signed_call(gw.endpoint, "CreateWidget", {"WidgetName": "signed"})
    assert created.status_code == 200
    widget_id = created.json()["WidgetId"]
    got = signed_call(gw.endpoint, "GetWidget", {"WidgetId": widget_id})
    assert got.json() == {"WidgetId": widget_id, "WidgetName": "signed"}
    listed = signed_call(gw.endpoint, "ListWidgets").json()["Widgets"]
    assert {"WidgetId": widget_id, "WidgetName": "signed"} in listed
    assert signed_call(gw.endpoint, "DeleteWidget", {"WidgetId": widget_id}).content == b"{}"
    assert signed_call(gw.endpoint, "GetWidget", {"WidgetId": widget_id}).status_code == 404


def test_the_plugins_404_passes_through_verbatim(gw: Gateway, widgets: Any) -> None:
    answer = signed_call(gw.endpoint, "GetWidget", {"WidgetId": "no-such-widget"})
    assert answer.status_code == 404
    assert answer.content == b'{"error": "WidgetNotFound"}'
    assert answer.headers["x-amzn-RequestId"]
    with pytest.raises(ClientError) as caught:
        widgets.get_widget(WidgetId="no-such-widget")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert caught.value.response["Error"]["Code"] == "404"  # the body has no AWS error code


def test_routes_by_target_prefix_or_by_credential_scope(gw: Gateway) -> None:
    unsigned = signed_call(gw.endpoint, "CreateWidget", {"WidgetName": "by-target"}, sign=False)
    assert unsigned.status_code == 200 and "WidgetId" in unsigned.json()
    scoped = signed_call(gw.endpoint, "ListWidgets", target="SomethingElse_2020.ListWidgets")
    assert scoped.status_code == 200 and "Widgets" in scoped.json()
    elsewhere = signed_call(gw.endpoint, "ListWidgets", service="nosuchservice",
                            target="Nope_1.ListWidgets")
    assert elsewhere.status_code == 400
    assert "Nope_1.ListWidgets" in elsewhere.json()["message"]


def test_the_plugins_unknown_action_answer_passes_through(gw: Gateway) -> None:
    answer = signed_call(gw.endpoint, "Frobnicate")
    assert (answer.status_code, answer.content) == (400, b'{"error": "InvalidAction"}')


def test_health_and_admin_listing(gw: Gateway) -> None:
    health = requests.get(f"{gw.admin_endpoint}/api/health", timeout=10).json()
    assert health["services"]["myservice"] == "healthy"
    listed = {p["name"]: p for p in requests.get(f"{gw.admin_endpoint}/api/plugins", timeout=10).json()}
    entry = listed["myservice"]
    assert entry["type"] == "grpc" and entry["service"] == "myservice" and entry["pid"]
    assert entry["target_prefix"] == "MyService_20260101"
    assert entry["actions"] == ["CreateWidget", "GetWidget", "ListWidgets", "DeleteWidget"]
    assert [a.iam_action for a in gw.registry.get("myservice").actions()][0] == "myservice:CreateWidget"


def test_a_plugin_without_reset_keeps_its_state_across_resets(gw: Gateway) -> None:
    widget_id = signed_call(gw.endpoint, "CreateWidget", {"WidgetName": "kept"}).json()["WidgetId"]
    gw.reset()  # the Reset RPC answers UNIMPLEMENTED: accepted, state stays
    assert signed_call(gw.endpoint, "GetWidget", {"WidgetId": widget_id}).status_code == 200


def test_the_plugin_gets_action_region_account_body_and_headers(gw: Gateway) -> None:
    seen: dict[str, Any] = {}
    service = gw.registry.get("myservice")
    original = service.stub.HandleRequest

    def spy(request: Any, **kwargs: Any) -> Any:
        seen.update(action=request.action, region=request.region, account=request.account_id,
                    body=request.body, headers=dict(request.headers), timeout=kwargs["timeout"])
        return original(request, **kwargs)

    service.stub.HandleRequest = spy
    try:
        signed_call(gw.endpoint, "ListWidgets", {"Marker": "x"})
    finally:
        service.stub.HandleRequest = original
    assert seen["action"] == "ListWidgets" and seen["region"] == "us-east-1"
    assert seen["account"] == "123456789012" and json.loads(seen["body"]) == {"Marker": "x"}
    assert seen["headers"]["X-Amz-Target"] == "MyService_20260101.ListWidgets"
    assert seen["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIA")
    assert seen["timeout"] == gw.config.plugin_timeout
    assert plugin_manager(gw).plugins["myservice"].process is not None
