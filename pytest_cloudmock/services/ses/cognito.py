"""Cognito user pools' mail and SMS through SES and SNS, as AWS sends them for a pool that asks.

A pool with `EmailConfiguration.EmailSendingAccount=DEVELOPER` and a `SourceArn` sends its
verification and invitation mail through SES (the identity's account and region, the
sandbox's rules, the pool's `ConfigurationSet`), so it shows in `cloudmock.ses.messages()`;
a pool with `SmsConfiguration.SnsCallerArn` sends its SMS as an SNS `Publish` to the phone
number. Cognito keeps its own capture either way (cognito_idp/triggers.py calls `relay`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...api import AWSError, RequestContext
from .sending import OutgoingMessage, send


def _delivery_failed(message: str) -> AWSError:
    # Cognito's exact wording when SES or SNS refuses is not documented: the refusal's text is kept.
    return AWSError("CodeDeliveryFailureException", message, 400)


def relay(ctx: RequestContext, pool_config: dict[str, Any], medium: str, destination: str, subject: str,
          message: str) -> None:
    """Send a pool's message through SES (EMAIL) or SNS (SMS) when the pool is set up to; raises
    Cognito's CodeDeliveryFailureException when they refuse it."""
    if ctx.registry is None:
        return
    if medium == "EMAIL":
        email = pool_config.get("EmailConfiguration") or {}
        source_arn = email.get("SourceArn")
        if email.get("EmailSendingAccount") != "DEVELOPER" or not source_arn or ctx.registry.get("ses") is None:
            return
        parts = source_arn.split(":", 5)
        if len(parts) < 6 or not parts[5].startswith("identity/"):
            raise _delivery_failed(f"Invalid SourceArn {source_arn}")  # AWS's text unknown
        region, account, identity = parts[3], parts[4], parts[5].removeprefix("identity/")
        source = email.get("From") or (identity if "@" in identity else f"no-reply@{identity}")
        ses_ctx = dataclasses.replace(ctx, service="ses", operation="SendEmail", region=region, account_id=account)
        reply_to = [email["ReplyToEmailAddress"]] if email.get("ReplyToEmailAddress") else []
        try:
            send(ctx.registry.get("ses"), ses_ctx, OutgoingMessage(  # type: ignore[arg-type]
                api="ses", operation="SendEmail", source=source, to=[destination], reply_to=reply_to,
                subject=subject, html=message, configuration_set=email.get("ConfigurationSet")))
        except AWSError as exc:
            raise _delivery_failed(exc.message) from None
    elif medium == "SMS":
        if not (pool_config.get("SmsConfiguration") or {}).get("SnsCallerArn") or ctx.registry.get("sns") is None:
            return
        try:
            ctx.registry.call("sns", "Publish", {"PhoneNumber": destination, "Message": message},
                              account_id=ctx.account_id, region=ctx.region, caller=ctx)
        except AWSError as exc:
            raise _delivery_failed(exc.message) from None
