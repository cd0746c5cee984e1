"""Resource discovery: ListDiscoveredResources, BatchGetResourceConfig,
GetResourceConfigHistory, GetDiscoveredResourceCounts, SelectResourceConfig and
third-party items (PutResourceConfig, DeleteResourceConfig)."""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from . import errors, query
from .base import ConfigBase, all_types, deleted, parse_json
from .items import base_item, history_item, identifier, query_document, to_json
from .state import Captured

#: Organisation names AWS Config reserves: third-party types may not use them.
RESERVED_ORGANISATIONS = {"aws", "amzn", "amazon", "alexa", "custom"}


class DiscoveryOperations(ConfigBase):
    """The recorded inventory and what reads it."""

    def list_discovered_resources(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        ids, name = p.get("resourceIds"), p.get("resourceName")
        if ids and name:
            # AWS: "You can specify either resource IDs or a resource name, but not both" (wording ours).
            raise errors.validation("You can specify either resourceIds or resourceName, but not both.")
        keep_deleted = bool(p.get("includeDeletedResources"))
        items = self.latest(ctx, [p["resourceType"]], (lambda i: True) if keep_deleted else (lambda i: not i.deleted))
        if ids:
            items = [i for i in items if i.resource_id in set(ids)]
        if name:
            items = [i for i in items if i.resource_name == name]
        page, token = self.page(ctx, items, token="nextToken", limit="limit")
        out: dict[str, Any] = {"resourceIdentifiers": [
            identifier(i, i.captured if i.deleted else None) for i in page]}
        if token:
            out["nextToken"] = token
        return out

    def batch_get_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        keys = ctx.params["resourceKeys"]
        current = self.record(ctx, {k["resourceType"] for k in keys})
        found = []
        for key in keys:  # deleted resources are not returned (AWS documents this)
            item = current.get((key["resourceType"], key["resourceId"]))
            if item is not None and not item.deleted:
                found.append(base_item(item, ctx.account_id))
        return {"baseConfigurationItems": found, "unprocessedResourceKeys": []}

    def get_resource_config_history(self, ctx: RequestContext) -> dict[str, Any]:
        items = self.history(ctx, ctx.params["resourceType"], ctx.params["resourceId"])
        page, token = self.page(ctx, items, token="nextToken", limit="limit", default=10)
        out: dict[str, Any] = {"configurationItems": [history_item(i, ctx.account_id) for i in page]}
        if token:
            out["nextToken"] = token
        return out

    def history(self, ctx: RequestContext, resource_type: str, resource_id: str) -> list[Captured]:
        """The recorded items of one resource in the requested time range and order."""
        p = ctx.params
        later, earlier = p.get("laterTime"), p.get("earlierTime")
        if later is not None and earlier is not None and earlier > later:
            raise errors.error("InvalidTimeRangeException",
                               "The specified time range is not valid. The earlier time is not "
                               "chronologically before the later time.")
        self.record(ctx, [resource_type])
        with self.store.lock:
            items = list(self.state(ctx).history.get((resource_type, resource_id), []))
        if not items:
            raise errors.not_discovered(resource_type, resource_id)
        if later is not None:
            items = [i for i in items if i.captured <= later.timestamp()]
        if earlier is not None:
            items = [i for i in items if i.captured >= earlier.timestamp()]
        return items if p.get("chronologicalOrder") == "Forward" else items[::-1]

    def get_discovered_resource_counts(self, ctx: RequestContext) -> dict[str, Any]:
        types = ctx.params.get("resourceTypes") or all_types() + self._custom_types(ctx)
        counts: dict[str, int] = {}
        for item in self.latest(ctx, types):
            counts[item.resource_type] = counts.get(item.resource_type, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        page, token = self.page(ctx, ordered, token="nextToken", limit="limit")
        out: dict[str, Any] = {"totalDiscoveredResources": sum(counts.values()),
                               "resourceCounts": [{"resourceType": t, "count": n} for t, n in page]}
        if token:
            out["nextToken"] = token
        return out

    def _custom_types(self, ctx: RequestContext) -> list[str]:
        with self.store.lock:
            return sorted({key[0] for key in self.state(ctx).history if not key[0].startswith("AWS::")})

    # -- advanced query -----------------------------------------------------------------
    def select_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        return self.select(ctx, ctx.params["Expression"], default=25)

    def select(self, ctx: RequestContext, expression: str, default: int) -> dict[str, Any]:
        parsed = query.parse(expression)
        types = parsed.resource_types() or set(all_types() + self._custom_types(ctx))
        documents = [query_document(i, ctx.account_id) for i in self.latest(ctx, types)]
        rows = query.run(parsed, documents)
        limit = ctx.params.get("Limit") or ctx.params.get("MaxResults") or (500 if parsed.aggregated else default)
        page, token = self.page(ctx, rows, default=limit)
        out: dict[str, Any] = {"Results": page, "QueryInfo": {"SelectFields": [{"Name": f.name} for f in parsed.fields]}}
        if token:
            out["NextToken"] = token
        return out

    # -- third-party resources ------------------------------------------------------------
    def put_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        resource_type = p["ResourceType"]
        organisation = resource_type.split("::", 1)[0].lower()
        if organisation in RESERVED_ORGANISATIONS:
            raise errors.validation(f"The resource type {resource_type} is not a valid third-party resource "
                                    "type.")  # wording ours
        self.require_running_recorder(ctx)
        configuration = to_json(parse_json(p["Configuration"], "Configuration"))
        now = ctx.clock.now()
        state = self.state(ctx)
        with self.store.lock:
            items = state.history.setdefault((resource_type, p["ResourceId"]), [])
            new = not items or items[-1].deleted
            item = Captured(resource_type, p["ResourceId"], p.get("ResourceName", ""),
                            "", ctx.region, "Not Applicable", items[0].created if not new else now, now,
                            "ResourceDiscovered" if new else "OK", configuration, {}, dict(p.get("Tags") or {}))
            if new or (items[-1].configuration, items[-1].tags, items[-1].resource_name) != (
                    item.configuration, item.tags, item.resource_name):
                items.append(item)
        return {}

    def delete_resource_config(self, ctx: RequestContext) -> dict[str, Any]:
        self.require_running_recorder(ctx)
        state = self.state(ctx)
        with self.store.lock:
            items = state.history.get((ctx.params["ResourceType"], ctx.params["ResourceId"]))
            if items and not items[-1].deleted:
                items.append(deleted(items[-1], ctx.clock.now()))
        return {}

    def require_running_recorder(self, ctx: RequestContext) -> None:
        with self.store.lock:
            running = any(r.recording for r in self.state(ctx).recorders.values())
        if not running:
            raise errors.error("NoRunningConfigurationRecorderException",
                               "There is no configuration recorder running.")  # wording ours
