"""CloudWatch event destinations: SES publishes its events as `AWS/SES` metrics, with the
destination's dimensions, read back with GetMetricStatistics (v1 and v2 destinations)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .test_ses_sending import simple


def _dims(*configs: tuple[str, str, str]) -> dict[str, Any]:
    return {"DimensionConfigurations": [
        {"DimensionName": n, "DimensionValueSource": s, "DefaultDimensionValue": d} for n, s, d in configs]}


def _sum(cw: Any, aws: Any, metric: str, dimensions: dict[str, str]) -> float:
    now = aws.registry.clock.utcnow()
    points = cw.get_metric_statistics(
        Namespace="AWS/SES", MetricName=metric, Statistics=["Sum"], Period=60,
        StartTime=now - timedelta(minutes=5), EndTime=now + timedelta(minutes=5),
        Dimensions=[{"Name": k, "Value": v} for k, v in dimensions.items()])["Datapoints"]
    return sum(p["Sum"] for p in points)


def test_v1_destination_publishes_send_delivery_bounce_with_tag_and_default_dimensions(
        ses, sender, production, client, aws) -> None:
    cw = client("cloudwatch")
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "metrics", "Enabled": True, "MatchingEventTypes": ["send", "delivery", "bounce"],
        "CloudWatchDestination": _dims(("campaign", "messageTag", "none"),
                                       ("ses:configuration-set", "messageTag", "unset"))})
    simple(ses, sender, "a@example.org", "b@example.org", ConfigurationSetName="cs",
           Tags=[{"Name": "campaign", "Value": "spring"}])
    simple(ses, sender, "bounce@simulator.amazonses.com", ConfigurationSetName="cs")
    aws.settle()
    spring = {"campaign": "spring", "ses:configuration-set": "cs"}
    untagged = {"campaign": "none", "ses:configuration-set": "cs"}
    assert _sum(cw, aws, "Send", spring) == 1 and _sum(cw, aws, "Delivery", spring) == 2
    assert _sum(cw, aws, "Send", untagged) == 1 and _sum(cw, aws, "Bounce", untagged) == 1
    assert _sum(cw, aws, "Delivery", untagged) == 0  # the bounced message delivered nothing
    assert _sum(cw, aws, "Complaint", spring) == 0  # not a matching event type
    listed = cw.list_metrics(Namespace="AWS/SES")["Metrics"]
    assert {m["MetricName"] for m in listed} == {"Send", "Delivery", "Bounce"}


def test_v2_destination_reads_email_headers_and_disabled_ones_publish_nothing(sender, production, client, aws) -> None:
    cw, v2 = client("cloudwatch"), client("sesv2")
    v2.create_configuration_set(ConfigurationSetName="cs2")
    v2.create_configuration_set_event_destination(ConfigurationSetName="cs2", EventDestinationName="m", EventDestination={
        "Enabled": True, "MatchingEventTypes": ["SEND", "COMPLAINT"],
        "CloudWatchDestination": _dims(("X-Team", "EMAIL_HEADER", "nobody"), ("link", "LINK_TAG", "nolink"))})
    v2.create_configuration_set_event_destination(ConfigurationSetName="cs2", EventDestinationName="off",
                                                  EventDestination={
        "Enabled": False, "MatchingEventTypes": ["SEND"],
        "CloudWatchDestination": _dims(("other", "MESSAGE_TAG", "x"))})
    raw = (f"From: {sender}\r\nTo: complaint@simulator.amazonses.com\r\nX-Team: billing\r\nSubject: s\r\n\r\nbody"
           ).encode()
    v2.send_email(FromEmailAddress=sender, ConfigurationSetName="cs2", Content={"Raw": {"Data": raw}})
    aws.settle()
    assert _sum(cw, aws, "Send", {"X-Team": "billing", "link": "nolink"}) == 1
    assert _sum(cw, aws, "Complaint", {"X-Team": "billing", "link": "nolink"}) == 1
    assert _sum(cw, aws, "Send", {"other": "x"}) == 0


def test_callers_still_may_not_publish_to_aws_namespaces(client) -> None:
    with pytest.raises(ClientError) as caught:
        client("cloudwatch").put_metric_data(Namespace="AWS/SES", MetricData=[{"MetricName": "Send", "Value": 1}])
    assert caught.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_a_rendering_failure_is_counted(ses, sender, production, client, aws) -> None:
    ses.create_configuration_set(ConfigurationSet={"Name": "cs"})
    ses.create_configuration_set_event_destination(ConfigurationSetName="cs", EventDestination={
        "Name": "metrics", "Enabled": True, "MatchingEventTypes": ["renderingFailure", "send"],
        "CloudWatchDestination": _dims(("ses:operation", "messageTag", "none"))})
    ses.create_template(Template={"TemplateName": "t", "SubjectPart": "Hi {{name}}", "TextPart": "x"})
    ses.send_templated_email(Source=sender, Destination={"ToAddresses": ["a@example.org"]}, Template="t",
                             TemplateData="{}", ConfigurationSetName="cs")
    aws.settle()
    cw = client("cloudwatch")
    assert _sum(cw, aws, "RenderingFailure", {"ses:operation": "SendTemplatedEmail"}) == 1
    assert _sum(cw, aws, "Send", {"ses:operation": "SendTemplatedEmail"}) == 0  # nothing was sent
