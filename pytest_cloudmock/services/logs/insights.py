"""A Logs Insights query language subset: a tokenizer, a parser and a row pipeline.

Commands (joined by ``|``): ``fields``, ``filter``, ``sort ... asc|desc``, ``limit``,
``stats agg(...) [as x], ... [by expr [as y], ...]`` (``count(*)``, ``count()``,
``count(f)``, ``count_distinct``, ``sum``, ``avg``, ``min``, ``max``, ``stddev``, ``pct(f, 95)``,
``earliest``, ``latest``, ``bin(5m)``),
``parse [field] "glob * text" as a, b`` and ``parse [field] /(?<name>regex)/``,
``display``, ``dedup``. Expressions: fields (``@timestamp``, ``a.b``, `` `odd name` ``),
numbers, strings, ``= != < <= > >=``, ``+ - *``, ``like``
(substring or ``/regex/``), ``=~``, ``in [...]``, ``and or not``, parentheses, and
functions ``ispresent isempty isblank strlen tolower toupper concat abs floor ceil
strcontains replace trim ltrim rtrim substr coalesce``.

``compile_query(text)`` raises ``QueryError(message, start, end)`` for what it cannot
parse (AWS's ``MalformedQueryException`` carries the same location); ``run`` takes
records (field dicts, ``@timestamp`` in epoch ms) and gives result rows.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

Row = dict[str, Any]
Expr = Callable[[Row], Any]
DEFAULT_FIELDS = ("@timestamp", "@message")
_UNITS = {"ms": 1, "s": 1000, "sec": 1000, "m": 60_000, "min": 60_000, "h": 3_600_000, "hr": 3_600_000,
          "d": 86_400_000, "w": 604_800_000}


class QueryError(ValueError):
    """A query the parser refuses, with the character span at fault."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message, self.start, self.end = message, start, end


