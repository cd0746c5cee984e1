"""IAM's state: one `IamState` per account (IAM is global).

Names are unique case-insensitively, as in IAM: each table is keyed by the
lower-cased name and the entity keeps its name as created. Policy documents
are kept as the JSON text the caller sent (the API returns them URL-encoded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ...clock import Clock


def stamp(clock: Clock) -> datetime:
    """The clock's time as IAM keeps dates (whole seconds): pass `ctx.clock`."""
    return clock.utcnow().replace(microsecond=0)


@dataclass
class Principal:
    """What users, groups and roles share: inline and attached policies."""

    name: str
    path: str
    id: str
    arn: str
    created: datetime = field(kw_only=True)
    inline_policies: dict[str, str] = field(default_factory=dict)  # name -> document
    attached_policies: list[str] = field(default_factory=list)  # policy ARNs


@dataclass
class AccessKey:
    id: str
    secret: str
    user_name: str
    status: str = "Active"
    created: datetime = field(kw_only=True)


@dataclass
class User(Principal):
    tags: list[dict[str, str]] = field(default_factory=list)
    permissions_boundary: str | None = None
    access_keys: dict[str, AccessKey] = field(default_factory=dict)
    login_profile: LoginProfile | None = None


@dataclass
class Group(Principal):
    members: list[str] = field(default_factory=list)  # user keys (lower-cased names)


@dataclass
class Role(Principal):
    trust_policy: str = ""
    description: str | None = None
    max_session_duration: int = 3600
    tags: list[dict[str, str]] = field(default_factory=list)
    permissions_boundary: str | None = None


@dataclass
class PolicyVersion:
    version_id: str
    document: str
    created: datetime = field(kw_only=True)


@dataclass
class ManagedPolicy:
    name: str
    path: str
    id: str
    arn: str
    description: str | None = None
    created: datetime = field(kw_only=True)
    updated: datetime = field(kw_only=True)
    versions: dict[str, PolicyVersion] = field(default_factory=dict)
    default_version: str = "v1"
    next_version: int = 1
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class InstanceProfile:
    name: str
    path: str
    id: str
    arn: str
    created: datetime = field(kw_only=True)
    roles: list[str] = field(default_factory=list)  # role keys
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class OidcProvider:
    arn: str
    url: str  # without https://, as IAM returns it
    client_ids: list[str] = field(default_factory=list)
    thumbprints: list[str] = field(default_factory=list)
    created: datetime = field(kw_only=True)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class LoginProfile:
    password_reset_required: bool = False
    created: datetime = field(kw_only=True)


@dataclass
class IamState:
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)  # by ARN (incl. AWS managed in use)
    instance_profiles: dict[str, InstanceProfile] = field(default_factory=dict)
    account_aliases: list[str] = field(default_factory=list)
    oidc_providers: dict[str, OidcProvider] = field(default_factory=dict)  # by ARN
