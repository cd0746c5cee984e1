"""Amazon Cognito identity pools (`cognito-identity`), in-process: pools with roles and role
mappings, identities for user pool and other logins, OpenID tokens, and AWS credentials for the
pool's roles issued by our STS. See docs/services/cognito-identity.md."""

from __future__ import annotations

from .identities import IdentityOps
from .state import Identity, IdentityPool, IdentityState


class CognitoIdentityService(IdentityOps):
    """Every operation of the cognito-identity 2014-06-30 API."""


SERVICE = CognitoIdentityService

__all__ = ["SERVICE", "CognitoIdentityService", "Identity", "IdentityPool", "IdentityState"]
