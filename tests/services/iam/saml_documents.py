"""SAML metadata and responses for the IAM and STS tests (unsigned: the mock does not check signatures)."""

from __future__ import annotations

import base64

IDP = "https://idp.example.com/saml"


def metadata(valid_until: str = "2030-01-01T00:00:00Z") -> str:
    """IdP metadata over the 1,000 characters IAM's model requires."""
    padding = "<md:Organization><md:OrganizationName xml:lang=\"en\">" + "x" * 900 + "</md:OrganizationName></md:Organization>"
    return (f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP}" '
            f'validUntil="{valid_until}"><md:IDPSSODescriptor '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService '
            'Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>'
            f'</md:IDPSSODescriptor>{padding}</md:EntityDescriptor>')


def response(role_arn: str, provider_arn: str, session: str = "alice@example.com", duration: int | None = None,
             not_on_or_after: str = "2099-01-01T00:00:00Z", subject: str = "alice",
             name_format: str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent") -> str:
    """A base64 SAML response granting `role_arn` through `provider_arn`."""
    attributes = [("Role", f"{provider_arn},{role_arn}"), ("RoleSessionName", session)]
    if duration is not None:
        attributes.append(("SessionDuration", str(duration)))
    values = "".join(
        f'<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/{name}">'
        f"<saml:AttributeValue>{value}</saml:AttributeValue></saml:Attribute>" for name, value in attributes)
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1" Version="2.0">'
        f"<saml:Issuer>{IDP}</saml:Issuer>"
        f'<saml:Assertion ID="a1" Version="2.0"><saml:Issuer>{IDP}</saml:Issuer>'
        f'<saml:Subject><saml:NameID Format="{name_format}">{subject}</saml:NameID>'
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{not_on_or_after}" '
        'Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>'
        f'<saml:Conditions NotOnOrAfter="{not_on_or_after}"><saml:AudienceRestriction>'
        "<saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        f"<saml:AttributeStatement>{values}</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()
