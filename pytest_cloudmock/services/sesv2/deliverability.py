"""The Deliverability dashboard and inbox placement tests: stored, answered in AWS's shapes.

No mail leaves the gateway, so placement numbers, campaigns, statistics and blacklist
reports are empty or zero; what a test sets (dashboard subscription, test reports) reads back.
"""

from __future__ import annotations

import email
import re
from datetime import timedelta
from typing import Any

from ...api import AWSError, RequestContext
from .base import new_id
from .errors import bad_request, not_found
from .shared import SharedCore
from .state import TestReport

_PLACEMENT = {"InboxPercentage": 0.0, "SpamPercentage": 0.0, "MissingPercentage": 0.0,
              "SpfPercentage": 0.0, "DkimPercentage": 0.0}
_VOLUME = {"InboxRawCount": 0, "SpamRawCount": 0, "ProjectedInbox": 0, "ProjectedSpam": 0}
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ROLE_PARTS = frozenset({"admin", "info", "support", "sales", "postmaster", "abuse", "noreply", "no-reply", "webmaster"})


def subject_of(content: dict[str, Any]) -> str:
    """The subject of an `EmailContent` given inline (simple, raw or inline template)."""
    if "Simple" in content:
        return content["Simple"]["Subject"].get("Data", "")
    if "Raw" in content:
        data = content["Raw"]["Data"]
        parsed = email.message_from_bytes(data if isinstance(data, bytes) else str(data).encode())
        return str(parsed.get("Subject", ""))
    return ((content.get("Template") or {}).get("TemplateContent") or {}).get("Subject", "")


