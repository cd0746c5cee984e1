"""SES v2's own state, one `SesV2State` per account and region (plain data).

What both SES APIs share (identities, templates, configuration sets, the account's sending
settings, the suppression list, the captured mail) lives in SES-1's core
(`pytest_cloudmock/services/ses/`); this holds only what the v2 API alone has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Contact:
    email: str
    topics: dict[str, str]  # topic name -> OPT_IN | OPT_OUT (explicit preferences only)
    unsubscribe_all: bool
    attributes: str | None
    created: datetime
    updated: datetime


@dataclass
class ContactList:
    name: str
    topics: list[dict[str, Any]]
    description: str | None
    created: datetime
    updated: datetime
    contacts: dict[str, Contact] = field(default_factory=dict)  # lower-cased address -> contact


@dataclass
class DedicatedIp:
    ip: str
    pool: str | None
    warmup_percentage: int = 100
    warmup_status: str = "DONE"


@dataclass
class Pool:
    name: str
    scaling_mode: str


@dataclass
class TestReport:
    id: str
    name: str | None
    subject: str
    from_address: str
    created: datetime


@dataclass
class Job:
    """An import or export job: the request as given, and what running it did."""

    id: str
    kind: str  # "import" | "export"
    request: dict[str, Any]
    created: datetime
    status: str = "CREATED"
    completed: datetime | None = None
    processed: int = 0
    failed: int = 0
    error: str | None = None


@dataclass
class Endpoint:
    name: str
    id: str
    regions: list[str]
    created: datetime
    updated: datetime


@dataclass
class Tenant:
    name: str
    id: str
    arn: str
    created: datetime
    status: str = "ENABLED"
    resources: dict[str, datetime] = field(default_factory=dict)  # resource ARN -> associated at


@dataclass
class ReputationEntity:
    reference: str
    policy: str | None = None
    customer_status: str = "ENABLED"
    updated: datetime | None = None


@dataclass
class Dashboard:
    """The Deliverability dashboard subscription (the account's other settings are the shared core's)."""

    enabled: bool = False
    domains: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SesV2State:
    contact_lists: dict[str, ContactList] = field(default_factory=dict)
    pools: dict[str, Pool] = field(default_factory=dict)
    ips: dict[str, DedicatedIp] = field(default_factory=dict)
    reports: dict[str, TestReport] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    tenants: dict[str, Tenant] = field(default_factory=dict)
    reputation: dict[str, ReputationEntity] = field(default_factory=dict)
    dashboard: Dashboard = field(default_factory=Dashboard)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # resource ARN -> tags
