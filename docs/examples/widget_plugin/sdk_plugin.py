"""The widget plugin written with the pytest-cloudmock plugin SDK.

Same service as `plugin.py` (the docs' example), but the SDK does the
plumbing: `Register` from `service_name` and the `@action` methods, one method per
action (JSON in, dict out), AWS JSON-protocol errors from `ServiceError`,
and the optional `Reset` RPC, so each test starts with no widgets.
"""

import uuid

from pytest_cloudmock.plugins.sdk import PluginServicer, ServiceError, action, serve


class Widgets(PluginServicer):
    service_name = "myservice"

    def __init__(self):
        self.widgets = {}

    @action("CreateWidget")
    def create_widget(self, params, request):
        widget_id = str(uuid.uuid4())
        self.widgets[widget_id] = {"WidgetId": widget_id, "WidgetName": params.get("WidgetName", "")}
        return {"WidgetId": widget_id}

    @action("GetWidget")
    def get_widget(self, params, request):
        widget = self.widgets.get(params.get("WidgetId"))
        if widget is None:
            raise ServiceError("WidgetNotFound", f"no widget {params.get('WidgetId')}", 404)
        return widget

    @action("ListWidgets")
    def list_widgets(self, params, request):
        return {"Widgets": list(self.widgets.values())}

    @action("DeleteWidget")
    def delete_widget(self, params, request):
        self.widgets.pop(params.get("WidgetId"), None)
        return {}

    def reset(self):
        self.widgets.clear()


if __name__ == "__main__":
    serve(Widgets())
