"""EventBridge state, one `EventsState` per account and region (plain data)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sortedcontainers import SortedDict


@dataclass
class Bus:
    name: str
    arn: str
    created: datetime
    modified: datetime
    description: str = ""
    policy: dict[str, Any] | None = None  # the resource policy document
    settings: dict[str, Any] = field(default_factory=dict)  # KmsKeyIdentifier, DeadLetterConfig, LogConfig
    event_source: str = ""


@dataclass
class Rule:
    name: str
    bus: str
    arn: str
    state: str = "ENABLED"
    pattern: dict[str, Any] | None = None
    pattern_text: str | None = None
    schedule: str | None = None
    description: str | None = None
    role_arn: str | None = None
    managed_by: str | None = None
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)  # target id -> Target, in put order
    next_fire: datetime | None = None  # scheduled rules: the next firing on the gateway clock
    seq: int = 0  # creation order: a bus's rules route (and same-instant firings go) in this order


@dataclass
class Archive:
    name: str
    arn: str
    source_arn: str
    created: datetime
    pattern: dict[str, Any] | None = None
    pattern_text: str | None = None
    description: str = ""
    retention_days: int = 0
    kms_key: str | None = None
    events: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)  # (event time, event)
    size: int = 0  # the events' JSON bytes, kept as they come and go

    def keep(self, when: datetime, event: dict[str, Any]) -> None:
        self.events.append((when, event))
        self.size += len(json.dumps(event))

    def drop_before(self, index: int) -> None:
        """Forget the first `index` events (the oldest)."""
        self.size -= sum(len(json.dumps(event)) for _, event in self.events[:index])
        del self.events[:index]


@dataclass
class Replay:
    name: str
    arn: str
    source_arn: str
    destination: dict[str, Any]
    start: datetime
    end: datetime
    started: datetime
    description: str = ""
    state: str = "STARTING"
    reason: str = ""
    ended: datetime | None = None
    last_replayed: datetime | None = None


@dataclass
class EventsState:
    buses: dict[str, Bus] = field(default_factory=dict)
    rules: SortedDict = field(default_factory=SortedDict)  # (bus, name) -> Rule, in key order
    created: int = 0  # rules ever created (the next `Rule.seq`)
    #: (bus, source) -> the bus's pattern rules that match only events of that exact source;
    #: (bus, None) -> its other pattern rules (an event is matched against these two sets only)
    by_source: dict[tuple[str, str | None], set[str]] = field(default_factory=dict)
    checked: datetime | None = None  # when the scheduled rules were last looked at for firings due
    wake: datetime | None = None  # no enabled scheduled rule is due before this (None: look at them all)
    archives: dict[str, Archive] = field(default_factory=dict)
    replays: dict[str, Replay] = field(default_factory=dict)
    connections: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> described
    destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    partner_sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # created by this (partner) account
    event_sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # offered to this account
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # resource ARN -> tags
