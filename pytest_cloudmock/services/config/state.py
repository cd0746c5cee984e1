"""AWS Config's state for one account and region: plain data, no locks or clocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Captured:
    """One configuration item AWS Config recorded for a resource (`configuration` is the
    JSON text; None once the resource is deleted)."""

    resource_type: str
    resource_id: str
    resource_name: str
    arn: str
    region: str
    availability_zone: str
    created: float | None
    captured: float
    status: str
    configuration: str | None
    supplementary: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def deleted(self) -> bool:
        return self.status in ("ResourceDeleted", "ResourceDeletedNotRecorded")


@dataclass
class Recorder:
    name: str
    arn: str
    role_arn: str
    recording_group: dict[str, Any]
    recording_mode: dict[str, Any]
    service_principal: str = ""
    recording: bool = False
    last_start: float | None = None
    last_stop: float | None = None
    last_change: float | None = None


@dataclass
class ConfigState:
    """Everything AWS Config keeps in one account and region."""

    #: (resourceType, resourceId) -> configuration items, oldest first.
    history: dict[tuple[str, str], list[Captured]] = field(default_factory=dict)
    recorders: dict[str, Recorder] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    channel_status: dict[str, dict[str, Any]] = field(default_factory=dict)
    retention: dict[str, int] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    rule_status: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: rule name -> (resourceType, resourceId) -> EvaluationResult dict.
    evaluations: dict[str, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    packs: dict[str, dict[str, Any]] = field(default_factory=dict)
    org_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    org_packs: dict[str, dict[str, Any]] = field(default_factory=dict)
    remediations: dict[str, dict[str, Any]] = field(default_factory=dict)
    remediation_exceptions: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    remediation_runs: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    aggregators: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorizations: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    stored_queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    resource_evaluations: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: resource ARN -> tags (rules, aggregators, authorizations, stored queries, packs, recorders).
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
