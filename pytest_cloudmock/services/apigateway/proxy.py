"""What deployed APIs of both generations share: path matching, Lambda proxy answers, the
gateway's own address, ids and times as API Gateway writes them."""

from __future__ import annotations

import base64
import fnmatch
import json
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from ...api import RequestContext, Response

_TEXT = ("text/", "application/json", "application/xml", "application/javascript",
         "application/x-www-form-urlencoded", "application/x-amz-json")


def match_path(template: str, path: str) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """How well a resource path (`/users/{id}`, `/{proxy+}`) matches a request path: per segment
    2 for a literal, 1 for `{var}`, 0 for a greedy `{var+}` (compare the tuples), and the values."""
    want = [unquote(s) for s in path.strip("/").split("/") if s]
    parts = [p for p in template.strip("/").split("/") if p]
    ranks: list[int] = []
    params: dict[str, str] = {}
    for i, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            if i >= len(want) or i != len(parts) - 1:
                return None
            params[part[1:-2]] = "/".join(want[i:])
            return (*ranks, 0), params
        if i >= len(want):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = want[i]
            ranks.append(1)
        elif part == want[i]:
            ranks.append(2)
        else:
            return None
    return (tuple(ranks), params) if len(parts) == len(want) else None


def match_resource(resources: dict[str, Any], path: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The resource a path reaches (literal segments beat `{var}`, which beats `{proxy+}`)."""
    best: tuple[tuple[int, ...], dict[str, Any], dict[str, str]] | None = None
    for resource in resources.values():
        matched = match_path(resource["path"], path)
        if matched is not None and (best is None or matched[0] > best[0]):
            best = (matched[0], resource, matched[1])
    return (best[1], best[2]) if best else None


def is_text(content_type: str, binary_types: list[str]) -> bool:
    if any(fnmatch.fnmatch(content_type.split(";")[0].strip(), t) for t in binary_types or []):
        return False
    return not content_type or content_type.startswith(_TEXT)


def epoch_ms(when: datetime) -> int:
    """Milliseconds since the epoch of a gateway time (naive times are UTC)."""
    return int((when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp() * 1000)


def extended_id() -> str:
    """An extended request id as API Gateway's headers carry it (`x-amz-apigw-id`, `Apigw-Requestid`)."""
    return base64.b64encode(uuid.uuid4().bytes[:11]).decode()


def proxy_answer(answer: bytes) -> Response | None:
    """A Lambda proxy answer (`statusCode`, `headers`, `multiValueHeaders`, `body`,
    `isBase64Encoded`) as the HTTP response; None when malformed (API Gateway answers 502)."""
    try:
        doc = json.loads(answer) if answer else None
    except ValueError:
        return None
    if not isinstance(doc, dict):
        return None
    allowed = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"}
    if set(doc) - allowed:
        return None
    try:
        status = int(doc.get("statusCode", 200))
    except (TypeError, ValueError):
        return None
    body = doc.get("body")
    if body is not None and not isinstance(body, str):
        return None
    headers: dict[str, Any] = {}
    for name, value in (doc.get("headers") or {}).items():
        headers[str(name)] = str(value)
    for name, values in (doc.get("multiValueHeaders") or {}).items():
        if isinstance(values, list) and values:
            headers[str(name)] = [str(v) for v in values] if len(values) > 1 else str(values[0])
    headers.setdefault("Content-Type", "application/json")
    try:
        data = base64.b64decode(body) if doc.get("isBase64Encoded") and body else (body or "").encode()
    except ValueError:
        return None
    return Response(body=data, status=status, headers=headers)


def gateway_of(ctx: RequestContext) -> str:
    """The gateway's own address, as the request reached it (JWKS lookups for Cognito issuers)."""
    host = ctx.wire.host if ctx.wire is not None else ""
    port = host.rsplit(":", 1)[1] if ":" in host else "80"
    return f"http://127.0.0.1:{port}"
