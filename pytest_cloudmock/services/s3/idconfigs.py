"""Configurations a bucket holds many of, by id: analytics, inventory, metrics, intelligent tiering.

Each kind is Put/Get/Delete by `?<kind>&id=...` and listed 100 a page with an
opaque `ContinuationToken`, as S3 does. Stored as given, under the bucket's
`configs[<kind>]` dict (id -> configuration).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...api import AWSError, RequestContext
from .common import S3Base, continuation_token, continue_after

PAGE_SIZE = 100
MAX_CONFIGS = 1000


@dataclass(frozen=True)
class IdKind:
    """One id-keyed configuration kind: its payload member and its list member."""

    payload: str
    listed: str


KINDS: dict[str, IdKind] = {
    "Analytics": IdKind("AnalyticsConfiguration", "AnalyticsConfigurationList"),
    "Inventory": IdKind("InventoryConfiguration", "InventoryConfigurationList"),
    "Metrics": IdKind("MetricsConfiguration", "MetricsConfigurationList"),
    "IntelligentTiering": IdKind("IntelligentTieringConfiguration", "IntelligentTieringConfigurationList"),
}


def no_such_configuration() -> AWSError:
    return AWSError("NoSuchConfiguration", "The specified configuration does not exist.", 404)


def _check(kind: str, config_id: str, value: dict[str, Any]) -> None:
    """S3's semantic checks on a configuration (the model's shape checks run before).

    AWS's exact messages for these cases are not documented; these are our words.
    """
    if value.get("Id") != config_id:
        raise AWSError("InvalidArgument", "The Id in the request body does not match the id parameter",
                       ArgumentName="id", ArgumentValue=config_id)
    if kind == "Inventory":
        destination = (value.get("Destination") or {}).get("S3BucketDestination") or {}
        if not str(destination.get("Bucket", "")).startswith("arn:"):
            raise AWSError("InvalidArgument", "Invalid destination bucket ARN",
                           ArgumentName="Destination", ArgumentValue=str(destination.get("Bucket")))
        if value.get("IncludedObjectVersions") not in ("All", "Current"):
            raise AWSError("MalformedXML", "The XML you provided was not well-formed or did not "
                           "validate against our published schema")
    if kind == "IntelligentTiering":
        for tiering in value.get("Tierings") or []:
            days, tier = tiering.get("Days", 0), tiering.get("AccessTier")
            low, high = (90, 730) if tier == "ARCHIVE_ACCESS" else (180, 730)
            if not low <= days <= high:
                raise AWSError("InvalidArgument", f"Days for {tier} must be between {low} and {high}",
                               ArgumentName="Days", ArgumentValue=str(days))


class IdConfigOps(S3Base):
    """Put/Get/Delete/List of the id-keyed bucket configurations."""

    def _configs(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        return self.owned_bucket(ctx).configs.setdefault(kind, {})

    def put_id_config(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        value = ctx.params.get(KINDS[kind].payload) or {}
        config_id = ctx.params["Id"]
        _check(kind, config_id, value)
        with self.store.lock:
            configs = self._configs(ctx, kind)
            if config_id not in configs and len(configs) >= MAX_CONFIGS:
                raise AWSError("TooManyConfigurations", "You are attempting to create a new "
                               f"configuration but have already reached the {MAX_CONFIGS:,}-configuration limit.")
            configs[config_id] = value
        return {}

    def get_id_config(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        value = self._configs(ctx, kind).get(ctx.params["Id"])
        if value is None:
            raise no_such_configuration()
        return {KINDS[kind].payload: value}

    def delete_id_config(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        with self.store.lock:
            if self._configs(ctx, kind).pop(ctx.params["Id"], None) is None:
                raise no_such_configuration()
        return {}

    def list_id_configs(self, ctx: RequestContext, kind: str) -> dict[str, Any]:
        configs = dict(self._configs(ctx, kind))
        scope = f"{kind}:{ctx.params['Bucket']}"
        token = ctx.params.get("ContinuationToken")
        after = continue_after(token, scope) if token else ""
        ids = sorted(i for i in configs if i > after)
        chosen = ids[:PAGE_SIZE]
        out: dict[str, Any] = {"IsTruncated": len(ids) > PAGE_SIZE}
        if chosen:
            out[KINDS[kind].listed] = [configs[i] for i in chosen]
        if token:
            out["ContinuationToken"] = token
        if len(ids) > PAGE_SIZE:
            out["NextContinuationToken"] = continuation_token(chosen[-1], scope)
        return out

    # -- one method per operation --------------------------------------------------------
    def put_bucket_analytics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_id_config(ctx, "Analytics")

    def get_bucket_analytics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_id_config(ctx, "Analytics")

    def delete_bucket_analytics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_id_config(ctx, "Analytics")

    def list_bucket_analytics_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        return self.list_id_configs(ctx, "Analytics")

    def put_bucket_inventory_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_id_config(ctx, "Inventory")

    def get_bucket_inventory_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_id_config(ctx, "Inventory")

    def delete_bucket_inventory_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_id_config(ctx, "Inventory")

    def list_bucket_inventory_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        return self.list_id_configs(ctx, "Inventory")

    def put_bucket_metrics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_id_config(ctx, "Metrics")

    def get_bucket_metrics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_id_config(ctx, "Metrics")

    def delete_bucket_metrics_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_id_config(ctx, "Metrics")

    def list_bucket_metrics_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        return self.list_id_configs(ctx, "Metrics")

    def put_bucket_intelligent_tiering_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.put_id_config(ctx, "IntelligentTiering")

    def get_bucket_intelligent_tiering_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.get_id_config(ctx, "IntelligentTiering")

    def delete_bucket_intelligent_tiering_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self.delete_id_config(ctx, "IntelligentTiering")

    def list_bucket_intelligent_tiering_configurations(self, ctx: RequestContext) -> dict[str, Any]:
        return self.list_id_configs(ctx, "IntelligentTiering")
