"""Per-operation validation plans: an input shape compiled once into closures.

A `Node` per shape holds its own constraints (enum, pattern, length, range,
list/map size) as a fast `bad(value)` test, and for containers a `walk` inside.
A structure keeps only the members that have something to check, so a member
without constraints costs nothing, and paths are built only for an error.

A violation is `(kind, path, value, detail)`: kind `required` (detail: the
member's name), `type` (detail: the node) or `value` (detail: the constraint
text). `path` is a chain of tuples, `None` at the top: `(parent, name)` for a
structure member, `(parent, index_or_key, None)` for a list element or map value.
`path_text` renders it in AWS's (Coral's) form: each name with its first letter
lower-cased, elements as `.N.member` (1-based, as in `keySchema.1.member.keyType`).
Map values render as `.KEY.member`: AWS's form for a path inside a map value is
not known to us. A list element or map key/value breaking constraints of its own
is reported once, at the container, with all the element's constraints in
brackets, as AWS does ("Map value must satisfy constraint: [Member must have
length less than or equal to 25, Member must have length greater than or equal to 1]").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.model import Shape

from .patterns import compiled

Violation = tuple[str, Any, Any, Any]
Walk = Callable[[Any, Any, list], None]
HIDDEN = object()  # a sensitive member's value: AWS leaves it out ("Value at 'x' ...")

_STRINGS = ("string", "character")
_INTS = ("integer", "long", "short", "byte", "bigInteger")
_NUMBERS = (*_INTS, "float", "double", "bigDecimal")
_CONTAINERS = ("structure", "list", "map")
_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,), "list": (list, tuple), "map": (dict,), "string": (str,), "character": (str,),
    "boolean": (bool,), "timestamp": (datetime,),
    **{kind: (int,) for kind in _INTS}, "float": (int, float), "double": (int, float), "bigDecimal": (int, float),
}


def lower_first(name: str) -> str:
    """`KeySchema` -> `keySchema`, `SAMLOptions` -> `sAMLOptions` (Coral's member names)."""
    return name[:1].lower() + name[1:]


def path_text(path: Any) -> str:
    """A path chain as AWS writes it (`keySchema.1.member.keyType`)."""
    parts = []
    while path is not None:
        parts.append(path[1] if len(path) == 2 else f"{path[1]}.member")
        path = path[0]
    return ".".join(reversed(parts))


def _number(value: float | int) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class Node:
    """The checks of one shape."""

    def __init__(self, shape: Shape, skip: frozenset[str]) -> None:
        meta = shape.metadata
        kind = shape.type_name
        self.shape = shape
        self.kind = kind
        self.sensitive = bool(meta.get("sensitive"))
        # Documents hold any JSON value; blobs may be streams (S3 bodies): no type check.
        # A container of the wrong type is never walked; `report` says whether it is an error.
        self.types = None if kind == "blob" or meta.get("document") else _TYPES.get(kind)
        self.report = "type" not in skip
        self.enum = frozenset(shape.enum) if kind in _STRINGS and shape.enum and "enum" not in skip else None
        pattern = meta.get("pattern") if kind in _STRINGS and "pattern" not in skip else None
        self.regex = compiled(pattern) if pattern else None
        bounded = "range" if kind in _NUMBERS else "length"
        has_bounds = kind in (*_STRINGS, "blob", "list", "map", *_NUMBERS) and bounded not in skip
        self.lo = meta.get("min") if has_bounds else None
        self.hi = meta.get("max") if has_bounds else None
        if self.lo is not None and self.lo <= 0 and kind not in _NUMBERS:
            self.lo = None  # a length of 0 or more always holds
        word = "value" if kind in _NUMBERS else "length"
        self.hi_text = f"Member must have {word} less than or equal to {_number(self.hi)}" if self.hi is not None else ""
        self.lo_text = f"Member must have {word} greater than or equal to {_number(self.lo)}" if self.lo is not None else ""
        self.enum_text = f"Member must satisfy enum value set: [{', '.join(shape.enum)}]" if self.enum else ""
        self.pattern_text = f"Member must satisfy regular expression pattern: {pattern}" if self.regex else ""
        # In brackets AWS lists an element's constraints as: max, min, pattern (enum: not seen).
        self.texts = ", ".join(t for t in (self.hi_text, self.lo_text, self.pattern_text, self.enum_text) if t)
        self.walk: Walk | None = None
        self.bad = _bad_test(self) if self.texts else None

    def type_ok(self, value: Any) -> bool:
        if self.types is None:
            return True
        if isinstance(value, bool) and self.kind != "boolean":
            return False
        return isinstance(value, self.types)

    def failures(self, value: Any) -> list[str]:
        """The constraint texts a value of the right type breaks, in AWS's order."""
        out = []
        if self.enum is not None and value not in self.enum:
            out.append(self.enum_text)
        if self.regex is not None and self.regex.fullmatch(value) is None:
            out.append(self.pattern_text)
        if self.lo is not None or self.hi is not None:
            if self.kind == "blob" and not isinstance(value, (bytes, bytearray, str)):
                return out
            size = value if self.kind in _NUMBERS else len(value)
            if self.hi is not None and size > self.hi:
                out.append(self.hi_text)
            if self.lo is not None and size < self.lo:
                out.append(self.lo_text)
        return out

    def mistyped(self, value: Any, path: Any, out: list[Violation]) -> None:
        """Record a value of the wrong type (unless the policy skips type checks)."""
        if self.report:
            out.append(("type", path, value, self))

    def check(self, value: Any, path: Any, out: list[Violation]) -> None:
        """Every check of this shape on a present `value` at `path`."""
        if not self.type_ok(value):
            self.mistyped(value, path, out)
            return
        if self.bad is not None and self.bad(value):
            shown = HIDDEN if self.sensitive else value
            out.extend(("value", path, shown, text) for text in self.failures(value))
        if self.walk is not None:
            self.walk(value, path, out)

    def inside(self, value: Any, path: Any, out: list[Violation]) -> None:
        """The checks of a list element or map value (its own constraints are bracketed)."""
        if not self.type_ok(value):
            self.mistyped(value, path, out)
        elif self.walk is not None:
            self.walk(value, path, out)

    def fast_inside(self) -> Walk:
        """`inside`, specialised for a container."""
        walk, types, inside, mistyped = self.walk, self.types, self.inside, self.mistyped
        if walk is None:
            return inside
        if types is None:
            return walk

        def container(value: Any, path: Any, out: list[Violation]) -> None:
            if isinstance(value, types):
                walk(value, path, out)
            else:
                mistyped(value, path, out)

        return container

    def fast_check(self) -> Walk:
        """`check`, specialised: a scalar tests `bad` first and explains only on failure."""
        bad, walk, check, types, mistyped = self.bad, self.walk, self.check, self.types, self.mistyped
        if self.kind not in _CONTAINERS and bad is not None:
            def scalar(value: Any, path: Any, out: list[Violation]) -> None:
                if bad(value):
                    check(value, path, out)
            return scalar
        if bad is None and walk is not None and types is not None:
            def container(value: Any, path: Any, out: list[Violation]) -> None:
                if isinstance(value, types):
                    walk(value, path, out)
                else:
                    mistyped(value, path, out)
            return container
        return check


def _bad_test(node: Node) -> Callable[[Any], bool]:
    """A quick yes/no: does a value break this shape's own constraints (or type)?

    Strings and numbers get one generated expression (`type(v) is not str or
    len(v) > 64`); other kinds ask `failures`.
    """
    kind, enum, lo, hi = node.kind, node.enum, node.lo, node.hi
    match = node.regex.fullmatch if node.regex is not None else None
    if kind in _STRINGS:
        tests = [
            *(["v not in enum"] if enum is not None else []),
            *([f"len(v) > {hi!r}"] if hi is not None else []),
            *([f"len(v) < {lo!r}"] if lo is not None else []),
            *(["match(v) is None"] if match is not None else []),
        ]
        typed = "type(v) is not str or" if node.report else "type(v) is str and"
        expr = f"{typed} ({' or '.join(tests)})"
    elif kind in _NUMBERS:
        tests = [*([f"v > {hi!r}"] if hi is not None else []), *([f"v < {lo!r}"] if lo is not None else [])]
        allowed = "int" if kind in _INTS else "(int, float)"
        wrong = f"type(v) is bool or not isinstance(v, {allowed})"
        expr = f"{wrong} or ({' or '.join(tests)})" if node.report else (
            f"not ({wrong}) and ({' or '.join(tests)})"
        )
    else:
        return lambda v: not node.type_ok(v) or bool(node.failures(v))
    return eval(f"lambda v: {expr}", {"enum": enum, "match": match})  # noqa: S307 - our own text


class Compiler:
    """Compiles the shapes of one operation (a recursive shape compiles once)."""

    def __init__(self, skip: frozenset[str]) -> None:
        self.skip = skip
        self.nodes: dict[str, Node | None] = {}
        self.forwards: dict[str, _Forward] = {}
        self.cells: list[tuple[list[Walk], _Forward, bool]] = []

    def root(self, shape: Shape) -> Walk | None:
        """The walk of an input shape, recursive references bound to their nodes."""
        node = self.node(shape)
        for cell, forward, inside in self.cells:
            target = forward.target
            cell[0] = _nothing if target is None else target.fast_inside() if inside else target.fast_check()
        return node.walk if isinstance(node, Node) else None

    def _fn(self, node: Node | _Forward, inside: bool) -> list[Walk]:
        """A one-item cell holding a node's checker (a recursive one is filled by `root`)."""
        if isinstance(node, Node):
            return [node.fast_inside() if inside else node.fast_check()]
        cell: list[Walk] = [node.inside if inside else node.check]
        self.cells.append((cell, node, inside))
        return cell

    def node(self, shape: Shape) -> Node | _Forward | None:
        """The checker of `shape`, or None when nothing in it needs checking.

        A container is type-checked only where something inside it is checked
        (the codecs already give every value its shape's type).
        """
        key = shape.name
        if key in self.nodes:
            return self.nodes[key]
        if key in self.forwards:  # a recursive reference, bound when its compilation ends
            return self.forwards[key]
        self.forwards[key] = _Forward()
        node = Node(shape, self.skip)
        kind = shape.type_name
        if kind == "structure" and not shape.metadata.get("document"):
            node.walk = self._structure(shape)
        elif kind == "list":
            node.walk = self._list(shape)
        elif kind == "map":
            node.walk = self._map(shape)
        self.nodes[key] = result = node if node.bad is not None or node.walk is not None else None
        self.forwards.pop(key).target = result
        return result

    def _structure(self, shape: Shape) -> Walk | None:
        required = () if "required" in self.skip else tuple(
            (name, lower_first(name)) for name in shape.required_members
        )
        members = {}
        for name, member in shape.members.items():
            if member.serialization.get("eventstream"):
                continue  # an input event stream arrives as an iterator of events, checked as read
            node = self.node(member)
            if node is not None:
                members[name] = (self._fn(node, False), lower_first(name))
        get = members.get

        def walk_members(value: dict, path: Any, out: list[Violation]) -> None:
            for name, item in value.items():
                entry = get(name)
                if entry is not None and item is not None:
                    entry[0][0](item, (path, entry[1]), out)

        def walk(value: dict, path: Any, out: list[Violation]) -> None:
            for name, lname in required:
                if value.get(name) is None:
                    out.append(("required", (path, lname), None, name))
            if members:
                walk_members(value, path, out)

        return walk if required else walk_members if members else None

    def _list(self, shape: Shape) -> Walk | None:
        node = self.node(shape.member)
        if node is None:
            return None
        bracket = _bracket(node, "Member must satisfy constraint")
        if isinstance(node, Node) and node.walk is None:
            return bracket
        inside = self._fn(node, True)

        def walk(value: list, path: Any, out: list[Violation]) -> None:
            if bracket is not None:
                bracket(value, path, out)
            check = inside[0]
            for index, item in enumerate(value, 1):
                if item is not None:
                    check(item, (path, index, None), out)

        return walk

    def _map(self, shape: Shape) -> Walk | None:
        keys, values = self.node(shape.key), self.node(shape.value)
        key_bracket = _bracket(keys, "Map keys must satisfy constraint") if keys is not None else None
        value_bracket = _bracket(values, "Map value must satisfy constraint") if values is not None else None
        if values is None or (isinstance(values, Node) and values.walk is None):
            return _chain(key_bracket, value_bracket)
        inside = self._fn(values, True)

        bad_key = keys.bad if isinstance(keys, Node) and key_bracket is not None else None

        def walk(value: dict, path: Any, out: list[Violation]) -> None:
            if value_bracket is not None:
                value_bracket(value, path, out)
            check, key_bad = inside[0], bad_key
            for key, item in value.items():
                if key_bad is not None and key_bad(key):
                    key_bracket(value, path, out)  # reports once, then no more key tests
                    key_bad = None
                if item is not None:
                    check(item, (path, key, None), out)

        return walk


class _Forward:
    """A recursive shape's checker, bound to its node once that is compiled."""

    target: Node | None = None

    def check(self, value: Any, path: Any, out: list[Violation]) -> None:
        if self.target is not None:
            self.target.check(value, path, out)

    def inside(self, value: Any, path: Any, out: list[Violation]) -> None:
        if self.target is not None:
            self.target.inside(value, path, out)


def _chain(first: Walk | None, second: Walk | None) -> Walk | None:
    if first is None or second is None:
        return first or second

    def both(value: Any, path: Any, out: list[Violation]) -> None:
        first(value, path, out)
        second(value, path, out)

    return both


def _bracket(node: Node | _Forward, label: str) -> Walk | None:
    """Report list elements, map keys or map values breaking their own constraints
    once, at the container."""
    bad = getattr(node, "bad", None)
    if bad is None:
        return None
    assert isinstance(node, Node)
    text = f"{label}: [{node.texts}]"
    keys = label.startswith("Map keys")

    def walk(value: Any, path: Any, out: list[Violation]) -> None:
        items = value if keys or not isinstance(value, dict) else value.values()
        for item in items:
            if item is not None and bad(item):
                if node.type_ok(item):
                    out.append(("value", path, value, text))
                else:
                    node.mistyped(item, path, out)
                return

    return walk


def _nothing(value: Any, path: Any, out: list[Violation]) -> None:
    """The checker of a recursive shape that turned out to need none."""
