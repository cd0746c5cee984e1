"""CloudWatch Logs state: log groups, their streams and events, and what hangs off them.

Plain data only (the store deep-copies it for snapshots); times are epoch milliseconds,
as the Logs API speaks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Event:
    """One stored log event; `seq` orders events ingested at the same timestamp."""

    timestamp: int
    message: str
    ingestion_time: int
    seq: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.timestamp, self.seq)

    @property
    def event_id(self) -> str:
        """A 56-digit id in AWS's shape, unique within the partition."""
        return f"{self.timestamp:019d}{self.seq:037d}"


@dataclass
class LogStream:
    name: str
    arn: str
    creation_time: int
    events: list[Event] = field(default_factory=list)  # sorted by Event.key
    stored_bytes: int = 0
    last_ingestion_time: int | None = None


@dataclass
class LogGroup:
    name: str
    arn: str
    creation_time: int
    log_group_class: str = "STANDARD"
    kms_key_id: str | None = None
    retention_days: int | None = None
    deletion_protection: bool = False
    bearer_token_authentication: bool = False
    tags: dict[str, str] = field(default_factory=dict)
    streams: dict[str, LogStream] = field(default_factory=dict)
    metric_filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscription_filters: dict[str, dict[str, Any]] = field(default_factory=dict)
    data_protection_policy: dict[str, Any] | None = None
    index_policy: dict[str, Any] | None = None
    transformer: dict[str, Any] | None = None


@dataclass
class QueryRun:
    """A Logs Insights query: answered when it starts, kept for GetQueryResults."""

    query_id: str
    query_string: str
    log_group_names: list[str]
    create_time: int
    status: str
    results: list[list[dict[str, str]]]
    statistics: dict[str, float]
    query_language: str = "CWLI"
    group_arns: list[str] = field(default_factory=list)


@dataclass
class LogsState:
    groups: dict[str, LogGroup] = field(default_factory=dict)
    queries: dict[str, QueryRun] = field(default_factory=dict)
    query_definitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    resource_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    account_policies: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    export_tasks: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Stored-only resources by kind (deliveries, anomaly detectors, integrations, ...).
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    #: Tags of resources other than log groups (destinations, deliveries, ...), by ARN.
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    next_seq: int = 0

    def kind(self, name: str) -> dict[str, dict[str, Any]]:
        return self.records.setdefault(name, {})
