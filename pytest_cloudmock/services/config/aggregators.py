"""Aggregators and aggregation authorizations (stored), and the aggregate reads, answered
from this account's and Region's own items, rules and packs."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from . import compliance, errors
from .base import all_types
from .discovery import DiscoveryOperations
from .items import base_item, history_item, when
from .packs import PackOperations


class AggregatorOperations(PackOperations, DiscoveryOperations):
    """Aggregators, authorizations, pending requests and aggregate reads."""

    def put_configuration_aggregator(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        accounts, organization = p.get("AccountAggregationSources"), p.get("OrganizationAggregationSource")
        if bool(accounts) == bool(organization):
            raise errors.invalid_parameter("Specify either AccountAggregationSources or "
                                           "OrganizationAggregationSource.")  # wording ours
        for source in (accounts or []) + ([organization] if organization else []):
            if source.get("AllAwsRegions") and source.get("AwsRegions"):
                raise errors.invalid_parameter("You cannot specify both AllAwsRegions and AwsRegions.")  # ours
            if not source.get("AllAwsRegions") and not source.get("AwsRegions"):
                raise errors.invalid_parameter("Specify AllAwsRegions or AwsRegions.")  # wording ours
        if accounts and len(accounts) > 1:
            raise errors.invalid_parameter("AccountAggregationSources accepts a single source.")  # wording ours
        name = p["ConfigurationAggregatorName"]
        now = when(ctx.clock.now())
        state = self.state(ctx)
        with self.store.lock:
            existing = state.aggregators.get(name)
            arn = existing["ConfigurationAggregatorArn"] if existing else self.arn(
                ctx, f"config-aggregator/{self.short_id('config-aggregator')}")
            aggregator: dict[str, Any] = {"ConfigurationAggregatorName": name, "ConfigurationAggregatorArn": arn,
                                          "CreationTime": existing["CreationTime"] if existing else now,
                                          "LastUpdatedTime": now}
            if accounts:
                aggregator["AccountAggregationSources"] = accounts
            else:
                aggregator["OrganizationAggregationSource"] = organization
            if p.get("AggregatorFilters"):
                aggregator["AggregatorFilters"] = p["AggregatorFilters"]
            state.aggregators[name] = aggregator
            self.put_tags(state, arn, p.get("Tags"))
        return {"ConfigurationAggregator": aggregator}

    def aggregator(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigurationAggregatorName"]
        with self.store.lock:
            found = self.state(ctx).aggregators.get(name)
        if found is None:
            raise errors.no_aggregator(name)
        return found

    def describe_configuration_aggregators(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stored = dict(self.state(ctx).aggregators)
        names = ctx.params.get("ConfigurationAggregatorNames") or sorted(stored)
        for name in names:
            if name not in stored:
                raise errors.no_aggregator(name)
        page, token = self.page(ctx, [stored[n] for n in names], default=100)
        out: dict[str, Any] = {"ConfigurationAggregators": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_configuration_aggregator(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.aggregator(ctx)
        with self.store.lock:
            state = self.state(ctx)
            state.aggregators.pop(found["ConfigurationAggregatorName"], None)
            state.tags.pop(found["ConfigurationAggregatorArn"], None)
        return {}

    def describe_configuration_aggregator_sources_status(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.aggregator(ctx)
        rows = []
        for source in found.get("AccountAggregationSources") or []:
            regions = source.get("AwsRegions") or [ctx.region]
            for account in source["AccountIds"]:
                for region in regions:
                    rows.append({"SourceId": account, "SourceType": "ACCOUNT", "AwsRegion": region,
                                 "LastUpdateStatus": "SUCCEEDED", "LastUpdateTime": found["LastUpdatedTime"]})
        if found.get("OrganizationAggregationSource"):
            rows.append({"SourceId": ctx.account_id, "SourceType": "ORGANIZATION", "AwsRegion": ctx.region,
                         "LastUpdateStatus": "SUCCEEDED", "LastUpdateTime": found["LastUpdatedTime"]})
        wanted = ctx.params.get("UpdateStatus")
        if wanted:
            rows = [r for r in rows if r["LastUpdateStatus"] in wanted]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"AggregatedSourceStatusList": page}
        if token:
            out["NextToken"] = token
        return out

    # -- authorizations -------------------------------------------------------------------
    def put_aggregation_authorization(self, ctx: RequestContext) -> dict[str, Any]:
        account, region = ctx.params["AuthorizedAccountId"], ctx.params["AuthorizedAwsRegion"]
        state = self.state(ctx)
        with self.store.lock:
            authorization = state.authorizations.get((account, region)) or {
                "AggregationAuthorizationArn": self.arn(ctx, f"aggregation-authorization/{account}/{region}"),
                "AuthorizedAccountId": account, "AuthorizedAwsRegion": region,
                "CreationTime": when(ctx.clock.now())}
            state.authorizations[(account, region)] = authorization
            self.put_tags(state, authorization["AggregationAuthorizationArn"], ctx.params.get("Tags"))
        return {"AggregationAuthorization": authorization}

    def describe_aggregation_authorizations(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            rows = [a for _, a in sorted(self.state(ctx).authorizations.items())]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"AggregationAuthorizations": page}
        if token:
            out["NextToken"] = token
        return out

    def delete_aggregation_authorization(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            found = state.authorizations.pop((ctx.params["AuthorizedAccountId"], ctx.params["AuthorizedAwsRegion"]),
                                             None)
            if found:
                state.tags.pop(found["AggregationAuthorizationArn"], None)
        return {}

    def describe_pending_aggregation_requests(self, ctx: RequestContext) -> dict[str, Any]:
        """No other account asks this one to aggregate here: always empty."""
        return {"PendingAggregationRequests": []}

    def delete_pending_aggregation_request(self, ctx: RequestContext) -> dict[str, Any]:
        return {}

    # -- aggregate reads (this account and Region) -------------------------------------------
    def _mine(self, ctx: RequestContext, account: str | None, region: str | None) -> bool:
        return (not account or account == ctx.account_id) and (not region or region == ctx.region)

    def list_aggregate_discovered_resources(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        items = self.latest(ctx, [ctx.params["ResourceType"]]) if self._mine(ctx, f.get("AccountId"),
                                                                              f.get("Region")) else []
        items = [i for i in items if (not f.get("ResourceId") or i.resource_id == f["ResourceId"]) and (
            not f.get("ResourceName") or i.resource_name == f["ResourceName"])]
        page, token = self.page(ctx, items, default=100)
        out: dict[str, Any] = {"ResourceIdentifiers": [
            {"SourceAccountId": ctx.account_id, "SourceRegion": ctx.region, "ResourceId": i.resource_id,
             "ResourceType": i.resource_type, **({"ResourceName": i.resource_name} if i.resource_name else {})}
            for i in page]}
        if token:
            out["NextToken"] = token
        return out

    def batch_get_aggregate_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        identifiers = ctx.params["ResourceIdentifiers"]
        current = self.record(ctx, {i["ResourceType"] for i in identifiers})
        found, unprocessed = [], []
        for ident in identifiers:
            if not self._mine(ctx, ident["SourceAccountId"], ident["SourceRegion"]):
                unprocessed.append(ident)
                continue
            item = current.get((ident["ResourceType"], ident["ResourceId"]))
            if item is not None and not item.deleted:
                found.append(base_item(item, ctx.account_id))
        return {"BaseConfigurationItems": found, "UnprocessedResourceIdentifiers": unprocessed}

    def get_aggregate_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        ident = ctx.params["ResourceIdentifier"]
        item = None
        if self._mine(ctx, ident["SourceAccountId"], ident["SourceRegion"]):
            item = self.record(ctx, [ident["ResourceType"]]).get((ident["ResourceType"], ident["ResourceId"]))
        if item is None or item.deleted:
            raise errors.not_discovered(ident["ResourceType"], ident["ResourceId"])
        return {"ConfigurationItem": history_item(item, ctx.account_id)}

    def get_aggregate_discovered_resource_counts(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        types = [f["ResourceType"]] if f.get("ResourceType") else all_types()
        items = self.latest(ctx, types) if self._mine(ctx, f.get("AccountId"), f.get("Region")) else []
        key = ctx.params.get("GroupByKey")
        out: dict[str, Any] = {"TotalDiscoveredResources": len(items)}
        if key:
            groups: dict[str, int] = {}
            for item in items:
                name = {"RESOURCE_TYPE": item.resource_type, "ACCOUNT_ID": ctx.account_id}.get(key, ctx.region)
                groups[name] = groups.get(name, 0) + 1
            page, token = self.page(ctx, sorted(groups.items()), default=1000)
            out.update(GroupByKey=key, GroupedResourceCounts=[{"GroupName": g, "ResourceCount": n} for g, n in page])
            if token:
                out["NextToken"] = token
        return out

    def select_aggregate_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        return self.select(ctx, ctx.params["Expression"], default=25)

    def _rule_verdicts(self, ctx: RequestContext) -> list[tuple[str, dict[str, Any]]]:
        evaluations = self._evaluations(ctx)
        return [(r["ConfigRuleName"], compliance.verdict(evaluations.get(r["ConfigRuleName"], {}).values()))
                for r in self.rules(ctx, None)]

    def describe_aggregate_compliance_by_config_rules(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        rows = [{"ConfigRuleName": name, "Compliance": verdict, "AccountId": ctx.account_id, "AwsRegion": ctx.region}
                for name, verdict in self._rule_verdicts(ctx)
                if self._mine(ctx, f.get("AccountId"), f.get("AwsRegion"))
                and (not f.get("ConfigRuleName") or name == f["ConfigRuleName"])
                and (not f.get("ComplianceType") or verdict["ComplianceType"] == f["ComplianceType"])]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"AggregateComplianceByConfigRules": page}
        if token:
            out["NextToken"] = token
        return out

    def get_aggregate_compliance_details_by_config_rule(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        p = ctx.params
        rows = []
        if self._mine(ctx, p["AccountId"], p["AwsRegion"]):
            for result in self._evaluations(ctx).get(p["ConfigRuleName"], {}).values():
                if not p.get("ComplianceType") or result["ComplianceType"] == p["ComplianceType"]:
                    rows.append({**{k: result[k] for k in ("EvaluationResultIdentifier", "ComplianceType",
                                                           "ResultRecordedTime", "ConfigRuleInvokedTime",
                                                           "Annotation") if k in result},
                                 "AccountId": ctx.account_id, "AwsRegion": ctx.region})
        page, token = self.page(ctx, rows, default=50)
        out: dict[str, Any] = {"AggregateEvaluationResults": page}
        if token:
            out["NextToken"] = token
        return out

    def get_aggregate_config_rule_compliance_summary(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        verdicts = [v["ComplianceType"] for _, v in self._rule_verdicts(ctx)] if self._mine(
            ctx, f.get("AccountId"), f.get("AwsRegion")) else []
        key = ctx.params.get("GroupByKey") or "ACCOUNT_ID"
        counts = [{"GroupName": ctx.account_id if key == "ACCOUNT_ID" else ctx.region,
                   "ComplianceSummary": compliance.summary(verdicts.count("COMPLIANT"), verdicts.count("NON_COMPLIANT"),
                                                           when(ctx.clock.now()))}] if verdicts else []
        return {"GroupByKey": key, "AggregateComplianceCounts": counts}

    def _pack_rows(self, ctx: RequestContext) -> list[dict[str, Any]]:
        rows = []
        for pack in self.packs(ctx, None):
            verdicts = self.pack_rule_verdicts(ctx, pack)
            types = [v["ComplianceType"] for v in verdicts.values()]
            rows.append({"ConformancePackName": pack["ConformancePackName"], "AccountId": ctx.account_id,
                         "AwsRegion": ctx.region, "Compliance": {
                             "ComplianceType": self.pack_verdict(verdicts),
                             "CompliantRuleCount": types.count("COMPLIANT"),
                             "NonCompliantRuleCount": types.count("NON_COMPLIANT"), "TotalRuleCount": len(types)}})
        return rows

    def describe_aggregate_compliance_by_conformance_packs(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        rows = [r for r in self._pack_rows(ctx) if self._mine(ctx, f.get("AccountId"), f.get("AwsRegion"))
                and (not f.get("ConformancePackName") or r["ConformancePackName"] == f["ConformancePackName"])
                and (not f.get("ComplianceType") or r["Compliance"]["ComplianceType"] == f["ComplianceType"])]
        page, token = self.page(ctx, rows, default=100)
        out: dict[str, Any] = {"AggregateComplianceByConformancePacks": page}
        if token:
            out["NextToken"] = token
        return out

    def get_aggregate_conformance_pack_compliance_summary(self, ctx: RequestContext) -> dict[str, Any]:
        self.aggregator(ctx)
        f = ctx.params.get("Filters") or {}
        rows = self._pack_rows(ctx) if self._mine(ctx, f.get("AccountId"), f.get("AwsRegion")) else []
        key = ctx.params.get("GroupByKey") or "ACCOUNT_ID"
        types = [r["Compliance"]["ComplianceType"] for r in rows]
        summaries = [{"GroupName": ctx.account_id if key == "ACCOUNT_ID" else ctx.region,
                      "ComplianceSummary": {"CompliantConformancePackCount": types.count("COMPLIANT"),
                                            "NonCompliantConformancePackCount": types.count("NON_COMPLIANT")}}
                     ] if rows else []
        return {"GroupByKey": key, "AggregateConformancePackComplianceSummaries": summaries}
