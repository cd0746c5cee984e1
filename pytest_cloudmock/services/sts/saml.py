"""SAML 2.0 responses as `AssumeRoleWithSAML` reads them (the signature is not checked).

From the base64 `SAMLResponse`: the issuer, the subject `NameID` and its format,
the recipient AWS reports as `Audience`, the assertion's `NotOnOrAfter`, and the
attributes AWS reads: `.../Attributes/Role` (`role ARN,provider ARN` pairs, in
either order), `.../Attributes/RoleSessionName` and `.../Attributes/SessionDuration`.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import datetime

from ...api import AWSError

ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/"
_NS = {"saml": "urn:oasis:names:tc:SAML:2.0:assertion", "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}
_FORMATS = {
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent": "persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient": "transient",
}


@dataclass
class Assertion:
    issuer: str
    subject: str
    subject_type: str
    audience: str
    not_on_or_after: datetime | None
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def roles(self) -> list[tuple[str, str]]:
        """(role ARN, provider ARN) pairs of the Role attribute."""
        pairs = []
        for value in self.attributes.get(ATTRIBUTES + "Role", []):
            parts = [p.strip() for p in value.split(",")]
            if len(parts) == 2:
                role, provider = sorted(parts, key=lambda p: ":saml-provider/" in p)
                pairs.append((role, provider))
        return pairs

    def single(self, name: str) -> str | None:
        values = self.attributes.get(ATTRIBUTES + name)
        return values[0] if values else None


def invalid_assertion(detail: str) -> AWSError:
    # AWS's exact wordings for malformed responses are not documented.
    return AWSError("InvalidIdentityToken", detail, 400)


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_assertion(f"Invalid time in SAML assertion: {value}") from None


def parse(encoded: str) -> Assertion:
    """The assertion of a base64 SAML response."""
    try:
        root = ElementTree.fromstring(base64.b64decode(encoded, validate=False))
    except (binascii.Error, ElementTree.ParseError, ValueError):
        raise invalid_assertion("Invalid SAML response: it is not base64-encoded SAML XML.") from None
    assertion = root if root.tag.endswith("}Assertion") else root.find("saml:Assertion", _NS)
    if assertion is None:
        raise invalid_assertion("Invalid SAML response: no Assertion.")
    name_id = assertion.find("saml:Subject/saml:NameID", _NS)
    if name_id is None or not (name_id.text or "").strip():
        raise invalid_assertion("Invalid SAML response: no Subject NameID.")
    fmt = name_id.get("Format", "urn:oasis:names:tc:SAML:2.0:nameid-format:transient")
    confirmation = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", _NS)
    audience = (confirmation.get("Recipient") if confirmation is not None else None) or (
        assertion.findtext("saml:Conditions/saml:AudienceRestriction/saml:Audience", "", _NS))
    conditions = assertion.find("saml:Conditions", _NS)
    attributes: dict[str, list[str]] = {}
    for attribute in assertion.iterfind("saml:AttributeStatement/saml:Attribute", _NS):
        values = [(v.text or "").strip() for v in attribute.iterfind("saml:AttributeValue", _NS)]
        attributes.setdefault(attribute.get("Name", ""), []).extend(values)
    issuer = (assertion.findtext("saml:Issuer", "", _NS) or root.findtext("saml:Issuer", "", _NS)).strip()
    return Assertion(
        issuer=issuer, subject=name_id.text.strip(), subject_type=_FORMATS.get(fmt, fmt), audience=audience.strip(),
        not_on_or_after=_time(conditions.get("NotOnOrAfter") if conditions is not None else None),
        attributes=attributes,
    )