# -- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<regex>/(?:[^/\\]|\\.)+/)
  | (?P<quoted>`[^`]*`)
  | (?P<duration>\d+(?:ms|sec|min|hr|s|m|h|d|w)\b)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<op>=~|!=|<=|>=|==|=|<|>|\(|\)|,|\[|\]|\*|\+|-|\|)
  | (?P<name>[@A-Za-z_$][\w.@$]*)
""", re.VERBOSE)


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "name" and self.text.lower() in words


def tokenize(text: str) -> list[Tok]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise QueryError(f"unexpected symbol found {text[pos]!r} at line 1 and position {pos}", pos, pos + 1)
        if m.lastgroup != "ws":
            out.append(Tok(m.lastgroup or "", m.group(), m.start(), m.end()))
        pos = m.end()
    return out


# -- the pipeline ---------------------------------------------------------------------------


@dataclass
class Query:
    """A compiled query: commands applied in order, and the columns it shows."""

    steps: list[tuple[str, Callable[[list[Row]], list[Row]]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    aggregated: bool = False
    explicit_sort: bool = False
    display: list[str] | None = None

    def run(self, records: list[Row]) -> tuple[list[Row], int]:
        """The result rows, and how many records matched (before stats and limit)."""
        rows = records if self.explicit_sort or self.aggregated else sorted(
            records, key=lambda r: r.get("@timestamp") or 0, reverse=True)
        matched = None
        for kind, step in self.steps:
            if kind in ("stats", "limit") and matched is None:
                matched = len(rows)
            rows = step(rows)
        return rows, len(rows) if matched is None else matched

    def add(self, kind: str, step: Callable[[list[Row]], list[Row]]) -> None:
        self.steps.append((kind, step))

    def output_columns(self) -> list[str]:
        if self.display is not None:
            return self.display
        if self.aggregated:
            return self.columns
        return self.columns or list(DEFAULT_FIELDS)


@lru_cache(maxsize=256)
def compile_query(text: str) -> Query:
    if not text.strip():
        raise QueryError("Query string cannot be empty", 0, 0)
    tokens = tokenize(text)
    query = Query()
    segments: list[list[Tok]] = [[]]
    for tok in tokens:
        if tok.kind == "op" and tok.text == "|":
            segments.append([])
        else:
            segments[-1].append(tok)
    for segment in segments:
        if not segment:
            raise QueryError("Query has an empty command", 0, len(text))
        _Command(text, segment, query).parse()
    return query


class _Command:
    """Parses one command of a query into `query`."""

    def __init__(self, source: str, tokens: list[Tok], query: Query) -> None:
        self.source, self.tokens, self.query, self.i = source, tokens, query, 1

    # cursor
    def peek(self) -> Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Tok:
        tok = self.peek()
        if tok is None:
            last = self.tokens[-1]
            raise QueryError(f"unexpected end of command after {last.text!r}", last.start, last.end)
        self.i += 1
        return tok

    def expect(self, text: str) -> Tok:
        tok = self.take()
        if tok.text.lower() != text:
            raise self.error(tok, f"expected {text!r}")
        return tok

    def accept(self, *texts: str) -> Tok | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("op", "name") and tok.text.lower() in texts:
            self.i += 1
            return tok
        return None

    def error(self, tok: Tok, why: str) -> QueryError:
        return QueryError(f"{why}: unexpected symbol found {tok.text!r} at position {tok.start}", tok.start, tok.end)

    def done(self) -> None:
        tok = self.peek()
        if tok is not None:
            raise self.error(tok, "unexpected input")

    # commands
    def parse(self) -> None:
        head = self.tokens[0]
        name = head.text.lower() if head.kind == "name" else ""
        handler = getattr(self, f"cmd_{name}", None)
        if handler is None:
            raise QueryError(f"unexpected symbol found {head.text!r}: expected a command", head.start, head.end)
        handler()
        self.done()

    def cmd_fields(self) -> None:
        for name, expr in self.projections():
            self.query.columns.append(name)
            self.query.add("fields", _assign(name, expr))

    def cmd_display(self) -> None:
        names = []
        for name, expr in self.projections():
            names.append(name)
            self.query.add("fields", _assign(name, expr))
        self.query.display = names

    def cmd_filter(self) -> None:
        condition = self.expr()
        self.query.add("filter", lambda rows: [r for r in rows if _truthy(condition(r))])

    def cmd_sort(self) -> None:
        keys: list[tuple[Expr, bool]] = []
        while True:
            expr = self.expr()
            descending = False
            if self.accept("desc"):
                descending = True
            else:
                self.accept("asc")
            keys.append((expr, descending))
            if not self.accept(","):
                break
        self.query.explicit_sort = True

        def sort(rows: list[Row]) -> list[Row]:
            out = list(rows)
            for expr, descending in reversed(keys):
                present = [r for r in out if expr(r) is not None]
                missing = [r for r in out if expr(r) is None]
                present.sort(key=lambda r, e=expr: _sort_key(e(r)), reverse=descending)
                out = present + missing
            return out

        self.query.add("sort", sort)

    def cmd_limit(self) -> None:
        tok = self.take()
        if tok.kind != "number" or not tok.text.isdigit() or int(tok.text) < 1:
            raise self.error(tok, "limit takes a positive whole number")
        count = int(tok.text)
        self.query.add("limit", lambda rows: rows[:count])

    def cmd_dedup(self) -> None:
        exprs = [expr for _, expr in self.projections(allow_alias=False)]

        def dedup(rows: list[Row]) -> list[Row]:
            seen, out = set(), []
            for row in rows:
                key = tuple(repr(e(row)) for e in exprs)
                if key not in seen:
                    seen.add(key)
                    out.append(row)
            return out

        self.query.add("dedup", dedup)

    def cmd_parse(self) -> None:
        source: Expr = _field("@message")
        tok = self.peek()
        if tok is not None and tok.kind in ("name", "quoted"):
            source = self.primary()
        tok = self.take()
        if tok.kind == "string":
            names = []
            self.expect("as")
            while True:
                names.append(self.field_name(self.take()))
                if not self.accept(","):
                    break
            regex = _glob_regex(_unquote(tok.text), len(names), tok)
        elif tok.kind == "regex":
            try:
                regex = re.compile(re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", tok.text[1:-1]))
            except re.error as exc:
                raise self.error(tok, f"invalid regular expression ({exc})") from None
            names = list(regex.groupindex)
            if not names:
                raise self.error(tok, "a parse regex needs named groups (?<name>...)")
        else:
            raise self.error(tok, "parse takes a \"glob\" pattern or a /regex/")

        def parse(rows: list[Row]) -> list[Row]:
            out = []
            for row in rows:
                value = source(row)
                m = regex.search(value) if isinstance(value, str) else None
                if m is not None:
                    row = {**row, **{n: m.group(i + 1) if not regex.groupindex else m.group(n)
                                     for i, n in enumerate(names)}}
                out.append(row)
            return out

        self.query.add("parse", parse)

    def cmd_stats(self) -> None:
        aggregates: list[tuple[str, Callable[[list[Row]], Any]]] = []
        while True:
            start = self.peek()
            aggregate = self.aggregate()
            name = self.alias(start, self.tokens[self.i - 1])
            aggregates.append((name, aggregate))
            if not self.accept(","):
                break
        groups: list[tuple[str, Expr]] = []
        if self.accept("by"):
            groups = self.projections()
        self.query.aggregated = True
        self.query.columns = [n for n, _ in groups] + [n for n, _ in aggregates]

        def stats(rows: list[Row]) -> list[Row]:
            buckets: dict[tuple[str, ...], list[Row]] = {}
            keys: dict[tuple[str, ...], Row] = {}
            for row in rows:
                values = {n: e(row) for n, e in groups}
                key = tuple(repr(v) for v in values.values())
                buckets.setdefault(key, []).append(row)
                keys.setdefault(key, values)
            if not groups and not buckets:
                buckets[()] = []
                keys[()] = {}
            out = [{**keys[k], **{n: agg(members) for n, agg in aggregates}} for k, members in buckets.items()]
            if any(_is_bin(e) for _, e in groups):
                out.sort(key=lambda r: tuple(_sort_key(r[n]) for n, _ in groups))
            return out

        self.query.add("stats", stats)

    # pieces
    def projections(self, allow_alias: bool = True) -> list[tuple[str, Expr]]:
        out = []
        while True:
            start = self.peek()
            if start is None:
                raise self.error(self.tokens[-1], "expected a field")
            expr = self.expr()
            out.append((self.alias(start, self.tokens[self.i - 1]) if allow_alias else "", expr))
            if not self.accept(","):
                return out

    def alias(self, first: Tok | None, last: Tok) -> str:
        if self.accept("as"):
            return self.field_name(self.take())
        assert first is not None
        text = self.source[first.start:last.end]
        return text[1:-1] if first.kind == "quoted" and first is last else text

    def field_name(self, tok: Tok) -> str:
        if tok.kind == "quoted":
            return tok.text[1:-1]
        if tok.kind != "name":
            raise self.error(tok, "expected a field name")
        return tok.text

    def aggregate(self) -> Callable[[list[Row]], Any]:
        tok = self.take()
        name = tok.text.lower() if tok.kind == "name" else ""
        if name not in _AGGREGATES and name != "pct":
            raise self.error(tok, "expected an aggregation function")
        self.expect("(")
        expr: Expr | None = None
        if self.accept("*") is None and not (self.peek() is not None and self.peek().text == ")"):  # type: ignore[union-attr]
            expr = self.expr()
        if name == "pct":
            self.expect(",")
            rank = self.take()
            if rank.kind != "number" or not 0 <= float(rank.text) <= 100:
                raise self.error(rank, "pct takes a percentile from 0 to 100")
            self.expect(")")
            return _percentile(expr, float(rank.text))
        self.expect(")")
        if expr is None and name != "count":
            raise self.error(tok, f"{name} needs a field")
        return _AGGREGATES[name](expr)

    # expressions: or > and > not > comparison > additive > multiplicative > primary
    def expr(self) -> Expr:
        parts = [self.conjunction()]
        while self.accept("or", "||"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda r: any(_truthy(p(r)) for p in parts))

    def conjunction(self) -> Expr:
        parts = [self.negation()]
        while self.accept("and", "&&"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else (lambda r: all(_truthy(p(r)) for p in parts))

    def negation(self) -> Expr:
        if self.accept("not"):
            inner = self.negation()
            return lambda r: not _truthy(inner(r))
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.additive()
        negate = False
        tok = self.peek()
        if tok is not None and tok.is_word("not") and self.i + 1 < len(self.tokens) and \
                self.tokens[self.i + 1].text.lower() in ("like", "in"):
            self.i += 1
            negate = True
        if self.accept("like", "=~"):
            test = self.matcher()
            check: Expr = lambda r: test(left(r))  # noqa: E731
        elif self.accept("in"):
            self.expect("[")
            options = [self.additive()]
            while self.accept(","):
                options.append(self.additive())
            self.expect("]")
            check = lambda r: any(_equal(left(r), o(r)) for o in options)  # noqa: E731
        else:
            op = self.accept("=", "==", "!=", "<", "<=", ">", ">=")
            if op is None:
                return left
            right = self.additive()
            compare = _COMPARE[op.text]
            return lambda r: compare(left(r), right(r))
        return (lambda r: not check(r)) if negate else check

    def matcher(self) -> Callable[[Any], bool]:
        tok = self.take()
        if tok.kind == "regex":
            try:
                regex = re.compile(tok.text[1:-1])
            except re.error as exc:
                raise self.error(tok, f"invalid regular expression ({exc})") from None
            return lambda v: isinstance(v, str) and regex.search(v) is not None
        if tok.kind == "string":
            needle = _unquote(tok.text)
            return lambda v: v is not None and needle in _text(v)
        raise self.error(tok, "like takes a \"string\" or a /regex/")

    def additive(self) -> Expr:
        left = self.multiplicative()
        while True:
            op = self.accept("+", "-")
            if op is None:
                return left
            right, prev = self.multiplicative(), left
            left = _arith(prev, right, (lambda a, b: a + b) if op.text == "+" else (lambda a, b: a - b))

    def multiplicative(self) -> Expr:
        left = self.primary()
        while self.accept("*"):
            right, prev = self.primary(), left
            left = _arith(prev, right, lambda a, b: a * b)
        return left

    def primary(self) -> Expr:
        tok = self.take()
        if tok.kind == "number":
            number = float(tok.text)
            return lambda r: number
        if tok.kind == "string":
            value = _unquote(tok.text)
            return lambda r: value
        if tok.kind == "op" and tok.text == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if tok.kind == "op" and tok.text == "-":
            inner = self.primary()
            return lambda r: -n if (n := _number(inner(r))) is not None else None
        if tok.kind == "quoted":
            return _field(tok.text[1:-1])
        if tok.kind == "name":
            if self.peek() is not None and self.peek().text == "(":  # type: ignore[union-attr]
                return self.call(tok)
            if tok.text.lower() in ("true", "false"):
                flag = tok.text.lower() == "true"
                return lambda r: flag
            return _field(tok.text)
        raise self.error(tok, "expected a field, a value or a function")

    def call(self, name: Tok) -> Expr:
        fn = name.text.lower()
        self.expect("(")
        if fn == "bin":
            tok = self.take()
            if tok.kind != "duration":
                raise self.error(tok, "bin takes a period such as 5m")
            self.expect(")")
            return _bin(int(re.match(r"\d+", tok.text).group()) * _UNITS[re.sub(r"\d+", "", tok.text)])  # type: ignore[union-attr]
        if fn not in _FUNCTIONS:
            raise self.error(name, "unknown function")
        args: list[Expr] = []
        if not self.accept(")"):
            args.append(self.expr())
            while self.accept(","):
                args.append(self.expr())
            self.expect(")")
        function = _FUNCTIONS[fn]
        try:
            inspect.signature(function).bind(*args)
        except TypeError:
            raise self.error(name, f"wrong number of arguments to {fn}") from None

        def value(r: Row) -> Any:
            try:
                return function(*[a(r) for a in args])
            except (ArithmeticError, ValueError):  # floor(inf) and the like: no value
                return None

        return value


# -- values -----------------------------------------------------------------------------


def _field(name: str) -> Expr:
    return lambda r: r.get(name)


def _assign(name: str, expr: Expr) -> Callable[[list[Row]], list[Row]]:
    return lambda rows: [{**r, name: expr(r)} for r in rows]


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def _truthy(value: Any) -> bool:
    return bool(value) and value is not None


def _equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return _text(a) == _text(b)


def _ordered(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        if a is None or b is None:
            return False
        na, nb = _number(a), _number(b)
        if na is not None and nb is not None:
            return test(na, nb)
        return test(_text(a), _text(b))

    return compare


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": _equal, "==": _equal, "!=": lambda a, b: a is not None and b is not None and not _equal(a, b),
    "<": _ordered(lambda a, b: a < b), "<=": _ordered(lambda a, b: a <= b),
    ">": _ordered(lambda a, b: a > b), ">=": _ordered(lambda a, b: a >= b),
}


def _sort_key(value: Any) -> tuple[int, Any]:
    """AWS's natural sort: every non-number before every number; within text, runs of
    digits compare by length then value, everything else by Unicode."""
    number = _number(value)
    if number is not None:
        return (1, (number, _text(value)))
    chunks = tuple((1, len(c), int(c)) if c.isdigit() else (0 if c[0] < "0" else 2, c)
                   for c in re.findall(r"\d+|\D+", _text(value)))
    return (0, chunks)


def _arith(left: Expr, right: Expr, op: Callable[[float, float], float]) -> Expr:
    def value(r: Row) -> Any:
        a, b = _number(left(r)), _number(right(r))
        return None if a is None or b is None else op(a, b)

    return value


class Stamp(int):
    """A time in epoch ms that results show as a timestamp (`@timestamp`, `bin(...)`)."""


class _Bin:
    """`bin(period)`: `@timestamp` rounded down to the period."""

    def __init__(self, period: int) -> None:
        self.period = period

    def __call__(self, r: Row) -> Any:
        ts = r.get("@timestamp")
        return None if ts is None else Stamp(int(ts) // self.period * self.period)


def _bin(period: int) -> Expr:
    return _Bin(period)


def _is_bin(expr: Expr) -> bool:
    return isinstance(expr, _Bin)


def _glob_regex(pattern: str, count: int, tok: Tok) -> re.Pattern[str]:
    pieces = pattern.split("*")
    if len(pieces) - 1 != count:
        raise QueryError(f"parse pattern has {len(pieces) - 1} wildcard(s) but {count} field(s)", tok.start, tok.end)
    body = "".join(re.escape(p) + ("(.*?)" if i < count - 1 else "(.*)" if i == count - 1 else "")
                   for i, p in enumerate(pieces))
    return re.compile(body, re.DOTALL)


def _values(expr: Expr | None, rows: list[Row]) -> list[Any]:
    return [v for v in (expr(r) for r in rows) if v is not None] if expr else []


def _numbers(expr: Expr | None, rows: list[Row]) -> list[float]:
    return [n for n in (_number(v) for v in _values(expr, rows)) if n is not None]


_AGGREGATES: dict[str, Callable[[Expr | None], Callable[[list[Row]], Any]]] = {
    "count": lambda e: (lambda rows: len(rows) if e is None else len(_values(e, rows))),
    "count_distinct": lambda e: (lambda rows: len({repr(v) for v in _values(e, rows)})),
    "sum": lambda e: (lambda rows: sum(_numbers(e, rows))),
    "avg": lambda e: (lambda rows: (sum(ns) / len(ns)) if (ns := _numbers(e, rows)) else None),
    "min": lambda e: (lambda rows: min(ns) if (ns := _numbers(e, rows)) else None),
    "max": lambda e: (lambda rows: max(ns) if (ns := _numbers(e, rows)) else None),
}

def _percentile(expr: Expr | None, rank: float) -> Callable[[list[Row]], Any]:
    """`pct(f, n)`: the nearest-rank n-th percentile."""

    def pct(rows: list[Row]) -> Any:
        values = sorted(_numbers(expr, rows))
        if not values:
            return None
        return values[max(0, math.ceil(rank / 100 * len(values)) - 1)]

    return pct


def _stddev(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _by_time(expr: Expr | None, rows: list[Row], last: bool) -> Any:
    found = [r for r in rows if expr is not None and expr(r) is not None]
    if not found:
        return None
    pick = (max if last else min)(found, key=lambda r: r.get("@timestamp") or 0)
    return expr(pick) if expr is not None else None


_AGGREGATES.update({
    "stddev": lambda e: (lambda rows: _stddev(_numbers(e, rows))),
    "earliest": lambda e: (lambda rows: _by_time(e, rows, last=False)),
    "latest": lambda e: (lambda rows: _by_time(e, rows, last=True)),
})


def _substr(value: Any = None, start: Any = 0, length: Any = None) -> Any:
    if value is None:
        return None
    text, first = _text(value), int(_number(start) or 0)
    return text[first:] if length is None else text[first:first + int(_number(length) or 0)]


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "strcontains": lambda v=None, x="": v is not None and _text(x) in _text(v),
    "replace": lambda v=None, a="", b="": None if v is None else _text(v).replace(_text(a), _text(b)),
    "trim": lambda v=None: None if v is None else _text(v).strip(),
    "ltrim": lambda v=None: None if v is None else _text(v).lstrip(),
    "rtrim": lambda v=None: None if v is None else _text(v).rstrip(),
    "substr": _substr,
    "coalesce": lambda *vs: next((v for v in vs if v is not None), None),
    "ispresent": lambda v=None: v is not None,
    "isempty": lambda v=None: v is None or v == "",
    "isblank": lambda v=None: v is None or str(v).strip() == "",
    "strlen": lambda v=None: None if v is None else len(_text(v)),
    "tolower": lambda v=None: None if v is None else _text(v).lower(),
    "toupper": lambda v=None: None if v is None else _text(v).upper(),
    "concat": lambda *vs: "".join(_text(v) for v in vs if v is not None),
    "abs": lambda v=None: None if (n := _number(v)) is None else abs(n),
    "floor": lambda v=None: None if (n := _number(v)) is None else math.floor(n),
    "ceil": lambda v=None: None if (n := _number(v)) is None else math.ceil(n),
}
