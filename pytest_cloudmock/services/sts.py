"""STS: who am I, and temporary credentials the gateway then recognises.

`AssumeRole` and `AssumeRoleWithWebIdentity` issue `ASIA...` credentials for
the role's account: later calls signed with them run as
`arn:aws:sts::<account>:assumed-role/<role>/<session>` in that account, which
is how cross-account tests work. No policy is enforced: a role that IAM does
not know can still be assumed (its IAM `RoleId` and `MaxSessionDuration` are
used when it exists).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..api import AWSError, RequestContext
from ..identities import Identity
from ..store import Store
from . import _credentials as creds
from .base import ModelService

_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$")
_NAME = re.compile(r"^[\w+=,.@-]*$")
MAX_ROLE_DURATION = 43200
CHAINED_ROLE_DURATION = 3600
MAX_USER_DURATION = 129600


@dataclass
class Session:
    """Credentials STS issued, as the gateway knows them."""

    access_key_id: str
    arn: str
    account_id: str
    user_id: str
    expiration: float
    source: str  # the operation that issued them


@dataclass
class StsState:
    sessions: dict[str, Session] = field(default_factory=dict)


def validation_error(message: str) -> AWSError:
    return AWSError("ValidationError", message, 400)


def _check_name(value: str, member: str) -> None:
    if not _NAME.match(value):
        raise validation_error(
            f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
            r"constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
        )


def _check_duration(params: dict[str, Any], default: int, maximum: int) -> int:
    duration = params.get("DurationSeconds", default)
    if duration > maximum:
        raise validation_error(
            f"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to "
            f"satisfy constraint: Member must have value less than or equal to {maximum}"
        )
    return duration


def _packed_policy_size(params: dict[str, Any]) -> int | None:
    """Validate an inline session policy; the percentage of the packed limit it uses."""
    policy = params.get("Policy")
    arns = params.get("PolicyArns") or []
    if policy is None and not arns:
        return None
    if policy is not None:
        try:
            if not isinstance(json.loads(policy), dict):
                raise ValueError
        except ValueError:
            raise AWSError("MalformedPolicyDocument", "Syntax errors in policy.", 400) from None
    size = len(policy or "") + 64 * len(arns)
    if size > 2048:
        raise AWSError(
            "PackedPolicyTooLarge",
            "Packed size of consumed policies exceeds 100% of limit.",
            400,
        )
    return max(1, size * 100 // 2048)


def _is_session(identity: Identity | None) -> bool:
    return identity is not None and bool(identity.session_token)


class STS(ModelService):
    """The STS service."""

    name = "sts"

    def __init__(self) -> None:
        self.store: Store[StsState] = Store(StsState, global_=True)

    # -- issuing -----------------------------------------------------------------------
    def _issue(
        self, ctx: RequestContext, account_id: str, arn: str, user_id: str, duration: int
    ) -> dict[str, Any]:
        """New temporary credentials for a principal, registered with the gateway."""
        expiration = int(ctx.clock.now()) + duration
        identity = Identity(
            account_id=account_id,
            arn=arn,
            access_key_id=creds.access_key_id(temporary=True),
            secret_access_key=creds.secret_access_key(),
            session_token=creds.session_token(),
            user_id=user_id,
            expiration=float(expiration),
        )
        creds.register(ctx, identity)
        with self.store.lock:
            self.store.get(account_id).sessions[identity.access_key_id] = Session(
                identity.access_key_id, arn, account_id, user_id, float(expiration), ctx.operation
            )
        return {
            "AccessKeyId": identity.access_key_id,
            "SecretAccessKey": identity.secret_access_key,
            "SessionToken": identity.session_token,
            "Expiration": datetime.fromtimestamp(expiration, timezone.utc),
        }

    def _role(self, ctx: RequestContext, role_arn: str) -> tuple[str, str, str, int]:
        """(account, role name, role id, max session duration) of a role ARN."""
        match = _ROLE_ARN.match(role_arn)
        if not match:
            raise validation_error(f"{role_arn} is invalid")
        account, name = match[1], match[2]
        role_id = "AROA" + base64.b32encode(hashlib.sha1(role_arn.encode()).digest()).decode()[:17]
        max_duration = MAX_ROLE_DURATION
        if ctx.registry is not None and "iam" in ctx.registry:
            try:
                role = ctx.registry.call(
                    "iam", "GetRole", {"RoleName": name}, account_id=account, region=ctx.region, caller=ctx
                )["Role"]
                role_id, max_duration = role["RoleId"], role.get("MaxSessionDuration", 3600)
            except AWSError:
                pass  # no enforcement: unknown roles can be assumed too
        return account, name, role_id, max_duration

    def _assume(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        session_name = params["RoleSessionName"]
        _check_name(session_name, "roleSessionName")
        account, role_name, role_id, max_duration = self._role(ctx, params["RoleArn"])
        duration = _check_duration(params, 3600, MAX_ROLE_DURATION)
        if duration > max_duration:
            raise validation_error(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            )
        if duration > CHAINED_ROLE_DURATION and ctx.identity is not None and ":assumed-role/" in ctx.identity.arn:
            raise validation_error(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
            )
        packed = _packed_policy_size(params)
        arn = f"arn:{ctx.partition}:sts::{account}:assumed-role/{role_name}/{session_name}"
        user_id = f"{role_id}:{session_name}"
        result: dict[str, Any] = {
            "Credentials": self._issue(ctx, account, arn, user_id, duration),
            "AssumedRoleUser": {"AssumedRoleId": user_id, "Arn": arn},
        }
        if packed is not None:
            result["PackedPolicySize"] = packed
        if params.get("SourceIdentity"):
            result["SourceIdentity"] = params["SourceIdentity"]
        return result

    # -- operations -------------------------------------------------------------------------
    def get_caller_identity(self, ctx: RequestContext) -> dict[str, Any]:
        identity = ctx.identity
        if identity is None:
            return {"UserId": ctx.account_id, "Account": ctx.account_id,
                    "Arn": f"arn:{ctx.partition}:iam::{ctx.account_id}:root"}
        return {"UserId": identity.user_id or identity.account_id, "Account": identity.account_id,
                "Arn": identity.arn}

    def assume_role(self, ctx: RequestContext) -> dict[str, Any]:
        return self._assume(ctx)

    def assume_role_with_web_identity(self, ctx: RequestContext) -> dict[str, Any]:
        claims = _jwt_claims(ctx.params["WebIdentityToken"])
        result = self._assume(ctx)
        audience = claims.get("aud", "sts.amazonaws.com")
        if isinstance(audience, list):
            audience = audience[0] if audience else ""
        issuer = str(claims.get("iss", "")).removeprefix("https://")
        result.update(
            SubjectFromWebIdentityToken=str(claims.get("sub", "")),
            Audience=str(audience),
            Provider=ctx.params.get("ProviderId") or issuer or "sts.amazonaws.com",
        )
        return result

    def get_session_token(self, ctx: RequestContext) -> dict[str, Any]:
        if _is_session(ctx.identity):
            raise AWSError("AccessDenied", "Cannot call GetSessionToken with session credentials", 403)
        duration = _check_duration(ctx.params, 43200, MAX_USER_DURATION)
        who = self.get_caller_identity(ctx)
        return {"Credentials": self._issue(ctx, who["Account"], who["Arn"], who["UserId"], duration)}

    def get_federation_token(self, ctx: RequestContext) -> dict[str, Any]:
        if _is_session(ctx.identity):
            raise AWSError("AccessDenied", "Cannot call GetFederationToken with session credentials", 403)
        name = ctx.params["Name"]
        _check_name(name, "name")
        duration = _check_duration(ctx.params, 43200, MAX_USER_DURATION)
        packed = _packed_policy_size(ctx.params)
        account = ctx.account_id
        arn = f"arn:{ctx.partition}:sts::{account}:federated-user/{name}"
        user_id = f"{account}:{name}"
        result: dict[str, Any] = {
            "Credentials": self._issue(ctx, account, arn, user_id, duration),
            "FederatedUser": {"FederatedUserId": user_id, "Arn": arn},
        }
        if packed is not None:
            result["PackedPolicySize"] = packed
        return result

    def get_access_key_info(self, ctx: RequestContext) -> dict[str, Any]:
        key = ctx.params["AccessKeyId"]
        table = ctx.registry.identities if ctx.registry is not None else None
        account = table.lookup(key).account_id if table is not None else ctx.account_id
        return {"Account": account}


def _jwt_claims(token: str) -> dict[str, Any]:
    """The claims of a JWT (signature not checked); AWS's error when it is not one."""
    parts = token.split(".")
    try:
        if len(parts) != 3:
            raise ValueError
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
        if not isinstance(claims, dict):
            raise ValueError
        return claims
    except (ValueError, binascii.Error):
        raise AWSError(
            "InvalidIdentityToken",
            "The web identity token that was passed could not be validated by AWS. Get a new "
            "identity token from the identity provider and then retry the request.",
            400,
        ) from None


SERVICE = STS
