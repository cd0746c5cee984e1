"""AWS Config test fixtures: boto3 clients over the gateway, a recorder and channel ready."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pytest_cloudmock.clock import Clock
from pytest_cloudmock.gateway import Gateway

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/config-role"


@pytest.fixture
def config(client: Any) -> Any:
    return client("config")


@pytest.fixture
def recording(config: Any, client: Any) -> Any:
    """A recorder with a delivery channel, started: `config` ready as in a set-up account."""
    client("s3").create_bucket(Bucket="config-delivery")
    config.put_configuration_recorder(ConfigurationRecorder={"name": "default", "roleARN": ROLE})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-delivery"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    return config


@pytest.fixture
def frozen(aws: Gateway) -> Iterator[Clock]:
    """The gateway clock, frozen on a whole second for the test, back to real time after it."""
    aws.clock.freeze("2024-05-01T12:00:00Z")
    yield aws.clock
    aws.clock.reset()
