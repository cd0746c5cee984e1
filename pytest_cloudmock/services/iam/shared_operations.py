"""Operations that differ only by the kind of entity they act on: inline and attached
policies of users, groups and roles, and the tags of users, roles, policies, instance
profiles, OIDC and SAML providers, virtual MFA devices and server certificates.

Each operation is a named method (findable, one line) over one shared implementation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...api import RequestContext
from .base import IamBase, count_use, limit_exceeded, no_such_entity
from .certificates import CertificateOperations
from .documents import encode, validate_identity_policy
from .mfa import MfaOperations
from .oidc import OidcProviders
from .paging import page
from .saml import SamlProviders
from .state import Principal
from .tags import merge_tags

MAX_ATTACHED = 10
INLINE_LIMITS = {"User": 2048, "Group": 5120, "Role": 10240}


class PrincipalPolicyOperations(IamBase):
    """Inline and attached policies of users, groups and roles."""

    def _put_inline(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        document = ctx.params["PolicyDocument"]
        validate_identity_policy(document)
        limit = INLINE_LIMITS[kind]
        if len(re.sub(r"\s", "", document)) > limit:
            raise limit_exceeded(
                f"Maximum policy size of {limit} bytes exceeded for {kind.lower()} {principal.name}"
            )
        principal.inline_policies[ctx.params["PolicyName"]] = document
        return {}

    def _inline(self, ctx: RequestContext, kind: str) -> tuple[Principal, str]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        name = ctx.params["PolicyName"]
        if name not in principal.inline_policies:
            raise no_such_entity(f"The {kind.lower()} policy with name {name} cannot be found.")
        return principal, name

    def _get_inline(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal, name = self._inline(ctx, kind)
        return {f"{kind}Name": principal.name, "PolicyName": name,
                "PolicyDocument": encode(principal.inline_policies[name])}

    def _list_inline(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        return page(sorted(principal.inline_policies), ctx.params, "PolicyNames")

    def _delete_inline(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal, name = self._inline(ctx, kind)
        del principal.inline_policies[name]
        return {}

    def _attach(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        policy = self._policy(ctx, ctx.params["PolicyArn"])
        if policy.arn not in principal.attached_policies:
            if len(principal.attached_policies) >= MAX_ATTACHED:
                raise limit_exceeded(f"Cannot exceed quota for PoliciesPer{kind}: {MAX_ATTACHED}")
            principal.attached_policies.append(policy.arn)
            count_use(self._state(ctx).attachment_counts, policy.arn, +1)
        return {}

    def _detach(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        arn = ctx.params["PolicyArn"]
        if arn not in principal.attached_policies:
            raise no_such_entity(f"Policy {arn} was not found.")
        principal.attached_policies.remove(arn)
        count_use(self._state(ctx).attachment_counts, arn, -1)
        return {}

    def _list_attached(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[f"{kind}Name"])
        prefix = ctx.params.get("PathPrefix") or "/"
        arns = [a for a in principal.attached_policies if self._policy(ctx, a).path.startswith(prefix)]
        return page(self._attached_out(ctx, arns), ctx.params, "AttachedPolicies")

    def put_user_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put_inline(ctx, "User")

    def put_group_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put_inline(ctx, "Group")

    def put_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put_inline(ctx, "Role")

    def get_user_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._get_inline(ctx, "User")

    def get_group_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._get_inline(ctx, "Group")

    def get_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._get_inline(ctx, "Role")

    def list_user_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_inline(ctx, "User")

    def list_group_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_inline(ctx, "Group")

    def list_role_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_inline(ctx, "Role")

    def delete_user_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._delete_inline(ctx, "User")

    def delete_group_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._delete_inline(ctx, "Group")

    def delete_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._delete_inline(ctx, "Role")

    def attach_user_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._attach(ctx, "User")

    def attach_group_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._attach(ctx, "Group")

    def attach_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._attach(ctx, "Role")

    def detach_user_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._detach(ctx, "User")

    def detach_group_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._detach(ctx, "Group")

    def detach_role_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._detach(ctx, "Role")

    def list_attached_user_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_attached(ctx, "User")

    def list_attached_group_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_attached(ctx, "Group")

    def list_attached_role_policies(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_attached(ctx, "Role")


Finder = Callable[[RequestContext, str], Any]


class TagOperations(OidcProviders, SamlProviders, MfaOperations, CertificateOperations):
    """Tag/Untag/List...Tags of every taggable entity, each through its own lookup."""

    def _tag(self, ctx: RequestContext, find: Finder, key: str) -> dict[str, Any]:
        entity = find(ctx, ctx.params[key])
        entity.tags = merge_tags(entity.tags, ctx.params["Tags"])
        return {}

    def _untag(self, ctx: RequestContext, find: Finder, key: str) -> dict[str, Any]:
        entity = find(ctx, ctx.params[key])
        drop = {k.lower() for k in ctx.params["TagKeys"]}
        entity.tags = [t for t in entity.tags if t["Key"].lower() not in drop]
        return {}

    def _list_tags(self, ctx: RequestContext, find: Finder, key: str) -> dict[str, Any]:
        entity = find(ctx, ctx.params[key])
        return page([dict(t) for t in entity.tags], ctx.params, "Tags")

    def tag_user(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._user, "UserName")

    def untag_user(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._user, "UserName")

    def list_user_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._user, "UserName")

    def tag_role(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._role, "RoleName")

    def untag_role(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._role, "RoleName")

    def list_role_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._role, "RoleName")

    def tag_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._own_policy, "PolicyArn")

    def untag_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._own_policy, "PolicyArn")

    def list_policy_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._own_policy, "PolicyArn")

    def tag_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._profile, "InstanceProfileName")

    def untag_instance_profile(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._profile, "InstanceProfileName")

    def list_instance_profile_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._profile, "InstanceProfileName")

    def tag_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._oidc, "OpenIDConnectProviderArn")

    def untag_open_id_connect_provider(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._oidc, "OpenIDConnectProviderArn")

    def list_open_id_connect_provider_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._oidc, "OpenIDConnectProviderArn")

    def tag_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._saml, "SAMLProviderArn")

    def untag_saml_provider(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._saml, "SAMLProviderArn")

    def list_saml_provider_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._saml, "SAMLProviderArn")

    def tag_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._mfa, "SerialNumber")

    def untag_mfa_device(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._mfa, "SerialNumber")

    def list_mfa_device_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._mfa, "SerialNumber")

    def tag_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        return self._tag(ctx, self._server_certificate, "ServerCertificateName")

    def untag_server_certificate(self, ctx: RequestContext) -> dict[str, Any]:
        return self._untag(ctx, self._server_certificate, "ServerCertificateName")

    def list_server_certificate_tags(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list_tags(ctx, self._server_certificate, "ServerCertificateName")
