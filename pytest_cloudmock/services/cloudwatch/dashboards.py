"""Dashboards: Put/Get/List/Delete, with the body checks PutDashboard makes."""

from __future__ import annotations

import json
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import offset_page
from . import errors
from .base import CloudWatchBase, stamp
from .state import Dashboard

WIDGET_TYPES = ("metric", "text", "log", "alarm", "explorer", "custom")


def invalid_body(messages: list[tuple[str, str]]) -> AWSError:
    return AWSError("InvalidParameterInput", "The dashboard body is invalid, there are "
                    f"{len(messages)} validation errors: {json.dumps([{'dataPath': p, 'message': m} for p, m in messages])}",
                    fields={"dashboardValidationMessages": [{"DataPath": p, "Message": m} for p, m in messages]})


def body_errors(body: str) -> list[tuple[str, str]]:
    """(data path, message) for each problem of a dashboard body (JSON-schema style wording)."""
    try:
        doc = json.loads(body)
    except ValueError:
        return [("", "The field DashboardBody must be a valid JSON object")]
    if not isinstance(doc, dict):
        return [("", "Should be object")]
    widgets = doc.get("widgets")
    if widgets is None:
        return [("", "Should have required property 'widgets'")]
    if not isinstance(widgets, list):
        return [("/widgets", "Should be array")]
    problems = []
    for i, widget in enumerate(widgets):
        where = f"/widgets/{i}"
        if not isinstance(widget, dict):
            problems.append((where, "Should be object"))
            continue
        if "type" not in widget:
            problems.append((where, "Should have required property 'type'"))
        elif widget["type"] not in WIDGET_TYPES:
            problems.append((f"{where}/type", "Should be equal to one of the allowed values"))
        if widget.get("type") in ("metric", "text", "log", "alarm") and not isinstance(widget.get("properties"),
                                                                                         dict):
            problems.append((where, "Should have required property 'properties'"))
        for dim in ("x", "y", "width", "height"):
            if dim in widget and not isinstance(widget[dim], int):
                problems.append((f"{where}/{dim}", "Should be integer"))
    return problems


class DashboardOperations(CloudWatchBase):
    def put_dashboard(self, ctx: RequestContext) -> dict[str, Any]:
        name, body = ctx.params["DashboardName"], ctx.params["DashboardBody"]
        problems = body_errors(body)
        if problems:
            raise invalid_body(problems)
        arn = self.global_arn(ctx, f"dashboard/{name}")
        with self.store.lock:
            state = self.state(ctx)
            state.dashboards[name] = Dashboard(name, arn, body, ctx.clock.now())
            if ctx.params.get("Tags"):
                state.tags.setdefault(arn, {}).update({t["Key"]: t["Value"] for t in ctx.params["Tags"]})
        return {"DashboardValidationMessages": []}

    def get_dashboard(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["DashboardName"]
        dashboard = self.state(ctx).dashboards.get(name)
        if dashboard is None:
            raise errors.not_found(f"Dashboard {name} does not exist")
        return {"DashboardArn": dashboard.arn, "DashboardBody": dashboard.body, "DashboardName": name}

    def list_dashboards(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("DashboardNamePrefix") or ""
        with self.store.lock:
            found = sorted((d for d in self.state(ctx).dashboards.values() if d.name.startswith(prefix)),
                           key=lambda d: d.name)
        page, token = offset_page(found, ctx.params.get("NextToken"), 1000, bad_token=errors.bad_token,
                                  scope="ListDashboards")
        out: dict[str, Any] = {"DashboardEntries": [
            {"DashboardName": d.name, "DashboardArn": d.arn, "LastModified": stamp(d.modified),
             "Size": len(d.body.encode())} for d in page]}
        if token:
            out["NextToken"] = token
        return out

    def delete_dashboards(self, ctx: RequestContext) -> dict[str, Any]:
        names = ctx.params["DashboardNames"]
        with self.store.lock:
            state = self.state(ctx)
            missing = [n for n in names if n not in state.dashboards]
            if missing:
                raise errors.not_found(f"Dashboard {missing[0]} does not exist")
            for name in names:
                state.tags.pop(state.dashboards.pop(name).arn, None)
        return {}
