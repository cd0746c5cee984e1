"""Gateway responses: the answers API Gateway itself gives (401, 403, 429, 5xx, ...), with the
defaults AWS lists and the customizations `PutGatewayResponse` makes (status, headers, templates)."""

from __future__ import annotations

import json
from typing import Any

from ...api import AWSError, RequestContext, Response
from .base import ApiGatewayBase
from .vtl import TemplateError, render

RESPONSES = "/restapis/{}/gatewayresponses"
#: Every response type and its default status (None: the status of the error it stands for).
DEFAULT_STATUS: dict[str, str | None] = {
    "ACCESS_DENIED": "403", "API_CONFIGURATION_ERROR": "500", "AUTHORIZER_CONFIGURATION_ERROR": "500",
    "AUTHORIZER_FAILURE": "500", "BAD_REQUEST_PARAMETERS": "400", "BAD_REQUEST_BODY": "400",
    "DEFAULT_4XX": None, "DEFAULT_5XX": None, "EXPIRED_TOKEN": "403", "INTEGRATION_FAILURE": "504",
    "INTEGRATION_TIMEOUT": "504", "INVALID_API_KEY": "403", "INVALID_SIGNATURE": "403",
    "MISSING_AUTHENTICATION_TOKEN": "403", "QUOTA_EXCEEDED": "429", "REQUEST_TOO_LARGE": "413",
    "RESOURCE_NOT_FOUND": "404", "THROTTLED": "429", "UNAUTHORIZED": "401", "UNSUPPORTED_MEDIA_TYPE": "415",
    "WAF_FILTERED": "403",
}
DEFAULT_TEMPLATE = {"application/json": '{"message":$context.error.messageString}'}
#: Our error answers' `x-amzn-ErrorType` -> the gateway response type that shapes them.
TYPE_OF_ERROR = {
    "MissingAuthenticationTokenException": "MISSING_AUTHENTICATION_TOKEN", "UnauthorizedException": "UNAUTHORIZED",
    "ForbiddenException": "INVALID_API_KEY", "AccessDeniedException": "ACCESS_DENIED",
    "TooManyRequestsException": "THROTTLED", "LimitExceededException": "QUOTA_EXCEEDED",
    "IntegrationTimeout": "INTEGRATION_TIMEOUT", "UnsupportedMediaTypeException": "UNSUPPORTED_MEDIA_TYPE",
    "AuthorizerConfigurationException": "AUTHORIZER_CONFIGURATION_ERROR",
}


def default_response(response_type: str) -> dict[str, Any]:
    out: dict[str, Any] = {"responseType": response_type, "defaultResponse": True, "responseParameters": {},
                           "responseTemplates": dict(DEFAULT_TEMPLATE)}
    if DEFAULT_STATUS[response_type]:
        out["statusCode"] = DEFAULT_STATUS[response_type]
    return out


class GatewayResponseOps(ApiGatewayBase):
    """Get/Put/Update/DeleteGatewayResponse(s) with AWS's defaults, and `shape_error()`."""

    def _responses(self, ctx: RequestContext) -> dict[str, dict[str, Any]]:
        state = self.state(ctx)
        if ctx.params["restApiId"] not in state.find("/restapis", ()):
            raise AWSError("NotFoundException", "Invalid REST API identifier specified", 404)
        return state.table(RESPONSES, (ctx.params["restApiId"],))

    def _type(self, ctx: RequestContext) -> str:
        kind = ctx.params["responseType"]
        if kind not in DEFAULT_STATUS:
            raise AWSError("BadRequestException", f"Invalid response type: {kind}", 400)
        return kind

    def get_gateway_responses(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            custom = self._responses(ctx)
            rows = [dict(custom.get(kind) or default_response(kind)) for kind in DEFAULT_STATUS]
            return self.crud.list(ctx, self.state(ctx), (RESPONSES, ()), rows)

    def get_gateway_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            kind = self._type(ctx)
            return dict(self._responses(ctx).get(kind) or default_response(kind))

    def put_gateway_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            kind = self._type(ctx)
            item: dict[str, Any] = {"responseType": kind, "defaultResponse": False,
                                    "responseParameters": dict(ctx.params.get("responseParameters") or {}),
                                    "responseTemplates": dict(ctx.params.get("responseTemplates") or {})}
            status = ctx.params.get("statusCode") or DEFAULT_STATUS[kind]
            if status:
                item["statusCode"] = status
            self._responses(ctx)[kind] = item
            return dict(item)

    def update_gateway_response(self, ctx: RequestContext) -> dict[str, Any]:
        from .patch import apply_patch

        with self.store.lock:
            kind = self._type(ctx)
            responses = self._responses(ctx)
            item = responses.setdefault(kind, default_response(kind))
            shape = ctx.operation_model.output_shape if ctx.operation_model else None
            apply_patch(item, ctx.params.get("patchOperations") or [], shape)
            item["defaultResponse"] = False
            return dict(item)

    def delete_gateway_response(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            kind = self._type(ctx)
            if self._responses(ctx).pop(kind, None) is None:
                raise AWSError("NotFoundException", "Invalid Gateway Response identifier specified", 404)
        return {}

    def shape_error(self, responses: dict[str, dict[str, Any]], response: Response,
                    context: dict[str, Any], headers: Any) -> Response:
        """An error answer as the API's gateway responses shape it (the default ones unchanged)."""
        error_type = response.headers.get("x-amzn-ErrorType", "")
        try:
            message = json.loads(response.body).get("message")
        except (ValueError, AttributeError, TypeError):
            message = None
        kind = TYPE_OF_ERROR.get(error_type)
        if error_type == "BadRequestException":
            kind = "BAD_REQUEST_BODY" if message == "Invalid request body" else "BAD_REQUEST_PARAMETERS"
        if kind is None:
            kind = "DEFAULT_5XX" if response.status >= 500 else "DEFAULT_4XX"
        custom = responses.get(kind) or responses.get("DEFAULT_5XX" if response.status >= 500 else "DEFAULT_4XX")
        if custom is None:
            return response
        error = {"message": message, "messageString": json.dumps(message), "responseType": kind}
        status = int(custom.get("statusCode") or response.status)
        out_headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
        for name, source in (custom.get("responseParameters") or {}).items():
            if not name.startswith("gatewayresponse.header."):
                continue
            source = str(source)
            if len(source) >= 2 and source[0] == source[-1] == "'":
                value: str | None = source[1:-1]
            elif source.startswith("method.request.header."):
                value = headers.get(source.rsplit(".", 1)[-1])
            else:
                value = None
            if value is not None:
                out_headers[name[len("gatewayresponse.header."):]] = value
        templates = custom.get("responseTemplates") or DEFAULT_TEMPLATE
        content_type, template = next(iter(templates.items()))
        try:
            body = render(template, b"", {}, {**context, "error": error}, {})
        except TemplateError:
            body = response.body if isinstance(response.body, bytes) else b""
        return Response(body=body, status=status, headers={"Content-Type": content_type, **out_headers})
