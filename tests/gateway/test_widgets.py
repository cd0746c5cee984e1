"""An in-process service registered at run time, called with raw signed HTTP requests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pytest_cloudmock.gateway import Gateway

from .signed import json_call
from .widgets import WidgetService

TARGET = "MyService_20260101"


@pytest.fixture
def widgets(aws: Gateway) -> Iterator[Gateway]:
    aws.registry.register(WidgetService())
    yield aws
    aws.registry.unregister("myservice")


def call(gw: Gateway, op: str, **payload: object):
    return json_call(gw.endpoint, f"{TARGET}.{op}", payload, "myservice")


def test_create_get_list_delete(widgets: Gateway) -> None:
    created = call(widgets, "CreateWidget", WidgetName="sprocket")
    assert created.status == 200, created.body
    widget_id = created.json()["WidgetId"]
    assert call(widgets, "GetWidget", WidgetId=widget_id).json() == {
        "WidgetId": widget_id, "WidgetName": "sprocket"
    }
    call(widgets, "CreateWidget", WidgetName="gear")
    names = [w["WidgetName"] for w in call(widgets, "ListWidgets").json()["Widgets"]]
    assert names == ["gear", "sprocket"]
    assert call(widgets, "DeleteWidget", WidgetId=widget_id).status == 200
    missing = call(widgets, "GetWidget", WidgetId=widget_id)
    assert missing.status == 404
    assert missing.json()["__type"] == "ResourceNotFoundException"
    assert missing.headers["x-amzn-errortype"].startswith("ResourceNotFoundException")


def test_routed_by_credential_scope_alone(widgets: Gateway) -> None:
    """The docs: "the myservice credential scope or X-Amz-Target: MyService_... header"."""
    from .signed import signed_request

    reply = signed_request(
        widgets.endpoint, "myservice", body='{"WidgetName": "w"}',
        headers={"X-Amz-Target": "Whatever.CreateWidget", "Content-Type": "application/x-amz-json-1.0"},
    )
    assert reply.status == 200, reply.body
    assert "WidgetId" in reply.json()


def test_validation_error_and_unknown_operation(widgets: Gateway) -> None:
    bad = call(widgets, "CreateWidget")
    assert (bad.status, bad.json()["__type"]) == (400, "ValidationException")
    unknown = call(widgets, "PaintWidget")
    assert unknown.status == 501
    assert "PaintWidget" in unknown.json()["message"]


def test_state_is_per_account(widgets: Gateway) -> None:
    from botocore.credentials import Credentials

    other = Credentials("111111111111", "secret")
    call(widgets, "CreateWidget", WidgetName="mine")
    theirs = json_call(widgets.endpoint, f"{TARGET}.ListWidgets", {}, "myservice", credentials=other)
    assert theirs.json() == {"Widgets": []}
    store = widgets.registry.get("myservice").store  # type: ignore[union-attr]
    assert [w["WidgetName"] for w in store.get("123456789012", "us-east-1").widgets.values()] == ["mine"]
