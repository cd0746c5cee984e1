"""IAM SAML identity providers (the providers `AssumeRoleWithSAML` trusts).

The metadata document must be SAML 2.0 metadata XML with an `EntityDescriptor`;
its `validUntil`, when present, is the provider's `ValidUntil`.
"""

from __future__ import annotations

import secrets
import uuid
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta
from typing import Any

from ...api import RequestContext
from .base import IamBase, already_exists, limit_exceeded, no_such_entity
from .state import SamlProvider, stamp
from .tags import invalid_input, merge_tags, tags_out

MAX_PRIVATE_KEYS = 2
DEFAULT_VALIDITY = timedelta(days=365 * 100)


def _valid_until(document: str, created: datetime) -> datetime:
    """The metadata's `validUntil` (InvalidInput when the document is not SAML metadata)."""
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError:
        raise invalid_input("Could not parse metadata") from None  # AWS's exact wording is not documented
    if not root.tag.endswith("EntityDescriptor") and not root.tag.endswith("EntitiesDescriptor"):
        raise invalid_input("Could not parse metadata")
    valid_until = root.get("validUntil")
    if valid_until:
        try:
            return datetime.fromisoformat(valid_until.replace("Z", "+00:00")).replace(microsecond=0)
        except ValueError:
            raise invalid_input("Could not parse metadata") from None
    return created + DEFAULT_VALIDITY


class SamlProviders(IamBase):
    """Create, read, update, list and delete SAML providers."""

    def _saml(self, ctx: RequestContext, arn: str) -> SamlProvider:
        provider = self._state(ctx).saml_providers.get(arn)
        if provider is None:
            # AWS's exact wording is not documented.
            raise no_such_entity(f"SAMLProvider {arn} does not exist.")
        return provider

    def _add_private_key(self, ctx: RequestContext, provider: SamlProvider, pem: str | None) -> None:
        if pem is None:
            return
        if len(provider.private_keys) >= MAX_PRIVATE_KEYS:
            raise limit_exceeded(f"Cannot exceed quota for PrivateKeysPerSAMLProvider: {MAX_PRIVATE_KEYS}")
        provider.private_keys.append({"KeyId": secrets.token_hex(12).upper(), "Timestamp": stamp(ctx.clock),
                                      "Pem": pem})

    def create_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        arn = self._arn(ctx, "saml-provider/", "", p["Name"])
        providers = self._state(ctx).saml_providers
        if arn in providers:
            raise already_exists(f"SAMLProvider {p['Name']} already exists.")  # exact wording not documented
        created = stamp(ctx.clock)
        provider = SamlProvider(arn, p["SAMLMetadataDocument"], str(uuid.uuid4()), created=created,
                                valid_until=_valid_until(p["SAMLMetadataDocument"], created),
                                encryption_mode=p.get("AssertionEncryptionMode"),
                                tags=merge_tags([], p.get("Tags") or []))
        self._add_private_key(ctx, provider, p.get("AddPrivateKey"))
        providers[arn] = provider
        return {"SAMLProviderArn": arn, **tags_out(provider.tags)}

    def get_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._saml(ctx, ctx.params["SAMLProviderArn"])
        out: dict[str, Any] = {"SAMLProviderUUID": provider.uuid, "SAMLMetadataDocument": provider.metadata,
                               "CreateDate": provider.created, "ValidUntil": provider.valid_until,
                               **tags_out(provider.tags)}
        if provider.encryption_mode:
            out["AssertionEncryptionMode"] = provider.encryption_mode
        if provider.private_keys:
            out["PrivateKeyList"] = [{"KeyId": k["KeyId"], "Timestamp": k["Timestamp"]} for k in provider.private_keys]
        return out

    def list_saml_providers(self, ctx: RequestContext) -> dict[str, Any]:
        providers = sorted(self._state(ctx).saml_providers.values(), key=lambda pr: pr.arn)
        return {"SAMLProviderList": [{"Arn": pr.arn, "ValidUntil": pr.valid_until, "CreateDate": pr.created}
                                     for pr in providers]}

    def update_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        provider = self._saml(ctx, p["SAMLProviderArn"])
        if p.get("SAMLMetadataDocument") is not None:
            provider.valid_until = _valid_until(p["SAMLMetadataDocument"], provider.created)
            provider.metadata = p["SAMLMetadataDocument"]
        if p.get("AssertionEncryptionMode") is not None:
            provider.encryption_mode = p["AssertionEncryptionMode"]
        if p.get("RemovePrivateKey") is not None:
            kept = [k for k in provider.private_keys if k["KeyId"] != p["RemovePrivateKey"]]
            if len(kept) == len(provider.private_keys):
                raise invalid_input(f"Private key {p['RemovePrivateKey']} does not exist.")  # wording not documented
            provider.private_keys = kept
        self._add_private_key(ctx, provider, p.get("AddPrivateKey"))
        return {"SAMLProviderArn": provider.arn}

    def delete_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._saml(ctx, ctx.params["SAMLProviderArn"])
        del self._state(ctx).saml_providers[provider.arn]
        return {}
