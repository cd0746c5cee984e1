"""The CloudFormation registry (types, publishers, hooks), IaC generator, resource scans, refactors.

These are stored, not executed: a registered type is listed and described but the
engine serves only the types it has providers for. Organizations access and account
limits answer with fixed values.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CloudFormationBase

_LIMITS = [{"Name": "StackLimit", "Value": 2000}, {"Name": "StackOutputsLimit", "Value": 200},
           {"Name": "ConcurrentResourcesLimit", "Value": 2500}]


def _type_not_found(name: str) -> AWSError:
    return AWSError("TypeNotFoundException", f"The type '{name}' cannot be found.", 404)  # wording approximate


class RegistryOperations(CloudFormationBase):
    """Extensions and the account-level operations around them."""

    # -- types ------------------------------------------------------------------------------
    def _type_arn(self, ctx: RequestContext, kind: str, name: str) -> str:
        return f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:type/{kind.lower()}/" \
               f"{name.replace('::', '-')}"

    def _find_type(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        arn = params.get("Arn") or params.get("TypeArn")
        name = params.get("TypeName")
        for entry in self.state(ctx).types.values():
            if (arn and entry["Arn"] == arn) or (name and entry["TypeName"] == name):
                return entry
        raise _type_not_found(name or arn or "")

    def register_type(self, ctx: RequestContext) -> dict[str, Any]:
        params, token = ctx.params, str(uuid.uuid4())
        kind = params.get("Type") or "RESOURCE"
        arn = self._type_arn(ctx, kind, params["TypeName"])
        entry = {"Arn": arn, "Type": kind, "TypeName": params["TypeName"], "DefaultVersionId": "00000001",
                 "IsDefaultVersion": True, "ProvisioningType": "FULLY_MUTABLE", "DeprecatedStatus": "LIVE",
                 "Visibility": "PRIVATE", "TimeCreated": ctx.clock.utcnow(), "LastUpdated": ctx.clock.utcnow(),
                 "Schema": "{}", "IsActivated": True}
        if params.get("ExecutionRoleArn"):
            entry["ExecutionRoleArn"] = params["ExecutionRoleArn"]
        with self.store.lock:
            state = self.state(ctx)
            state.types[arn] = entry
            state.registrations[token] = {"ProgressStatus": "COMPLETE", "TypeArn": arn,
                                          "TypeVersionArn": f"{arn}/00000001", "Description": "Deployment is complete"}
        return {"RegistrationToken": token}

    def describe_type_registration(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).registrations.get(ctx.params["RegistrationToken"])
        if found is None:
            raise AWSError("CFNRegistryException", "Registration token not found", 400)  # wording approximate
        return dict(found)

    def list_type_registrations(self, ctx: RequestContext) -> dict[str, Any]:
        tokens = [t for t, r in self.state(ctx).registrations.items()
                  if not ctx.params.get("TypeArn") or r["TypeArn"] == ctx.params["TypeArn"]]
        return self.page(ctx, tokens, "RegistrationTokenList")

    def activate_type(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        from_arn = str(params.get("PublicTypeArn", "")).rsplit("/", 1)[-1].replace("-", "::")
        name = params.get("TypeNameAlias") or params.get("TypeName") or from_arn
        if not name:
            raise errors.validation("TypeName or PublicTypeArn must be specified")  # wording approximate
        kind = params.get("Type") or "RESOURCE"
        arn = self._type_arn(ctx, kind, name)
        entry = {"Arn": arn, "Type": kind, "TypeName": name, "IsActivated": True, "Visibility": "PUBLIC",
                 "DefaultVersionId": "00000001", "IsDefaultVersion": True, "DeprecatedStatus": "LIVE",
                 "TimeCreated": ctx.clock.utcnow(), "LastUpdated": ctx.clock.utcnow(), "Schema": "{}",
                 "AutoUpdate": bool(params.get("AutoUpdate", True))}
        if params.get("PublicTypeArn"):
            entry["OriginalTypeArn"] = params["PublicTypeArn"]
        with self.store.lock:
            self.state(ctx).types[arn] = entry
        return {"Arn": arn}

    def deactivate_type(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._find_type(ctx)
        with self.store.lock:
            self.state(ctx).types.pop(entry["Arn"], None)
        return {}

    deregister_type = deactivate_type

    def describe_type(self, ctx: RequestContext) -> dict[str, Any]:
        return dict(self._find_type(ctx))

    def list_types(self, ctx: RequestContext) -> dict[str, Any]:
        kind = ctx.params.get("Type")
        summaries = [{"Type": e["Type"], "TypeName": e["TypeName"], "TypeArn": e["Arn"],
                      "DefaultVersionId": e["DefaultVersionId"], "LastUpdated": e["LastUpdated"],
                      "IsActivated": e["IsActivated"]}
                     for e in self.state(ctx).types.values() if not kind or e["Type"] == kind]
        return self.page(ctx, summaries, "TypeSummaries")

    def list_type_versions(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._find_type(ctx)
        return {"TypeVersionSummaries": [{"Type": entry["Type"], "TypeName": entry["TypeName"], "VersionId": "00000001",
                                          "IsDefaultVersion": True, "Arn": f"{entry['Arn']}/00000001",
                                          "TimeCreated": entry["TimeCreated"]}]}

    def set_type_default_version(self, ctx: RequestContext) -> dict[str, Any]:
        self._find_type(ctx)
        return {}

    def set_type_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        try:
            json.loads(params["Configuration"])
        except ValueError:
            raise AWSError("InvalidInput", "Configuration is not valid JSON", 400) from None  # wording approximate
        type_arn = params.get("TypeArn") or self._type_arn(ctx, params.get("Type") or "RESOURCE", params.get("TypeName") or "")
        alias = params.get("ConfigurationAlias") or "default"
        arn = f"{type_arn}/configuration/{alias}"
        with self.store.lock:
            self.state(ctx).type_configurations[arn] = {"Arn": arn, "Alias": alias, "Configuration": params["Configuration"],
                                                        "LastUpdated": ctx.clock.utcnow(), "TypeArn": type_arn,
                                                        "IsDefaultConfiguration": alias == "default"}
        return {"ConfigurationArn": arn}

    def batch_describe_type_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        found, missing = [], []
        configurations = self.state(ctx).type_configurations
        for identifier in ctx.params["TypeConfigurationIdentifiers"]:
            match = [c for c in configurations.values()
                     if c["Arn"] == identifier.get("TypeConfigurationArn") or c["TypeArn"] == identifier.get("TypeArn")]
            if match:
                found.extend(match)
            else:
                missing.append(identifier)
        return {"TypeConfigurations": found, "UnprocessedTypeConfigurations": missing, "Errors": []}

    def test_type(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._find_type(ctx)
        return {"TypeVersionArn": f"{entry['Arn']}/00000001"}

    def publish_type(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._find_type(ctx)
        return {"PublicTypeArn": entry["Arn"].replace(f":{ctx.region}:{ctx.account_id}:", f":{ctx.region}::")}

    def record_handler_progress(self, ctx: RequestContext) -> dict[str, Any]:
        raise AWSError("InvalidStateTransition", "No handler invocation matches the bearer token", 400)  # approx.

    # -- publisher and organizations ----------------------------------------------------------
    def register_publisher(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            state.publisher = {"PublisherId": ctx.account_id[:8] + "0" * 32, "PublisherStatus": "VERIFIED",
                               "IdentityProvider": "AWS_Marketplace"}
        return {"PublisherId": state.publisher["PublisherId"]}

    def describe_publisher(self, ctx: RequestContext) -> dict[str, Any]:
        publisher = self.state(ctx).publisher
        if publisher is None:
            return {"PublisherStatus": "UNVERIFIED"}
        return dict(publisher)

    def activate_organizations_access(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).organizations_access = "ENABLED"
        return {}

    def deactivate_organizations_access(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.state(ctx).organizations_access = "DISABLED"
        return {}

    def describe_organizations_access(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Status": self.state(ctx).organizations_access}

    def describe_account_limits(self, ctx: RequestContext) -> dict[str, Any]:
        return self.page(ctx, list(_LIMITS), "AccountLimits")

    # -- hooks ------------------------------------------------------------------------------
    def get_hook_result(self, ctx: RequestContext) -> dict[str, Any]:
        raise AWSError("HookResultNotFound", f"Hook result {ctx.params.get('HookResultId', '')} not found", 404)

    def list_hook_results(self, ctx: RequestContext) -> dict[str, Any]:
        out: dict[str, Any] = {"HookResults": []}
        if ctx.params.get("TargetType"):
            out.update(TargetType=ctx.params["TargetType"], TargetId=ctx.params.get("TargetId", ""))
        return out

    # -- IaC generator --------------------------------------------------------------------------
    def _generated(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["GeneratedTemplateName"]
        for entry in self.state(ctx).generated_templates.values():
            if name in (entry["GeneratedTemplateName"], entry["GeneratedTemplateId"]):
                return entry
        raise AWSError("GeneratedTemplateNotFound", f"Generated template {name} not found", 404)  # approx.

    def create_generated_template(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        name = params["GeneratedTemplateName"]
        state = self.state(ctx)
        if any(e["GeneratedTemplateName"] == name for e in state.generated_templates.values()):
            raise AWSError("AlreadyExistsException", f"Generated template {name} already exists", 400)
        template_id = f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:generatedtemplate/{uuid.uuid4()}"
        entry = {"GeneratedTemplateId": template_id, "GeneratedTemplateName": name, "Status": "COMPLETE",
                 "StatusReason": "All resources complete", "CreationTime": ctx.clock.utcnow(),
                 "LastUpdatedTime": ctx.clock.utcnow(), "Resources": list(params.get("Resources") or []),
                 "TemplateConfiguration": params.get("TemplateConfiguration") or {}, "TotalWarnings": 0,
                 "Progress": {"ResourcesSucceeded": len(params.get("Resources") or []), "ResourcesFailed": 0,
                              "ResourcesProcessing": 0, "ResourcesPending": 0}}
        if params.get("StackName"):
            entry["StackId"] = self.stack(ctx).stack_id
        with self.store.lock:
            state.generated_templates[template_id] = entry
        return {"GeneratedTemplateId": template_id}

    def update_generated_template(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._generated(ctx)
        params = ctx.params
        with self.store.lock:
            if params.get("NewGeneratedTemplateName"):
                entry["GeneratedTemplateName"] = params["NewGeneratedTemplateName"]
            removed = set(params.get("RemoveResources") or [])
            resources = [r for r in entry["Resources"] if r.get("LogicalResourceId") not in removed]
            entry["Resources"] = resources + list(params.get("AddResources") or [])
            if params.get("TemplateConfiguration"):
                entry["TemplateConfiguration"] = params["TemplateConfiguration"]
            entry["LastUpdatedTime"] = ctx.clock.utcnow()
        return {"GeneratedTemplateId": entry["GeneratedTemplateId"]}

    def describe_generated_template(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._generated(ctx)
        out = {k: v for k, v in entry.items() if k != "Resources"}
        out["Resources"] = [{"ResourceType": r.get("ResourceType"), "LogicalResourceId": r.get("LogicalResourceId"),
                             "ResourceIdentifier": r.get("ResourceIdentifier", {}), "ResourceStatus": "COMPLETE",
                             "ResourceStatusReason": "Resource Template complete", "Warnings": []}
                            for r in entry["Resources"]]
        return out

    def get_generated_template(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._generated(ctx)
        resources = {r.get("LogicalResourceId") or f"Resource{i}": {"Type": r.get("ResourceType"),
                                                                     "DeletionPolicy": "Retain",
                                                                     "UpdateReplacePolicy": "Retain",
                                                                     "Properties": dict(r.get("ResourceIdentifier") or {})}
                     for i, r in enumerate(entry["Resources"])}
        document = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
        if ctx.params.get("Format") == "YAML":
            import yaml

            return {"Status": entry["Status"], "TemplateBody": yaml.safe_dump(document, sort_keys=False)}
        return {"Status": entry["Status"], "TemplateBody": json.dumps(document)}

    def delete_generated_template(self, ctx: RequestContext) -> dict[str, Any]:
        entry = self._generated(ctx)
        with self.store.lock:
            self.state(ctx).generated_templates.pop(entry["GeneratedTemplateId"], None)
        return {}

    def list_generated_templates(self, ctx: RequestContext) -> dict[str, Any]:
        summaries = [{k: e[k] for k in ("GeneratedTemplateId", "GeneratedTemplateName", "Status", "StatusReason",
                                        "CreationTime", "LastUpdatedTime")} | {"NumberOfResources": len(e["Resources"])}
                     for e in self.state(ctx).generated_templates.values()]
        return self.page(ctx, summaries, "Summaries")

    # -- resource scans: what our stacks made, in this account and region ---------------------
    def _scan(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).resource_scans.get(ctx.params["ResourceScanId"])
        if found is None:
            raise AWSError("ResourceScanNotFound", f"Resource scan {ctx.params['ResourceScanId']} not found", 404)
        return found

    def start_resource_scan(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.state(ctx)
        with self.store.lock:
            resources = [{"ResourceType": r.type, "ResourceIdentifier": {"Id": r.physical_id}, "ManagedByStack": True}
                         for s in state.stacks.values() if s.active for r in s.resources.values() if r.physical_id]
            scan_id = f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:resourceScan/{uuid.uuid4()}"
            state.resource_scans[scan_id] = {"ResourceScanId": scan_id, "Status": "COMPLETE",
                                             "StartTime": ctx.clock.utcnow(), "EndTime": ctx.clock.utcnow(),
                                             "PercentageCompleted": 100.0, "ResourcesScanned": len(resources),
                                             "ResourcesRead": len(resources), "resources": resources,
                                             "ResourceTypes": sorted({r["ResourceType"] for r in resources})}
        return {"ResourceScanId": scan_id}

    def describe_resource_scan(self, ctx: RequestContext) -> dict[str, Any]:
        return {k: v for k, v in self._scan(ctx).items() if k != "resources"}

    def list_resource_scans(self, ctx: RequestContext) -> dict[str, Any]:
        summaries = [{k: s[k] for k in ("ResourceScanId", "Status", "StartTime", "EndTime", "PercentageCompleted")}
                     for s in self.state(ctx).resource_scans.values()]
        return self.page(ctx, summaries, "ResourceScanSummaries")

    def list_resource_scan_resources(self, ctx: RequestContext) -> dict[str, Any]:
        scan = self._scan(ctx)
        prefix = ctx.params.get("ResourceTypePrefix") or ""
        return self.page(ctx, [r for r in scan["resources"] if r["ResourceType"].startswith(prefix)], "Resources")

    def list_resource_scan_related_resources(self, ctx: RequestContext) -> dict[str, Any]:
        self._scan(ctx)
        return {"RelatedResources": []}

    # -- stack refactors ---------------------------------------------------------------------
    def _refactor(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).refactors.get(ctx.params["StackRefactorId"])
        if found is None:
            raise AWSError("StackRefactorNotFoundException",
                           f"Stack refactor {ctx.params['StackRefactorId']} not found", 404)  # wording approximate
        return found

    def create_stack_refactor(self, ctx: RequestContext) -> dict[str, Any]:
        refactor_id = str(uuid.uuid4())
        stacks = [d.get("StackName", "") for d in ctx.params["StackDefinitions"]]
        with self.store.lock:
            self.state(ctx).refactors[refactor_id] = {
                "StackRefactorId": refactor_id, "Description": ctx.params.get("Description", ""),
                "StackIds": stacks, "ExecutionStatus": "AVAILABLE", "Status": "CREATE_COMPLETE"}
        return {"StackRefactorId": refactor_id}

    def describe_stack_refactor(self, ctx: RequestContext) -> dict[str, Any]:
        return dict(self._refactor(ctx))

    def execute_stack_refactor(self, ctx: RequestContext) -> dict[str, Any]:
        refactor = self._refactor(ctx)
        with self.store.lock:
            refactor["ExecutionStatus"] = "EXECUTE_COMPLETE"
        return {}

    def list_stack_refactors(self, ctx: RequestContext) -> dict[str, Any]:
        summaries = [{k: r[k] for k in ("StackRefactorId", "Description", "ExecutionStatus", "Status")}
                     for r in self.state(ctx).refactors.values()]
        return self.page(ctx, summaries, "StackRefactorSummaries")

    def list_stack_refactor_actions(self, ctx: RequestContext) -> dict[str, Any]:
        self._refactor(ctx)
        return {"StackRefactorActions": []}
