"""Conformance packs (their template's Config rules become real rules), organization rules
and packs (stored, as for an organization's management account), and remediation."""

from __future__ import annotations

import json
import uuid
from typing import Any

import yaml

from ...api import AWSError, RequestContext
from . import compliance, errors
from .base import public
from .items import when
from .rules import RuleOperations

CONFORMS = "config-conforms.amazonaws.com"


def template_rules(body: str) -> list[dict[str, Any]]:
    """The `AWS::Config::ConfigRule` resources of a conformance pack template (YAML or JSON)."""
    try:
        template = yaml.safe_load(body)
    except yaml.YAMLError:
        template = None
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict) or not resources:
        raise errors.error("ConformancePackTemplateValidationException",
                           "The template is not valid: it must be YAML or JSON with a Resources section.")  # ours
    rules = []
    for logical, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Config::ConfigRule":
            raise errors.error("ConformancePackTemplateValidationException",
                               f"Resource {logical} is not an AWS::Config::ConfigRule.")  # wording ours
        properties = resource.get("Properties") or {}
        if not isinstance(properties.get("Source"), dict) or "Owner" not in properties["Source"]:
            raise errors.error("ConformancePackTemplateValidationException",
                               f"Resource {logical} has no Source.")  # wording ours
        rules.append({"ConfigRuleName": str(properties.get("ConfigRuleName") or logical), **{
            k: v for k, v in properties.items() if k in ("Description", "Scope", "Source", "MaximumExecutionFrequency")},
            **({"InputParameters": json.dumps(properties["InputParameters"])} if isinstance(
                properties.get("InputParameters"), dict) else {})})
    return rules


