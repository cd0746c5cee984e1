"""The plugin docs' "widgets" service as an in-process Tier 1 service (tests only).

It has no botocore model: json protocol, target prefix `MyService_20260101`,
signing name `myservice`. Params arrive as the JSON body's dict.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from pytest_cloudmock import Action, AWSError, RequestContext
from pytest_cloudmock.api import ServiceProfile
from pytest_cloudmock.services.base import not_implemented, snake_case
from pytest_cloudmock.store import Store


@dataclass
class WidgetState:
    widgets: dict[str, dict[str, str]] = field(default_factory=dict)


class WidgetService:
    name = "myservice"
    profile = ServiceProfile(signing_name="myservice", target_prefix="MyService_20260101", protocol="json")

    OPERATIONS = ("CreateWidget", "GetWidget", "ListWidgets", "DeleteWidget")

    def __init__(self) -> None:
        self.store: Store[WidgetState] = Store(WidgetState)

    def actions(self) -> list[Action]:
        return [Action(op, "POST", f"myservice:{op}") for op in self.OPERATIONS]

    def handle_request(self, ctx: RequestContext) -> dict[str, Any]:
        if ctx.operation not in self.OPERATIONS:
            raise not_implemented(self.name, ctx.operation)
        return getattr(self, snake_case(ctx.operation))(ctx, self.store.for_ctx(ctx))

    def create_widget(self, ctx: RequestContext, state: WidgetState) -> dict[str, Any]:
        name = ctx.params.get("WidgetName")
        if not isinstance(name, str) or not name:
            raise AWSError("ValidationException", "WidgetName is required")
        widget_id = str(uuid.uuid4())
        state.widgets[widget_id] = {"WidgetId": widget_id, "WidgetName": name}
        return {"WidgetId": widget_id}

    def get_widget(self, ctx: RequestContext, state: WidgetState) -> dict[str, Any]:
        widget = state.widgets.get(ctx.params.get("WidgetId", ""))
        if widget is None:
            raise AWSError("ResourceNotFoundException", "Widget not found", 404)
        return dict(widget)

    def list_widgets(self, ctx: RequestContext, state: WidgetState) -> dict[str, Any]:
        return {"Widgets": sorted(state.widgets.values(), key=lambda w: w["WidgetName"])}

    def delete_widget(self, ctx: RequestContext, state: WidgetState) -> dict[str, Any]:
        if state.widgets.pop(ctx.params.get("WidgetId", ""), None) is None:
            raise AWSError("ResourceNotFoundException", "Widget not found", 404)
        return {}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.store.reset()
