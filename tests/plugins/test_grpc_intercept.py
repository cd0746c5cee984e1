"""gRPC plugins intercept other services' calls (the proto's optional InterceptRequest and
InterceptResponse): the SDK's `@intercept` in Python, a hand-written Node plugin, and plugins
that implement none of it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import plugin_manager
from pytest_cloudmock.plugins.intercept import PluginInterceptor
from pytest_cloudmock.pytest_support.handle import CloudMock

from .conftest import WIDGET_PLUGIN

INTERCEPT_PLUGIN = str(Path(__file__).parent / "scripts" / "intercept_plugin.py")


def plugin_interceptors(gw: Gateway) -> list[PluginInterceptor]:
    return [i for i in gw.registry.interceptors if isinstance(i, PluginInterceptor)]


@pytest.mark.cloudmock_plugin(INTERCEPT_PLUGIN, name="guard", timeout=0.5)
class TestSdkInterceptor:
    def test_put_object_rejected_or_rewritten(self, cloudmock: CloudMock) -> None:
        s3 = cloudmock.client("s3")
        s3.create_bucket(Bucket="guarded")
        with pytest.raises(ClientError) as caught:
            s3.put_object(Bucket="guarded", Key="private/secret.txt", Body=b"x")
        error = caught.value.response["Error"]
        assert (error["Code"], error["Message"]) == ("AccessDenied", "the guard plugin refuses private/secret.txt")
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        s3.put_object(Bucket="guarded", Key="draft/page.txt", Body=b"draft")
        s3.put_object(Bucket="guarded", Key="public.txt", Body=b"ok")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="guarded")["Contents"]]
        assert keys == ["final/page.txt", "public.txt"]
        assert s3.get_object(Bucket="guarded", Key="final/page.txt")["Body"].read() == b"draft"

    def test_caller_identity_result_rewritten(self, cloudmock: CloudMock) -> None:
        identity = cloudmock.client("sts").get_caller_identity()
        assert (identity["UserId"], identity["Account"]) == ("INTERCEPTED", "210987654321")
        assert identity["Arn"].startswith("arn:aws:")  # the rest is the service's own answer

    def test_before_can_answer_with_a_result(self, cloudmock: CloudMock) -> None:
        sqs = cloudmock.client("sqs")
        assert sqs.get_queue_url(QueueName="virtual")["QueueUrl"] == "https://example.invalid/virtual"
        with pytest.raises(ClientError) as caught:
            sqs.get_queue_url(QueueName="real")
        assert caught.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"

    def test_a_failing_or_slow_interceptor_lets_the_call_through(
        self, cloudmock: CloudMock, caplog: pytest.LogCaptureFixture
    ) -> None:
        s3 = cloudmock.client("s3")
        s3.create_bucket(Bucket="guarded")
        s3.put_object(Bucket="guarded", Key="boom/a", Body=b"1")
        started = time.monotonic()
        s3.put_object(Bucket="guarded", Key="slow/b", Body=b"2")
        assert 0.5 <= time.monotonic() - started < 2  # the 0.5 s deadline, not the plugin's 2 s
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="guarded")["Contents"]] == ["boom/a", "slow/b"]
        messages = " ".join(r.getMessage() for r in caplog.records)
        assert "UNKNOWN" in messages and "DEADLINE_EXCEEDED" in messages

    def test_only_the_declared_calls_are_intercepted(self, gw: Gateway, cloudmock: CloudMock) -> None:
        [interceptor] = plugin_interceptors(gw)
        assert [(p.service, p.operation) for p in interceptor.patterns] == [
            ("s3", "PutObject"), ("sqs", "GetQueueUrl"), ("sts", "GetCallerIdentity")]
        cloudmock.client("s3").list_buckets()  # not declared: no RPC
        assert interceptor.rpcs == {"InterceptRequest": True, "InterceptResponse": True}


def test_removing_the_plugin_removes_its_interceptor(gw: Gateway, cloudmock: CloudMock,
                                                     cloudmock_plugin: Any) -> None:
    cloudmock_plugin(INTERCEPT_PLUGIN, name="guard")
    assert len(plugin_interceptors(gw)) == 1
    plugin_manager(gw).remove("guard")
    assert plugin_interceptors(gw) == []
    s3 = cloudmock.client("s3")
    s3.create_bucket(Bucket="free")
    s3.put_object(Bucket="free", Key="private/now-allowed", Body=b"x")


@pytest.mark.cloudmock_plugin(WIDGET_PLUGIN, name="myservice")
def test_plugin_without_interception_works_unchanged(gw: Gateway, widgets: Any, cloudmock: CloudMock) -> None:
    """The docs' widget plugin knows nothing of interception (no `intercepts`, no Intercept RPCs)."""
    assert gw.registry.get("myservice").intercepts == ()
    assert plugin_interceptors(gw) == []
    widget_id = widgets.create_widget(WidgetName="plain")["WidgetId"]
    assert widgets.get_widget(WidgetId=widget_id)["WidgetName"] == "plain"
    assert cloudmock.client("sts").get_caller_identity()["Account"] == cloudmock.account_id
