"""Secrets Manager fixtures: clients over the gateway, a frozen clock, and a rotation Lambda
served by a tiny test-registered `lambda` service (the registry's public API)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_cloudmock.api import Action, RequestContext
from pytest_cloudmock.gateway import Gateway


@pytest.fixture
def sm(client: Any) -> Any:
    return client("secretsmanager")


@pytest.fixture
def kms(client: Any) -> Any:
    return client("kms")




class PythonLambda:
    """A `lambda` service whose functions are Python callables: `Invoke` runs one with the
    JSON payload; an exception becomes `FunctionError: Unhandled`, as Lambda reports it."""

    name = "lambda"

    def __init__(self) -> None:
        self.functions: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def actions(self) -> list[Action]:
        return [Action("Invoke")]

    def handle_request(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["FunctionName"].rsplit(":", 1)[-1]
        event = json.loads(ctx.params.get("Payload") or b"{}")
        self.calls.append((name, event))
        try:
            result = self.functions[name](event)
        except Exception as exc:  # noqa: BLE001 (reported to the caller as Lambda does)
            return {"StatusCode": 200, "FunctionError": "Unhandled",
                    "Payload": json.dumps({"errorMessage": str(exc)}).encode()}
        return {"StatusCode": 200, "Payload": json.dumps(result).encode()}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.calls.clear()


@pytest.fixture
def python_lambda(aws: Gateway) -> Iterator[PythonLambda]:
    """A test-registered Lambda service, removed after the test."""
    before = aws.registry.snapshot()
    service = aws.registry.register(PythonLambda())
    yield service  # type: ignore[misc]
    aws.registry.restore(before)