class PackOperations(RuleOperations):
    """Conformance packs, organization rules and packs, remediation."""

    def put_conformance_pack(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["ConformancePackName"]
        body = p.get("TemplateBody") or self._template_from_s3(ctx, p.get("TemplateS3Uri"))
        if body is None and not p.get("TemplateSSMDocumentDetails"):
            raise errors.invalid_parameter("Either TemplateBody, TemplateS3Uri or TemplateSSMDocumentDetails "
                                           "must be given.")  # wording ours
        rules = template_rules(body) if body is not None else []
        state = self.state(ctx)
        now = ctx.clock.now()
        with self.store.lock:
            pack = state.packs.get(name)
            pack_id = pack["ConformancePackId"] if pack else self.short_id("conformance-pack")
            suffix = pack_id.rsplit("-", 1)[-1]
            for old in (pack or {}).get("_rules", []):
                state.rules.pop(old, None)
                state.evaluations.pop(old, None)
            names = []
            for rule in rules:
                rule_name = f"{rule['ConfigRuleName']}-conformance-pack-{suffix}"
                rule_id = self.short_id("config-rule")
                state.rules[rule_name] = {**rule, "ConfigRuleName": rule_name, "ConfigRuleId": rule_id,
                                          "ConfigRuleArn": self.arn(ctx, f"config-rule/aws-service-rule/{CONFORMS}/"
                                                                         f"{rule_id}"),
                                          "ConfigRuleState": "ACTIVE", "CreatedBy": CONFORMS,
                                          "EvaluationModes": [{"Mode": "DETECTIVE"}]}
                state.rule_status.setdefault(rule_name, {"FirstActivatedTime": when(now)})
                names.append(rule_name)
            arn = self.arn(ctx, f"conformance-pack/{name}/{pack_id}")
            state.packs[name] = {
                "ConformancePackName": name, "ConformancePackArn": arn, "ConformancePackId": pack_id,
                "LastUpdateRequestedTime": when(now), "_rules": names, "_created": (pack or {}).get("_created", now),
                **{k: p[k] for k in ("DeliveryS3Bucket", "DeliveryS3KeyPrefix", "ConformancePackInputParameters",
                                     "TemplateSSMDocumentDetails") if p.get(k)}}
            self.put_tags(state, arn, p.get("Tags"))
        return {"ConformancePackArn": arn}

    def _template_from_s3(self, ctx: RequestContext, uri: str | None) -> str | None:
        if not uri:
            return None
        if not uri.startswith("s3://") or "/" not in uri[5:]:
            raise errors.invalid_parameter(f"The TemplateS3Uri {uri} is not valid.")  # wording ours
        bucket, key = uri[5:].split("/", 1)
        try:
            got = ctx.registry.call("s3", "GetObject", {"Bucket": bucket, "Key": key}, account_id=ctx.account_id,
                                    region=ctx.region, caller=ctx) if ctx.registry else {}
        except AWSError:
            raise errors.error("ConformancePackTemplateValidationException",
                               f"Cannot read the template at {uri}.") from None  # wording ours
        body = got.get("Body", b"")
        data = body if isinstance(body, bytes) else body.read() if hasattr(body, "read") else b"".join(body)
        return data.decode("utf-8", "replace")

    def packs(self, ctx: RequestContext, names: list[str] | None) -> list[dict[str, Any]]:
        with self.store.lock:
            packs = dict(self.state(ctx).packs)
        if not names:
            return [packs[n] for n in sorted(packs)]
        for name in names:
            if name not in packs:
                raise errors.no_pack(name)
        return [packs[n] for n in names]

    def describe_conformance_packs(self, ctx: RequestContext) -> dict[str, Any]:
        page, token = self.page(ctx, self.packs(ctx, ctx.params.get("ConformancePackNames")), default=25)
        out: dict[str, Any] = {"ConformancePackDetails": [public(p) for p in page]}
        if token:
            out["NextToken"] = token
        return out

    def describe_conformance_pack_status(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            packs = dict(self.state(ctx).packs)
        names = ctx.params.get("ConformancePackNames") or sorted(packs)
        statuses = [{"ConformancePackName": n, "ConformancePackId": packs[n]["ConformancePackId"],
                     "ConformancePackArn": packs[n]["ConformancePackArn"], "ConformancePackState": "CREATE_COMPLETE",
                     "StackArn": f"arn:{ctx.partition}:cloudformation:{ctx.region}:{ctx.account_id}:stack/"
                                 f"awsconfigconforms-{n}-{packs[n]['ConformancePackId'][-6:]}/{uuid.UUID(int=0)}",
                     "LastUpdateRequestedTime": packs[n]["LastUpdateRequestedTime"],
                     "LastUpdateCompletedTime": packs[n]["LastUpdateRequestedTime"]} for n in names if n in packs]
        page, token = self.page(ctx, statuses, default=25)
        out: dict[str, Any] = {"ConformancePackStatusDetails": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_conformance_pack(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConformancePackName"]
        state = self.state(ctx)
        with self.store.lock:
            pack = state.packs.pop(name, None)
            if pack is None:
                raise errors.no_pack(name)
            for rule in pack["_rules"]:
                state.rules.pop(rule, None)
                state.evaluations.pop(rule, None)
                state.rule_status.pop(rule, None)
            state.tags.pop(pack["ConformancePackArn"], None)
        return {}

    def pack_rule_verdicts(self, ctx: RequestContext, pack: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Rule name -> its `Compliance` from stored evaluations."""
        evaluations = self._evaluations(ctx)
        return {r: compliance.verdict(evaluations.get(r, {}).values()) for r in pack["_rules"]}

    @staticmethod
    def pack_verdict(verdicts: dict[str, dict[str, Any]]) -> str:
        types = [v["ComplianceType"] for v in verdicts.values()]
        if "NON_COMPLIANT" in types:
            return "NON_COMPLIANT"
        return "COMPLIANT" if "COMPLIANT" in types else "INSUFFICIENT_DATA"

    def _pack_rules(self, ctx: RequestContext, pack: dict[str, Any]) -> list[str]:
        wanted = (ctx.params.get("Filters") or {}).get("ConfigRuleNames")
        if not wanted:
            return list(pack["_rules"])
        for rule in wanted:
            if rule not in pack["_rules"]:
                raise errors.error("NoSuchConfigRuleInConformancePackException",
                                   f"The rule {rule} is not in conformance pack "
                                   f"{pack['ConformancePackName']}.")  # wording ours
        return list(wanted)

    def describe_conformance_pack_compliance(self, ctx: RequestContext) -> dict[str, Any]:
        pack = self.packs(ctx, [ctx.params["ConformancePackName"]])[0]
        verdicts = self.pack_rule_verdicts(ctx, pack)
        wanted = (ctx.params.get("Filters") or {}).get("ComplianceType")
        rows = [{"ConfigRuleName": r, "ComplianceType": verdicts[r]["ComplianceType"], "Controls": []}
                for r in self._pack_rules(ctx, pack) if not wanted or verdicts[r]["ComplianceType"] == wanted]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"ConformancePackName": pack["ConformancePackName"],
                               "ConformancePackRuleComplianceList": page}
        if token:
            out["NextToken"] = token
        return out

    def get_conformance_pack_compliance_details(self, ctx: RequestContext) -> dict[str, Any]:
        pack = self.packs(ctx, [ctx.params["ConformancePackName"]])[0]
        f = ctx.params.get("Filters") or {}
        evaluations = self._evaluations(ctx)
        rows = []
        for rule in self._pack_rules(ctx, pack):
            for (rtype, rid), result in evaluations.get(rule, {}).items():
                if (f.get("ComplianceType") and result["ComplianceType"] != f["ComplianceType"]) or (
                        f.get("ResourceType") and rtype != f["ResourceType"]) or (
                        f.get("ResourceIds") and rid not in f["ResourceIds"]):
                    continue
                rows.append({k: result[k] for k in ("ComplianceType", "EvaluationResultIdentifier",
                                                    "ConfigRuleInvokedTime", "ResultRecordedTime", "Annotation")
                             if k in result})
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"ConformancePackName": pack["ConformancePackName"],
                               "ConformancePackRuleEvaluationResults": page}
        if token:
            out["NextToken"] = token
        return out

    def get_conformance_pack_compliance_summary(self, ctx: RequestContext) -> dict[str, Any]:
        rows = [{"ConformancePackName": pack["ConformancePackName"],
                 "ConformancePackComplianceStatus": self.pack_verdict(self.pack_rule_verdicts(ctx, pack))}
                for pack in self.packs(ctx, ctx.params["ConformancePackNames"])]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"ConformancePackComplianceSummaryList": page}
        if token:
            out["NextToken"] = token
        return out

    def list_conformance_pack_compliance_scores(self, ctx: RequestContext) -> dict[str, Any]:
        """Score: compliant rule-resource combinations over compliant plus non-compliant ones."""
        names = ((ctx.params.get("Filters") or {}).get("ConformancePackNames")) or None
        with self.store.lock:
            known = self.state(ctx).packs
            packs = [known[n] for n in (names or sorted(known)) if n in known]
        evaluations = self._evaluations(ctx)
        rows = []
        for pack in packs:
            results = [r["ComplianceType"] for rule in pack["_rules"] for r in evaluations.get(rule, {}).values()]
            good, bad = results.count("COMPLIANT"), results.count("NON_COMPLIANT")
            score = f"{100 * good / (good + bad):.2f}" if good + bad else "INSUFFICIENT_DATA"
            rows.append({"Score": score, "ConformancePackName": pack["ConformancePackName"],
                         "LastUpdatedTime": when(ctx.clock.now())})
        by = ctx.params.get("SortBy")
        rows.sort(key=lambda r: (r["Score"] if by == "SCORE" else r["ConformancePackName"]),
                  reverse=ctx.params.get("SortOrder") == "DESCENDING")
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"ConformancePackComplianceScores": page}
        if token:
            out["NextToken"] = token
        return out

    # -- organization rules and packs ---------------------------------------------------------
    def put_organization_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        kinds = [k for k in ("OrganizationManagedRuleMetadata", "OrganizationCustomRuleMetadata",
                             "OrganizationCustomPolicyRuleMetadata") if p.get(k)]
        if len(kinds) != 1:
            raise errors.validation("Specify exactly one of OrganizationManagedRuleMetadata, "
                                    "OrganizationCustomRuleMetadata or OrganizationCustomPolicyRuleMetadata.")  # ours
        name = p["OrganizationConfigRuleName"]
        state = self.state(ctx)
        with self.store.lock:
            existing = state.org_rules.get(name)
            arn = existing["OrganizationConfigRuleArn"] if existing else self.arn(
                ctx, f"organization-config-rule/{name}-{uuid.uuid4().hex[:8]}")
            rule: dict[str, Any] = {"OrganizationConfigRuleName": name, "OrganizationConfigRuleArn": arn,
                                    "LastUpdateTime": when(ctx.clock.now()),
                                    "ExcludedAccounts": p.get("ExcludedAccounts") or []}
            metadata = dict(p[kinds[0]])
            if kinds[0] == "OrganizationCustomPolicyRuleMetadata":
                rule["_policy"] = metadata.pop("PolicyText", "")
            rule[kinds[0]] = metadata
            state.org_rules[name] = rule
        return {"OrganizationConfigRuleArn": arn}

    def _org(self, ctx: RequestContext, table: str, names: list[str] | None, missing: str) -> list[dict[str, Any]]:
        with self.store.lock:
            stored = dict(getattr(self.state(ctx), table))
        if not names:
            return [stored[n] for n in sorted(stored)]
        for name in names:
            if name not in stored:
                raise errors.error(missing, f"The organization resource {name} does not exist.")  # wording ours
        return [stored[n] for n in names]

    def describe_organization_config_rules(self, ctx: RequestContext) -> dict[str, Any]:
        rules = self._org(ctx, "org_rules", ctx.params.get("OrganizationConfigRuleNames"),
                          "NoSuchOrganizationConfigRuleException")
        page, token = self.page(ctx, rules, default=100)
        out: dict[str, Any] = {"OrganizationConfigRules": [public(r) for r in page]}
        if token:
            out["NextToken"] = token
        return out

    def describe_organization_config_rule_statuses(self, ctx: RequestContext) -> dict[str, Any]:
        rules = self._org(ctx, "org_rules", ctx.params.get("OrganizationConfigRuleNames"),
                          "NoSuchOrganizationConfigRuleException")
        page, token = self.page(ctx, [{"OrganizationConfigRuleName": r["OrganizationConfigRuleName"],
                                       "OrganizationRuleStatus": "CREATE_SUCCESSFUL",
                                       "LastUpdateTime": r["LastUpdateTime"]} for r in rules], default=100)
        out: dict[str, Any] = {"OrganizationConfigRuleStatuses": page}
        if token:
            out["NextToken"] = token
        return out

    def get_organization_config_rule_detailed_status(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self._org(ctx, "org_rules", [ctx.params["OrganizationConfigRuleName"]],
                         "NoSuchOrganizationConfigRuleException")[0]
        rows = [{"AccountId": ctx.account_id, "ConfigRuleName": rule["OrganizationConfigRuleName"],
                 "MemberAccountRuleStatus": "CREATE_SUCCESSFUL", "LastUpdateTime": rule["LastUpdateTime"]}]
        f = ctx.params.get("Filters") or {}
        rows = [r for r in rows if (not f.get("AccountId") or r["AccountId"] == f["AccountId"]) and (
            not f.get("MemberAccountRuleStatus") or r["MemberAccountRuleStatus"] == f["MemberAccountRuleStatus"])]
        return {"OrganizationConfigRuleDetailedStatus": rows}

    def get_organization_custom_rule_policy(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self._org(ctx, "org_rules", [ctx.params["OrganizationConfigRuleName"]],
                         "NoSuchOrganizationConfigRuleException")[0]
        return {"PolicyText": rule["_policy"]} if "_policy" in rule else {}

    def delete_organization_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["OrganizationConfigRuleName"]
        self._org(ctx, "org_rules", [name], "NoSuchOrganizationConfigRuleException")
        with self.store.lock:
            self.state(ctx).org_rules.pop(name, None)
        return {}

    def put_organization_conformance_pack(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        body = p.get("TemplateBody") or self._template_from_s3(ctx, p.get("TemplateS3Uri"))
        if body is None:
            raise errors.validation("Either TemplateBody or TemplateS3Uri must be given.")  # wording ours
        try:
            template_rules(body)
        except AWSError as exc:
            raise errors.error("OrganizationConformancePackTemplateValidationException", exc.message) from None
        name = p["OrganizationConformancePackName"]
        state = self.state(ctx)
        with self.store.lock:
            existing = state.org_packs.get(name)
            arn = existing["OrganizationConformancePackArn"] if existing else self.arn(
                ctx, f"organization-conformance-pack/{name}-{uuid.uuid4().hex[:8]}")
            state.org_packs[name] = {
                "OrganizationConformancePackName": name, "OrganizationConformancePackArn": arn,
                "LastUpdateTime": when(ctx.clock.now()), "ExcludedAccounts": p.get("ExcludedAccounts") or [],
                **{k: p[k] for k in ("DeliveryS3Bucket", "DeliveryS3KeyPrefix", "ConformancePackInputParameters")
                   if p.get(k)}}
        return {"OrganizationConformancePackArn": arn}

    def describe_organization_conformance_packs(self, ctx: RequestContext) -> dict[str, Any]:
        packs = self._org(ctx, "org_packs", ctx.params.get("OrganizationConformancePackNames"),
                          "NoSuchOrganizationConformancePackException")
        page, token = self.page(ctx, packs, default=100)
        out: dict[str, Any] = {"OrganizationConformancePacks": page}
        if token:
            out["NextToken"] = token
        return out

    def describe_organization_conformance_pack_statuses(self, ctx: RequestContext) -> dict[str, Any]:
        packs = self._org(ctx, "org_packs", ctx.params.get("OrganizationConformancePackNames"),
                          "NoSuchOrganizationConformancePackException")
        page, token = self.page(ctx, [{"OrganizationConformancePackName": p["OrganizationConformancePackName"],
                                       "Status": "CREATE_SUCCESSFUL", "LastUpdateTime": p["LastUpdateTime"]}
                                      for p in packs], default=100)
        out: dict[str, Any] = {"OrganizationConformancePackStatuses": page}
        if token:
            out["NextToken"] = token
        return out

    def get_organization_conformance_pack_detailed_status(self, ctx: RequestContext) -> dict[str, Any]:
        pack = self._org(ctx, "org_packs", [ctx.params["OrganizationConformancePackName"]],
                         "NoSuchOrganizationConformancePackException")[0]
        rows = [{"AccountId": ctx.account_id, "ConformancePackName": pack["OrganizationConformancePackName"],
                 "Status": "CREATE_SUCCESSFUL", "LastUpdateTime": pack["LastUpdateTime"]}]
        f = ctx.params.get("Filters") or {}
        rows = [r for r in rows if (not f.get("AccountId") or r["AccountId"] == f["AccountId"]) and (
            not f.get("Status") or r["Status"] == f["Status"])]
        return {"OrganizationConformancePackDetailedStatuses": rows}

    def delete_organization_conformance_pack(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["OrganizationConformancePackName"]
        self._org(ctx, "org_packs", [name], "NoSuchOrganizationConformancePackException")
        with self.store.lock:
            self.state(ctx).org_packs.pop(name, None)
        return {}

    # -- remediation ------------------------------------------------------------------------
    def put_remediation_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        given = ctx.params["RemediationConfigurations"]
        state = self.state(ctx)
        failed = []
        with self.store.lock:
            for config in given:
                name = config["ConfigRuleName"]
                if name not in state.rules:
                    failed.append(config)
                    continue
                arn = (state.remediations.get(name) or {}).get("Arn") or self.arn(
                    ctx, f"remediation-configuration/{name}/{uuid.uuid4()}")
                state.remediations[name] = {**config, "Arn": arn}
        out: list[dict[str, Any]] = []
        if failed:
            out.append({"FailureMessage": "The config rule does not exist.", "FailedItems": failed})  # ours
        return {"FailedBatches": out}

    def describe_remediation_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stored = dict(self.state(ctx).remediations)
        return {"RemediationConfigurations": [stored[n] for n in ctx.params["ConfigRuleNames"] if n in stored]}

    def _remediation(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        with self.store.lock:
            found = self.state(ctx).remediations.get(name)
        if found is None:
            raise errors.error("NoSuchRemediationConfigurationException",
                               f"No RemediationConfiguration for rule exists: {name}.")  # wording ours
        return found

    def delete_remediation_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigRuleName"]
        self._remediation(ctx, name)
        with self.store.lock:
            self.state(ctx).remediations.pop(name, None)
        return {}

    def put_remediation_exceptions(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        state = self.state(ctx)
        with self.store.lock:
            for key in p["ResourceKeys"]:
                entry = {"ConfigRuleName": p["ConfigRuleName"], "ResourceType": key.get("ResourceType", ""),
                         "ResourceId": key.get("ResourceId", "")}
                if p.get("Message"):
                    entry["Message"] = p["Message"]
                if p.get("ExpirationTime"):
                    entry["ExpirationTime"] = p["ExpirationTime"]
                state.remediation_exceptions[(entry["ConfigRuleName"], entry["ResourceType"], entry["ResourceId"])] = entry
        return {"FailedBatches": []}

    def describe_remediation_exceptions(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            entries = [e for (rule, _, _), e in sorted(self.state(ctx).remediation_exceptions.items())
                       if rule == p["ConfigRuleName"]]
        keys = p.get("ResourceKeys")
        if keys:
            wanted = {(k.get("ResourceType", ""), k.get("ResourceId", "")) for k in keys}
            entries = [e for e in entries if (e["ResourceType"], e["ResourceId"]) in wanted]
        page, token = self.page(ctx, entries, default=25)
        out: dict[str, Any] = {"RemediationExceptions": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_remediation_exceptions(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        state = self.state(ctx)
        missing = []
        with self.store.lock:
            for key in p["ResourceKeys"]:
                if state.remediation_exceptions.pop(
                        (p["ConfigRuleName"], key.get("ResourceType", ""), key.get("ResourceId", "")), None) is None:
                    missing.append(key)
        if missing and len(missing) == len(p["ResourceKeys"]):
            raise errors.error("NoSuchRemediationExceptionException",
                               "No remediation exception exists for the given resource keys.")  # wording ours
        return {"FailedBatches": [{"FailureMessage": "No remediation exception exists for these resource keys.",
                                   "FailedItems": missing}] if missing else []}

    def start_remediation_execution(self, ctx: RequestContext) -> dict[str, Any]:
        """Starts the remediation's SSM Automation document through SSM, when SSM answers."""
        p = ctx.params
        config = self._remediation(ctx, p["ConfigRuleName"])
        now = when(ctx.clock.now())
        state = self.state(ctx)
        with self.store.lock:
            for key in p["ResourceKeys"]:
                state.remediation_runs[(p["ConfigRuleName"], key["resourceType"], key["resourceId"])] = {
                    "ResourceKey": key, "State": "QUEUED", "StepDetails": [], "InvocationTime": now,
                    "LastUpdatedTime": now}
        registry = ctx.registry

        def run() -> None:
            for key in p["ResourceKeys"]:
                outcome = "SUCCEEDED"
                try:
                    if registry is None:
                        raise AWSError("ServiceUnavailable", "no registry", 503)
                    registry.call("ssm", "StartAutomationExecution", {
                        "DocumentName": config["TargetId"],
                        "Parameters": {k: v.get("StaticValue", {}).get("Values") or [key["resourceId"]]
                                       for k, v in (config.get("Parameters") or {}).items()}},
                        account_id=ctx.account_id, region=ctx.region, caller=ctx)
                except AWSError:
                    outcome = "FAILED"
                with self.store.lock:
                    run_state = state.remediation_runs.get((p["ConfigRuleName"], key["resourceType"], key["resourceId"]))
                    if run_state is not None:
                        run_state.update(State=outcome, LastUpdatedTime=when(ctx.clock.now()))

        ctx.dispatch(run)
        return {"FailedItems": []}

    def describe_remediation_execution_status(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self._remediation(ctx, p["ConfigRuleName"])
        with self.store.lock:
            runs = [r for (rule, _, _), r in sorted(self.state(ctx).remediation_runs.items())
                    if rule == p["ConfigRuleName"]]
        if p.get("ResourceKeys"):
            wanted = {(k["resourceType"], k["resourceId"]) for k in p["ResourceKeys"]}
            runs = [r for r in runs if (r["ResourceKey"]["resourceType"], r["ResourceKey"]["resourceId"]) in wanted]
        page, token = self.page(ctx, [dict(r) for r in runs], default=100)
        out: dict[str, Any] = {"RemediationExecutionStatuses": page}
        if token:
            out["NextToken"] = token
        return out

