"""What every Firehose operation needs: the store, lookups, descriptions, the clock binding.

Delivery streams are `ACTIVE` as soon as `CreateDeliveryStream` answers (`CREATING` is
never seen: a poll of `DescribeDeliveryStream` passes at once). Each move of the gateway clock
queues a delivery round on the dispatcher (`cloudmock.settle()` waits for it): buffers
whose interval has passed are delivered, Kinesis sources are read. While the clock runs
in real time, one timer wakes the service when the next buffer falls due (and every
second while a Kinesis-sourced stream exists); a frozen clock moves only when told.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from functools import cached_property
from typing import Any, ClassVar

from botocore.model import Shape

from ...api import RequestContext, ServiceProfile
from ...registry import Registry
from ...store import Store
from ..base import ModelService
from . import errors
from .state import DeliveryStream, Destination, FirehoseState

DESTINATION_KINDS = ("ExtendedS3", "S3", "Redshift", "Elasticsearch", "Amazonopensearchservice", "Splunk",
                     "HttpEndpoint", "AmazonOpenSearchServerless", "Snowflake", "Iceberg")
DELIVERED_KINDS = ("ExtendedS3", "HttpEndpoint")


def stamp(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def filtered(shape: Shape, value: Any) -> Any:
    """`value` (a configuration) cut to what `shape` (its description) has; `XConfiguration`
    members answer as `XDescription`."""
    if shape.type_name == "structure" and isinstance(value, dict):
        out = {}
        for name, member in shape.members.items():
            source = value.get(name)
            if source is None and name.endswith("Description"):
                source = value.get(name[: -len("Description")] + "Configuration")
            if source is not None:
                out[name] = filtered(member, source)
        return out
    if shape.type_name == "list" and isinstance(value, list):
        return [filtered(shape.member, v) for v in value]
    return value


class FirehoseBase(ModelService):
    name: ClassVar[str] = "firehose"

    def __init__(self) -> None:
        self.store: Store[FirehoseState] = Store(FirehoseState)
        self.registry: Registry | None = None
        self._timer_lock = threading.Lock()
        self._delivering = threading.Lock()
        self._timer: threading.Timer | None = None
        self._wake_at: float | None = None

    @cached_property
    def profile(self) -> ServiceProfile:
        # buffers whose interval passed are delivered as the gateway clock moves
        return ServiceProfile(on_stop=self.disarm, on_clock=self.schedule)

    def reset(self) -> None:
        self.disarm()
        super().reset()

    def arm(self, registry: Registry, due: float) -> None:
        """Wake up at gateway time `due` for a delivery round (real-time clock only)."""
        clock = registry.clock
        if clock.frozen:
            return
        with self._timer_lock:
            if self._wake_at is not None and self._wake_at <= due:
                return
            if self._timer is not None:
                self._timer.cancel()
            self._wake_at = due
            self._timer = threading.Timer(max(due - clock.now(), 0.0), self._woken, (registry,))
            self._timer.daemon = True
            self._timer.start()

    def _woken(self, registry: Registry) -> None:
        with self._timer_lock:
            self._timer = self._wake_at = None
        self.schedule(registry)

    def disarm(self) -> None:
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._wake_at = None

    def handle_request(self, ctx: RequestContext) -> Any:
        self.registry = ctx.registry or self.registry
        return super().handle_request(ctx)

    def schedule(self, registry: Registry) -> None:
        """Queue a delivery round on the dispatcher (runs now when there is none)."""
        if registry.dispatcher is not None:
            registry.dispatcher.submit(lambda: self.deliver_due(registry))
        else:
            self.deliver_due(registry)

    def deliver_due(self, registry: Registry, force: bool = False) -> None:  # delivery.py
        raise NotImplementedError

    # -- lookups --------------------------------------------------------------------------
    def stream(self, ctx: RequestContext, name: str | None = None) -> DeliveryStream:
        name = name or ctx.params["DeliveryStreamName"]
        stream = self.store.for_ctx(ctx).streams.get(name)
        if stream is None:
            raise errors.not_found(name, ctx.account_id)
        return stream

    def describe(self, stream: DeliveryStream, limit: int | None = None,
                 start: str | None = None) -> dict[str, Any]:
        destinations = [d for d in stream.destinations if not start or d.destination_id > start]
        page = destinations[: limit or 10]
        out: dict[str, Any] = {
            "DeliveryStreamName": stream.name, "DeliveryStreamARN": stream.arn, "DeliveryStreamStatus": "ACTIVE",
            "DeliveryStreamEncryptionConfiguration": dict(stream.encryption),
            "DeliveryStreamType": stream.stream_type, "VersionId": str(stream.version),
            "CreateTimestamp": stamp(stream.created), "LastUpdateTimestamp": stamp(stream.updated),
            "Destinations": [self.destination_shape(d) for d in page],
            "HasMoreDestinations": len(destinations) > len(page),
        }
        if stream.source is not None:
            kind, config = next(iter(stream.source.items()))
            shape = self.model.shape_for("SourceDescription")
            out["Source"] = filtered(shape, {kind.replace("Configuration", "Description"): config})
        return out

    def destination_shape(self, destination: Destination) -> dict[str, Any]:
        shape = self.model.shape_for("DestinationDescription")
        kind = destination.kind
        out = {"DestinationId": destination.destination_id,
               f"{kind}DestinationDescription": filtered(shape.members[f"{kind}DestinationDescription"],
                                                         destination.config)}
        if kind == "ExtendedS3":
            out["S3DestinationDescription"] = filtered(shape.members["S3DestinationDescription"], destination.config)
        return out
