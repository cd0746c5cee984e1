"""A small, real subset of AWS Config's advanced query language (SelectResourceConfig):

    SELECT * | field[, field | COUNT(*) | COUNT/MIN/MAX/SUM/AVG(field) ...]
    [WHERE condition] [GROUP BY field] [ORDER BY field [ASC|DESC]]

Conditions: `=`, `!=`/`<>`, `<`, `<=`, `>`, `>=`, `[NOT] IN (...)`, `[NOT] LIKE '..%'`,
`BETWEEN .. AND ..`, `AND`, `OR`, `NOT` and parentheses, on dotted property paths
(`configuration.x.y`, `tags.key`, `tags.tag`); a path through a list matches when any
element does. What it cannot read is AWS's `InvalidExpressionException`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from . import errors

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<op><>|!=|<=|>=|=|<|>|\(|\)|,|\*)
  | (?P<word>[A-Za-z_][\w.:\-]*(?:\(\*\))?)
)""", re.VERBOSE)
KEYWORDS = {"SELECT", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "BETWEEN", "GROUP", "ORDER", "BY", "ASC", "DESC",
            "TRUE", "FALSE"}
UNSUPPORTED = {"FROM", "AS", "JOIN", "DISTINCT", "HAVING", "ALL", "LIMIT", "UNION"}
AGGREGATES = {"COUNT", "MIN", "MAX", "SUM", "AVG"}


def invalid(message: str) -> errors.AWSError:
    # AWS's exact message text for a query it cannot read is not documented: wording ours.
    return errors.error("InvalidExpressionException", f"Invalid query: {message}")


@dataclass
class Token:
    kind: str
    text: str

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else self.text


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    text = text.rstrip().rstrip(";")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].strip() == "":
                break
            raise invalid(f"unexpected character at position {pos}: {text[pos:pos + 10]!r}")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(kind)))
        pos = match.end()
    return tokens


@dataclass
class Field:
    """A selected field: a property path, or an aggregate over one (`path` "*" for COUNT(*))."""

    path: str
    function: str = ""

    @property
    def name(self) -> str:
        return f"{self.function}({self.path})" if self.function else self.path


@dataclass
class Query:
    fields: list[Field]
    where: Any
    group_by: str | None
    order_by: str | None
    descending: bool

    @property
    def aggregated(self) -> bool:
        return self.group_by is not None or any(f.function for f in self.fields)

    def resource_types(self) -> set[str] | None:
        """The resource types the WHERE clause restricts to (None: it may be any)."""
        return _types(self.where)


def _types(node: Any) -> set[str] | None:
    if node is None:
        return None
    if node[0] == "and":
        found = [t for t in (_types(node[1]), _types(node[2])) if t is not None]
        return set.intersection(*found) if found else None
    if node[0] == "or":
        left, right = _types(node[1]), _types(node[2])
        return None if left is None or right is None else left | right
    if node[0] == "cmp" and node[1] == "resourceType" and node[2] == "=":
        return {node[3]}
    if node[0] == "in" and node[1] == "resourceType":
        return set(node[2])
    return None


class Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0
        for token in self.tokens:
            if token.upper in UNSUPPORTED:
                raise invalid(f"{token.upper} is not supported")

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise invalid("the query ends too early")
        self.pos += 1
        return token

    def accept(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token.upper in words:
            self.pos += 1
            return True
        return False

    def expect(self, word: str) -> None:
        if not self.accept(word):
            token = self.peek()
            raise invalid(f"expected {word} but found {token.text if token else 'the end'}")

    def parse(self) -> Query:
        self.expect("SELECT")
        fields = self.select_list()
        where = self.expression() if self.accept("WHERE") else None
        group_by = order_by = None
        descending = False
        if self.accept("GROUP"):
            self.expect("BY")
            group_by = self.path()
        if self.accept("ORDER"):
            self.expect("BY")
            order_by = self.path() if not self.peek_aggregate() else self.field().name
            descending = self.accept("DESC")
            if not descending:
                self.accept("ASC")
        if self.peek() is not None:
            raise invalid(f"unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        query = Query(fields, where, group_by, order_by, descending)
        if query.aggregated:
            plain = [f.path for f in fields if not f.function]
            if any(p != group_by for p in plain):
                raise invalid("a selected property that is not aggregated must be the GROUP BY property")
        return query

    def peek_aggregate(self) -> bool:
        token = self.peek()
        return token is not None and (token.upper.split("(")[0] in AGGREGATES)

    def select_list(self) -> list[Field]:
        if self.accept("*"):
            return [Field("*")]
        fields = [self.field()]
        while self.accept(","):
            fields.append(self.field())
        return fields

    def field(self) -> Field:
        token = self.take()
        if token.kind != "word" or token.upper in KEYWORDS:
            raise invalid(f"expected a property name but found {token.text!r}")
        if token.upper == "COUNT(*)":
            return Field("*", "COUNT")
        if token.upper in AGGREGATES and self.accept("("):
            path = "*" if token.upper == "COUNT" and self.accept("*") else self.path()
            self.expect(")")
            return Field(path, token.upper)
        return Field(token.text)

    def path(self) -> str:
        token = self.take()
        if token.kind != "word" or token.upper in KEYWORDS:
            raise invalid(f"expected a property name but found {token.text!r}")
        return token.text

    def value(self) -> Any:
        token = self.take()
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "number":
            return float(token.text) if "." in token.text else int(token.text)
        if token.upper in ("TRUE", "FALSE"):
            return token.upper == "TRUE"
        raise invalid(f"expected a value but found {token.text!r}")

    def expression(self) -> Any:
        node = self.conjunction()
        while self.accept("OR"):
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self) -> Any:
        node = self.negation()
        while self.accept("AND"):
            node = ("and", node, self.negation())
        return node

    def negation(self) -> Any:
        if self.accept("NOT"):
            return ("not", self.negation())
        if self.accept("("):
            node = self.expression()
            self.expect(")")
            return node
        return self.condition()

    def condition(self) -> Any:
        path = self.path()
        negate = self.accept("NOT")
        if self.accept("IN"):
            self.expect("(")
            values = [self.value()]
            while self.accept(","):
                values.append(self.value())
            self.expect(")")
            node: Any = ("in", path, values)
        elif self.accept("LIKE"):
            pattern = self.value()
            if not isinstance(pattern, str):
                raise invalid("LIKE takes a string")
            node = ("like", path, re.compile(
                "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern) + r"\Z"))
        elif self.accept("BETWEEN"):
            low = self.value()
            self.expect("AND")
            node = ("between", path, low, self.value())
        elif negate:
            raise invalid("NOT must be followed by IN, LIKE or a condition")
        else:
            token = self.take()
            if token.text not in ("=", "!=", "<>", "<", "<=", ">", ">="):
                raise invalid(f"expected a comparison but found {token.text!r}")
            node = ("cmp", path, "!=" if token.text == "<>" else token.text, self.value())
        return ("not", node) if negate else node


def parse(text: str) -> Query:
    return Parser(text).parse()


# -- evaluation ----------------------------------------------------------------------------

def values_at(doc: Any, path: str) -> list[Any]:
    """Every leaf value at a dotted path (lists are walked: any element may match)."""
    current = [doc]
    for part in path.split("."):
        found = []
        for value in current:
            for element in (value if isinstance(value, list) else [value]):
                if isinstance(element, dict) and part in element:
                    found.append(element[part])
        current = found
    flat = []
    for value in current:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _compare(left: Any, op: str, right: Any) -> bool:
    if isinstance(left, str) and not isinstance(right, str):
        try:
            left = type(right)(left) if not isinstance(right, bool) else left.lower() == "true"
        except ValueError:
            return False
    try:
        if op == "=":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False


def matches(node: Any, doc: dict[str, Any]) -> bool:
    if node is None:
        return True
    kind = node[0]
    if kind == "and":
        return matches(node[1], doc) and matches(node[2], doc)
    if kind == "or":
        return matches(node[1], doc) or matches(node[2], doc)
    if kind == "not":
        return not matches(node[1], doc)
    found = values_at(doc, node[1])
    if kind == "cmp":
        if node[2] == "!=":
            return bool(found) and not any(_compare(v, "=", node[3]) for v in found)
        return any(_compare(v, node[2], node[3]) for v in found)
    if kind == "in":
        return any(_compare(v, "=", w) for v in found for w in node[2])
    if kind == "like":
        return any(isinstance(v, str) and node[2].match(v) for v in found)
    return any(_compare(v, ">=", node[2]) and _compare(v, "<=", node[3]) for v in found)  # between


def project(doc: Any, parts: list[str]) -> Any:
    if not parts:
        return doc
    if isinstance(doc, list):
        projected = [project(e, parts) for e in doc]
        return [p for p in projected if p is not None] or None
    if isinstance(doc, dict) and parts[0] in doc:
        inner = project(doc[parts[0]], parts[1:])
        return None if inner is None else {parts[0]: inner}
    return None


def merge(into: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (2, "")
    return (0, value) if isinstance(value, (int, float)) and not isinstance(value, bool) else (1, str(value))


def run(query: Query, documents: list[dict[str, Any]]) -> list[str]:
    """The result rows (JSON text) of a query over configuration item documents."""
    selected = [d for d in documents if matches(query.where, d)]
    rows: list[dict[str, Any]] = []
    if query.aggregated:
        groups: dict[Any, list[dict[str, Any]]] = {}
        for doc in selected:
            key = (values_at(doc, query.group_by) or [None])[0] if query.group_by else None
            groups.setdefault(json.dumps(key), []).append(doc)
        if not query.group_by and not groups:
            groups[json.dumps(None)] = []
        for docs in groups.values():
            row: dict[str, Any] = {}
            for field in query.fields:
                if not field.function:
                    merge(row, project(docs[0], field.path.split(".")) or {})
                else:
                    row[field.name] = aggregate(field, docs)
            rows.append(row)
    else:
        for doc in selected:
            row = {}
            for field in query.fields:
                if field.path == "*":
                    row = dict(doc)
                    break
                merge(row, project(doc, field.path.split(".")) or {})
            rows.append(row)
    if query.order_by:
        rows.sort(key=lambda r: _sort_key(_order_value(r, query.order_by or "")), reverse=query.descending)
    return [json.dumps(row, separators=(",", ":")) for row in rows]


def _order_value(row: dict[str, Any], name: str) -> Any:
    if name in row:
        return row[name]
    return (values_at(row, name) or [None])[0]


def aggregate(field: Field, docs: list[dict[str, Any]]) -> Any:
    if field.function == "COUNT":
        return len(docs) if field.path == "*" else sum(1 for d in docs if values_at(d, field.path))
    numbers = [v for d in docs for v in values_at(d, field.path)
               if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if field.function == "SUM":
        return sum(numbers)
    if not numbers:
        return None
    if field.function == "AVG":
        return sum(numbers) / len(numbers)
    return min(numbers) if field.function == "MIN" else max(numbers)
