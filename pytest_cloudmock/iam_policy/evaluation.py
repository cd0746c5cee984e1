"""The policy evaluation logic as the IAM User Guide documents it ("Policy evaluation
logic", its flow chart and "Cross-account policy evaluation logic"):

1. an explicit `Deny` in any applicable policy (SCP, resource-based, identity-based,
   permissions boundary, session policy) denies;
2. the account's service control policies (when an organization applies any) must allow;
3. same account: a resource-based policy that allows the user or role session ARN itself
   (or `*`) allows, whatever the identity side says; one that names the role ARN counts as
   an identity allow (boundaries and session policies still limit it);
4. an identity-based policy must allow (the account root is allowed everything);
5. a permissions boundary, when set, must allow;
6. session policies, when the session has any, must allow;
7. cross-account: the identity side (4-6) and the resource-based policy must both allow;
8. a service principal (`sns.amazonaws.com` delivering) is allowed by resource policies only.

`evaluate` is pure: the principal's policies and the request (action, resource, context
lookup, resource policy) in, a `Decision` out. Enforcement and the simulator both call it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .conditions import conditions_hold
from .policy import BOUNDARY, IDENTITY, RESOURCE, SCP, SESSION, Policy, Statement

Lookup = Callable[[str], "list[str] | None"]

ALLOWED = "allowed"
EXPLICIT_DENY = "explicitDeny"
IMPLICIT_DENY = "implicitDeny"

# principal-match strengths of a resource-based policy statement
EXACT = 3  # `*`, the user's ARN, the role session's ARN, the root of a root caller
ROLE = 2  # the role whose session is asking
ACCOUNT = 1  # the principal's account (delegates to the account's own policies)


@dataclass(frozen=True)
class Principal:
    """Who asks, and every policy that applies to them."""

    arn: str
    account: str
    kind: str = "user"  # root, user, role-session, federated-user, service
    role_arn: str = ""  # a role session's role
    service: str = ""  # a service principal (`sns.amazonaws.com`)
    identity_policies: tuple[Policy, ...] = ()
    boundary: Policy | None = None
    session_policies: tuple[Policy, ...] | None = None  # None: no session policy was passed
    scps: tuple[Policy, ...] | None = None  # None: no organization policy applies

    @property
    def is_root(self) -> bool:
        return self.kind == "root"


@dataclass(frozen=True)
class Request:
    """What is asked: one action on one resource, with its context keys."""

    action: str
    resource: str
    lookup: Lookup
    resource_account: str | None = None  # None: the principal's own account
    resource_policy: Policy | None = None
    resource_required: bool = False  # the resource policy must allow in the same account too (KMS, trust)


@dataclass
class Decision:
    """The outcome, and why: `denied_by` names the policy type that decided a denial."""

    decision: str
    denied_by: str = ""  # identity, resource, boundary, session, scp
    matched: list[tuple[Policy, Statement]] = field(default_factory=list)
    boundary_allowed: bool | None = None
    cross_account: bool = False

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


def principal_strength(statement: Statement, principal: Principal) -> int:
    """How a resource-based policy statement's `Principal` names the caller (0: not at all)."""
    if statement.principals is not None:
        return _named(statement.principals, principal)
    if statement.not_principals is not None:
        return 0 if _named(statement.not_principals, principal) else EXACT
    return EXACT  # an identity-style statement in a resource policy (IAM rejects these)


def _named(principals: dict[str, tuple[str, ...]], principal: Principal) -> int:
    best = 0
    for kind, names in principals.items():
        if kind == "Service":
            if principal.service and any(_same_service(name, principal.service) for name in names):
                return EXACT
            continue
        if kind != "AWS":
            continue
        for name in names:
            if name == "*" or name == principal.arn:
                return EXACT
            if principal.role_arn and name == principal.role_arn:
                best = max(best, ROLE)
            elif name == principal.account or name == f"arn:aws:iam::{principal.account}:root" or (
                name.endswith(f":iam::{principal.account}:root")
            ):
                best = max(best, EXACT if principal.is_root else ACCOUNT)
    return best


