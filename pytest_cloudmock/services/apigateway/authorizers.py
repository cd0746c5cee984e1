"""Authorizers: Lambda authorizers (TOKEN and REQUEST, IAM policy answers; HTTP API simple
answers) and JWT checks (Cognito user pools, HTTP API JWT authorizers)."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from ...api import RequestContext
from .integrations import IntegrationFailure, IntegrationTimeout, function_of, invoke_lambda
from .jwt import InvalidToken, JwksCache, decode_unverified, verify


@dataclass
class Decision:
    """An authorizer's verdict: `status` 0 lets the request through (401/403/500 otherwise)."""

    status: int = 0
    principal: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    usage_key: str | None = None
    claims: dict[str, Any] | None = None
    scopes: list[str] | None = None


UNAUTHORIZED, DENIED, FAILED = Decision(401), Decision(403), Decision(500)


class DecisionCache:
    """Lambda authorizer verdicts kept for the authorizer's TTL (gateway time), by identity."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, ...], tuple[datetime, Decision]] = {}

    def get(self, key: tuple[str, ...], now: datetime) -> Decision | None:
        with self._lock:
            entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] > now else None

    def put(self, key: tuple[str, ...], decision: Decision, now: datetime, ttl: int) -> None:
        """Keep an allow or a deny (never a failure) for `ttl` seconds."""
        if ttl > 0 and decision.status in (0, 403):
            with self._lock:
                self._entries[key] = (now + timedelta(seconds=ttl), decision)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def method_arn(region: str, account: str, api_id: str, stage: str, method: str, path: str) -> str:
    return f"arn:aws:execute-api:{region}:{account}:{api_id}/{stage}/{method}/{path.lstrip('/')}"


def policy_allows(policy: Any, arn: str) -> bool | None:
    """True (an Allow matches, no Deny), False (a Deny matches), None (nothing matches)."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict):
            continue
        actions = statement.get("Action", [])
        actions = actions if isinstance(actions, list) else [actions]
        if not any(fnmatchcase("execute-api:Invoke", str(a)) or a == "*" for a in actions):
            continue
        resources = statement.get("Resource", [])
        resources = resources if isinstance(resources, list) else [resources]
        if not any(fnmatchcase(arn, str(r)) for r in resources):
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return True if allowed else None


def _context_values(context: Any) -> dict[str, Any]:
    """An authorizer's `context` as API Gateway passes it on (strings, numbers, booleans only)."""
    if not isinstance(context, dict):
        return {}
    return {str(k): v for k, v in context.items() if isinstance(v, (str, int, float, bool))}


def run_lambda_authorizer(ctx: RequestContext, uri: str, event: dict[str, Any], arn: str,
                          *, simple: bool = False) -> Decision:
    """Invoke a Lambda authorizer with `event` and judge its answer for `arn`."""
    function = function_of(uri)
    if function is None:
        return FAILED
    try:
        answer, failed = invoke_lambda(ctx, function, json.dumps(event).encode(), 30.0)
    except (IntegrationFailure, IntegrationTimeout):
        return FAILED
    try:
        result = json.loads(answer) if answer else None
    except ValueError:
        return FAILED
    if failed:
        message = result.get("errorMessage") if isinstance(result, dict) else None
        return UNAUTHORIZED if message == "Unauthorized" else FAILED
    if simple and isinstance(result, dict) and "isAuthorized" in result:
        # HTTP API "simple responses": {"isAuthorized": bool, "context": {...}}
        if result["isAuthorized"] is not True:
            return DENIED
        return Decision(context=_context_values(result.get("context")))
    if not isinstance(result, dict) or "policyDocument" not in result:
        return FAILED
    verdict = policy_allows(result.get("policyDocument"), arn)
    if verdict is not True:
        return DENIED
    return Decision(principal=str(result.get("principalId", "")), context=_context_values(result.get("context")),
                    usage_key=result.get("usageIdentifierKey"))


def check_jwt(jwks: JwksCache, token: str, gateway: str, now: datetime, *,
              issuer: str | None = None, audiences: list[str] | None = None,
              pools: list[str] | None = None) -> Decision:
    """A bearer JWT's verdict: 401 unless signed by its issuer, unexpired, for an allowed
    audience (`aud`, or `client_id` for Cognito access tokens) and from an allowed issuer."""
    token = re.sub(r"^Bearer\s+", "", token.strip(), flags=re.IGNORECASE)
    try:
        _header, claims, _signed, _sig = decode_unverified(token)
        iss = str(claims.get("iss", ""))
        if issuer is not None and iss.rstrip("/") != issuer.rstrip("/"):
            raise InvalidToken("issuer")
        if pools is not None and iss.rstrip("/").rsplit("/", 1)[-1] not in pools:
            raise InvalidToken("pool")
        claims = verify(token, jwks.keys(iss, gateway), now)
    except InvalidToken:
        return UNAUTHORIZED
    if audiences is not None:
        aud = claims.get("aud", claims.get("client_id"))
        given = aud if isinstance(aud, list) else [aud]
        if not any(a in audiences for a in given):
            return UNAUTHORIZED
    scopes = str(claims.get("scope", "")).split() if claims.get("scope") else None
    return Decision(principal=str(claims.get("sub", "")), claims=claims, scopes=scopes)
