"""What every AWS Config operation group shares: the store, ARNs, paging, tags of Config's
own resources, and the recording of configuration items from the live inventory."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from ...api import RequestContext
from ...paging import offset_page
from ...store import Store
from ..base import ModelService
from . import errors
from .inventory import READERS, Reader
from .items import Observed, to_json
from .state import Captured, ConfigState

T = TypeVar("T")


class ConfigBase(ModelService):
    """Store, ARNs, paging, tags and recording shared by the operation groups."""

    name: ClassVar[str] = "config"

    def __init__(self) -> None:
        self.store: Store[ConfigState] = Store(ConfigState)

    def state(self, ctx: RequestContext) -> ConfigState:
        return self.store.for_ctx(ctx)

    # -- addresses ----------------------------------------------------------------------
    @staticmethod
    def arn(ctx: RequestContext, resource: str) -> str:
        return f"arn:{ctx.partition}:config:{ctx.region}:{ctx.account_id}:{resource}"

    @staticmethod
    def short_id(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:6]}"

    # -- paging -------------------------------------------------------------------------
    @staticmethod
    def page(ctx: RequestContext, items: Sequence[T], *, token: str = "NextToken", limit: str = "Limit",
             default: int = 100) -> tuple[list[T], str | None]:
        """A page of `items` with the request's token and limit (AWS: limit 0 = default)."""
        size = ctx.params.get(limit) or default
        return offset_page(items, ctx.params.get(token), size, bad_token=errors.bad_token,
                           scope=f"config:{ctx.operation}")

    # -- tags of Config's own resources ----------------------------------------------------
    def put_tags(self, state: ConfigState, arn: str, tags: Iterable[dict[str, str]] | None) -> None:
        """Attach `Tags` given on a Put (call with the store lock held)."""
        merged = state.tags.setdefault(arn, {})
        merged.update({t["Key"]: t.get("Value", "") for t in tags or [] if t.get("Key")})
        if len(merged) > 50:
            raise errors.error("TooManyTagsException",
                               "You have reached the limit of the number of tags you can use.")

    # -- recording ----------------------------------------------------------------------
    def record(self, ctx: RequestContext, types: Iterable[str]) -> dict[tuple[str, str], Captured]:
        """Read the live inventory of `types`, record what changed (new items, changed
        configuration or tags, deletions) and return the latest item of every resource
        of those types, deleted ones included."""
        wanted = set(types)
        reader = Reader(ctx)
        observed = {t: READERS[t](reader) for t in wanted if t in READERS}  # outside our lock
        now = ctx.clock.now()
        state = self.state(ctx)
        with self.store.lock:
            for resource_type, resources in observed.items():
                seen = set()
                for resource in resources:
                    seen.add(resource.resource_id)
                    self._capture(state, resource, now)
                for key, items in state.history.items():
                    if key[0] == resource_type and key[1] not in seen and not items[-1].deleted:
                        items.append(deleted(items[-1], now))
            return {key: items[-1] for key, items in state.history.items() if key[0] in wanted}

    @staticmethod
    def _capture(state: ConfigState, resource: Observed, now: float) -> None:
        """Append a configuration item when the resource is new or changed (lock held)."""
        items = state.history.setdefault((resource.resource_type, resource.resource_id), [])
        item = Captured(resource.resource_type, resource.resource_id, resource.resource_name, resource.arn,
                        resource.region, resource.availability_zone, resource.created, now,
                        "OK" if items and not items[-1].deleted else "ResourceDiscovered",
                        to_json(resource.configuration), dict(resource.supplementary), dict(resource.tags))
        last = items[-1] if items else None
        if last is None or last.deleted or _content(last) != _content(item):
            items.append(item)

    def latest(self, ctx: RequestContext, types: Iterable[str],
               keep: Callable[[Captured], bool] = lambda item: not item.deleted) -> list[Captured]:
        """The current items of `types` (recorded now), sorted by type and id."""
        current = self.record(ctx, types)
        return [current[key] for key in sorted(current) if keep(current[key])]


def deleted(last: Captured, now: float) -> Captured:
    """The configuration item AWS Config records when a resource goes away."""
    return Captured(last.resource_type, last.resource_id, last.resource_name, last.arn, last.region,
                    last.availability_zone, last.created, now, "ResourceDeleted", None)


def _content(item: Captured) -> tuple[Any, ...]:
    return (item.resource_name, item.arn, item.configuration, item.supplementary, item.tags)


def all_types() -> list[str]:
    return list(READERS)


def parse_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise errors.validation(f"{what} is not valid JSON.") from None  # wording ours


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record without its private (`_`) fields."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
