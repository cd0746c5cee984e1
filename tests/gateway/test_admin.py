"""The admin API: health, services, resets, request log; JSON in and out."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway

from .signed import json_call
from .widgets import WidgetService


def admin(gw: Gateway, path: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(gw.admin_endpoint + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


@pytest.fixture
def widgets(aws: Gateway):
    saved = aws.registry.snapshot()
    aws.registry.register(WidgetService())
    yield aws
    aws.registry.restore(saved)


def create(gw: Gateway, name: str) -> None:
    assert json_call(gw.endpoint, "MyService_20260101.CreateWidget", {"WidgetName": name},
                     "myservice").status == 200


def count(gw: Gateway) -> int:
    return len(json_call(gw.endpoint, "MyService_20260101.ListWidgets", {}, "myservice").json()["Widgets"])


def test_health_lists_started_services(widgets: Gateway) -> None:
    status, body = admin(widgets, "/api/health")
    assert status == 200
    assert body["status"] == "healthy" and body["services"]["myservice"] == "healthy"


def test_unhealthy_service_degrades_health(widgets: Gateway) -> None:
    sick = WidgetService()
    sick.health_check = lambda: False  # type: ignore[method-assign]
    widgets.registry.register(sick)
    status, body = admin(widgets, "/api/health")
    assert (status, body["status"], body["services"]["myservice"]) == (503, "degraded", "unhealthy")


def test_services_lists_lazy_and_started(widgets: Gateway) -> None:
    _, body = admin(widgets, "/api/services")
    by_name = {s["name"]: s for s in body}
    assert by_name["myservice"]["started"] is True and by_name["myservice"]["actions"] == 4
    assert "sqs" in by_name  # a built-in, registered lazily


def test_reset_all_and_one_service(widgets: Gateway) -> None:
    create(widgets, "a")
    assert admin(widgets, "/api/services/myservice/reset", "POST") == (200, {"reset": "myservice"})
    assert count(widgets) == 0
    create(widgets, "b")
    assert admin(widgets, "/api/reset", "POST")[0] == 200
    assert count(widgets) == 0
    assert admin(widgets, "/api/services/nope/reset", "POST")[0] == 404


def test_request_log_is_filterable(widgets: Gateway) -> None:
    create(widgets, "a")
    json_call(widgets.endpoint, "MyService_20260101.GetWidget", {"WidgetId": "x"}, "myservice")
    status, records = admin(widgets, "/api/requests?service=myservice&status=404")
    assert status == 200
    assert [(r["operation"], r["error_code"]) for r in records][-1] == (
        "GetWidget", "ResourceNotFoundException"
    )
    _, last = admin(widgets, "/api/requests?operation=CreateWidget&limit=1")
    assert len(last) == 1 and last[0]["status"] == 200 and last[0]["account_id"] == "123456789012"
    assert admin(widgets, "/api/requests?limit=x")[0] == 400


def test_unknown_route_and_method(widgets: Gateway) -> None:
    assert admin(widgets, "/api/nope")[0] == 404
    assert admin(widgets, "/api/reset")[0] == 405
