"""Users: sign-up and confirmation, admin creation, attributes and their verification,
passwords (forgot, change, set, reset), enable/disable, delete, ListUsers, MFA settings."""

from __future__ import annotations

import re
from typing import Any

from ...api import RequestContext
from . import errors, filters, passwords
from .base import new_sub
from .issuing import IssuingOps
from .state import AppClient, User, UserPool
from .triggers import new_code

DAY = 86400.0
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_PHONE = re.compile(r"^\+[0-9]{4,15}$")


class UserOps(IssuingOps):
    """User operations."""

    # -- shapes ---------------------------------------------------------------------------------
    @staticmethod
    def attribute_list(user: User, names: list[str] | None = None) -> list[dict[str, str]]:
        values = {"sub": user.sub, **user.attributes}
        return [{"Name": k, "Value": v} for k, v in values.items() if names is None or k in names]

    def user_type(self, user: User, names: list[str] | None = None) -> dict[str, Any]:
        return {"Username": user.username, "Attributes": self.attribute_list(user, names),
                "UserCreateDate": user.created, "UserLastModifiedDate": user.modified,
                "Enabled": user.enabled, "UserStatus": user.status}

    def mfa_settings(self, user: User) -> dict[str, Any]:
        enabled = [m for m in ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP") if user.mfa.get(m)]
        out: dict[str, Any] = {}
        if enabled:
            out["UserMFASettingList"] = enabled
        if user.preferred_mfa:
            out["PreferredMfaSetting"] = user.preferred_mfa
        return out

    def first_factors(self, pool: UserPool, user: User) -> list[str]:
        """The challenges a user may start with: the pool's AllowedFirstAuthFactors they can use."""
        allowed = ((pool.config.get("Policies") or {}).get("SignInPolicy") or {}).get("AllowedFirstAuthFactors") \
            or ["PASSWORD"]
        found = []
        if "PASSWORD" in allowed and user.password:
            found += ["PASSWORD", "PASSWORD_SRP"]
        if "EMAIL_OTP" in allowed and user.attributes.get("email"):
            found.append("EMAIL_OTP")
        if "SMS_OTP" in allowed and user.attributes.get("phone_number"):
            found.append("SMS_OTP")
        return found

    # -- attributes -----------------------------------------------------------------------------
    def checked_attributes(self, pool: UserPool, given: list[dict[str, Any]] | None, *, creating: bool,
                           client: AppClient | None = None, require: bool | None = None) -> dict[str, str]:
        """Attributes as given, checked against the pool's schema (and a client's write list);
        `require`: the schema's required attributes must be there (sign-up, not admin creation)."""
        schema = {a["Name"]: a for a in pool.schema}
        values: dict[str, str] = {}
        writable = client.config.get("WriteAttributes") if client is not None else None
        for attribute in given or []:
            name, value = attribute.get("Name", ""), attribute.get("Value", "")
            spec = schema.get(name)
            if spec is None or name == "sub":
                raise errors.invalid_parameter(
                    f"Attributes did not conform to the schema: {name}: Attribute does not exist in the schema.\n")
            if not creating and not spec.get("Mutable", True):
                raise errors.invalid_parameter(f"Attribute {name} cannot be updated. (changing an immutable attribute)")
            if writable is not None and name not in writable and not name.endswith("_verified"):
                raise errors.not_authorized("A client attempted to write unauthorized attribute")
            if name == "email" and value and not _EMAIL.match(value):
                raise errors.invalid_parameter("Invalid email address format.")
            if name == "phone_number" and value and not _PHONE.match(value):
                raise errors.invalid_parameter("Invalid phone number format.")
            values[name] = value
        if creating if require is None else require:
            for name, spec in schema.items():
                if spec.get("Required") and name != "sub" and not values.get(name):
                    raise errors.invalid_parameter(
                        f"Attributes did not conform to the schema: {name}: The attribute {name} is required\n")
        return values

    def _check_unique(self, pool: UserPool, username: str, attributes: dict[str, str], sign_up: bool) -> None:
        existing = pool.users.get(self.user_key(pool, username))
        if existing is not None:
            raise errors.user_exists("User already exists" if sign_up else "User account already exists")
        for attr in pool.config.get("UsernameAttributes") or []:
            value = attributes.get(attr)
            if value and self.find_user(pool, value) is not None:
                noun = "email" if attr == "email" else "phone_number"
                raise errors.user_exists(f"An account with the given {noun} already exists.")

    def _new_user(self, ctx: RequestContext, pool: UserPool, name: str, attributes: dict[str, str]) -> User:
        """A user named `name` (an email or phone in pools that sign in with those: the name is
        then a UUID and the email/phone an attribute)."""
        username, sub = name, new_sub()
        username_attrs = pool.config.get("UsernameAttributes") or []
        if username_attrs:
            if "email" in username_attrs and _EMAIL.match(name):
                attributes.setdefault("email", name)
            elif "phone_number" in username_attrs and _PHONE.match(name):
                attributes.setdefault("phone_number", name)
            else:
                noun = " or ".join("email" if a == "email" else "phone number" for a in username_attrs)
                raise errors.invalid_parameter(f"Username should be {'an' if noun[0] == 'e' else 'a'} {noun}.")
            username = sub
        elif _EMAIL.match(name) and "email" in (pool.config.get("AliasAttributes") or []):
            raise errors.invalid_parameter("Username cannot be of email format, since user pool is configured for email alias.")
        now = ctx.clock.now()
        return User(username, sub, attributes, now, now)

    def _store_code(self, user: User, purpose: str, ctx: RequestContext, lifetime: float) -> str:
        code = new_code()
        with self.store.lock:
            user.codes[purpose] = (code, ctx.clock.now() + lifetime)
        return code

    def _check_code(self, ctx: RequestContext, user: User, purpose: str, given: str) -> None:
        code, expires = user.codes.get(purpose, ("", 0.0))
        if not code:
            raise errors.expired_code()
        if given != code:
            raise errors.code_mismatch()
        if expires <= ctx.clock.now():
            raise errors.expired_code()

    # -- sign-up ----------------------------------------------------------------------------------
    def sign_up(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client = self.pool_of_client(ctx, p["ClientId"])
        self.check_secret_hash(client, p.get("SecretHash"), p["Username"])
        if (pool.config.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
            raise errors.not_authorized("SignUp is not permitted for this user pool")
        attributes = self.checked_attributes(pool, p.get("UserAttributes"), creating=True, client=client)
        user = self._new_user(ctx, pool, p["Username"], attributes)
        self._check_unique(pool, p["Username"], user.attributes, True)
        passwords.check(pool, p.get("Password") or "")
        user.password = p["Password"]
        answer = self.run_trigger(ctx, pool, "PreSignUp", "PreSignUp_SignUp", user.username, {
            "userAttributes": dict(user.attributes), "validationData": _pairs(p.get("ValidationData")),
            "clientMetadata": p.get("ClientMetadata") or {},
        }, {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}, client.client_id) or {}
        if answer.get("autoConfirmUser"):
            user.status = "CONFIRMED"
        if answer.get("autoVerifyEmail") and user.attributes.get("email"):
            user.attributes["email_verified"] = "true"
        if answer.get("autoVerifyPhone") and user.attributes.get("phone_number"):
            user.attributes["phone_number_verified"] = "true"
        with self.store.lock:
            self._check_unique(pool, p["Username"], user.attributes, True)
            pool.users[self.user_key(pool, user.username)] = user
        out: dict[str, Any] = {"UserConfirmed": user.status == "CONFIRMED", "UserSub": user.sub}
        if user.status != "CONFIRMED":
            code = self._store_code(user, "signup", ctx, DAY)
            details = self.deliver(ctx, pool, user, "SignUp", code, client_id=client.client_id,
                                   metadata=p.get("ClientMetadata"))
            if details:
                out["CodeDeliveryDetails"] = details
        else:
            self._post_confirmation(ctx, pool, user, "PostConfirmation_ConfirmSignUp", client.client_id, p)
        return out

    def _post_confirmation(self, ctx: RequestContext, pool: UserPool, user: User, source: str,
                           client_id: str | None, p: dict[str, Any]) -> None:
        self.run_trigger(ctx, pool, "PostConfirmation", source, user.username, {
            "userAttributes": self.event_attributes(user), "clientMetadata": p.get("ClientMetadata") or {},
        }, {}, client_id)

    def confirm_sign_up(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client, user = self.client_user(ctx, p)
        if user is None:
            raise errors.username_client_not_found()
        if user.status != "UNCONFIRMED":
            raise errors.not_authorized(f"User cannot be confirmed. Current status is {user.status}")
        self._check_code(ctx, user, "signup", p["ConfirmationCode"])
        self._confirm(ctx, pool, user)
        self._post_confirmation(ctx, pool, user, "PostConfirmation_ConfirmSignUp", client.client_id, p)
        return {}

    def _confirm(self, ctx: RequestContext, pool: UserPool, user: User) -> None:
        with self.store.lock:
            user.status = "CONFIRMED"
            user.codes.pop("signup", None)
            sent = [m for m in self.pool_state(pool).messages if m["Username"] == user.username
                    and m["UserPoolId"] == pool.pool_id and m["Reason"] in ("SignUp", "ResendCode")]
            if sent:  # the code proved the address it went to
                user.attributes[f"{sent[-1]['AttributeName']}_verified"] = "true"
            user.modified = ctx.clock.now()

    def admin_confirm_sign_up(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        if user.status != "UNCONFIRMED":
            raise errors.not_authorized(f"User cannot be confirmed. Current status is {user.status}")
        with self.store.lock:
            user.status = "CONFIRMED"
            user.modified = ctx.clock.now()
        self._post_confirmation(ctx, pool, user, "PostConfirmation_ConfirmSignUp", None, ctx.params)
        return {}

    def resend_confirmation_code(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client, user = self.client_user(ctx, p)
        if user is None:
            raise errors.user_not_found()
        if user.status != "UNCONFIRMED":
            raise errors.invalid_parameter("User is already confirmed.")
        code = self._store_code(user, "signup", ctx, DAY)
        details = self.deliver(ctx, pool, user, "ResendCode", code, client_id=client.client_id)
        if details is None:
            raise errors.invalid_parameter("Auto verification not turned on.")
        return {"CodeDeliveryDetails": details}

    # -- admin creation ---------------------------------------------------------------------------
    def admin_create_user(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool = self.pool(ctx)
        action = p.get("MessageAction")
        if action == "RESEND":
            user = self.user(pool, p["Username"])
            if user.status != "FORCE_CHANGE_PASSWORD":
                raise errors.unsupported_user_state()
            self._invite(ctx, pool, user, p)
            return {"User": self.user_type(user)}
        attributes = self.checked_attributes(pool, p.get("UserAttributes"), creating=True, require=False)
        user = self._new_user(ctx, pool, p["Username"], attributes)
        self._check_unique(pool, p["Username"], user.attributes, False)
        temporary = p.get("TemporaryPassword")
        if temporary:
            passwords.check(pool, temporary)
        user.password = temporary or passwords.temporary(pool)
        user.status = "FORCE_CHANGE_PASSWORD"
        days = int(passwords.policy(pool).get("TemporaryPasswordValidityDays", 7))
        user.temporary_password_expires = ctx.clock.now() + days * DAY
        self.run_trigger(ctx, pool, "PreSignUp", "PreSignUp_AdminCreateUser", user.username, {
            "userAttributes": dict(user.attributes), "validationData": _pairs(p.get("ValidationData")),
            "clientMetadata": p.get("ClientMetadata") or {},
        }, {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False})
        with self.store.lock:
            self._check_unique(pool, p["Username"], user.attributes, False)
            pool.users[self.user_key(pool, user.username)] = user
        if action != "SUPPRESS":
            self._invite(ctx, pool, user, p)
        return {"User": self.user_type(user)}

    def _invite(self, ctx: RequestContext, pool: UserPool, user: User, p: dict[str, Any]) -> None:
        mediums = p.get("DesiredDeliveryMediums") or ["SMS"]
        attribute = "email" if "EMAIL" in mediums and user.attributes.get("email") else (
            "phone_number" if user.attributes.get("phone_number") and "SMS" in mediums else None)
        if attribute is None and user.attributes.get("email"):
            attribute = "email"
        if attribute:
            self.deliver(ctx, pool, user, "AdminCreateUser", user.password or "", attribute=attribute,
                         metadata=p.get("ClientMetadata"))

    # -- reading users ----------------------------------------------------------------------------
    def admin_get_user(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        return {"Username": user.username, "UserAttributes": self.attribute_list(user),
                "UserCreateDate": user.created, "UserLastModifiedDate": user.modified,
                "Enabled": user.enabled, "UserStatus": user.status, **self.mfa_settings(user)}

    def get_user(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        return {"Username": user.username, "UserAttributes": self.attribute_list(user), **self.mfa_settings(user)}

    def list_users(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        p = ctx.params
        matches = filters.parse(p.get("Filter") or "")
        users = sorted((u for u in list(pool.users.values()) if matches(u)), key=lambda u: (u.created, u.username))
        page, more = self.page(ctx, users, "PaginationToken", "Limit", f"users:{pool.pool_id}")
        names = p.get("AttributesToGet")
        return {"Users": [self.user_type(u, names) for u in page], **more}

    # -- enable, disable, delete --------------------------------------------------------------------
    def admin_enable_user(self, ctx: RequestContext) -> dict[str, Any]:
        user = self.user(self.pool(ctx), ctx.params["Username"])
        with self.store.lock:
            user.enabled = True
        return {}

    def admin_disable_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        with self.store.lock:
            user.enabled = False
        self.sign_out(pool, user)
        return {}

    def admin_delete_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._delete(pool, self.user(pool, ctx.params["Username"]))
        return {}

    def delete_user(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        self._delete(pool, user)
        return {}

    def _delete(self, pool: UserPool, user: User) -> None:
        self.sign_out(pool, user)
        with self.store.lock:
            pool.users.pop(self.user_key(pool, user.username), None)

    # -- attributes -------------------------------------------------------------------------------
    def admin_update_user_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        self._update_attributes(ctx, pool, user, ctx.params["UserAttributes"], None, admin=True)
        return {}

    def update_user_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, claims = self.access_token(ctx)
        client = pool.clients.get(claims.get("client_id", ""))
        sent = self._update_attributes(ctx, pool, user, ctx.params["UserAttributes"], client, admin=False)
        return {"CodeDeliveryDetailsList": sent}

    def _update_attributes(self, ctx: RequestContext, pool: UserPool, user: User, given: list[dict[str, Any]],
                           client: AppClient | None, *, admin: bool) -> list[dict[str, str]]:
        values = self.checked_attributes(pool, given, creating=False, client=client)
        for attr in pool.config.get("UsernameAttributes") or []:
            other = self.find_user(pool, values[attr]) if values.get(attr) else None
            if other is not None and other is not user:
                raise errors.alias_exists()
        verified = set(pool.config.get("AutoVerifiedAttributes") or [])
        sent = []
        with self.store.lock:
            for name, value in values.items():
                changed = user.attributes.get(name) != value
                user.attributes[name] = value
                if changed and name in ("email", "phone_number") and f"{name}_verified" not in values:
                    user.attributes[f"{name}_verified"] = "false"
            user.modified = ctx.clock.now()
        for name in ("email", "phone_number"):
            if name in values and name in verified and user.attributes.get(f"{name}_verified") != "true" \
                    and not admin:
                code = self._store_code(user, f"attr:{name}", ctx, DAY)
                details = self.deliver(ctx, pool, user, "UpdateUserAttribute", code, attribute=name)
                if details:
                    sent.append(details)
        return sent

    def admin_delete_user_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._delete_attributes(pool, self.user(pool, ctx.params["Username"]), ctx.params["UserAttributeNames"])
        return {}

    def delete_user_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        self._delete_attributes(pool, user, ctx.params["UserAttributeNames"])
        return {}

    def _delete_attributes(self, pool: UserPool, user: User, names: list[str]) -> None:
        schema = {a["Name"]: a for a in pool.schema}
        for name in names:
            if name not in schema:
                raise errors.invalid_parameter(f"Invalid user attributes: {name}: Attribute does not exist in the schema.")
            if schema[name].get("Required"):
                raise errors.invalid_parameter(f"Cannot delete required attribute: {name}")  # AWS's text unknown
        with self.store.lock:
            for name in names:
                user.attributes.pop(name, None)

    def get_user_attribute_verification_code(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        name = ctx.params["AttributeName"]
        if name not in ("email", "phone_number") or not user.attributes.get(name):
            raise errors.invalid_parameter(f"Invalid attribute name: {name}")  # AWS's text unknown
        code = self._store_code(user, f"attr:{name}", ctx, DAY)
        return {"CodeDeliveryDetails": self.deliver(ctx, pool, user, "VerifyUserAttribute", code, attribute=name)}

    def verify_user_attribute(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        name = ctx.params["AttributeName"]
        self._check_code(ctx, user, f"attr:{name}", ctx.params["Code"])
        with self.store.lock:
            user.attributes[f"{name}_verified"] = "true"
            user.codes.pop(f"attr:{name}", None)
        return {}

    # -- passwords ----------------------------------------------------------------------------------
    def forgot_password(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client, user = self.client_user(ctx, p)
        if user is None:
            user = self._migrate(ctx, pool, client, p["Username"], None, "UserMigration_ForgotPassword")
        if user is None:
            raise errors.user_not_found()
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        code = self._store_code(user, "forgot", ctx, 3600.0)
        details = self.deliver(ctx, pool, user, "ForgotPassword", code, client_id=client.client_id,
                               metadata=p.get("ClientMetadata"))
        if details is None:
            raise errors.invalid_parameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number")
        return {"CodeDeliveryDetails": details}

    def confirm_forgot_password(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        pool, client, user = self.client_user(ctx, p)
        if user is None:
            raise errors.user_not_found()
        self._check_code(ctx, user, "forgot", p["ConfirmationCode"])
        passwords.check(pool, p["Password"])
        with self.store.lock:
            user.password = p["Password"]
            user.codes.pop("forgot", None)
            if user.status in ("RESET_REQUIRED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD"):
                user.status = "CONFIRMED"
            user.modified = ctx.clock.now()
        self._post_confirmation(ctx, pool, user, "PostConfirmation_ConfirmForgotPassword", client.client_id, p)
        return {}

    def change_password(self, ctx: RequestContext) -> dict[str, Any]:
        pool, user, _claims = self.access_token(ctx)
        if ctx.params.get("PreviousPassword") != user.password:
            raise errors.not_authorized()
        passwords.check(pool, ctx.params["ProposedPassword"])
        with self.store.lock:
            user.password = ctx.params["ProposedPassword"]
            user.modified = ctx.clock.now()
        return {}

    def admin_set_user_password(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        passwords.check(pool, ctx.params["Password"])
        with self.store.lock:
            user.password = ctx.params["Password"]
            if ctx.params.get("Permanent"):
                user.status = "CONFIRMED"
            else:
                user.status = "FORCE_CHANGE_PASSWORD"
                days = int(passwords.policy(pool).get("TemporaryPasswordValidityDays", 7))
                user.temporary_password_expires = ctx.clock.now() + days * DAY
            user.modified = ctx.clock.now()
        return {}

    def admin_reset_user_password(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        user = self.user(pool, ctx.params["Username"])
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        with self.store.lock:
            user.status = "RESET_REQUIRED"
        code = self._store_code(user, "forgot", ctx, 3600.0)
        self.deliver(ctx, pool, user, "ForgotPassword", code, metadata=ctx.params.get("ClientMetadata"))
        return {}

    # -- MFA preferences and (legacy) settings -------------------------------------------------------
    def admin_set_user_mfa_preference(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._mfa_preference(self.user(pool, ctx.params["Username"]), ctx.params)
        return {}

    def set_user_mfa_preference(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        self._mfa_preference(user, ctx.params)
        return {}

    def _mfa_preference(self, user: User, p: dict[str, Any]) -> None:
        choices = (("SMSMfaSettings", "SMS_MFA"), ("SoftwareTokenMfaSettings", "SOFTWARE_TOKEN_MFA"),
                   ("EmailMfaSettings", "EMAIL_OTP"))
        for key, kind in choices:
            settings = p.get(key)
            if settings and settings.get("Enabled") and kind == "SOFTWARE_TOKEN_MFA" and not user.totp_secret:
                raise errors.invalid_parameter("User has not verified software token mfa")
            if settings and settings.get("Enabled") and kind == "SMS_MFA" and not user.attributes.get("phone_number"):
                raise errors.invalid_parameter("User does not have a phone number.")  # AWS's text unknown
        with self.store.lock:
            for key, kind in choices:
                settings = p.get(key)
                if settings is None:
                    continue
                user.mfa[kind] = bool(settings.get("Enabled"))
                if settings.get("PreferredMfa") and settings.get("Enabled"):
                    user.preferred_mfa = kind
                elif user.preferred_mfa == kind and not settings.get("Enabled"):
                    user.preferred_mfa = ""

    def admin_set_user_settings(self, ctx: RequestContext) -> dict[str, Any]:
        pool = self.pool(ctx)
        self._legacy_settings(self.user(pool, ctx.params["Username"]), ctx.params["MFAOptions"])
        return {}

    def set_user_settings(self, ctx: RequestContext) -> dict[str, Any]:
        _pool, user, _claims = self.access_token(ctx)
        self._legacy_settings(user, ctx.params["MFAOptions"])
        return {}

    def _legacy_settings(self, user: User, options: list[dict[str, Any]]) -> None:
        with self.store.lock:
            user.mfa["SMS_MFA"] = any(o.get("DeliveryMedium") == "SMS" for o in options)

    # -- user migration ----------------------------------------------------------------------------
    def _migrate(self, ctx: RequestContext, pool: UserPool, client: AppClient, name: str, password: str | None,
                 source: str) -> User | None:
        """Run the user migration trigger for an unknown user: the user it returns, created."""
        if not self.trigger_arn(pool, "UserMigration")[0]:
            return None
        request: dict[str, Any] = {"validationData": {}, "clientMetadata": {}}
        if password is not None:
            request["password"] = password
        answer = self.run_trigger(ctx, pool, "UserMigration", source, name, request, {
            "userAttributes": None, "finalUserStatus": None, "messageAction": None,
            "desiredDeliveryMediums": None, "forceAliasCreation": None, "enableSMSMFA": None,
        }, client.client_id)
        if not answer or not answer.get("userAttributes"):
            return None
        attributes = {k: str(v) for k, v in answer["userAttributes"].items() if k != "username"}
        user = self._new_user(ctx, pool, name, attributes)
        user.password = password
        user.status = answer.get("finalUserStatus") or ("CONFIRMED" if password is not None else "RESET_REQUIRED")
        with self.store.lock:
            pool.users[self.user_key(pool, user.username)] = user
        return user


def _pairs(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {i.get("Name", ""): i.get("Value", "") for i in items or []}

