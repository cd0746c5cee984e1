"""SQS test fixtures: one client per protocol, the service behind the gateway, an MD5 oracle.

`sqs` is parametrized over a json client (botocore's shipped model) and a query
client (botocore reading the last query-protocol SQS model from
`tests/services/data` through a `Loader` search path), so every behaviour test
runs through both wire protocols.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config as BotoConfig
from botocore.loaders import Loader

from pytest_cloudmock.gateway import Gateway

DATA = Path(__file__).resolve().parent.parent / "data"
ACCOUNT = "123456789012"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
PROTOCOLS = ("json", "query")


def boto3_session(protocol: str, access_key: str = ACCESS_KEY) -> boto3.Session:
    """A boto3 session whose SQS client speaks `protocol`."""
    core = botocore.session.Session()
    if protocol == "query":
        core.register_component("data_loader", Loader(extra_search_paths=[str(DATA)]))
    return boto3.Session(
        botocore_session=core, aws_access_key_id=access_key, aws_secret_access_key=SECRET, region_name=REGION
    )


@pytest.fixture(scope="session")
def sqs_sessions() -> dict[str, boto3.Session]:
    return {protocol: boto3_session(protocol) for protocol in PROTOCOLS}


@pytest.fixture(scope="session")
def sqs_clients(gateway: Gateway, sqs_sessions: dict[str, boto3.Session]) -> dict[str, Any]:
    """One client per protocol for the whole session (making clients is the slow part)."""
    return {protocol: make_client(sqs_sessions[protocol], gateway.endpoint) for protocol in PROTOCOLS}


def make_client(session: boto3.Session, endpoint: str, **config: Any) -> Any:
    return session.client(
        "sqs", endpoint_url=endpoint, config=BotoConfig(retries={"max_attempts": 1, "mode": "standard"}, **config)
    )


@pytest.fixture(params=PROTOCOLS)
def sqs(request: pytest.FixtureRequest, aws: Gateway, sqs_clients: dict[str, Any]) -> Any:
    """An SQS client over the gateway (state reset after the test), once per protocol."""
    client = sqs_clients[request.param]
    assert client.meta.service_model.protocol == request.param
    return client


@pytest.fixture
def sqs_json(aws: Gateway, sqs_clients: dict[str, Any]) -> Any:
    """A json client, for tests of things that do not depend on the protocol."""
    return sqs_clients["json"]


@pytest.fixture
def sqs_service(aws: Gateway) -> Any:
    """The `SqsService` behind the gateway (its store)."""
    return aws.registry.get("sqs")


@pytest.fixture
def clock(aws: Gateway) -> Iterator[Callable[[float], float]]:
    """`clock(seconds)` moves the gateway clock forward (visibility, retention, dedup windows)."""
    yield aws.clock.advance
    aws.clock.reset()




@pytest.fixture
def make_queue(sqs: Any) -> Callable[..., str]:
    """`make_queue(name, **attributes)` -> queue URL."""

    def create(name: str, **attributes: Any) -> str:
        attrs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in attributes.items()}
        return sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]

    return create


def error_code(exc_info: pytest.ExceptionInfo[Any]) -> str:
    """The error code a client sees, whatever the protocol (json: query code from the header)."""
    return exc_info.value.response["Error"]["Code"]


def md5_of_message_attributes(attributes: dict[str, dict[str, Any]]) -> str:
    """The MD5 AWS documents for message attributes, written out independently as an oracle.

    For each attribute in name order: 4-byte big-endian length and UTF-8 bytes of the
    name, of the data type, then one byte (1 string/number, 2 binary), then the
    length and bytes of the value.
    """
    digest = hashlib.md5(usedforsecurity=False)
    for name in sorted(attributes):
        attr = attributes[name]
        for text in (name, attr["DataType"]):
            digest.update(len(text.encode()).to_bytes(4, "big") + text.encode())
        if "BinaryValue" in attr:
            value = attr["BinaryValue"]
            digest.update(b"\x02" + len(value).to_bytes(4, "big") + value)
        else:
            value = attr["StringValue"].encode()
            digest.update(b"\x01" + len(value).to_bytes(4, "big") + value)
    return digest.hexdigest()
