"""What the interpreter's parts share: how an execution waits (`Suspend`, `Pending`),
history lanes, variable scopes, and the names of task resources."""

from __future__ import annotations

import json
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


@dataclass(frozen=True)
class Suspend:
    """Park until the clock reaches `until` or one of `tokens` completes."""

    until: float | None = None
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pending:
    """A task's answer that comes later: when `token` completes."""

    token: str
    submitted: Any = None  # the service's answer to the call that started it (TaskSubmitted)


Gen = Generator[Suspend, None, Any]


@dataclass
class Lane:
    """One line of control in the history: events chain to the last one recorded on it."""

    last: int = 0


@dataclass
class Scope:
    language: str
    variables: dict[str, Any] = field(default_factory=dict)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_names(resource: str) -> tuple[str, str]:
    """The history event family of a Task's resource: `Task`, `LambdaFunction` or `Activity`."""
    if resource.startswith("arn:") and ":lambda:" in resource and ":function:" in resource:
        return "LambdaFunction", resource
    if ":activity:" in resource:
        return "Activity", resource
    return "Task", resource


def task_resource(resource: str) -> tuple[str, str]:
    """`arn:aws:states:::sqs:sendMessage.waitForTaskToken` -> (`sqs`, `sendMessage.waitForTaskToken`);
    `arn:aws:states:::aws-sdk:s3:getObject` -> (`aws-sdk:s3`, `getObject`)."""
    rest = resource.split(":", 5)[5] if resource.count(":") >= 5 else resource
    if rest.startswith("aws-sdk:"):
        _, service, action = rest.split(":", 2)
        return f"aws-sdk:{service}", action
    service, _, action = rest.partition(":")
    return service, action
