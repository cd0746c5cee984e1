"""EC2's `Filters` syntax: `[{Name, Values}]`, values ORed, filters ANDed, `*`/`?` wildcards
(`\\` escapes them), `tag:<key>`, `tag-key`, `tag-value`; an unknown filter name is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ....api import AWSError

# What one filter name reads from an item: a value, a list of values, or None.
Getter = Callable[[dict[str, Any]], Any]


@lru_cache(maxsize=1024)
def pattern(value: str) -> re.Pattern[str]:
    """A filter value as a regex: `*` any run, `?` one character, `\\*`/`\\?`/`\\\\` literal."""
    out, i = [], 0
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(re.escape(value[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [_text(v) for v in value if v is not None]
    return [_text(value)]


def item_matches(values: Iterable[str], wanted: list[str]) -> bool:
    return any(pattern(w).fullmatch(v) for v in values for w in wanted)


def matcher(filters: list[dict[str, Any]] | None, getters: dict[str, Getter]
            ) -> Callable[[dict[str, Any], dict[str, str]], bool]:
    """A test `(item, tags) -> bool` for a request's filters (unknown names refused now)."""
    tests: list[Callable[[dict[str, Any], dict[str, str]], bool]] = []
    for one in filters or []:
        name = one.get("Name") or ""
        wanted = [str(v) for v in one.get("Values") or []]
        if name.startswith("tag:"):
            key = name[4:]
            tests.append(lambda item, tags, k=key, w=wanted: k in tags and item_matches([tags[k]], w))
        elif name == "tag-key":
            tests.append(lambda item, tags, w=wanted: item_matches(tags, w))
        elif name == "tag-value":
            tests.append(lambda item, tags, w=wanted: item_matches(tags.values(), w))
        elif name in getters:
            get = getters[name]
            tests.append(lambda item, tags, g=get, w=wanted: item_matches(_values(g(item)), w))
        else:  # AWS's text for an unsupported filter name
            raise AWSError("InvalidParameterValue", f"The filter '{name}' is invalid")
    return lambda item, tags: all(test(item, tags) for test in tests)


def field(*path: str) -> Getter:
    """A getter reading `item[a][b]...`; across lists, every element's value."""

    def get(item: Any) -> Any:
        values = [item]
        for part in path:
            nxt: list[Any] = []
            for value in values:
                if isinstance(value, list):
                    value = [v.get(part) for v in value if isinstance(v, dict)]
                    nxt += [v for v in value if v is not None]
                elif isinstance(value, dict) and value.get(part) is not None:
                    nxt.append(value[part])
            values = [x for v in nxt for x in (v if isinstance(v, list) else [v])]
        return values

    return get
