"""CloudWatch test fixtures: a client per wire protocol (CBOR, JSON, query), a frozen clock.

botocore picks JSON from CloudWatch's model; the CBOR and query clients read the same
model restricted to one protocol (as tests/gateway/test_protocols_live.py does).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.models import service_model
from pytest_cloudmock.stubs.client import boto3_session

PROTOCOLS = ("json", "smithy-rpc-v2-cbor", "query")
START = "2026-03-04T05:06:00Z"  # a whole minute: periods line up with it


def models_for(root: Path, protocol: str) -> Path:
    model = service_model("cloudwatch")
    data = json.loads(json.dumps(model._service_description, default=str))
    data["metadata"]["protocols"] = [protocol]
    data["metadata"]["protocol"] = protocol
    folder = root / protocol / "cloudwatch" / model.api_version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(data))
    return root / protocol


@pytest.fixture(scope="session")
def cw_clients(gateway: Gateway, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("cloudwatch-models")
    clients = {}
    for protocol in PROTOCOLS:
        session = boto3_session(models_for(root, protocol), aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                                aws_secret_access_key="secret", region_name="us-east-1")
        clients[protocol] = session.client("cloudwatch", endpoint_url=gateway.endpoint,
                                           config=BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"}))
        assert clients[protocol].meta.service_model.resolved_protocol == protocol
    return clients


@pytest.fixture(params=PROTOCOLS)
def cw_any(request: pytest.FixtureRequest, aws: Gateway, cw_clients: dict[str, Any]) -> Any:
    """A CloudWatch client, once per wire protocol."""
    return cw_clients[request.param]


@pytest.fixture
def cw(client: Any) -> Any:
    """botocore's own CloudWatch client (JSON)."""
    return client("cloudwatch")


@pytest.fixture
def frozen_at() -> Any:
    return START


def code(exc: pytest.ExceptionInfo[Any]) -> str:
    return exc.value.response["Error"]["Code"]
