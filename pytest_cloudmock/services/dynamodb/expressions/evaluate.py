"""Evaluating parsed conditions, operands and projections against an item."""

from __future__ import annotations

from typing import Any

from ..values import SET_TYPES, AttributeValue, Item, av_type, equal, sort_key
from .nodes import And, Between, Compare, Func, In, Not, Or, Paren, Path, Value

_ORDERED = ("S", "N", "B")


def resolve(item: Item, path: Path) -> AttributeValue | None:
    """The value at a document path, or None where any step is missing or of the wrong kind."""
    elements = path.elements
    current: Any = item.get(elements[0]) if isinstance(elements[0], str) else None
    for element in elements[1:]:
        if current is None:
            return None
        if isinstance(element, int):
            items = current.get("L")
            current = items[element] if items is not None and element < len(items) else None
        else:
            members = current.get("M")
            current = members.get(element) if members is not None else None
    return current


def operand(item: Item, node: Any) -> AttributeValue | None:
    """The value of a condition operand (path, value or `size(path)`)."""
    if isinstance(node, Path):
        return resolve(item, node)
    if isinstance(node, Value):
        return node.value
    if isinstance(node, Func) and node.name == "size":
        target = resolve(item, node.args[0])
        size = value_size_function(target)
        return None if size is None else {"N": str(size)}
    raise TypeError(f"not an operand: {node!r}")


def value_size_function(value: AttributeValue | None) -> int | None:
    """`size()`: characters of a string, bytes of a binary, members of a set, list or map."""
    if value is None:
        return None
    kind, raw = next(iter(value.items()))
    if kind in ("S", "B", "L", "M") or kind in SET_TYPES:
        return len(raw)
    return None


def compare(op: str, left: AttributeValue | None, right: AttributeValue | None) -> bool:
    if op == "=":
        return equal(left, right)
    if op == "<>":
        return not equal(left, right)
    if left is None or right is None:
        return False
    kind = av_type(left)
    if kind != av_type(right) or kind not in _ORDERED:
        return False
    a, b = sort_key(left), sort_key(right)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def matches(item: Item, node: Any) -> bool:
    """Whether an item satisfies a condition tree."""
    if isinstance(node, Paren):
        return matches(item, node.operand)
    if isinstance(node, And):
        return matches(item, node.left) and matches(item, node.right)
    if isinstance(node, Or):
        return matches(item, node.left) or matches(item, node.right)
    if isinstance(node, Not):
        return not matches(item, node.operand)
    if isinstance(node, Compare):
        return compare(node.op, operand(item, node.left), operand(item, node.right))
    if isinstance(node, Between):
        value = operand(item, node.operand)
        return compare(">=", value, operand(item, node.low)) and compare("<=", value, operand(item, node.high))
    if isinstance(node, In):
        value = operand(item, node.operand)
        return any(equal(value, operand(item, option)) for option in node.options)
    if isinstance(node, Func):
        return _function(item, node)
    raise TypeError(f"not a condition: {node!r}")


def _function(item: Item, node: Func) -> bool:
    target = resolve(item, node.args[0])
    if node.name == "attribute_exists":
        return target is not None
    if node.name == "attribute_not_exists":
        return target is None
    argument = operand(item, node.args[1])
    if target is None or argument is None:
        return False
    kind, raw = next(iter(target.items()))
    if node.name == "attribute_type":
        return av_type(argument) == "S" and argument["S"] == kind
    if node.name == "begins_with":
        other_kind, other = next(iter(argument.items()))
        return kind == other_kind and kind in ("S", "B") and raw.startswith(other)
    # contains
    other_kind, other = next(iter(argument.items()))
    if kind == "S":
        return other_kind == "S" and other in raw
    if kind in SET_TYPES:
        return other_kind == SET_TYPES[kind] and any(equal({other_kind: m}, argument) for m in raw)
    if kind == "L":
        return any(equal(member, argument) for member in raw)
    return False


def project(item: Item, paths: list[Path]) -> Item:
    """The parts of an item the paths name, keeping their nesting (list elements compacted)."""
    out: Item = {}
    for path in paths:
        value = resolve(item, path)
        if value is None:
            continue
        _place(out, item, path.elements, value)
    return _strip_slots(out)


def _place(out: Item, source: Item, elements: tuple[Any, ...], value: AttributeValue) -> None:
    """Copy `value` into `out` at `elements`, making the containers on the way."""
    if len(elements) == 1:
        out[elements[0]] = value
        return
    head = elements[0]
    container = out.get(head)
    original = source[head]
    if container is None:
        container = out[head] = {"L": []} if "L" in original else {"M": {}}
    _place_nested(container, original, elements[1:], value)


def _place_nested(container: AttributeValue, original: AttributeValue, rest: tuple[Any, ...], value: AttributeValue) -> None:
    step = rest[0]
    if "L" in container:
        # list members projected keep their order; an index stands for the original position
        slots: dict[int, AttributeValue] = container.setdefault("_slots", {})  # type: ignore[assignment]
        if len(rest) == 1:
            slots[step] = value
        else:
            child_original = original["L"][step]
            child = slots.get(step) or ({"L": []} if "L" in child_original else {"M": {}})
            slots[step] = child
            _place_nested(child, child_original, rest[1:], value)
        container["L"] = [slots[i] for i in sorted(slots)]
        return
    members = container["M"]
    if len(rest) == 1:
        members[step] = value
        return
    child_original = original["M"][step]
    child = members.get(step)
    if child is None:
        child = members[step] = {"L": []} if "L" in child_original else {"M": {}}
    _place_nested(child, child_original, rest[1:], value)


def _strip_slots(item: Item) -> Item:
    """Remove the bookkeeping `_place_nested` leaves in projected lists."""
    def clean(value: AttributeValue) -> AttributeValue:
        if "L" in value:
            return {"L": [clean(v) for v in value["L"]]}
        if "M" in value:
            return {"M": {k: clean(v) for k, v in value["M"].items()}}
        return value

    return {k: clean(v) for k, v in item.items()}
