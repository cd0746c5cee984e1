"""What every Logs operation needs: the store, group and stream lookup, ARNs, the
clock in milliseconds, retention, and paging."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from ...api import RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from . import errors
from .state import Event, LogGroup, LogsState, LogStream

T = TypeVar("T")
DAY_MS = 86_400_000
#: The retention values PutRetentionPolicy accepts (AWS's list).
RETENTION_DAYS = frozenset({1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                            2192, 2557, 2922, 3288, 3653})


def now_ms(ctx: RequestContext) -> int:
    return int(ctx.clock.now() * 1000)


def group_name_of(identifier: str) -> str:
    """A log group name from a name or either of its ARNs (`...:log-group:NAME[:*]`)."""
    if identifier.startswith("arn:"):
        _, sep, rest = identifier.partition(":log-group:")
        if not sep:
            raise errors.invalid(f"Invalid log group identifier: {identifier}")  # exact text unknown
        return rest[:-2] if rest.endswith(":*") else rest
    return identifier


def retention_cutoff(group: LogGroup, now: int) -> int | None:
    """The oldest timestamp a read still returns (None: kept forever)."""
    return None if group.retention_days is None else now - group.retention_days * DAY_MS


def visible(group: LogGroup, stream: LogStream, now: int) -> list[Event]:
    """A stream's events that retention has not yet removed, oldest first."""
    cutoff = retention_cutoff(group, now)
    if cutoff is None:
        return stream.events
    return [e for e in stream.events if e.timestamp >= cutoff]


class LogsBase(ModelService):
    """Store and lookups shared by the Logs operation groups."""

    name: ClassVar[str] = "logs"

    def __init__(self) -> None:
        self.store: Store[LogsState] = Store(LogsState)

    def state(self, ctx: RequestContext) -> LogsState:
        return self.store.for_ctx(ctx)

    # -- addresses ----------------------------------------------------------------------
    @staticmethod
    def arn(ctx: RequestContext, resource: str) -> str:
        return f"arn:{ctx.partition}:logs:{ctx.region}:{ctx.account_id}:{resource}"

    def group_arn(self, ctx: RequestContext, name: str) -> str:
        return self.arn(ctx, f"log-group:{name}")

    # -- lookup -------------------------------------------------------------------------
    def group_param(self, ctx: RequestContext) -> str:
        """The log group a request names, by `logGroupName` or `logGroupIdentifier`."""
        name, identifier = ctx.params.get("logGroupName"), ctx.params.get("logGroupIdentifier")
        if name and identifier:
            raise errors.invalid("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
        if not (name or identifier):
            raise errors.invalid("Either logGroupName or logGroupIdentifier is required.")  # exact text unknown
        return group_name_of(name or identifier)

    def group(self, ctx: RequestContext, name: str | None = None) -> LogGroup:
        """The named log group; `ResourceNotFoundException` if there is none."""
        name = name if name is not None else self.group_param(ctx)
        group = self.state(ctx).groups.get(name)
        if group is None:
            raise errors.group_not_found()
        return group

    def stream(self, ctx: RequestContext, group: LogGroup, name: str | None = None) -> LogStream:
        stream = group.streams.get(name if name is not None else ctx.params.get("logStreamName") or "")
        if stream is None:
            raise errors.stream_not_found()
        return stream

    # -- paging -------------------------------------------------------------------------
    def page(self, ctx: RequestContext, items: Sequence[T], *, limit_key: str = "limit",
             default: int = 50, scope: str = "") -> tuple[list[T], str | None]:
        return offset_page(items, ctx.params.get("nextToken"), ctx.params.get(limit_key), bad_token=errors.bad_token,
                           default_limit=default, scope=scope or ctx.operation)

    @staticmethod
    def paged(result: dict[str, Any], token: str | None) -> dict[str, Any]:
        if token:
            result["nextToken"] = token
        return result
