"""Sign-in: InitiateAuth/AdminInitiateAuth flows, RespondToAuthChallenge (SRP password
verifier, new password, TOTP/SMS MFA, MFA setup, custom challenges), refresh, sign-out,
software tokens."""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from ..iam import totp
from . import errors, passwords, srp
from .base import random_id
from .issuing import dump
from .state import AppClient, AuthSession, User, UserPool
from .triggers import mask, new_code
from .users import UserOps

#: Flow -> the ExplicitAuthFlows values that allow it (`None`: always allowed).
FLOW_SWITCHES: dict[str, tuple[str, ...] | None] = {
    "USER_PASSWORD_AUTH": ("ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH"),
    "ADMIN_USER_PASSWORD_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "ADMIN_NO_SRP_AUTH": ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"),
    "USER_SRP_AUTH": ("ALLOW_USER_SRP_AUTH",),
    "CUSTOM_AUTH": ("ALLOW_CUSTOM_AUTH", "CUSTOM_AUTH_FLOW_ONLY"),
    "REFRESH_TOKEN_AUTH": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "REFRESH_TOKEN": ("ALLOW_REFRESH_TOKEN_AUTH",),
    "USER_AUTH": ("ALLOW_USER_AUTH",),
}
DEFAULT_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
SESSION_MINUTES = 3  # a client's AuthSessionValidity, by default
_ADMIN_FLOWS = {"ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"}


