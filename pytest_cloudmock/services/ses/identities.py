"""SES v1 identities: verification, DKIM, MAIL FROM, notification topics, sending policies."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from .base import SesBase, is_email
from .errors import invalid_parameter, invalid_policy
from .rendering import load_json
from .state import Identity

_NOTIFICATION_TYPES = ("Bounce", "Complaint", "Delivery")


class IdentityOperations(SesBase):
    # -- verification ---------------------------------------------------------------------
    def verify_email_identity(self, ctx: RequestContext) -> dict[str, Any]:
        self._verify_email(ctx, ctx.params["EmailAddress"])
        return {}

    def verify_email_address(self, ctx: RequestContext) -> dict[str, Any]:
        self._verify_email(ctx, ctx.params["EmailAddress"])
        return {}

    def _verify_email(self, ctx: RequestContext, address: str) -> Identity:
        if not is_email(address) or address.startswith("@") or address.endswith("@"):
            raise invalid_parameter(f"Invalid email address<{address}>.")
        with self.store.lock:
            return self.add_identity(ctx, address)

    def verify_domain_identity(self, ctx: RequestContext) -> dict[str, Any]:
        domain = self._domain(ctx.params["Domain"])
        with self.store.lock:
            identity = self.add_identity(ctx, domain)
            return {"VerificationToken": identity.verification_token or ""}

    def verify_domain_dkim(self, ctx: RequestContext) -> dict[str, Any]:
        domain = self._domain(ctx.params["Domain"])
        with self.store.lock:
            identity = self.add_identity(ctx, domain)
            identity.dkim_enabled = True
            identity.dkim_status = "Success" if identity.verified else "Pending"
            return {"DkimTokens": list(identity.dkim_tokens)}

    @staticmethod
    def _domain(domain: str) -> str:
        if "@" in domain or not domain or "." not in domain.strip("."):
            raise invalid_parameter(f"Invalid domain name <{domain}>.")  # AWS's text unknown
        return domain

    def delete_identity(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:  # deleting an unknown identity succeeds, as in AWS
            self.state(ctx).identities.pop(self.identity_key(ctx.params["Identity"]), None)
        return {}

    def delete_verified_email_address(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).identities.pop(ctx.params["EmailAddress"], None)
        return {}

    def list_identities(self, ctx: RequestContext) -> dict[str, Any]:
        kind = ctx.params.get("IdentityType")
        with self.store.lock:
            names = [i.name for i in self.state(ctx).identities.values() if kind in (None, i.kind)]
        page, token = self.page(ctx, names)
        return {"Identities": page, **token}

    def list_verified_email_addresses(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"VerifiedEmailAddresses": [i.name for i in self.state(ctx).identities.values()
                                               if i.kind == "EmailAddress" and i.verified]}

    def _known(self, ctx: RequestContext) -> list[Identity]:
        """The request's `Identities` that exist (AWS leaves unknown ones out of the answer)."""
        state = self.state(ctx)
        return [i for i in (self.find_identity(state, n) for n in ctx.params.get("Identities", [])) if i]

    def get_identity_verification_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            out = {}
            for i in self._known(ctx):
                out[i.name] = {"VerificationStatus": i.status}
                if i.kind == "Domain":
                    out[i.name]["VerificationToken"] = i.verification_token
            return {"VerificationAttributes": out}

    # -- DKIM and MAIL FROM ---------------------------------------------------------------
    def get_identity_dkim_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            out = {}
            for i in self._known(ctx):
                entry: dict[str, Any] = {"DkimEnabled": i.dkim_enabled, "DkimVerificationStatus": i.dkim_status}
                if i.kind == "Domain":
                    entry["DkimTokens"] = list(i.dkim_tokens)
                out[i.name] = entry
            return {"DkimAttributes": out}

    def set_identity_dkim_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            identity = self._identity(ctx)
            enabled = ctx.params["DkimEnabled"]
            if enabled and identity.kind == "EmailAddress":
                domain = self.find_identity(self.state(ctx), identity.name.rpartition("@")[2])
                if domain is None or domain.dkim_status != "Success":
                    # AWS's text unknown; AWS refuses DKIM for an address whose domain has none set up
                    raise invalid_parameter(f"Domain {identity.name.rpartition('@')[2]} is not verified for DKIM signing.")
            identity.dkim_enabled = bool(enabled)
            if enabled and identity.dkim_status == "NotStarted":
                identity.dkim_status = "Success" if identity.verified else "Pending"
        return {}

    def _identity(self, ctx: RequestContext, key: str = "Identity") -> Identity:
        name = ctx.params[key]
        identity = self.find_identity(self.state(ctx), name)
        if identity is None:
            raise invalid_parameter(f"Identity <{name}> does not exist.")  # AWS's text unknown
        return identity

    def get_identity_mail_from_domain_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            out = {}
            for i in self._known(ctx):
                entry: dict[str, Any] = {"BehaviorOnMXFailure": i.mail_from_behavior}
                if i.mail_from_domain:
                    entry["MailFromDomain"] = i.mail_from_domain
                    entry["MailFromDomainStatus"] = "Success" if i.verified or self.is_verified(
                        self.state(ctx), "x@" + i.mail_from_domain) else "Pending"
                out[i.name] = entry
            return {"MailFromDomainAttributes": out}

    def set_identity_mail_from_domain(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            identity = self._identity(ctx)
            domain = ctx.params.get("MailFromDomain")
            parent = identity.name.rpartition("@")[2]
            if domain and not domain.lower().endswith("." + parent.lower()):
                raise invalid_parameter(f"Provided MAIL-FROM domain <{domain}> is not a subdomain of the "
                                        f"verified identity <{identity.name}>.")  # AWS's text unknown
            identity.mail_from_domain = domain or None
            identity.mail_from_behavior = ctx.params.get("BehaviorOnMXFailure") or "UseDefaultValue"
        return {}

    # -- notifications --------------------------------------------------------------------
    def get_identity_notification_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            out = {}
            for i in self._known(ctx):
                entry: dict[str, Any] = {
                    "BounceTopic": i.notification_topics.get("Bounce", ""),
                    "ComplaintTopic": i.notification_topics.get("Complaint", ""),
                    "DeliveryTopic": i.notification_topics.get("Delivery", ""),
                    "ForwardingEnabled": i.forwarding_enabled,
                }
                for kind in _NOTIFICATION_TYPES:
                    entry[f"HeadersIn{kind}NotificationsEnabled"] = i.headers_in_notifications.get(kind, False)
                out[i.name] = {k: v for k, v in entry.items() if v != ""}
            return {"NotificationAttributes": out}

    def set_identity_notification_topic(self, ctx: RequestContext) -> dict[str, Any]:
        kind, topic = ctx.params["NotificationType"], ctx.params.get("SnsTopic")
        if topic and ctx.registry is not None and ctx.registry.get("sns") is not None:
            try:
                ctx.registry.call("sns", "GetTopicAttributes", {"TopicArn": topic},
                                  account_id=ctx.account_id, region=ctx.region, caller=ctx)
            except Exception:
                raise invalid_parameter(f"Invalid SNS topic <{topic}>.") from None  # AWS's text unknown
        with self.store.lock:
            identity = self._identity(ctx)
            if topic:
                identity.notification_topics[kind] = topic
            else:
                identity.notification_topics.pop(kind, None)
        return {}

    def set_identity_feedback_forwarding_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            identity = self._identity(ctx)
            enabled = bool(ctx.params["ForwardingEnabled"])
            if not enabled and not all(identity.notification_topics.get(k) for k in ("Bounce", "Complaint")):
                raise invalid_parameter("Feedback notification topic not set.")  # AWS's text unknown
            identity.forwarding_enabled = enabled
        return {}

    def set_identity_headers_in_notifications_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            identity = self._identity(ctx)
            identity.headers_in_notifications[ctx.params["NotificationType"]] = bool(ctx.params["Enabled"])
        return {}

    # -- sending authorization policies ---------------------------------------------------
    def put_identity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        document = ctx.params["Policy"]
        try:
            parsed = load_json(document)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or "Statement" not in parsed:
            raise invalid_policy()
        with self.store.lock:
            identity = self._identity(ctx)
            identity.policies[ctx.params["PolicyName"]] = document
        return {}

    def get_identity_policies(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            identity = self._identity(ctx)
            names = ctx.params.get("PolicyNames", [])
            return {"Policies": {n: identity.policies[n] for n in names if n in identity.policies}}

    def list_identity_policies(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"PolicyNames": list(self._identity(ctx).policies)}

    def delete_identity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._identity(ctx).policies.pop(ctx.params["PolicyName"], None)
        return {}

