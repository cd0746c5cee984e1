"""From a request's template and parameters to what a stack operation runs: parsed, transformed, checked."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...api import AWSError
from . import errors, parameters, template
from .graph import check_references, creation_order, dependencies
from .rules import check_rules
from .template import request_caller
from .transforms import INCLUDE, apply_transforms, expand_includes, transforms_of

if TYPE_CHECKING:
    from ...api import RequestContext

_IAM_NAMES = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName",
              "AWS::IAM::InstanceProfile": "InstanceProfileName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName"}


@dataclass
class Prepared:
    body: str
    template: dict[str, Any]
    processed: dict[str, Any]
    parameters: dict[str, parameters.Resolved]
    transforms: list[str] = field(default_factory=list)


def prepare(ctx: RequestContext, body: str, given: list[dict[str, Any]], previous: dict[str, str] | None = None,
            capabilities: list[str] | None = None, check_capabilities: bool = False) -> Prepared:
    """Parse, resolve parameters, expand transforms and check references and cycles."""
    document = template.parse(body)
    if _mentions_include(document):
        document = expand_includes(ctx, document)
    names = transforms_of(document)
    if not names:
        template.check_structure(document)
    declarations = document.get("Parameters") or {}
    resolved = parameters.resolve(declarations, given, previous, lambda name: ssm_value(ctx, name))
    check_rules(document, resolved, {"AWS::Region": ctx.region, "AWS::AccountId": ctx.account_id,
                                     "AWS::Partition": ctx.partition})
    processed = apply_transforms(ctx, document, names, resolved) if names else document
    template.check_structure(processed)
    check_references(processed)
    creation_order(dependencies(processed["Resources"]))
    if check_capabilities:
        required_capabilities(processed, names, capabilities or [])
    return Prepared(body, document, processed, resolved, names)


def required_capabilities(processed: dict[str, Any], transforms: list[str], given: list[str]) -> None:
    """InsufficientCapabilitiesException as CloudFormation raises it for IAM resources and macros."""
    if transforms and "CAPABILITY_AUTO_EXPAND" not in given:
        raise errors.insufficient_capabilities("CAPABILITY_AUTO_EXPAND")
    named = [k for k, r in processed["Resources"].items()
             if r.get("Type") in _IAM_NAMES and _IAM_NAMES[r["Type"]] in (r.get("Properties") or {})]
    iam = [k for k, r in processed["Resources"].items() if str(r.get("Type", "")).startswith("AWS::IAM::")]
    if named and "CAPABILITY_NAMED_IAM" not in given:
        raise errors.insufficient_capabilities("CAPABILITY_NAMED_IAM")
    if iam and not {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"} & set(given):
        raise errors.insufficient_capabilities("CAPABILITY_IAM")


def ssm_value(ctx: RequestContext, name: str) -> str:
    """An `AWS::SSM::Parameter::Value<...>` parameter's value, from our SSM."""
    try:
        found = request_caller(ctx)("ssm", "GetParameter", {"Name": name})
    except AWSError:
        raise errors.validation(f"Unable to fetch parameters [{name}] from parameter store for this account.") \
            from None
    return str(found["Parameter"]["Value"])


def _mentions_include(document: dict[str, Any]) -> bool:
    return INCLUDE in json.dumps(document, default=str)
