"""The `SEARCH('{Namespace,Dim} MetricName="x" term', 'Stat', period)` language over stored metrics."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .expressions import ExpressionError
from .state import MetricKey

_SCHEMA = re.compile(r'\s*\{([^}]*)\}')
_TERM = re.compile(r'\s*(?:(?P<key>"[^"]*"|[^\s="()]+)\s*=\s*(?P<value>"[^"]*"|[^\s"()]+)|(?P<word>"[^"]*"|[^\s"()]+))')


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def matcher(expression: str):  # noqa: ANN201 - a predicate over metric keys
    """A predicate choosing the metrics a search expression names."""
    rest, namespace, dim_names = expression, None, None
    schema = _SCHEMA.match(expression)
    if schema:
        parts = [_unquote(p) for p in schema.group(1).split(",")]
        if not parts or not parts[0]:
            raise ExpressionError("The search schema must start with a namespace")
        namespace, dim_names = parts[0], {p for p in parts[1:] if p}
        rest = expression[schema.end():]
    exact: list[tuple[str, str]] = []
    words: list[str] = []
    pos = 0
    while rest[pos:].strip():
        term = _TERM.match(rest, pos)
        if term is None or term.end() == pos:
            raise ExpressionError(f"Invalid search expression near '{rest[pos:].strip()[:20]}'")
        if term.group("key"):
            exact.append((_unquote(term.group("key")), _unquote(term.group("value"))))
        elif term.group("word").upper() != "AND":
            words.append(_unquote(term.group("word")).lower())
        pos = term.end()

    def matches(key: MetricKey) -> bool:
        ns, name, dims = key[0], key[1], dict(key[2])
        if namespace is not None and (ns != namespace or set(dims) != dim_names):
            return False
        for k, v in exact:
            actual = name if k == "MetricName" else ns if k == "Namespace" else dims.get(k)
            if actual != v:
                return False
        haystack = " ".join([ns, name, *dims, *dims.values()]).lower()
        return all(w in haystack for w in words)

    return matches


def search(keys: Iterable[MetricKey], expression: str) -> list[MetricKey]:
    """The stored metrics an expression matches, sorted."""
    chosen = matcher(expression)
    return sorted(k for k in keys if chosen(k))


def label(key: MetricKey, one_name: bool) -> str:
    """A search result's label: its dimension values (and the metric name when several match)."""
    values = [v for _, v in key[2]]
    return " ".join(values if one_name and values else [*values, key[1]])
