"""Email identities (addresses and domains) through the v2 API, kept in the shared SES core:
Easy DKIM and BYODKIM, MAIL FROM, feedback forwarding, the default configuration set and
sending-authorization policies."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ..ses.rendering import load_json
from ..ses.state import Identity, SesState
from .config_sets import ConfigurationSetOperations
from .errors import already_exists, bad_request, limit_exceeded, not_found

#: v1's spelling in the shared state -> v2's
STATUS = {"Pending": "PENDING", "Success": "SUCCESS", "Failed": "FAILED", "TemporaryFailure": "TEMPORARY_FAILURE",
          "NotStarted": "NOT_STARTED"}
BEHAVIOR = {"UseDefaultValue": "USE_DEFAULT_VALUE", "RejectMessage": "REJECT_MESSAGE"}
MAX_POLICIES = 20  # AWS: up to 20 sending-authorization policies per identity


def identity_type(identity: Identity) -> str:
    return "EMAIL_ADDRESS" if identity.kind == "EmailAddress" else "DOMAIN"


def checked_name(name: str) -> str:
    """An email address or domain AWS would accept as an identity (BadRequestException if not)."""
    local, at, domain = name.rpartition("@")
    if (at and not local) or not domain or "." not in domain.strip(".") or " " in name:
        raise bad_request(f"Invalid email identity <{name}>.")  # wording ours
    return name


class IdentityOperations(ConfigurationSetOperations):
    def identity(self, core: SesState, ctx: RequestContext) -> Identity:
        name = ctx.params["EmailIdentity"]
        found = self.ses(ctx).find_identity(core, name)
        if found is None:
            raise not_found(f"Email identity {name} does not exist.")  # wording ours
        return found

    def dkim_attributes(self, identity: Identity) -> dict[str, Any]:
        if identity.kind == "EmailAddress" and not identity.dkim_enabled:
            # what AWS answers for an address (quoted from AWS's output in getmoto/moto#9771)
            return {"SigningEnabled": False, "Status": "NOT_STARTED", "SigningAttributesOrigin": "AWS_SES",
                    "NextSigningKeyLength": "RSA_1024_BIT"}
        origin = identity.extras.get("SigningAttributesOrigin", "AWS_SES")
        out: dict[str, Any] = {"SigningEnabled": identity.dkim_enabled, "Status": STATUS[identity.dkim_status],
                               "Tokens": list(identity.dkim_tokens) if identity.kind == "Domain" else [],
                               "SigningAttributesOrigin": origin}
        if identity.kind == "Domain" and origin != "EXTERNAL":
            out["SigningHostedZone"] = "amazonses.com"
            out["CurrentSigningKeyLength"] = identity.dkim_signing_key_type
            out["NextSigningKeyLength"] = identity.extras.get("NextSigningKeyLength", identity.dkim_signing_key_type)
            out["LastKeyGenerationTimestamp"] = identity.created
        return out

    def _byodkim(self, identity: Identity, attributes: dict[str, Any], origin: str) -> None:
        """Apply `DkimSigningAttributes` for `origin` (EXTERNAL: the customer's selector and key)."""
        if identity.kind != "Domain":
            raise bad_request("DKIM signing attributes can only be set on a domain identity.")  # wording ours
        if origin == "EXTERNAL":
            selector, key = attributes.get("DomainSigningSelector"), attributes.get("DomainSigningPrivateKey")
            if not selector or not key:
                raise bad_request("DomainSigningSelector and DomainSigningPrivateKey are required for "
                                  "EXTERNAL signing.")  # wording ours
            identity.dkim_tokens = [selector]
        else:
            if origin != identity.extras.get("SigningAttributesOrigin", "AWS_SES"):
                identity.dkim_tokens = self._easy_dkim_tokens()
            if attributes.get("NextSigningKeyLength"):
                identity.extras["NextSigningKeyLength"] = attributes["NextSigningKeyLength"]
        identity.extras["SigningAttributesOrigin"] = origin
        identity.dkim_enabled = True
        identity.dkim_status = "Success" if identity.verified else "Pending"

    @staticmethod
    def _easy_dkim_tokens() -> list[str]:
        from ..ses.base import dkim_token  # the core's token maker (one for both APIs)

        return [dkim_token() for _ in range(3)]

    # -- identities ------------------------------------------------------------------------
    def create_email_identity(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = checked_name(p["EmailIdentity"])
        ses = self.ses(ctx)
        with self.locked(ctx) as core:
            if ses.find_identity(core, name) is not None:
                # AWS's wording, as a user's report quotes it (anomalyco/sst#4556)
                raise already_exists(f"Email identity {name} already exist.")
            if p.get("ConfigurationSetName"):
                self.configuration_set(core, p["ConfigurationSetName"])
            if p.get("DkimSigningAttributes") and "@" in name:
                raise bad_request("DKIM signing attributes can only be set on a domain identity.")  # wording ours
            identity = ses.add_identity(ctx, name)
            if identity.kind == "Domain":
                attributes = p.get("DkimSigningAttributes") or {}
                origin = attributes.get("DomainSigningAttributesOrigin") or (
                    "EXTERNAL" if attributes.get("DomainSigningPrivateKey") else "AWS_SES")
                try:
                    self._byodkim(identity, attributes, origin)
                except Exception:
                    core.identities.pop(ses.identity_key(name), None)
                    raise
            identity.configuration_set = p.get("ConfigurationSetName")
            identity.tags = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
            out = {"IdentityType": identity_type(identity), "VerifiedForSendingStatus": identity.verified}
            if identity.kind == "Domain":  # AWS answers no DKIM attributes for a new address
                out["DkimAttributes"] = self.dkim_attributes(identity)
            return out

    def get_email_identity(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            i = self.identity(core, ctx)
            out: dict[str, Any] = {
                "IdentityType": identity_type(i), "FeedbackForwardingStatus": i.forwarding_enabled,
                "VerifiedForSendingStatus": i.verified, "DkimAttributes": self.dkim_attributes(i),
                "Policies": dict(i.policies), "Tags": [{"Key": k, "Value": v} for k, v in i.tags.items()],
                "VerificationStatus": STATUS[i.status],
            }
            out["MailFromAttributes"] = {"BehaviorOnMxFailure": BEHAVIOR[i.mail_from_behavior]}
            if i.mail_from_domain:
                verified = i.verified or self.ses(ctx).is_verified(core, "x@" + i.mail_from_domain)
                out["MailFromAttributes"].update({"MailFromDomain": i.mail_from_domain,
                                                  "MailFromDomainStatus": "SUCCESS" if verified else "PENDING"})
            if i.configuration_set:
                out["ConfigurationSetName"] = i.configuration_set
            return out

    def delete_email_identity(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            del core.identities[self.ses(ctx).identity_key(identity.name)]
            arn = self.ses(ctx).identity_arn(ctx, identity.name)
            for tenant in self.state(ctx).tenants.values():
                tenant.resources.pop(arn, None)
            self.state(ctx).reputation.pop(arn, None)
        return {}

    def list_email_identities(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            items = [{"IdentityType": identity_type(i), "IdentityName": i.name, "SendingEnabled": i.verified,
                      "VerificationStatus": STATUS[i.status]} for i in core.identities.values()]
        page, more = self.page(ctx, items, "identities")
        return {"EmailIdentities": page, **more}

    # -- attributes --------------------------------------------------------------------------
    def put_email_identity_dkim_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        enabled = bool(ctx.params.get("SigningEnabled", False))
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            if enabled and identity.kind == "EmailAddress":
                domain = self.ses(ctx).find_identity(core, identity.name.rpartition("@")[2])
                if domain is None or domain.dkim_status != "Success":
                    # AWS refuses DKIM for an address whose domain has none set up; wording ours
                    raise bad_request(f"Domain {identity.name.rpartition('@')[2]} is not verified for DKIM signing.")
            identity.dkim_enabled = enabled
            if enabled and identity.dkim_status == "NotStarted":
                identity.dkim_status = "Success" if identity.verified else "Pending"
        return {}

    def put_email_identity_dkim_signing_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            self._byodkim(identity, ctx.params.get("SigningAttributes") or {}, ctx.params["SigningAttributesOrigin"])
            out: dict[str, Any] = {"DkimStatus": STATUS[identity.dkim_status], "DkimTokens": list(identity.dkim_tokens)}
            if ctx.params["SigningAttributesOrigin"] != "EXTERNAL":
                out["SigningHostedZone"] = "amazonses.com"
            return out

    def put_email_identity_feedback_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        enabled = bool(ctx.params.get("EmailForwardingEnabled", False))
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            if not enabled and not all(identity.notification_topics.get(k) for k in ("Bounce", "Complaint")):
                # AWS requires bounce and complaint topics before forwarding can be turned off; wording ours
                raise bad_request("Feedback notification topic not set.")
            identity.forwarding_enabled = enabled
        return {}

    def put_email_identity_mail_from_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        domain = ctx.params.get("MailFromDomain")
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            parent = identity.name.rpartition("@")[2]
            if domain and not domain.lower().endswith("." + parent.lower()):
                raise bad_request(f"Provided MAIL-FROM domain <{domain}> is not a subdomain of the "
                                  f"verified identity <{identity.name}>.")  # wording ours
            identity.mail_from_domain = domain or None
            behavior = ctx.params.get("BehaviorOnMxFailure", "USE_DEFAULT_VALUE")
            identity.mail_from_behavior = {v: k for k, v in BEHAVIOR.items()}[behavior]
        return {}

    def put_email_identity_configuration_set_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("ConfigurationSetName")
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            if name:
                self.configuration_set(core, name)
            identity.configuration_set = name or None
        return {}

    # -- sending-authorization policies ----------------------------------------------------------
    @staticmethod
    def _checked_policy(document: str) -> str:
        try:
            parsed = load_json(document)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or "Statement" not in parsed:
            raise bad_request("Policy is not valid JSON or has no Statement.")  # wording ours (v1's InvalidPolicy)
        return document

    def create_email_identity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        document = self._checked_policy(p["Policy"])
        with self.locked(ctx) as core:
            identity = self.identity(core, ctx)
            if p["PolicyName"] in identity.policies:
                raise already_exists(f"Policy {p['PolicyName']} already exists.")  # wording ours
            if len(identity.policies) >= MAX_POLICIES:
                raise limit_exceeded(f"An identity can have at most {MAX_POLICIES} policies.")  # wording ours
            identity.policies[p["PolicyName"]] = document
        return {}

    def _policy_holder(self, core: SesState, ctx: RequestContext) -> Identity:
        identity = self.identity(core, ctx)
        if ctx.params["PolicyName"] not in identity.policies:
            raise not_found(f"Policy {ctx.params['PolicyName']} does not exist.")  # wording ours
        return identity

    def update_email_identity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        document = self._checked_policy(ctx.params["Policy"])
        with self.locked(ctx) as core:
            self._policy_holder(core, ctx).policies[ctx.params["PolicyName"]] = document
        return {}

    def delete_email_identity_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            del self._policy_holder(core, ctx).policies[ctx.params["PolicyName"]]
        return {}

    def get_email_identity_policies(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            return {"Policies": dict(self.identity(core, ctx).policies)}
