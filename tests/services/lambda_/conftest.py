"""Lambda test fixtures: clients, the service behind the gateway, a function factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.lambda_ import LambdaService, lambda_zip

ROLE = "arn:aws:iam::123456789012:role/lambda-role"
ECHO = """
def handler(event, context):
    print("echo", event)
    return {"event": event, "request_id": context.aws_request_id}
"""


@pytest.fixture
def lam(client: Callable[..., Any]) -> Any:
    return client("lambda")


@pytest.fixture
def lambda_service(aws: Gateway) -> LambdaService:
    service = aws.registry.get("lambda")
    assert isinstance(service, LambdaService)
    return service


@pytest.fixture
def make_function(lam: Any, lambda_service: LambdaService) -> Iterator[Callable[..., dict[str, Any]]]:
    """`make_function(name, source=ECHO, **settings)` -> the CreateFunction answer."""

    def make(name: str, source: str | bytes = ECHO, handler: str = "lambda_function.handler",
             runtime: str = "python3.12", **settings: Any) -> dict[str, Any]:
        code = source if isinstance(source, bytes) else lambda_zip(source)
        return lam.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                   Code={"ZipFile": code}, **settings)

    yield make


def payload_of(response: dict[str, Any]) -> Any:
    import json

    return json.loads(response["Payload"].read())
