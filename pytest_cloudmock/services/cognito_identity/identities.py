"""Identities: GetId, OpenID tokens (RS256, issuer `cognito-identity.amazonaws.com`), AWS
credentials for the pool's roles through STS (`registry.call("sts", "AssumeRoleWithWebIdentity")`),
role mappings, developer identities, describe/list/delete/unlink."""

from __future__ import annotations

import base64
import json
import uuid
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ...api import AWSError, RequestContext
from .pools import PoolOps, invalid_parameter, not_found
from .state import Identity, IdentityPool

ISSUER = "https://cognito-identity.amazonaws.com"
TOKEN_SECONDS = 600


def not_authorized(message: str) -> AWSError:
    return AWSError("NotAuthorizedException", message)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        found = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


@lru_cache(maxsize=1)
def _signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def open_id_token(claims: dict[str, Any]) -> str:
    header = {"kid": "cloudmock-1", "typ": "JWS", "alg": "RS256"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = _signing_key().sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


class IdentityOps(PoolOps):
    """Identity operations."""

    # -- logins -------------------------------------------------------------------------------------
    def login_subject(self, ctx: RequestContext, pool: IdentityPool, provider: str, token: str) -> tuple[str, dict[str, Any]]:
        """The user id a login names (and its token's claims), checked against the pool's providers.
        User pool ID tokens are checked for issuer, audience and expiry, not signature."""
        config = pool.config
        claims = _claims(token) or {}
        for entry in config.get("CognitoIdentityProviders") or []:
            name = entry.get("ProviderName", "")
            if provider != name and provider.rsplit("/", 1)[-1] != name.rsplit("/", 1)[-1]:
                continue
            if not claims or not str(claims.get("iss", "")).endswith("/" + name.rsplit("/", 1)[-1]):
                raise not_authorized("Invalid login token. Not a valid OpenId Connect identity token.")
            if entry.get("ClientId") and claims.get("aud") != entry["ClientId"]:
                raise not_authorized("Invalid login token. Incorrect token audience.")
            if float(claims.get("exp", 0)) <= ctx.clock.now():
                raise not_authorized("Invalid login token. Token expired.")
            return str(claims.get("sub", "")), claims
        oidc_hosts = [arn.split(":oidc-provider/", 1)[-1] for arn in config.get("OpenIdConnectProviderARNs") or []]
        if provider in oidc_hosts or provider in (config.get("SupportedLoginProviders") or {}) \
                or provider in (config.get("SamlProviderARNs") or []):
            if claims and float(claims.get("exp", ctx.clock.now() + 1)) <= ctx.clock.now():
                raise not_authorized("Invalid login token. Token expired.")
            return str(claims.get("sub") or token), claims
        raise not_authorized("Token is not from a supported provider of this identity pool.")

    def _subjects(self, ctx: RequestContext, pool: IdentityPool, logins: dict[str, str]) -> dict[str, str]:
        return {provider: self.login_subject(ctx, pool, provider, token)[0] for provider, token in logins.items()}

    def _identity_for(self, ctx: RequestContext, pool: IdentityPool, subjects: dict[str, str]) -> Identity:
        """The identity these logins belong to, made on first sign-in."""
        for identity in list(pool.identities.values()):
            if any(identity.logins.get(p) == s for p, s in subjects.items()):
                with self.store.lock:
                    identity.logins.update(subjects)
                    identity.modified = ctx.clock.now()
                return identity
        region = pool.pool_id.split(":", 1)[0]
        identity = Identity(f"{region}:{uuid.uuid4()}", pool.pool_id, ctx.clock.now(), ctx.clock.now(), dict(subjects))
        with self.store.lock:
            pool.identities[identity.identity_id] = identity
        return identity

    def identity(self, ctx: RequestContext, identity_id: str | None = None) -> tuple[IdentityPool, Identity]:
        identity_id = identity_id or ctx.params.get("IdentityId", "")
        for _key, state in list(self.store.partitions()):
            for pool in list(state.pools.values()):
                found = pool.identities.get(identity_id)
                if found is not None:
                    return pool, found
        raise not_found(f"Identity '{identity_id}'")

    def _checked_logins(self, ctx: RequestContext, pool: IdentityPool, identity: Identity,
                        logins: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Claims by provider of logins that must belong to `identity`; unauthenticated use checked."""
        if not logins:
            if identity.logins:
                raise not_authorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")
            if not pool.config.get("AllowUnauthenticatedIdentities"):
                raise not_authorized("Unauthenticated access is not supported for this identity pool.")
            return {}
        found = {}
        for provider, token in logins.items():
            subject, claims = self.login_subject(ctx, pool, provider, token)
            if identity.logins.get(provider) != subject:
                raise not_authorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")
            found[provider] = claims
        return found

    # -- operations -----------------------------------------------------------------------------------
    def get_id(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        logins = ctx.params.get("Logins") or {}
        if not logins and not pool.config.get("AllowUnauthenticatedIdentities"):
            raise not_authorized("Unauthenticated access is not supported for this identity pool.")
        return {"IdentityId": self._identity_for(ctx, pool, self._subjects(ctx, pool, logins)).identity_id}

    def _token(self, ctx: RequestContext, pool: IdentityPool, identity: Identity, providers: list[str],
               seconds: int = TOKEN_SECONDS) -> str:
        now = int(ctx.clock.now())
        amr = ["authenticated", *providers] if providers else ["unauthenticated"]
        return open_id_token({"sub": identity.identity_id, "aud": pool.pool_id, "amr": amr, "iss": ISSUER,
                              "exp": now + seconds, "iat": now, "https://cognito-identity.amazonaws.com/identity-pool-id": pool.pool_id})

    def get_open_id_token(self, ctx: RequestContext) -> dict[str, Any]:
        pool, identity = self.identity(ctx)
        claims = self._checked_logins(ctx, pool, identity, ctx.params.get("Logins") or {})
        return {"IdentityId": identity.identity_id, "Token": self._token(ctx, pool, identity, list(claims))}

    def get_open_id_token_for_developer_identity(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        developer = pool.config.get("DeveloperProviderName")
        logins = ctx.params["Logins"]
        subjects = {}
        for provider, value in logins.items():
            if provider == developer:
                subjects[provider] = value
            else:
                subjects[provider] = self.login_subject(ctx, pool, provider, value)[0]
        if developer is None or developer not in logins:
            raise not_authorized("Invalid developer provider name for this identity pool.")  # AWS's text unknown
        if ctx.params.get("IdentityId"):
            _pool, identity = self.identity(ctx)
            with self.store.lock:
                identity.logins.update(subjects)
        else:
            identity = self._identity_for(ctx, pool, subjects)
        seconds = int(ctx.params.get("TokenDuration") or TOKEN_SECONDS)
        return {"IdentityId": identity.identity_id, "Token": self._token(ctx, pool, identity, list(subjects), seconds)}

    def get_credentials_for_identity(self, ctx: RequestContext) -> dict[str, Any]:
        pool, identity = self.identity(ctx)
        claims = self._checked_logins(ctx, pool, identity, ctx.params.get("Logins") or {})
        role = self._role(pool, claims, ctx.params.get("CustomRoleArn"))
        token = self._token(ctx, pool, identity, list(claims))
        if ctx.registry is None:
            raise AWSError("InternalErrorException", "No STS to issue credentials.", 500)
        answer = ctx.registry.call("sts", "AssumeRoleWithWebIdentity", {
            "RoleArn": role, "RoleSessionName": "CognitoIdentityCredentials", "WebIdentityToken": token,
        }, account_id=pool.arn.split(":")[4], region=pool.arn.split(":")[3], caller=ctx)
        creds = answer["Credentials"]
        return {"IdentityId": identity.identity_id, "Credentials": {
            "AccessKeyId": creds["AccessKeyId"], "SecretKey": creds["SecretAccessKey"],
            "SessionToken": creds["SessionToken"], "Expiration": creds["Expiration"]}}

    def _role(self, pool: IdentityPool, claims: dict[str, dict[str, Any]], custom: str | None) -> str:
        """The role for these logins: role mappings first (token or rules), then the pool's roles."""
        for provider, found in claims.items():
            mapping = pool.role_mappings.get(provider) or next(
                (m for key, m in pool.role_mappings.items() if key.rsplit("/", 1)[-1] == provider.rsplit("/", 1)[-1]), None)
            if mapping is None:
                continue
            chosen = None
            if mapping.get("Type") == "Token":
                roles = found.get("cognito:roles") or []
                chosen = custom if custom and custom in roles else found.get("cognito:preferred_role")
            elif mapping.get("Type") == "Rules":
                for rule in (mapping.get("RulesConfiguration") or {}).get("Rules") or []:
                    if _rule_matches(rule, found):
                        chosen = rule["RoleARN"]
                        break
            if chosen:
                return chosen
            if mapping.get("AmbiguousRoleResolution") == "Deny":
                raise AWSError("NotAuthorizedException",
                               "Ambiguous role resolution is set to deny for this identity pool.")  # text unknown
        if custom:
            return custom
        role = pool.roles.get("authenticated" if claims else "unauthenticated")
        if not role:
            raise AWSError("InvalidIdentityPoolConfigurationException",
                           "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
        return role

    def describe_identity(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, identity = self.identity(ctx)
        return {"IdentityId": identity.identity_id, "Logins": sorted(identity.logins),
                "CreationDate": identity.created, "LastModifiedDate": identity.modified}

    def list_identities(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        page, more = self.page(ctx, list(pool.identities.values()), f"identities:{pool.pool_id}")
        return {"IdentityPoolId": pool.pool_id, "Identities": [
            {"IdentityId": i.identity_id, "Logins": sorted(i.logins), "CreationDate": i.created,
             "LastModifiedDate": i.modified} for i in page], **more}

    def delete_identities(self, ctx: RequestContext) -> dict[str, Any]:
        unprocessed = []
        for identity_id in ctx.params["IdentityIdsToDelete"]:
            try:
                pool, _identity = self.identity(ctx, identity_id)
            except AWSError:
                unprocessed.append({"IdentityId": identity_id, "ErrorCode": "InternalServerError"})
                continue
            with self.store.lock:
                pool.identities.pop(identity_id, None)
        return {"UnprocessedIdentityIds": unprocessed}

    def unlink_identity(self, ctx: RequestContext) -> dict[str, Any]:
        pool, identity = self.identity(ctx)
        self._checked_logins(ctx, pool, identity, ctx.params["Logins"])
        with self.store.lock:
            for provider in ctx.params["LoginsToRemove"]:
                identity.logins.pop(provider, None)
        return {}

    # -- developer identities --------------------------------------------------------------------------
    def _developer(self, pool: IdentityPool, name: str | None = None) -> str:
        developer = pool.config.get("DeveloperProviderName")
        if not developer or (name is not None and name != developer):
            raise invalid_parameter("Invalid developer provider name for this identity pool.")  # AWS's text unknown
        return developer

    def lookup_developer_identity(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        developer = self._developer(pool)
        wanted_user, wanted_id = ctx.params.get("DeveloperUserIdentifier"), ctx.params.get("IdentityId")
        if not wanted_user and not wanted_id:
            raise invalid_parameter("Either IdentityId or DeveloperUserIdentifier must be given.")  # text unknown
        for identity in list(pool.identities.values()):
            user = identity.logins.get(developer)
            if user and (wanted_user in (None, user)) and (wanted_id in (None, identity.identity_id)):
                return {"IdentityId": identity.identity_id, "DeveloperUserIdentifierList": [user]}
        raise not_found("Developer identity")

    def merge_developer_identities(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        developer = self._developer(pool, ctx.params["DeveloperProviderName"])
        by_user = {i.logins.get(developer): i for i in pool.identities.values() if i.logins.get(developer)}
        source, destination = by_user.get(ctx.params["SourceUserIdentifier"]), by_user.get(ctx.params["DestinationUserIdentifier"])
        if source is None or destination is None:
            raise not_found("Developer identity")
        with self.store.lock:
            destination.logins.update({k: v for k, v in source.logins.items() if k != developer})
            pool.identities.pop(source.identity_id, None)
        return {"IdentityId": destination.identity_id}

    def unlink_developer_identity(self, ctx: RequestContext) -> dict[str, Any]:
        pool, identity = self.identity(ctx)
        developer = self._developer(pool, ctx.params["DeveloperProviderName"])
        if identity.logins.get(developer) != ctx.params["DeveloperUserIdentifier"]:
            raise not_found("Developer identity")
        with self.store.lock:
            identity.logins.pop(developer, None)
        return {}


def _rule_matches(rule: dict[str, Any], claims: dict[str, Any]) -> bool:
    value = claims.get(rule.get("Claim", ""))
    wanted = rule.get("Value", "")
    if value is None:
        return rule.get("MatchType") == "NotEqual"
    text = " ".join(map(str, value)) if isinstance(value, list) else str(value)
    match rule.get("MatchType"):
        case "Equals":
            return text == wanted
        case "Contains":
            return wanted in text
        case "StartsWith":
            return text.startswith(wanted)
        case "NotEqual":
            return text != wanted
    return False
