"""Store, names, ARNs and lookups shared by the EventBridge operations."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import takewhile
from typing import TYPE_CHECKING, Any, ClassVar

from ...api import RequestContext, ServiceProfile
from ...patterns import PatternError, parse
from ...store import Store
from ..base import ModelService
from . import errors
from .state import Bus, EventsState, Rule

if TYPE_CHECKING:
    from ...registry import Registry

DEFAULT_BUS = "default"


def arn(region: str, account: str, resource: str, partition: str = "aws") -> str:
    return f"arn:{partition}:events:{region}:{account}:{resource}"


def name_of(name_or_arn: str | None) -> str:
    """A bus name from a name or an event-bus ARN."""
    if not name_or_arn:
        return DEFAULT_BUS
    return name_or_arn.split(":event-bus/", 1)[1] if name_or_arn.startswith("arn:") and ":event-bus/" in name_or_arn \
        else name_or_arn


def rule_arn(region: str, account: str, bus: str, name: str) -> str:
    return arn(region, account, f"rule/{name}" if bus == DEFAULT_BUS else f"rule/{bus}/{name}")


def parse_pattern(text: str) -> dict[str, Any]:
    """A rule's, archive's or test's pattern; `InvalidEventPatternException` if bad."""
    try:
        return parse(text)
    except PatternError as exc:
        raise errors.bad_pattern(exc.reason) from None


def iso(moment: datetime) -> str:
    """Event times as EventBridge writes them (second precision, Z)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class EventsBase(ModelService):
    name: ClassVar[str] = "events"

    def __init__(self) -> None:
        self.store: Store[EventsState] = Store(EventsState)
        self._firing = threading.Lock()
        self.profile = ServiceProfile(on_clock=self.fire_due)  # scheduled rules, archive retention

    def handle_request(self, ctx: RequestContext) -> Any:
        """Fire what became due (also without a clock move: real time runs), then dispatch."""
        if ctx.registry is not None:
            self.fire_due(ctx.registry)
        return super().handle_request(ctx)

    def fire_due(self, registry: Registry) -> None:  # scheduled rules (publishing.py)
        raise NotImplementedError

    # -- lookups ---------------------------------------------------------------------
    def state(self, ctx: RequestContext) -> EventsState:
        state = self.store.for_ctx(ctx)
        self.ensure_default(state, ctx.region, ctx.account_id, ctx.clock.utcnow())
        return state

    @staticmethod
    def ensure_default(state: EventsState, region: str, account: str, now: datetime) -> None:
        if DEFAULT_BUS not in state.buses:
            state.buses[DEFAULT_BUS] = Bus(DEFAULT_BUS, arn(region, account, "event-bus/default"), now, now)

    def bus(self, ctx: RequestContext, name_or_arn: str | None) -> Bus:
        name = name_of(name_or_arn)
        bus = self.state(ctx).buses.get(name)
        if bus is None:
            raise errors.not_found(f"Event bus {name} does not exist.")
        return bus

    def rule(self, ctx: RequestContext, name: str, bus_name: str | None = None) -> Rule:
        bus = self.bus(ctx, bus_name)
        rule = self.state(ctx).rules.get((bus.name, name))
        if rule is None:
            raise errors.not_found(f"Rule {name} does not exist on EventBus {bus.name}.")
        return rule

    @staticmethod
    def bus_rules(state: EventsState, bus: str, prefix: str = "", offset: int = 0) -> Iterator[Rule]:
        """The rules of `bus` whose names start with `prefix`, in name order, from the `offset`-th on."""
        start = state.rules.bisect_left((bus, prefix)) + offset
        keys = takewhile(lambda k: k[0] == bus and k[1].startswith(prefix), state.rules.islice(start))
        return (state.rules[k] for k in keys)

    @staticmethod
    def index_rule(state: EventsState, rule: Rule, keep: bool) -> None:
        """List a pattern rule under the exact sources its pattern requires (`keep`), or drop it."""
        if rule.pattern is None:
            return
        sources = rule.pattern.get("source")
        exact = isinstance(sources, list) and bool(sources) and all(isinstance(v, str) for v in sources)
        for source in (sources if exact else [None]):
            names = state.by_source.setdefault((rule.bus, source), set())
            if keep:
                names.add(rule.name)
            else:
                names.discard(rule.name)
                if not names:
                    del state.by_source[(rule.bus, source)]

    def routed_rules(self, state: EventsState, bus: str, event: dict[str, Any]) -> Iterable[Rule]:
        """The rules of `bus` that may match `event` (those requiring another source cannot)."""
        source = event.get("source")
        if not isinstance(source, str):
            return self.bus_rules(state, bus)
        names = state.by_source.get((bus, source), set()) | state.by_source.get((bus, None), set())
        return [state.rules[(bus, name)] for name in names]

    @staticmethod
    def note_wake(state: EventsState, rule: Rule, now: datetime) -> None:
        """Wake the next firing round no later than `rule`'s next firing, and let a clock set back
        before `now` look at every scheduled rule again (their next firings are reckoned from then)."""
        if state.checked is not None:
            state.checked = max(state.checked, now)
        if state.wake is not None and rule.next_fire is not None and rule.state != "DISABLED":
            state.wake = min(state.wake, rule.next_fire)

    @staticmethod
    def json_object(text: str, what: str) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise errors.invalid(f"{what} is not valid JSON.")  # wording not documented
        return value
