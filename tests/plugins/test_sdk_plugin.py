"""The SDK's widget plugin, spawned for a class by the marker: the `Reset` RPC gives each
test a clean plugin, and `ServiceError` reaches boto3 as a modelled AWS error. (That a
class's tests share one process is checked in test_no_orphans.py, in one pytest run.)"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import plugin_manager

from .conftest import signed_call


@pytest.mark.cloudmock_plugin("../../docs/examples/widget_plugin/sdk_plugin.py", name="myservice")
class TestSdkWidgets:
    @pytest.mark.parametrize("run", [1, 2])
    def test_each_test_starts_empty(self, widgets: Any, run: int) -> None:
        assert widgets.list_widgets()["Widgets"] == []  # the plugin was reset after the last test
        widgets.create_widget(WidgetName=f"run-{run}")

    def test_reset_rpc_clears_the_plugin(self, gw: Gateway, widgets: Any) -> None:
        widgets.create_widget(WidgetName="gone soon")
        gw.reset()
        assert widgets.list_widgets()["Widgets"] == []

    def test_service_errors_are_aws_errors(self, widgets: Any) -> None:
        with pytest.raises(ClientError) as caught:
            widgets.get_widget(WidgetId="nope")
        error = caught.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("WidgetNotFound", "no widget nope")
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert isinstance(caught.value, widgets.exceptions.WidgetNotFound)

    def test_sdk_rejects_unknown_actions(self, gw: Gateway) -> None:
        unknown = signed_call(gw.endpoint, "Frobnicate")
        assert unknown.status_code == 400 and unknown.json()["__type"] == "InvalidAction"
        assert unknown.headers["x-amzn-ErrorType"] == "InvalidAction"


def test_the_class_plugin_is_not_active_outside_the_class(gw: Gateway) -> None:
    assert "myservice" not in plugin_manager(gw).plugins and "myservice" not in gw.registry
