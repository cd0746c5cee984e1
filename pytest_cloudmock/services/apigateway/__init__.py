"""Amazon API Gateway v1, in-process: REST APIs and their resource trees, integrations with
VTL mapping templates, deployments and stages, authorizers, API keys and usage plans,
OpenAPI import/export; deployed APIs answer real HTTP on the gateway (see `public.py`).

State lives in `ApiGatewayService.store` (a `Store` of `Tables` per account and region);
see `docs/services/apigateway.md`.
"""

from __future__ import annotations

from .service import ApiGatewayService

SERVICE = ApiGatewayService

__all__ = ["SERVICE", "ApiGatewayService"]
