"""CloudFormation's state: stacks, their resources and events, change sets, exports, stack sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class StackResource:
    logical_id: str
    type: str
    status: str
    timestamp: datetime
    physical_id: str = ""
    reason: str = ""
    properties: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    metadata: Any = None
    definition: dict[str, Any] = field(default_factory=dict)  # the template's resource entry
    drift: dict[str, Any] | None = None  # its last StackResourceDrift (drift.py)


@dataclass
class StackEvent:
    event_id: str
    timestamp: datetime
    logical_id: str
    physical_id: str
    type: str
    status: str
    reason: str = ""
    properties: str = ""
    operation_id: str = ""


@dataclass
class Stack:
    stack_id: str
    name: str
    account_id: str
    region: str
    created: datetime
    status: str = "CREATE_IN_PROGRESS"
    reason: str = ""
    body: str = ""
    template: dict[str, Any] = field(default_factory=dict)  # as written
    processed: dict[str, Any] = field(default_factory=dict)  # transforms applied
    parameters: dict[str, Any] = field(default_factory=dict)  # key -> parameters.Resolved
    resources: dict[str, StackResource] = field(default_factory=dict)
    events: list[StackEvent] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)  # export names its template resolved
    tags: list[dict[str, str]] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    notification_arns: list[str] = field(default_factory=list)
    description: str | None = None
    disable_rollback: bool = False
    termination_protection: bool = False
    role_arn: str | None = None
    timeout: int | None = None
    policy: str | None = None
    updated: datetime | None = None
    deleted: datetime | None = None
    parent_id: str | None = None
    root_id: str | None = None
    change_set_id: str | None = None
    drift_status: str = "NOT_CHECKED"
    drift_checked: datetime | None = None
    drift_detection_id: str | None = None
    alias: str | None = None  # SetAlias: another name the stack answers to
    retain_except_on_create: bool = False
    #: What a failed update rolls back to (template, parameters, resources before it).
    previous: dict[str, Any] | None = None

    @property
    def active(self) -> bool:
        return self.status != "DELETE_COMPLETE"


@dataclass
class ChangeSet:
    change_set_id: str
    name: str
    stack_id: str
    stack_name: str
    created: datetime
    kind: str  # CREATE | UPDATE | IMPORT
    body: str
    template: dict[str, Any]
    processed: dict[str, Any]
    parameters: list[dict[str, Any]]
    resolved: dict[str, Any]
    changes: list[dict[str, Any]]
    tags: list[dict[str, str]] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    notification_arns: list[str] = field(default_factory=list)
    description: str | None = None
    status: str = "CREATE_COMPLETE"
    reason: str = ""
    execution_status: str = "AVAILABLE"
    role_arn: str | None = None
    include_nested: bool = False
    on_stack_failure: str | None = None
    imports: dict[str, str] = field(default_factory=dict)  # IMPORT: logical id -> physical id


@dataclass
class StackInstance:
    account: str
    region: str
    stack_id: str | None = None
    status: str = "CURRENT"
    detailed: str = "SUCCEEDED"
    reason: str = ""
    overrides: list[dict[str, Any]] = field(default_factory=list)
    drift_status: str = "NOT_CHECKED"
    drift_checked: datetime | None = None


@dataclass
class StackSetOperation:
    operation_id: str
    action: str
    status: str
    created: datetime
    ended: datetime | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    preferences: dict[str, Any] = field(default_factory=dict)


@dataclass
class StackSet:
    stack_set_id: str
    name: str
    arn: str
    body: str
    parameters: list[dict[str, Any]] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    description: str | None = None
    status: str = "ACTIVE"
    permission_model: str = "SELF_MANAGED"
    admin_role: str | None = None
    execution_role: str | None = None
    auto_deployment: dict[str, Any] | None = None
    managed_execution: dict[str, Any] = field(default_factory=lambda: {"Active": False})
    instances: dict[tuple[str, str], StackInstance] = field(default_factory=dict)
    operations: dict[str, StackSetOperation] = field(default_factory=dict)
    drift: dict[str, Any] = field(default_factory=lambda: {"DriftStatus": "NOT_CHECKED"})  # its drift details


@dataclass
class CfnState:
    stacks: dict[str, Stack] = field(default_factory=dict)  # by stack id, deleted ones kept
    change_sets: dict[str, ChangeSet] = field(default_factory=dict)  # by id
    exports: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (stack id, value)
    stack_sets: dict[str, StackSet] = field(default_factory=dict)  # by name
    drift_detections: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id: the detection's status
    types: dict[str, dict[str, Any]] = field(default_factory=dict)  # activated/registered types by arn
    type_configurations: dict[str, dict[str, Any]] = field(default_factory=dict)
    generated_templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    resource_scans: dict[str, dict[str, Any]] = field(default_factory=dict)
    refactors: dict[str, dict[str, Any]] = field(default_factory=dict)
    registrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    publisher: dict[str, Any] | None = None
    organizations_access: str = "DISABLED"

    def live(self, name_or_id: str) -> Stack | None:
        """The stack a `StackName` names: its id (even deleted), or the live stack of that name."""
        if name_or_id.startswith("arn:"):
            return self.stacks.get(name_or_id)
        for stack in self.stacks.values():
            if stack.active and name_or_id in (stack.name, stack.alias):
                return stack
        return None
