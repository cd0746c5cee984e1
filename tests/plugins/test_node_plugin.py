"""A plugin in another language: the widget plugin in Node.js with @grpc/grpc-js, loading the
shipped `plugin.proto` at run time, driven by the same botocore client as the Python one.

Needs node and npm; `npm ci` runs once if `node_modules` is missing (CI: cache it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import plugin_manager
from pytest_cloudmock.plugins.intercept import PluginInterceptor

from .conftest import signed_call

NODE_PLUGIN = Path(__file__).parent / "node_plugin"


@pytest.fixture(scope="module", autouse=True)
def node_modules() -> None:
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed")
    if not (NODE_PLUGIN / "node_modules" / "@grpc" / "grpc-js").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_PLUGIN, check=True,
                       capture_output=True, timeout=300)


@pytest.mark.cloudmock_plugin("node_plugin/plugin.js", name="myservice")
def test_node_widget_plugin_crud_errors_and_reset(gw: Gateway, widgets: Any) -> None:
    assert plugin_manager(gw).plugins["myservice"].process.command[0] == "node"
    widget_id = widgets.create_widget(WidgetName="from node")["WidgetId"]
    assert widgets.get_widget(WidgetId=widget_id)["WidgetName"] == "from node"
    assert widgets.list_widgets()["Widgets"] == [{"WidgetId": widget_id, "WidgetName": "from node"}]
    widgets.delete_widget(WidgetId=widget_id)
    with pytest.raises(widgets.exceptions.WidgetNotFound):
        widgets.get_widget(WidgetId=widget_id)
    widgets.create_widget(WidgetName="reset me")
    gw.reset()  # the Node plugin implements the Reset RPC
    assert widgets.list_widgets()["Widgets"] == []
    assert [a.name for a in gw.registry.get("myservice").actions()] == [
        "CreateWidget", "GetWidget", "ListWidgets", "DeleteWidget"]
    unknown = signed_call(gw.endpoint, "Nope")
    assert unknown.status_code == 400 and unknown.json()["__type"] == "InvalidAction"


@pytest.mark.cloudmock_plugin("node_plugin/plugin.js", name="myservice")
def test_node_plugin_intercepts_another_service(gw: Gateway, cloudmock: Any) -> None:
    """The Node plugin declares `sqs:CreateQueue` and implements InterceptRequest only."""
    sqs = cloudmock.client("sqs")
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName="node-denied-orders")
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("AccessDenied", "the node plugin refuses node-denied-orders")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert sqs.create_queue(QueueName="orders")["QueueUrl"].endswith("/orders")
    [interceptor] = [i for i in gw.registry.interceptors if isinstance(i, PluginInterceptor)]
    assert interceptor.rpcs == {"InterceptRequest": True, "InterceptResponse": False}  # UNIMPLEMENTED
