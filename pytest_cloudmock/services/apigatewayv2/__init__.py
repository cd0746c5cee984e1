"""Amazon API Gateway v2, in-process: HTTP APIs (routes, Lambda proxy payload 1.0 and 2.0,
HTTP proxy, JWT and Lambda authorizers, CORS, auto-deployed stages), WebSocket APIs and
OpenAPI import/export. Requests to deployed APIs arrive through `apigateway`'s public endpoint.
"""

from __future__ import annotations

from .service import ApiGatewayV2Service

SERVICE = ApiGatewayV2Service

__all__ = ["SERVICE", "ApiGatewayV2Service"]