class AuthOps(UserOps):
    """Authentication operations."""

    # -- entry points -----------------------------------------------------------------------------
    def initiate_auth(self, ctx: RequestContext) -> dict[str, Any]:
        pool, client = self.pool_of_client(ctx, ctx.params["ClientId"])
        return self._initiate(ctx, pool, client, admin=False)

    def admin_initiate_auth(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return self._initiate(ctx, pool, self.app_client(pool, ctx.params["ClientId"]), admin=True)

    def respond_to_auth_challenge(self, ctx: RequestContext) -> dict[str, Any]:
        pool, client = self.pool_of_client(ctx, ctx.params["ClientId"])
        return self._respond(ctx, pool, client)

    def admin_respond_to_auth_challenge(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        return self._respond(ctx, pool, self.app_client(pool, ctx.params["ClientId"]))

    # -- starting -----------------------------------------------------------------------------------
    def _initiate(self, ctx: RequestContext, pool: UserPool, client: AppClient, *, admin: bool) -> dict[str, Any]:
        flow = ctx.params["AuthFlow"]
        params: dict[str, str] = ctx.params.get("AuthParameters") or {}
        metadata = ctx.params.get("ClientMetadata") or {}
        if (flow in _ADMIN_FLOWS) != admin and flow in _ADMIN_FLOWS | {"USER_PASSWORD_AUTH"}:
            raise errors.invalid_parameter("Initiate Auth method not supported.")
        self._check_flow(client, flow)
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return self._refresh(ctx, pool, client, params, metadata)
        name = params.get("USERNAME")
        if not name:
            raise errors.invalid_parameter("Missing required parameter USERNAME")
        user = self.find_user(pool, name)
        self.check_secret_hash(client, params.get("SECRET_HASH"), name, *([user.username] if user else []))
        device_key = params.get("DEVICE_KEY")
        if flow in ("USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"):
            return self._password_sign_in(ctx, pool, client, user, name, params.get("PASSWORD"), metadata, device_key)
        if flow == "USER_SRP_AUTH":
            return self._srp_start(ctx, pool, client, self._known(ctx, pool, client, user, metadata),
                                   params.get("SRP_A"), device_key)
        if flow == "USER_AUTH":
            return self._choice(ctx, pool, client, user, name, params, metadata)
        if flow == "CUSTOM_AUTH":
            user = self._known(ctx, pool, client, user, metadata)
            return self._custom_round(ctx, pool, client, user, [], metadata)
        raise errors.invalid_parameter(f"Unsupported auth flow: {flow}")  # AWS's text not documented

    def _password_sign_in(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User | None,
                          name: str, password: str | None, metadata: dict[str, str],
                          device_key: str | None = None) -> dict[str, Any]:
        if password is None:
            raise errors.invalid_parameter("Missing required parameter PASSWORD")
        if user is None:
            user = self._migrate(ctx, pool, client, name, password, "UserMigration_Authentication")
        user = self._known(ctx, pool, client, user, metadata)
        if user.password != password:
            self._failed(user)
            raise errors.not_authorized()
        return self._after_password(ctx, pool, client, user, metadata, device_key)

    def _srp_start(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                   a_hex: str | None, device_key: str | None = None) -> dict[str, Any]:
        if not srp.valid_a(a_hex or ""):
            raise errors.invalid_parameter("Missing required parameter SRP_A")
        state = srp.password_challenge(pool.pool_id.split("_", 1)[1], user.username, user.password or "")
        session = self._new_session(ctx, pool, client, user, "PASSWORD_VERIFIER",
                                    {"srp": state, "A": a_hex, "device_key": device_key}, key=state["secret_block"])
        return {"ChallengeName": "PASSWORD_VERIFIER", "Session": session, "ChallengeParameters": {
            "SALT": state["salt"], "SECRET_BLOCK": state["secret_block"], "SRP_B": state["B"],
            "USERNAME": user.username, "USER_ID_FOR_SRP": user.username}}

    # -- choice-based sign-in (USER_AUTH) ------------------------------------------------------------
    def _choice(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User | None, name: str,
                params: dict[str, str], metadata: dict[str, str]) -> dict[str, Any]:
        preferred = params.get("PREFERRED_CHALLENGE")
        if preferred == "PASSWORD" or (preferred is None and params.get("PASSWORD") is not None):
            return self._password_sign_in(ctx, pool, client, user, name, params.get("PASSWORD"), metadata)
        user = self._known(ctx, pool, client, user, metadata)
        factors = self.first_factors(pool, user)
        if preferred and preferred in factors:
            return self._chosen(ctx, pool, client, user, preferred, params, metadata)
        session = self._new_session(ctx, pool, client, user, "SELECT_CHALLENGE", {"factors": factors})
        return {"ChallengeName": "SELECT_CHALLENGE", "Session": session, "ChallengeParameters": {},
                "AvailableChallenges": factors}

    def _chosen(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User, factor: str,
                answers: dict[str, str], metadata: dict[str, str]) -> dict[str, Any]:
        if factor == "PASSWORD":
            return self._password_sign_in(ctx, pool, client, user, user.username, answers.get("PASSWORD"), metadata)
        if factor == "PASSWORD_SRP":
            return self._srp_start(ctx, pool, client, user, answers.get("SRP_A"))
        attribute = "email" if factor == "EMAIL_OTP" else "phone_number"
        code = new_code()
        details = self.deliver(ctx, pool, user, "Authentication", code, attribute=attribute,
                               client_id=client.client_id, metadata=metadata) or {}
        session = self._new_session(ctx, pool, client, user, factor, {"code": code})
        return {"ChallengeName": factor, "Session": session, "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": details.get("DeliveryMedium", ""),
            "CODE_DELIVERY_DESTINATION": details.get("Destination", "")}}

    @staticmethod
    def _check_flow(client: AppClient, flow: str) -> None:
        allowed = client.config.get("ExplicitAuthFlows") or list(DEFAULT_FLOWS)
        legacy = not any(f.startswith("ALLOW_") for f in allowed)
        if legacy and flow in ("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return  # before the ALLOW_ values, SRP and refresh were always on
        switches = FLOW_SWITCHES.get(flow)
        if switches is None or not set(switches) & set(allowed):
            if flow in _ADMIN_FLOWS:
                raise errors.invalid_parameter("Auth flow not enabled for this client")
            raise errors.invalid_parameter(f"{flow} flow not enabled for this client")

    def _known(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User | None,
               metadata: dict[str, str]) -> User:
        """The user signing in (pre authentication trigger run), or the error for an unknown one."""
        if user is None:
            if client.config.get("PreventUserExistenceErrors") == "ENABLED":
                raise errors.not_authorized()
            raise errors.user_not_found()
        self.run_trigger(ctx, pool, "PreAuthentication", "PreAuthentication_Authentication", user.username, {
            "userAttributes": self.event_attributes(user), "validationData": {}, "userNotFound": False,
        }, {}, client.client_id)
        return user

    def _failed(self, user: User) -> None:
        with self.store.lock:
            user.auth_events.append({"EventId": random_id(32), "EventType": "SignIn", "EventResponse": "Fail",
                                     "ChallengeResponses": [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]})

    def _new_session(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User, challenge: str,
                     data: dict[str, Any] | None = None, key: str | None = None) -> str:
        session_id = base64.b64encode(secrets.token_bytes(48)).decode() + random_id(40)
        minutes = client.config.get("AuthSessionValidity") or SESSION_MINUTES
        auth = AuthSession(client.client_id, user.username, challenge, ctx.clock.now() + 60.0 * minutes, data or {})
        with self.store.lock:
            # long-expired sessions are forgotten (recently expired ones still answer "expired")
            for stale in [k for k, s in pool.sessions.items() if s.expires + 3600 <= ctx.clock.now()]:
                del pool.sessions[stale]
            pool.sessions[session_id] = auth
            if key:
                pool.sessions[key] = auth
        return session_id

    def _after_password(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                        metadata: dict[str, str], device_key: str | None = None) -> dict[str, Any]:
        """What follows a proven password: status errors, a challenge, or tokens."""
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        if user.status == "UNCONFIRMED":
            raise errors.not_confirmed()
        if user.status == "RESET_REQUIRED":
            raise errors.reset_required()
        if user.status == "FORCE_CHANGE_PASSWORD":
            if user.temporary_password_expires and user.temporary_password_expires <= ctx.clock.now():
                raise errors.not_authorized("Temporary password has expired and must be reset by an administrator.")
            session = self._new_session(ctx, pool, client, user, "NEW_PASSWORD_REQUIRED", {"metadata": metadata})
            attributes = {k: v for k, v in user.attributes.items() if not k.endswith("_verified")}
            required = [f"userAttributes.{a['Name']}" for a in pool.schema
                        if a.get("Required") and a["Name"] != "sub" and not user.attributes.get(a["Name"])]
            return {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session, "ChallengeParameters": {
                "USER_ID_FOR_SRP": user.username, "requiredAttributes": dump(required),
                "userAttributes": dump(attributes)}}
        if device_key and (user.device_secrets.get(device_key) or {}).get("verifier"):
            session = self._new_session(ctx, pool, client, user, "DEVICE_SRP_AUTH", {"device_key": device_key},
                                        key=f"device:{device_key}")
            return {"ChallengeName": "DEVICE_SRP_AUTH", "Session": session, "ChallengeParameters": {}}
        return self._mfa_or_tokens(ctx, pool, client, user, "TokenGeneration_Authentication", metadata)

    def _mfa_or_tokens(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User, source: str,
                       metadata: dict[str, str]) -> dict[str, Any]:
        mode = pool.config.get("MfaConfiguration", "OFF")
        if mode != "OFF":
            enabled = [m for m in ("SOFTWARE_TOKEN_MFA", "SMS_MFA") if user.mfa.get(m)]
            if mode == "ON" and not enabled and user.totp_secret:
                enabled = ["SOFTWARE_TOKEN_MFA"]
            if mode == "ON" and not enabled and user.attributes.get("phone_number") \
                    and pool.config.get("SmsConfiguration"):
                enabled = ["SMS_MFA"]
            if enabled:
                if user.preferred_mfa in enabled:
                    enabled = [user.preferred_mfa]
                return self._mfa_challenge(ctx, pool, client, user, enabled, source, metadata)
            if mode == "ON":
                session = self._new_session(ctx, pool, client, user, "MFA_SETUP", {"source": source})
                return {"ChallengeName": "MFA_SETUP", "Session": session,
                        "ChallengeParameters": {"MFAS_CAN_SETUP": dump(["SOFTWARE_TOKEN_MFA"])}}
        return self._success(ctx, pool, client, user, source, metadata)

    def _mfa_challenge(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                       kinds: list[str], source: str, metadata: dict[str, str]) -> dict[str, Any]:
        if len(kinds) > 1:
            session = self._new_session(ctx, pool, client, user, "SELECT_MFA_TYPE", {"source": source})
            return {"ChallengeName": "SELECT_MFA_TYPE", "Session": session,
                    "ChallengeParameters": {"MFAS_CAN_CHOOSE": dump(kinds), "USER_ID_FOR_SRP": user.username}}
        if kinds[0] == "SMS_MFA":
            code = new_code()
            details = self.deliver(ctx, pool, user, "Authentication", code, attribute="phone_number",
                                   client_id=client.client_id, metadata=metadata)
            session = self._new_session(ctx, pool, client, user, "SMS_MFA", {"code": code, "source": source})
            return {"ChallengeName": "SMS_MFA", "Session": session, "ChallengeParameters": {
                "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS",
                "CODE_DELIVERY_DESTINATION": (details or {}).get("Destination", mask(user.attributes.get("phone_number", ""))),
                "USER_ID_FOR_SRP": user.username}}
        session = self._new_session(ctx, pool, client, user, "SOFTWARE_TOKEN_MFA", {"source": source})
        return {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session, "ChallengeParameters": {
            "FRIENDLY_DEVICE_NAME": user.totp_device_name or "TOTP device",
            "USER_ID_FOR_SRP": user.username}}

    def _success(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User, source: str,
                 metadata: dict[str, str], *, new_device: bool = True) -> dict[str, Any]:
        self.run_trigger(ctx, pool, "PostAuthentication", "PostAuthentication_Authentication", user.username, {
            "userAttributes": self.event_attributes(user), "newDeviceUsed": new_device, "clientMetadata": metadata,
        }, {}, client.client_id)
        result = self.issue(ctx, pool, client, user, source, metadata=metadata)
        if new_device and pool.config.get("DeviceConfiguration") is not None:
            # device tracking: a key for this device, confirmed with ConfirmDevice
            device_key = f"{pool.pool_id.split('_', 1)[0]}_{uuid.uuid4()}"
            group = f"-{random_id(9)}"
            with self.store.lock:
                user.device_secrets[device_key] = {"group": group}
            result["NewDeviceMetadata"] = {"DeviceKey": device_key, "DeviceGroupKey": group}
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def _refresh(self, ctx: RequestContext, pool: UserPool, client: AppClient, params: dict[str, str],
                 metadata: dict[str, str]) -> dict[str, Any]:
        token = params.get("REFRESH_TOKEN")
        if not token:
            raise errors.invalid_parameter("Missing required parameter REFRESH_TOKEN")
        found = self.refresh_token(ctx, pool, client, token)
        user = pool.users.get(self.user_key(pool, found.username))
        if user is not None:
            self.check_secret_hash(client, params.get("SECRET_HASH"), params.get("USERNAME") or user.username,
                                   user.username, user.sub)
        return {"ChallengeParameters": {}, "AuthenticationResult": self._refreshed(ctx, pool, client, token, metadata)}

    def get_tokens_from_refresh_token(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        if client.secret and p.get("ClientSecret") not in [s["ClientSecretValue"] for s in client.secrets] + [client.secret]:
            raise errors.not_authorized(f"Unable to verify secret hash for client {client.client_id}")
        return {"AuthenticationResult": self._refreshed(ctx, pool, client, p["RefreshToken"], p.get("ClientMetadata"))}

    def _refreshed(self, ctx: RequestContext, pool: UserPool, client: AppClient, token: str,
                   metadata: dict[str, str] | None) -> dict[str, Any]:
        """New ID and access tokens for a refresh token (and, with rotation, a new refresh token
        in place of the one used)."""
        found = self.refresh_token(ctx, pool, client, token)
        user = pool.users.get(self.user_key(pool, found.username))
        if user is None:
            raise errors.not_authorized("Invalid Refresh Token")
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        rotate = (client.config.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED"
        result = self.issue(ctx, pool, client, user, "TokenGeneration_RefreshTokens", auth_time=found.auth_time,
                            origin_jti=found.origin_jti, refresh=rotate, scopes=found.scopes, metadata=metadata)
        with self.store.lock:
            found.last_active = ctx.clock.now()
            if rotate:
                pool.refresh_tokens.pop(token, None)
        return result

    # -- challenges -------------------------------------------------------------------------------
    def _session(self, ctx: RequestContext, pool: UserPool, client: AppClient, key: str | None) -> AuthSession:
        auth = pool.sessions.get(key or "")
        if auth is None or auth.client_id != client.client_id:
            raise errors.invalid_session()
        if auth.expires <= ctx.clock.now():
            raise errors.expired_session()
        return auth

    def _end_session(self, pool: UserPool, auth: AuthSession) -> None:
        with self.store.lock:
            for key in [k for k, s in pool.sessions.items() if s is auth]:
                del pool.sessions[key]

    def _respond(self, ctx: RequestContext, pool: UserPool, client: AppClient) -> dict[str, Any]:
        p = ctx.params
        name = p["ChallengeName"]
        answers: dict[str, str] = p.get("ChallengeResponses") or {}
        metadata = p.get("ClientMetadata") or {}
        key = p.get("Session")
        # SDKs answer the (device) password verifier without the session: its secret block names it
        if name in ("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER") \
                and answers.get("PASSWORD_CLAIM_SECRET_BLOCK") in pool.sessions:
            key = answers["PASSWORD_CLAIM_SECRET_BLOCK"]
        if name == "DEVICE_SRP_AUTH" and not key:
            key = f"device:{answers.get('DEVICE_KEY', '')}"
        auth = self._session(ctx, pool, client, key)
        if auth.challenge != name:
            raise errors.invalid_parameter(f"Invalid challenge name: expected {auth.challenge}")  # AWS's text unknown
        user = pool.users.get(self.user_key(pool, auth.username))
        if user is None:
            raise errors.user_not_found()
        self.check_secret_hash(client, answers.get("SECRET_HASH"), answers.get("USERNAME") or user.username,
                               user.username)
        source = auth.data.get("source", "TokenGeneration_Authentication")
        if name == "PASSWORD_VERIFIER":
            pool_name = pool.pool_id.split("_", 1)[1]
            state = auth.data["srp"]
            proven = srp.claim_is_valid(
                pool_name + user.username, srp.password_verifier(pool_name, user.username, user.password or "",
                                                                 state["salt"]),
                state, auth.data["A"], answers.get("PASSWORD_CLAIM_SECRET_BLOCK", ""), answers.get("TIMESTAMP", ""),
                answers.get("PASSWORD_CLAIM_SIGNATURE", ""))
            self._end_session(pool, auth)
            if not proven:
                self._failed(user)
                raise errors.not_authorized()
            return self._after_password(ctx, pool, client, user, metadata,
                                        answers.get("DEVICE_KEY") or auth.data.get("device_key"))
        if name == "DEVICE_SRP_AUTH":
            secrets_ = user.device_secrets.get(auth.data["device_key"]) or {}
            if not srp.valid_a(answers.get("SRP_A", "")):
                raise errors.invalid_parameter("Missing required parameter SRP_A")
            state = srp.challenge(int(secrets_["verifier"], 16), secrets_["salt"])
            self._end_session(pool, auth)
            session = self._new_session(ctx, pool, client, user, "DEVICE_PASSWORD_VERIFIER", {
                "srp": state, "A": answers["SRP_A"], "device_key": auth.data["device_key"]}, key=state["secret_block"])
            return {"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": session, "ChallengeParameters": {
                "USERNAME": user.username, "DEVICE_KEY": auth.data["device_key"], "SRP_B": state["B"],
                "SALT": state["salt"], "SECRET_BLOCK": state["secret_block"]}}
        if name == "DEVICE_PASSWORD_VERIFIER":
            device_key = auth.data["device_key"]
            secrets_ = user.device_secrets.get(device_key) or {}
            proven = bool(secrets_.get("verifier")) and srp.claim_is_valid(
                secrets_["group"] + device_key, int(secrets_["verifier"], 16), auth.data["srp"], auth.data["A"],
                answers.get("PASSWORD_CLAIM_SECRET_BLOCK", ""), answers.get("TIMESTAMP", ""),
                answers.get("PASSWORD_CLAIM_SIGNATURE", ""))
            self._end_session(pool, auth)
            if not proven:
                raise errors.not_authorized("Incorrect username or password.")
            remembered = any(a["Name"] == "device_status" and a["Value"] == "remembered"
                             for a in (user.devices.get(device_key) or {}).get("DeviceAttributes", []))
            if remembered:  # a remembered device stands in for MFA
                return self._success(ctx, pool, client, user, source, metadata, new_device=False)
            return self._mfa_or_tokens(ctx, pool, client, user, source, metadata)
        if name == "NEW_PASSWORD_REQUIRED":
            new_password = answers.get("NEW_PASSWORD")
            if not new_password:
                raise errors.invalid_parameter("Missing required parameter NEW_PASSWORD")
            passwords.check(pool, new_password)
            given = [{"Name": k.removeprefix("userAttributes."), "Value": v} for k, v in answers.items()
                     if k.startswith("userAttributes.")]
            values = self.checked_attributes(pool, given, creating=False)
            missing = [a["Name"] for a in pool.schema if a.get("Required") and a["Name"] != "sub"
                       and not (values.get(a["Name"]) or user.attributes.get(a["Name"]))]
            if missing:
                raise errors.invalid_parameter(
                    f"Invalid attributes given, {missing[0]} is missing")  # AWS's text not documented exactly
            with self.store.lock:
                user.password = new_password
                user.status = "CONFIRMED"
                user.attributes.update(values)
                user.modified = ctx.clock.now()
            self._end_session(pool, auth)
            return self._mfa_or_tokens(ctx, pool, client, user, "TokenGeneration_NewPasswordChallenge", metadata)
        if name == "SMS_MFA":
            if answers.get("SMS_MFA_CODE") != auth.data.get("code"):
                raise AWSError("CodeMismatchException", "Invalid code received for user")
            self._end_session(pool, auth)
            return self._success(ctx, pool, client, user, source, metadata)
        if name == "SOFTWARE_TOKEN_MFA":
            if not self._totp_ok(ctx, user.totp_secret, answers.get("SOFTWARE_TOKEN_MFA_CODE", "")):
                raise AWSError("CodeMismatchException", "Invalid code received for user")
            self._end_session(pool, auth)
            return self._success(ctx, pool, client, user, source, metadata)
        if name == "SELECT_CHALLENGE":
            factor = answers.get("ANSWER", "")
            if factor not in auth.data.get("factors", []):
                raise errors.invalid_parameter(f"Invalid challenge answer: {factor}")  # AWS's text unknown
            self._end_session(pool, auth)
            return self._chosen(ctx, pool, client, user, factor, answers, metadata)
        if name in ("EMAIL_OTP", "SMS_OTP"):
            if answers.get(f"{name}_CODE") != auth.data.get("code"):
                raise AWSError("CodeMismatchException", "Invalid code received for user")
            self._end_session(pool, auth)
            return self._success(ctx, pool, client, user, source, metadata)
        if name == "SELECT_MFA_TYPE":
            kind = answers.get("ANSWER", "")
            if kind not in ("SMS_MFA", "SOFTWARE_TOKEN_MFA"):
                raise errors.invalid_parameter("Invalid MFA type selected.")  # AWS's text unknown
            self._end_session(pool, auth)
            return self._mfa_challenge(ctx, pool, client, user, [kind], source, metadata)
        if name == "MFA_SETUP":
            if not auth.data.get("verified"):
                raise errors.invalid_parameter("Software token MFA has not been set up.")  # AWS's text unknown
            self._end_session(pool, auth)
            return self._success(ctx, pool, client, user, source, metadata)
        if name == "CUSTOM_CHALLENGE":
            return self._custom_answer(ctx, pool, client, user, auth, answers.get("ANSWER", ""), metadata)
        raise errors.invalid_parameter(f"Unsupported challenge: {name}")  # AWS's text unknown

    # -- custom authentication (define/create/verify triggers) -------------------------------------
    def _custom_round(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                      history: list[dict[str, Any]], metadata: dict[str, str]) -> dict[str, Any]:
        if not self.trigger_arn(pool, "DefineAuthChallenge")[0]:
            raise errors.invalid_parameter("Custom auth lambda trigger is not configured for the user pool.")
        attributes = self.event_attributes(user)
        define = self.run_trigger(ctx, pool, "DefineAuthChallenge", "DefineAuthChallenge_Authentication",
                                  user.username, {"userAttributes": attributes, "session": history,
                                                  "clientMetadata": metadata, "userNotFound": False},
                                  {"challengeName": None, "issueTokens": None, "failAuthentication": None},
                                  client.client_id) or {}
        if define.get("failAuthentication"):
            raise errors.not_authorized()
        if define.get("issueTokens"):
            return self._success(ctx, pool, client, user, "TokenGeneration_Authentication", metadata)
        challenge = define.get("challengeName") or "CUSTOM_CHALLENGE"
        if challenge != "CUSTOM_CHALLENGE":
            raise errors.unexpected_lambda(f"Unsupported challenge from DefineAuthChallenge: {challenge}")
        create = self.run_trigger(ctx, pool, "CreateAuthChallenge", "CreateAuthChallenge_Authentication",
                                  user.username, {"userAttributes": attributes, "challengeName": challenge,
                                                  "session": history, "clientMetadata": metadata,
                                                  "userNotFound": False},
                                  {"publicChallengeParameters": None, "privateChallengeParameters": None,
                                   "challengeMetadata": None}, client.client_id) or {}
        session = self._new_session(ctx, pool, client, user, "CUSTOM_CHALLENGE", {
            "history": history, "private": create.get("privateChallengeParameters") or {},
            "metadata": create.get("challengeMetadata")})
        public = {k: str(v) for k, v in (create.get("publicChallengeParameters") or {}).items()}
        return {"ChallengeName": "CUSTOM_CHALLENGE", "Session": session,
                "ChallengeParameters": {**public, "USERNAME": user.username}}

    def _custom_answer(self, ctx: RequestContext, pool: UserPool, client: AppClient, user: User,
                       auth: AuthSession, answer: str, metadata: dict[str, str]) -> dict[str, Any]:
        verify = self.run_trigger(ctx, pool, "VerifyAuthChallengeResponse", "VerifyAuthChallengeResponse_Authentication",
                                  user.username, {"userAttributes": self.event_attributes(user),
                                                  "privateChallengeParameters": auth.data["private"],
                                                  "challengeAnswer": answer, "clientMetadata": metadata,
                                                  "userNotFound": False},
                                  {"answerCorrect": None}, client.client_id) or {}
        self._end_session(pool, auth)
        history = [*auth.data["history"], {"challengeName": "CUSTOM_CHALLENGE",
                                           "challengeResult": bool(verify.get("answerCorrect")),
                                           "challengeMetadata": auth.data.get("metadata")}]
        return self._custom_round(ctx, pool, client, user, history, metadata)

    # -- software tokens (TOTP) -----------------------------------------------------------------
    @staticmethod
    def _totp_ok(ctx: RequestContext, seed: str, given: str) -> bool:
        if not seed:
            return False
        step = int(ctx.clock.now() // totp.STEP)
        return any(totp.code(seed, counter) == given for counter in (step - 1, step, step + 1))

    def _token_or_session(self, ctx: RequestContext) -> tuple[UserPool, User, AuthSession | None]:
        if ctx.params.get("AccessToken"):
            pool, user, _claims = self.access_token(ctx)
            return pool, user, None
        key = ctx.params.get("Session") or ""
        for state in self.all_states():
            for pool in list(state.pools.values()):
                auth = pool.sessions.get(key)
                if auth is not None:
                    if auth.expires <= ctx.clock.now():
                        raise errors.expired_session()
                    user = pool.users.get(self.user_key(pool, auth.username))
                    if user is not None:
                        return pool, user, auth
        raise errors.invalid_session()

    def associate_software_token(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, auth = self._token_or_session(ctx)
        secret = base64.b32encode(secrets.token_bytes(20)).decode()  # 32 Base32 characters, as Cognito's
        with self.store.lock:
            user.totp_pending = secret
        out: dict[str, Any] = {"SecretCode": secret}
        if auth is not None:
            out["Session"] = ctx.params["Session"]
        return out

    def verify_software_token(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, auth = self._token_or_session(ctx)
        if not user.totp_pending:
            raise errors.invalid_parameter("User has not associated a software token.")  # AWS's text unknown
        if not self._totp_ok(ctx, user.totp_pending, ctx.params["UserCode"]):
            raise AWSError("EnableSoftwareTokenMFAException", "Code mismatch")
        with self.store.lock:
            user.totp_secret, user.totp_pending = user.totp_pending, ""
            user.totp_device_name = ctx.params.get("FriendlyDeviceName") or ""
            if pool.config.get("MfaConfiguration") == "ON":
                user.mfa["SOFTWARE_TOKEN_MFA"] = True
            if auth is not None:
                auth.data["verified"] = True
        out: dict[str, Any] = {"Status": "SUCCESS"}
        if auth is not None:
            out["Session"] = ctx.params["Session"]
        return out

    # -- sign-out and revocation ----------------------------------------------------------------
    def global_sign_out(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        self.sign_out(pool, user)
        return {}

    def admin_user_global_sign_out(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self.sign_out(pool, self.user(pool, ctx.params["Username"]))
        return {}

    def revoke_token(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        if client.secret and p.get("ClientSecret") not in [s["ClientSecretValue"] for s in client.secrets] + [client.secret]:
            raise errors.not_authorized("Client secret is invalid.")  # AWS's text not documented
        if client.config.get("EnableTokenRevocation") is False:
            raise AWSError("UnsupportedOperationException", "Token revocation is not enabled for this client.")
        if p["Token"].count(".") == 2:
            raise AWSError("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
        found = pool.refresh_tokens.get(p["Token"])
        if found is not None:
            if found.client_id != client.client_id:
                raise errors.not_authorized("Token was not issued to this client.")  # AWS's text unknown
            with self.store.lock:
                pool.revoked.add(found.origin_jti)
                pool.refresh_tokens.pop(p["Token"], None)
        return {}

