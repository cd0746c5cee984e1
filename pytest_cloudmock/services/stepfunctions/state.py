"""Step Functions state, one `StepFunctionsState` per account and region (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sortedcontainers import SortedDict

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


@dataclass
class Version:
    arn: str
    number: int
    definition: str
    role_arn: str
    created: datetime
    revision_id: str
    description: str = ""


@dataclass
class Machine:
    arn: str
    name: str
    definition: str
    role_arn: str
    type: str
    created: datetime
    updated: datetime
    revision_id: str
    logging: dict[str, Any] = field(default_factory=dict)
    tracing: dict[str, Any] = field(default_factory=dict)
    encryption: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    versions: dict[int, Version] = field(default_factory=dict)
    next_version: int = 1


@dataclass
class Alias:
    arn: str
    name: str
    machine_arn: str
    routing: list[dict[str, Any]]
    created: datetime
    updated: datetime
    description: str = ""


@dataclass
class Execution:
    arn: str
    name: str
    machine_arn: str
    machine_type: str
    definition: str  # the definition it runs (the version's, when started through one)
    role_arn: str
    input: str
    started: datetime
    status: str = "RUNNING"
    stopped: datetime | None = None
    output: str | None = None
    error: str | None = None
    cause: str | None = None
    trace_header: str | None = None
    version_arn: str | None = None
    alias_arn: str | None = None
    map_run_arn: str | None = None
    redrive_count: int = 0
    redrive_date: datetime | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    failed_state: str | None = None  # the state a redrive starts from
    failed_input: Any = None


@dataclass
class Activity:
    arn: str
    name: str
    created: datetime
    tags: dict[str, str] = field(default_factory=dict)
    encryption: dict[str, Any] = field(default_factory=dict)


@dataclass
class MapRun:
    arn: str
    execution_arn: str
    started: datetime
    max_concurrency: int
    tolerated_percentage: float
    tolerated_count: int
    status: str = "RUNNING"
    stopped: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class StepFunctionsState:
    machines: dict[str, Machine] = field(default_factory=dict)  # by unqualified ARN
    by_creation: SortedDict = field(default_factory=SortedDict)  # (created, name) -> Machine: the listing order
    aliases: dict[str, Alias] = field(default_factory=dict)
    executions: dict[str, Execution] = field(default_factory=dict)
    #: a machine's (or a Map run's) executions, newest first: owner ARN -> (-start µs, number) -> Execution
    listed: dict[str, SortedDict] = field(default_factory=dict)
    recorded: int = 0  # executions ever recorded (the next number in `listed`)
    activities: dict[str, Activity] = field(default_factory=dict)
    activity_order: SortedDict = field(default_factory=SortedDict)  # (created, name) -> Activity: the listing order
    map_runs: dict[str, MapRun] = field(default_factory=dict)


def record_execution(state: StepFunctionsState, execution: Execution) -> None:
    """Keep a new execution, listed under its Map run, or else its state machine (ties in start order)."""
    state.executions[execution.arn] = execution
    owner = state.listed.setdefault(execution.map_run_arn or execution.machine_arn, SortedDict())
    started = (execution.started - _EPOCH) // _MICROSECOND
    owner[(-started, state.recorded)] = execution
    state.recorded += 1
