"""`ApiGatewayService`: API Gateway v1 (REST APIs) and the HTTP face of every deployed API."""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from ...api import ServiceProfile
from .console import ConsoleOps
from .public import INVOKE_API, unmodelled_operation


class ApiGatewayService(ConsoleOps):
    """Amazon API Gateway (`apigateway`): every operation of the model; deployed REST APIs
    answer HTTP on the gateway's port (and hand HTTP and WebSocket API ids to `apigatewayv2`)."""

    name = "apigateway"
    noun_names: ClassVar[dict[str, str]] = {"RestApi": "REST API", "ApiKey": "API Key"}

    @cached_property
    def profile(self) -> ServiceProfile:
        return ServiceProfile(unmodelled_operation=unmodelled_operation,
                              extra_operations=frozenset({INVOKE_API}))
