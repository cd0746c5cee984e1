"""`ApiGatewayV2Service`: HTTP and WebSocket APIs (`apigatewayv2`)."""

from __future__ import annotations

from functools import cached_property

from ...api import ServiceProfile
from .ws_routes import WebSocketOps


class ApiGatewayV2Service(WebSocketOps):
    """Amazon API Gateway v2: every operation of the model; deployed HTTP APIs answer on the
    gateway's port through `apigateway`'s public endpoint (the API id space is shared);
    WebSocket APIs on a local port of their own (`websocket.py`)."""

    name = "apigatewayv2"

    @cached_property
    def profile(self) -> ServiceProfile:
        return ServiceProfile(on_stop=self.stop)