def _same_service(name: str, service: str) -> bool:
    """A `Service` principal names `service` globally (`states.amazonaws.com`) or in a region
    (`states.us-east-1.amazonaws.com`)."""
    if name == service:
        return True
    prefix, _, suffix = service.partition(".")
    head, _, rest = name.partition(".")
    return head == prefix and rest.endswith("." + suffix) and rest.count(".") == suffix.count(".") + 1


@lru_cache(maxsize=8192)
def _by_action(policies: tuple[Policy, ...], action: str) -> tuple[tuple[Policy, Statement], ...]:
    """The statements whose Action/NotAction covers `action` (policies are parsed once and
    cached, so the same tuple comes back request after request)."""
    return tuple((p, s) for p in policies for s in p.statements if s.matches_action(action))


def matching(policies: Sequence[Policy], request: Request) -> list[tuple[Policy, Statement]]:
    """The statements of `policies` that apply to the request (principal not considered)."""
    if not policies:
        return []
    lookup = request.lookup
    return [
        (p, s) for p, s in _by_action(tuple(policies), request.action)
        if s.matches_resource(request.resource, lookup)
        and (not s.conditions or conditions_hold(s.compiled, lookup))
    ]


def evaluate(principal: Principal, request: Request) -> Decision:
    """Allow or deny `request` by `principal`, as AWS would."""
    resource_policies = (request.resource_policy,) if request.resource_policy is not None else ()
    layers: list[tuple[str, list[tuple[Policy, Statement]]]] = [
        (SCP, matching(principal.scps or (), request)),
        (RESOURCE, [(p, s) for p, s in matching(resource_policies, request) if principal_strength(s, principal)]),
        (IDENTITY, [] if principal.is_root else matching(principal.identity_policies, request)),
        (BOUNDARY, matching((principal.boundary,), request) if principal.boundary is not None else []),
        (SESSION, matching(principal.session_policies or (), request)),
    ]
    cross = request.resource_account is not None and request.resource_account != principal.account
    allows: dict[str, list[tuple[Policy, Statement]]] = {}
    matched: list[tuple[Policy, Statement]] = []
    for kind, hits in layers:  # one pass: the first layer holding a Deny decides
        if not hits:
            allows[kind] = hits
            continue
        denies = [(p, s) for p, s in hits if not s.allows]
        if denies:
            return Decision(EXPLICIT_DENY, kind, denies, cross_account=cross)
        allows[kind] = hits
        matched += hits

    def deny(kind: str) -> Decision:
        return Decision(IMPLICIT_DENY, kind, matched, cross_account=cross,
                        boundary_allowed=bool(allows[BOUNDARY]) if principal.boundary is not None else None)

    if principal.scps is not None and not allows[SCP]:
        return deny(SCP)
    strength = max((principal_strength(s, principal) for _, s in allows[RESOURCE]), default=0)
    if principal.kind == "service":  # a service principal has no policies of its own
        return Decision(ALLOWED, matched=matched) if strength else deny(RESOURCE)
    if request.resource_required and not strength:
        return deny(RESOURCE)
    identity_allowed = principal.is_root or bool(allows[IDENTITY])
    boundary_ok = principal.boundary is None or bool(allows[BOUNDARY])
    session_ok = principal.session_policies is None or bool(allows[SESSION])
    if not cross and strength == EXACT and not principal.is_root:
        return Decision(ALLOWED, matched=matched, boundary_allowed=boundary_ok if principal.boundary else None)
    if not identity_allowed and not (not cross and strength == ROLE):
        return deny(IDENTITY)
    if not boundary_ok:
        return deny(BOUNDARY)
    if not session_ok:
        return deny(SESSION)
    if cross and not strength:
        return deny(RESOURCE)
    return Decision(ALLOWED, matched=matched, cross_account=cross,
                    boundary_allowed=True if principal.boundary is not None else None)
