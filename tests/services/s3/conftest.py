"""Fixtures for the S3 tests: boto3 clients over the gateway, in both checksum modes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.gateway import Gateway

CHECKSUM_MODES = ["when_supported", "when_required"]


def s3_config(mode: str = "when_supported", **kwargs: Any) -> BotoConfig:
    return BotoConfig(
        retries={"max_attempts": 1, "mode": "standard"},
        request_checksum_calculation=mode,
        response_checksum_validation=mode,
        **kwargs,
    )


@pytest.fixture(scope="session")
def s3_clients(gateway: Gateway, boto_session: Any) -> Callable[..., Any]:
    """`s3_clients(mode)`: one cached S3 client per checksum mode (clients cost ~100 ms)."""
    cache: dict[str, Any] = {}

    def get(mode: str = "when_supported") -> Any:
        if mode not in cache:
            cache[mode] = boto_session.client("s3", endpoint_url=gateway.endpoint,
                                              config=s3_config(mode))
        return cache[mode]

    return get


@pytest.fixture(params=CHECKSUM_MODES)
def s3(request: pytest.FixtureRequest, aws: Gateway, s3_clients: Callable[..., Any]) -> Any:
    """An S3 client with boto3's default checksums, then with `when_required`."""
    return s3_clients(request.param)


@pytest.fixture
def s3_default(aws: Gateway, s3_clients: Callable[..., Any]) -> Any:
    """An S3 client with boto3's defaults only (for tests where the mode does not matter)."""
    return s3_clients()


@pytest.fixture
def bucket(s3_default: Any) -> str:
    name = f"b-{uuid.uuid4().hex[:12]}"
    s3_default.create_bucket(Bucket=name)
    return name


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, int]:
    """(code, HTTP status) of a botocore ClientError."""
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]
