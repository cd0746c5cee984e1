"""Helpers for the plugin tests: a widget client from a botocore model file, signed requests,
and process checks. The tests use the pytest plugin's own `cloudmock` gateway, as users do."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.session
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config as BotoConfig
from botocore.credentials import Credentials

from pytest_cloudmock.gateway import Gateway

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "widget_plugin"
WIDGET_PLUGIN = str(EXAMPLE / "plugin.py")
SDK_WIDGET_PLUGIN = str(EXAMPLE / "sdk_plugin.py")
FAULT_PLUGIN = str(Path(__file__).parent / "scripts" / "fault_plugin.py")
CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
REGION = "us-east-1"


@pytest.fixture
def gw(cloudmock: Any) -> Gateway:
    """The pytest plugin's session gateway (the one the marker and fixture use; the plugin
    resets it after every test)."""
    return cloudmock.gateway


@pytest.fixture(scope="session")
def model_session() -> botocore.session.Session:
    """A botocore session that knows `myservice` from the example's model file."""
    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(EXAMPLE / "models"))
    return session


@pytest.fixture
def widgets(gw: Gateway, model_session: botocore.session.Session) -> Any:
    """A boto3-style `myservice` client pointed at the gateway (no retries)."""
    return model_session.create_client(
        "myservice", region_name=REGION, endpoint_url=gw.endpoint,
        aws_access_key_id=CREDENTIALS.access_key, aws_secret_access_key=CREDENTIALS.secret_key,
        config=BotoConfig(retries={"max_attempts": 1}),
    )


def signed_call(
    endpoint: str, action: str, params: dict[str, Any] | None = None, *,
    service: str = "myservice", target: str | None = None, sign: bool = True, timeout: float = 10,
) -> requests.Response:
    """POST a JSON-protocol call, SigV4-signed for `service` (or unsigned)."""
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": target or f"MyService_20260101.{action}",
    }
    request = AWSRequest("POST", endpoint + "/", data=json.dumps(params or {}).encode(), headers=headers)
    if sign:
        SigV4Auth(CREDENTIALS, service, REGION).add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=timeout)


def process_gone(pid: int | None) -> bool:
    """True when no process of the plugin's process group is left (reaped, not a zombie)."""
    assert pid is not None
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def admin(gw: Gateway) -> Callable[..., requests.Response]:
    """`admin("POST", "/api/plugins", json=...)` against the gateway's admin endpoint."""

    def call(method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{gw.admin_endpoint}{path}", timeout=30, **kwargs)

    return call
