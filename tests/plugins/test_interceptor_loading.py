"""In-process interceptors from the config's `interceptors:` and the `cloudmock.interceptors`
entry-point group, loaded when the gateway starts."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config, ConfigError
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins import PluginError
from pytest_cloudmock.plugins import interceptors as loading

EXAMPLES = "tests.plugins.interceptor_examples"


@pytest.fixture
def started() -> Iterator[list[Gateway]]:
    gateways: list[Gateway] = []
    yield gateways
    for gw in gateways:
        gw.stop()


def start(started: list[Gateway], **config: Any) -> Gateway:
    gw = Gateway(Config(admin_port=None, **config))
    started.append(gw)
    return gw.start()


def client(gw: Gateway, service: str) -> Any:
    return boto3.client(service, endpoint_url=gw.endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", config=BotoConfig(retries={"total_max_attempts": 1}))


def test_config_interceptors_change_answers(started: list[Gateway]) -> None:
    gw = start(started, interceptors=[f"{EXAMPLES}:rename_user", f"{EXAMPLES}:pair"])
    assert [i.name for i in gw.registry.interceptors][-3:] == ["rename-user", "", ""]
    assert client(gw, "sts").get_caller_identity()["UserId"] == "FROM-CONFIG"
    with pytest.raises(ClientError) as caught:
        client(gw, "sns").create_topic(Name="t")
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert caught.value.response["Error"]["Message"] == "refused by an entry-point interceptor: t"


def test_entry_point_interceptors_and_a_broken_one(
    started: list[Gateway], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    group = loading.ENTRY_POINT_GROUP
    points = [EntryPoint("broken", "no_such_module_here:thing", group),
              EntryPoint("ours", f"{EXAMPLES}:factory", group)]
    monkeypatch.setattr(loading, "entry_points", lambda group: points if group == loading.ENTRY_POINT_GROUP else [])
    with caplog.at_level(logging.ERROR, "pytest_cloudmock"):
        gw = start(started)
    assert "from-factory" in [i.name for i in gw.registry.interceptors]
    assert "skipping entry point broken" in caplog.text
    with pytest.raises(ClientError) as caught:
        client(gw, "sns").create_topic(Name="t")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("no_such_module_here:x", "cannot load 'no_such_module_here:x': ModuleNotFoundError"),
        (f"{EXAMPLES}:missing", "AttributeError"),
        (f"{EXAMPLES}:not_an_interceptor", "is not a pytest_cloudmock.interception.Interceptor"),
    ],
)
def test_bad_config_entries_stop_the_gateway(started: list[Gateway], path: str, words: str) -> None:
    gw = Gateway(Config(admin_port=None, interceptors=[path]))
    started.append(gw)
    with pytest.raises(PluginError, match=words):
        gw.start()
    assert not gw.running


@pytest.mark.parametrize("value", ["pkg.mod:attr", ["no-colon"], [1]])
def test_config_key_is_checked(value: Any) -> None:
    with pytest.raises(ConfigError, match="interceptors must be a list"):
        Config.from_dict({"interceptors": value})
