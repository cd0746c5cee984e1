"""Config rules, evaluations (PutEvaluations, PutExternalEvaluation, custom Lambda rules
invoked on StartConfigRulesEvaluation), compliance, and proactive resource evaluations."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import decode_token, encode_token
from . import compliance, errors
from .base import ConfigBase, public
from .items import when

MAX_RULES = 1000
RESULT_SCOPE = "config:result"


class RuleOperations(ConfigBase):
    """Rules and their evaluations."""

    def put_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        given = dict(ctx.params["ConfigRule"])
        source = given["Source"]
        owner = source["Owner"]
        if owner in ("AWS", "CUSTOM_LAMBDA") and not source.get("SourceIdentifier"):
            raise errors.invalid_parameter("SourceIdentifier is required for the rule's Source.")  # wording ours
        if owner in ("CUSTOM_LAMBDA", "CUSTOM_POLICY") and not source.get("SourceDetails"):
            raise errors.invalid_parameter("SourceDetails is required for a custom rule.")  # wording ours
        if owner == "CUSTOM_POLICY" and not source.get("CustomPolicyDetails"):
            raise errors.invalid_parameter("CustomPolicyDetails is required for a Guard custom policy rule.")
        if owner == "AWS" and source.get("SourceDetails"):
            raise errors.invalid_parameter("SourceDetails must not be given for an AWS managed rule.")  # ours
        if given.get("InputParameters"):
            try:
                if not isinstance(json.loads(given["InputParameters"]), dict):
                    raise ValueError
            except ValueError:
                raise errors.invalid_parameter("Invalid json for InputParameters.") from None  # wording ours
        state = self.state(ctx)
        now = ctx.clock.now()
        with self.store.lock:
            if not any(not r.service_principal for r in state.recorders.values()):
                raise errors.error("NoAvailableConfigurationRecorderException",
                                   "There are no configuration recorders available to provide the role needed to "
                                   "describe your resources. Create a configuration recorder.")
            existing = self._find(state.rules, given)
            name = given.get("ConfigRuleName") or (existing or {}).get("ConfigRuleName")
            if not name:
                raise errors.invalid_parameter("ConfigRuleName is required.")  # wording ours
            if existing is None:
                if name in state.rules:
                    existing = state.rules[name]
                elif len(state.rules) >= MAX_RULES:
                    raise errors.error("MaxNumberOfConfigRulesExceededException",
                                       "Failed to put config rule because the maximum number of config rules: "
                                       f"{MAX_RULES} is reached.")  # wording ours
            rule_id = (existing or {}).get("ConfigRuleId") or self.short_id("config-rule")
            if existing is not None and existing.get("ConfigRuleState") == "DELETING":
                raise errors.error("ResourceInUseException", f"The rule {name} is being deleted.")  # ours
            if existing is not None and existing["ConfigRuleName"] != name:
                del state.rules[existing["ConfigRuleName"]]
            given.update(ConfigRuleName=name, ConfigRuleId=rule_id,
                         ConfigRuleArn=self.arn(ctx, f"config-rule/{rule_id}"), ConfigRuleState="ACTIVE")
            given.setdefault("EvaluationModes", [{"Mode": "DETECTIVE"}])
            if owner == "CUSTOM_POLICY":  # the policy text is returned by GetCustomRulePolicy, not here
                given["Source"] = {**source, "CustomPolicyDetails": {
                    k: v for k, v in source["CustomPolicyDetails"].items() if k != "PolicyText"}}
                given["_policy"] = source["CustomPolicyDetails"].get("PolicyText", "")
            state.rules[name] = given
            state.rule_status.setdefault(name, {"FirstActivatedTime": when(now), "FirstEvaluationStarted": False})
            self.put_tags(state, given["ConfigRuleArn"], ctx.params.get("Tags"))
        return {}

    @staticmethod
    def _find(rules: dict[str, dict[str, Any]], given: dict[str, Any]) -> dict[str, Any] | None:
        for key in ("ConfigRuleArn", "ConfigRuleId"):
            if given.get(key):
                for rule in rules.values():
                    if rule[key] == given[key]:
                        return rule
                raise errors.invalid_parameter(f"The {key} {given[key]} does not match a rule.")  # wording ours
        return None

    def rule(self, ctx: RequestContext, name: str) -> dict[str, Any]:
        with self.store.lock:
            rule = self.state(ctx).rules.get(name)
        if rule is None:
            raise errors.no_rule(name)
        return rule

    def rules(self, ctx: RequestContext, names: list[str] | None) -> list[dict[str, Any]]:
        with self.store.lock:
            rules = dict(self.state(ctx).rules)
        if not names:
            return [rules[n] for n in sorted(rules)]
        for name in names:
            if name not in rules:
                raise errors.no_rule(name)
        return [rules[n] for n in names]

    def describe_config_rules(self, ctx: RequestContext) -> dict[str, Any]:
        rules = self.rules(ctx, ctx.params.get("ConfigRuleNames"))
        mode = (ctx.params.get("Filters") or {}).get("EvaluationMode")
        if mode:
            rules = [r for r in rules if any(m.get("Mode") == mode for m in r.get("EvaluationModes") or [])]
        page, token = self.page(ctx, rules, default=25)
        out: dict[str, Any] = {"ConfigRules": [public(r) for r in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigRuleName"]
        state = self.state(ctx)
        with self.store.lock:
            rule = state.rules.get(name)
            if rule is None:
                raise errors.no_rule(name)
            if name in state.remediations:
                raise errors.error("ResourceInUseException",
                                   f"The rule {name} has a remediation configuration: delete it first.")  # ours
            del state.rules[name]
            state.rule_status.pop(name, None)
            state.evaluations.pop(name, None)
            state.tags.pop(rule["ConfigRuleArn"], None)
        return {}

    def get_custom_rule_policy(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self.rule(ctx, ctx.params.get("ConfigRuleName") or "")
        return {"PolicyText": rule["_policy"]} if "_policy" in rule else {}

    # -- evaluations --------------------------------------------------------------------
    def put_evaluations(self, ctx: RequestContext) -> dict[str, Any]:
        """`ResultToken` is the token a custom rule's Lambda function was invoked with (or,
        for tests that call PutEvaluations directly, the rule's name)."""
        token = ctx.params["ResultToken"]
        name = self._rule_of_token(ctx, token)
        rule = self.rule(ctx, name)
        evaluations = ctx.params.get("Evaluations") or []
        for evaluation in evaluations:
            if evaluation["ComplianceType"] == "INSUFFICIENT_DATA":
                raise errors.invalid_parameter("The ComplianceType INSUFFICIENT_DATA is not supported for "
                                               "evaluations.")  # wording ours
        if not ctx.params.get("TestMode"):
            self._store_results(ctx, rule, evaluations, token)
        return {"FailedEvaluations": []}

    def _rule_of_token(self, ctx: RequestContext, token: str) -> str:
        def bad() -> AWSError:
            return errors.error("InvalidResultTokenException", "The result token is invalid.")  # wording ours
        with self.store.lock:
            if token in self.state(ctx).rules:
                return token
        name = decode_token(token, bad, RESULT_SCOPE)
        if not isinstance(name, str):
            raise bad()
        return name

    def _store_results(self, ctx: RequestContext, rule: dict[str, Any], evaluations: list[dict[str, Any]],
                       token: str = "") -> None:
        now = when(ctx.clock.now())
        name = rule["ConfigRuleName"]
        state = self.state(ctx)
        with self.store.lock:
            results = state.evaluations.setdefault(name, {})
            for e in evaluations:
                result = {
                    "EvaluationResultIdentifier": {
                        "EvaluationResultQualifier": {"ConfigRuleName": name, "ResourceType": e["ComplianceResourceType"],
                                                      "ResourceId": e["ComplianceResourceId"],
                                                      "EvaluationMode": "DETECTIVE"},
                        "OrderingTimestamp": e["OrderingTimestamp"]},
                    "ComplianceType": e["ComplianceType"], "ResultRecordedTime": now, "ConfigRuleInvokedTime": now}
                if e.get("Annotation"):
                    result["Annotation"] = e["Annotation"]
                if token:
                    result["ResultToken"] = token
                results[(e["ComplianceResourceType"], e["ComplianceResourceId"])] = result
            status = state.rule_status.setdefault(name, {})
            status.update(LastSuccessfulEvaluationTime=now, FirstEvaluationStarted=True)

    def put_external_evaluation(self, ctx: RequestContext) -> dict[str, Any]:
        rule = self.rule(ctx, ctx.params["ConfigRuleName"])
        if rule["Source"].get("SourceIdentifier") != "AWS_CONFIG_PROCESS_CHECK":
            raise errors.invalid_parameter("The rule is not a process check rule.")  # wording ours
        evaluation = ctx.params["ExternalEvaluation"]
        self._store_results(ctx, rule, [evaluation])
        return {}

    def delete_evaluation_results(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigRuleName"]
        self.rule(ctx, name)
        with self.store.lock:
            self.state(ctx).evaluations.pop(name, None)
        return {}

    def start_config_rules_evaluation(self, ctx: RequestContext) -> dict[str, Any]:
        names = ctx.params.get("ConfigRuleNames") or []
        if len(names) > 25:
            raise errors.error("LimitExceededException",
                               "You can specify up to 25 Config rules per request.")  # wording ours
        rules = self.rules(ctx, names) if names else []
        now = when(ctx.clock.now())
        with self.store.lock:
            for rule in rules:
                self.state(ctx).rule_status.setdefault(rule["ConfigRuleName"], {}).update(
                    LastSuccessfulInvocationTime=now, FirstEvaluationStarted=True)
        for rule in rules:
            if rule["Source"]["Owner"] == "CUSTOM_LAMBDA":
                self._invoke(ctx, rule)
        return {}

    def _invoke(self, ctx: RequestContext, rule: dict[str, Any]) -> None:
        """Invoke a custom rule's function with a scheduled-notification event, as AWS does
        for a periodic evaluation; the function answers with PutEvaluations."""
        registry = ctx.registry
        if registry is None or registry.get("lambda") is None:
            return
        event = {
            "invokingEvent": json.dumps({"awsAccountId": ctx.account_id, "notificationCreationTime": when(
                ctx.clock.now()).isoformat(), "messageType": "ScheduledNotification", "recordVersion": "1.0"}),
            "ruleParameters": rule.get("InputParameters", "{}"),
            "resultToken": encode_token(rule["ConfigRuleName"], RESULT_SCOPE),
            "eventLeftScope": False, "executionRoleArn": "", "configRuleArn": rule["ConfigRuleArn"],
            "configRuleName": rule["ConfigRuleName"], "configRuleId": rule["ConfigRuleId"],
            "accountId": ctx.account_id, "evaluationMode": "DETECTIVE", "version": "1.0"}

        def invoke() -> None:
            registry.call("lambda", "Invoke", {"FunctionName": rule["Source"]["SourceIdentifier"],
                                               "InvocationType": "Event", "Payload": json.dumps(event).encode()},
                          account_id=ctx.account_id, region=ctx.region, caller=ctx)

        ctx.dispatch(invoke)

    def describe_config_rule_evaluation_status(self, ctx: RequestContext) -> dict[str, Any]:
        rules = self.rules(ctx, ctx.params.get("ConfigRuleNames"))
        with self.store.lock:
            statuses = [{"ConfigRuleName": r["ConfigRuleName"], "ConfigRuleArn": r["ConfigRuleArn"],
                         "ConfigRuleId": r["ConfigRuleId"], **self.state(ctx).rule_status.get(r["ConfigRuleName"], {})}
                        for r in rules]
        page, token = self.page(ctx, statuses, limit="Limit", default=50)
        out: dict[str, Any] = {"ConfigRulesEvaluationStatus": page}
        if token:
            out["NextToken"] = token
        return out

    # -- compliance ---------------------------------------------------------------------
    def _evaluations(self, ctx: RequestContext) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
        with self.store.lock:
            return {name: dict(results) for name, results in self.state(ctx).evaluations.items()}

    def describe_compliance_by_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        evaluations = self._evaluations(ctx)
        wanted = ctx.params.get("ComplianceTypes")
        out = []
        for rule in self.rules(ctx, ctx.params.get("ConfigRuleNames")):
            verdict = compliance.verdict(evaluations.get(rule["ConfigRuleName"], {}).values())
            if not wanted or verdict["ComplianceType"] in wanted:
                out.append({"ConfigRuleName": rule["ConfigRuleName"], "Compliance": verdict})
        page, token = self.page(ctx, out, default=25)
        result: dict[str, Any] = {"ComplianceByConfigRules": page}
        if token:
            result["NextToken"] = token
        return result

    def describe_compliance_by_resource(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p.get("ResourceId") and not p.get("ResourceType"):
            raise errors.invalid_parameter("ResourceType is required when ResourceId is given.")  # wording ours
        out = []
        for (rtype, rid), results in sorted(compliance.by_resource(self._evaluations(ctx)).items()):
            if (p.get("ResourceType") and rtype != p["ResourceType"]) or (p.get("ResourceId") and rid != p["ResourceId"]):
                continue
            verdict = compliance.verdict(results)
            if not p.get("ComplianceTypes") or verdict["ComplianceType"] in p["ComplianceTypes"]:
                out.append({"ResourceType": rtype, "ResourceId": rid, "Compliance": verdict})
        page, token = self.page(ctx, out, default=100)
        result: dict[str, Any] = {"ComplianceByResources": page}
        if token:
            result["NextToken"] = token
        return result

    def get_compliance_details_by_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigRuleName"]
        self.rule(ctx, name)
        results = list(self._evaluations(ctx).get(name, {}).values())
        wanted = ctx.params.get("ComplianceTypes")
        if wanted:
            results = [r for r in results if r["ComplianceType"] in wanted]
        page, token = self.page(ctx, results, default=100)
        out: dict[str, Any] = {"EvaluationResults": page}
        if token:
            out["NextToken"] = token
        return out

    def get_compliance_details_by_resource(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        if p.get("ResourceEvaluationId"):
            with self.store.lock:
                found = self.state(ctx).resource_evaluations.get(p["ResourceEvaluationId"])
            if found is None:
                raise errors.not_found(f"The resource evaluation {p['ResourceEvaluationId']} does not exist.")
            return {"EvaluationResults": []}
        if not p.get("ResourceType") or not p.get("ResourceId"):
            raise errors.invalid_parameter("ResourceType and ResourceId, or ResourceEvaluationId, are required.")
        results = compliance.by_resource(self._evaluations(ctx)).get((p["ResourceType"], p["ResourceId"]), [])
        if p.get("ComplianceTypes"):
            results = [r for r in results if r["ComplianceType"] in p["ComplianceTypes"]]
        page, token = self.page(ctx, results, default=100)
        out: dict[str, Any] = {"EvaluationResults": page}
        if token:
            out["NextToken"] = token
        return out

    def get_compliance_summary_by_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        evaluations = self._evaluations(ctx)
        verdicts = [compliance.verdict(evaluations.get(r["ConfigRuleName"], {}).values())["ComplianceType"]
                    for r in self.rules(ctx, None)]
        return {"ComplianceSummary": compliance.summary(verdicts.count("COMPLIANT"), verdicts.count("NON_COMPLIANT"),
                                                        when(ctx.clock.now()))}

    def get_compliance_summary_by_resource_type(self, ctx: RequestContext) -> dict[str, Any]:
        verdicts: dict[str, list[str]] = {}
        for (rtype, _), results in compliance.by_resource(self._evaluations(ctx)).items():
            verdicts.setdefault(rtype, []).append(compliance.verdict(results)["ComplianceType"])
        now = when(ctx.clock.now())
        types = ctx.params.get("ResourceTypes")
        if not types:
            every = [v for vs in verdicts.values() for v in vs]
            return {"ComplianceSummariesByResourceType": [{"ComplianceSummary": compliance.summary(
                every.count("COMPLIANT"), every.count("NON_COMPLIANT"), now)}]}
        return {"ComplianceSummariesByResourceType": [
            {"ResourceType": t, "ComplianceSummary": compliance.summary(
                verdicts.get(t, []).count("COMPLIANT"), verdicts.get(t, []).count("NON_COMPLIANT"), now)}
            for t in types]}

    # -- proactive evaluations --------------------------------------------------------------
    def start_resource_evaluation(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        request = {k: p.get(k) for k in ("ResourceDetails", "EvaluationContext", "EvaluationMode", "EvaluationTimeout")}
        state = self.state(ctx)
        with self.store.lock:
            token = p.get("ClientToken")
            for evaluation_id, stored in state.resource_evaluations.items():
                if token and stored["_token"] == token:
                    if stored["_request"] != json.dumps(request, default=str, sort_keys=True):
                        raise errors.error("IdempotentParameterMismatch",
                                           "The client token was used with different parameters.")  # wording ours
                    return {"ResourceEvaluationId": evaluation_id}
            evaluation_id = f"{p['ResourceDetails']['ResourceType'].replace('::', '-')}-{uuid.uuid4().hex}"
            state.resource_evaluations[evaluation_id] = {
                "_token": token, "_request": json.dumps(request, default=str, sort_keys=True),
                "ResourceEvaluationId": evaluation_id, "EvaluationMode": p["EvaluationMode"],
                "EvaluationStatus": {"Status": "SUCCEEDED"}, "EvaluationStartTimestamp": when(ctx.clock.now()),
                # No rule evaluates proactively here: the result is what AWS gives without one.
                "Compliance": "INSUFFICIENT_DATA",
                "ResourceDetails": p["ResourceDetails"],
                **({"EvaluationContext": p["EvaluationContext"]} if p.get("EvaluationContext") else {})}
        return {"ResourceEvaluationId": evaluation_id}

    def get_resource_evaluation_summary(self, ctx: RequestContext) -> dict[str, Any]:
        evaluation_id = ctx.params["ResourceEvaluationId"]
        with self.store.lock:
            found = self.state(ctx).resource_evaluations.get(evaluation_id)
        if found is None:
            raise errors.not_found(f"Resource evaluation {evaluation_id} does not exist.")  # wording ours
        return public(found)

    def list_resource_evaluations(self, ctx: RequestContext) -> dict[str, Any]:
        filters = ctx.params.get("Filters") or {}
        window = filters.get("TimeWindow") or {}
        if window.get("StartTime") and window.get("EndTime") and window["StartTime"] > window["EndTime"]:
            raise errors.error("InvalidTimeRangeException", "The specified time range is not valid.")  # ours
        with self.store.lock:
            found = list(self.state(ctx).resource_evaluations.values())
        if filters.get("EvaluationMode"):
            found = [f for f in found if f["EvaluationMode"] == filters["EvaluationMode"]]
        if filters.get("EvaluationContextIdentifier"):
            found = [f for f in found if (f.get("EvaluationContext") or {}).get("EvaluationContextIdentifier")
                     == filters["EvaluationContextIdentifier"]]
        if window.get("StartTime"):
            found = [f for f in found if f["EvaluationStartTimestamp"] >= window["StartTime"]]
        if window.get("EndTime"):
            found = [f for f in found if f["EvaluationStartTimestamp"] <= window["EndTime"]]
        page, token = self.page(ctx, found, default=25)
        out: dict[str, Any] = {"ResourceEvaluations": [
            {k: f[k] for k in ("ResourceEvaluationId", "EvaluationMode", "EvaluationStartTimestamp")} for f in page]}
        if token:
            out["NextToken"] = token
        return out

