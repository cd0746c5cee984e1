"""Cognito user pool state: plain data, one `CognitoState` per account and region."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class User:
    """One user of a pool. `username` is the name it was created with (a UUID when the pool
    signs users in by email or phone); `password` is kept in clear: this is a mock."""

    username: str
    sub: str
    attributes: dict[str, str]
    created: float
    modified: float
    password: str | None = None
    status: str = "UNCONFIRMED"
    enabled: bool = True
    groups: set[str] = field(default_factory=set)
    #: `SMS_MFA` / `SOFTWARE_TOKEN_MFA` -> enabled; `preferred` names the preferred one
    mfa: dict[str, bool] = field(default_factory=dict)
    preferred_mfa: str = ""
    totp_secret: str = ""  # verified software token secret
    totp_pending: str = ""  # AssociateSoftwareToken's secret until VerifySoftwareToken
    totp_device_name: str = ""
    #: purpose (`signup`, `forgot`, `attr:<name>`) -> (code, expiry), as sent in the captured message
    codes: dict[str, tuple[str, float]] = field(default_factory=dict)
    temporary_password_expires: float = 0.0
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)  # DeviceType answers
    passkeys: dict[str, dict[str, Any]] = field(default_factory=dict)  # WebAuthnCredentialDescription
    #: device key -> {"group": device group key, "verifier": hex, "salt": hex} (device SRP)
    device_secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    auth_events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AppClient:
    """An app client: `config` holds the UserPoolClientType members the caller set."""

    client_id: str
    name: str
    created: float
    modified: float
    secret: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    secrets: list[dict[str, Any]] = field(default_factory=list)  # AddUserPoolClientSecret


@dataclass
class AuthSession:
    """A sign-in between its challenges (the `Session` string names it)."""

    client_id: str
    username: str
    challenge: str
    expires: float
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class RefreshToken:
    client_id: str
    username: str
    origin_jti: str
    auth_time: int
    expires: float
    scopes: list[str] = field(default_factory=list)
    last_active: float = 0.0  # the last sign-in or refresh of this session


@dataclass
class UserPool:
    """A user pool; `config` holds the UserPoolType members set by Create/UpdateUserPool."""

    pool_id: str
    arn: str
    name: str
    created: float
    modified: float
    config: dict[str, Any]
    schema: list[dict[str, Any]]
    tags: dict[str, str] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # by username key (see `users.key`)
    clients: dict[str, AppClient] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    resource_servers: dict[str, dict[str, Any]] = field(default_factory=dict)
    identity_providers: dict[str, dict[str, Any]] = field(default_factory=dict)
    domain: str = ""
    custom_domain: str = ""
    mfa: dict[str, Any] = field(default_factory=dict)  # SetUserPoolMfaConfig
    #: (pool-wide or per client) UI customization, risk configuration
    ui: dict[str, dict[str, Any]] = field(default_factory=dict)
    risk: dict[str, dict[str, Any]] = field(default_factory=dict)
    log_delivery: list[dict[str, Any]] = field(default_factory=list)
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    brandings: dict[str, dict[str, Any]] = field(default_factory=dict)
    import_jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, AuthSession] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)  # origin_jti of signed-out sign-ins
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)  # OAuth authorization codes
    #: settings kept and answered back: session configuration, replicas, recoveries, CIMD policies
    settings: dict[str, Any] = field(default_factory=dict)
    key_pem: bytes = b""  # the RSA key that signs the pool's tokens (made on first use)
    kid: str = ""


@dataclass
class CognitoState:
    pools: dict[str, UserPool] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)  # domain -> pool id
    #: mail and SMS that would have gone out (`CognitoService.messages()`)
    messages: list[dict[str, Any]] = field(default_factory=list)
    limits: dict[str, int] = field(default_factory=dict)  # UpdateProvisionedLimit, by API category
