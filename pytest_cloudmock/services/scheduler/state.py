"""EventBridge Scheduler state, one `SchedulerState` per account and region (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sortedcontainers import SortedDict


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
    seq: int = 0  # creation order (an update keeps it): invocations due at one instant go in this order


@dataclass
class SchedulerState:
    groups: dict[str, Group] = field(default_factory=dict)
    schedules: SortedDict = field(default_factory=SortedDict)  # (group, name) -> Schedule, in key order
    created: int = 0  # schedules ever created (the next `Schedule.seq`)
    checked: datetime | None = None  # when the schedules were last looked at for invocations due
    wake: datetime | None = None  # no enabled schedule is due before this (None: look at them all)
