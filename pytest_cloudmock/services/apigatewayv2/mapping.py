"""HTTP API parameter mapping: `RequestParameters` (`append:`/`overwrite:`/`remove:` on
`header.<name>` and `querystring.<name>`, `overwrite:path`) and `ResponseParameters` per status
code (headers and `overwrite:statuscode`), with `$request.*`, `$response.*`, `$context.*` and
`$stageVariables.*` values mixed with literal text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ...api import Response
from ..apigateway.vtl import json_path

_VALUE = re.compile(r"\$(?:\{([^}]+)\}|((?:request|response|context|stageVariables)(?:\.[\w$-]+)*))")


def expand(value: str, lookup: Callable[[str], str | None]) -> str:
    """`value` with each `$source` (or `${source}`) replaced by what `lookup` finds ("" if nothing)."""
    return _VALUE.sub(lambda m: lookup(m[1] or m[2]) or "", value)


def request_lookup(headers: Any, query: dict[str, list[str]], path: str, path_params: dict[str, str], body: bytes,
                   context: dict[str, Any], variables: dict[str, str]) -> Callable[[str], str | None]:
    def lookup(source: str) -> str | None:
        kind, _, name = source.partition(".")
        if kind == "request":
            where, _, key = name.partition(".")
            if where == "header":
                return headers.get(key)
            if where == "querystring":
                values = query.get(key)
                return ",".join(values) if values else None
            if where == "path":
                return path_params.get(key) if key else path
            if where == "body":
                return _text(_body_path(body, key))
            return path if name == "path" else None
        if kind == "context":
            node: Any = context
            for part in name.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            return _text(node)
        if kind == "stageVariables":
            return variables.get(name)
        return None

    return lookup


def map_request(parameters: dict[str, str], lookup: Callable[[str], str | None], headers: dict[str, str],
                query: list[tuple[str, str]], path: str) -> tuple[dict[str, str], list[tuple[str, str]], str]:
    """The backend request's (headers, query pairs, path) after the integration's request mappings."""
    headers, query = dict(headers), list(query)
    for key, value in parameters.items():
        action, _, target = key.partition(":")
        where, _, name = target.partition(".")
        text = expand(str(value), lookup)
        if where == "path" and action == "overwrite":
            path = text if text.startswith("/") else "/" + text
        elif where == "header":
            existing = next((k for k in headers if k.lower() == name.lower()), None)
            if action == "remove" and existing:
                del headers[existing]
            elif action == "overwrite":
                if existing:
                    del headers[existing]
                headers[name] = text
            elif action == "append":
                headers[existing or name] = f"{headers[existing]},{text}" if existing else text
        elif where == "querystring":
            if action in ("remove", "overwrite"):
                query = [(k, v) for k, v in query if k != name]
            if action in ("overwrite", "append"):
                query.append((name, text))
    return headers, query, path


def map_response(parameters: dict[str, dict[str, str]], response: Response, context: dict[str, Any],
                 variables: dict[str, str]) -> Response:
    """The answer after the integration's response mappings for its status code."""
    mapping = parameters.get(str(response.status or 200))
    if not mapping:
        return response
    body = response.body if isinstance(response.body, bytes) else b""
    lower = {k.lower(): v for k, v in response.headers.items()}

    def lookup(source: str) -> str | None:
        kind, _, name = source.partition(".")
        if kind == "response":
            where, _, key = name.partition(".")
            if where == "header":
                value = lower.get(key.lower())
                return value if isinstance(value, str) else None
            return _text(_body_path(body, key)) if where == "body" else None
        return request_lookup({}, {}, "", {}, b"", context, variables)(source)

    for key, value in mapping.items():
        action, _, target = key.partition(":")
        text = expand(str(value), lookup)
        if target == "statuscode" and action == "overwrite" and text.isdigit():
            response.status = int(text)
            continue
        where, _, name = target.partition(".")
        if where != "header":
            continue
        existing = next((k for k in response.headers if k.lower() == name.lower()), None)
        if action == "remove" and existing:
            del response.headers[existing]
        elif action == "overwrite":
            if existing:
                del response.headers[existing]
            response.headers[name] = text
        elif action == "append":
            response.headers[existing or name] = f"{response.headers[existing]},{text}" if existing else text
    return response


def _body_path(body: bytes, path: str) -> Any:
    try:
        return json_path(json.loads(body or b"null"), "$." + path if path else "$")
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)
