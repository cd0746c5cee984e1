"""What SES publishes to a CloudWatch event destination: one `AWS/SES` metric datum per event.

As the SES Developer Guide documents it: the metric is named after the event type (Send,
Reject, Bounce, Complaint, Delivery, RenderingFailure, DeliveryDelay), counted, with one
dimension per `DimensionConfiguration` of the destination. A dimension's value comes from
the message's tags (`MESSAGE_TAG`, auto-tags such as `ses:configuration-set` included), from a
header of the message (`EMAIL_HEADER`) or from a tag in a clicked link (`LINK_TAG`: no link is
ever clicked here), else the configuration's `DefaultDimensionValue`. v1 spells the sources
`messageTag`, `emailHeader`, `linkTag`; both spellings are read.
"""

from __future__ import annotations

from typing import Any

NAMESPACE = "AWS/SES"
#: stored event type -> metric name (AWS's exact name for rendering failures is not documented
#: beside the event type's own spelling, `RenderingFailure`)
METRIC_NAMES = {
    "SEND": "Send", "REJECT": "Reject", "BOUNCE": "Bounce", "COMPLAINT": "Complaint", "DELIVERY": "Delivery",
    "RENDERING_FAILURE": "RenderingFailure", "DELIVERY_DELAY": "DeliveryDelay",
}
_SOURCES = {"messagetag": "MESSAGE_TAG", "message_tag": "MESSAGE_TAG", "emailheader": "EMAIL_HEADER",
            "email_header": "EMAIL_HEADER", "linktag": "LINK_TAG", "link_tag": "LINK_TAG"}


def _count(kind: str, record: dict[str, Any]) -> float:
    """Recipients an event stands for (AWS counts each recipient's delivery, bounce, complaint)."""
    if kind == "DELIVERY":
        return float(len(record["delivery"].get("recipients") or []) or 1)
    if kind == "BOUNCE":
        return float(len(record["bounce"].get("bouncedRecipients") or []) or 1)
    if kind == "COMPLAINT":
        return float(len(record["complaint"].get("complainedRecipients") or []) or 1)
    return 1.0


def dimension_value(config: dict[str, Any], mail: dict[str, Any]) -> str:
    """One dimension's value for a message (`mail`: the event's mail object)."""
    name = config["DimensionName"]
    source = _SOURCES.get(str(config.get("DimensionValueSource", "")).lower(), "")
    if source == "MESSAGE_TAG":
        values = (mail.get("tags") or {}).get(name)
        if values and values[0]:
            return str(values[0])
    elif source == "EMAIL_HEADER":
        for header in mail.get("headers") or []:
            if header["name"].lower() == name.lower() and header["value"]:
                return str(header["value"])
    return str(config["DefaultDimensionValue"])


def metric_datum(kind: str, record: dict[str, Any], dimensions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The `PutMetricData` datum for one event record (None: an event type with no metric)."""
    name = METRIC_NAMES.get(kind)
    if name is None:
        return None
    mail = record.get("mail") or {}
    return {"MetricName": name, "Unit": "Count", "Value": _count(kind, record),
            "Dimensions": [{"Name": c["DimensionName"], "Value": dimension_value(c, mail)} for c in dimensions]}
