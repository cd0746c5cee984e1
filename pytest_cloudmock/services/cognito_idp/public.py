"""Plain HTTP a pool answers on the gateway's port, as on AWS: its `.well-known` documents
(`<endpoint>/<pool-id>/.well-known/jwks.json`, `openid-configuration`) and its domain's OAuth 2.0
endpoints (`/oauth2/token`, `/oauth2/authorize`, `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`), on
`<domain>.auth.<region>.localhost:<port>` or, with no DNS, `<endpoint>/_aws/cognito-idp/<domain>/`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlencode

from ...api import AWSError, RequestContext, Response
from ...wire import WireRequest
from . import tokens
from .auth import AuthOps
from .base import random_id
from .state import AppClient, UserPool

WELL_KNOWN = re.compile(r"^/([a-z]{2}(?:-[a-z]+)+-\d_[0-9A-Za-z]+)/\.well-known/(jwks\.json|openid-configuration)$")
_PATH_FORM = re.compile(r"^/_aws/cognito-idp/([a-z0-9-]+)(/oauth2/[A-Za-z]+|/logout|/confirmUser)$")
_DOMAIN_HOST = re.compile(r"^([a-z0-9-]+)\.auth\.")
_OAUTH = {"/oauth2/token": "OAuth2Token", "/oauth2/authorize": "OAuth2Authorize",
          "/oauth2/userInfo": "OAuth2UserInfo", "/oauth2/revoke": "OAuth2Revoke", "/logout": "OAuth2Logout",
          "/confirmUser": "ConfirmUserByLink"}
PUBLIC_OPERATIONS = frozenset({"GetWellKnown", *_OAUTH.values()})
CODE_SECONDS = 300.0


def public_operation(request: WireRequest) -> str | None:
    """The public operation a plain HTTP request asks for (None: not one of ours)."""
    if request.method == "GET" and WELL_KNOWN.match(request.path):
        return "GetWellKnown"
    found = _domain_and_path(request)
    return _OAUTH.get(found[1]) if found else None


def _domain_and_path(request: WireRequest) -> tuple[str, str] | None:
    match = _PATH_FORM.match(request.path)
    if match:
        return match[1], match[2]
    host = _DOMAIN_HOST.match(request.host.split(":")[0].lower())
    return (host[1], request.path) if host else None


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body).encode(), status, {"Content-Type": "application/json", **(headers or {})})


def _oauth_error(error: str, status: int = 400, description: str | None = None) -> Response:
    body = {"error": error, **({"error_description": description} if description else {})}
    return _json(body, status)


class PublicOps(AuthOps):
    """Answers for the public endpoints (`profile.unmodelled_operation` routes them here)."""

    def get_well_known(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        match = WELL_KNOWN.match(ctx.wire.path)
        pool = self.pool_by_id(match[1]) if match else None
        if pool is None or match is None:
            return _json({"message": "User pool does not exist"}, 404)  # AWS's exact body not documented
        if match[2] == "jwks.json":
            with self.store.lock:
                return _json(tokens.jwks(pool))
        issuer = self.issuer(ctx, pool)
        base = self._domain_base(ctx, pool)
        return _json({
            "authorization_endpoint": f"{base}/oauth2/authorize", "end_session_endpoint": f"{base}/logout",
            "id_token_signing_alg_values_supported": ["RS256"], "issuer": issuer,
            "jwks_uri": f"{issuer}/.well-known/jwks.json", "response_types_supported": ["code", "token"],
            "revocation_endpoint": f"{base}/oauth2/revoke", "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"], "token_endpoint": f"{base}/oauth2/token",
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "userinfo_endpoint": f"{base}/oauth2/userInfo",
        })

    def _domain_base(self, ctx: RequestContext, pool: UserPool) -> str:
        root = self.issuer(ctx, pool).rsplit("/", 1)[0]
        return f"{root}/_aws/cognito-idp/{pool.domain or pool.custom_domain or 'no-domain'}"

    def _domain_pool(self, ctx: RequestContext) -> UserPool | None:
        assert ctx.wire is not None
        found = _domain_and_path(ctx.wire)
        return self.pool_by_domain(found[0]) if found else None

    @staticmethod
    def _form(ctx: RequestContext) -> dict[str, str]:
        assert ctx.wire is not None
        fields = {k: v[0] for k, v in ctx.wire.query.items() if v}
        if ctx.wire.method == "POST":
            for key, values in parse_qs(ctx.wire.body.decode("utf-8", "replace")).items():
                fields[key] = values[0]
        return fields

    def _client_auth(self, ctx: RequestContext, pool: UserPool, form: dict[str, str]) -> AppClient | None:
        """The client a token request authenticates as (HTTP Basic or form fields), or None."""
        assert ctx.wire is not None
        client_id, secret = form.get("client_id", ""), form.get("client_secret")
        header = ctx.wire.headers.get("Authorization", "")
        if header.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
        client = pool.clients.get(client_id)
        if client is None:
            return None
        if client.secret:
            values = [s["ClientSecretValue"] for s in client.secrets] or [client.secret]
            if not secret or not any(hmac.compare_digest(secret, v) for v in values):
                return None
        return client

    # -- /oauth2/token ---------------------------------------------------------------------------
    def o_auth2_token(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        pool = self._domain_pool(ctx)
        if pool is None:
            return _oauth_error("invalid_request", 400, "Domain does not exist")
        if ctx.wire.method != "POST":
            return _json({"error": "invalid_request"}, 405)
        form = self._form(ctx)
        client = self._client_auth(ctx, pool, form)
        if client is None:
            return _oauth_error("invalid_client", 401)
        grant = form.get("grant_type", "")
        flows = client.config.get("AllowedOAuthFlows") or []
        if grant == "client_credentials":
            if "client_credentials" not in flows or not client.secret:
                return _oauth_error("unauthorized_client")
            allowed = client.config.get("AllowedOAuthScopes") or []
            requested = form.get("scope", "").split() or allowed
            if not requested or any(s not in allowed for s in requested):
                return _oauth_error("invalid_scope")
            token, life = self.client_token(ctx, pool, client, requested)
            return _json({"access_token": token, "expires_in": life, "token_type": "Bearer"})
        if grant == "authorization_code":
            return self._exchange_code(ctx, pool, client, form)
        if grant == "refresh_token":
            try:
                found = self.refresh_token(ctx, pool, client, form.get("refresh_token", ""))
            except AWSError:
                return _oauth_error("invalid_grant")
            user = pool.users.get(self.user_key(pool, found.username))
            if user is None or not user.enabled:
                return _oauth_error("invalid_grant")
            result = self.issue(ctx, pool, client, user, "TokenGeneration_RefreshTokens", auth_time=found.auth_time,
                                origin_jti=found.origin_jti, refresh=False, scopes=found.scopes)
            return _json(_oauth_tokens(result))
        return _oauth_error("unsupported_grant_type")

    def _exchange_code(self, ctx: RequestContext, pool: UserPool, client: AppClient, form: dict[str, str]) -> Response:
        with self.store.lock:
            grant = pool.codes.pop(form.get("code", ""), None)
        if grant is None or grant["client_id"] != client.client_id or grant["expires"] <= ctx.clock.now():
            return _oauth_error("invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _oauth_error("invalid_grant")
        challenge = grant.get("code_challenge")
        if challenge:
            verifier = form.get("code_verifier", "")
            if grant.get("code_challenge_method", "plain") == "S256":
                verifier = tokens.b64url(hashlib.sha256(verifier.encode()).digest())
            if not verifier or not hmac.compare_digest(verifier, challenge):
                return _oauth_error("invalid_grant")
        user = pool.users.get(self.user_key(pool, grant["username"]))
        if user is None or not user.enabled:
            return _oauth_error("invalid_grant")
        result = self.issue(ctx, pool, client, user, "TokenGeneration_HostedAuth", scopes=grant["scopes"],
                            nonce=grant.get("nonce"))
        return _json(_oauth_tokens(result))

    # -- /oauth2/authorize ---------------------------------------------------------------------------
    def o_auth2_authorize(self, ctx: RequestContext) -> Response:
        """The hosted sign-in: without credentials, a sign-in form; with `username` and `password`
        (query or form fields: a cloudmock convenience for tests), a redirect with the code."""
        pool = self._domain_pool(ctx)
        if pool is None:
            return _json({"error": "invalid_request", "error_description": "Domain does not exist"}, 400)
        form = self._form(ctx)
        client = pool.clients.get(form.get("client_id", ""))
        if client is None:
            return _oauth_error("invalid_request", 400, "invalid client_id")
        redirect = form.get("redirect_uri", "")
        if redirect not in (client.config.get("CallbackURLs") or []):
            return _oauth_error("redirect_mismatch")
        if form.get("response_type") != "code" or "code" not in (client.config.get("AllowedOAuthFlows") or []):
            return _redirect(redirect, {"error": "unauthorized_client", **_state(form)})
        allowed = client.config.get("AllowedOAuthScopes") or []
        scopes = form.get("scope", "").split() or allowed
        if any(s not in allowed for s in scopes):
            return _redirect(redirect, {"error": "invalid_scope", **_state(form)})
        if "username" not in form:
            return _login_page(form)
        user = self.find_user(pool, form["username"])
        if user is None or user.password != form.get("password") or not user.enabled or user.status != "CONFIRMED":
            return _login_page(form, "Incorrect username or password.")
        code = random_id(36).lower()
        with self.store.lock:
            pool.codes[code] = {"client_id": client.client_id, "username": user.username, "redirect_uri": redirect,
                                "scopes": scopes, "expires": ctx.clock.now() + CODE_SECONDS,
                                "code_challenge": form.get("code_challenge"),
                                "code_challenge_method": form.get("code_challenge_method", "plain"),
                                "nonce": form.get("nonce")}
        return _redirect(redirect, {"code": code, **_state(form)})

    # -- /oauth2/userInfo and /oauth2/revoke -----------------------------------------------------------
    def o_auth2_user_info(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        header = ctx.wire.headers.get("Authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        try:
            _pool, user, _claims = self.access_token(ctx, token)
        except AWSError as exc:
            return _json({"error": "invalid_token", "error_description": exc.message}, 401,
                         {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{exc.message}"'})
        info: dict[str, Any] = {"sub": user.sub, **{k: v for k, v in user.attributes.items()},
                                "username": user.username}
        return _json(info)

    def o_auth2_revoke(self, ctx: RequestContext) -> Response:
        pool = self._domain_pool(ctx)
        if pool is None:
            return _oauth_error("invalid_request")
        form = self._form(ctx)
        client = self._client_auth(ctx, pool, form)
        if client is None:
            return _oauth_error("invalid_client", 401)
        found = pool.refresh_tokens.get(form.get("token", ""))
        if found is not None and found.client_id == client.client_id:
            with self.store.lock:
                pool.revoked.add(found.origin_jti)
                pool.refresh_tokens.pop(form["token"], None)
        return Response(b"", 200)


    def o_auth2_logout(self, ctx: RequestContext) -> Response:
        """Sign-out of the hosted UI: back to one of the client's sign-out URLs."""
        pool = self._domain_pool(ctx)
        form = self._form(ctx)
        client = pool.clients.get(form.get("client_id", "")) if pool is not None else None
        if client is None:
            return _oauth_error("invalid_request", 400, "invalid client_id")
        target = form.get("logout_uri")
        if target:
            if target not in (client.config.get("LogoutURLs") or []):
                return _oauth_error("invalid_request", 400, "logout_uri is not one of the client's sign-out URLs")
            return Response(b"", 302, {"Location": target})
        return self.o_auth2_authorize(ctx)  # `redirect_uri` and `response_type`: sign in again


    def confirm_user_by_link(self, ctx: RequestContext) -> Response:
        """The link of a CONFIRM_WITH_LINK sign-up mail: confirms the user, as ConfirmSignUp does."""
        pool = self._domain_pool(ctx)
        form = self._form(ctx)
        client = pool.clients.get(form.get("client_id", "")) if pool is not None else None
        user = self.find_user(pool, form.get("user_name", "")) if pool is not None else None
        if pool is None or client is None or user is None:
            return _page("Invalid link.", 400)  # the hosted page's wording is not documented
        if user.status != "UNCONFIRMED":
            return _page("User cannot be confirmed. Current status is " + user.status, 400)
        try:
            self._check_code(ctx, user, "signup", form.get("confirmation_code", ""))
        except AWSError as exc:
            return _page(exc.message, 400)
        self._confirm(ctx, pool, user)
        self._post_confirmation(ctx, pool, user, "PostConfirmation_ConfirmSignUp", client.client_id, {})
        return _page("Your registration has been confirmed!", 200)


