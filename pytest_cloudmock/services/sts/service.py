"""STS: who am I, and temporary credentials the gateway then recognises.

`AssumeRole`, `AssumeRoleWithSAML` and `AssumeRoleWithWebIdentity` issue
`ASIA...` credentials for the role's account: later calls signed with them run
as `arn:aws:sts::<account>:assumed-role/<role>/<session>` in that account, which
is how cross-account tests work. No permission policy is enforced: a role that
IAM does not know can still be assumed. When IAM knows the role, its `RoleId`,
`MaxSessionDuration` and, for federation, the identity providers its trust
policy names are honoured (and an OIDC provider registered in IAM checks the
token's audience against its client ids).
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
from urllib.parse import unquote

from ...api import AWSError, RequestContext
from ...identities import Identity
from ...store import Store
from .. import _credentials as creds
from ..base import ModelService
from . import saml, tokens

_ROLE_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$")
_NAME = re.compile(r"^[\w+=,.@-]*$")
MAX_ROLE_DURATION = 43200
CHAINED_ROLE_DURATION = 3600
MAX_USER_DURATION = 129600
ROOT_TASK_POLICIES = ("IAMAuditRootUserCredentials", "IAMCreateRootUserPassword", "IAMDeleteRootUserCredentials",
                      "S3UnlockBucketPolicy", "SQSUnlockQueuePolicy")


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
class RoleInfo:
    """A role as STS uses it; `trust` is its trust policy when IAM knows the role."""

    account: str
    name: str
    role_id: str
    max_duration: int
    trust: dict[str, Any] | None


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
    tags = params.get("Tags") or []
    if policy is None and not arns and not tags:
        return None
    if policy is not None:
        try:
            if not isinstance(json.loads(policy), dict):
                raise ValueError
        except ValueError:
            raise AWSError("MalformedPolicyDocument", "Syntax errors in policy.", 400) from None
    # AWS packs (compresses) policies and session tags together; its exact formula is not
    # documented: this counts the policy's characters, 64 per managed ARN and the tags' text.
    size = len(policy or "") + 64 * len(arns) + sum(len(t["Key"]) + len(t["Value"]) for t in tags)
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

    def _iam(self, ctx: RequestContext, operation: str, params: dict[str, Any], account: str) -> dict[str, Any] | None:
        """An IAM call in `account` (None when IAM is not there or answers NoSuchEntity)."""
        if ctx.registry is None or "iam" not in ctx.registry:
            return None
        try:
            return ctx.registry.call("iam", operation, params, account_id=account, region=ctx.region, caller=ctx)
        except AWSError as err:
            if err.code in ("NoSuchEntity", "FeatureDisabled"):
                return None
            raise

    def _role(self, ctx: RequestContext, role_arn: str) -> RoleInfo:
        """What STS needs to know of a role ARN (IAM's role when IAM knows it)."""
        match = _ROLE_ARN.match(role_arn)
        if not match:
            raise validation_error(f"{role_arn} is invalid")
        account, name = match[1], match[2]
        role_id = "AROA" + base64.b32encode(hashlib.sha1(role_arn.encode()).digest()).decode()[:17]
        found = self._iam(ctx, "GetRole", {"RoleName": name}, account)
        if found is None:  # no enforcement: unknown roles can be assumed too
            return RoleInfo(account, name, role_id, MAX_ROLE_DURATION, None)
        role = found["Role"]
        trust = json.loads(unquote(role.get("AssumeRolePolicyDocument") or "{}"))
        return RoleInfo(account, name, role["RoleId"], role.get("MaxSessionDuration", 3600), trust)

    def _assume(self, ctx: RequestContext, session_name: str, role: RoleInfo | None = None,
                duration: int | None = None) -> dict[str, Any]:
        params = ctx.params
        _check_name(session_name, "roleSessionName")
        role = role or self._role(ctx, params["RoleArn"])
        if duration is None:
            duration = _check_duration(params, 3600, MAX_ROLE_DURATION)
        if duration > role.max_duration:
            raise validation_error(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
            )
        if duration > CHAINED_ROLE_DURATION and ctx.identity is not None and ":assumed-role/" in ctx.identity.arn:
            raise validation_error(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
            )
        packed = _packed_policy_size(params)
        arn = f"arn:{ctx.partition}:sts::{role.account}:assumed-role/{role.name}/{session_name}"
        user_id = f"{role.role_id}:{session_name}"
        result: dict[str, Any] = {
            "Credentials": self._issue(ctx, role.account, arn, user_id, duration),
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
        return self._assume(ctx, ctx.params["RoleSessionName"])

    def assume_role_with_web_identity(self, ctx: RequestContext) -> dict[str, Any]:
        claims = tokens.claims(ctx.params["WebIdentityToken"])
        audiences = claims.get("aud", "sts.amazonaws.com")
        audiences = [str(a) for a in audiences] if isinstance(audiences, list) else [str(audiences)]
        issuer = str(claims.get("iss", "")).removeprefix("https://").rstrip("/")
        exp = claims.get("exp")
        if isinstance(exp, (int, float)) and exp < ctx.clock.now():
            # AWS's exact wording is not documented.
            raise AWSError("ExpiredTokenException", "Token expired: the web identity token is past its exp.", 400)
        role = self._role(ctx, ctx.params["RoleArn"])
        if role.trust is not None:
            self._check_web_identity_trust(ctx, role, issuer, audiences)
        result = self._assume(ctx, ctx.params["RoleSessionName"], role)
        result.update(
            SubjectFromWebIdentityToken=str(claims.get("sub", "")),
            Audience=audiences[0] if audiences else "",
            Provider=ctx.params.get("ProviderId") or issuer or "sts.amazonaws.com",
        )
        return result

    def _check_web_identity_trust(self, ctx: RequestContext, role: RoleInfo, issuer: str,
                                  audiences: list[str]) -> None:
        """The role's trust policy must name the token's provider; IAM's OIDC provider its audience."""
        federated = _federated(role.trust or {}, "sts:AssumeRoleWithWebIdentity")
        if not federated:
            return  # the trust policy names no identity provider: nothing to check against
        oidc = {f.split(":oidc-provider/", 1)[1].rstrip("/"): f for f in federated if ":oidc-provider/" in f}
        if issuer not in oidc and issuer not in federated:
            raise AWSError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403)
        if issuer in oidc:
            provider = self._iam(ctx, "GetOpenIDConnectProvider", {"OpenIDConnectProviderArn": oidc[issuer]},
                                 role.account)
            if provider is None:
                raise AWSError("InvalidIdentityToken",
                               f"No OpenIDConnect provider found in your account for https://{issuer}", 400)
            if not set(audiences) & set(provider.get("ClientIDList") or []):
                raise AWSError("InvalidIdentityToken", "Incorrect token audience", 400)

    def assume_role_with_saml(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        assertion = saml.parse(p["SAMLAssertion"])
        if (p["RoleArn"], p["PrincipalArn"]) not in assertion.roles():
            # The assertion's Role attribute must grant this role through this provider.
            raise AWSError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
        if assertion.not_on_or_after is not None and assertion.not_on_or_after.timestamp() < ctx.clock.now():
            # AWS's exact wording is not documented.
            raise AWSError("ExpiredTokenException", "Token must be redeemed before the assertion's NotOnOrAfter.",
                           400)
        session_name = assertion.single("RoleSessionName")
        if not session_name:
            raise saml.invalid_assertion("The SAML assertion has no RoleSessionName attribute.")
        if not 2 <= len(session_name) <= 64:
            raise saml.invalid_assertion(f"Invalid RoleSessionName in the SAML assertion: {session_name}")
        duration = _check_duration(p, 3600, MAX_ROLE_DURATION)
        allowed = assertion.single("SessionDuration")
        if allowed and allowed.isdigit() and "DurationSeconds" not in p:
            duration = min(int(allowed), MAX_ROLE_DURATION)
        role = self._role(ctx, p["RoleArn"])
        if role.trust is not None:
            federated = _federated(role.trust, "sts:AssumeRoleWithSAML")
            if federated and p["PrincipalArn"] not in federated:
                raise AWSError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
        result = self._assume(ctx, session_name, role, duration)
        provider_name = p["PrincipalArn"].rsplit("/", 1)[-1]
        qualifier = base64.b64encode(hashlib.sha1(
            f"{assertion.issuer}{role.account}/{provider_name}".encode()).digest()).decode()
        result.update(Subject=assertion.subject, SubjectType=assertion.subject_type, Issuer=assertion.issuer,
                      Audience=assertion.audience, NameQualifier=qualifier)
        return result

    def assume_root(self, ctx: RequestContext) -> dict[str, Any]:
        target = ctx.params["TargetPrincipal"]
        if not re.fullmatch(r"\d{12}", target):
            # AWS's exact wording is not documented.
            raise validation_error(f"TargetPrincipal {target} is not a valid account id.")
        policy = ctx.params["TaskPolicyArn"]["arn"]
        if policy.rsplit("/", 1)[-1] not in ROOT_TASK_POLICIES or ":iam::aws:policy/root-task/" not in policy:
            raise validation_error(f"TaskPolicyArn {policy} is not a root task policy.")  # wording not documented
        duration = ctx.params.get("DurationSeconds", 900)
        arn = f"arn:{ctx.partition}:iam::{target}:root"
        return {"Credentials": self._issue(ctx, target, arn, target, duration)}

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

    def decode_authorization_message(self, ctx: RequestContext) -> dict[str, Any]:
        """Messages the mock encodes are base64 of their JSON (it denies nothing today)."""
        encoded = ctx.params["EncodedMessage"]
        try:
            decoded = json.loads(base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True))
            if not isinstance(decoded, dict):
                raise ValueError
        except (ValueError, binascii.Error):
            # AWS's exact wording is not documented.
            raise AWSError("InvalidAuthorizationMessageException", "The encoded message is not valid.", 400) from None
        return {"DecodedMessage": json.dumps(decoded)}

    def get_web_identity_token(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        info = self._iam(ctx, "GetOutboundWebIdentityFederationInfo", {}, ctx.account_id)
        if info is None:
            raise AWSError("OutboundWebIdentityFederationDisabledException",
                           "Outbound web identity federation is disabled for this account.", 400)  # wording unknown
        if p["SigningAlgorithm"] not in ("RS256", "ES384"):
            raise validation_error(f"Unsupported SigningAlgorithm {p['SigningAlgorithm']}")  # wording not documented
        now = int(ctx.clock.now())
        duration = p.get("DurationSeconds", 300)
        who = self.get_caller_identity(ctx)
        audience = p["Audience"]
        payload: dict[str, Any] = {"iss": info["IssuerIdentifier"], "sub": who["Arn"],
                                   "aud": audience[0] if len(audience) == 1 else audience,
                                   "iat": now, "nbf": now, "exp": now + duration, "jti": creds.unique_id("")}
        if p.get("Tags"):
            payload["https://sts.amazonaws.com/"] = {"request_tags": {t["Key"]: t["Value"] for t in p["Tags"]}}
        token = tokens.issue({"alg": p["SigningAlgorithm"], "typ": "JWT", "kid": ctx.account_id}, payload)
        return {"WebIdentityToken": token, "Expiration": datetime.fromtimestamp(now + duration, timezone.utc)}

    def get_delegated_access_token(self, ctx: RequestContext) -> dict[str, Any]:
        """Trades a delegation token for credentials of the caller (the token is not verified)."""
        if not ctx.params["TradeInToken"].strip():
            raise AWSError("ExpiredTradeInTokenException", "The trade-in token is expired or not valid.", 400)
        who = self.get_caller_identity(ctx)
        return {"Credentials": self._issue(ctx, who["Account"], who["Arn"], who["UserId"], 3600),
                "AssumedPrincipal": who["Arn"]}


def _federated(trust: dict[str, Any], action: str) -> list[str]:
    """The federated principals a trust policy allows `action` to."""
    found: list[str] = []
    statements = trust.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if action not in actions and "sts:*" not in actions and "*" not in actions:
            continue
        principal = statement.get("Principal", {})
        federated = principal.get("Federated", []) if isinstance(principal, dict) else []
        found += federated if isinstance(federated, list) else [federated]
    return found
