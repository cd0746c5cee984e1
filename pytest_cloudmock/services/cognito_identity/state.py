"""Cognito identity pool state: plain data, one `IdentityState` per account and region."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Identity:
    """One identity: `logins` maps a provider name to the user id it knows the identity by."""

    identity_id: str
    pool_id: str
    created: float
    modified: float
    logins: dict[str, str] = field(default_factory=dict)


@dataclass
class IdentityPool:
    pool_id: str
    arn: str
    config: dict[str, Any]  # the IdentityPool members Create/UpdateIdentityPool set
    tags: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    role_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)
    principal_tags: dict[str, dict[str, Any]] = field(default_factory=dict)  # provider -> map
    identities: dict[str, Identity] = field(default_factory=dict)


@dataclass
class IdentityState:
    pools: dict[str, IdentityPool] = field(default_factory=dict)
