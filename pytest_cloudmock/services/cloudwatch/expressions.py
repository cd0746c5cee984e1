"""Metric math: a tokenizer, a precedence-climbing parser and an evaluator over time series.

    parse("SUM(METRICS()) / 2")  -> an AST of tuples
    evaluate(ast, env)           -> a number, a `Series` or a list of series

A series maps timestamps to values. Arithmetic between two series keeps the timestamps
both have; a number applies to every point. Errors are `ExpressionError` (the caller turns
a syntax error into a 400 and an evaluation error into a result message).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class ExpressionError(ValueError):
    """A syntax or evaluation error in a metric math expression."""


@dataclass
class Series:
    label: str
    points: dict[float, float] = field(default_factory=dict)
    source: str = ""  # the id of the metric query it came from (for METRICS('filter'))


Value = float | Series | list[Series]

_TOKEN = re.compile(r"""\s*(?:
    (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|[-+*/^<>(),\[\]])
)""", re.VERBOSE)
_BINARY = {"OR": 1, "AND": 2, "<": 4, ">": 4, "<=": 4, ">=": 4, "==": 4, "!=": 4,
           "+": 5, "-": 5, "*": 6, "/": 6, "^": 8}
_RIGHT = {"^"}


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"Unrecognized token at position {pos + 1}: {text[pos:].strip()[:20]}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value.upper() in ("AND", "OR", "NOT"):
            kind, value = "op", value.upper()
        tokens.append((kind, value))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("Unexpected end of expression")
        if expected is not None and token[1] != expected:
            raise ExpressionError(f"Expected '{expected}' but found '{token[1]}'")
        self.pos += 1
        return token

    def parse(self) -> tuple:
        if not self.tokens:
            raise ExpressionError("The expression is empty")
        tree = self.expression(0)
        if self.peek() is not None:
            raise ExpressionError(f"Unexpected token '{self.peek()[1]}'")  # type: ignore[index]
        return tree

    def expression(self, floor: int) -> tuple:
        left = self.unary()
        while (token := self.peek()) is not None and token[0] == "op" and _BINARY.get(token[1], -1) >= floor:
            op = token[1]
            self.take()
            right = self.expression(_BINARY[op] + (0 if op in _RIGHT else 1))
            left = ("binary", op, left, right)
        return left

    def unary(self) -> tuple:
        token = self.peek()
        if token is not None and token[1] in ("-", "+", "NOT"):
            self.take()
            operand = self.expression(7 if token[1] != "NOT" else 3)
            return ("unary", token[1], operand)
        return self.primary()

    def primary(self) -> tuple:
        kind, value = self.take()
        if kind == "number":
            return ("number", float(value))
        if kind == "string":
            return ("string", re.sub(r"\\(.)", r"\1", value[1:-1]))
        if value == "(":
            inner = self.expression(0)
            self.take(")")
            return inner
        if value == "[":
            items = self.arguments("]")
            return ("array", items)
        if kind == "name":
            if (nxt := self.peek()) is not None and nxt[1] == "(":
                self.take("(")
                return ("call", value.upper(), self.arguments(")"))
            return ("name", value)
        raise ExpressionError(f"Unexpected token '{value}'")

    def arguments(self, closing: str) -> list[tuple]:
        items: list[tuple] = []
        if (token := self.peek()) is not None and token[1] == closing:
            self.take()
            return items
        while True:
            items.append(self.expression(0))
            if self.take()[1] == closing:
                return items
            if self.tokens[self.pos - 1][1] != ",":
                raise ExpressionError(f"Expected ',' or '{closing}'")


def parse(text: str) -> tuple:
    """The AST of a metric math expression; `ExpressionError` if it does not parse."""
    return _Parser(text).parse()


def references(tree: tuple) -> set[str]:
    """The query ids an expression names."""
    if tree[0] == "name":
        return {tree[1]}
    children = [c for c in tree[1:] if isinstance(c, tuple)]
    children += [c for part in tree[1:] if isinstance(part, list) for c in part]
    return set().union(*(references(c) for c in children)) if children else set()


@dataclass
class Environment:
    """What an expression sees: the period grid, the other queries' values, our metrics."""

    grid: list[float]
    period: int
    lookup: Callable[[str], Value]
    metrics: Callable[[], list[Series]]
    search: Callable[[str, str, int], list[Series]]


