"""Operations made once per kind: inline and attached policies of users, groups and
roles, and tags of users, roles, policies, instance profiles and OIDC providers.

They differ only by parameter names; `install(cls)` adds them to the service class.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...api import RequestContext
from .base import IamBase, limit_exceeded, no_such_entity
from .documents import encode, validate_identity_policy
from .paging import page
from .state import Principal
from .tags import merge_tags

Handler = Callable[[IamBase, RequestContext], dict[str, Any]]
MAX_ATTACHED = 10
INLINE_LIMITS = {"User": 2048, "Group": 5120, "Role": 10240}


def _principal_operations(kind: str) -> dict[str, Handler]:
    key = f"{kind}Name"
    noun = kind.lower()

    def put_policy(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[key])
        document = ctx.params["PolicyDocument"]
        validate_identity_policy(document)
        limit = INLINE_LIMITS[kind]
        if len(re.sub(r"\s", "", document)) > limit:
            raise limit_exceeded(f"Maximum policy size of {limit} bytes exceeded for {noun} {principal.name}")
        principal.inline_policies[ctx.params["PolicyName"]] = document
        return {}

    def _inline(self: IamBase, ctx: RequestContext) -> tuple[Principal, str]:
        principal = self._principal(ctx, kind, ctx.params[key])
        name = ctx.params["PolicyName"]
        if name not in principal.inline_policies:
            raise no_such_entity(f"The {noun} policy with name {name} cannot be found.")
        return principal, name

    def get_policy(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal, name = _inline(self, ctx)
        return {key: principal.name, "PolicyName": name,
                "PolicyDocument": encode(principal.inline_policies[name])}

    def list_policies(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[key])
        return page(sorted(principal.inline_policies), ctx.params, "PolicyNames")

    def delete_policy(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal, name = _inline(self, ctx)
        del principal.inline_policies[name]
        return {}

    def attach_policy(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[key])
        policy = self._policy(ctx, ctx.params["PolicyArn"])
        if policy.arn not in principal.attached_policies:
            if len(principal.attached_policies) >= MAX_ATTACHED:
                raise limit_exceeded(f"Cannot exceed quota for PoliciesPer{kind}: {MAX_ATTACHED}")
            principal.attached_policies.append(policy.arn)
        return {}

    def detach_policy(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[key])
        arn = ctx.params["PolicyArn"]
        if arn not in principal.attached_policies:
            raise no_such_entity(f"Policy {arn} was not found.")
        principal.attached_policies.remove(arn)
        return {}

    def list_attached(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        principal = self._principal(ctx, kind, ctx.params[key])
        prefix = ctx.params.get("PathPrefix") or "/"
        arns = [a for a in principal.attached_policies if self._policy(ctx, a).path.startswith(prefix)]
        return page(self._attached_out(ctx, arns), ctx.params, "AttachedPolicies")

    return {
        f"put_{noun}_policy": put_policy,
        f"get_{noun}_policy": get_policy,
        f"list_{noun}_policies": list_policies,
        f"delete_{noun}_policy": delete_policy,
        f"attach_{noun}_policy": attach_policy,
        f"detach_{noun}_policy": detach_policy,
        f"list_attached_{noun}_policies": list_attached,
    }


def _tag_operations(noun: str, key: str, find: str) -> dict[str, Handler]:
    """Tag/Untag/List...Tags of the entity that the lookup method `find` returns."""
    def tag(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        entity = getattr(self, find)(ctx, ctx.params[key])
        entity.tags = merge_tags(entity.tags, ctx.params["Tags"])
        return {}

    def untag(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        entity = getattr(self, find)(ctx, ctx.params[key])
        drop = {k.lower() for k in ctx.params["TagKeys"]}
        entity.tags = [t for t in entity.tags if t["Key"].lower() not in drop]
        return {}

    def list_tags(self: IamBase, ctx: RequestContext) -> dict[str, Any]:
        entity = getattr(self, find)(ctx, ctx.params[key])
        return page([dict(t) for t in entity.tags], ctx.params, "Tags")

    return {f"tag_{noun}": tag, f"untag_{noun}": untag, f"list_{noun}_tags": list_tags}


def install(service: type[IamBase]) -> None:
    """Add the shared operations to the IAM service class."""
    for kind in ("User", "Group", "Role"):
        for name, fn in _principal_operations(kind).items():
            setattr(service, name, fn)
    for noun, key, find in (
        ("user", "UserName", "_user"),
        ("role", "RoleName", "_role"),
        ("policy", "PolicyArn", "_own_policy"),
        ("instance_profile", "InstanceProfileName", "_profile"),
        ("open_id_connect_provider", "OpenIDConnectProviderArn", "_oidc"),
    ):
        for name, fn in _tag_operations(noun, key, find).items():
            setattr(service, name, fn)
