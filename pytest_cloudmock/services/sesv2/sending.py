"""`SendEmail` (Simple, Raw, Template content), `SendBulkEmail` and `SendCustomVerificationEmail`,
through the one sending path of the shared SES core (sandbox, suppression list, mailbox
simulator, rendering, events, capture).

v2 additions handled here: `ListManagementOptions` (recipients who opted out of the topic,
or out of everything, are not sent to; `List-Unsubscribe` headers are added), `EndpointId`
(the multi-region endpoint must exist), `TenantName` (the tenant must exist and be allowed
to send), message `Headers` and `Attachments` (a simple or templated message with
attachments goes out as the MIME message SES would build).
"""

from __future__ import annotations

import json
import uuid
from email.message import EmailMessage
from typing import Any

from ...api import AWSError, RequestContext
from ..ses import mime, shared
from ..ses.rendering import RenderingError, parse_data, render_parts
from ..ses.sending import OutgoingMessage, new_message_id
from .contacts import ContactOperations
from .endpoints import EndpointOperations
from .errors import bad_request, not_found
from .tenants import TenantOperations

#: a refused bulk entry's code -> its `BulkEmailEntryResult.Status`
BULK_STATUS = {"MessageRejected": "MESSAGE_REJECTED", "MailFromDomainNotVerifiedException": "MAIL_FROM_DOMAIN_NOT_VERIFIED",
               "NotFoundException": "CONFIGURATION_SET_NOT_FOUND", "LimitExceededException": "ACCOUNT_DAILY_QUOTA_EXCEEDED",
               "AccountSuspendedException": "ACCOUNT_SUSPENDED", "BadRequestException": "INVALID_PARAMETER",
               "TooManyRequestsException": "ACCOUNT_THROTTLED"}


def template_name(template: dict[str, Any]) -> str | None:
    """A `Template`'s stored template name (from `TemplateName` or `TemplateArn`)."""
    if template.get("TemplateName"):
        return template["TemplateName"]
    arn = template.get("TemplateArn")
    return arn.rsplit("template/", 1)[-1] if arn else None


def mime_message(source: str, to: list[str], cc: list[str], reply_to: list[str], subject: str, text: str | None,
                 html: str | None, headers: list[tuple[str, str]], attachments: list[dict[str, Any]]) -> bytes:
    """The MIME message SES builds for a simple or templated message with attachments."""
    message = EmailMessage()
    message["From"] = source
    for name, values in (("To", to), ("Cc", cc), ("Reply-To", reply_to)):
        if values:
            message[name] = ", ".join(values)
    message["Subject"] = subject
    for name, value in headers:
        message[name] = value
    message.set_content(text if text is not None else "")
    if html is not None:
        message.add_alternative(html, subtype="html")
    for a in attachments:
        maintype, _, subtype = (a.get("ContentType") or "application/octet-stream").partition("/")
        message.add_attachment(a["RawContent"], maintype=maintype, subtype=subtype or "octet-stream",
                               filename=a["FileName"],
                               disposition="inline" if a.get("ContentDisposition") == "INLINE" else "attachment",
                               cid=f"<{a['ContentId']}>" if a.get("ContentId") else None)
    return message.as_bytes()


