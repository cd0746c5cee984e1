"""IAM managed policies and their versions."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from typing import Any

from ...api import RequestContext
from .. import _credentials as creds
from . import aws_managed
from .base import (
    IamBase,
    already_exists,
    check_path,
    delete_conflict,
    limit_exceeded,
    no_such_entity,
    validation_error,
)
from .documents import check_size, validate_identity_policy
from .paging import page, stream_window
from .state import (
    ManagedPolicy,
    PolicyVersion,
    stamp,
)
from .tags import merge_tags

VERSION_ID = re.compile(r"^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$")
MAX_POLICY_VERSIONS = 5


class PolicyOperations(IamBase):
    """Customer managed policies (and reading AWS managed ones)."""

    # -- managed policies ---------------------------------------------------------------------
    def create_policy(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, path, document = p["PolicyName"], check_path(p.get("Path", "/")), p["PolicyDocument"]
        validate_identity_policy(document)
        check_size(document, 6144, "PolicySize")
        state = self._state(ctx)
        if name.lower() in state.policy_names:
            raise already_exists(f"A policy called {name} already exists. Duplicate names are not allowed.")
        policy = ManagedPolicy(
            name, path, creds.unique_id("ANPA"), self._arn(ctx, "policy", path, name),
            description=p.get("Description"), created=stamp(ctx.clock), updated=stamp(ctx.clock),
            versions={"v1": PolicyVersion("v1", document, created=stamp(ctx.clock))},
            next_version=2, tags=merge_tags([], p.get("Tags", [])),
        )
        state.policies[policy.arn] = policy
        state.policy_names[name.lower()] = policy
        return {"Policy": self._policy_out(ctx, policy)}

    def get_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Policy": self._policy_out(ctx, self._policy(ctx, ctx.params["PolicyArn"]))}

    def list_policies(self, ctx: RequestContext) -> dict[str, Any]:
        """Customer and AWS managed policies merged in name order (customer first on a tie, as a
        stable sort of both puts them); only as many read as the page needs."""
        p = ctx.params
        scope = p.get("Scope", "All")
        own: Iterable[ManagedPolicy] = self._state(ctx).policy_names.by_key() if scope in ("All", "Local") else ()
        aws: list[ManagedPolicy] = []
        if scope in ("All", "AWS"):
            aws = sorted((aws_managed.lookup(a) for a in aws_managed.all_arns(ctx.partition)),  # type: ignore[misc]
                         key=lambda pol: pol.name.lower())
        prefix = p.get("PathPrefix") or "/"
        attached = bool(p.get("OnlyAttached"))
        policies = (pol for pol in heapq.merge(own, aws, key=lambda pol: pol.name.lower())
                    if pol.path.startswith(prefix) and (not attached or self._attachment_count(ctx, pol.arn)))
        chunk, fields = stream_window(policies, p, "Policies")
        return {"Policies": [self._policy_out(ctx, pol, tags=False) for pol in chunk], **fields}

    def delete_policy(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._own_policy(ctx, ctx.params["PolicyArn"])
        if self._attachment_count(ctx, policy.arn):
            raise delete_conflict("Cannot delete a policy attached to entities.")
        if len(policy.versions) > 1:
            raise delete_conflict(
                "This policy has more than one version. Before you delete a policy, you must delete "
                "the policy's versions. The default version is deleted with the policy."
            )
        state = self._state(ctx)
        del state.policies[policy.arn]
        del state.policy_names[policy.name.lower()]
        return {}

    def create_policy_version(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        policy = self._own_policy(ctx, p["PolicyArn"])
        document = p["PolicyDocument"]
        validate_identity_policy(document)
        check_size(document, 6144, "PolicySize")
        if len(policy.versions) >= MAX_POLICY_VERSIONS:
            raise limit_exceeded(
                "A managed policy can have up to 5 versions. Before you create a new version, you "
                "must delete an existing version."
            )
        version = PolicyVersion(f"v{policy.next_version}", document, created=stamp(ctx.clock))
        policy.next_version += 1
        policy.versions[version.version_id] = version
        if p.get("SetAsDefault"):
            policy.default_version, policy.updated = version.version_id, stamp(ctx.clock)
        return {"PolicyVersion": self._version_out(policy, version, document=False)}

    def _version(self, ctx: RequestContext, policy: ManagedPolicy, version_id: str) -> PolicyVersion:
        if not VERSION_ID.match(version_id):
            raise validation_error(
                f"1 validation error detected: Value '{version_id}' at 'versionId' failed to satisfy "
                r"constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?"
            )
        version = policy.versions.get(version_id)
        if version is None:
            raise no_such_entity(f"Policy {policy.arn} version {version_id} does not exist or is not attachable.")
        return version

    def get_policy_version(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._policy(ctx, ctx.params["PolicyArn"])
        version = self._version(ctx, policy, ctx.params["VersionId"])
        return {"PolicyVersion": self._version_out(policy, version, document=True)}

    def list_policy_versions(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._policy(ctx, ctx.params["PolicyArn"])
        versions = sorted(policy.versions.values(), key=lambda v: int(v.version_id[1:].split(".")[0]),
                          reverse=True)
        return page([self._version_out(policy, v, document=False) for v in versions], ctx.params, "Versions")

    def delete_policy_version(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._own_policy(ctx, ctx.params["PolicyArn"])
        version = self._version(ctx, policy, ctx.params["VersionId"])
        if version.version_id == policy.default_version:
            raise delete_conflict("Cannot delete the default version of a policy.")
        del policy.versions[version.version_id]
        return {}

    def set_default_policy_version(self, ctx: RequestContext) -> dict[str, Any]:
        policy = self._own_policy(ctx, ctx.params["PolicyArn"])
        version = self._version(ctx, policy, ctx.params["VersionId"])
        policy.default_version, policy.updated = version.version_id, stamp(ctx.clock)
        return {}

    def list_entities_for_policy(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        arn = self._policy(ctx, p["PolicyArn"]).arn
        wanted = p.get("EntityFilter")
        prefix = p.get("PathPrefix") or "/"
        out: dict[str, list[dict[str, str]]] = {"PolicyGroups": [], "PolicyUsers": [], "PolicyRoles": []}
        for kind, principal in self._principals(ctx):
            if arn in principal.attached_policies and wanted in (None, kind) and principal.path.startswith(prefix):
                out[f"Policy{kind}s"].append({f"{kind}Name": principal.name, f"{kind}Id": principal.id})
        for entries in out.values():
            entries.sort(key=lambda e: next(iter(e.values())).lower())
        return {**out, "IsTruncated": False}
