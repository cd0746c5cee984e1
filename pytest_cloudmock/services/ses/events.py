"""What SES tells others about a message: identity notifications and configuration-set events.

Two JSON formats, as AWS documents them:
- identity notifications (`notificationType`: Bounce, Complaint, Delivery) published to the
  SNS topics set on the sending identity (`SetIdentityNotificationTopic`);
- event publishing (`eventType`: Send, Reject, Bounce, Complaint, Delivery, Rendering Failure,
  ...) to a configuration set's enabled destinations matching the event type: SNS
  (`Publish`), Kinesis Data Firehose (`PutRecord`, one JSON line), EventBridge (`PutEvents`,
  source `aws.ses`), CloudWatch (`PutMetricData` in `AWS/SES`, metrics.py).
Deliveries go through `ctx.registry.call` on the gateway's dispatcher (asynchronous, as in
AWS: tests call `cloudmock.settle()`); a failed delivery is dropped, as SES drops it.
"""

from __future__ import annotations

import copy
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...api import RequestContext
from .metrics import NAMESPACE, metric_datum
from .mime import bare_address, domain_of
from .state import ConfigurationSet, EventDestination, SentMessage

log = logging.getLogger(__name__)

#: v1 MatchingEventTypes spelling <-> the stored (v2) spelling
V1_EVENT_TYPES = {
    "send": "SEND", "reject": "REJECT", "bounce": "BOUNCE", "complaint": "COMPLAINT", "delivery": "DELIVERY",
    "open": "OPEN", "click": "CLICK", "renderingFailure": "RENDERING_FAILURE", "deliveryDelay": "DELIVERY_DELAY",
    "subscription": "SUBSCRIPTION",
}
#: stored event type -> (eventType in the JSON, its detail key, EventBridge detail-type)
EVENT_NAMES = {
    "SEND": ("Send", "send", "Email Sent"),
    "REJECT": ("Reject", "reject", "Email Rejected"),
    "BOUNCE": ("Bounce", "bounce", "Email Bounced"),
    "COMPLAINT": ("Complaint", "complaint", "Email Complaint Received"),
    "DELIVERY": ("Delivery", "delivery", "Email Delivered"),
    "RENDERING_FAILURE": ("Rendering Failure", "failure", "Email Rendering Failed"),
    "DELIVERY_DELAY": ("DeliveryDelay", "deliveryDelay", "Email Delivery Delayed"),
}


def iso(time: datetime) -> str:
    """AWS's notification timestamp: `2016-01-27T14:59:38.237Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"


@dataclass
class Outcome:
    """What happened to one message's recipients (the mailbox simulator decides, else delivered)."""

    delivered: list[str] = field(default_factory=list)
    bounced: list[tuple[str, str, str]] = field(default_factory=list)  # (address, bounceType, bounceSubType)
    complained: list[str] = field(default_factory=list)


SIMULATOR_DOMAIN = "simulator.amazonses.com"


def simulate(recipients: list[str], suppressed: set[str]) -> Outcome:
    """The fate of each recipient: the mailbox simulator's addresses (a `+label` is allowed, as
    AWS allows), the account's suppression list, else delivery."""
    outcome = Outcome()
    for address in recipients:
        local, _, domain = address.lower().rpartition("@")
        kind = local.split("+", 1)[0]
        if address.lower() in suppressed:
            outcome.bounced.append((address, "Permanent", "OnAccountSuppressionList"))
        elif domain != SIMULATOR_DOMAIN:
            outcome.delivered.append(address)
        elif kind == "bounce":
            outcome.bounced.append((address, "Permanent", "General"))
        elif kind == "suppressionlist":
            outcome.bounced.append((address, "Permanent", "Suppressed"))
        elif kind == "complaint":
            outcome.delivered.append(address)
            outcome.complained.append(address)
        else:  # success@, ooto@ (delivered; the auto-reply goes to the sender's mailbox) and the rest
            outcome.delivered.append(address)
    return outcome


def mail_object(msg: SentMessage, source_arn: str, *, tags: bool, headers: bool = True) -> dict[str, Any]:
    """The `mail` object both formats carry (identity notifications carry the original headers
    only when the identity asks for them: `SetIdentityHeadersInNotificationsEnabled`)."""
    common = {"from": [msg.source], "to": msg.to, "messageId": msg.message_id, "subject": msg.subject}
    if msg.cc:
        common["cc"] = msg.cc
    if msg.reply_to:
        common["replyTo"] = msg.reply_to
    mail: dict[str, Any] = {
        "timestamp": iso(msg.time), "source": bare_address(msg.source), "sourceArn": source_arn,
        "sourceIp": "127.0.0.1",
        "sendingAccountId": msg.account_id, "messageId": msg.message_id, "destination": msg.destinations,
    }
    if headers:
        mail.update({"headersTruncated": False, "headers": [{"name": n, "value": v} for n, v in msg.headers],
                     "commonHeaders": common})
    if tags:
        mail["tags"] = {
            "ses:operation": [msg.operation], "ses:configuration-set": [msg.configuration_set or ""],
            "ses:source-ip": ["127.0.0.1"], "ses:from-domain": [domain_of(msg.source)],
            "ses:caller-identity": ["cloudmock"], **{k: [v] for k, v in msg.tags.items()},
        }
    return mail


