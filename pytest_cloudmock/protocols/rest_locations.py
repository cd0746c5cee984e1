"""REST member locations: `uri` labels, `querystring`, `header`, `headers`
prefix maps and `statusCode`, both ways, as botocore's `BaseRestSerializer` and
`BaseRestParser` write and read them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.model import OperationModel, Shape
from werkzeug.datastructures import Headers

from ..wire import WireRequest
from .rest_routing import headers_by_lower_name, lower_headers, router_for
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


@lru_cache(maxsize=4096)
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


def _query_value(shape: Shape, values: list[str]) -> Any:
    if shape.type_name == "list":
        return [scalar_from_text(shape.member, v, ISO8601) for v in values]
    return scalar_from_text(shape, values[0], ISO8601)


def _label_value(shape: Shape, text: str) -> Any:
    return scalar_from_text(shape, text, ISO8601)


def _query_map(shape: Shape, query: dict[str, list[str]]) -> dict[str, Any]:
    return {key: _query_value(shape.value, values) for key, values in query.items()}


def _as_is(shape: Shape, value: Any) -> Any:
    return value


# (model order, member name, shape): the query map member reads last, as botocore writes it.
_Slot = tuple[int, str, Shape]


@dataclass(frozen=True)
class _InputPlan:
    """Where each located member of an input shape is read from (built once per shape)."""

    labels: tuple[tuple[str, _Slot], ...]  # (label, slot)
    query: dict[str, tuple[_Slot, ...]]  # query key -> members
    query_map: _Slot | None  # the member taking unclaimed query keys
    headers: dict[str, tuple[_Slot, ...]]  # lower-cased header -> members
    prefixes: tuple[tuple[str, _Slot], ...]  # (lower-cased header prefix, slot)


@lru_cache(maxsize=4096)
def _input_plan(shape: Shape) -> _InputPlan:
    members = located_members(shape)
    labels: list[tuple[str, _Slot]] = []
    query: dict[str, tuple[_Slot, ...]] = {}
    headers: dict[str, tuple[_Slot, ...]] = {}
    prefixes: list[tuple[str, _Slot]] = []
    query_map = None
    for i, m in enumerate(members):
        slot = (i, m.name, m.shape)
        if m.location == "uri":
            labels.append((m.wire_name, slot))
        elif m.location == "querystring":
            if m.shape.type_name == "map":
                query_map = (len(members), m.name, m.shape)
            else:
                query[m.wire_name] = (*query.get(m.wire_name, ()), slot)
        elif m.location == "header":
            key = m.wire_name.lower()
            headers[key] = (*headers.get(key, ()), slot)
        elif m.location == "headers":
            prefixes.append((m.wire_name.lower(), slot))
    return _InputPlan(tuple(labels), query, query_map, headers, tuple(prefixes))


def parse_locations(
    request: WireRequest, operation: OperationModel, headers: Headers | None = None
) -> dict[str, Any]:
    """Params read from the URI labels, query string and headers of a request.

    `headers` overrides the request's headers (e.g. with aws-chunked trailers added).
    Raises ValueError (or a JSON/base64 error) when a value does not fit its shape.
    Only the labels, query keys and headers present are looked at (against a
    per-shape plan), then read in model order (params and errors come in that order).
    """
    shape = operation.input_shape
    if shape is None:
        return {}
    plan = _input_plan(shape)
    router = router_for(operation.service_model)
    found: list[tuple[_Slot, Callable[[Shape, Any], Any], Any]] = []
    if plan.labels:
        labels = router.labels(request, operation.name)
        found += [
            (slot, _label_value, labels[label]) for label, slot in plan.labels if label in labels
        ]
    query = request.query
    if query:
        for key in query.keys() & plan.query.keys():
            if query[key]:
                found += [(slot, _query_value, query[key]) for slot in plan.query[key]]
        if plan.query_map is not None:
            claimed = router.by_name[operation.name].claimed_query
            rest = {key: values for key, values in query.items() if key not in claimed}
            if rest:
                found.append((plan.query_map, _query_map, rest))
    by_name = lower_headers(request) if headers is None else headers_by_lower_name(headers)
    for key in by_name.keys() & plan.headers.keys():
        text = by_name[key]
        found += [
            (slot, header_value, text)
            for slot in plan.headers[key]
            if not (slot[2].type_name == "list" and text == "")
        ]
    for prefix, slot in plan.prefixes:
        cut = len(prefix)
        values = {key[cut:]: value for key, value in by_name.items() if key.startswith(prefix)}
        if values:
            found.append((slot, _as_is, values))
    found.sort(key=_model_order)
    return {slot[1]: read(slot[2], raw) for slot, read, raw in found}


def _model_order(item: tuple[_Slot, Any, Any]) -> int:
    return item[0][0]


@lru_cache(maxsize=4096)
def _output_plan(shape: Shape | None) -> dict[str, tuple[int, Located, bool]]:
    """Located output members by name: (model order, member, plain string header)."""
    return {
        m.name: (
            i,
            m,
            m.location == "header"
            and m.shape.type_name == "string"
            and not m.shape.serialization.get("jsonvalue"),
        )
        for i, m in enumerate(located_members(shape))
    }


def write_locations(
    result: Mapping[str, Any], shape: Shape | None, headers: dict[str, str]
) -> int | None:
    """Write an output's header/headers members into `headers`; return its statusCode member.

    Only the result's keys are looked at; headers are written in model order.
    """
    plan = _output_plan(shape)
    present = sorted(
        [(plan[name], value) for name, value in result.items() if value is not None and name in plan]
    )
    status = None
    for (_, m, plain), value in present:
        if plain and isinstance(value, str):
            headers[m.wire_name] = value
        elif m.location == "header":
            if m.shape.type_name == "list" and not value:
                continue
            headers[m.wire_name] = header_text(m.shape, value)
        elif m.location == "statusCode":
            status = int(value)
        elif m.location == "headers":
            for key, item in value.items():
                headers[m.wire_name + key] = str(item)
    return status
