"""Amazon Cognito user pools (`cognito-idp`), in-process: pools, app clients, users and groups,
sign-in with real SRP-6a, challenges and MFA, RS256 tokens verified against the pool's served
JWKS, Lambda triggers through our Lambda, a domain's OAuth 2.0 endpoints, and the mail and SMS a
pool would send captured for tests (`messages()`). See docs/services/cognito-idp.md."""

from __future__ import annotations

from .clients import ClientOps
from .extras import ExtraOps
from .pools import PoolOps
from .public import PublicOps
from .recovery import RecoveryOps
from .sessions import SessionOps
from .state import CognitoState, User, UserPool


class CognitoIdpService(PublicOps, SessionOps, RecoveryOps, ExtraOps, PoolOps, ClientOps):
    """Every operation of the cognito-idp 2016-04-18 API."""


SERVICE = CognitoIdpService

__all__ = ["SERVICE", "CognitoIdpService", "CognitoState", "User", "UserPool"]
