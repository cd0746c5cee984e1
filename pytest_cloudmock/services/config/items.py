"""Configuration items: what a resource looks like to AWS Config, and the output shapes
(`ConfigurationItem`, `BaseConfigurationItem`, `ResourceIdentifier`) built from them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .state import Captured

#: The version of the configuration item schema AWS Config writes.
SCHEMA_VERSION = "1.3"
GLOBAL = "global"


@dataclass
class Observed:
    """A resource as read live from its service, before AWS Config records it."""

    resource_type: str
    resource_id: str
    resource_name: str
    arn: str
    region: str
    configuration: dict[str, Any]
    created: float | None = None
    availability_zone: str = "Regional"
    supplementary: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


def to_json(value: Any) -> str:
    """JSON text as AWS Config writes it (timestamps ISO 8601 with milliseconds, UTC)."""
    return json.dumps(value, default=_json_default, separators=(",", ":"))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value.timestamp())
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(type(value).__name__)


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(epoch * 1000) % 1000:03d}Z"


def when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


def epoch(value: Any) -> float | None:
    return value.timestamp() if isinstance(value, datetime) else None


def camel(value: Any) -> Any:
    """A service's output (`TableName`, `KeySchema`) in the lower camel case AWS Config
    uses inside `configuration` (`tableName`, `keySchema`)."""
    if isinstance(value, dict):
        return {(k[:1].lower() + k[1:]): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def base_item(item: Captured, account_id: str) -> dict[str, Any]:
    """A `BaseConfigurationItem` (BatchGetResourceConfig, BatchGetAggregateResourceConfig)."""
    out: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "accountId": account_id,
        "configurationItemCaptureTime": when(item.captured),
        "configurationItemStatus": item.status,
        "configurationStateId": str(int(item.captured * 1000)),
        "arn": item.arn,
        "resourceType": item.resource_type,
        "resourceId": item.resource_id,
        "resourceName": item.resource_name,
        "awsRegion": item.region,
        "availabilityZone": item.availability_zone,
        "supplementaryConfiguration": dict(item.supplementary),
        "recordingFrequency": "CONTINUOUS",
        "configurationItemDeliveryTime": when(item.captured),
    }
    if item.created is not None:
        out["resourceCreationTime"] = when(item.created)
    if item.configuration is not None:
        out["configuration"] = item.configuration
    return out


def history_item(item: Captured, account_id: str) -> dict[str, Any]:
    """A `ConfigurationItem` (GetResourceConfigHistory, GetAggregateResourceConfig)."""
    out = base_item(item, account_id)
    out.update(configurationItemMD5Hash="", tags=dict(item.tags), relatedEvents=[], relationships=[])
    return out


def identifier(item: Captured, deleted_at: float | None = None) -> dict[str, Any]:
    """A `ResourceIdentifier` (ListDiscoveredResources)."""
    out: dict[str, Any] = {"resourceType": item.resource_type, "resourceId": item.resource_id}
    if item.resource_name:
        out["resourceName"] = item.resource_name
    if deleted_at is not None:
        out["resourceDeletionTime"] = when(deleted_at)
    return out


def query_document(item: Captured, account_id: str) -> dict[str, Any]:
    """The document advanced queries (SelectResourceConfig) read: configuration and
    supplementary configuration parsed, tags as `{key, value, tag}` entries."""
    supplementary = {}
    for name, text in item.supplementary.items():
        try:
            supplementary[name] = json.loads(text)
        except ValueError:
            supplementary[name] = text
    return {
        "version": SCHEMA_VERSION,
        "accountId": account_id,
        "configurationItemCaptureTime": iso(item.captured),
        "configurationItemStatus": item.status,
        "configurationStateId": str(int(item.captured * 1000)),
        "arn": item.arn,
        "resourceType": item.resource_type,
        "resourceId": item.resource_id,
        "resourceName": item.resource_name,
        "awsRegion": item.region,
        "availabilityZone": item.availability_zone,
        "resourceCreationTime": iso(item.created) if item.created is not None else None,
        "configuration": json.loads(item.configuration) if item.configuration else {},
        "supplementaryConfiguration": supplementary,
        "tags": [{"key": k, "value": v, "tag": f"{k}={v}"} for k, v in item.tags.items()],
        "relationships": [],
    }