def evaluate(tree: tuple, env: Environment) -> Value:
    kind = tree[0]
    if kind == "number":
        return tree[1]
    if kind == "string":
        raise ExpressionError("A string is only allowed as a function argument")
    if kind == "name":
        if tree[1].upper() in ("REPEAT", "LINEAR"):
            raise ExpressionError(f"{tree[1]} is only allowed as an argument of FILL")
        return env.lookup(tree[1])
    if kind == "array":
        out: list[Series] = []
        for item in tree[1]:
            value = evaluate(item, env)
            out.extend(value if isinstance(value, list) else [_series(value, env, "array")])
        return out
    if kind == "unary":
        operand = evaluate(tree[2], env)
        if tree[1] == "-":
            return _map(operand, lambda v: -v)
        if tree[1] == "NOT":
            return _map(operand, lambda v: 0.0 if v else 1.0)
        return operand
    if kind == "binary":
        return _binary(tree[1], evaluate(tree[2], env), evaluate(tree[3], env))
    return _call(tree[1], tree[2], env)


def _series(value: Value, env: Environment, name: str) -> Series:
    if isinstance(value, Series):
        return value
    if isinstance(value, list):
        raise ExpressionError(f"{name} expects a time series, not an array of time series")
    return Series(str(value), {t: float(value) for t in env.grid})


def _map(value: Value, fn: Callable[[float], float]) -> Value:
    if isinstance(value, list):
        return [_map(s, fn) for s in value]  # type: ignore[misc]
    if isinstance(value, Series):
        return Series(value.label, {t: fn(v) for t, v in value.points.items()}, value.source)
    return fn(value)


_OPS: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b else math.nan, "^": lambda a, b: _power(a, b),
    "<": lambda a, b: float(a < b), ">": lambda a, b: float(a > b), "<=": lambda a, b: float(a <= b),
    ">=": lambda a, b: float(a >= b), "==": lambda a, b: float(a == b), "!=": lambda a, b: float(a != b),
    "AND": lambda a, b: float(bool(a) and bool(b)), "OR": lambda a, b: float(bool(a) or bool(b)),
}


def _power(a: float, b: float) -> float:
    try:
        return float(a**b) if not (a < 0 and b != int(b)) else math.nan
    except (OverflowError, ZeroDivisionError):
        return math.nan


def _binary(op: str, left: Value, right: Value) -> Value:
    fn = _OPS[op]
    if isinstance(left, list):
        return [_binary(op, s, right) for s in left]  # type: ignore[misc]
    if isinstance(right, list):
        return [_binary(op, left, s) for s in right]  # type: ignore[misc]
    if isinstance(left, Series) and isinstance(right, Series):
        both = left.points.keys() & right.points.keys()
        return Series(left.label, {t: fn(left.points[t], right.points[t]) for t in sorted(both)}, left.source)
    if isinstance(left, Series):
        return _map(left, lambda v: fn(v, right))  # type: ignore[arg-type]
    if isinstance(right, Series):
        return _map(right, lambda v: fn(left, v))  # type: ignore[arg-type]
    return fn(left, right)


_UNARY_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "ABS": abs, "CEIL": lambda v: float(math.ceil(v)), "FLOOR": lambda v: float(math.floor(v)),
    "SQRT": lambda v: math.sqrt(v) if v >= 0 else math.nan,
    "LOG": lambda v: math.log(v) if v > 0 else math.nan, "LOG10": lambda v: math.log10(v) if v > 0 else math.nan,
}
_REDUCERS: dict[str, Callable[[list[float]], float]] = {
    "SUM": sum, "AVG": lambda vs: sum(vs) / len(vs), "MIN": min, "MAX": max,
    "STDDEV": lambda vs: math.sqrt(sum((v - sum(vs) / len(vs)) ** 2 for v in vs) / len(vs)),
}


def _arity(name: str, args: list[tuple], low: int, high: int) -> None:
    if not low <= len(args) <= high:
        raise ExpressionError(f"Function {name} takes {low if low == high else f'{low} to {high}'} argument(s), "
                              f"{len(args)} given")


