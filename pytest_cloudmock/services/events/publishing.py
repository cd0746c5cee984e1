"""Events in: `PutEvents`, `PutPartnerEvents`, scheduled rules on the gateway clock;
routing through the rules of a bus; `TestEventPattern`."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ...api import AWSError, RequestContext
from ...patterns import matches
from ...schedules import parse as parse_schedule
from . import errors
from .base import DEFAULT_BUS, iso, name_of, parse_pattern
from .buses import policy_allows
from .delivery import DeliveryOperations
from .state import EventsState, Rule

if TYPE_CHECKING:
    from ...registry import Registry

MAX_REQUEST_BYTES = 256 * 1024
MAX_FIRINGS = 100  # per rule per clock move; later ones are skipped (a year of rate(1 minute) is not replayed)
NEVER = datetime.max.replace(tzinfo=timezone.utc)  # the wake-up time of a partition with no scheduled rule
_REQUIRED = ("id", "account", "source", "time", "region", "detail-type")


def entry_size(entry: dict[str, Any]) -> int:
    """AWS's documented PutEvents entry size: Time 14 bytes, Source, DetailType, Detail, Resources."""
    size = 14 if entry.get("Time") else 0
    for key in ("Source", "DetailType", "Detail"):
        size += len(str(entry.get(key, "")).encode())
    return size + sum(len(r.encode()) for r in entry.get("Resources") or [])


def make_event(account: str, region: str, source: str, detail_type: str, detail: Any, resources: list[str],
               time: datetime, **extra: Any) -> dict[str, Any]:
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": detail_type, "source": source,
            "account": account, "time": iso(time), "region": region, "resources": list(resources),
            "detail": detail, **extra}


