"""Template properties as an API operation's input, by the operation's botocore shape.

Most resource types' properties are the create call's members under other capitalisation
(`RestApiId` -> `restApiId`, `ProviderARNs` -> `providerARNs`) and with template scalars
(`"30"`, `"true"`) where the API wants numbers and booleans. `fit` walks the input shape:
a structure's members are matched by name ignoring case, map keys are kept as written,
scalars are coerced to the member's type; properties the shape lacks are dropped.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.model import Shape

from ....models import service_model
from .base import as_bool, as_timestamp


def members(service: str, operation: str) -> frozenset[str]:
    """The member names of `operation`'s input."""
    return frozenset(service_model(service).operation_model(operation).input_shape.members)


def fit(service: str, operation: str, properties: dict[str, Any], *, skip: tuple[str, ...] = (),
        **renames: str) -> dict[str, Any]:
    """`properties` as `operation`'s input: the members the input shape has (see the module).

    `renames` maps a property to a member of another name (`UserPoolName="PoolName"`);
    `skip` lists properties the provider sends itself.
    """
    shape = service_model(service).operation_model(operation).input_shape
    source = {renames.get(k, k): v for k, v in properties.items() if k not in skip and v is not None}
    return coerce(source, shape)


def coerce(value: Any, shape: Shape) -> Any:
    """`value` in the form `shape` wants (see the module)."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        by_name = {name.lower(): name for name in shape.members}
        out = {}
        for key, item in value.items():
            member = by_name.get(str(key).lower())
            if member is not None and item is not None:
                out[member] = coerce(item, shape.members[member])
        return out
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(item, shape.member) for item in items]
    if kind == "map":
        return {str(k): coerce(v, shape.value) for k, v in value.items()} if isinstance(value, dict) else value
    if kind in ("integer", "long"):
        return int(value) if isinstance(value, (str, float)) and str(value) != "" else value
    if kind in ("double", "float"):
        return float(value) if isinstance(value, str) and value != "" else value
    if kind == "boolean":
        return as_bool(value)
    if kind == "timestamp":
        return as_timestamp(value)
    if kind == "blob":
        return value.encode() if isinstance(value, str) else value
    if kind == "string" and isinstance(value, (dict, list)):
        return json.dumps(value)  # a JSON document given as an object (a policy, a schema)
    if kind == "string" and isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if kind == "string" and isinstance(value, (int, float)) else value


def read_back(found: dict[str, Any], names: tuple[str, ...], *, capitalise: bool = False,
              **renames: str) -> dict[str, Any]:
    """An API answer as template properties (drift's `read`): each of `names` from the member
    of that name ignoring case (`renames` maps a property to a member of another name);
    `capitalise` for a camelCase API, whose nested structures' keys templates capitalise."""
    by_name = {str(key).lower(): key for key in found}
    out: dict[str, Any] = {}
    for name in names:
        member = by_name.get(renames.get(name, name).lower())
        if member is not None and found[member] is not None:
            out[name] = _capitalised(found[member]) if capitalise else found[member]
    return out


def _capitalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k)[:1].upper() + str(k)[1:]: _capitalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_capitalised(v) for v in value]
    return value
