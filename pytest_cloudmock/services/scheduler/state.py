"""EventBridge Scheduler state, one `SchedulerState` per account and region (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Group:
    name: str
    arn: str
    created: datetime
    modified: datetime
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Schedule:
    name: str
    group: str
    arn: str
    expression: str
    target: dict[str, Any]
    window: dict[str, Any]
    created: datetime
    modified: datetime
    state: str = "ENABLED"
    timezone: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    description: str | None = None
    kms_key: str | None = None
    after_completion: str = "NONE"
    next_fire: datetime | None = None  # the next invocation on the gateway clock (None: no more)


@dataclass
class SchedulerState:
    groups: dict[str, Group] = field(default_factory=dict)
    schedules: dict[tuple[str, str], Schedule] = field(default_factory=dict)  # (group, name) -> schedule
