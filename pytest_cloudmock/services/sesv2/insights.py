"""What the captured mail tells: `GetMessageInsights`, `BatchGetMetricData` and the rows an
export job writes, from the messages SES accepted (both APIs) in this account and region.

Each recipient's fate is the mailbox simulator's (delivered, bounced, complained); opens and
clicks never happen here, so those metrics are 0.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ...api import RequestContext
from ..ses.events import simulate
from ..ses.state import SentMessage
from .errors import bad_request, not_found
from .shared import SharedCore

#: BatchGetMetricData metric -> the recipient events it counts
METRIC_EVENTS = {"SEND": "SEND", "DELIVERY": "DELIVERY", "PERMANENT_BOUNCE": "BOUNCE", "COMPLAINT": "COMPLAINT"}


def recipient_events(msg: SentMessage) -> list[tuple[str, str]]:
    """(recipient, event type) for every recipient of a message: SEND, then its fate."""
    outcome = simulate(msg.destinations, set())
    found = [(r, "SEND") for r in msg.destinations]
    found += [(r, "DELIVERY") for r in outcome.delivered]
    found += [(r, "BOUNCE") for r, _t, _s in outcome.bounced]
    found += [(r, "COMPLAINT") for r in outcome.complained]
    return found


def _matches(msg: SentMessage, dimensions: dict[str, str]) -> bool:
    if "EMAIL_IDENTITY" in dimensions and dimensions["EMAIL_IDENTITY"] not in (msg.source, msg.source.rpartition("@")[2]):
        return False
    return "CONFIGURATION_SET" not in dimensions or dimensions["CONFIGURATION_SET"] == msg.configuration_set


class InsightOperations(SharedCore):
    def messages_between(self, ctx: RequestContext, start: datetime, end: datetime) -> list[SentMessage]:
        with self.locked(ctx) as core:
            return [m for m in core.messages if start <= m.time <= end]

    def get_message_insights(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = ctx.params["MessageId"]
        with self.locked(ctx) as core:
            msg = next((m for m in core.messages if m.message_id == wanted), None)
        if msg is None:
            raise not_found(f"Message {wanted} does not exist.")  # wording ours
        insights: dict[str, list[dict[str, Any]]] = {r: [] for r in msg.destinations}
        for recipient, kind in recipient_events(msg):
            insights[recipient].append({"Timestamp": msg.time, "Type": kind})
        return {"MessageId": msg.message_id, "FromEmailAddress": msg.source, "Subject": msg.subject,
                "EmailTags": [{"Name": k, "Value": v} for k, v in msg.tags.items()],
                "Insights": [{"Destination": r, "Isp": "UNKNOWN_ISP", "Events": events} for r, events in insights.items()]}

    def daily_counts(self, ctx: RequestContext, metric: str, dimensions: dict[str, str], start: datetime,
                     end: datetime) -> list[tuple[datetime, int]]:
        """(day, count) of one metric over the captured mail, a point per day of the window."""
        kind = METRIC_EVENTS.get(metric)
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        counts: dict[datetime, int] = {}
        while day <= end:
            counts[day] = 0
            day += timedelta(days=1)
        for msg in self.messages_between(ctx, start, end):
            if kind and _matches(msg, dimensions):
                bucket = msg.time.replace(hour=0, minute=0, second=0, microsecond=0)
                counts[bucket] = counts.get(bucket, 0) + sum(1 for _r, k in recipient_events(msg) if k == kind)
        return sorted(counts.items())

    def batch_get_metric_data(self, ctx: RequestContext) -> dict[str, Any]:
        results = []
        for query in ctx.params["Queries"]:
            if query["EndDate"] < query["StartDate"]:
                raise bad_request("EndDate must be after StartDate.")  # wording ours
            points = self.daily_counts(ctx, query["Metric"], query.get("Dimensions") or {}, query["StartDate"],
                                       query["EndDate"])
            results.append({"Id": query["Id"], "Timestamps": [d for d, _ in points], "Values": [n for _, n in points]})
        return {"Results": results, "Errors": []}

    def export_rows(self, ctx: RequestContext, source: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of an export job: one per message and recipient (message insights), or one per
        metric and day (metrics data)."""
        if "MessageInsightsDataSource" in source:
            src = source["MessageInsightsDataSource"]
            rows = []
            for msg in self.messages_between(ctx, src["StartDate"], src["EndDate"]):
                fates = dict(recipient_events(msg)[len(msg.destinations):])
                rows += [{"messageId": msg.message_id, "fromEmailAddress": msg.source, "subject": msg.subject,
                          "destination": r, "sendTimestamp": msg.time.isoformat(),
                          "lastDeliveryEvent": fates.get(r, "SEND")} for r in msg.destinations]
            return rows[:src["MaxResults"]] if src.get("MaxResults") else rows
        src = source["MetricsDataSource"]
        dimensions = {k: (v[0] if isinstance(v, list) and v else v) for k, v in (src.get("Dimensions") or {}).items()}
        rows = []
        for metric in src["Metrics"]:
            for day, count in self.daily_counts(ctx, metric["Name"], dimensions, src["StartDate"], src["EndDate"]):
                rows.append({"timestamp": day.isoformat(), "metric": metric["Name"],
                             "aggregation": metric.get("Aggregation", "VOLUME"), "value": count})
        return rows