def bounce_detail(bounced: list[tuple[str, str, str]], time: datetime) -> dict[str, Any]:
    bounce_type, sub_type = bounced[0][1], bounced[0][2]
    return {
        "bounceType": bounce_type, "bounceSubType": sub_type, "timestamp": iso(time),
        "feedbackId": f"{uuid.uuid4().hex}-000000", "reportingMTA": "dsn; cloudmock.amazonses.com",
        "bouncedRecipients": [
            {"emailAddress": a, "action": "failed", "status": "5.1.1",
             "diagnosticCode": "smtp; 550 5.1.1 user unknown"} if s != "OnAccountSuppressionList" else
            {"emailAddress": a} for a, _t, s in bounced],
    }


def complaint_detail(complained: list[str], time: datetime) -> dict[str, Any]:
    return {
        "complainedRecipients": [{"emailAddress": a} for a in complained], "timestamp": iso(time),
        "feedbackId": f"{uuid.uuid4().hex}-000000", "complaintFeedbackType": "abuse",
        "userAgent": "Amazon SES Mailbox Simulator", "arrivalDate": iso(time),
        "complaintSubType": None,
    }


def delivery_detail(delivered: list[str], time: datetime) -> dict[str, Any]:
    return {
        "timestamp": iso(time), "processingTimeMillis": 0, "recipients": delivered,
        "smtpResponse": "250 2.6.0 Message received", "remoteMtaIp": "127.0.0.1",
        "reportingMTA": "a8-70.smtp-out.amazonses.com",
    }


def details(outcome: Outcome, time: datetime) -> list[tuple[str, dict[str, Any]]]:
    """(stored event type, detail object) for each notification an outcome produces."""
    found: list[tuple[str, dict[str, Any]]] = []
    if outcome.delivered:
        found.append(("DELIVERY", delivery_detail(outcome.delivered, time)))
    for sub_type in dict.fromkeys(s for _a, _t, s in outcome.bounced):
        found.append(("BOUNCE", bounce_detail([b for b in outcome.bounced if b[2] == sub_type], time)))
    if outcome.complained:
        found.append(("COMPLAINT", complaint_detail(outcome.complained, time)))
    return found


def notification(kind: str, detail: dict[str, Any], mail: dict[str, Any]) -> str:
    """An identity notification (`kind`: BOUNCE, COMPLAINT or DELIVERY)."""
    name, key, _bridge = EVENT_NAMES[kind]
    return json.dumps({"notificationType": name, key: detail, "mail": mail})


def event(kind: str, detail: dict[str, Any], mail: dict[str, Any]) -> dict[str, Any]:
    """A configuration-set event record."""
    name, key, _bridge = EVENT_NAMES[kind]
    return {"eventType": name, "mail": mail, key: detail}


def enabled_destinations(config_set: ConfigurationSet | None) -> list[EventDestination]:
    """A copy of a configuration set's enabled destinations (take it under the store's lock)."""
    if config_set is None:
        return []
    return [copy.deepcopy(d) for d in config_set.destinations.values() if d.enabled]


def publish_events(ctx: RequestContext, targets: list[EventDestination],
                   records: list[tuple[str, dict[str, Any]]]) -> None:
    """Queue each event record to the destinations (`enabled_destinations`) that match its type."""
    registry, account, region = ctx.registry, ctx.account_id, ctx.region
    if registry is None or not targets or not records:
        return

    def deliver() -> None:
        for kind, record in records:
            body = json.dumps(record)
            for dest in targets:
                if kind not in dest.event_types:
                    continue
                try:
                    if dest.sns_topic_arn:
                        registry.call("sns", "Publish", {"TopicArn": dest.sns_topic_arn, "Message": body},
                                      account_id=account, region=region)
                    if dest.firehose_stream_arn:
                        registry.call("firehose", "PutRecord", {
                            "DeliveryStreamName": dest.firehose_stream_arn.rpartition("/")[2],
                            "Record": {"Data": (body + "\n").encode()}}, account_id=account, region=region)
                    if dest.eventbridge_bus_arn:
                        registry.call("events", "PutEvents", {"Entries": [{
                            "Source": "aws.ses", "DetailType": EVENT_NAMES[kind][2], "Detail": body,
                            "EventBusName": dest.eventbridge_bus_arn}]}, account_id=account, region=region)
                except Exception:  # SES drops an event it cannot deliver
                    log.warning("SES event to destination %s dropped", dest.name, exc_info=True)
        for dest in targets:
            if dest.cloudwatch_dimensions is None:
                continue
            data = [d for kind, record in records if kind in dest.event_types
                    for d in [metric_datum(kind, record, dest.cloudwatch_dimensions)] if d is not None]
            try:
                if data:
                    registry.call("cloudwatch", "PutMetricData", {"Namespace": NAMESPACE, "MetricData": data},
                                  account_id=account, region=region)
            except Exception:
                log.warning("SES metrics to destination %s dropped", dest.name, exc_info=True)

    ctx.dispatch(deliver)


def publish_notifications(ctx: RequestContext, topics: dict[str, str], notes: list[tuple[str, str]]) -> None:
    """Queue identity notifications: (kind, JSON) each to `topics[kind]` (kinds BOUNCE, COMPLAINT, DELIVERY)."""
    registry, account, region = ctx.registry, ctx.account_id, ctx.region
    wanted = [(topics[kind], body) for kind, body in notes if topics.get(kind)]
    if registry is None or not wanted:
        return

    def deliver() -> None:
        for arn, body in wanted:
            try:
                registry.call("sns", "Publish", {"TopicArn": arn, "Message": body}, account_id=account, region=region)
            except Exception:
                log.warning("SES notification to %s dropped", arn, exc_info=True)

    ctx.dispatch(deliver)

