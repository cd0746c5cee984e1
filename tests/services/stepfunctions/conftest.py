"""Step Functions test fixtures: clients, a machine factory, and waiting for executions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.gateway import Gateway
from tests.services.lambda_.conftest import lam, lambda_service, make_function  # noqa: F401 - Lambda tasks

ROLE = "arn:aws:iam::123456789012:role/sfn"


@pytest.fixture
def sfn(client: Callable[..., Any]) -> Any:
    """A Step Functions client (no `sync-` host prefix: the plugin's clients do the same)."""
    config = BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)
    return client("stepfunctions", config=config)


@pytest.fixture
def machine(sfn: Any) -> Callable[..., str]:
    """`machine(definition, name=..., type=...)` -> the new state machine's ARN."""
    count = [0]

    def make(definition: dict[str, Any] | str, name: str | None = None, **kwargs: Any) -> str:
        count[0] += 1
        text = definition if isinstance(definition, str) else json.dumps(definition)
        return sfn.create_state_machine(name=name or f"m{count[0]}", definition=text, roleArn=ROLE,
                                        **kwargs)["stateMachineArn"]

    return make


@pytest.fixture
def run(sfn: Any, aws: Gateway, machine: Callable[..., str]) -> Callable[..., dict[str, Any]]:
    """`run(definition, input)`: start a STANDARD execution, settle, and describe it."""

    def go(definition: dict[str, Any], data: Any = None, settle_timeout: float = 5.0, **kwargs: Any) -> dict[str, Any]:
        arn = machine(definition)
        started = sfn.start_execution(stateMachineArn=arn, input=json.dumps({} if data is None else data), **kwargs)
        aws.settle(settle_timeout)
        return sfn.describe_execution(executionArn=started["executionArn"])

    return go


def output(described: dict[str, Any]) -> Any:
    assert described["status"] == "SUCCEEDED", described
    return json.loads(described["output"])


def history(sfn: Any, arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"executionArn": arn}
    while True:
        page = sfn.get_execution_history(**kwargs)
        events.extend(page["events"])
        if "nextToken" not in page:
            return events
        kwargs["nextToken"] = page["nextToken"]


@pytest.fixture
def intercept(aws: Gateway) -> Any:
    """`intercept(service, operation, before=..., after=...)`: an interceptor for this test only
    (what `cloudmock.intercept` gives a user)."""
    from pytest_cloudmock.interception import Interceptor

    added: list[Interceptor] = []

    def add(service: str, operation: str, **hooks: Any) -> Interceptor:
        added.append(aws.registry.interceptors.add(Interceptor(service, operation, **hooks)))
        return added[-1]

    yield add
    for interceptor in added:
        aws.registry.interceptors.remove(interceptor)
