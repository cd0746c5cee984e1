"""ELBv2 `DescribeTargetHealth`: the targets `RegisterTargets` registered in a target group."""

from __future__ import annotations

from typing import Any

from ...api import AWSError
from ..records import find


def describe_target_health(service: Any, ctx: Any) -> dict[str, Any]:
    """Registered targets, each `healthy` (no health checks run), filtered by `Targets`."""
    arn = ctx.params["TargetGroupArn"]
    group = find(service.store.for_ctx(ctx).table("TargetGroup"), arn)
    if group is None:  # AWS's text for an unknown target group is not documented
        raise AWSError("TargetGroupNotFound", f"Target group '{arn}' not found")
    link = service.links(ctx, "Targets").get(f"TargetGroupArn={arn}", {})
    wanted = {t["Id"] for t in ctx.params.get("Targets") or []}
    port = group.fields.get("Port")
    return {"TargetHealthDescriptions": [
        {"Target": target, "HealthCheckPort": str(target.get("Port", port or "traffic-port")),
         "TargetHealth": {"State": "healthy"}}
        for target in link.get("Targets", []) if not wanted or target["Id"] in wanted
    ]}
