"""What every CloudWatch operation needs: the store, ARNs, metric keys, the clock binding."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from ...api import RequestContext, ServiceProfile
from ...store import Store
from ..base import ModelService
from .state import CloudWatchState, MetricKey

if TYPE_CHECKING:
    from botocore.model import Shape

    from ...registry import Registry


def stamp(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def epoch(moment: datetime | float) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else float(moment)


def metric_key(namespace: str, name: str, dimensions: list[dict[str, str]] | None) -> MetricKey:
    return namespace, name, tuple(sorted((d["Name"], d["Value"]) for d in dimensions or []))


def metric_of(key: MetricKey) -> dict[str, Any]:
    """A key as the `Metric` shape."""
    return {"Namespace": key[0], "MetricName": key[1], "Dimensions": [{"Name": n, "Value": v} for n, v in key[2]]}


def shaped(shape: Shape, value: Any) -> Any:
    """`value` cut to the members `shape` has (stored configurations answered as descriptions)."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return {k: shaped(shape.members[k], v) for k, v in value.items() if k in shape.members and v is not None}
    if shape.type_name == "list" and isinstance(value, list):
        return [shaped(shape.member, v) for v in value]
    return value


class CloudWatchBase(ModelService):
    name: ClassVar[str] = "cloudwatch"

    def __init__(self) -> None:
        self.store: Store[CloudWatchState] = Store(CloudWatchState)
        self.registry: Registry | None = None  # where alarm actions go (the gateway's registry)
        self.profile = ServiceProfile(on_clock=self.clock_moved)  # alarms evaluate as time moves

    def handle_request(self, ctx: RequestContext) -> Any:
        self.registry = ctx.registry or self.registry
        return super().handle_request(ctx)

    def clock_moved(self, registry: Registry) -> None:  # evaluation.py
        raise NotImplementedError

    def state(self, ctx: RequestContext) -> CloudWatchState:
        return self.store.for_ctx(ctx)

    @staticmethod
    def arn(ctx: RequestContext, resource: str) -> str:
        return f"arn:{ctx.partition}:cloudwatch:{ctx.region}:{ctx.account_id}:{resource}"

    @staticmethod
    def global_arn(ctx: RequestContext, resource: str) -> str:
        """Dashboards' ARNs carry no region."""
        return f"arn:{ctx.partition}:cloudwatch::{ctx.account_id}:{resource}"