class SendingOperations(ContactOperations, EndpointOperations, TenantOperations):
    def _outgoing(self, ctx: RequestContext, p: dict[str, Any], content: dict[str, Any], operation: str,
                  destination: dict[str, Any], tags: dict[str, str], headers: list[tuple[str, str]]) -> OutgoingMessage:
        """The core's message for one v2 send (one `EmailContent` to one `Destination`)."""
        source = p.get("FromEmailAddress")
        out = OutgoingMessage(
            api="sesv2", operation=operation, source=source, to=list(destination.get("ToAddresses", [])),
            cc=list(destination.get("CcAddresses", [])), bcc=list(destination.get("BccAddresses", [])),
            reply_to=list(p.get("ReplyToAddresses", [])), return_path=p.get("FeedbackForwardingEmailAddress"),
            tags=tags, configuration_set=p.get("ConfigurationSetName"), headers=headers,
            source_arn=p.get("FromEmailAddressIdentityArn"),
            return_path_arn=p.get("FeedbackForwardingEmailAddressIdentityArn"))
        if "Raw" in content:
            out.raw = content["Raw"]["Data"]
            return out
        if not source:
            raise bad_request("Missing required parameter FromEmailAddress.")  # wording ours
        if "Simple" in content:
            simple = content["Simple"]
            body = simple.get("Body") or {}
            out.subject = (simple.get("Subject") or {}).get("Data", "")
            out.text, out.html = (body.get("Text") or {}).get("Data"), (body.get("Html") or {}).get("Data")
            out.headers = [*out.headers, *[(h["Name"], h["Value"]) for h in simple.get("Headers") or []]]
            if simple.get("Attachments"):
                self._as_raw(out, simple["Attachments"])
            return out
        template = content.get("Template")
        if not template:
            raise bad_request("Content must contain one of Simple, Raw or Template.")  # wording ours
        out.headers = [*out.headers, *[(h["Name"], h["Value"]) for h in template.get("Headers") or []]]
        out.template_data = template.get("TemplateData") or "{}"
        inline = template.get("TemplateContent")
        if inline is not None:
            out.template_content = (inline.get("Subject"), inline.get("Text"), inline.get("Html"))
        else:
            out.template = template_name(template)
            if not out.template:
                raise bad_request("Template must have a TemplateName, TemplateArn or TemplateContent.")  # ours
        if template.get("Attachments"):
            self._render_with_attachments(ctx, out, template["Attachments"])
        return out

    @staticmethod
    def _as_raw(out: OutgoingMessage, attachments: list[dict[str, Any]]) -> None:
        out.raw = mime_message(out.source or "", out.to, out.cc, out.reply_to, out.subject or "", out.text,
                               out.html, out.headers, attachments)

    def _render_with_attachments(self, ctx: RequestContext, out: OutgoingMessage, attachments: list[dict[str, Any]]) -> None:
        """Render the template here so the attachments can join it (a rendering failure is left to
        the core, which drops the message with a Rendering Failure event, without attachments)."""
        parts = out.template_content
        if parts is None:
            with shared.lock(ctx):
                stored = shared.state_for(ctx).templates.get(out.template or "")
            if stored is None:
                return  # the core answers NotFoundException
            parts = (stored.subject, stored.text, stored.html)
        try:
            out.subject, out.text, out.html = render_parts(*parts, parse_data(out.template_data))
        except (RenderingError, ValueError):
            return
        out.template_content = None
        self._as_raw(out, attachments)

    def _recipients(self, out: OutgoingMessage) -> list[str]:
        if out.to or out.cc or out.bcc or out.raw is None:
            return [*out.to, *out.cc, *out.bcc]
        try:
            parsed = mime.parse(out.raw)
        except (ValueError, TypeError):
            return []
        return [*parsed.to, *parsed.cc, *parsed.bcc]

    def _checks(self, ctx: RequestContext, p: dict[str, Any]) -> None:
        if p.get("EndpointId"):
            self.endpoint_by_id(ctx, p["EndpointId"])
        if p.get("TenantName") and self.tenant_sending_status(ctx, p["TenantName"]) == "DISABLED":
            raise AWSError("SendingPausedException",
                           f"Sending is disabled for tenant {p['TenantName']}.", 400)  # wording ours

    def _send(self, ctx: RequestContext, out: OutgoingMessage, p: dict[str, Any]) -> str:
        options = p.get("ListManagementOptions")
        if options:
            recipients = self._recipients(out)
            kept = set(self.subscribed(ctx, options, recipients))
            if not kept:  # accepted, but every recipient opted out: nothing goes out
                return new_message_id(ctx.clock.utcnow())
            if out.to or out.cc or out.bcc:
                out.to, out.cc, out.bcc = ([a for a in part if a in kept] for part in (out.to, out.cc, out.bcc))
            elif len(kept) != len(recipients):
                out.to = [a for a in recipients if a in kept]
            token = uuid.uuid4().hex
            out.headers = [*out.headers, ("List-Unsubscribe", f"<https://unsubscribe.{ctx.region}.amazonses.com/{token}>"),
                           ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
        return shared.send(ctx, out)

    def send_email(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self._checks(ctx, p)
        tags = {t["Name"]: t["Value"] for t in p.get("EmailTags") or []}
        out = self._outgoing(ctx, p, p["Content"], "SendEmail", p.get("Destination") or {}, tags, [])
        return {"MessageId": self._send(ctx, out, p)}

    def send_bulk_email(self, ctx: RequestContext) -> dict[str, Any]:
        """One message per entry, each entry's outcome in its result (a missing template refuses
        the whole call, as AWS does); entry data is laid over the default data."""
        p = ctx.params
        self._checks(ctx, p)
        default = (p["DefaultContent"].get("Template") or {})
        if not default:
            raise bad_request("DefaultContent must contain a Template.")  # wording ours
        name = template_name(default)
        if name and default.get("TemplateContent") is None:
            with shared.lock(ctx):
                if name not in shared.state_for(ctx).templates:
                    raise not_found(f"Template {name} does not exist.")  # v1's wording
        try:
            default_data = parse_data(default.get("TemplateData"))
        except ValueError:
            raise bad_request("Template data is not valid JSON.") from None  # wording ours
        default_tags = {t["Name"]: t["Value"] for t in p.get("DefaultEmailTags") or []}
        results = []
        for entry in p["BulkEmailEntries"]:
            replacement = ((entry.get("ReplacementEmailContent") or {}).get("ReplacementTemplate") or {})
            try:
                data = {**default_data, **parse_data(replacement.get("ReplacementTemplateData"))}
                content = {"Template": {**default, "TemplateData": json.dumps(data)}}
                tags = {**default_tags, **{t["Name"]: t["Value"] for t in entry.get("ReplacementTags") or []}}
                headers = [(h["Name"], h["Value"]) for h in entry.get("ReplacementHeaders") or []]
                out = self._outgoing(ctx, p, content, "SendBulkEmail", entry["Destination"], tags, headers)
                results.append({"Status": "SUCCESS", "MessageId": self._send(ctx, out, p)})
            except ValueError:
                results.append({"Status": "INVALID_PARAMETER", "Error": "Template data is not valid JSON."})  # ours
            except AWSError as exc:
                if exc.code == "AccessDeniedException":  # sending authorization refuses the whole call
                    raise
                results.append({"Status": self._bulk_status(ctx, exc), "Error": exc.message})
        return {"BulkEmailEntryResults": results}

    @staticmethod
    def _bulk_status(ctx: RequestContext, exc: AWSError) -> str:
        if exc.code == "SendingPausedException":
            with shared.lock(ctx):
                paused_account = not shared.state_for(ctx).account.sending_enabled
            return "ACCOUNT_SENDING_PAUSED" if paused_account else "CONFIGURATION_SET_SENDING_PAUSED"
        return BULK_STATUS.get(exc.code, "FAILED")

    def send_custom_verification_email(self, ctx: RequestContext) -> dict[str, Any]:
        """The core's SendCustomVerificationEmail (the address becomes a Pending identity and
        gets the template's mail), answered with v2's error codes."""
        from ..ses.errors import for_api

        try:
            return shared.core(ctx).send_custom_verification_email(ctx)  # type: ignore[attr-defined]
        except AWSError as exc:
            raise for_api(exc, "sesv2") from None
