"""Well-formed outputs from a model's output shape: no required member is ever left out.

`complete_required(out, shape, values)` fills, in place, every required member an
answer lacks (recursively, in the structures it has); `answer(shape, params, values)`
is the answer of an operation the engine only knows from its model: what the caller
sent under the same member names, plus every required member. Placeholder values
are typed and plausible: an enum's healthy value, an ARN for `...Arn`, the
caller's region and account, the gateway clock's time for timestamps.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from botocore.model import Shape

from .shapes import MISSING, coerce, good_state, norm

_MAX_DEPTH = 6


def default(shape: Shape, name: str, values: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value of `shape` for a member called `name`."""
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if shape.metadata.get("union"):  # exactly one member
            first = next(iter(shape.members))
            return {first: default(shape.members[first], first, values, depth + 1)}
        return {m: default(shape.members[m], m, values, depth + 1) for m in shape.required_members
                if depth < _MAX_DEPTH}
    if kind == "list":
        return []
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return good_state(shape) or shape.enum[0]
        key = norm(name)
        if key.endswith("arn"):
            text = (f"arn:{values.get('partition', 'aws')}:{values.get('service', 'cloudmock')}:"
                    f"{values.get('region', 'us-east-1')}:{values.get('account', '123456789012')}:"
                    f"{key.removesuffix('arn') or 'resource'}/cloudmock")
        elif key in ("region", "regionname", "awsregion"):
            text = str(values.get("region", "us-east-1"))
        elif key in ("accountid", "account", "owner", "ownerid", "registryid", "awsaccountid"):
            text = str(values.get("account", "123456789012"))
        elif key.endswith(("id", "token", "identifier")):
            text = str(uuid.uuid4())
        else:
            text = "cloudmock"
        low, high = int(meta.get("min", 0)), int(meta.get("max", 1 << 20))
        return (text + "x" * low)[:max(high, low, 1)] if len(text) < low else text[:max(high, 1)]
    if kind in ("integer", "long", "short", "byte", "bigInteger"):
        return max(int(meta.get("min", 0)), 0)
    if kind in ("float", "double", "bigDecimal"):
        return float(max(meta.get("min", 0), 0))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        now = values.get("now")
        return now if isinstance(now, datetime) else datetime.now().astimezone()
    if kind == "blob":
        return b""
    return None


@lru_cache(maxsize=65536)
def _containers(shape: Shape) -> dict[str, Shape]:
    """A structure's members that hold other values (where `complete_required` looks inside)."""
    return {name: member for name, member in shape.members.items()
            if member.type_name in ("structure", "list", "map")}


Values = dict[str, Any] | Callable[[], dict[str, Any]]


def complete_required(out: Any, shape: Shape | None, values: Values, depth: int = 0) -> Any:
    """Fill every required member missing from `out` (and from the structures inside it);
    `values` may be a function giving them, called only if something is missing."""
    if shape is None or depth > _MAX_DEPTH:
        return out
    kind = shape.type_name
    if kind == "structure" and isinstance(out, dict):
        if shape.metadata.get("union"):
            for extra in [k for k, v in out.items() if v is not None][1:]:
                del out[extra]
            if not any(v is not None for v in out.values()):
                values = values() if callable(values) else values
                out.clear()
                out.update(default(shape, "", values, depth))
        for name in shape.required_members:
            if out.get(name) is None:
                values = values() if callable(values) else values
                out[name] = default(shape.members[name], name, values, depth)
        containers = _containers(shape)
        for name, value in out.items() if containers else ():
            member = containers.get(name)
            if member is not None and isinstance(value, (dict, list)):
                complete_required(value, member, values, depth + 1)
    elif kind == "list" and isinstance(out, list):
        member = shape.member
        if member.type_name in ("structure", "list", "map"):
            for item in out:
                complete_required(item, member, values, depth + 1)
    elif kind == "map" and isinstance(out, dict):
        member = shape.value
        if member.type_name in ("structure", "list", "map"):
            for item in out.values():
                complete_required(item, member, values, depth + 1)
    return out


def echo(params: dict[str, Any], shape: Shape | None) -> dict[str, Any]:
    """What the caller sent, under the output's member names and types."""
    if shape is None:
        return {}
    # Never a page token: a paginator fed its own token back would never stop.
    params = {k: v for k, v in params.items() if not ("token" in norm(k) or "marker" in norm(k))}
    found = coerce(params, shape)
    if found is MISSING:
        return {}
    for name, member in shape.members.items():  # `PutAccountSetting` answers `{setting: {...}}`
        if name not in found and member.type_name == "structure" and norm(name) not in map(norm, params):
            inner = coerce(params, member)
            if inner and inner is not MISSING and len(inner) > 1:
                found[name] = inner
    return found


def answer(shape: Shape | None, params: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The output of an operation known only from its model (see the module docstring)."""
    if shape is None:
        return {}
    return complete_required(echo(params, shape), shape, values)