class DeliverabilityOperations(SharedCore):
    def put_deliverability_dashboard_option(self, ctx: RequestContext) -> dict[str, Any]:
        now = ctx.clock.utcnow()
        domains = [{**d, "SubscriptionStartDate": d.get("SubscriptionStartDate", now)}
                   for d in ctx.params.get("SubscribedDomains") or []]
        with self.store.lock:
            dashboard = self.state(ctx).dashboard
            dashboard.enabled = ctx.params["DashboardEnabled"]
            dashboard.domains = domains if dashboard.enabled else []
        return {}

    def get_deliverability_dashboard_options(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            dashboard = self.state(ctx).dashboard
            return {"DashboardEnabled": dashboard.enabled,
                    "AccountStatus": "ACTIVE" if dashboard.enabled else "DISABLED",
                    "ActiveSubscribedDomains": [dict(d) for d in dashboard.domains],
                    "PendingExpirationSubscribedDomains": []}

    # -- inbox placement tests -----------------------------------------------------------------
    def create_deliverability_test_report(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self.check_sender(ctx, p["FromEmailAddress"])
        subject = subject_of(p["Content"])
        stored = (p["Content"].get("Template") or {}).get("TemplateName")
        if not subject and stored:
            with self.locked(ctx) as core:
                template = core.templates.get(stored)
            if template is None:
                raise not_found(f"Template {stored} does not exist.")  # v1's wording
            subject = template.subject or ""
        report = TestReport(new_id(), p.get("ReportName"), subject, p["FromEmailAddress"], ctx.clock.utcnow())
        with self.store.lock:
            self.state(ctx).reports[report.id] = report
            self.set_tags(ctx, self.arn(ctx, f"deliverability-test-report/{report.id}"), p.get("Tags"))
        return {"ReportId": report.id, "DeliverabilityTestStatus": "IN_PROGRESS"}

    def check_sender(self, ctx: RequestContext, address: str) -> None:
        """Refuse a test from an address that is not a verified identity."""
        with self.locked(ctx) as core:
            verified = self.ses(ctx).is_verified(core, address)
        if not verified:
            raise AWSError("MessageRejected", f"Email address is not verified. The following identities failed "
                           f"the check in region {ctx.region.upper()}: {address}", 400)  # the core's send wording

    @staticmethod
    def _report(report: TestReport) -> dict[str, Any]:
        out: dict[str, Any] = {"ReportId": report.id, "Subject": report.subject, "FromEmailAddress": report.from_address,
                               "CreateDate": report.created, "DeliverabilityTestStatus": "COMPLETED"}
        if report.name is not None:
            out["ReportName"] = report.name
        return out

    def get_deliverability_test_report(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            report = self.state(ctx).reports.get(ctx.params["ReportId"])
            if report is None:
                raise not_found(f"Report {ctx.params['ReportId']} does not exist.")  # wording ours
            return {"DeliverabilityTestReport": self._report(report), "OverallPlacement": dict(_PLACEMENT),
                    "IspPlacements": [],
                    "Tags": self.tag_list(ctx, self.arn(ctx, f"deliverability-test-report/{report.id}"))}

    def list_deliverability_test_reports(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            reports = sorted(self.state(ctx).reports.values(), key=lambda r: (r.created, r.id))
        page, more = self.page(ctx, [self._report(r) for r in reports], "reports")
        return {"DeliverabilityTestReports": page, **more}

    # -- dashboard data (none: no mail reaches a mailbox provider) -------------------------------
    def get_domain_deliverability_campaign(self, ctx: RequestContext) -> dict[str, Any]:
        raise not_found(f"Campaign {ctx.params['CampaignId']} does not exist.")  # wording ours

    def _subscribed(self, ctx: RequestContext, domain: str) -> None:
        with self.store.lock:
            domains = {d.get("Domain") for d in self.state(ctx).dashboard.domains}
        if domain not in domains:
            raise not_found(f"Domain {domain} is not subscribed to the Deliverability dashboard.")  # wording ours

    @staticmethod
    def _window(ctx: RequestContext) -> tuple[Any, Any]:
        start, end = ctx.params["StartDate"], ctx.params["EndDate"]
        if end < start:
            raise bad_request("EndDate must be after StartDate.")  # wording ours
        if end - start > timedelta(days=30):
            raise bad_request("The time range must not exceed 30 days.")  # AWS documents 30 days; wording ours
        return start, end

    def list_domain_deliverability_campaigns(self, ctx: RequestContext) -> dict[str, Any]:
        self._window(ctx)
        self._subscribed(ctx, ctx.params["SubscribedDomain"])
        return {"DomainDeliverabilityCampaigns": []}

    def get_domain_statistics_report(self, ctx: RequestContext) -> dict[str, Any]:
        start, end = self._window(ctx)
        self._subscribed(ctx, ctx.params["Domain"])
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        days = []
        while day <= end:
            days.append({"StartDate": day, "VolumeStatistics": dict(_VOLUME), "DomainIspPlacements": []})
            day += timedelta(days=1)
        return {"OverallVolume": {"VolumeStatistics": dict(_VOLUME), "ReadRatePercent": 0.0, "DomainIspPlacements": []},
                "DailyVolumes": days}

    def get_blacklist_reports(self, ctx: RequestContext) -> dict[str, Any]:
        return {"BlacklistReport": {name: [] for name in ctx.params["BlacklistItemNames"]}}

    def list_recommendations(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Recommendations": []}

    def get_email_address_insights(self, ctx: RequestContext) -> dict[str, Any]:
        """Mailbox validation from the address alone (no DNS: the network is closed)."""
        address = ctx.params["EmailAddress"]
        valid = bool(_ADDRESS.match(address))
        local, _, domain = address.partition("@")
        simulated_bounce = domain.lower() == "simulator.amazonses.com" and local.lower().startswith("bounce")

        def verdict(yes: bool) -> dict[str, str]:
            return {"ConfidenceVerdict": "HIGH" if yes else "LOW"}

        exists = valid and not simulated_bounce
        return {"MailboxValidation": {
            "IsValid": verdict(exists),
            "Evaluations": {"HasValidSyntax": verdict(valid), "HasValidDnsRecords": verdict(valid),
                            "MailboxExists": verdict(exists), "IsRoleAddress": verdict(local.lower() in _ROLE_PARTS),
                            "IsDisposable": verdict(False), "IsRandomInput": verdict(False)},
        }}
