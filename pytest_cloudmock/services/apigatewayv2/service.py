"""`ApiGatewayV2Service`: HTTP and WebSocket APIs (`apigatewayv2`)."""

from __future__ import annotations

from .invoke_http import HttpInvokeOps


class ApiGatewayV2Service(HttpInvokeOps):
    """Amazon API Gateway v2: every operation of the model; deployed HTTP APIs answer on the
    gateway's port through `apigateway`'s public endpoint (the API id space is shared)."""

    name = "apigatewayv2"
