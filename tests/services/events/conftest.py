"""EventBridge test fixtures: clients, a frozen gateway clock, a queue to receive deliveries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from tests.services.lambda_.conftest import lam, lambda_service, make_function  # noqa: F401 - Lambda targets

ACCOUNT = "123456789012"


@pytest.fixture
def events(client: Callable[..., Any]) -> Any:
    return client("events")


@pytest.fixture
def sqs(client: Callable[..., Any]) -> Any:
    return client("sqs")


@pytest.fixture
def frozen_at() -> Any:
    return "2026-01-05T10:00:00Z"


@pytest.fixture
def queue(sqs: Any) -> Callable[..., tuple[str, str]]:
    """`queue(name, **attributes)` -> (url, arn)."""

    def make(name: str, **attributes: str) -> tuple[str, str]:
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    return make


@pytest.fixture
def drain(sqs: Any, aws: Gateway) -> Callable[[str], list[Any]]:
    """`drain(url)`: settle the dispatcher, then every message body on the queue (JSON decoded when it is)."""

    def read(url: str) -> list[Any]:
        aws.settle()
        bodies: list[Any] = []
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
            messages = got.get("Messages", [])
            if not messages:
                return bodies
            for message in messages:
                try:
                    bodies.append(json.loads(message["Body"]))
                except ValueError:
                    bodies.append(message["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return read
