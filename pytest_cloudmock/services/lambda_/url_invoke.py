"""Function URLs over plain HTTP: `<endpoint>/_aws/lambda-url/<url-id>/<path>` (or a Host of
`<url-id>.lambda-url.<region>.<hostname>`) invokes the function with Lambda's payload
format 2.0 event and turns its answer into the HTTP response, as the URL on AWS does.

Access follows AWS: `AuthType` `AWS_IAM` needs a SigV4-signed request; `NONE` needs the
function's resource-based policy to grant the public (`Principal: "*"`)
`lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (required of function URLs created
since October 2025); otherwise 403 `{"Message":"Forbidden"}`.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import uuid
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ...api import RequestContext, Response
from ...wire import WireRequest
from .base import LambdaBase
from .state import Function

URL_PATH = "/_aws/lambda-url/"
URL_HOST = re.compile(r"^([a-z0-9]{32})\.lambda-url\.")
_PATH_FORM = re.compile(r"^/_aws/lambda-url/([a-z0-9]{32})(/.*)?$")
INVOKE_URL = "InvokeFunctionUrl"
# Bodies Lambda passes as text; anything else arrives base64-encoded (`isBase64Encoded`).
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript",
               "application/x-www-form-urlencoded")


def url_target(request: WireRequest) -> tuple[str, str] | None:
    """(url id, path below it) of a request to a function URL, or None."""
    found = _PATH_FORM.match(request.path)
    if found:
        return found[1], found[2] or "/"
    host = URL_HOST.match(request.host.split(":")[0].lower())
    return (host[1], request.path) if host else None


def function_url(endpoint: str, url_id: str) -> str:
    """The URL a client calls (the path form: it needs no DNS for `*.localhost`)."""
    return f"{endpoint or 'http://localhost'}{URL_PATH}{url_id}/"


def http_event(request: WireRequest, path: str, url_id: str, account: str, region: str,
               now: datetime, signed: bool) -> dict[str, Any]:
    """Lambda's payload format 2.0 event for one HTTP request."""
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
    raw_query = urlencode([(k, v) for k, values in request.query.items() for v in values])
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    body = request.body
    content_type = headers.get("content-type", "")
    text = not body or content_type.startswith(_TEXT_TYPES)
    when = now.astimezone(timezone.utc)
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": account if signed else "anonymous", "apiId": url_id,
            "domainName": f"{url_id}.lambda-url.{region}.on.aws", "domainPrefix": url_id,
            "http": {"method": request.method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "127.0.0.1", "userAgent": headers.get("user-agent", "")},
            "requestId": str(uuid.uuid4()), "routeKey": "$default", "stage": "$default",
            "time": when.strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(when.timestamp() * 1000),
        },
        "isBase64Encoded": not text,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"] = body.decode("utf-8", "replace") if text else base64.b64encode(body).decode()
    return event


def http_answer(result: bytes, failed: bool) -> Response:
    """The HTTP response for a function's answer (Lambda's rules for payload format 2.0)."""
    if failed:
        # AWS answers 502 for a function error; its exact body text is not documented.
        return _json(502, {"Message": "Internal Server Error"})
    try:
        answer = json.loads(result) if result else None
    except ValueError:
        return _json(502, {"Message": "Internal Server Error"})
    if not isinstance(answer, dict) or "statusCode" not in answer:
        # No statusCode: the whole answer is a JSON body with status 200.
        return Response(body=json.dumps(answer).encode(), status=200,
                        headers={"Content-Type": "application/json"})
    headers = {str(k): str(v) for k, v in (answer.get("headers") or {}).items()}
    headers.setdefault("Content-Type", "application/json")
    body = answer.get("body", "")
    if not isinstance(body, str):
        body = json.dumps(body)
    data = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
    response = Response(body=data, status=int(answer["statusCode"]), headers=headers)
    cookies = answer.get("cookies") or []
    if cookies:
        response.headers["Set-Cookie"] = list(cookies)  # type: ignore[assignment]  # one header each
    return response


def _json(status: int, body: dict[str, Any]) -> Response:
    return Response(body=json.dumps(body).encode(), status=status,
                    headers={"Content-Type": "application/json", "x-amzn-ErrorType": "AccessDeniedException"}
                    if status == 403 else {"Content-Type": "application/json"})