class PublishOperations(DeliveryOperations):
    # -- PutEvents -------------------------------------------------------------------------------
    def put_events(self, ctx: RequestContext) -> dict[str, Any]:
        entries = ctx.params["Entries"]
        if sum(entry_size(e) for e in entries) > MAX_REQUEST_BYTES:
            raise errors.invalid("Total size of the entries in the request is over the limit.")
        default_bus = self._endpoint_bus(ctx)
        results, accepted = [], []
        for entry in entries:
            try:
                target, event = self._accept(ctx, entry, default_bus)
            except AWSError as exc:
                results.append({"ErrorCode": exc.code, "ErrorMessage": exc.message})
                continue
            results.append({"EventId": event["id"]})
            accepted.append((target, event))
        registry = ctx.registry
        for (account, region, bus), event in accepted:
            self.archive(account, region, bus, event, ctx.clock.utcnow())  # at ingestion, not delivery
            if registry is not None:
                ctx.dispatch(lambda a=account, r=region, b=bus, e=event: self.route(registry, a, r, b, e,
                                                                                     archive=False))
        failed = sum(1 for r in results if "ErrorCode" in r)
        return {"FailedEntryCount": failed, "Entries": results}

    def _endpoint_bus(self, ctx: RequestContext) -> str | None:
        endpoint_id = ctx.params.get("EndpointId")
        if not endpoint_id:
            return None
        with self.store.lock:
            for endpoint in self.state(ctx).endpoints.values():
                if endpoint["EndpointId"] == endpoint_id:
                    return endpoint["EventBuses"][0]["EventBusArn"]
        raise errors.not_found(f"Endpoint {endpoint_id} does not exist.")  # wording not documented

    def _accept(self, ctx: RequestContext, entry: dict[str, Any],
                default_bus: str | None) -> tuple[tuple[str, str, str], dict[str, Any]]:
        for key in ("Source", "DetailType", "Detail"):
            if not entry.get(key):
                raise AWSError("InvalidArgument", f"Parameter {key} is not valid. Reason: {key} is a required argument.")
        try:
            detail = json.loads(entry["Detail"])
        except ValueError:
            detail = None
        if not isinstance(detail, dict):
            raise AWSError("MalformedDetail", "Detail is malformed.")
        if entry["Source"].startswith("aws.") and ctx.protocol != "internal":  # AWS services emit aws.* events
            raise AWSError("NotAuthorizedForSourceException", "Not authorized for the source.")
        bus_ref = entry.get("EventBusName") or default_bus or DEFAULT_BUS
        account, region = ctx.account_id, ctx.region
        if bus_ref.startswith("arn:"):
            parts = bus_ref.split(":")
            region, account = parts[3], parts[4]
        name = name_of(bus_ref)
        with self.store.lock:
            state = self.store.get(account, region)
            self.ensure_default(state, region, account, ctx.clock.utcnow())
            bus = state.buses.get(name)
            if bus is None:  # AWS's per-entry code for a missing bus is not documented
                raise AWSError("ResourceNotFoundException", f"Event bus {name} does not exist.")
            if account != ctx.account_id and not policy_allows(bus.policy, ctx.account_id):
                raise AWSError("AccessDeniedException", f"Not authorized to put events on event bus {name}.")  # wording
        time = entry.get("Time") or ctx.clock.utcnow()
        event = make_event(ctx.account_id, ctx.region, entry["Source"], entry["DetailType"], detail,
                           entry.get("Resources") or [], time)
        return (account, region, name), event

    def put_partner_events(self, ctx: RequestContext) -> dict[str, Any]:
        results = []
        for entry in ctx.params["Entries"]:
            source = entry.get("Source", "")
            with self.store.lock:
                offered = self.state(ctx).partner_sources.get(source)
            if offered is None:
                results.append({"ErrorCode": "NotAuthorizedForSourceException",
                                "ErrorMessage": "Not authorized for the source."})
                continue
            try:
                detail = json.loads(entry.get("Detail") or "")
            except ValueError:
                detail = None
            if not isinstance(detail, dict) or not entry.get("DetailType"):
                results.append({"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
                continue
            consumer = offered["Account"]
            event = make_event(consumer, ctx.region, source, entry["DetailType"], detail,
                               entry.get("Resources") or [], entry.get("Time") or ctx.clock.utcnow())
            results.append({"EventId": event["id"]})
            if ctx.registry is not None and source in self.store.get(consumer, ctx.region).buses:
                self.archive(consumer, ctx.region, source, event, ctx.clock.utcnow())
                ctx.dispatch(lambda r=ctx.registry, a=consumer, b=source, e=event:
                             self.route(r, a, ctx.region, b, e, archive=False))
        failed = sum(1 for r in results if "ErrorCode" in r)
        return {"FailedEntryCount": failed, "Entries": results}

    # -- routing ------------------------------------------------------------------------------------
    def route(self, registry: Registry, account: str, region: str, bus: str, event: dict[str, Any],
              *, rules: list[str] | None = None, archive: bool = True) -> None:
        ingestion = registry.clock.now_ms()
        if archive:
            self.archive(account, region, bus, event, registry.clock.utcnow())
        with self.store.lock:
            state = self.store.get(account, region)
            chosen = sorted((rule for rule in self.routed_rules(state, bus, event)
                             if rule.state != "DISABLED" and rule.pattern is not None
                             and (rules is None or rule.arn in rules) and matches(rule.pattern, event)),
                            key=lambda rule: rule.seq)
            work = [(rule, dict(t)) for rule in chosen for t in rule.targets.values()]
        for rule, target in work:
            self.deliver(registry, account, region, rule, target, event, ingestion)

    def archive(self, account: str, region: str, bus: str, event: dict[str, Any], now: datetime) -> None:
        """Keep `event` in every archive of `bus` whose pattern it matches."""
        with self.store.lock:
            state = self.store.get(account, region)
            bus_arn = state.buses[bus].arn if bus in state.buses else ""
            for kept in state.archives.values():
                if kept.source_arn == bus_arn and (kept.pattern is None or matches(kept.pattern, event)):
                    kept.keep(now, event)

    # -- scheduled rules -----------------------------------------------------------------------------
    def fire_due(self, registry: Registry) -> None:
        """Fire every scheduled rule that came due on the gateway clock, in time order; expire archives."""
        now = registry.clock.utcnow()
        with self._firing:
            due: list[tuple[datetime, str, str, Rule]] = []
            with self.store.lock:
                for (account, region), state in self.store.partitions():
                    due.extend((when, account, region, rule) for when, rule in _due_firings(state, now))
                    _expire_archived(state, now)
            if not due:
                return
            due.sort(key=lambda item: item[0])
            registry.dispatcher.submit(lambda: self._fire(registry, due)) if registry.dispatcher \
                else self._fire(registry, due)

    def _fire(self, registry: Registry, due: list[tuple[datetime, str, str, Rule]]) -> None:
        for when, account, region, rule in due:
            event = make_event(account, region, "aws.events", "Scheduled Event", {}, [rule.arn], when)
            with self.store.lock:
                targets = [dict(t) for t in rule.targets.values()]
            for target in targets:
                self.deliver(registry, account, region, rule, target, event, int(when.timestamp() * 1000))

    # -- TestEventPattern --------------------------------------------------------------------------
    def test_event_pattern(self, ctx: RequestContext) -> dict[str, Any]:
        pattern = parse_pattern(ctx.params["EventPattern"])
        try:
            event = json.loads(ctx.params["Event"])
        except ValueError:
            event = None
        if not isinstance(event, dict):
            raise errors.invalid("Parameter Event is not valid.")  # wording not documented
        missing = [key for key in _REQUIRED if key not in event]
        if missing:
            raise errors.invalid(f"Parameter Event is not valid: missing fields {', '.join(missing)}.")  # wording
        return {"Result": matches(pattern, event)}


def _expire_archived(state: EventsState, now: datetime) -> None:
    """Drop archived events older than their archive's retention (events are kept in time order)."""
    for archive in state.archives.values():
        if archive.retention_days and archive.events:
            cutoff = now - timedelta(days=archive.retention_days)
            keep = next((i for i, (when, _) in enumerate(archive.events) if when >= cutoff), len(archive.events))
            if keep:
                archive.drop_before(keep)


def _due_firings(state: EventsState, now: datetime) -> list[tuple[datetime, Rule]]:
    """Collect and advance the firings of `state`'s scheduled rules up to `now`, in time and creation
    order (store lock held). Looks at the rules only when one may be due (`state.wake`) or the
    clock went back."""
    if state.wake is not None and state.checked is not None and state.checked <= now < state.wake:
        return []
    due: list[tuple[datetime, int, Rule]] = []
    wake = NEVER
    for rule in state.rules.values():
        if not rule.schedule or rule.state == "DISABLED" or rule.next_fire is None:
            continue
        schedule = parse_schedule(rule.schedule)
        soonest = schedule.next_after(now, now)
        if soonest is not None and rule.next_fire > soonest:  # the clock went back: fire on its new time
            rule.next_fire = soonest
        count = 0
        while rule.next_fire is not None and rule.next_fire <= now:
            if count < MAX_FIRINGS:
                due.append((rule.next_fire, rule.seq, rule))
            count += 1
            following = schedule.next_after(rule.next_fire, rule.next_fire)
            if count >= MAX_FIRINGS and following is not None and following <= now:
                following = schedule.next_after(now, following)
            rule.next_fire = following
        if rule.next_fire is not None:
            wake = min(wake, rule.next_fire)
    state.checked, state.wake = now, wake
    due.sort(key=lambda item: item[:2])
    return [(when, rule) for when, _, rule in due]
