"""ECS account settings: what `PutAccountSetting` stored over AWS's defaults."""

from __future__ import annotations

from typing import Any

# AWS's defaults for accounts created today (ECS developer guide, "Account settings"):
# the long ARN formats and awsvpc trunking are opted in; Container Insights is off.
# Settings not listed here have no documented default we could confirm.
DEFAULTS = {
    "serviceLongArnFormat": "enabled",
    "taskLongArnFormat": "enabled",
    "containerInstanceLongArnFormat": "enabled",
    "awsvpcTrunking": "disabled",
    "containerInsights": "disabled",
    "fargateFIPSMode": "disabled",
}


def list_account_settings(service: Any, ctx: Any) -> dict[str, Any]:
    """`ListAccountSettings`: the stored settings over the defaults, filtered by name and value."""
    stored = service.store.for_ctx(ctx).setting("AccountSetting")
    values = dict(DEFAULTS)
    for params in stored.values():
        values[params["name"]] = params["value"]
    principal = ctx.params.get("principalArn") or f"arn:{ctx.partition}:iam::{ctx.account_id}:root"
    settings = [
        {"name": name, "value": value, "principalArn": principal, "type": "user"}
        for name, value in sorted(values.items())
        if ctx.params.get("name") in (None, name) and ctx.params.get("value") in (None, value)
    ]
    return {"settings": settings}
