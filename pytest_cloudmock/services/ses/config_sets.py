"""SES v1 configuration sets: event destinations, tracking, delivery and reputation options."""

from __future__ import annotations

import re
from typing import Any

from ...api import AWSError, RequestContext
from .base import SesBase
from .errors import (
    config_set_exists,
    config_set_not_found,
    event_destination_exists,
    event_destination_not_found,
    invalid_parameter,
)
from .events import V1_EVENT_TYPES
from .state import ConfigurationSet, EventDestination

_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_V1_NAMES = {v: k for k, v in V1_EVENT_TYPES.items()}


def destination_from_v1(d: dict[str, Any]) -> EventDestination:
    firehose = d.get("KinesisFirehoseDestination") or {}
    cloudwatch = d.get("CloudWatchDestination")
    return EventDestination(
        name=d["Name"], enabled=bool(d.get("Enabled", False)),
        event_types=[V1_EVENT_TYPES.get(t, t.upper()) for t in d.get("MatchingEventTypes", [])],
        sns_topic_arn=(d.get("SNSDestination") or {}).get("TopicARN"),
        firehose_stream_arn=firehose.get("DeliveryStreamARN"), firehose_role_arn=firehose.get("IAMRoleARN"),
        cloudwatch_dimensions=list(cloudwatch.get("DimensionConfigurations", [])) if cloudwatch else None)


def destination_to_v1(d: EventDestination) -> dict[str, Any]:
    out: dict[str, Any] = {"Name": d.name, "Enabled": d.enabled,
                           "MatchingEventTypes": [_V1_NAMES[t] for t in d.event_types if t in _V1_NAMES]}
    if d.sns_topic_arn:
        out["SNSDestination"] = {"TopicARN": d.sns_topic_arn}
    if d.firehose_stream_arn:
        out["KinesisFirehoseDestination"] = {"IAMRoleARN": d.firehose_role_arn or "",
                                             "DeliveryStreamARN": d.firehose_stream_arn}
    if d.cloudwatch_dimensions is not None:
        out["CloudWatchDestination"] = {"DimensionConfigurations": d.cloudwatch_dimensions}
    return out


