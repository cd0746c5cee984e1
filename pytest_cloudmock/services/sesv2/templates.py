"""Email templates and custom verification email templates through the v2 API, kept in the
shared SES core (the v1 API sees the same templates); `TestRenderEmailTemplate` renders with
the core's SES rules."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ..ses.rendering import RenderingError, parse_data, render_parts
from ..ses.state import CustomVerificationTemplate, SesState, Template
from ..ses.templates import custom_template_dict, render_mime
from .errors import already_exists, bad_request, not_found
from .shared import SharedCore


class TemplateOperations(SharedCore):
    def template_arn(self, ctx: RequestContext, name: str) -> str:
        return self.arn(ctx, f"template/{name}")

    def cvt_arn(self, ctx: RequestContext, name: str) -> str:
        return self.arn(ctx, f"custom-verification-email-template/{name}")

    # -- email templates ---------------------------------------------------------------------
    @staticmethod
    def template(core: SesState, name: str) -> Template:
        found = core.templates.get(name)
        if found is None:
            raise not_found(f"Template {name} does not exist.")  # v1's wording; v2's is not documented
        return found

    def create_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, content = p["TemplateName"], p["TemplateContent"]
        with self.locked(ctx) as core:
            if name in core.templates:
                raise already_exists(f"Template {name} already exists.")  # v1's wording
            core.templates[name] = Template(name, ctx.clock.utcnow(), content.get("Subject"), content.get("Text"),
                                            content.get("Html"))
            self.drop_tags(ctx, self.template_arn(ctx, name))  # tags of a deleted namesake go with it
            self.set_tags(ctx, self.template_arn(ctx, name), p.get("Tags"))
        return {}

    def get_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            t = self.template(core, ctx.params["TemplateName"])
            content = {k: v for k, v in (("Subject", t.subject), ("Text", t.text), ("Html", t.html)) if v is not None}
            return {"TemplateName": t.name, "TemplateContent": content,
                    "Tags": self.tag_list(ctx, self.template_arn(ctx, t.name))}

    def update_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        content = ctx.params["TemplateContent"]
        with self.locked(ctx) as core:
            t = self.template(core, ctx.params["TemplateName"])
            t.subject, t.text, t.html = content.get("Subject"), content.get("Text"), content.get("Html")
        return {}

    def delete_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["TemplateName"]
        with self.locked(ctx) as core:
            self.template(core, name)
            del core.templates[name]
            arn = self.template_arn(ctx, name)
            self.drop_tags(ctx, arn)
            for tenant in self.state(ctx).tenants.values():
                tenant.resources.pop(arn, None)
        return {}

    def list_email_templates(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            items = [{"TemplateName": t.name, "CreatedTimestamp": t.created}
                     for t in sorted(core.templates.values(), key=lambda t: t.name)]
        page, more = self.page(ctx, items, "templates", default=10)
        return {"TemplatesMetadata": page, **more}

    def test_render_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            t = self.template(core, ctx.params["TemplateName"])
            parts = (t.subject, t.text, t.html)
        try:
            subject, text, html = render_parts(*parts, parse_data(ctx.params["TemplateData"]))
        except ValueError:
            raise bad_request("Template data is not valid JSON.") from None  # wording ours
        except RenderingError as exc:
            raise bad_request(str(exc)) from None
        return {"RenderedTemplate": render_mime(subject, text, html)}

    # -- custom verification email templates ---------------------------------------------------
    @staticmethod
    def custom_template(core: SesState, name: str) -> CustomVerificationTemplate:
        found = core.custom_verification_templates.get(name)
        if found is None:
            raise not_found(f"No CustomVerificationEmailTemplate with name {name} exists.")  # wording ours
        return found

    def _check_from(self, ctx: RequestContext, core: SesState, address: str) -> None:
        if not self.ses(ctx).is_verified(core, address):
            raise bad_request(f"Email address {address} is not verified.")  # wording ours

    def create_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.locked(ctx) as core:
            if p["TemplateName"] in core.custom_verification_templates:
                raise already_exists(f"Custom verification email template {p['TemplateName']} already exists.")  # ours
            self._check_from(ctx, core, p["FromEmailAddress"])
            core.custom_verification_templates[p["TemplateName"]] = CustomVerificationTemplate(
                p["TemplateName"], p["FromEmailAddress"], p["TemplateSubject"], p["TemplateContent"],
                p["SuccessRedirectionURL"], p["FailureRedirectionURL"], ctx.clock.utcnow())
            arn = self.cvt_arn(ctx, p["TemplateName"])
            self.drop_tags(ctx, arn)
            self.set_tags(ctx, arn, p.get("Tags"))
        return {}

    def get_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            t = self.custom_template(core, ctx.params["TemplateName"])
            return {**custom_template_dict(t), "Tags": self.tag_list(ctx, self.cvt_arn(ctx, t.name))}

    def update_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.locked(ctx) as core:
            t = self.custom_template(core, p["TemplateName"])
            self._check_from(ctx, core, p["FromEmailAddress"])
            t.from_address, t.subject, t.content = p["FromEmailAddress"], p["TemplateSubject"], p["TemplateContent"]
            t.success_url, t.failure_url = p["SuccessRedirectionURL"], p["FailureRedirectionURL"]
        return {}

    def delete_custom_verification_email_template(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            t = self.custom_template(core, ctx.params["TemplateName"])
            del core.custom_verification_templates[t.name]
            self.drop_tags(ctx, self.cvt_arn(ctx, t.name))
        return {}

    def list_custom_verification_email_templates(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            items = [{k: v for k, v in custom_template_dict(t).items() if k != "TemplateContent"}
                     for t in sorted(core.custom_verification_templates.values(), key=lambda t: t.name)]
        page, more = self.page(ctx, items, "custom-verification-templates", default=50)
        return {"CustomVerificationEmailTemplates": page, **more}
