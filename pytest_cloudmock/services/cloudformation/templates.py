"""ValidateTemplate, GetTemplateSummary and EstimateTemplateCost."""

from __future__ import annotations

import json
from typing import Any

from ...api import RequestContext
from . import parameters, template
from .base import CloudFormationBase
from .graph import check_references, creation_order, dependencies
from .resource_import import identifier_summaries
from .transforms import transforms_of

_IAM_PREFIX = "AWS::IAM::"


class TemplateOperations(CloudFormationBase):
    """What CloudFormation says about a template without deploying it."""

    def _checked(self, body: str) -> dict[str, Any]:
        document = template.parse(body)
        names = transforms_of(document)
        checked = {k: v for k, v in document.items() if k != "Globals"} if names else document
        template.check_structure(checked)
        parameters.check_declarations(document.get("Parameters") or {})
        if not names:
            check_references(document)
            creation_order(dependencies(document["Resources"]))
        return document

    def validate_template(self, ctx: RequestContext) -> dict[str, Any]:
        body = template.read_body(ctx, ctx.params)
        document = self._checked(str(body))
        out: dict[str, Any] = {"Parameters": [_declared(k, d) for k, d in (document.get("Parameters") or {}).items()]}
        if document.get("Description") is not None:
            out["Description"] = str(document["Description"])
        out.update(_capabilities(document))
        names = transforms_of(document)
        if names:
            out["DeclaredTransforms"] = names
        return out

    def get_template_summary(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        if params.get("StackName"):
            body = self.stack(ctx).body
        elif params.get("StackSetName"):
            body = self.stack_set(ctx).body  # type: ignore[attr-defined]
        else:
            body = str(template.read_body(ctx, params))
        document = self._checked(body)
        resources = document.get("Resources") or {}
        out: dict[str, Any] = {
            "Parameters": [_summary_parameter(k, d) for k, d in (document.get("Parameters") or {}).items()],
            "ResourceTypes": sorted({str(r.get("Type")) for r in resources.values()}),
            "Version": str(document.get("AWSTemplateFormatVersion", "2010-09-09")),
            "ResourceIdentifierSummaries": identifier_summaries(resources),
            "Warnings": {"UnrecognizedResourceTypes": []},
        }
        if document.get("Description") is not None:
            out["Description"] = str(document["Description"])
        if document.get("Metadata") is not None:
            out["Metadata"] = json.dumps(document["Metadata"])
        out.update(_capabilities(document))
        names = transforms_of(document)
        if names:
            out["DeclaredTransforms"] = names
        return out

    def estimate_template_cost(self, ctx: RequestContext) -> dict[str, Any]:
        body = template.read_body(ctx, ctx.params)
        self._checked(str(body))
        return {"Url": "https://calculator.aws/#/estimate"}


def _declared(key: str, declaration: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ParameterKey": key,
                           "NoEcho": str(declaration.get("NoEcho", "false")).lower() == "true"}
    if "Default" in declaration:
        out["DefaultValue"] = parameters._default_text(declaration["Default"])
    if declaration.get("Description") is not None:
        out["Description"] = str(declaration["Description"])
    return out


def _summary_parameter(key: str, declaration: dict[str, Any]) -> dict[str, Any]:
    out = _declared(key, declaration)
    out["ParameterType"] = str(declaration.get("Type"))
    allowed = declaration.get("AllowedValues")
    out["ParameterConstraints"] = {"AllowedValues": [parameters._default_text(a) for a in allowed]} if allowed else {}
    return out


def _capabilities(document: dict[str, Any]) -> dict[str, Any]:
    resources = document.get("Resources") or {}
    iam = sorted({str(r.get("Type")) for r in resources.values() if str(r.get("Type", "")).startswith(_IAM_PREFIX)})
    if transforms_of(document):
        return {"Capabilities": ["CAPABILITY_AUTO_EXPAND"],
                "CapabilitiesReason": "The following resource(s) require capabilities: [AWS::Serverless::Function]"
                if any(str(r.get("Type")) == "AWS::Serverless::Function" for r in resources.values())
                else "The template contains a transform that requires capabilities"}  # second wording approximate
    if not iam:
        return {}
    named = any(k in (r.get("Properties") or {}) for r in resources.values()
                for k in ("RoleName", "UserName", "GroupName", "InstanceProfileName", "ManagedPolicyName")
                if str(r.get("Type", "")).startswith(_IAM_PREFIX))
    return {"Capabilities": ["CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"],
            "CapabilitiesReason": f"The following resource(s) require capabilities: [{', '.join(iam)}]"}

