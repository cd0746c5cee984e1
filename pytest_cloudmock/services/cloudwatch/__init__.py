"""Amazon CloudWatch metrics, alarms and dashboards (Tier 1), in CBOR, JSON and query."""

from __future__ import annotations

from .alarms import AlarmOperations
from .dashboards import DashboardOperations
from .resources import ResourceOperations


class CloudWatchService(AlarmOperations, DashboardOperations, ResourceOperations):
    """Every operation of botocore's `cloudwatch` model; state in one `Store`."""


SERVICE = CloudWatchService

__all__ = ["SERVICE", "CloudWatchService"]
