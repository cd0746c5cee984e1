"""Amazon API Gateway Management API, in-process: `PostToConnection`, `GetConnection` and
`DeleteConnection` on the open connections of `apigatewayv2`'s WebSocket APIs.

Clients point at the gateway itself (`AWS_ENDPOINT_URL`, as Lambda functions here get it)
or at `<gateway>/<stage>` (AWS's `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`
shape): both reach `/@connections/<id>`; connection ids are unique across APIs.
"""

from __future__ import annotations

from .service import ApiGatewayManagementService

SERVICE = ApiGatewayManagementService

__all__ = ["SERVICE", "ApiGatewayManagementService"]
