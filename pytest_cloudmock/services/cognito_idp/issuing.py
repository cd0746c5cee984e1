"""Tokens a pool issues (ID, access, refresh; the pre token generation trigger v1/v2), and
the checks on tokens callers present (signature, expiry, revocation)."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import uuid
from typing import Any

from ...api import RequestContext
from . import errors, tokens
from .base import random_id
from .state import AppClient, RefreshToken, User, UserPool
from .triggers import TriggerOps

DEFAULT_SCOPE = "aws.cognito.signin.user.admin"
#: Claims a pre token generation trigger can not add, override or suppress.
RESERVED_CLAIMS = frozenset({
    "acr", "amr", "aud", "at_hash", "auth_time", "azp", "c_hash", "exp", "iat", "identities", "iss", "jti",
    "nbf", "nonce", "origin_jti", "sub", "token_use", "client_id", "event_id", "scope", "username",
    "cognito:username", "cognito:groups", "cognito:roles", "cognito:preferred_role",
})
_BOOLEAN_ATTRIBUTES = ("email_verified", "phone_number_verified")
_JWE_HEADER = base64.urlsafe_b64encode(b'{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}').rstrip(b"=").decode()


def secret_hash(username: str, client_id: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class IssuingOps(TriggerOps):
    """Issuing tokens and checking presented ones."""

    # -- client authentication --------------------------------------------------------------
    def client_user(self, ctx: RequestContext, p: dict[str, Any]) -> tuple[UserPool, AppClient, User | None]:
        """The pool and app client `ClientId` names, and the user `Username` names (None when
        there is none), once the client's `SecretHash` checks out."""
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        user = self.find_user(pool, p["Username"])
        self.check_secret_hash(client, p.get("SecretHash"), p["Username"], *([user.username] if user else []))
        return pool, client, user

    def check_secret_hash(self, client: AppClient, given: str | None, *usernames: str) -> None:
        """For a client with a secret, SECRET_HASH must be HMAC-SHA256(secret, username + client id)."""
        if not client.secret:
            return
        if not given:
            raise errors.not_authorized(
                f"Client {client.client_id} is configured with secret but SECRET_HASH was not received")
        values = [s["ClientSecretValue"] for s in client.secrets] or [client.secret]
        for username in usernames:
            for value in values:
                if hmac.compare_digest(secret_hash(username, client.client_id, value), given):
                    return
        raise errors.not_authorized(f"Unable to verify secret hash for client {client.client_id}")

    # -- issuing ----------------------------------------------------------------------------
    def group_claims(self, pool: UserPool, user: User) -> dict[str, Any]:
        groups = sorted((pool.groups[g] for g in user.groups if g in pool.groups),
                        key=lambda g: (g.get("Precedence") is None, g.get("Precedence") or 0, g["GroupName"]))
        claims: dict[str, Any] = {}
        if groups:
            claims["cognito:groups"] = [g["GroupName"] for g in groups]
            roles = [g["RoleArn"] for g in groups if g.get("RoleArn")]
            if roles:
                claims["cognito:roles"] = roles
                claims["cognito:preferred_role"] = roles[0]
        return claims

    def issue(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User, source: str, *,
              auth_time: int | None = None, origin_jti: str | None = None, refresh: bool = True,
              scopes: list[str] | None = None, metadata: dict[str, str] | None = None,
              nonce: str | None = None) -> dict[str, Any]:
        """An AuthenticationResult for `user`: ID and access tokens (and a refresh token)."""
        now = int(ctx.clock.now())
        auth_time = auth_time or now
        origin_jti = origin_jti or str(uuid.uuid4())
        event_id = str(uuid.uuid4())
        scopes = list(scopes or [DEFAULT_SCOPE])
        iss = self.issuer(ctx, pool)
        groups = self.group_claims(pool, user)
        id_claims: dict[str, Any] = {"sub": user.sub}
        readable = client.config.get("ReadAttributes")
        for name, value in user.attributes.items():
            if name == "sub" or (readable and name not in readable):
                continue
            id_claims[name] = value == "true" if name in _BOOLEAN_ATTRIBUTES else value
        id_claims.update(groups)
        id_claims.update({"iss": iss, "cognito:username": user.username, "origin_jti": origin_jti,
                          "aud": client.client_id, "event_id": event_id, "token_use": "id", "auth_time": auth_time})
        if nonce:
            id_claims["nonce"] = nonce
        access: dict[str, Any] = {"sub": user.sub}
        if "cognito:groups" in groups:
            access["cognito:groups"] = groups["cognito:groups"]
        access.update({"iss": iss, "client_id": client.client_id, "origin_jti": origin_jti, "event_id": event_id,
                       "token_use": "access", "scope": " ".join(scopes), "auth_time": auth_time})
        self._pre_token_generation(ctx, pool, client, user, source, id_claims, access, groups, metadata)
        access_life, id_life = tokens.validity(client.config, "AccessToken"), tokens.validity(client.config, "IdToken")
        id_claims.update({"exp": now + id_life, "iat": now, "jti": str(uuid.uuid4())})
        access.update({"exp": now + access_life, "iat": now, "jti": str(uuid.uuid4()), "username": user.username})
        hosted = source == "TokenGeneration_HostedAuth"
        if hosted:  # tokens from the token endpoint: access tokens say version 2, ID tokens carry at_hash
            access["version"] = 2
        with self.store.lock:
            access_token = tokens.sign(pool, access)
            if hosted:
                id_claims["at_hash"] = tokens.b64url(hashlib.sha256(access_token.encode()).digest()[:16])
            result: dict[str, Any] = {"AccessToken": access_token, "ExpiresIn": access_life,
                                      "TokenType": "Bearer", "IdToken": tokens.sign(pool, id_claims)}
            if refresh:
                token = f"{_JWE_HEADER}.{random_id(342)}.{random_id(16)}.{random_id(1200)}.{random_id(22)}"
                pool.refresh_tokens[token] = RefreshToken(
                    client.client_id, user.username, origin_jti, auth_time,
                    ctx.clock.now() + tokens.validity(client.config, "RefreshToken"), scopes, ctx.clock.now())
                result["RefreshToken"] = token
                self._limit_sessions(pool, user)
            user.auth_events.append({
                "EventId": event_id, "EventType": "SignIn", "CreationDate": ctx.clock.now(),
                "EventResponse": "Pass", "EventRisk": {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": False},
                "ChallengeResponses": [], "EventContextData": {"IpAddress": "127.0.0.1"},
            })
        return result

    @staticmethod
    def _limit_sessions(pool: UserPool, user: User) -> None:
        """With session tracking on, a user keeps at most MaxPerUser sign-ins (the oldest end)."""
        config = pool.settings.get("sessions") or {}
        if config.get("UserSessionTracking") != "ENABLED":
            return
        started: dict[str, int] = {}
        for record in pool.refresh_tokens.values():
            if record.username == user.username and record.origin_jti not in pool.revoked:
                started[record.origin_jti] = record.auth_time
        oldest = sorted(started, key=lambda jti: started[jti])
        for jti in oldest[:max(len(oldest) - int(config["TokenSession"]["MaxPerUser"]), 0)]:
            pool.revoked.add(jti)
            for token in [t for t, r in pool.refresh_tokens.items() if r.origin_jti == jti]:
                del pool.refresh_tokens[token]

    def _pre_token_generation(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                              source: str, id_claims: dict[str, Any], access: dict[str, Any],
                              groups: dict[str, Any], metadata: dict[str, str] | None) -> None:
        arn, version = self.trigger_arn(pool, "PreTokenGeneration")
        if not arn:
            return
        request: dict[str, Any] = {
            "userAttributes": self.event_attributes(user),
            "groupConfiguration": {"groupsToOverride": groups.get("cognito:groups", []),
                                   "iamRolesToOverride": groups.get("cognito:roles", []),
                                   "preferredRole": groups.get("cognito:preferred_role")},
            "clientMetadata": metadata or {},
        }
        if version == "2":
            request["scopes"] = access["scope"].split()
        answer = self.run_trigger(ctx, pool, "PreTokenGeneration", source, user.username, request,
                                  {"claimsOverrideDetails": None} if version == "1" else
                                  {"claimsAndScopeOverrideDetails": None}, client.client_id) or {}
        if version == "1":
            details = answer.get("claimsOverrideDetails") or {}
            _override(id_claims, details)
            override = details.get("groupOverrideDetails")
        else:
            details = answer.get("claimsAndScopeOverrideDetails") or {}
            _override(id_claims, details.get("idTokenGeneration") or {})
            access_details = details.get("accessTokenGeneration") or {}
            _override(access, access_details)
            scopes = [s for s in access["scope"].split() if s not in (access_details.get("scopesToSuppress") or [])]
            scopes += [s for s in access_details.get("scopesToAdd") or [] if s not in scopes]
            access["scope"] = " ".join(scopes)
            override = details.get("groupOverrideDetails")
        if override:
            for claims in (id_claims, access):
                if "groupsToOverride" in override and override["groupsToOverride"] is not None:
                    claims["cognito:groups"] = list(override["groupsToOverride"])
            if override.get("iamRolesToOverride") is not None:
                id_claims["cognito:roles"] = list(override["iamRolesToOverride"])
            if override.get("preferredRole"):
                id_claims["cognito:preferred_role"] = override["preferredRole"]

    def client_token(self, ctx: RequestContext, pool: UserPool, client: AppClient,
                     scopes: list[str]) -> tuple[str, int]:
        """A machine-to-machine access token (client credentials) and its lifetime in seconds."""
        now = int(ctx.clock.now())
        life = tokens.validity(client.config, "AccessToken")
        claims = {"sub": client.client_id, "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
                  "iss": self.issuer(ctx, pool), "exp": now + life, "iat": now, "version": 2,
                  "jti": str(uuid.uuid4()), "client_id": client.client_id}
        with self.store.lock:
            return tokens.sign(pool, claims), life

    # -- checking presented tokens ------------------------------------------------------------
    def access_token(self, ctx: RequestContext, token: str | None = None) -> tuple[UserPool, User, dict[str, Any]]:
        """The pool, user and claims of a valid access token (AWS's NotAuthorizedException otherwise)."""
        token = token if token is not None else ctx.params.get("AccessToken", "")
        claims = tokens.unverified_claims(token or "")
        if not claims or claims.get("token_use") != "access" or not isinstance(claims.get("iss"), str):
            raise errors.invalid_access_token()
        pool = self.pool_by_id(claims["iss"].rsplit("/", 1)[-1])
        if pool is None or tokens.verified_claims(pool, token) is None:
            raise errors.invalid_access_token()
        if claims.get("exp", 0) <= ctx.clock.now():
            raise errors.not_authorized("Access Token has expired")
        if claims.get("origin_jti") in pool.revoked:
            raise errors.not_authorized("Access Token has been revoked")
        user = pool.users.get(self.user_key(pool, claims.get("username", "")))
        if user is None or user.sub != claims.get("sub"):
            raise errors.user_not_found()
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        return pool, user, claims

    def refresh_token(self, ctx: RequestContext, pool: UserPool, client: AppClient, token: str) -> RefreshToken:
        found = pool.refresh_tokens.get(token)
        if found is None or found.client_id != client.client_id or found.expires <= ctx.clock.now() \
                or found.origin_jti in pool.revoked:
            raise errors.not_authorized("Invalid Refresh Token")
        return found

    def sign_out(self, pool: UserPool, user: User) -> None:
        """Revoke every sign-in of `user` (its refresh tokens and the access/ID tokens they made)."""
        with self.store.lock:
            for token, found in list(pool.refresh_tokens.items()):
                if found.username == user.username:
                    pool.revoked.add(found.origin_jti)
                    del pool.refresh_tokens[token]


def _override(claims: dict[str, Any], details: dict[str, Any]) -> None:
    for name, value in (details.get("claimsToAddOrOverride") or {}).items():
        if name not in RESERVED_CLAIMS:
            claims[name] = copy.deepcopy(value)
    for name in details.get("claimsToSuppress") or []:
        if name not in RESERVED_CLAIMS:
            claims.pop(name, None)


def dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
