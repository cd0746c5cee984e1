"""SES v1 templates (shared with v2's email templates), TestRenderTemplate, and custom
verification email templates with SendCustomVerificationEmail."""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from .base import SesBase
from .errors import (
    config_set_not_found,
    custom_template_exists,
    custom_template_not_found,
    template_exists,
    template_not_found,
)
from .rendering import RenderingError, parse_data, render_parts
from .sending import OutgoingMessage, send
from .state import CustomVerificationTemplate, Template


class TemplateOperations(SesBase):
    # -- email templates --------------------------------------------------------------------
    def create_template(self, ctx: RequestContext) -> dict[str, Any]:
        t = ctx.params["Template"]
        with self.store.lock:
            templates = self.state(ctx).templates
            if t["TemplateName"] in templates:
                raise template_exists(t["TemplateName"])
            templates[t["TemplateName"]] = Template(
                name=t["TemplateName"], created=ctx.clock.utcnow(), subject=t.get("SubjectPart"),
                text=t.get("TextPart"), html=t.get("HtmlPart"))
        return {}

    def update_template(self, ctx: RequestContext) -> dict[str, Any]:
        t = ctx.params["Template"]
        with self.store.lock:
            template = self._template(ctx, t["TemplateName"])
            template.subject, template.text, template.html = t.get("SubjectPart"), t.get("TextPart"), t.get("HtmlPart")
        return {}

    def _template(self, ctx: RequestContext, name: str) -> Template:
        template = self.state(ctx).templates.get(name)
        if template is None:
            raise template_not_found(name)
        return template

    def delete_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:  # deleting a missing template succeeds, as in AWS
            self.state(ctx).templates.pop(ctx.params["TemplateName"], None)
        return {}

    def get_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            t = self._template(ctx, ctx.params["TemplateName"])
            out = {"TemplateName": t.name, "SubjectPart": t.subject, "TextPart": t.text, "HtmlPart": t.html}
        return {"Template": {k: v for k, v in out.items() if v is not None}}

    def list_templates(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = sorted(self.state(ctx).templates.values(), key=lambda t: t.name)
        page, token = self.page(ctx, items)
        return {"TemplatesMetadata": [{"Name": t.name, "CreatedTimestamp": t.created} for t in page], **token}

    def test_render_template(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["TemplateName"]
        with self.store.lock:
            t = self._template(ctx, name)
            parts = (t.subject, t.text, t.html)
        try:
            data = parse_data(ctx.params["TemplateData"])
        except ValueError:
            raise AWSError("InvalidRenderingParameter", "Template data is not valid JSON.", 400,  # AWS's text unknown
                           TemplateName=name) from None
        try:
            subject, text, html = render_parts(*parts, data)
        except RenderingError as exc:
            raise AWSError("MissingRenderingAttribute", str(exc), 400, TemplateName=name) from None
        return {"RenderedTemplate": render_mime(subject, text, html)}

    # -- custom verification email templates -------------------------------------------------
    def create_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            templates = self.state(ctx).custom_verification_templates
            if p["TemplateName"] in templates:
                raise custom_template_exists(p["TemplateName"])
            self._check_from(ctx, p["FromEmailAddress"])
            templates[p["TemplateName"]] = CustomVerificationTemplate(
                name=p["TemplateName"], from_address=p["FromEmailAddress"], subject=p["TemplateSubject"],
                content=p["TemplateContent"], success_url=p["SuccessRedirectionURL"],
                failure_url=p["FailureRedirectionURL"], created=ctx.clock.utcnow())
        return {}

    def _check_from(self, ctx: RequestContext, address: str) -> None:
        if not self.is_verified(self.state(ctx), address):
            raise AWSError("FromEmailAddressNotVerified",
                           f"Email address {address} is not verified.", 400,  # AWS's text unknown
                           FromEmailAddress=address)

    def update_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            t = self._custom(ctx, p["TemplateName"])
            if p.get("FromEmailAddress"):
                self._check_from(ctx, p["FromEmailAddress"])
                t.from_address = p["FromEmailAddress"]
            t.subject = p.get("TemplateSubject") or t.subject
            t.content = p.get("TemplateContent") or t.content
            t.success_url = p.get("SuccessRedirectionURL") or t.success_url
            t.failure_url = p.get("FailureRedirectionURL") or t.failure_url
        return {}

    def _custom(self, ctx: RequestContext, name: str) -> CustomVerificationTemplate:
        template = self.state(ctx).custom_verification_templates.get(name)
        if template is None:
            raise custom_template_not_found(name)
        return template

    def delete_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).custom_verification_templates.pop(ctx.params["TemplateName"], None)
        return {}

    def get_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return custom_template_dict(self._custom(ctx, ctx.params["TemplateName"]))

    def list_custom_verification_email_templates(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = sorted(self.state(ctx).custom_verification_templates.values(), key=lambda t: t.name)
        page, token = self.page(ctx, items, limit_key="MaxResults")
        return {"CustomVerificationEmailTemplates": [
            {k: v for k, v in custom_template_dict(t).items() if k != "TemplateContent"} for t in page], **token}

    def send_custom_verification_email(self, ctx: RequestContext) -> dict[str, Any]:
        """Sends the template's mail (captured) to the address, which becomes a Pending identity
        (`cloudmock.ses.verify(address)` stands for the click on the link)."""
        p = ctx.params
        address = p["EmailAddress"]
        with self.store.lock:
            t = self._custom(ctx, p["TemplateName"])
            if p.get("ConfigurationSetName") and p["ConfigurationSetName"] not in self.state(ctx).configuration_sets:
                raise config_set_not_found(p["ConfigurationSetName"])
            self.add_identity(ctx, address)
        message_id = send(self, ctx, OutgoingMessage(  # to an unverified address, by design
            api="ses", operation="SendCustomVerificationEmail", source=t.from_address, to=[address],
            subject=t.subject, html=t.content, configuration_set=p.get("ConfigurationSetName"), sandboxed=False))
        return {"MessageId": message_id}


def custom_template_dict(t: CustomVerificationTemplate) -> dict[str, Any]:
    return {"TemplateName": t.name, "FromEmailAddress": t.from_address, "TemplateSubject": t.subject,
            "TemplateContent": t.content, "SuccessRedirectionURL": t.success_url,
            "FailureRedirectionURL": t.failure_url}


def render_mime(subject: str, text: str | None, html: str | None) -> str:
    """A rendered template as the MIME message TestRenderTemplate returns."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = subject
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is not None:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return message.as_string()