def _call(name: str, args: list[tuple], env: Environment) -> Value:
    if name in _UNARY_FUNCTIONS:
        _arity(name, args, 1, 1)
        return _map(evaluate(args[0], env), _UNARY_FUNCTIONS[name])
    if name in _REDUCERS:
        _arity(name, args, 1, 1)
        return _reduce(name, evaluate(args[0], env))
    if name == "METRICS":
        _arity(name, args, 0, 1)
        text = _string_arg(args[0], name) if args else ""
        return [s for s in env.metrics() if text in s.source]
    if name == "FILL":
        _arity(name, args, 2, 2)
        target = evaluate(args[0], env)
        how: Any = args[1][1].upper() if args[1][0] == "name" and args[1][1].upper() in ("REPEAT", "LINEAR") \
            else evaluate(args[1], env)
        return _each(target, lambda s: _fill(s, how, env), env, name)
    if name == "IF":
        _arity(name, args, 2, 3)
        cond = evaluate(args[0], env)
        yes = evaluate(args[1], env)
        no = evaluate(args[2], env) if len(args) == 3 else None
        return _each(cond, lambda s: _if(s, yes, no, env), env, name)
    if name in ("DIFF", "RATE", "DIFF_TIME"):
        _arity(name, args, 1, 1)
        return _each(evaluate(args[0], env), lambda s: _change(s, name), env, name)
    if name == "PERIOD":
        _arity(name, args, 1, 1)
        return _map(_series(evaluate(args[0], env), env, name), lambda _: float(env.period))
    if name == "SEARCH":
        _arity(name, args, 3, 3)
        period = evaluate(args[2], env)
        if not isinstance(period, float):
            raise ExpressionError("The period of SEARCH must be a number")
        return env.search(_string_arg(args[0], name), _string_arg(args[1], name), int(period))
    raise ExpressionError(f"Unknown function {name}")


def _string_arg(arg: tuple, name: str) -> str:
    if arg[0] != "string":
        raise ExpressionError(f"{name} expects a string argument")
    return arg[1]


def _each(value: Value, fn: Callable[[Series], Series], env: Environment, name: str) -> Value:
    if isinstance(value, list):
        return [fn(s) for s in value]
    return fn(_series(value, env, name))


def _reduce(name: str, value: Value) -> Value:
    reducer = _REDUCERS[name]
    if isinstance(value, list):  # per timestamp across the series
        times = sorted(set().union(*(s.points for s in value))) if value else []
        out = {}
        for t in times:
            present = [s.points[t] for s in value if t in s.points]
            out[t] = reducer(present)
        return Series(name, out)
    if isinstance(value, Series):  # one number for the whole series
        values = list(value.points.values())
        return reducer(values) if values else math.nan
    return value


def _fill(series: Series, how: Any, env: Environment) -> Series:
    points = dict(series.points)
    known = sorted(points)
    if how == "REPEAT":
        last = None
        for t in env.grid:
            if t in points:
                last = points[t]
            elif last is not None:
                points[t] = last
        if known:  # before the first point, AWS repeats the first value
            for t in env.grid:
                if t < known[0]:
                    points[t] = series.points[known[0]]
    elif how == "LINEAR":
        for t in env.grid:
            if t in points:
                continue
            before = [k for k in known if k < t]
            after = [k for k in known if k > t]
            if before and after:
                a, b = before[-1], after[0]
                va, vb = series.points[a], series.points[b]
                points[t] = va + (vb - va) * (t - a) / (b - a)
    else:
        fill = how if isinstance(how, Series) else _series(how, env, "FILL")
        for t in env.grid:
            if t not in points and t in fill.points:
                points[t] = fill.points[t]
    return Series(series.label, dict(sorted(points.items())), series.source)


def _if(cond: Series, yes: Value, no: Value | None, env: Environment) -> Series:
    if isinstance(yes, list) or isinstance(no, list):
        raise ExpressionError("IF expects time series or numbers, not arrays")
    yes_s = _series(yes, env, "IF")
    no_s = _series(no, env, "IF") if no is not None else None
    out = {}
    for t, v in cond.points.items():
        chosen = yes_s if v else no_s
        if chosen is not None and t in chosen.points:
            out[t] = chosen.points[t]
    return Series(cond.label, out, cond.source)


def _change(series: Series, name: str) -> Series:
    times = sorted(series.points)
    out = {}
    for a, b in zip(times, times[1:], strict=False):
        va, vb = series.points[a], series.points[b]
        out[b] = vb - va if name == "DIFF" else (b - a) if name == "DIFF_TIME" else (vb - va) / (b - a)
    return Series(series.label, out, series.source)
