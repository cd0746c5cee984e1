"""Model-driven request validation: the gateway's step between parse and the service.

`validate(params, operation, protocol, policy)` walks the operation's input shape
and raises the protocol family's `AWSError` (see `errors`) for missing required
members, enum values, string/blob lengths, numeric ranges, list and map sizes,
`pattern`s and values of the wrong type. The checks are compiled once per
operation and set of skipped checks (`plan`), so a request pays only for the
members that carry a constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.model import OperationModel

from .errors import error_for, family_code
from .plan import Compiler, Violation, Walk

CHECKS = frozenset({"required", "enum", "length", "range", "pattern", "type"})
_PLANS = "_cloudmock_validation"


@dataclass(frozen=True)
class ValidationPolicy:
    """How a service wants its requests validated.

    `error_code`: the service's own code instead of the family's (`MissingParameter`
    selects the EC2/SQS style: `MissingParameter` for a missing member,
    `InvalidParameterValue` for a bad value). `skip`: checks the service does itself,
    out of `CHECKS`. `enabled`: False leaves validation to the service entirely.
    """

    error_code: str | None = None
    skip: frozenset[str] = frozenset()
    enabled: bool = True


DEFAULT_POLICY = ValidationPolicy()


@dataclass(frozen=True)
class Plan:
    """One operation's compiled checks and the code its failures answer with."""

    walk: Walk | None
    code_by_protocol: dict[str, str]

    def code(self, operation: OperationModel, protocol: str) -> str:
        code = self.code_by_protocol.get(protocol)
        if code is None:
            code = self.code_by_protocol[protocol] = family_code(operation, protocol)
        return code


def plan_for(operation: OperationModel, skip: frozenset[str] = frozenset()) -> Plan:
    """The compiled plan of an operation (cached on the operation model)."""
    plans: dict[frozenset[str], Plan] | None = operation.__dict__.get(_PLANS)
    if plans is None:
        plans = operation.__dict__.setdefault(_PLANS, {})
    plan = plans.get(skip)
    if plan is None:
        shape = operation.input_shape
        node = Compiler(skip).node(shape) if shape is not None else None
        plan = plans[skip] = Plan(getattr(node, "walk", None), {})
    return plan


def violations(params: dict[str, Any], operation: OperationModel, skip: frozenset[str] = frozenset()) -> list[Violation]:
    """Everything wrong with `params` for `operation`, in the order found."""
    walk = plan_for(operation, skip).walk
    out: list[Violation] = []
    if walk is not None:
        walk(params, None, out)
    return out


def validate(
    params: dict[str, Any],
    operation: OperationModel | None,
    protocol: str,
    policy: ValidationPolicy = DEFAULT_POLICY,
) -> None:
    """Raise the protocol family's `AWSError` if `params` break the operation's model."""
    if not policy.enabled or operation is None:
        return
    plan = plan_for(operation, policy.skip)
    if plan.walk is None:
        return
    out: list[Violation] = []
    plan.walk(params, None, out)
    if out:
        raise error_for(out, policy.error_code or plan.code(operation, protocol), protocol)


__all__ = ["CHECKS", "DEFAULT_POLICY", "ValidationPolicy", "plan_for", "validate", "violations"]
