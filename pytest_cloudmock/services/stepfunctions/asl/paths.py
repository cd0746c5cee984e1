"""JSONPath as the States Language uses it: reading (`InputPath`, `.$` fields, `...Path`
fields, with wildcards, slices, unions, filters and `..`), writing (`ResultPath`, a
reference path), the context object (`$$`) and JSONPath-mode variables (`$name`)."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import runtime

_NAME = re.compile(r"[^.\[\]\s]+")
_FILTER = re.compile(r"^\?\(\s*@((?:\.[^\s<>=!]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$")


@dataclass(frozen=True)
class Step:
    kind: str  # key, index, wild, slice, union, filter, descend
    value: Any = None


@dataclass(frozen=True)
class Path:
    text: str
    root: str  # "$" input, "$$" context, or a variable's name
    steps: tuple[Step, ...]

    @property
    def definite(self) -> bool:
        return all(step.kind in ("key", "index") for step in self.steps)


def is_path(text: Any) -> bool:
    return isinstance(text, str) and text.startswith("$")


@lru_cache(maxsize=4096)
def parse(text: str) -> Path:
    """Parse a JSONPath; `States.Runtime`-free: raises `ValueError` on bad syntax."""
    if not text.startswith("$"):
        raise ValueError(f"'{text}' is not a JSONPath")
    if text.startswith("$$"):
        root, i = "$$", 2
    else:
        match = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)", text)
        root, i = (match.group(1), match.end()) if match else ("$", 1)
    steps: list[Step] = []
    while i < len(text):
        if text[i] == ".":  # `.name`, `.*`, and their recursive `..` forms
            if text.startswith("..", i):
                steps.append(Step("descend"))
                i += 1
            i += 1
            if text.startswith("*", i):
                steps.append(Step("wild"))
                i += 1
                continue
            match = _NAME.match(text, i)
            if match is None:
                raise ValueError(f"bad path {text}")
            steps.append(Step("key", match.group()))
            i = match.end()
        elif text[i] == "[":
            end = _bracket_end(text, i)
            steps.append(_bracket(text[i + 1:end].strip(), text))
            i = end + 1
        else:
            raise ValueError(f"bad path {text}")
    return Path(text, root, tuple(steps))


def _bracket_end(text: str, start: int) -> int:
    quote, depth = None, 0
    for j in range(start, len(text)):
        c = text[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
            if depth == 0 and c == "]":
                return j
    raise ValueError(f"bad path {text}")


def _bracket(inner: str, text: str) -> Step:
    if inner == "*":
        return Step("wild")
    if inner.startswith("?"):
        match = _FILTER.match(inner)
        if match is None:
            raise ValueError(f"bad filter in {text}")
        sub = parse("$" + match.group(1)) if match.group(1) else None
        literal = _literal(match.group(3)) if match.group(3) else None
        return Step("filter", (sub, match.group(2), literal))
    if inner[:1] in "'\"":
        names = [part.strip()[1:-1] for part in _split_union(inner)]
        return Step("key", names[0]) if len(names) == 1 else Step("union", tuple(names))
    if ":" in inner:
        parts = [int(p) if p.strip() else None for p in inner.split(":")]
        return Step("slice", tuple((parts + [None, None])[:3]))
    if "," in inner:
        return Step("union", tuple(int(p) for p in inner.split(",")))
    return Step("index", int(inner))


def _split_union(inner: str) -> list[str]:
    return [p for p in re.findall(r"'[^']*'|\"[^\"]*\"", inner)]


def _literal(text: str) -> Any:
    text = text.strip()
    if text[:1] == "'" and text[-1:] == "'":
        return text[1:-1]
    return json.loads(text)


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return list(value)
    return []


def _descendants(value: Any) -> list[Any]:
    out = [value]
    for child in _children(value):
        out.extend(_descendants(child))
    return out


def _apply(step: Step, values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if step.kind == "key":
            if isinstance(value, dict) and step.value in value:
                out.append(value[step.value])
        elif step.kind == "index":
            if isinstance(value, list) and -len(value) <= step.value < len(value):
                out.append(value[step.value])
        elif step.kind == "wild":
            out.extend(_children(value))
        elif step.kind == "descend":
            out.extend(_descendants(value))
        elif step.kind == "slice" and isinstance(value, list):
            start, stop, stride = step.value
            out.extend(value[slice(start, stop, stride)])
        elif step.kind == "union":
            for member in step.value:
                out.extend(_apply(Step("index" if isinstance(member, int) else "key", member), [value]))
        elif step.kind == "filter":
            out.extend(item for item in _children(value) if _keep(step.value, item))
    return out


def _keep(test: tuple[Path | None, str | None, Any], item: Any) -> bool:
    sub, op, literal = test
    found = _walk(sub.steps, item) if sub else [item]
    if not found:
        return False
    if op is None:
        return True
    left = found[0]
    try:
        return {"==": left == literal, "!=": left != literal}[op] if op in ("==", "!=") else \
            {"<": left < literal, "<=": left <= literal, ">": left > literal, ">=": left >= literal}[op]
    except TypeError:
        return False


def _walk(steps: tuple[Step, ...], root: Any) -> list[Any]:
    values = [root]
    for step in steps:
        values = _apply(step, values)
    return values


def select(text: str, data: Any, context: Any = None, variables: dict[str, Any] | None = None,
           field: str = "") -> Any:
    """The value `text` names: one value for a definite path, a list otherwise.

    A definite path with no match is `States.Runtime`, as AWS fails the state.
    """
    try:
        path = parse(text)
    except ValueError:
        raise runtime(f"Invalid path '{text}'") from None
    if path.root == "$":
        root = data
    elif path.root == "$$":
        root = context
    else:
        if variables is None or path.root not in variables:
            raise runtime(f"Invalid path '{text}': The variable '{path.root}' is not defined")
        root = variables[path.root]
    found = _walk(path.steps, root)
    if path.definite:
        if not found:
            where = f" specified for the field '{field}'" if field else ""
            raise runtime(f"The JSONPath '{text}'{where} could not be found in the input "
                          f"'{json.dumps(data, separators=(',', ':'))}'")
        return found[0]
    return found


def put(text: str | None, data: Any, result: Any) -> Any:
    """`data` with `result` placed at the reference path `text` (`ResultPath`); None discards it."""
    if text is None:
        return data
    try:
        path = parse(text)
    except ValueError:
        raise runtime(f"Invalid path '{text}'") from None
    if path.root != "$" or not path.definite:
        raise runtime(f"Invalid ResultPath '{text}': must be a reference path")
    if not path.steps:
        return result
    out = copy.copy(data) if isinstance(data, (dict, list)) else {}
    node = out
    for step in path.steps[:-1]:
        found = _apply(step, [node])
        missing = not found and isinstance(node, dict) and step.kind == "key"
        child: Any = {} if missing else copy.copy(found[0]) if found else None  # a missing field is made
        if not isinstance(child, (dict, list)):
            raise runtime(f"Unable to apply ResultPath '{text}': a step does not name an object field or "
                          "array item of the state's input")  # wording not documented
        _set(node, step, child, text)
        node = child
    _set(node, path.steps[-1], result, text)
    return out


def _set(node: Any, step: Step, value: Any, text: str) -> None:
    if step.kind == "key" and isinstance(node, dict) or step.kind == "index" and isinstance(node, list) and -len(node) <= step.value < len(node):
        node[step.value] = value
    else:
        raise runtime(f"Unable to apply ResultPath '{text}' to the state's input")  # wording not documented
