"""SES v1 sending: SendEmail, SendRawEmail, SendTemplatedEmail, SendBulkTemplatedEmail,
SendBounce, and the account's quota, statistics and sending switch."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from ...api import AWSError, RequestContext
from . import mime
from .base import SesBase
from .errors import invalid_parameter, message_rejected, template_not_found
from .rendering import parse_data
from .sending import OutgoingMessage, send, sent_last_24h


def _tags(tags: list[dict[str, str]] | None) -> dict[str, str]:
    return {t["Name"]: t["Value"] for t in tags or []}


def _arns(params: dict[str, Any]) -> dict[str, str | None]:
    """The sending-authorization identity ARNs a v1 send names."""
    return {"source_arn": params.get("SourceArn"), "from_arn": params.get("FromArn"),
            "return_path_arn": params.get("ReturnPathArn")}


def _destination(params: dict[str, Any]) -> dict[str, list[str]]:
    dest = params.get("Destination") or {}
    return {"to": dest.get("ToAddresses", []), "cc": dest.get("CcAddresses", []), "bcc": dest.get("BccAddresses", [])}


class SendingOperations(SesBase):
    def send_email(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        message = p["Message"]
        body = message.get("Body") or {}
        out = OutgoingMessage(
            api="ses", operation="SendEmail", source=p["Source"], **_destination(p),
            reply_to=p.get("ReplyToAddresses", []), return_path=p.get("ReturnPath"),
            subject=(message.get("Subject") or {}).get("Data", ""),
            text=(body.get("Text") or {}).get("Data"), html=(body.get("Html") or {}).get("Data"),
            tags=_tags(p.get("Tags")), configuration_set=p.get("ConfigurationSetName"), **_arns(p))
        return {"MessageId": send(self, ctx, out)}

    def send_raw_email(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        data = (p.get("RawMessage") or {}).get("Data") or b""
        out = OutgoingMessage(
            api="ses", operation="SendRawEmail", source=p.get("Source"), to=p.get("Destinations", []), raw=data,
            tags=_tags(p.get("Tags")), configuration_set=p.get("ConfigurationSetName"), **_arns(p))
        return {"MessageId": send(self, ctx, out)}

    def send_templated_email(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self._check_template_data(p.get("TemplateData"))
        out = OutgoingMessage(
            api="ses", operation="SendTemplatedEmail", source=p["Source"], **_destination(p),
            reply_to=p.get("ReplyToAddresses", []), return_path=p.get("ReturnPath"),
            template=p["Template"], template_data=p.get("TemplateData"),
            tags=_tags(p.get("Tags")), configuration_set=p.get("ConfigurationSetName"), **_arns(p))
        return {"MessageId": send(self, ctx, out)}

    @staticmethod
    def _check_template_data(data: str | None) -> None:
        try:
            parse_data(data)
        except ValueError:
            raise invalid_parameter("Template data is not valid JSON.") from None  # AWS's text unknown

    def send_bulk_templated_email(self, ctx: RequestContext) -> dict[str, Any]:
        """One message per destination; each destination's outcome in `Status` (a refusal of one
        does not stop the others; a missing template refuses the whole call, as AWS does)."""
        p = ctx.params
        default_data = p.get("DefaultTemplateData")
        self._check_template_data(default_data)
        with self.store.lock:
            if p["Template"] not in self.state(ctx).templates:
                raise template_not_found(p["Template"])
        status = []
        for dest in p["Destinations"]:
            data = dest.get("ReplacementTemplateData") or default_data
            if dest.get("ReplacementTemplateData"):
                try:
                    data = json.dumps({**parse_data(default_data), **parse_data(dest["ReplacementTemplateData"])})
                except ValueError:  # AWS's text unknown
                    status.append({"Status": "InvalidParameterValue", "Error": "Template data is not valid JSON."})
                    continue
            out = OutgoingMessage(
                api="ses", operation="SendBulkTemplatedEmail", source=p["Source"], **_destination(dest),
                reply_to=p.get("ReplyToAddresses", []), return_path=p.get("ReturnPath"),
                template=p["Template"], template_data=data,
                tags={**_tags(p.get("DefaultTags")), **_tags(dest.get("ReplacementTags"))},
                configuration_set=p.get("ConfigurationSetName"), **_arns(p))
            try:
                status.append({"Status": "Success", "MessageId": send(self, ctx, out)})
            except AWSError as exc:
                if exc.code == "AccessDenied":  # sending authorization refuses the call, not one destination
                    raise
                status.append({"Status": _BULK_STATUS.get(exc.code, "Failed"), "Error": exc.message})
        return {"Status": status}

    def send_bounce(self, ctx: RequestContext) -> dict[str, Any]:
        """A bounce for a received message: sent (and captured) from `BounceSender` to the original sender."""
        p = ctx.params
        original = next((m for m in self.messages() if m.message_id == p["OriginalMessageId"]), None)
        if original is None:
            raise message_rejected(f"Could not find original message {p['OriginalMessageId']}.")  # AWS's text unknown
        recipients = "\n".join(r["Recipient"] for r in p["BouncedRecipientInfoList"])
        out = OutgoingMessage(
            api="ses", operation="SendBounce", source=p["BounceSender"], to=[mime.bare_address(original.source)],
            subject="Delivery Status Notification (Failure)",
            text=f"{p.get('Explanation') or ''}\n\n{recipients}".strip(), sandboxed=False)
        return {"MessageId": send(self, ctx, out)}

    # -- quota, statistics, the sending switch --------------------------------------------
    def get_send_quota(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            return {"Max24HourSend": state.account.max_24h, "MaxSendRate": state.account.max_rate,
                    "SentLast24Hours": float(sent_last_24h(state, ctx.clock.utcnow()))}

    def get_send_statistics(self, ctx: RequestContext) -> dict[str, Any]:
        """15-minute data points of the last two weeks."""
        since = ctx.clock.utcnow() - timedelta(days=14)
        with self.store.lock:
            points = [{"Timestamp": start, **counters} for start, counters in sorted(self.state(ctx).statistics.items())
                      if start >= since]
        return {"SendDataPoints": points}

    def get_account_sending_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Enabled": self.state(ctx).account.sending_enabled}

    def update_account_sending_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).account.sending_enabled = bool(ctx.params.get("Enabled", False))
        return {}


#: a refused bulk destination's `Status` (BulkEmailStatus)
_BULK_STATUS = {
    "MessageRejected": "MessageRejected", "MailFromDomainNotVerifiedException": "MailFromDomainNotVerified",
    "ConfigurationSetDoesNotExist": "ConfigurationSetDoesNotExist", "TemplateDoesNotExist": "TemplateDoesNotExist",
    "AccountSendingPausedException": "AccountSendingPaused", "ConfigurationSetSendingPausedException":
    "ConfigurationSetSendingPaused", "Throttling": "AccountDailyQuotaExceeded",
    "InvalidParameterValue": "InvalidParameterValue",
}
