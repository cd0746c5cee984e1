"""Applying a parsed `UpdateExpression` to an item, with AWS's runtime errors."""

from __future__ import annotations

import copy
from typing import Any

from .. import errors
from ..values import SET_TYPES, AttributeValue, Item, add_numbers, av_type, equal
from .evaluate import resolve
from .nodes import Arith, Func, Path, Update, Value

INVALID_PATH = "The document path provided in the update expression is invalid for update"
MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item"
BAD_TYPE = "An operand in the update expression has an incorrect data type"


def apply_update(item: Item, update: Update) -> Item:
    """The item after the update (the input is not changed).

    Every `SET` value is computed from the item as it was before the update, as AWS
    does; then the actions apply in order, list-index `REMOVE`s from the highest index.
    """
    new = copy.deepcopy(item)
    computed = [_set_value(item, a.value) if a.action == "SET" else None for a in update.actions]
    removals = []
    for action, value in zip(update.actions, computed, strict=False):
        if action.action == "SET":
            _assign(new, action.path, value)
        elif action.action == "REMOVE":
            removals.append(action.path)
        elif action.action == "ADD":
            _add(new, action.path, action.value.value)
        else:
            _delete(new, action.path, action.value.value)
    for path in sorted(removals, key=lambda p: [(-e if isinstance(e, int) else 0) for e in p.elements]):
        _remove(new, path)
    return new


def _set_value(item: Item, node: Any) -> AttributeValue:
    if isinstance(node, Value):
        return node.value
    if isinstance(node, Path):
        found = resolve(item, node)
        if found is None:
            raise errors.validation(MISSING_ATTRIBUTE)
        return found
    if isinstance(node, Func):
        if node.name == "if_not_exists":
            found = resolve(item, node.args[0])
            return found if found is not None else _set_value(item, node.args[1])
        left, right = (_set_value(item, arg) for arg in node.args)
        if av_type(left) != "L" or av_type(right) != "L":
            raise errors.validation(BAD_TYPE)
        return {"L": left["L"] + right["L"]}
    if isinstance(node, Arith):
        left, right = _set_value(item, node.left), _set_value(item, node.right)
        if av_type(left) != "N" or av_type(right) != "N":
            raise errors.validation(BAD_TYPE)
        return {"N": add_numbers(left["N"], right["N"], subtract=node.op == "-")}
    raise TypeError(f"not an update operand: {node!r}")


def _parent(item: Item, path: Path) -> AttributeValue | Item | None:
    """The container holding the last step of `path` (the item itself for a top-level name)."""
    if len(path.elements) == 1:
        return item
    return resolve(item, Path(path.elements[:-1]))


def _assign(item: Item, path: Path, value: AttributeValue) -> None:
    last = path.elements[-1]
    if len(path.elements) == 1:
        item[last] = copy.deepcopy(value)
        return
    parent = _parent(item, path)
    if isinstance(last, int) and parent is not None and "L" in parent:
        items = parent["L"]
        if last < len(items):
            items[last] = copy.deepcopy(value)
        else:
            items.append(copy.deepcopy(value))
    elif isinstance(last, str) and parent is not None and "M" in parent:
        parent["M"][last] = copy.deepcopy(value)
    else:
        raise errors.validation(INVALID_PATH)


def _remove(item: Item, path: Path) -> None:
    last = path.elements[-1]
    if len(path.elements) == 1:
        item.pop(last, None)
        return
    parent = _parent(item, path)
    if parent is None:
        return
    if isinstance(last, int) and "L" in parent:
        if last < len(parent["L"]):
            del parent["L"][last]
    elif isinstance(last, str) and "M" in parent:
        parent["M"].pop(last, None)
    else:
        raise errors.validation(INVALID_PATH)


def _add(item: Item, path: Path, value: AttributeValue) -> None:
    current = resolve(item, path)
    if current is None:
        _assign(item, path, value)
        return
    kind = av_type(value)
    if av_type(current) != kind:
        raise errors.validation(BAD_TYPE)
    if kind == "N":
        _assign(item, path, {"N": add_numbers(current["N"], value["N"])})
        return
    merged = list(current[kind]) + [m for m in value[kind] if not _member(current, kind, m)]
    _assign(item, path, {kind: merged})


def _delete(item: Item, path: Path, value: AttributeValue) -> None:
    current = resolve(item, path)
    if current is None:
        return
    kind = av_type(value)
    if av_type(current) != kind:
        raise errors.validation(BAD_TYPE)
    remaining = [m for m in current[kind] if not _member(value, kind, m)]
    if remaining:
        _assign(item, path, {kind: remaining})
    else:
        _remove(item, path)


def _member(container: AttributeValue, kind: str, member: Any) -> bool:
    element = SET_TYPES[kind]
    return any(equal({element: m}, {element: member}) for m in container[kind])
