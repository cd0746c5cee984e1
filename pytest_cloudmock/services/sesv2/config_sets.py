"""Configuration sets and their options and event destinations, kept in the shared SES core
(the v1 API sees the same sets)."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from ..ses.state import ConfigurationSet, EventDestination, SesState
from .errors import already_exists, bad_request, not_found
from .shared import SharedCore

#: pools every account can name without creating them
BUILTIN_POOLS = frozenset({"ses-default-dedicated-pool", "ses-shared-pool"})
_DESTINATION_KINDS = ("KinesisFirehoseDestination", "CloudWatchDestination", "SnsDestination",
                      "EventBridgeDestination", "PinpointDestination")


def no_configuration_set(name: str) -> Exception:
    return not_found(f"Configuration set {name} does not exist.")  # v1's wording; v2's is not documented


def set_arn(ctx: RequestContext, name: str) -> str:
    return f"arn:{ctx.partition}:ses:{ctx.region}:{ctx.account_id}:configuration-set/{name}"


def destination_shape(d: EventDestination) -> dict[str, Any]:
    """An `EventDestination` as the v2 API answers it."""
    out: dict[str, Any] = {"Name": d.name, "Enabled": d.enabled, "MatchingEventTypes": list(d.event_types)}
    if d.firehose_stream_arn:
        out["KinesisFirehoseDestination"] = {"IamRoleArn": d.firehose_role_arn or "", "DeliveryStreamArn": d.firehose_stream_arn}
    if d.cloudwatch_dimensions is not None:
        out["CloudWatchDestination"] = {"DimensionConfigurations": [dict(c) for c in d.cloudwatch_dimensions]}
    if d.sns_topic_arn:
        out["SnsDestination"] = {"TopicArn": d.sns_topic_arn}
    if d.eventbridge_bus_arn:
        out["EventBridgeDestination"] = {"EventBusArn": d.eventbridge_bus_arn}
    if d.pinpoint_application_arn is not None:
        out["PinpointDestination"] = {"ApplicationArn": d.pinpoint_application_arn}
    return out


def destination_from(name: str, definition: dict[str, Any]) -> EventDestination:
    """A v2 `EventDestinationDefinition` as the shared core stores it (exactly one target)."""
    kinds = [k for k in _DESTINATION_KINDS if k in definition]
    if len(kinds) != 1:
        raise bad_request("An event destination must have exactly one destination type.")  # wording ours
    for kind, key, service in (("SnsDestination", "TopicArn", "sns"), ("KinesisFirehoseDestination", "DeliveryStreamArn", "firehose"),
                               ("EventBridgeDestination", "EventBusArn", "events")):
        target = (definition.get(kind) or {}).get(key)
        if target is not None and (not target.startswith("arn:") or target.split(":")[2:3] != [service]):
            raise bad_request(f"{key} {target} is not a valid {service} ARN.")  # wording ours
    firehose = definition.get("KinesisFirehoseDestination") or {}
    cloudwatch = definition.get("CloudWatchDestination")
    return EventDestination(
        name=name, enabled=bool(definition.get("Enabled", False)),
        event_types=list(dict.fromkeys(definition.get("MatchingEventTypes") or [])),
        sns_topic_arn=(definition.get("SnsDestination") or {}).get("TopicArn"),
        firehose_stream_arn=firehose.get("DeliveryStreamArn"), firehose_role_arn=firehose.get("IamRoleArn"),
        cloudwatch_dimensions=[dict(c) for c in cloudwatch["DimensionConfigurations"]] if cloudwatch else None,
        eventbridge_bus_arn=(definition.get("EventBridgeDestination") or {}).get("EventBusArn"),
        pinpoint_application_arn=(definition["PinpointDestination"].get("ApplicationArn", "")
                                  if "PinpointDestination" in definition else None),
    )


class ConfigurationSetOperations(SharedCore):
    @staticmethod
    def configuration_set(core: SesState, name: str) -> ConfigurationSet:
        found = core.configuration_sets.get(name)
        if found is None:
            raise no_configuration_set(name)
        return found

    def _check_pool(self, ctx: RequestContext, pool: str | None) -> None:
        if pool and pool not in BUILTIN_POOLS and pool not in self.state(ctx).pools:
            # the wording CloudFormation's SES handler passes on from the API (aws-cloudformation/rain#271)
            raise not_found(f"SendingPool <{pool}> doesn't exist")

    def _apply_options(self, ctx: RequestContext, cs: ConfigurationSet, p: dict[str, Any]) -> None:
        """Every option block of `CreateConfigurationSet` present in `p`."""
        if "TrackingOptions" in p:
            cs.custom_redirect_domain = p["TrackingOptions"].get("CustomRedirectDomain")
            cs.https_policy = p["TrackingOptions"].get("HttpsPolicy")
        if "DeliveryOptions" in p:
            self._delivery(ctx, cs, p["DeliveryOptions"])
        if "ReputationOptions" in p:
            cs.reputation_metrics_enabled = bool(p["ReputationOptions"].get("ReputationMetricsEnabled", False))
            cs.last_fresh_start = p["ReputationOptions"].get("LastFreshStart", cs.last_fresh_start)
        if "SendingOptions" in p:
            cs.sending_enabled = bool(p["SendingOptions"].get("SendingEnabled", True))
        if "SuppressionOptions" in p:
            self._suppression(cs, p["SuppressionOptions"])
        if "VdmOptions" in p:
            cs.extras["VdmOptions"] = p["VdmOptions"]
        if "ArchivingOptions" in p:
            cs.extras["ArchivingOptions"] = p["ArchivingOptions"]

    def _delivery(self, ctx: RequestContext, cs: ConfigurationSet, options: dict[str, Any]) -> None:
        self._check_pool(ctx, options.get("SendingPoolName"))
        seconds = options.get("MaxDeliverySeconds")
        if seconds is not None and not 300 <= seconds <= 50400:  # AWS: 5 minutes to 14 hours
            raise bad_request("MaxDeliverySeconds must be between 300 and 50400.")  # wording ours
        cs.tls_policy = options.get("TlsPolicy", "OPTIONAL")
        cs.sending_pool = options.get("SendingPoolName")
        cs.max_delivery_seconds = seconds

    @staticmethod
    def _suppression(cs: ConfigurationSet, options: dict[str, Any]) -> None:
        cs.suppressed_reasons = list(dict.fromkeys(options.get("SuppressedReasons") or []))
        if "ValidationOptions" in options:
            cs.extras["SuppressionValidationOptions"] = options["ValidationOptions"]

    def create_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["ConfigurationSetName"]
        with self.locked(ctx) as core:
            if name in core.configuration_sets:
                raise already_exists(f"Configuration set {name} already exists.")  # v1's wording
            cs = ConfigurationSet(name, ctx.clock.utcnow())
            self._apply_options(ctx, cs, p)
            cs.tags = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
            core.configuration_sets[name] = cs
        return {}

    def get_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            cs = self.configuration_set(core, ctx.params["ConfigurationSetName"])
            out: dict[str, Any] = {
                "ConfigurationSetName": cs.name,
                "DeliveryOptions": {"TlsPolicy": cs.tls_policy,
                                    **({"SendingPoolName": cs.sending_pool} if cs.sending_pool else {}),
                                    **({"MaxDeliverySeconds": cs.max_delivery_seconds}
                                       if cs.max_delivery_seconds is not None else {})},
                "ReputationOptions": {"ReputationMetricsEnabled": cs.reputation_metrics_enabled,
                                      **({"LastFreshStart": cs.last_fresh_start} if cs.last_fresh_start else {})},
                "SendingOptions": {"SendingEnabled": cs.sending_enabled},
                "Tags": [{"Key": k, "Value": v} for k, v in cs.tags.items()],
            }
            if cs.custom_redirect_domain:
                out["TrackingOptions"] = {"CustomRedirectDomain": cs.custom_redirect_domain,
                                          **({"HttpsPolicy": cs.https_policy} if cs.https_policy else {})}
            if cs.suppressed_reasons is not None:
                out["SuppressionOptions"] = {"SuppressedReasons": list(cs.suppressed_reasons)}
                if "SuppressionValidationOptions" in cs.extras:
                    out["SuppressionOptions"]["ValidationOptions"] = cs.extras["SuppressionValidationOptions"]
            for key in ("VdmOptions", "ArchivingOptions"):
                if cs.extras.get(key):
                    out[key] = cs.extras[key]
            return out

    def delete_configuration_set(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["ConfigurationSetName"]
        with self.locked(ctx) as core:
            self.configuration_set(core, name)
            del core.configuration_sets[name]
            arn = set_arn(ctx, name)
            for tenant in self.state(ctx).tenants.values():
                tenant.resources.pop(arn, None)
            self.state(ctx).reputation.pop(arn, None)
        return {}

    def list_configuration_sets(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            names = list(core.configuration_sets)
        page, more = self.page(ctx, names, "configuration-sets", default=1000)
        return {"ConfigurationSets": page, **more}

    # -- the Put*Options operations ---------------------------------------------------------------
    def _put(self, ctx: RequestContext, apply: Any) -> dict[str, Any]:
        with self.locked(ctx) as core:
            apply(self.configuration_set(core, ctx.params["ConfigurationSetName"]), ctx.params)
        return {}

    def put_configuration_set_tracking_options(self, ctx: RequestContext) -> dict[str, Any]:
        def apply(cs: ConfigurationSet, p: dict[str, Any]) -> None:
            cs.custom_redirect_domain, cs.https_policy = p.get("CustomRedirectDomain"), p.get("HttpsPolicy")
        return self._put(ctx, apply)

    def put_configuration_set_delivery_options(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put(ctx, lambda cs, p: self._delivery(ctx, cs, p))

    def put_configuration_set_reputation_options(self, ctx: RequestContext) -> dict[str, Any]:
        def apply(cs: ConfigurationSet, p: dict[str, Any]) -> None:
            cs.reputation_metrics_enabled = bool(p.get("ReputationMetricsEnabled", False))
        return self._put(ctx, apply)

    def put_configuration_set_sending_options(self, ctx: RequestContext) -> dict[str, Any]:
        def apply(cs: ConfigurationSet, p: dict[str, Any]) -> None:
            cs.sending_enabled = bool(p.get("SendingEnabled", False))
        return self._put(ctx, apply)

    def put_configuration_set_suppression_options(self, ctx: RequestContext) -> dict[str, Any]:
        return self._put(ctx, self._suppression)

    def put_configuration_set_vdm_options(self, ctx: RequestContext) -> dict[str, Any]:
        def apply(cs: ConfigurationSet, p: dict[str, Any]) -> None:
            cs.extras["VdmOptions"] = p.get("VdmOptions") or {}
        return self._put(ctx, apply)

    def put_configuration_set_archiving_options(self, ctx: RequestContext) -> dict[str, Any]:
        def apply(cs: ConfigurationSet, p: dict[str, Any]) -> None:
            cs.extras["ArchivingOptions"] = {"ArchiveArn": p["ArchiveArn"]} if p.get("ArchiveArn") else {}
        return self._put(ctx, apply)

    # -- event destinations --------------------------------------------------------------------
    def create_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        destination = destination_from(p["EventDestinationName"], p["EventDestination"])
        with self.locked(ctx) as core:
            cs = self.configuration_set(core, p["ConfigurationSetName"])
            if destination.name in cs.destinations:
                raise already_exists(f"Event destination {destination.name} already exists.")  # wording ours
            cs.destinations[destination.name] = destination
        return {}

    def update_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        destination = destination_from(p["EventDestinationName"], p["EventDestination"])
        with self.locked(ctx) as core:
            cs = self.configuration_set(core, p["ConfigurationSetName"])
            self._destination(cs, destination.name)
            cs.destinations[destination.name] = destination
        return {}

    @staticmethod
    def _destination(cs: ConfigurationSet, name: str) -> EventDestination:
        found = cs.destinations.get(name)
        if found is None:
            raise not_found(f"Event destination {name} does not exist.")  # wording ours
        return found

    def delete_configuration_set_event_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.locked(ctx) as core:
            cs = self.configuration_set(core, p["ConfigurationSetName"])
            self._destination(cs, p["EventDestinationName"])
            del cs.destinations[p["EventDestinationName"]]
        return {}

    def get_configuration_set_event_destinations(self, ctx: RequestContext) -> dict[str, Any]:
        with self.locked(ctx) as core:
            cs = self.configuration_set(core, ctx.params["ConfigurationSetName"])
            return {"EventDestinations": [destination_shape(d) for d in cs.destinations.values()]}
