"""Multi-region endpoints (global endpoints): stored, READY once created."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from .base import SesV2Base
from .errors import already_exists, bad_request, not_found
from .state import Endpoint


def endpoint_id() -> str:
    # AWS's id looks like `abcd1234.efgh5678`-style lowercase tokens; the exact format is not documented
    raw = uuid.uuid4().hex
    return f"{raw[:8]}.{raw[8:16]}"


class EndpointOperations(SesV2Base):
    def endpoint(self, ctx: RequestContext) -> Endpoint:
        found = self.state(ctx).endpoints.get(ctx.params["EndpointName"])
        if found is None:
            raise not_found(f"Multi-region endpoint {ctx.params['EndpointName']} does not exist.")  # wording ours
        return found

    def create_multi_region_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["EndpointName"]
        secondary = [r["Region"] for r in ctx.params["Details"]["RoutesDetails"]]
        if ctx.region in secondary or len(set(secondary)) != len(secondary):
            # AWS: the primary is the request's region, the routes name the other one; wording ours
            raise bad_request("The route regions must differ from each other and from the primary region.")
        now = ctx.clock.utcnow()
        with self.store.lock:
            endpoints = self.state(ctx).endpoints
            if name in endpoints:
                raise already_exists(f"Multi-region endpoint {name} already exists.")  # wording ours
            endpoint = endpoints[name] = Endpoint(name, endpoint_id(), [ctx.region, *secondary], now, now)
            self.set_tags(ctx, self.arn(ctx, f"multi-region-endpoint/{name}"), ctx.params.get("Tags"))
        return {"Status": "CREATING", "EndpointId": endpoint.id}

    def get_multi_region_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            e = self.endpoint(ctx)
            return {"EndpointName": e.name, "EndpointId": e.id, "Routes": [{"Region": r} for r in e.regions],
                    "Status": "READY", "CreatedTimestamp": e.created, "LastUpdatedTimestamp": e.updated}

    def delete_multi_region_endpoint(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            e = self.endpoint(ctx)
            del self.state(ctx).endpoints[e.name]
            self.drop_tags(ctx, self.arn(ctx, f"multi-region-endpoint/{e.name}"))
        return {"Status": "DELETING"}

    def list_multi_region_endpoints(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            items = [{"EndpointName": e.name, "Status": "READY", "EndpointId": e.id, "Regions": list(e.regions),
                      "CreatedTimestamp": e.created, "LastUpdatedTimestamp": e.updated}
                     for _, e in sorted(self.state(ctx).endpoints.items())]
        page, more = self.page(ctx, items, "endpoints")
        return {"MultiRegionEndpoints": page, **more}

    def endpoint_by_id(self, ctx: RequestContext, endpoint_id_: str) -> Endpoint:
        """The endpoint a send names with `EndpointId` (NotFoundException if none)."""
        with self.store.lock:
            for e in self.state(ctx).endpoints.values():
                if e.id == endpoint_id_:
                    return e
        raise not_found(f"Multi-region endpoint {endpoint_id_} does not exist.")  # wording ours
