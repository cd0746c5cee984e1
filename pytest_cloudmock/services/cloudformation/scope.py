"""The scope a stack's template is evaluated in: parameters, pseudo parameters, resources, exports."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import errors
from .intrinsics import UNKNOWN, Evaluator, Scope

if TYPE_CHECKING:
    from .state import CfnState, Stack

_DYNAMIC = re.compile(r"\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]*)\}\}")


def pseudo_parameters(stack: Stack, partition: str) -> dict[str, Any]:
    suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
    return {
        "AWS::AccountId": stack.account_id, "AWS::Region": stack.region, "AWS::StackName": stack.name,
        "AWS::StackId": stack.stack_id, "AWS::Partition": partition, "AWS::URLSuffix": suffix,
        "AWS::NotificationARNs": list(stack.notification_arns),
    }


def partition_of(region: str) -> str:
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def evaluator(stack: Stack, state: CfnState, template: dict[str, Any], parameters: dict[str, Any],
              *, strict: bool = True) -> Evaluator:
    """An evaluator over a stack's template and its resources as they are now.

    `strict` (deploying) makes an unknown attribute or export an error; planning (change
    sets) sees `UNKNOWN` for values not known yet.
    """
    resources = template.get("Resources") or {}

    def ref(name: str) -> Any:
        resource = stack.resources.get(name)
        return resource.physical_id if resource is not None and resource.physical_id else UNKNOWN

    def get_att(name: str, attribute: str) -> Any:
        resource = stack.resources.get(name)
        if resource is None or not resource.physical_id:
            return UNKNOWN
        if attribute in resource.attributes:
            return resource.attributes[attribute]
        if not strict:
            return UNKNOWN
        raise errors.template_error(f"resource {name} does not support attribute type {attribute} in Fn::GetAtt")

    def import_value(name: str) -> Any:
        if strict:
            stack.imports.add(name)
        found = state.exports.get(name)
        if found is None:
            if not strict:
                return UNKNOWN
            raise errors.validation(f"No export named {name} found.")
        return found[1]

    scope = Scope(
        parameters={k: p.resolved for k, p in parameters.items()},
        pseudo=pseudo_parameters(stack, partition_of(stack.region)),
        mappings=template.get("Mappings") or {},
        condition_defs=template.get("Conditions") or {},
        ref=ref, get_att=get_att, import_value=import_value, resource_names=frozenset(resources),
    )
    return Evaluator(scope)


def resolve_dynamic(value: Any, lookup: Callable[[str, str], str]) -> Any:
    """Replace `{{resolve:ssm:...}}`, `{{resolve:ssm-secure:...}}`, `{{resolve:secretsmanager:...}}`."""
    if isinstance(value, str):
        return _DYNAMIC.sub(lambda m: lookup(m[1], m[2]), value) if "{{resolve:" in value else value
    if isinstance(value, dict):
        return {k: resolve_dynamic(v, lookup) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_dynamic(v, lookup) for v in value]
    return value
