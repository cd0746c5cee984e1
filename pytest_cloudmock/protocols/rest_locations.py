"""REST member locations: `uri` labels, `querystring`, `header`, `headers`
prefix maps and `statusCode`, both ways, as botocore's `BaseRestSerializer` and
`BaseRestParser` write and read them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.model import OperationModel, Shape
from werkzeug.datastructures import Headers

from ..wire import WireRequest
from .rest_routing import router_for
from .values import ISO8601, RFC822, scalar_from_text, scalar_to_text


@dataclass(frozen=True)
class Located:
    """A structure member bound to a non-body location."""

    name: str
    shape: Shape
    location: str  # uri, querystring, header, headers, statusCode
    wire_name: str  # label, query key, header name or header prefix (model spelling)


@lru_cache(maxsize=4096)
def located_members(shape: Shape | None) -> tuple[Located, ...]:
    """Every member of a structure bound to a non-body location (cached per shape)."""
    if shape is None:
        return ()
    return tuple(
        Located(
            name, member, member.serialization["location"], member.serialization.get("name", name)
        )
        for name, member in shape.members.items()
        if member.serialization.get("location")
    )


def has_body_members(shape: Shape | None) -> bool:
    """Whether the shape has members that travel in the body (no location)."""
    return shape is not None and any(
        "location" not in m.serialization for m in shape.members.values()
    )


def split_header_list(value: str) -> list[str]:
    """Items of a comma-separated header list (RFC 7230), quoted items unescaped."""
    items: list[str] = []
    i, n = 0, len(value)
    while i <= n:
        while i < n and value[i] in " \t":
            i += 1
        if i < n and value[i] == '"':
            i += 1
            buf = []
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(value[i])
                i += 1
            items.append("".join(buf))
            i = value.find(",", i)
            i = n + 1 if i < 0 else i + 1
            continue
        end = value.find(",", i)
        end = n if end < 0 else end
        items.append(value[i:end].strip())
        i = end + 1
    return items


def join_header_list(shape: Shape, values: Iterable[Any]) -> str:
    """A list member as one header value, as botocore writes it."""
    parts = []
    for value in values:
        if value is None:
            continue
        if shape.member.type_name == "string":
            text = str(value)
            if '"' in text or "," in text:
                text = '"' + text.replace('"', '\\"') + '"'
            parts.append(text)
        else:
            parts.append(header_text(shape.member, value))
    return ",".join(parts)


def header_text(shape: Shape, value: Any) -> str:
    """A scalar or `jsonvalue` member as a header value."""
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()
    if shape.type_name == "list":
        return join_header_list(shape, value)
    return scalar_to_text(shape, value, RFC822)


def header_value(shape: Shape, text: str) -> Any:
    """The typed value of a header (lists split, `jsonvalue` decoded)."""
    if shape.type_name == "list":
        return [header_value(shape.member, item) for item in split_header_list(text)]
    if shape.serialization.get("jsonvalue"):
        return json.loads(base64.b64decode(text).decode("utf-8"))
    return scalar_from_text(shape, text, RFC822)


def lower_headers(headers: Headers | Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-cased name (the first value of a repeated header)."""
    out: dict[str, str] = {}
    for key, value in headers.items():
        out.setdefault(key.lower(), value)
    return out


def _query_value(shape: Shape, values: list[str]) -> Any:
    if shape.type_name == "list":
        return [scalar_from_text(shape.member, v, ISO8601) for v in values]
    return scalar_from_text(shape, values[0], ISO8601)


def parse_locations(
    request: WireRequest, operation: OperationModel, headers: Headers | None = None
) -> dict[str, Any]:
    """Params read from the URI labels, query string and headers of a request.

    `headers` overrides the request's headers (e.g. with aws-chunked trailers added).
    Raises ValueError (or a JSON/base64 error) when a value does not fit its shape.
    """
    shape = operation.input_shape
    params: dict[str, Any] = {}
    if shape is None:
        return params
    by_name = lower_headers(request.headers if headers is None else headers)
    labels = router_for(operation.service_model).labels(request, operation.name)
    claimed = {
        k for k, _ in router_for(operation.service_model).by_name[operation.name].template.query
    }
    rest_map: tuple[str, Shape] | None = None
    for m in located_members(shape):
        name, member, location, wire_name = m.name, m.shape, m.location, m.wire_name
        if location == "uri":
            if wire_name in labels:
                params[name] = scalar_from_text(member, labels[wire_name], ISO8601)
        elif location == "querystring":
            if member.type_name == "map":
                rest_map = (name, member)
                continue
            claimed.add(wire_name)
            values = request.query.get(wire_name)
            if values:
                params[name] = _query_value(member, values)
        elif location == "header":
            text = by_name.get(wire_name.lower())
            if text is not None and not (member.type_name == "list" and text == ""):
                params[name] = header_value(member, text)
        elif location == "headers":
            prefix = wire_name.lower()
            found = {
                key[len(prefix) :]: value
                for key, value in by_name.items()
                if key.startswith(prefix)
            }
            if found:
                params[name] = found
    if rest_map is not None:
        name, member = rest_map
        value_shape = member.value
        found_map = {
            key: _query_value(value_shape, values)
            for key, values in request.query.items()
            if key not in claimed
        }
        if found_map:
            params[name] = found_map
    return params


def write_locations(
    result: Mapping[str, Any], shape: Shape | None, headers: dict[str, str]
) -> int | None:
    """Write an output's header/headers members into `headers`; return its statusCode member."""
    status = None
    for m in located_members(shape):
        name, member, location, wire_name = m.name, m.shape, m.location, m.wire_name
        value = result.get(name)
        if value is None:
            continue
        if location == "statusCode":
            status = int(value)
        elif location == "header":
            if member.type_name == "list" and not value:
                continue
            headers[wire_name] = header_text(member, value)
        elif location == "headers":
            for key, item in value.items():
                headers[wire_name + key] = str(item)
    return status