class ConfigurationSetOperations(SesBase):
    def config_set(self, ctx: RequestContext, name: str | None = None) -> ConfigurationSet:
        name = name if name is not None else ctx.params["ConfigurationSetName"]
        found = self.state(ctx).configuration_sets.get(name)
        if found is None:
            raise config_set_not_found(name)
        return found

    def create_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigurationSet"]["Name"]
        if not _NAME.match(name):
            raise AWSError("InvalidConfigurationSet", "Configuration set name must contain only ASCII letters, "
                           "numbers, underscores or dashes, and be at most 64 characters.", 400)  # AWS's text unknown
        with self.store.lock:
            sets = self.state(ctx).configuration_sets
            if name in sets:
                raise config_set_exists(name)
            sets[name] = ConfigurationSet(name=name, created=ctx.clock.utcnow())
        return {}

    def delete_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.config_set(ctx)
            del self.state(ctx).configuration_sets[ctx.params["ConfigurationSetName"]]
        return {}

    def describe_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = set(ctx.params.get("ConfigurationSetAttributeNames", []))
        with self.store.lock:
            c = self.config_set(ctx)
            out: dict[str, Any] = {"ConfigurationSet": {"Name": c.name}}
            if "eventDestinations" in wanted:
                out["EventDestinations"] = [destination_to_v1(d) for d in c.destinations.values()]
            if "trackingOptions" in wanted and c.custom_redirect_domain is not None:
                out["TrackingOptions"] = {"CustomRedirectDomain": c.custom_redirect_domain}
            if "deliveryOptions" in wanted:
                out["DeliveryOptions"] = {"TlsPolicy": c.tls_policy.title() if c.tls_policy else "Optional"}
            if "reputationOptions" in wanted:
                out["ReputationOptions"] = {"SendingEnabled": c.sending_enabled,
                                            "ReputationMetricsEnabled": c.reputation_metrics_enabled,
                                            **({"LastFreshStart": c.last_fresh_start} if c.last_fresh_start else {})}
            return out

    def list_configuration_sets(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            names = list(self.state(ctx).configuration_sets)
        page, token = self.page(ctx, names)
        return {"ConfigurationSets": [{"Name": n} for n in page], **token}

    # -- event destinations -----------------------------------------------------------------
    def create_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        dest = self._destination(ctx)
        with self.store.lock:
            c = self.config_set(ctx)
            if dest.name in c.destinations:
                raise event_destination_exists(c.name, dest.name)
            c.destinations[dest.name] = dest
        return {}

    def update_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        dest = self._destination(ctx)
        with self.store.lock:
            c = self.config_set(ctx)
            if dest.name not in c.destinations:
                raise event_destination_not_found(c.name, dest.name)
            c.destinations[dest.name] = dest
        return {}

    def delete_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["EventDestinationName"]
        with self.store.lock:
            c = self.config_set(ctx)
            if c.destinations.pop(name, None) is None:
                raise event_destination_not_found(c.name, name)
        return {}

    def _destination(self, ctx: RequestContext) -> EventDestination:
        raw = ctx.params["EventDestination"]
        config = ctx.params["ConfigurationSetName"]
        targets = [k for k in ("SNSDestination", "KinesisFirehoseDestination", "CloudWatchDestination") if raw.get(k)]
        if len(targets) != 1:
            raise invalid_parameter("An event destination must name exactly one of SNSDestination, "
                                    "KinesisFirehoseDestination or CloudWatchDestination.")  # AWS's text unknown
        if not raw.get("MatchingEventTypes"):
            raise invalid_parameter("MatchingEventTypes must not be empty.")  # AWS's text unknown
        dest = destination_from_v1(raw)
        if dest.sns_topic_arn is not None and not dest.sns_topic_arn.startswith("arn:"):
            raise AWSError("InvalidSNSDestination", f"SNS topic <{dest.sns_topic_arn}> is not a valid ARN.", 400,
                           ConfigurationSetName=config, EventDestinationName=dest.name)  # AWS's text unknown
        if dest.firehose_stream_arn is not None and not dest.firehose_stream_arn.startswith("arn:"):
            raise AWSError("InvalidFirehoseDestination", "DeliveryStreamARN is not a valid ARN.", 400,
                           ConfigurationSetName=config, EventDestinationName=dest.name)  # AWS's text unknown
        return dest

    # -- tracking, delivery and reputation options ------------------------------------------
    def create_configuration_set_tracking_options(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            c = self.config_set(ctx)
            if c.custom_redirect_domain is not None:
                raise AWSError("TrackingOptionsAlreadyExistsException",
                               f"Tracking options already exist for configuration set {c.name}.", 400,
                               ConfigurationSetName=c.name)  # AWS's text unknown
            c.custom_redirect_domain = (ctx.params.get("TrackingOptions") or {}).get("CustomRedirectDomain", "")
        return {}

    def update_configuration_set_tracking_options(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            c = self._with_tracking(ctx)
            c.custom_redirect_domain = (ctx.params.get("TrackingOptions") or {}).get("CustomRedirectDomain", "")
        return {}

    def delete_configuration_set_tracking_options(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._with_tracking(ctx).custom_redirect_domain = None
        return {}

    def _with_tracking(self, ctx: RequestContext) -> ConfigurationSet:
        c = self.config_set(ctx)
        if c.custom_redirect_domain is None:
            raise AWSError("TrackingOptionsDoesNotExistException",
                           f"Tracking options do not exist for configuration set {c.name}.", 400,
                           ConfigurationSetName=c.name)  # AWS's text unknown
        return c

    def put_configuration_set_delivery_options(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            c = self.config_set(ctx)
            c.tls_policy = ((ctx.params.get("DeliveryOptions") or {}).get("TlsPolicy") or "Optional").upper()
        return {}

    def update_configuration_set_reputation_metrics_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.config_set(ctx).reputation_metrics_enabled = bool(ctx.params["Enabled"])
        return {}

    def update_configuration_set_sending_enabled(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.config_set(ctx).sending_enabled = bool(ctx.params["Enabled"])
        return {}
