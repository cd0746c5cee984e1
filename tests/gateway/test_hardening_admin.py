"""Issue 11, item 4: the admin API cannot be driven by a web page, and plugins cannot take over."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.plugins.manager import dial_allowed


@pytest.fixture(scope="module")
def gw() -> Iterator[Gateway]:
    gateway = Gateway(Config()).start()
    yield gateway
    gateway.stop()


def call(gw: Gateway, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, dict]:
    port = int(gw.admin_endpoint.rsplit(":", 1)[1])  # type: ignore[union-attr]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


def test_cross_origin_text_plain_post_is_refused_and_changes_nothing(gw: Gateway) -> None:
    sqs = gw.registry.get("sqs")
    reset_calls = []
    original = sqs.reset
    sqs.reset = lambda: reset_calls.append(1)  # type: ignore[method-assign]
    try:
        status, body = call(gw, "POST", "/api/reset", b"{}", Content_Type="text/plain",
                            Origin="http://evil.example")
        assert status == 403 and "cross-origin" in body["error"]
        status, _ = call(gw, "POST", "/api/reset", b"{}", Content_Type="text/plain")
        assert status == 415
        assert reset_calls == []
        assert call(gw, "POST", "/api/reset", b"{}", Content_Type="application/json",
                    Origin=gw.admin_endpoint)[0] == 200
        assert reset_calls == [1]
    finally:
        sqs.reset = original  # type: ignore[method-assign]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:4599", "10.0.0.1", "localhost.evil.example"])
def test_foreign_host_is_refused(gw: Gateway, host: str) -> None:
    assert call(gw, "GET", "/api/health", Host=host)[0] == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:4599", "[::1]:4599", "LOCALHOST"])
def test_loopback_hosts_are_accepted(gw: Gateway, host: str) -> None:
    assert call(gw, "GET", "/api/services", Host=host)[0] == 200


def test_admin_token_is_required_when_configured() -> None:
    gateway = Gateway(Config(admin_token="s3cret", admin_allowed_hosts=["localhost", "127.0.0.1", "admin.test"]))
    with gateway:
        assert call(gateway, "GET", "/api/health")[0] == 401
        assert call(gateway, "GET", "/api/health", X_Cloudmock_Admin_Token="wrong")[0] == 401
        assert call(gateway, "GET", "/api/health", X_Cloudmock_Admin_Token="s3cret")[0] == 200
        assert call(gateway, "GET", "/api/health", Host="admin.test", X_Cloudmock_Admin_Token="s3cret")[0] == 200


@pytest.mark.parametrize(("address", "allowed"), [
    ("127.0.0.1:5000", True), ("localhost:5000", True), ("[::1]:5000", True), ("127.8.9.1:1", True),
    ("unix:/tmp/plugin.sock", True), ("dns:///localhost:5000", True),
    ("10.0.0.5:5000", False), ("example.com:443", False), ("169.254.169.254:80", False),
])
def test_plugin_dialing_is_loopback_only_by_default(address: str, allowed: bool) -> None:
    assert dial_allowed(address, []) is allowed
    assert dial_allowed(address, ["*"]) is True


def test_admin_api_refuses_a_non_loopback_plugin_address(gw: Gateway) -> None:
    status, body = call(gw, "POST", "/api/plugins", json.dumps({"name": "x", "address": "10.1.2.3:5000"}).encode(),
                        Content_Type="application/json")
    assert status == 403 and "loopback" in body["error"]


class FakeSts:
    """A plugin service claiming the built-in name `sts`."""

    name = "sts"

    def actions(self) -> list:
        return []

    def handle_request(self, ctx):  # pragma: no cover - never called
        return {}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        pass


def test_plugin_replaces_a_builtin_only_when_allowed_and_removal_restores_it(gw: Gateway) -> None:
    from pytest_cloudmock.config import PluginConfig
    from pytest_cloudmock.plugins import PluginError
    from pytest_cloudmock.plugins.manager import manager_for

    manager = manager_for(gw)
    builtin = gw.registry.get("sts")
    config = PluginConfig(name="fake-sts", type="python", module=f"{__name__}:FakeSts")
    with pytest.raises(PluginError, match="allow_plugin_override"):
        manager.add(config, may_replace=False)
    assert gw.registry.get("sts") is builtin and "fake-sts" not in manager.plugins
    loaded = manager.add(config, may_replace=True)
    assert gw.registry.get("sts") is loaded.service
    manager.remove("fake-sts")
    assert gw.registry.get("sts") is builtin


def test_start_banner_names_the_address_bound_when_the_url_cannot() -> None:
    from pytest_cloudmock.cli import _bound

    assert _bound("0.0.0.0", 4599) == " (listening on 0.0.0.0:4599)"
    assert _bound("::", 4599) == " (listening on :::4599)"
    assert _bound("127.0.0.1", 4599) == ""
