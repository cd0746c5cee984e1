"""API Gateway v1 `patchOperations`: JSON-Patch-like edits of a stored record.

Paths are `/`-separated with `~1` for `/` and `~0` for `~` (`/variables/env`,
`/binaryMediaTypes/image~1png`); values are strings, coerced to the type the output
shape gives the member (booleans, numbers, string lists).
"""

from __future__ import annotations

from typing import Any

from botocore.model import Shape

from ...api import AWSError

_OPS = ("add", "remove", "replace", "move", "copy", "test")


def bad_patch(message: str) -> AWSError:
    return AWSError("BadRequestException", message, 400)


def path_segments(path: str) -> list[str]:
    """`/a/b~1c` -> ["a", "b/c"]."""
    return [p.replace("~1", "/").replace("~0", "~") for p in path.strip("/").split("/")] if path.strip("/") else []


def coerce(value: Any, shape: Shape | None) -> Any:
    """A patch value (a string) as the member's type."""
    if shape is None or not isinstance(value, str):
        return value
    kind = shape.type_name
    try:
        if kind == "boolean":
            return value.strip().lower() == "true"
        if kind in ("integer", "long"):
            return int(value)
        if kind in ("double", "float"):
            return float(value)
    except ValueError:
        raise bad_patch(f"Invalid value for {shape.name}: {value}") from None
    if kind == "list":
        return [value]
    return value


def apply_patch(item: dict[str, Any], operations: list[dict[str, Any]], shape: Shape | None) -> None:
    """Apply `operations` to `item` in order (a bad operation changes nothing after it)."""
    members = shape.members if shape is not None else {}
    for operation in operations:
        op = operation.get("op", "replace")
        if op not in _OPS:
            raise bad_patch(f"Invalid patch operation specified. Must be one of: {list(_OPS)}")
        segments = path_segments(operation.get("path", ""))
        if not segments:
            raise bad_patch(f"Invalid patch path {operation.get('path', '')!r}")
        if op == "test":
            continue
        if op in ("move", "copy"):
            source = path_segments(operation.get("from", ""))
            if not source:
                raise bad_patch(f"Invalid patch 'from' path {operation.get('from', '')!r}")
            value = _read(item, source)
            if op == "move":
                _remove(item, source)
            _write(item, segments, value, members, add=False)
            continue
        if op == "remove":
            _remove(item, segments)
            continue
        _write(item, segments, operation.get("value"), members, add=op == "add")


def _read(item: dict[str, Any], segments: list[str]) -> Any:
    node: Any = item
    for segment in segments:
        if not isinstance(node, dict) or segment not in node:
            raise bad_patch(f"Invalid patch path /{'/'.join(segments)}")
        node = node[segment]
    return node


def _write(item: dict[str, Any], segments: list[str], value: Any, members: dict[str, Shape], *, add: bool) -> None:
    head = segments[0]
    shape = members.get(head)
    if len(segments) == 1:
        if shape is not None and shape.type_name == "list" and add and value is not None:
            item.setdefault(head, [])
            if value not in item[head]:
                item[head].append(value)
        else:
            item[head] = coerce(value, shape)
        return
    node = item.get(head)
    if shape is not None and shape.type_name == "list":
        # `/binaryMediaTypes/image~1png` (add: the segment is the value) or `/apiStages`-like lists
        node = item.setdefault(head, [])
        entry = segments[1] if add or value is None else value
        if entry not in node:
            node.append(entry)
        return
    if not isinstance(node, dict):
        node = item[head] = {}
    sub = shape.members if shape is not None and shape.type_name == "structure" else {}
    if shape is not None and shape.type_name == "map" and len(segments) == 2:
        node[segments[1]] = coerce(value, shape.value)
        return
    _write(node, segments[1:], value, sub, add=add)


def _remove(item: dict[str, Any], segments: list[str]) -> None:
    node: Any = item
    for segment in segments[:-1]:
        if isinstance(node, list):
            if segment in node:
                node.remove(segment)
            return
        if not isinstance(node, dict) or segment not in node:
            return
        node = node[segment]
    last = segments[-1]
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and last in node:
        node.remove(last)