def public_access(function: Function, qualifier: str) -> bool:
    """Whether the function's policy grants the public both invoke actions (NONE auth)."""
    statements = list(function.policy.get(qualifier, {}).values())
    granted = set()
    for statement in statements:
        if statement.get("Effect") != "Allow" or statement.get("Principal") not in ("*", {"AWS": "*"}):
            continue
        actions = statement.get("Action")
        for action in actions if isinstance(actions, list) else [actions]:
            for wanted in ("lambda:InvokeFunctionUrl", "lambda:InvokeFunction"):
                if fnmatchcase(wanted.lower(), str(action).lower()):
                    granted.add(wanted)
    return len(granted) == 2


def cors_headers(cors: dict[str, Any], origin: str) -> dict[str, str]:
    """The CORS headers for `origin` under a URL's `Cors` configuration ({} if not allowed)."""
    allowed = cors.get("AllowOrigins") or []
    if not origin or not any(o == "*" or o == origin for o in allowed):
        return {}
    out = {"Access-Control-Allow-Origin": "*" if "*" in allowed and not cors.get("AllowCredentials") else origin}
    if cors.get("AllowCredentials"):
        out["Access-Control-Allow-Credentials"] = "true"
    if cors.get("ExposeHeaders"):
        out["Access-Control-Expose-Headers"] = ",".join(cors["ExposeHeaders"])
    return out


class FunctionUrlOps(LambdaBase):
    """Serves function URLs (the invoking side supplies `target`, `run` and `answer`)."""

    def find_url(self, url_id: str) -> tuple[str, str, Function, str, dict[str, Any]] | None:
        """(account, region, function, qualifier, config) of a URL id, in any account."""
        with self.store.lock:
            for (account, region), state in self.store.partitions():
                name, qualifier = state.url_ids.get(url_id, ("", ""))
                function = state.functions.get(name)
                config = function.urls.get(qualifier) if function is not None else None
                if config is not None and config.get("UrlId") == url_id:  # not a function of that name since
                    return account, region, function, qualifier, dict(config)
        return None

    def invoke_function_url(self, ctx: RequestContext) -> Response:
        assert ctx.wire is not None
        request = ctx.wire
        located = url_target(request)
        found = self.find_url(located[0]) if located else None
        if located is None or found is None:
            return _json(403, {"Message": "Forbidden"})  # AWS does not tell an unknown URL apart
        url_id, path = located
        account, region, function, qualifier, config = found
        cors = cors_headers(config.get("Cors") or {}, request.headers.get("Origin", ""))
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            return self._preflight(config.get("Cors") or {}, cors)
        signed = "Authorization" in request.headers or "X-Amz-Signature" in request.query
        allowed = signed if config.get("AuthType") == "AWS_IAM" else public_access(function, qualifier)
        if not allowed:
            return _json(403, {"Message": "Forbidden"})
        endpoint = getattr(self, "_endpoint", "") or ("" if URL_HOST.match(request.host) else ctx.endpoint)
        event = http_event(request, path, url_id, account, region, ctx.clock.utcnow(), signed)
        invoke_ctx = dataclasses.replace(
            ctx, account_id=account, region=region, endpoint=endpoint,
            params={"FunctionName": function.name, **({"Qualifier": qualifier} if qualifier else {})},
        )
        target = self.target(invoke_ctx)  # type: ignore[attr-defined]
        _record, invocation = self.run(target, json.dumps(event).encode(), "RequestResponse")  # type: ignore[attr-defined]
        response = http_answer(self.answer(invocation), invocation.error or invocation.timed_out)  # type: ignore[attr-defined]
        response.headers.update(cors)
        return response

    @staticmethod
    def _preflight(cors: dict[str, Any], allowed: dict[str, str]) -> Response:
        headers = dict(allowed)
        if allowed:
            if cors.get("AllowMethods"):
                headers["Access-Control-Allow-Methods"] = ",".join(cors["AllowMethods"])
            if cors.get("AllowHeaders"):
                headers["Access-Control-Allow-Headers"] = ",".join(cors["AllowHeaders"])
            if cors.get("MaxAge") is not None:
                headers["Access-Control-Max-Age"] = str(cors["MaxAge"])
        return Response(body=b"", status=200, headers=headers)
