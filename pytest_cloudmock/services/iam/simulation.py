"""Policy simulation, answered by the same engine that enforces policies
(`pytest_cloudmock.iam_policy`): identity policies (the principal's, its groups', and
`PolicyInputList`), permissions boundaries (the principal's or
`PermissionsBoundaryPolicyInputList`), the `ResourcePolicy` with `ResourceOwner` and
`CallerArn` (cross-account when the owner is another account), and `ContextEntries`.

Each result names the statements that decided it (`MatchedStatements`), the condition keys
the context lacked (`MissingContextValues`), and the boundary's say.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from ...api import AWSError, RequestContext
from ...iam_policy import context as context_keys
from ...iam_policy.evaluation import (
    Decision,
    Principal,
    Request,
    evaluate,
    matching,
    principal_strength,
)
from ...iam_policy.policy import BOUNDARY, IDENTITY, RESOURCE, Policy, PolicySyntaxError, parse
from .base import IamBase, no_such_entity
from .documents import statements
from .paging import page
from .state import Principal as IamPrincipal
from .state import User


def _parse(document: str, kind: str, policy_id: str, source_type: str, arn: str = "") -> Policy:
    try:
        statements(document)  # IAM's own checks first, in its words
        return parse(document, kind, policy_id, arn, source_type)
    except (AWSError, PolicySyntaxError) as err:  # the simulation operations answer InvalidInput
        raise AWSError("InvalidInput", getattr(err, "message", str(err)), 400) from None


def context_keys_of(policies: list[Policy]) -> list[str]:
    keys = {key for p in policies for s in p.statements for entries in s.conditions.values() for key in entries}
    return sorted(keys, key=str.lower)


def _line_column(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset) + 1
    return {"Line": line, "Column": offset - (text.rfind("\n", 0, offset) + 1) + 1}


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each statement object in a policy's text."""
    decoder = json.JSONDecoder()
    key = text.find('"Statement"')
    if key < 0:
        return []
    at = text.index(":", key) + 1
    while text[at].isspace():
        at += 1
    if text[at] == "{":
        return [(at, decoder.raw_decode(text, at)[1])]
    spans, at = [], at + 1
    while at < len(text):
        while text[at] in " \t\r\n,":
            at += 1
        if text[at] != "{":
            break
        end = decoder.raw_decode(text, at)[1]
        spans.append((at, end))
        at = end
    return spans


def _position(policy: Policy, index: int) -> dict[str, Any]:
    """Where a statement starts and ends in its document (1-based line and column)."""
    try:
        start, end = _spans(policy.text)[index]
    except (IndexError, ValueError):
        return {}
    return {"StartPosition": _line_column(policy.text, start), "EndPosition": _line_column(policy.text, end)}


def _missing(policies: list[Policy], request: Request) -> list[str]:
    keys = {key for p, s in matching_ignoring_conditions(policies, request)
            for entries in s.conditions.values() for key in entries}
    return sorted((k for k in keys if request.lookup(k) is None), key=str.lower)


def matching_ignoring_conditions(policies: list[Policy], request: Request) -> list[tuple[Policy, Any]]:
    return [(p, s) for p in policies for s in p.statements
            if s.matches_action(request.action) and s.matches_resource(request.resource, request.lookup)]


def _layer(hits: list[tuple[Policy, Any]]) -> str:
    if any(not s.allows for _, s in hits):
        return "explicitDeny"
    return "allowed" if hits else "implicitDeny"


def result(principal: Principal, request: Request, decision: Decision) -> dict[str, Any]:
    """One `EvaluationResult`."""
    relevant = [m for m in decision.matched if (m[1].allows == decision.allowed)] or decision.matched
    policies = [*principal.identity_policies, *([principal.boundary] if principal.boundary else [])]
    out: dict[str, Any] = {
        "EvalActionName": request.action,
        "EvalResourceName": request.resource,
        "EvalDecision": decision.decision,
        "MatchedStatements": [{"SourcePolicyId": p.id, "SourcePolicyType": p.source_type or "none",
                               **_position(p, s.index)} for p, s in relevant],
        "MissingContextValues": _missing(policies, request),
    }
    if request.resource != "*" or request.resource_policy is not None:
        # AWS fills the details for cross-account simulations (empty within one account); the
        # key names are our reading of its examples.
        out["EvalDecisionDetails"] = {}
        if decision.cross_account and request.resource_policy is not None:
            hits = [s for _, s in matching([request.resource_policy], request) if principal_strength(s, principal)]
            out["EvalDecisionDetails"] = {
                "IAM Policy": _layer(matching(principal.identity_policies, request)),
                "Resource Policy": _layer([(request.resource_policy, s) for s in hits]),
            }
    if principal.boundary is not None:
        out["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": bool(decision.boundary_allowed)}
    return out


