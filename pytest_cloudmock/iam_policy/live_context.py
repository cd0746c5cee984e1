"""The request context of one live request, built on its first lookup (a request whose
statements hold no condition and no policy variable never builds it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import context as context_keys
from .resource_policies import resource_tags

if TYPE_CHECKING:
    from ..api import RequestContext
    from .principals import Caller

_KEY_CONDITION = re.compile(r"(#?[\w.]+)\s*=\s*(:\w+)")


class LiveContext:
    """`lookup(key) -> values | None` for a request from the wire."""

    __slots__ = ("_caller", "_ctx", "_keys", "_resource", "_source_ip", "_tags")

    def __init__(self, ctx: RequestContext, caller: Caller, resource: str, source_ip: str) -> None:
        self._ctx = ctx
        self._caller = caller
        self._resource = resource
        self._source_ip = source_ip
        self._keys: context_keys.RequestContextKeys | None = None
        self._tags: dict[str, str] | None = None

    def __call__(self, key: str) -> list[str] | None:
        if self._keys is None:
            self._keys = self._build()
        return self._keys(key)

    def _build(self) -> context_keys.RequestContextKeys:
        ctx, service = self._ctx, self._ctx.service
        lazy = {"aws:resourcetag/": self._resource_tag, f"{service}:resourcetag/": self._resource_tag,
                "aws:sourceip": lambda _name: [self._source_ip]}
        if service == "dynamodb":
            lazy["dynamodb:leadingkeys"] = lambda _name: self._leading_keys()
        return context_keys.build(self._caller.context_keys, service, ctx.operation, ctx.params, ctx.region,
                                  ctx.clock.now, ctx.endpoint.startswith("https:"), lazy)

    def _resource_tag(self, name: str) -> list[str] | None:
        if self._tags is None:
            ctx = self._ctx
            found = resource_tags(ctx.registry, ctx.service, self._resource, ctx.account_id, ctx.region)  # type: ignore[arg-type]
            self._tags = {k.lower(): v for k, v in found.items()}
        value = self._tags.get(name.split("/", 1)[1])
        return [value] if value is not None else None

    def _leading_keys(self) -> list[str] | None:
        """`dynamodb:LeadingKeys`: the partition key values the request names."""
        ctx = self._ctx
        p = ctx.params
        try:
            table = ctx.registry.call("dynamodb", "DescribeTable", {"TableName": p["TableName"]},  # type: ignore[union-attr]
                                      account_id=ctx.account_id, region=ctx.region)["Table"]
        except Exception:
            return None
        hash_key = next((k["AttributeName"] for k in table.get("KeySchema") or [] if k["KeyType"] == "HASH"), None)
        item = p.get("Key") or p.get("Item") or {}
        values = []
        if hash_key in item:
            values.append(next(iter(item[hash_key].values())))
        names = p.get("ExpressionAttributeNames") or {}
        for name, placeholder in _KEY_CONDITION.findall(p.get("KeyConditionExpression") or ""):
            if names.get(name, name) == hash_key and placeholder in (p.get("ExpressionAttributeValues") or {}):
                values.append(next(iter(p["ExpressionAttributeValues"][placeholder].values())))
        return [str(v) for v in values] or None
