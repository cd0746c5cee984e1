"""The plugin docs' widget plugin ("2. Implement the plugin (example in Python)"), runnable.

Run it standalone (listens on 127.0.0.1:50051) and attach it over the admin API,
or let cloudmock spawn it (`command: python plugin.py`, the pytest marker or the
`cloudmock_plugin` fixture): then it listens on `$CLOUDMOCK_PLUGIN_ADDRESS`.

The only change from the docs: the generated modules come from pytest-cloudmock
and `serve()` is the SDK's (port from the environment, clean shutdown).
"""

import json
import uuid

from pytest_cloudmock.plugins.sdk import plugin_pb2, plugin_pb2_grpc, serve


class MyPlugin(plugin_pb2_grpc.CloudMockPluginServicer):
    def __init__(self):
        self.widgets = {}

    def Register(self, request, context):
        return plugin_pb2.RegisterResponse(
            service_name="myservice",
            actions=[
                plugin_pb2.ActionDef(name="CreateWidget", method="POST", iam_action="myservice:CreateWidget"),
                plugin_pb2.ActionDef(name="GetWidget", method="POST", iam_action="myservice:GetWidget"),
                plugin_pb2.ActionDef(name="ListWidgets", method="POST", iam_action="myservice:ListWidgets"),
                plugin_pb2.ActionDef(name="DeleteWidget", method="POST", iam_action="myservice:DeleteWidget"),
            ],
        )

    def HandleRequest(self, request, context):
        body = json.loads(request.body) if request.body else {}
        if request.action == "CreateWidget":
            widget_id = str(uuid.uuid4())
            self.widgets[widget_id] = {"WidgetId": widget_id, "WidgetName": body.get("WidgetName", "")}
            return plugin_pb2.HandleRequestOutput(
                status_code=200,
                body=json.dumps({"WidgetId": widget_id}).encode(),
            )
        elif request.action == "GetWidget":
            widget = self.widgets.get(body.get("WidgetId"))
            if not widget:
                return plugin_pb2.HandleRequestOutput(status_code=404, body=b'{"error": "WidgetNotFound"}')
            return plugin_pb2.HandleRequestOutput(status_code=200, body=json.dumps(widget).encode())
        elif request.action == "ListWidgets":
            return plugin_pb2.HandleRequestOutput(
                status_code=200,
                body=json.dumps({"Widgets": list(self.widgets.values())}).encode(),
            )
        elif request.action == "DeleteWidget":
            widget_id = body.get("WidgetId")
            if widget_id in self.widgets:
                del self.widgets[widget_id]
            return plugin_pb2.HandleRequestOutput(status_code=200, body=b'{}')
        return plugin_pb2.HandleRequestOutput(status_code=400, body=b'{"error": "InvalidAction"}')

    def HealthCheck(self, request, context):
        return plugin_pb2.HealthCheckResponse(healthy=True)


if __name__ == "__main__":
    serve(MyPlugin())
