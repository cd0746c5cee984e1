"""AWS Config test fixtures: boto3 clients over the gateway, a recorder and channel ready."""

from __future__ import annotations

from typing import Any

import pytest

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
def frozen_at() -> Any:
    return "2024-05-01T12:00:00Z"
