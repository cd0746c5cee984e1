"""Dedicated IP pools (standard and managed) and dedicated IPs, stored.

AWS leases dedicated IPs through a support request; here a test adds them with
`add_dedicated_ip(account, region, ip, pool)` on the service object.
"""

from __future__ import annotations

from typing import Any

from ...api import RequestContext
from .base import SesV2Base
from .errors import already_exists, bad_request, not_found
from .state import DedicatedIp, Pool


def no_pool(name: str) -> Exception:
    return not_found(f"Pool {name} does not exist.")  # wording ours


class DedicatedIpOperations(SesV2Base):
    def add_dedicated_ip(self, account_id: str, region: str, ip: str, pool: str | None = None,
                         warmup_percentage: int = 100) -> None:
        """Give an account a dedicated IP (what AWS does when a lease request is granted)."""
        with self.store.lock:
            state = self.store.get(account_id, region)
            state.ips[ip] = DedicatedIp(ip, pool, warmup_percentage, "DONE" if warmup_percentage >= 100 else "IN_PROGRESS")

    def pool(self, ctx: RequestContext, name: str) -> Pool:
        found = self.state(ctx).pools.get(name)
        if found is None:
            raise no_pool(name)
        return found

    def create_dedicated_ip_pool(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["PoolName"]
        with self.store.lock:
            pools = self.state(ctx).pools
            if name in pools:
                raise already_exists(f"Pool {name} already exists.")  # wording ours
            pools[name] = Pool(name, ctx.params.get("ScalingMode", "STANDARD"))
            self.set_tags(ctx, self.arn(ctx, f"dedicated-ip-pool/{name}"), ctx.params.get("Tags"))
        return {}

    def get_dedicated_ip_pool(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            pool = self.pool(ctx, ctx.params["PoolName"])
            return {"DedicatedIpPool": {"PoolName": pool.name, "ScalingMode": pool.scaling_mode}}

    def delete_dedicated_ip_pool(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["PoolName"]
        with self.store.lock:
            self.pool(ctx, name)
            state = self.state(ctx)
            del state.pools[name]
            for ip in state.ips.values():  # its IPs fall back to the default pool
                if ip.pool == name:
                    ip.pool = None
            self.drop_tags(ctx, self.arn(ctx, f"dedicated-ip-pool/{name}"))
        return {}

    def list_dedicated_ip_pools(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            names = sorted(self.state(ctx).pools)
        page, more = self.page(ctx, names, "pools")
        return {"DedicatedIpPools": page, **more}

    def put_dedicated_ip_pool_scaling_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            pool = self.pool(ctx, ctx.params["PoolName"])
            mode = ctx.params["ScalingMode"]
            if pool.scaling_mode == "MANAGED" and mode == "STANDARD":
                # AWS documents that a managed pool cannot go back to standard; wording ours
                raise bad_request(f"Pool {pool.name} cannot be changed from MANAGED to STANDARD.")
            pool.scaling_mode = mode
        return {}

    # -- IPs -----------------------------------------------------------------------------------
    @staticmethod
    def _describe_ip(ip: DedicatedIp) -> dict[str, Any]:
        out: dict[str, Any] = {"Ip": ip.ip, "WarmupStatus": ip.warmup_status, "WarmupPercentage": ip.warmup_percentage}
        if ip.pool:
            out["PoolName"] = ip.pool
        return out

    def dedicated_ip(self, ctx: RequestContext) -> DedicatedIp:
        found = self.state(ctx).ips.get(ctx.params["Ip"])
        if found is None:
            raise not_found(f"IP {ctx.params['Ip']} does not exist.")  # wording ours
        return found

    def get_dedicated_ip(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"DedicatedIp": self._describe_ip(self.dedicated_ip(ctx))}

    def get_dedicated_ips(self, ctx: RequestContext) -> dict[str, Any]:
        pool = ctx.params.get("PoolName")
        with self.store.lock:
            if pool:
                self.pool(ctx, pool)
            items = [self._describe_ip(ip) for _, ip in sorted(self.state(ctx).ips.items())
                     if pool is None or ip.pool == pool]
        page, more = self.page(ctx, items, f"ips/{pool or ''}")
        return {"DedicatedIps": page, **more}

    def put_dedicated_ip_in_pool(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            ip = self.dedicated_ip(ctx)
            pool = self.pool(ctx, ctx.params["DestinationPoolName"])
            if pool.scaling_mode == "MANAGED":
                raise bad_request(f"Cannot move IPs into managed pool {pool.name}.")  # wording ours
            ip.pool = pool.name
        return {}

    def put_dedicated_ip_warmup_attributes(self, ctx: RequestContext) -> dict[str, Any]:
        percentage = ctx.params["WarmupPercentage"]
        if not 0 <= percentage <= 100:
            raise bad_request("WarmupPercentage must be between 0 and 100.")  # wording ours
        with self.store.lock:
            ip = self.dedicated_ip(ctx)
            ip.warmup_percentage = percentage
            ip.warmup_status = "DONE" if percentage >= 100 else "IN_PROGRESS"
        return {}