class SimulationOperations(IamBase):
    """SimulateCustomPolicy, SimulatePrincipalPolicy and the context-key operations."""

    def _entity(self, ctx: RequestContext, arn: str) -> tuple[str, IamPrincipal]:
        resource = arn.split(":", 5)[-1] if arn.count(":") >= 5 else ""
        kind, _, name = resource.partition("/")
        name = name.rsplit("/", 1)[-1]
        state = self._state(ctx)
        table = {"user": state.users, "group": state.groups, "role": state.roles}.get(kind)
        principal: IamPrincipal | None = table.get(name.lower()) if table is not None else None
        if principal is None or principal.arn != arn:
            raise no_such_entity(f"The {kind or 'entity'} with name {name or arn} cannot be found.")
        return kind, principal

    def _own_policies(self, ctx: RequestContext, kind: str, entity: IamPrincipal) -> list[Policy]:
        state = self._state(ctx)
        holders: list[tuple[str, IamPrincipal]] = [(kind, entity)]
        if isinstance(entity, User):
            holders += [("group", g) for g in state.groups.values() if entity.name.lower() in g.members]
        found: list[Policy] = []
        for source_kind, holder in holders:
            found += [_parse(d, IDENTITY, name, source_kind) for name, d in holder.inline_policies.items()]
            for policy_arn in holder.attached_policies:
                policy = self._policy(ctx, policy_arn)
                managed = "aws-managed" if ":iam::aws:policy" in policy_arn else "user-managed"
                found.append(_parse(policy.versions[policy.default_version].document, IDENTITY, policy.name,
                                    managed, policy_arn))
        return found

    def _boundary(self, ctx: RequestContext, entity: IamPrincipal | None) -> Policy | None:
        inputs = ctx.params.get("PermissionsBoundaryPolicyInputList") or []
        if inputs:
            return _parse(unquote(inputs[0]), BOUNDARY, "PermissionsBoundaryPolicyInputList.1", "IAM Policy")
        arn = getattr(entity, "permissions_boundary", None)
        if not arn:
            return None
        policy = self._policy(ctx, arn)
        return _parse(policy.versions[policy.default_version].document, BOUNDARY, policy.name,
                      "aws-managed" if ":iam::aws:policy" in arn else "user-managed", arn)

    @staticmethod
    def _inputs(ctx: RequestContext) -> list[Policy]:
        return [_parse(unquote(d), IDENTITY, f"PolicyInputList.{i}", "IAM Policy")
                for i, d in enumerate(ctx.params.get("PolicyInputList") or [], 1)]

    def _simulate(self, ctx: RequestContext, principal: Principal) -> dict[str, Any]:
        p = ctx.params
        lookup = context_keys.from_entries(p.get("ContextEntries") or [])
        resource_policy = None
        if p.get("ResourcePolicy"):
            resource_policy = _parse(unquote(p["ResourcePolicy"]), RESOURCE, "ResourcePolicy", "resource")
        owner = p.get("ResourceOwner")
        owner_account = owner.split(":")[4] if owner and owner.count(":") >= 5 else None
        results = []
        for action in p["ActionNames"]:
            for resource in p.get("ResourceArns") or ["*"]:
                request = Request(action, resource, lookup, owner_account, resource_policy)
                results.append(result(principal, request, evaluate(principal, request)))
        return page(results, p, "EvaluationResults")

    def _caller(self, ctx: RequestContext, default_arn: str, kind: str = "user") -> tuple[str, str, str]:
        """(arn, account, role arn) of the simulated caller (`CallerArn` when given)."""
        arn = ctx.params.get("CallerArn") or default_arn
        account = arn.split(":")[4] if arn.count(":") >= 5 and arn.split(":")[4] else ctx.account_id
        role_arn = arn if ":role/" in arn else ""
        return arn, account, role_arn

    def simulate_custom_policy(self, ctx: RequestContext) -> dict[str, Any]:
        arn, account, role_arn = self._caller(ctx, f"arn:{ctx.partition}:iam::{ctx.account_id}:user/simulated")
        principal = Principal(arn, account, "user", role_arn=role_arn, identity_policies=tuple(self._inputs(ctx)),
                              boundary=self._boundary(ctx, None))
        return self._simulate(ctx, principal)

    def simulate_principal_policy(self, ctx: RequestContext) -> dict[str, Any]:
        kind, entity = self._entity(ctx, ctx.params["PolicySourceArn"])
        arn, account, role_arn = self._caller(ctx, entity.arn)
        policies = self._own_policies(ctx, kind, entity) + self._inputs(ctx)
        principal = Principal(arn, account, "user", role_arn=role_arn, identity_policies=tuple(policies),
                              boundary=self._boundary(ctx, entity))
        return self._simulate(ctx, principal)

    def get_context_keys_for_custom_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return {"ContextKeyNames": context_keys_of(self._inputs(ctx))}

    def get_context_keys_for_principal_policy(self, ctx: RequestContext) -> dict[str, Any]:
        kind, entity = self._entity(ctx, ctx.params["PolicySourceArn"])
        return {"ContextKeyNames": context_keys_of(self._own_policies(ctx, kind, entity) + self._inputs(ctx))}