def _page(text: str, status: int) -> Response:
    body = f"<!doctype html><html><body><p>{html.escape(text)}</p></body></html>"
    return Response(body.encode(), status, {"Content-Type": "text/html; charset=utf-8"})


def _oauth_tokens(result: dict[str, Any]) -> dict[str, Any]:
    out = {"id_token": result["IdToken"], "access_token": result["AccessToken"],
           "expires_in": result["ExpiresIn"], "token_type": "Bearer"}
    if result.get("RefreshToken"):
        out["refresh_token"] = result["RefreshToken"]
    return out


def _state(form: dict[str, str]) -> dict[str, str]:
    return {"state": form["state"]} if "state" in form else {}


def _redirect(uri: str, params: dict[str, str]) -> Response:
    separator = "&" if "?" in uri else "?"
    return Response(b"", 302, {"Location": f"{uri}{separator}{urlencode(params)}"})


def _login_page(form: dict[str, str], error: str = "") -> Response:
    hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in form.items() if k not in ("username", "password"))
    message = f"<p class=\"error\">{html.escape(error)}</p>" if error else ""
    page = (f"<!doctype html><html><body><h1>Sign in</h1>{message}<form method=\"post\">{hidden}"
            "<input name=\"username\"><input name=\"password\" type=\"password\">"
            "<button type=\"submit\">Sign in</button></form></body></html>")
    return Response(page.encode(), 200 if not error else 400, {"Content-Type": "text/html; charset=utf-8"})
