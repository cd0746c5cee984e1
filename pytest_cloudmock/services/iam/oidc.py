"""IAM OpenID Connect providers (the identity providers of `AssumeRoleWithWebIdentity`)."""

from __future__ import annotations

import re
from typing import Any

from ...api import AWSError, RequestContext
from .base import IamBase
from .state import OidcProvider, stamp
from .tags import merge_tags

MAX_CLIENT_IDS = 100
MAX_THUMBPRINTS = 5
_THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}$")


def _invalid(message: str) -> AWSError:
    return AWSError("ValidationError", message, 400)


def _check_thumbprints(thumbprints: list[str]) -> list[str]:
    if len(thumbprints) > MAX_THUMBPRINTS:
        raise AWSError("InvalidInput", f"Thumbprint list must contain fewer than {MAX_THUMBPRINTS + 1} entries.", 400)
    for value in thumbprints:
        if not _THUMBPRINT.match(value):
            raise _invalid(
                f"1 validation error detected: Value '{value}' at 'thumbprintList' failed to satisfy "
                "constraint: Member must have length greater than or equal to 40"
            )
    return list(thumbprints)


class OidcProviders(IamBase):
    """The OIDC provider operations of the IAM service."""

    def _oidc(self, ctx: RequestContext, arn: str) -> OidcProvider:
        provider = self._state(ctx).oidc_providers.get(arn)
        if provider is None:
            raise AWSError("NoSuchEntity", f"OpenIDConnect Provider not found for arn {arn}", 404)
        return provider

    def create_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        url = p["Url"]
        if not url.startswith("https://") or len(url) <= len("https://"):
            raise _invalid("Invalid Open ID Connect Provider URL")
        host_path = url[len("https://"):].rstrip("/")
        arn = f"arn:{ctx.partition}:iam::{ctx.account_id}:oidc-provider/{host_path}"
        providers = self._state(ctx).oidc_providers
        if arn in providers:
            raise AWSError("EntityAlreadyExists", f"Provider with url {url} already exists.", 409)
        client_ids = list(dict.fromkeys(p.get("ClientIDList") or []))
        if len(client_ids) > MAX_CLIENT_IDS:
            raise AWSError("LimitExceeded", f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}", 409)
        provider = OidcProvider(arn, host_path, client_ids, _check_thumbprints(p.get("ThumbprintList") or []),
                                tags=merge_tags([], p.get("Tags") or []), created=stamp(ctx.clock))
        providers[arn] = provider
        out: dict[str, Any] = {"OpenIDConnectProviderArn": arn}
        if provider.tags:
            out["Tags"] = [dict(t) for t in provider.tags]
        return out

    def get_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._oidc(ctx, ctx.params["OpenIDConnectProviderArn"])
        out: dict[str, Any] = {"Url": provider.url, "ClientIDList": list(provider.client_ids),
                               "ThumbprintList": list(provider.thumbprints), "CreateDate": provider.created}
        if provider.tags:
            out["Tags"] = [dict(t) for t in provider.tags]
        return out

    def list_open_id_connect_providers(self, ctx: RequestContext) -> dict[str, Any]:
        return {"OpenIDConnectProviderList": [{"Arn": a} for a in sorted(self._state(ctx).oidc_providers)]}

    def delete_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        self._state(ctx).oidc_providers.pop(ctx.params["OpenIDConnectProviderArn"], None)  # idempotent on AWS
        return {}

    def add_client_id_to_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._oidc(ctx, ctx.params["OpenIDConnectProviderArn"])
        if ctx.params["ClientID"] not in provider.client_ids:
            if len(provider.client_ids) >= MAX_CLIENT_IDS:
                raise AWSError("LimitExceeded", f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MAX_CLIENT_IDS}", 409)
            provider.client_ids.append(ctx.params["ClientID"])
        return {}

    def remove_client_id_from_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._oidc(ctx, ctx.params["OpenIDConnectProviderArn"])
        provider.client_ids = [c for c in provider.client_ids if c != ctx.params["ClientID"]]
        return {}

    def update_open_id_connect_provider_thumbprint(self, ctx: RequestContext) -> dict[str, Any]:
        provider = self._oidc(ctx, ctx.params["OpenIDConnectProviderArn"])
        provider.thumbprints = _check_thumbprints(ctx.params["ThumbprintList"])
        return {}
