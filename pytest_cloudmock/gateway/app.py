"""The gateway's WSGI application: route, parse, dispatch, serialize, log.

Every failure becomes an AWS error in the request's protocol: a service's
`AWSError` as it is, anything else as `InternalFailure` 500 (logged with its
traceback). The client never sees a traceback or a dropped connection.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from werkzeug.datastructures import EnvironHeaders

from ..api import AWSError, RequestContext, new_request_id
from ..identities import Identities
from ..protocols import codec_for
from ..registry import Registry
from ..validation import DEFAULT_POLICY, validate
from ..wire import WireRequest, WireResponse, decompress_body, parse_query
from .compat import PREFIXES as COMPAT_PREFIXES
from .request_log import RequestLog
from .router import Route, Router
from .server import HEADERS_KEY
from .signatures import SignatureVerifier, auth_error

log = logging.getLogger("pytest_cloudmock")


def wire_request(environ: dict[str, Any]) -> WireRequest:
    """A `WireRequest` from a WSGI environ (raw path kept percent-encoded; the headers as the
    gateway's server indexed them, else read from the environ)."""
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    path = raw_uri.split("?", 1)[0]
    if "://" in path:  # absolute-form request target
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    length = environ.get("CONTENT_LENGTH")
    headers = environ.get(HEADERS_KEY)
    return WireRequest(
        method=environ["REQUEST_METHOD"],
        path=path or "/",
        query=parse_query(environ.get("QUERY_STRING", "")),
        headers=EnvironHeaders(environ) if headers is None else headers,
        stream=environ.get("wsgi.input"),
        content_length=int(length) if length and length.isdigit() else None,
    )


def guess_protocol(request: WireRequest) -> str:
    """The protocol to answer an unroutable request in."""
    if request.headers.get("smithy-protocol"):
        return "smithy-rpc-v2-cbor"
    if request.headers.get("X-Amz-Target"):
        return "json"
    if "x-www-form-urlencoded" in request.headers.get("Content-Type", "") or "Action" in request.query:
        return "query"
    return "rest-xml" if "s3" in request.headers.get("Authorization", "") else "rest-json"


class GatewayApp:
    """WSGI callable tying router, registry, codecs and the request log together."""

    def __init__(
        self,
        registry: Registry,
        router: Router,
        identities: Identities,
        request_log: RequestLog,
        max_body_size: int = 5 * 1024**3,
        verifier: SignatureVerifier | None = None,
    ) -> None:
        self.registry = registry
        self.router = router
        self.identities = identities
        self.request_log = request_log
        self.max_body_size = max_body_size
        self.verifier = verifier  # None: signatures are read, not checked (the default)
        #: Why a service is not served (the gateway knows its configuration and catalog).
        self.unavailable: Callable[[str], str] = lambda name: f"Service {name} is not served by cloudmock"
        #: Other local mocks' endpoints on this port (gateway/compat.py), checked before routing.
        self.compat: Callable[[WireRequest], WireResponse | None] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = wire_request(environ)
        response = self.handle(request, environ.get("HTTP_HOST", ""))
        headers = [(k, item) for k, v in response.headers.items()
                   for item in (v if isinstance(v, list) else [v])]  # a list: one header each (Set-Cookie)
        body = response.body
        if isinstance(body, (bytes, bytearray)):
            if request.method == "HEAD":
                if not any(k.lower() == "content-length" for k, _ in headers):
                    headers.append(("Content-Length", str(len(body))))
                body = b""
            elif not any(k.lower() == "content-length" for k, _ in headers):
                headers.append(("Content-Length", str(len(body))))
            body = [bytes(body)]
        start_response(f"{response.status} {_reason(response.status)}", headers)
        return body

    def handle(self, request: WireRequest, host: str = "") -> WireResponse:
        """Answer one request; never raises."""
        if (self.compat is not None and request.path.startswith(COMPAT_PREFIXES)
                and (answer := self.compat(request)) is not None):
            return answer
        started = time.perf_counter()
        request_id = new_request_id()
        route: Route | None = None
        ctx: RequestContext | None = None
        error_code = ""
        try:
            if request.content_length and request.content_length > self.max_body_size:
                raise AWSError("RequestEntityTooLarge", "Request body is too large", 413)
            route = self.router.route(request)
            if self.verifier is not None and not route.public:  # checks the request as received (and signed)
                self.verifier.verify(request, route)
            ctx = self._context(route, request_id, host)
            response = self._dispatch(ctx, route)
        except AWSError as err:
            error_code = err.code
            response = self._error(err, request, route, request_id)
        except Exception as exc:  # the error barrier
            log.exception("cloudmock: unhandled error in %s", route.service if route else "routing")
            err = AWSError(
                "InternalFailure",
                f"The request processing has failed because of an unknown error: {type(exc).__name__}: {exc}",
                500,
            )
            error_code = err.code
            response = self._error(err, request, route, request_id)
        if "x-amz-request-id" not in response.headers:  # S3 names its own
            response.headers.setdefault("x-amzn-RequestId", request_id)
        self.request_log.add(
            time=self.registry.clock.now(),
            request_id=request_id,
            service=route.service if route else "",
            operation=route.operation if route else "",
            protocol=route.protocol if route else "",
            status=response.status,
            error_code=error_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
            account_id=ctx.account_id if ctx else "",
            region=route.region if route else "",
            method=request.method,
            path=request.path,
            params=ctx.params if ctx else None,
        )
        return response

    def _context(self, route: Route, request_id: str, host: str) -> RequestContext:
        identity = self.identities.lookup(route.credentials.access_key_id)
        if identity.expiration is not None and self.identities.expired(identity):  # in the family's own words (S3 400, JSON ...Exception)
            raise auth_error(route, "expired_token")
        if not identity.active:  # an Inactive IAM key is refused as an unknown one is
            raise auth_error(route, "unknown_key")
        request = route.request
        return RequestContext(
            service=route.service,
            operation=route.operation,
            params={},
            region=route.region,
            account_id=identity.account_id,
            access_key_id=route.credentials.access_key_id,
            request_id=request_id,
            protocol=route.protocol,
            method=request.method,
            path=request.path,
            query=request.query,
            headers=request.headers,  # type: ignore[arg-type]
            wire=request,
            endpoint=f"http://{host}" if host else "",
            identity=identity,
            registry=self.registry,
            service_model=route.model,
            operation_model=route.operation_model,
        )

    def _dispatch(self, ctx: RequestContext, route: Route) -> WireResponse:
        service = self.registry.get(route.service)
        if service is None:
            raise AWSError("NotImplemented", self.unavailable(route.service), 501, sender_fault=False)
        profile = route.profile
        if profile.raw_requests:
            ctx.body = route.request.body
        elif route.operation_model is not None or route.model is None:
            # A service that streams some request bodies itself (S3 PutObject) names those
            # operations; the rest codecs then leave the payload unread on `ctx.wire.stream`.
            streamed = ctx.operation in profile.streaming_operations
            if route.operation_model is not None and route.operation_model.request_compression:
                decompress_body(route.request, self.max_body_size)
            ctx.params = route.codec.parse(route.request, route.operation_model, stream_payload=streamed)
            validate(ctx.params, route.operation_model, route.protocol, profile.validation or DEFAULT_POLICY)
        # (else: an operation outside the model, S3's form POST: the service reads `ctx.wire`)
        result = self.registry.invoke(service, ctx)
        if isinstance(result.body, dict):
            out = route.codec.serialize(result.body, route.operation_model, ctx.request_id, result.status)  # type: ignore[arg-type]
            if result.headers:
                out.headers.update(result.headers)
            return out
        return WireResponse(result.status or 200, dict(result.headers), result.body or b"")

    def _error(
        self, err: AWSError, request: WireRequest, route: Route | None, request_id: str
    ) -> WireResponse:
        codec = route.codec if route else codec_for(self.router.error_protocol(request) or guess_protocol(request))
        model = route.model if route else None
        op = route.operation_model if route else None
        try:
            return codec.serialize_error(err, model, op, request_id)
        except Exception:  # a codec failing on an error must still answer
            log.exception("cloudmock: error serializer failed")
            body = json.dumps({"__type": err.code, "message": err.message}).encode()
            return WireResponse(err.status, {"x-amzn-ErrorType": err.code}, body)


_REASONS = {status.value: status.phrase for status in HTTPStatus}


def _reason(status: int) -> str:
    return _REASONS.get(status, "Unknown")
