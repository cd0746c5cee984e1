"""Amazon EventBridge, in-process: buses and their policies, rules (patterns and schedules on
the gateway clock), PutEvents, targets through the registry, archives and replays,
connections and API destinations. See `docs/services/events.md`."""

from __future__ import annotations

from .buses import BusOperations
from .connections import ConnectionOperations
from .rules import RuleOperations


class EventsService(BusOperations, RuleOperations, ConnectionOperations):
    """The EventBridge service: every operation of the model."""

    def reset(self) -> None:
        super().reset()
        self.failed_deliveries.clear()


SERVICE = EventsService

__all__ = ["SERVICE", "EventsService"]
