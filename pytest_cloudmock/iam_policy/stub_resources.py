"""The resources a stub catalog operation acts on, from its entry: the resource type the
operation serves, the identifier the request names (where the engine's plan finds it), and
the type's `arn:` template (docs/stubs.md).

- an identifier that is an ARN is the resource;
- else the type's template is filled with the request's partition, region, account, `id` and
  the request's other members (a template naming a member the request lacks, or a generated
  one such as `{uuid}`, cannot be filled: `*`);
- `{parent}` is the parent's identifier the request names (an ECS service's cluster); a type
  without a template is authorized on its parent's ARN (an ECR image on its repository, as
  ECR's actions are);
- a list of identifiers (a batch) is one resource each; tagging operations name the ARN.

Anything else (lists, creates whose identifier is made by the service, account settings) is
`*`, as before.
"""

from __future__ import annotations

import re
from typing import Any

from ..stubs.entry import LIST, TAG_KINDS
from .resources import Checks, Where

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::\d+)?\}")
_GENERATED = {"uuid", "hex", "alnum", "upper", "digits"}
_ARN_MEMBERS = ("ResourceArn", "resourceArn", "ResourceARN", "resourceARN", "Arn", "arn")
ANY: Checks = [("", "*")]


def stub_checks(service: Any, operation: str, params: dict[str, Any], where: Where) -> Checks:
    """`[(action, arn), ...]` for a stub's operation (`*` where the entry cannot tell)."""
    try:
        plan = service.plan(operation)
    except (KeyError, AttributeError, TypeError, ValueError):
        return ANY
    if plan.kind in TAG_KINDS:
        arn = next((params[m] for m in _ARN_MEMBERS if str(params.get(m)).startswith("arn:")), None)
        return [("", arn)] if arn else ANY
    rtype = plan.rtype
    if rtype is None:
        return ANY
    parent = _parent(service, rtype, params, where)
    if not rtype.arn:  # authorized on its parent (an ECR image on its repository), when named
        return [("", parent[1])] if parent and parent[1] != "*" else ANY
    if plan.kind == LIST or not plan.id_path:
        return ANY
    value: Any = params
    for step in plan.id_path:
        value = value.get(step) if isinstance(value, dict) else None
    values = value if isinstance(value, list) else [value]
    extra = {"parent": parent[0]} if parent else {}
    arns = [v if v.startswith("arn:") else _fill(rtype.arn, v, {**params, **extra}, where)
            for v in values if isinstance(v, str) and v]
    return [("", a) for a in arns] if arns and "*" not in arns else ANY


def _parent(service: Any, rtype: Any, params: dict[str, Any], where: Where) -> tuple[str, str] | None:
    """The parent the request names: (its identifier, its ARN or `*`); None when it names none."""
    ident = params.get(rtype.parent_id) if rtype.parent and rtype.parent_id else None
    if not isinstance(ident, str) or not ident:
        return None
    if ident.startswith("arn:"):
        return ident.rsplit("/", 1)[-1], ident
    parent = service.rtypes.get(rtype.parent)
    return ident, _fill(parent.arn, ident, params, where) if parent is not None and parent.arn else "*"


def _fill(template: str, ident: str, params: dict[str, Any], where: Where) -> str:
    values = {"partition": where.partition, "region": where.region, "account": where.account, "id": ident}
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        name = match[1]
        value = values.get(name, params.get(name))
        if name in _GENERATED or not isinstance(value, (str, int)) or value == "":
            missing = True
            return ""
        return str(value)

    filled = _PLACEHOLDER.sub(one, template)
    return filled if not missing and filled.startswith("arn:") else "*"  # a template of `{id}`: an id, not an ARN
