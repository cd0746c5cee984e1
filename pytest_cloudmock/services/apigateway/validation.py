"""Request validators on REST API methods: required request parameters, and the request body
against the method's model (the JSON Schema draft 4 keywords API Gateway models use)."""

from __future__ import annotations

import json
import re
from typing import Any

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def missing_parameters(method: dict[str, Any], headers: Any, query: dict[str, Any],
                       path_params: dict[str, str]) -> list[str]:
    """The required `method.request.*` parameters a request lacks (`Missing required request parameters`)."""
    missing = []
    for name, required in (method.get("requestParameters") or {}).items():
        found = re.match(r"^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$",
                         name)
        if not required or not found:
            continue
        where, key = found[1], found[2]
        if "header" in where:
            present = headers.get(key) is not None
        elif "querystring" in where:
            present = key in query
        else:
            present = bool(path_params.get(key))
        if not present:
            missing.append(key)
    return missing


def schema_errors(schema: dict[str, Any], value: Any, path: str = "") -> list[str]:
    """Why `value` does not match `schema` (empty when it does)."""
    errors: list[str] = []
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    if kinds and not any(_is(value, k) for k in kinds):
        return [f"instance type ({_name(value)}) does not match any allowed primitive type "
                f"(allowed: {json.dumps(kinds)}){_at(path)}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"instance value ({json.dumps(value)}) not found in enum{_at(path)}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"string is too short{_at(path)}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"string is too long{_at(path)}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"ECMA 262 regex does not match input string{_at(path)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"numeric instance is lower than the required minimum{_at(path)}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"numeric instance is greater than the required maximum{_at(path)}")
    if isinstance(value, dict):
        for name in schema.get("required") or []:
            if name not in value:
                errors.append(f"object has missing required properties ([\"{name}\"]){_at(path)}")
        properties = schema.get("properties") or {}
        for name, sub in properties.items():
            if name in value and isinstance(sub, dict):
                errors += schema_errors(sub, value[name], f"{path}/{name}")
        if schema.get("additionalProperties") is False:
            extra = sorted(set(value) - set(properties))
            if extra:
                errors.append(f"object instance has properties which are not allowed by the schema: "
                              f"{json.dumps(extra)}{_at(path)}")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            errors += schema_errors(schema["items"], item, f"{path}/{i}")
    if isinstance(value, list) and len(value) < schema.get("minItems", 0):
        errors.append(f"array is too short{_at(path)}")
    return errors


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    expected = _TYPES.get(kind)
    return expected is not None and isinstance(value, expected) and not (kind != "boolean" and isinstance(value, bool))


def _name(value: Any) -> str:
    for kind in ("boolean", "integer", "number", "string", "array", "object", "null"):
        if _is(value, kind):
            return kind
    return type(value).__name__


def _at(path: str) -> str:
    return f" (at {path})" if path else ""
