"""Policy simulation, minimal until the policy engine lands: an action on a resource
is `explicitDeny` when a Deny statement matches both by wildcard, `allowed` when an
Allow statement does, else `implicitDeny`. Conditions are not evaluated (their keys
are what `GetContextKeysFor*Policy` report)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import unquote

from ...api import AWSError, RequestContext
from .base import IamBase, no_such_entity
from .documents import statements
from .paging import page
from .state import Principal, User

Source = tuple[str, str, str]  # (policy id, policy source type, document)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _parse(document: str) -> list[dict[str, Any]]:
    try:
        return statements(document)
    except AWSError as err:  # the simulation operations answer InvalidInput for a bad policy
        raise AWSError("InvalidInput", err.message, 400) from None


def _matches(patterns: list[Any], value: str, case: bool) -> bool:
    if not case:
        value = value.lower()
    return any(fnmatchcase(value, p if case else str(p).lower()) for p in patterns)


def statement_matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    """Whether a statement applies to `action` on `resource` (wildcards, no conditions)."""
    if "Action" in statement:
        action_ok = _matches(_as_list(statement["Action"]), action, case=False)
    else:
        action_ok = not _matches(_as_list(statement.get("NotAction", [])), action, case=False)
    if "Resource" in statement:
        resource_ok = _matches(_as_list(statement["Resource"]), resource, case=True)
    elif "NotResource" in statement:
        resource_ok = not _matches(_as_list(statement["NotResource"]), resource, case=True)
    else:
        resource_ok = True
    return action_ok and resource_ok


def evaluate(sources: list[Source], action: str, resource: str) -> dict[str, Any]:
    """One `EvaluationResult`."""
    allowed, denied = [], []
    for policy_id, kind, document in sources:
        for statement in _parse(document):
            if statement_matches(statement, action, resource):
                entry = {"SourcePolicyId": policy_id, "SourcePolicyType": kind}
                (denied if statement["Effect"] == "Deny" else allowed).append(entry)
    decision = "explicitDeny" if denied else "allowed" if allowed else "implicitDeny"
    return {"EvalActionName": action, "EvalResourceName": resource, "EvalDecision": decision,
            "MatchedStatements": denied or allowed, "MissingContextValues": []}


def context_keys(documents: list[str]) -> list[str]:
    keys: set[str] = set()
    for document in documents:
        for statement in _parse(document):
            for operator in (statement.get("Condition") or {}).values():
                keys.update(operator)
    return sorted(keys, key=str.lower)


class SimulationOperations(IamBase):
    """SimulateCustomPolicy, SimulatePrincipalPolicy and the context-key operations."""

    def _principal_sources(self, ctx: RequestContext, arn: str) -> list[Source]:
        resource = arn.split(":", 5)[-1] if arn.count(":") >= 5 else ""
        kind, _, name = resource.partition("/")
        name = name.rsplit("/", 1)[-1]
        state = self._state(ctx)
        table = {"user": state.users, "group": state.groups, "role": state.roles}.get(kind)
        principal: Principal | None = table.get(name.lower()) if table is not None else None
        if principal is None or principal.arn != arn:
            raise no_such_entity(f"The {kind or 'entity'} with name {name or arn} cannot be found.")
        principals: list[tuple[str, Principal]] = [(kind, principal)]
        if isinstance(principal, User):
            principals += [("group", g) for g in state.groups.values() if principal.name.lower() in g.members]
        sources: list[Source] = []
        for source_kind, entity in principals:
            sources += [(policy_name, source_kind, document) for policy_name, document in entity.inline_policies.items()]
            for policy_arn in entity.attached_policies:
                policy = self._policy(ctx, policy_arn)
                managed = "aws-managed" if ":iam::aws:policy" in policy_arn else "user-managed"
                sources.append((policy.name, managed, policy.versions[policy.default_version].document))
        return sources

    @staticmethod
    def _inputs(ctx: RequestContext) -> list[Source]:
        return [(f"PolicyInputList.{i}", "IAM Policy", unquote(d))
                for i, d in enumerate(ctx.params.get("PolicyInputList") or [], 1)]

    def _simulate(self, ctx: RequestContext, sources: list[Source]) -> dict[str, Any]:
        resources = ctx.params.get("ResourceArns") or ["*"]
        results = [evaluate(sources, action, resource)
                   for action in ctx.params["ActionNames"] for resource in resources]
        return page(results, ctx.params, "EvaluationResults")

    def simulate_custom_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._simulate(ctx, self._inputs(ctx))

    def simulate_principal_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return self._simulate(ctx, self._principal_sources(ctx, ctx.params["PolicySourceArn"]) + self._inputs(ctx))

    def get_context_keys_for_custom_policy(self, ctx: RequestContext) -> dict[str, Any]:
        return {"ContextKeyNames": context_keys([d for _, _, d in self._inputs(ctx)])}

    def get_context_keys_for_principal_policy(self, ctx: RequestContext) -> dict[str, Any]:
        sources = self._principal_sources(ctx, ctx.params["PolicySourceArn"]) + self._inputs(ctx)
        return {"ContextKeyNames": context_keys([d for _, _, d in sources])}
