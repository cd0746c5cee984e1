"""IAM's state: one `IamState` per account (IAM is global).

Names are unique case-insensitively, as in IAM: each table is keyed by the
lower-cased name and the entity keeps its name as created. Policy documents
are kept as the JSON text the caller sent (the API returns them URL-encoded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from ...clock import Clock
from ...indexes import NameIndexed

V = TypeVar("V")


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
    signing_certificates: dict[str, SigningCertificate] = field(default_factory=dict)  # by id
    ssh_keys: dict[str, SshPublicKey] = field(default_factory=dict)  # by id
    service_credentials: dict[str, ServiceCredential] = field(default_factory=dict)  # by id


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
    password_sha256: str = ""  # what ChangePassword compares the old password with


@dataclass
class MfaDevice:
    """A virtual MFA device; `user` is the lower-cased name of the user it is enabled for."""

    serial: str
    seed: str  # Base32, as IAM hands it out once
    created: datetime = field(kw_only=True)
    user: str | None = None
    enabled: datetime | None = None
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SamlProvider:
    arn: str
    metadata: str
    uuid: str
    created: datetime = field(kw_only=True)
    valid_until: datetime = field(kw_only=True)
    encryption_mode: str | None = None
    private_keys: list[dict] = field(default_factory=list)  # {"KeyId", "Timestamp", "Pem"}
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ServerCertificate:
    name: str
    path: str
    id: str
    arn: str
    body: str
    chain: str | None
    uploaded: datetime = field(kw_only=True)
    expiration: datetime = field(kw_only=True)
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SigningCertificate:
    id: str
    body: str
    status: str = "Active"
    uploaded: datetime = field(kw_only=True)


@dataclass
class SshPublicKey:
    id: str
    body: str  # as uploaded (SSH or PEM)
    fingerprint: str
    status: str = "Active"
    uploaded: datetime = field(kw_only=True)


@dataclass
class ServiceCredential:
    id: str
    service: str
    user_name: str
    password: str
    status: str = "Active"
    created: datetime = field(kw_only=True)
    expires: datetime | None = None


@dataclass
class DelegationRequest:
    """A delegation request and where it is in its life (stored, no console behind it)."""

    id: str
    fields: dict  # the request's members as created
    state: str = "UNASSIGNED"
    created: datetime = field(kw_only=True)
    updated: datetime = field(kw_only=True)
    notes: str | None = None
    approver: str | None = None


@dataclass
class Job:
    """A report job (organizations access report, service last accessed details)."""

    kind: str
    params: dict
    created: datetime = field(kw_only=True)


@dataclass
class IamState:
    users: NameIndexed[User] = field(default_factory=NameIndexed)  # by lower-cased name
    groups: dict[str, Group] = field(default_factory=dict)
    roles: NameIndexed[Role] = field(default_factory=NameIndexed)  # by lower-cased name
    policies: dict[str, ManagedPolicy] = field(default_factory=dict)  # customer managed, by ARN
    policy_names: NameIndexed[ManagedPolicy] = field(default_factory=NameIndexed)  # the same, by lower-cased name
    instance_profiles: dict[str, InstanceProfile] = field(default_factory=dict)
    account_aliases: list[str] = field(default_factory=list)
    oidc_providers: dict[str, OidcProvider] = field(default_factory=dict)  # by ARN
    saml_providers: dict[str, SamlProvider] = field(default_factory=dict)  # by ARN
    mfa_devices: dict[str, MfaDevice] = field(default_factory=dict)  # by serial number
    server_certificates: dict[str, ServerCertificate] = field(default_factory=dict)  # by lower-cased name
    password_policy: dict | None = None  # the PasswordPolicy output shape, when one is set
    credential_report: datetime | None = None  # when it was generated
    deletion_tasks: dict[str, dict] = field(default_factory=dict)  # task id -> GetServiceLinkedRoleDeletionStatus
    key_last_used: dict[str, dict] = field(default_factory=dict)  # access key id -> AccessKeyLastUsed
    jobs: dict[str, Job] = field(default_factory=dict)
    delegation_requests: dict[str, DelegationRequest] = field(default_factory=dict)
    outbound_issuer: str | None = None  # outbound web identity federation, when enabled
    sts_endpoint_token_version: str = "v1Token"
    organization_features: list[str] = field(default_factory=list)
    # managed policy ARN -> how many users, groups and roles it is attached to / is the boundary of
    attachment_counts: dict[str, int] = field(default_factory=dict)
    boundary_counts: dict[str, int] = field(default_factory=dict)
