"""User sessions (each sign-in's refresh/access tokens: list and revoke), session configuration,
machine-to-machine tokens (GetClientToken), token exchange (GetDerivedToken), and the admin
views of a user's authentication factors and software token."""

from __future__ import annotations

import copy
import hashlib
import hmac
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors, tokens
from .extras import ExtraOps
from .state import AppClient, User, UserPool

DEFAULT_TOKEN_SESSIONS = 20  # MaxPerUser when SetUserPoolSessionConfiguration was never called
DEFAULT_SSO_MINUTES = 60


class SessionOps(ExtraOps):
    """Session and token-exchange operations."""

    # -- sessions -------------------------------------------------------------------------------
    def user_sessions(self, ctx: RequestContext, pool: UserPool, user: User, current: str = "") -> list[dict[str, Any]]:
        """A user's active token sessions (one per sign-in, kept by its refresh tokens): SessionType
        answers, with `origin_jti` (the sign-in's id in its tokens) beside them."""
        found: dict[str, dict[str, Any]] = {}
        for record in list(pool.refresh_tokens.values()):
            if record.username != user.username or record.origin_jti in pool.revoked \
                    or record.expires <= ctx.clock.now():
                continue
            entry = found.setdefault(record.origin_jti, {
                "origin_jti": record.origin_jti, "SessionId": session_id(record.origin_jti), "SessionType": "TOKEN", "ClientId": record.client_id,
                "CreateDate": float(record.auth_time), "LastActiveDate": record.last_active or float(record.auth_time),
                "DeviceType": "Unknown", "LastIPAddress": "127.0.0.1", "IsCurrentSession": record.origin_jti == current})
            entry["LastActiveDate"] = max(entry["LastActiveDate"], record.last_active)
        return sorted(found.values(), key=lambda s: s["CreateDate"])

    def list_user_sessions(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, claims = self.access_token(ctx)
        sessions = self.user_sessions(ctx, pool, user, claims.get("origin_jti", ""))
        page, more = self.page(ctx, sessions, "NextToken", "MaxResults", f"sessions:{user.sub}")
        return {"Sessions": [_answer(s) for s in page], **more}

    def admin_list_user_sessions(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        page, more = self.page(ctx, self.user_sessions(ctx, pool, user), "NextToken", "MaxResults",
                               f"sessions:{user.sub}")
        return {"Sessions": [_answer(s) for s in page], **more}

    def _revoke_session(self, ctx: RequestContext, pool: UserPool, user: User, wanted: str) -> dict[str, Any]:
        found = [s["origin_jti"] for s in self.user_sessions(ctx, pool, user) if s["SessionId"] == wanted]
        if not found:
            raise errors.not_found(f"Session {wanted} does not exist.")  # AWS's exact text not documented
        with self.store.lock:
            pool.revoked.add(found[0])
            for token, record in list(pool.refresh_tokens.items()):
                if record.origin_jti == found[0]:
                    del pool.refresh_tokens[token]
        return {}

    def revoke_user_session(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        return self._revoke_session(ctx, pool, user, ctx.params["SessionId"])

    def admin_revoke_user_session(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return self._revoke_session(ctx, pool, self.user(pool, ctx.params["Username"]), ctx.params["SessionId"])

    # -- session configuration --------------------------------------------------------------------
    def get_user_pool_session_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        config = pool.settings.get("sessions") or {"UserSessionTracking": "DISABLED",
                                                   "TokenSession": {"MaxPerUser": DEFAULT_TOKEN_SESSIONS}}
        return {"UserPoolId": pool.pool_id, **copy.deepcopy(config)}

    def set_user_pool_session_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        if pool.config.get("UserPoolTier") == "LITE":
            raise AWSError("FeatureUnavailableInTierException",
                           "Session configuration is available in the Essentials and Plus tiers.")  # text unknown
        with self.store.lock:
            pool.settings["sessions"] = {"UserSessionTracking": ctx.params["UserSessionTracking"],
                                         "TokenSession": dict(ctx.params["TokenSession"])}
        return self.get_user_pool_session_configuration(ctx)

    def get_user_pool_client_session_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        sso = (pool.settings.get("client-sessions") or {}).get(client.client_id) or {"MaxValidityMinutes": DEFAULT_SSO_MINUTES}
        return {"UserPoolId": pool.pool_id, "ClientId": client.client_id, "SSOSession": dict(sso)}

    def set_user_pool_client_session_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        client = self.app_client(pool, ctx.params["ClientId"])
        with self.store.lock:
            pool.settings.setdefault("client-sessions", {})[client.client_id] = dict(ctx.params["SSOSession"])
        return self.get_user_pool_client_session_configuration(ctx)

    # -- machine-to-machine and token exchange --------------------------------------------------------
    @staticmethod
    def _secret_matches(client: AppClient, given: str | None) -> bool:
        values = [s["ClientSecretValue"] for s in client.secrets] or ([client.secret] if client.secret else [])
        return bool(given) and any(hmac.compare_digest(given or "", v) for v in values)

    def get_client_token(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        if not client.secret or not self._secret_matches(client, p["Secret"]):
            raise errors.not_authorized("Invalid client secret.")  # AWS's exact text not documented
        flows = client.config.get("ExplicitAuthFlows") or []
        if "ALLOW_CLIENT_TOKEN_AUTH" not in flows and "client_credentials" not in (client.config.get("AllowedOAuthFlows") or []):
            raise errors.invalid_parameter("ALLOW_CLIENT_TOKEN_AUTH flow not enabled for this client")
        allowed = client.config.get("AllowedOAuthScopes") or []
        scopes = p.get("Scopes") or allowed
        for scope in scopes:
            if scope not in allowed:
                raise AWSError("ScopeDoesNotExistException", f"Invalid scope requested: {scope}")
        token, life = self.client_token(ctx, pool, client, scopes)
        return {"ClientAuthenticationResult": {"AccessToken": token, "ExpiresIn": life, "TokenType": "Bearer"}}

    def get_derived_token(self, ctx: RequestContext) -> dict[str, Any]:
        """RFC 8693 token exchange: a pool's token for a narrower one, bound to audiences."""
        p = ctx.params
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        if client.secret and not self._secret_matches(client, p.get("ClientSecret")):
            raise errors.not_authorized(f"Unable to verify secret hash for client {client.client_id}")
        actor = p.get("ActorToken")
        needed = "ALLOW_TOKEN_EXCHANGE_DELEGATION" if actor else "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
        if needed not in (client.config.get("ExplicitAuthFlows") or []):
            raise errors.invalid_parameter(f"{needed.removeprefix('ALLOW_')} flow not enabled for this client")
        subject = self._pool_token(ctx, pool, p["SubjectToken"], p["SubjectTokenType"])
        kind = p.get("RequestedTokenType") or "ACCESS_TOKEN"
        granted = (subject.get("scope") or "").split()
        scopes = p.get("Scopes") or granted
        if any(s not in granted and s not in (client.config.get("AllowedOAuthScopes") or []) for s in scopes):
            raise AWSError("ScopeDoesNotExistException", "Invalid scope requested.")  # AWS's text unknown
        now = int(ctx.clock.now())
        life = min(tokens.validity(client.config, "AccessToken" if kind == "ACCESS_TOKEN" else "IdToken"),
                   max(int(subject.get("exp", now)) - now, 0))
        claims = {k: v for k, v in subject.items() if k not in ("jti", "iat", "exp", "aud", "scope", "event_id")}
        claims.update({"iss": self.issuer(ctx, pool), "client_id": client.client_id, "iat": now, "exp": now + life,
                       "jti": str(uuid.uuid4()), "token_use": "access" if kind == "ACCESS_TOKEN" else "id"})
        audiences = list(p.get("Audiences") or []) + list(p.get("Resources") or [])
        if audiences:
            claims["aud"] = audiences[0] if len(audiences) == 1 else audiences
        if kind == "ACCESS_TOKEN":
            claims["scope"] = " ".join(scopes)
        if actor:
            acting = self._pool_token(ctx, pool, actor, p.get("ActorTokenType") or "ACCESS_TOKEN")
            claims["act"] = {"sub": acting.get("sub"), "client_id": acting.get("client_id") or acting.get("aud")}
        with self.store.lock:
            issued = tokens.sign(pool, claims)
        out: dict[str, Any] = {"IssuedToken": issued, "IssuedTokenType": kind, "TokenType": "Bearer", "ExpiresIn": life}
        if kind == "ACCESS_TOKEN":
            out["Scopes"] = scopes
        return out

    def _pool_token(self, ctx: RequestContext, pool: UserPool, token: str, kind: str) -> dict[str, Any]:
        """The claims of a valid, unrevoked access or ID token this pool issued."""
        if kind == "SAML2":
            raise errors.invalid_parameter("SAML2 subject tokens need a SAML identity provider.")  # text unknown
        claims = tokens.verified_claims(pool, token)
        wanted = "access" if kind == "ACCESS_TOKEN" else "id"
        if claims is None or claims.get("token_use") != wanted:
            raise errors.not_authorized("Invalid subject token.")  # AWS's exact text not documented
        if claims.get("exp", 0) <= ctx.clock.now():
            raise errors.not_authorized("Token has expired.")  # AWS's exact text not documented
        if claims.get("origin_jti") in pool.revoked:
            raise errors.not_authorized("Token has been revoked.")  # AWS's exact text not documented
        return claims

    # -- admin views of a user's factors ---------------------------------------------------------
    def admin_delete_software_token(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        with self.store.lock:
            user.totp_secret = user.totp_pending = user.totp_device_name = ""
            user.mfa.pop("SOFTWARE_TOKEN_MFA", None)
            if user.preferred_mfa == "SOFTWARE_TOKEN_MFA":
                user.preferred_mfa = ""
        return {}


def session_id(origin_jti: str) -> str:
    """A token session's id as AWS spells them (`tkn` and 25 lowercase characters)."""
    return "tkn" + hashlib.sha256(origin_jti.encode()).hexdigest()[:25]


def _answer(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if k != "origin_jti"}
