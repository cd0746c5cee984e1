"""CloudFormation test fixtures: clients, the service, a test-only provider, a deploy helper."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation import CloudFormationService
from pytest_cloudmock.services.cloudformation.providers.base import Created, ProviderContext

from ..aws_errors import error_of


@pytest.fixture
def cfn(client: Callable[..., Any]) -> Any:
    return client("cloudformation")


@pytest.fixture
def cfn_service(aws: Gateway) -> CloudFormationService:
    service = aws.registry.get("cloudformation")
    assert isinstance(service, CloudFormationService)
    return service


@dataclass
class Widget:
    """`Test::Widget::Thing`: a provider that records calls; `Fail: true` makes create fail,
    `FailDelete: true` delete; `Signals: n` sends n SignalResource calls while being created,
    `Gated: true` waits for the test to set `gate`."""

    type_name: str = "Test::Widget::Thing"
    replaces: frozenset[str] = frozenset({"Name"})
    live: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    #: A resource with `Gated: true` is created only once the test sets this.
    gate: threading.Event = field(default_factory=threading.Event)
    #: Set when a gated resource's create has begun (and waits at the gate).
    at_gate: threading.Event = field(default_factory=threading.Event)

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        if properties.get("Fail"):
            from pytest_cloudmock.api import AWSError

            raise AWSError("InvalidRequest", f"widget {ctx.logical_id} refused", 400)
        if properties.get("Gated"):
            self.at_gate.set()
            assert self.gate.wait(timeout=10), "the test never opened the gate"
        for number in range(int(properties.get("Signals", 0))):  # an instance signalling as it boots
            ctx.call("cloudformation", "SignalResource", {"StackName": ctx.stack_name, "UniqueId": f"i-{number}",
                                                          "LogicalResourceId": ctx.logical_id, "Status": "SUCCESS"})
        physical = f"{ctx.stack_name}-{ctx.logical_id}-{len(self.calls)}"
        self.calls.append(("create", ctx.logical_id))
        self.live[physical] = dict(properties)
        return Created(physical, {"Arn": f"arn:test:widget:{physical}", "Size": properties.get("Size", 0),
                                  "Endpoint.Address": f"{physical}.example"})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self.calls.append(("update", ctx.logical_id))
        self.live[physical_id] = dict(new)
        return Created(physical_id, {"Arn": f"arn:test:widget:{physical_id}", "Size": new.get("Size", 0),
                                     "Endpoint.Address": f"{physical_id}.example"})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        if properties.get("FailDelete"):
            from pytest_cloudmock.api import AWSError

            raise AWSError("InvalidRequest", f"widget {ctx.logical_id} is busy", 400)
        self.calls.append(("delete", ctx.logical_id))
        self.live.pop(physical_id, None)


@pytest.fixture
def widgets(cfn_service: CloudFormationService) -> Iterator[Widget]:
    provider = Widget()
    undo = cfn_service.register_provider(provider)
    yield provider
    undo()


@pytest.fixture
def deploy(cfn: Any, aws: Gateway) -> Callable[..., dict[str, Any]]:
    """`deploy(name, template, **kwargs)`: create the stack, settle, return its description."""

    def run(name: str, template: dict[str, Any] | str, **kwargs: Any) -> dict[str, Any]:
        body = template if isinstance(template, str) else json.dumps(template)
        cfn.create_stack(StackName=name, TemplateBody=body, **kwargs)
        aws.settle()
        return cfn.describe_stacks(StackName=name)["Stacks"][0]

    return run


@pytest.fixture
def update(cfn: Any, aws: Gateway) -> Callable[..., dict[str, Any]]:
    def run(name: str, template: dict[str, Any] | str, **kwargs: Any) -> dict[str, Any]:
        body = template if isinstance(template, str) else json.dumps(template)
        cfn.update_stack(StackName=name, TemplateBody=body, **kwargs)
        aws.settle()
        return cfn.describe_stacks(StackName=name)["Stacks"][0]

    return run


def outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def events(cfn: Any, name: str) -> list[tuple[str, str, str]]:
    """(logical id, status, reason) oldest first."""
    found = cfn.describe_stack_events(StackName=name)["StackEvents"]
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", "")) for e in reversed(found)]


__all__ = ["Widget", "error_of", "events", "outputs"]
