"""Lambda triggers (through our Lambda: `registry.call("lambda", "Invoke", ...)`) and the
mail/SMS a pool would send, captured for tests (`CognitoService.messages()`)."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any
from urllib.parse import urlencode

from ...api import AWSError, RequestContext
from ..ses.cognito import relay
from . import errors
from .base import CognitoBase, random_id
from .state import User, UserPool

_SEQUENCE = itertools.count(1)
DEFAULT_VERIFICATION = "Your verification code is {####}. "
DEFAULT_VERIFICATION_SUBJECT = "Your verification code"
DEFAULT_INVITATION = "Your username is {username} and temporary password is {####}. "
DEFAULT_INVITATION_SUBJECT = "Your temporary password"
DEFAULT_AUTHENTICATION = "Your authentication code is {####}. "
DEFAULT_LINK_MESSAGE = "Please click the link below to verify your email address. {##Verify Email##} "
DEFAULT_LINK_SUBJECT = "Your verification link"
_LINK = re.compile(r"\{##(.*?)##\}")


def new_code() -> str:
    return random_id(6, "0123456789")


def mask(destination: str) -> str:
    """A destination as CodeDeliveryDetails shows it (`a***@e***`, `+*******1234`)."""
    if "@" in destination:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(destination) - 5, 0) + destination[-4:]


class TriggerOps(CognitoBase):
    """Running a pool's Lambda triggers and sending (capturing) its codes."""

    def trigger_arn(self, pool: UserPool, trigger: str) -> tuple[str, str]:
        """(function ARN, event version) of a pool's trigger, or ("", "")."""
        config = pool.config.get("LambdaConfig") or {}
        if trigger == "PreTokenGeneration":
            versioned = config.get("PreTokenGenerationConfig") or {}
            if versioned.get("LambdaArn"):
                return versioned["LambdaArn"], "2" if versioned.get("LambdaVersion") == "V2_0" else "1"
        if trigger in ("CustomSMSSender", "CustomEmailSender"):
            return (config.get(trigger) or {}).get("LambdaArn", ""), "1"
        return config.get(trigger) or "", "1"

    def run_trigger(self, ctx: RequestContext, pool: UserPool, trigger: str, source: str, username: str,
                    request: dict[str, Any], response: dict[str, Any] | None = None,
                    client_id: str | None = None) -> dict[str, Any] | None:
        """Invoke the pool's `trigger` function with AWS's event; its `response`, or None when the
        pool has no such trigger. A function error is UserLambdaValidationException."""
        arn, version = self.trigger_arn(pool, trigger)
        if not arn or ctx.registry is None:
            return None
        event = {
            "version": version, "triggerSource": source, "region": pool.pool_id.split("_")[0],
            "userPoolId": pool.pool_id, "userName": username,
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE"},
            "request": request, "response": response if response is not None else {},
        }
        try:
            result = ctx.registry.call("lambda", "Invoke", {
                "FunctionName": arn, "InvocationType": "RequestResponse", "Payload": json.dumps(event).encode(),
            }, account_id=pool.arn.split(":")[4], region=pool.arn.split(":")[3], caller=ctx)
        except AWSError as exc:
            # AWS's text when it cannot invoke the function is not documented word for word
            raise errors.unexpected_lambda(f"{trigger} invocation failed due to error {exc.code}.") from None
        payload = result.get("Payload") or b"{}"
        if hasattr(payload, "read"):
            payload = payload.read()
        try:
            answer = json.loads(payload or b"null")
        except ValueError:
            raise errors.unexpected_lambda(f"{trigger} invocation failed due to error ParseError.") from None
        if result.get("FunctionError"):
            message = answer.get("errorMessage", "") if isinstance(answer, dict) else str(answer)
            raise errors.lambda_failed(trigger, message)
        if not isinstance(answer, dict):
            raise errors.unexpected_lambda("Invalid lambda function output : Invalid JSON")
        return answer.get("response") or {}

    # -- codes and messages ---------------------------------------------------------------------
    def deliver(self, ctx: RequestContext, pool: UserPool, user: User, reason: str, code: str, *,
                attribute: str | None = None, client_id: str | None = None,
                metadata: dict[str, str] | None = None) -> dict[str, str] | None:
        """Send (capture) a code: `reason` is SignUp, ResendCode, ForgotPassword, AdminCreateUser,
        UpdateUserAttribute, VerifyUserAttribute or Authentication. Returns CodeDeliveryDetails,
        or None when the user has nowhere to receive it."""
        attribute = attribute or self.delivery_attribute(pool, user, reason)
        destination = user.attributes.get(attribute or "")
        if not attribute or not destination:
            return None
        medium = "EMAIL" if attribute == "email" else "SMS"
        subject, message = self.templates(pool, reason, medium)
        link = self.verification_link(ctx, pool, user, reason, medium, code, client_id)
        if link:  # DefaultEmailOption CONFIRM_WITH_LINK: the mail carries a link, not the code
            template = pool.config.get("VerificationMessageTemplate") or {}
            subject = template.get("EmailSubjectByLink") or DEFAULT_LINK_SUBJECT
            message = template.get("EmailMessageByLink") or DEFAULT_LINK_MESSAGE
        custom = self.run_trigger(ctx, pool, "CustomMessage", f"CustomMessage_{reason}", user.username, {
            "userAttributes": self.event_attributes(user), "codeParameter": "{####}",
            "usernameParameter": "{username}" if reason == "AdminCreateUser" else None,
            "linkParameter": "{##Click Here##}", "clientMetadata": metadata or {},
        }, {"smsMessage": None, "emailMessage": None, "emailSubject": None}, client_id)
        if custom:
            message = custom.get("emailMessage" if medium == "EMAIL" else "smsMessage") or message
            subject = custom.get("emailSubject") or subject
        text = message.replace("{####}", code).replace("{username}", user.username)
        if link:
            text = _LINK.sub(lambda m: f'<a href="{link}">{m[1]}</a>', text)
        relay(ctx, pool.config, medium, destination, subject, text)  # through SES / SNS when the pool says so
        with self.store.lock:
            self.pool_state(pool).messages.append({
                "Sequence": next(_SEQUENCE), "UserPoolId": pool.pool_id, "Username": user.username,
                "Destination": destination, "DeliveryMedium": medium, "AttributeName": attribute,
                "Reason": reason, "Code": code, "Subject": subject if medium == "EMAIL" else "",
                "Message": text, "Link": link, "Time": ctx.clock.now(),
            })
        return {"Destination": mask(destination), "DeliveryMedium": medium, "AttributeName": attribute}

    def verification_link(self, ctx: RequestContext, pool: UserPool, user: User, reason: str, medium: str,
                          code: str, client_id: str | None) -> str:
        """The confirmation link of a sign-up mail when the pool confirms by link (it needs a domain):
        the domain's `/confirmUser` on the gateway (public.py answers it)."""
        option = (pool.config.get("VerificationMessageTemplate") or {}).get("DefaultEmailOption")
        if option != "CONFIRM_WITH_LINK" or medium != "EMAIL" or reason not in ("SignUp", "ResendCode") \
                or not pool.domain or not client_id:
            return ""
        root = self.issuer(ctx, pool).rsplit("/", 1)[0]
        query = urlencode({"client_id": client_id, "user_name": user.username, "confirmation_code": code})
        return f"{root}/_aws/cognito-idp/{pool.domain}/confirmUser?{query}"

    @staticmethod
    def delivery_attribute(pool: UserPool, user: User, reason: str) -> str | None:
        if reason in ("SignUp", "ResendCode"):
            verified = pool.config.get("AutoVerifiedAttributes") or []
            for attr in ("email", "phone_number"):
                if attr in verified and user.attributes.get(attr):
                    return attr
            return None
        if reason == "ForgotPassword":
            recovery = (pool.config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or [
                {"Name": "verified_email", "Priority": 1}, {"Name": "verified_phone_number", "Priority": 2}]
            for mechanism in sorted(recovery, key=lambda m: m.get("Priority", 0)):
                attr = {"verified_email": "email", "verified_phone_number": "phone_number"}.get(mechanism.get("Name", ""))
                if attr and user.attributes.get(attr) and user.attributes.get(f"{attr}_verified") == "true":
                    return attr
            return None
        if reason == "Authentication":
            return "phone_number"
        for attr in ("email", "phone_number"):  # AdminCreateUser: where the invitation goes
            if user.attributes.get(attr):
                return attr
        return None

    @staticmethod
    def templates(pool: UserPool, reason: str, medium: str) -> tuple[str, str]:
        """(subject, message) with `{####}` and `{username}` placeholders."""
        config = pool.config
        if reason == "AdminCreateUser":
            invite = (config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
            if medium == "EMAIL":
                return invite.get("EmailSubject") or DEFAULT_INVITATION_SUBJECT, invite.get("EmailMessage") or DEFAULT_INVITATION
            return "", invite.get("SMSMessage") or DEFAULT_INVITATION
        if reason == "Authentication":
            return "", config.get("SmsAuthenticationMessage") or DEFAULT_AUTHENTICATION
        template = config.get("VerificationMessageTemplate") or {}
        if medium == "EMAIL":
            subject = template.get("EmailSubject") or config.get("EmailVerificationSubject") or DEFAULT_VERIFICATION_SUBJECT
            return subject, template.get("EmailMessage") or config.get("EmailVerificationMessage") or DEFAULT_VERIFICATION
        return "", template.get("SmsMessage") or config.get("SmsVerificationMessage") or DEFAULT_VERIFICATION

    @staticmethod
    def event_attributes(user: User) -> dict[str, str]:
        """A user's attributes as trigger events carry them (with `sub` and the status)."""
        return {"sub": user.sub, **user.attributes, "cognito:user_status": user.status}
