"""The S3 Select SQL subset: a tokenizer, a recursive-descent parser and an evaluator.

    SELECT <* | expr [AS name], ...> FROM S3Object[*].path [[AS] alias]
        [WHERE condition] [LIMIT n]

Expressions: literals (numbers, 'strings', TRUE/FALSE/NULL), column references
(`s._1` by position, `s.name` / `s."Name"` by header or JSON key, `s.a.b[0]`
paths), `+ - * / % ||`, comparisons (`= != <> < <= > >=`), `[NOT] LIKE ...
[ESCAPE ...]`, `[NOT] BETWEEN`, `[NOT] IN (...)`, `IS [NOT] NULL/MISSING`, `AND OR
NOT`, `CAST(x AS type)`, the aggregates COUNT(*)/COUNT/SUM/AVG/MIN/MAX, and LOWER,
UPPER, CHAR_LENGTH, TRIM, SUBSTRING, COALESCE, NULLIF, ABS. Errors are S3's Select
error codes (`ParseUnexpectedToken`, `CastFailed`, ...); the messages are ours
where AWS's are not documented.

CSV fields are strings, as in S3; a comparison or arithmetic between a number
and a string that reads as a number compares numbers (S3 asks for CAST there;
we are lenient and say so).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ...api import AWSError

MISSING = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
AGGREGATES = {"COUNT", "SUM", "AVG", "MIN", "MAX"}
FUNCTIONS = {"LOWER", "UPPER", "CHAR_LENGTH", "CHARACTER_LENGTH", "TRIM", "SUBSTRING", "COALESCE",
             "NULLIF", "ABS"}
KEYWORDS = {"SELECT", "FROM", "WHERE", "LIMIT", "AS", "AND", "OR", "NOT", "LIKE", "ESCAPE", "BETWEEN",
            "IN", "IS", "NULL", "MISSING", "TRUE", "FALSE", "CAST", "FOR"}
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><>|!=|<=|>=|\|\||[=<>+\-*/%(),.\[\]])
""", re.VERBOSE)


def sql_error(code: str, message: str) -> AWSError:
    return AWSError(code, message, 400)


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, quoted, name, op, end
    value: str
    position: int


def tokenize(text: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        if match is None:
            raise sql_error("LexerInvalidChar", f"The SQL expression contains an invalid character "
                            f"at position {i}: {text[i]!r}")
        kind = match.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, match.group(), i))
        i = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# -- the syntax tree: each node is a callable over (record, context) ------------------


@dataclass
class Query:
    projection: list[tuple[Node, str | None]] | None  # None: SELECT *
    from_path: list[str | int]  # path steps after S3Object ('*' for [*])
    alias: str | None
    where: Node | None
    limit: int | None

    @property
    def aggregate(self) -> bool:
        return bool(self.projection) and any(node.has_aggregate() for node, _ in self.projection or [])


class Node:
    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        raise NotImplementedError

    def has_aggregate(self) -> bool:
        return False

    def name(self) -> str | None:
        return None


@dataclass
class Literal(Node):
    value: Any

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        return self.value


@dataclass
class Path(Node):
    steps: list[str | int]
    quoted: list[bool] = field(default_factory=list)

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value = record
        for i, step in enumerate(self.steps):
            value = lookup(value, step, self.quoted[i] if i < len(self.quoted) else False)
            if value is MISSING:
                return MISSING
        return value

    def name(self) -> str | None:
        last = self.steps[-1] if self.steps else None
        return last if isinstance(last, str) else None


@dataclass
class Unary(Node):
    op: str
    operand: Node

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value = self.operand.eval(record, rows)
        if self.op == "NOT":
            truth = as_bool(value)
            return None if truth is None else not truth
        number = as_number(value)
        return None if number is None else -number

    def has_aggregate(self) -> bool:
        return self.operand.has_aggregate()


@dataclass
class Binary(Node):
    op: str
    left: Node
    right: Node

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        if self.op in ("AND", "OR"):
            a = as_bool(self.left.eval(record, rows))
            if self.op == "AND" and a is False:
                return False
            if self.op == "OR" and a is True:
                return True
            b = as_bool(self.right.eval(record, rows))
            if self.op == "AND":
                return False if b is False else (None if a is None or b is None else True)
            return True if b is True else (None if a is None or b is None else False)
        a, b = self.left.eval(record, rows), self.right.eval(record, rows)
        if is_null(a) or is_null(b):
            return None
        if self.op == "||":
            return text(a) + text(b)
        if self.op in ("+", "-", "*", "/", "%"):
            return arithmetic(self.op, a, b)
        return compare(self.op, a, b)

    def has_aggregate(self) -> bool:
        return self.left.has_aggregate() or self.right.has_aggregate()


@dataclass
class Like(Node):
    operand: Node
    pattern: Node
    escape: Node | None
    negated: bool

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value, pattern = self.operand.eval(record, rows), self.pattern.eval(record, rows)
        if is_null(value) or is_null(pattern):
            return None
        escape = self.escape.eval(record, rows) if self.escape else None
        matched = like_regex(text(pattern), escape).fullmatch(text(value)) is not None
        return matched != self.negated


@dataclass
class Between(Node):
    operand: Node
    low: Node
    high: Node
    negated: bool

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value = self.operand.eval(record, rows)
        low, high = self.low.eval(record, rows), self.high.eval(record, rows)
        if is_null(value) or is_null(low) or is_null(high):
            return None
        inside = compare(">=", value, low) and compare("<=", value, high)
        return inside != self.negated


@dataclass
class InList(Node):
    operand: Node
    options: list[Node]
    negated: bool

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value = self.operand.eval(record, rows)
        if is_null(value):
            return None
        found = any(not is_null(o := option.eval(record, rows)) and compare("=", value, o)
                    for option in self.options)
        return found != self.negated


@dataclass
class IsNull(Node):
    operand: Node
    missing_only: bool
    negated: bool

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        value = self.operand.eval(record, rows)
        result = value is MISSING if self.missing_only else is_null(value)
        return result != self.negated


@dataclass
class Cast(Node):
    operand: Node
    type_name: str

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        return cast(self.operand.eval(record, rows), self.type_name)

    def has_aggregate(self) -> bool:
        return self.operand.has_aggregate()


@dataclass
class Call(Node):
    function: str
    args: list[Node]
    star: bool = False  # COUNT(*)

    def has_aggregate(self) -> bool:
        return self.function in AGGREGATES or any(a.has_aggregate() for a in self.args)

    def eval(self, record: Any, rows: list[Any] | None = None) -> Any:
        if self.function in AGGREGATES:
            if rows is None:
                raise sql_error("UnsupportedSyntax", "Aggregate functions are only allowed in the "
                                "SELECT list")
            return aggregate(self.function, self.args[0] if self.args else None, self.star, rows)
        values = [a.eval(record, rows) for a in self.args]
        return call_function(self.function, values)


# -- values -----------------------------------------------------------------------------


def is_null(value: Any) -> bool:
    return value is None or value is MISSING


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return repr(value)
    return str(value)


def as_number(value: Any) -> int | float | Decimal | None:
    if is_null(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                return float(value.strip())
            except ValueError:
                return None
    return None


def as_bool(value: Any) -> bool | None:
    if is_null(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise sql_error("InvalidDataType", f"The SQL expression has a non-boolean condition: {value!r}")


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    numeric_a = isinstance(a, (int, float, Decimal)) and not isinstance(a, bool)
    numeric_b = isinstance(b, (int, float, Decimal)) and not isinstance(b, bool)
    if numeric_a and numeric_b:
        return (float(a) if isinstance(b, float) else a), (float(b) if isinstance(a, float) else b)
    if numeric_a or numeric_b:
        na, nb = as_number(a), as_number(b)
        if na is not None and nb is not None:
            return _comparable(na, nb)
        raise sql_error("InvalidDataType", "The SQL expression compares values of incompatible types "
                        "(use CAST)")
    if isinstance(a, bool) or isinstance(b, bool):
        return as_bool(a), as_bool(b)
    return text(a), text(b)


def compare(op: str, a: Any, b: Any) -> bool:
    x, y = _comparable(a, b)
    return {
        "=": x == y, "!=": x != y, "<>": x != y,
        "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y,
    }[op]


def arithmetic(op: str, a: Any, b: Any) -> Any:
    x, y = as_number(a), as_number(b)
    if x is None or y is None:
        raise sql_error("InvalidDataType", "Arithmetic on a value that is not a number (use CAST)")
    if isinstance(x, Decimal) or isinstance(y, Decimal):
        x, y = Decimal(str(x)), Decimal(str(y))
    if op in ("/", "%") and y == 0:
        raise sql_error("DivisionByZero", "Division by zero")
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "%":
        return math.fmod(x, y) if isinstance(x, float) or isinstance(y, float) else int(math.fmod(x, y))
    if isinstance(x, int) and isinstance(y, int):
        return int(x / y)
    return x / y


def cast(value: Any, type_name: str) -> Any:
    if is_null(value):
        return None
    try:
        if type_name in ("INT", "INTEGER", "BIGINT", "SMALLINT"):
            if isinstance(value, str):
                return int(Decimal(value.strip()))
            return int(value)
        if type_name in ("FLOAT", "REAL", "DOUBLE"):
            return float(value)
        if type_name in ("DECIMAL", "NUMERIC"):
            return Decimal(str(value).strip())
        if type_name in ("STRING", "VARCHAR", "CHAR", "TEXT"):
            return text(value)
        if type_name in ("BOOL", "BOOLEAN"):
            truth = as_bool(value)
            if truth is None:
                raise ValueError(value)
            return truth
        if type_name == "TIMESTAMP":
            from datetime import datetime
            return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, TypeError, InvalidOperation, AWSError):
        raise sql_error("CastFailed", "Attempt to convert from one data type to another using CAST "
                        "failed in the SQL expression.") from None
    raise sql_error("InvalidCast", f"Attempt to convert to an unknown data type: {type_name}")


def like_regex(pattern: str, escape: Any) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if escape and char == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def call_function(name: str, values: list[Any]) -> Any:
    def arity(*counts: int) -> None:
        if len(values) not in counts:
            raise sql_error("EvaluatorInvalidArguments", f"Incorrect number of arguments to {name}")

    if name == "COALESCE":
        return next((v for v in values if not is_null(v)), None)
    if name == "NULLIF":
        arity(2)
        return None if not is_null(values[0]) and not is_null(values[1]) and compare(
            "=", values[0], values[1]) else values[0]
    if any(is_null(v) for v in values):
        return None
    if name in ("LOWER", "UPPER", "TRIM", "CHAR_LENGTH", "CHARACTER_LENGTH", "ABS"):
        arity(1)
        value = values[0]
        if name == "ABS":
            number = as_number(value)
            if number is None:
                raise sql_error("IncorrectSqlFunctionArgumentType", "ABS takes a number")
            return abs(number)
        string = text(value)
        return {"LOWER": string.lower, "UPPER": string.upper, "TRIM": string.strip}.get(
            name, lambda: len(string))()
    # SUBSTRING(string, start[, length]), 1-based as in SQL
    arity(2, 3)
    string, start = text(values[0]), as_number(values[1])
    length = as_number(values[2]) if len(values) == 3 else None
    if start is None or (len(values) == 3 and length is None):
        raise sql_error("IncorrectSqlFunctionArgumentType", "SUBSTRING takes integer positions")
    begin = int(start) - 1
    end = len(string) if length is None else begin + int(length)
    return string[max(begin, 0):max(end, 0)]


def aggregate(name: str, arg: Node | None, star: bool, rows: list[Any]) -> Any:
    if star:
        return len(rows)
    assert arg is not None
    values = [v for v in (arg.eval(r, None) for r in rows) if not is_null(v)]
    if name == "COUNT":
        return len(values)
    if not values:
        return None
    if name in ("MIN", "MAX"):
        numbers = [as_number(v) for v in values]
        if all(n is not None for n in numbers):
            return (min if name == "MIN" else max)(numbers)
        return (min if name == "MIN" else max)(text(v) for v in values)
    numbers = [as_number(v) for v in values]
    if any(n is None for n in numbers):
        raise sql_error("InvalidDataType", f"{name} of a value that is not a number (use CAST)")
    total = sum(numbers)  # type: ignore[arg-type]
    return total if name == "SUM" else total / len(numbers)  # type: ignore[operator]


def lookup(value: Any, step: str | int, quoted: bool) -> Any:
    """One path step into a record: a CSV row (`_N` or header name) or JSON value."""
    if isinstance(value, CsvRow):
        return value.get(step, quoted)
    if isinstance(step, int):
        return value[step] if isinstance(value, list) and -len(value) <= step < len(value) else MISSING
    if isinstance(value, dict):
        if step in value:
            return value[step]
        if not quoted:
            for key, item in value.items():
                if key.lower() == step.lower():
                    return item
    return MISSING


@dataclass
class CsvRow:
    """One CSV record: its fields, and the header names when the header is used."""

    values: list[str]
    header: list[str] | None = None

    def get(self, step: str | int, quoted: bool) -> Any:
        if isinstance(step, str) and re.fullmatch(r"_\d+", step):
            index = int(step[1:]) - 1
            return self.values[index] if 0 <= index < len(self.values) else MISSING
        if isinstance(step, str) and self.header is not None:
            for i, name in enumerate(self.header):
                if (name == step) if quoted else (name.lower() == step.lower()):
                    return self.values[i] if i < len(self.values) else MISSING
        return MISSING


# -- the parser ---------------------------------------------------------------------------


class Parser:
    def __init__(self, text_: str) -> None:
        self.tokens = tokenize(text_)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def keyword(self, *words: str) -> bool:
        token = self.token
        return token.kind == "name" and token.value.upper() in words

    def op(self, *ops: str) -> bool:
        return self.token.kind == "op" and self.token.value in ops

    def advance(self) -> Token:
        token = self.token
        self.i += 1
        return token

    def unexpected(self) -> AWSError:
        token = self.token
        shown = token.value or "end of expression"
        return sql_error("ParseUnexpectedToken", f"Unexpected token found {shown!r} at position "
                         f"{token.position}.")

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            raise sql_error("ParseExpectedKeyword", f"Expected keyword {word} at position "
                            f"{self.token.position}.")
        self.advance()

    def expect_op(self, op: str) -> None:
        if not self.op(op):
            raise sql_error("ParseExpectedTokenType", f"Expected {op!r} at position {self.token.position}.")
        self.advance()

    # SELECT ... FROM ... [WHERE ...] [LIMIT n]
    def query(self) -> Query:
        self.expect_keyword("SELECT")
        projection: list[tuple[Node, str | None]] | None
        if self.op("*"):
            self.advance()
            projection = None
        else:
            projection = [self.select_item()]
            while self.op(","):
                self.advance()
                projection.append(self.select_item())
        self.expect_keyword("FROM")
        if not self.keyword("S3OBJECT"):
            raise sql_error("ParseUnsupportedSelect", "The FROM clause must name S3Object.")
        self.advance()
        from_path = self.path_steps()[0]
        alias = None
        if self.keyword("AS"):
            self.advance()
            alias = self.identifier()
        elif self.token.kind in ("name", "quoted") and not self.keyword("WHERE", "LIMIT"):
            alias = self.identifier()
        where = None
        if self.keyword("WHERE"):
            self.advance()
            where = self.expression()
            if where.has_aggregate():
                raise sql_error("UnsupportedSyntax", "Aggregate functions are not allowed in WHERE.")
        limit = None
        if self.keyword("LIMIT"):
            self.advance()
            if self.token.kind != "number" or not self.token.value.isdigit():
                raise self.unexpected()
            limit = int(self.advance().value)
        if self.token.kind != "end":
            raise self.unexpected()
        query = Query(projection, from_path, alias, where, limit)
        if query.aggregate and any(not n.has_aggregate() and not isinstance(n, Literal)
                                   for n, _ in projection or []):
            raise sql_error("UnsupportedSyntax", "Aggregate and non-aggregate expressions cannot be "
                            "mixed in the SELECT list.")
        return query

    def select_item(self) -> tuple[Node, str | None]:
        node = self.expression()
        name = None
        if self.keyword("AS"):
            self.advance()
            name = self.identifier()
        return node, name

    def identifier(self) -> str:
        token = self.token
        if token.kind == "quoted":
            self.advance()
            return token.value[1:-1].replace('""', '"')
        if token.kind == "name" and token.value.upper() not in KEYWORDS:
            self.advance()
            return token.value
        raise self.unexpected()

    def path_steps(self) -> tuple[list[str | int], list[bool]]:
        """`.name`, `."Name"`, `[0]`, `[*]` steps after a first identifier."""
        steps: list[str | int] = []
        quoted: list[bool] = []
        while self.op(".", "["):
            if self.advance().value == ".":
                quoted.append(self.token.kind == "quoted")
                steps.append(self.identifier())
            else:
                if self.op("*"):
                    self.advance()
                    steps.append("*")
                elif self.token.kind == "number" and self.token.value.isdigit():
                    steps.append(int(self.advance().value))
                elif self.token.kind == "string":
                    steps.append(self.advance().value[1:-1].replace("''", "'"))
                else:
                    raise self.unexpected()
                quoted.append(True)
                self.expect_op("]")
        return steps, quoted

    def expression(self) -> Node:
        node = self.conjunction()
        while self.keyword("OR"):
            self.advance()
            node = Binary("OR", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.keyword("AND"):
            self.advance()
            node = Binary("AND", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.keyword("NOT"):
            self.advance()
            return Unary("NOT", self.negation())
        return self.predicate()

    def predicate(self) -> Node:
        left = self.additive()
        if self.op("=", "!=", "<>", "<", "<=", ">", ">="):
            op = self.advance().value
            return Binary(op, left, self.additive())
        if self.keyword("IS"):
            self.advance()
            negated = self.keyword("NOT")
            if negated:
                self.advance()
            if self.keyword("NULL", "MISSING"):
                return IsNull(left, self.advance().value.upper() == "MISSING", negated)
            raise self.unexpected()
        negated = self.keyword("NOT")
        if negated:
            self.advance()
        if self.keyword("LIKE"):
            self.advance()
            pattern = self.additive()
            escape = None
            if self.keyword("ESCAPE"):
                self.advance()
                escape = self.additive()
            return Like(left, pattern, escape, negated)
        if self.keyword("BETWEEN"):
            self.advance()
            low = self.additive()
            self.expect_keyword("AND")
            return Between(left, low, self.additive(), negated)
        if self.keyword("IN"):
            self.advance()
            self.expect_op("(")
            options = [self.expression()]
            while self.op(","):
                self.advance()
                options.append(self.expression())
            self.expect_op(")")
            return InList(left, options, negated)
        if negated:
            raise self.unexpected()
        return left

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.op("+", "-", "||"):
            op = self.advance().value
            node = Binary(op, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.op("*", "/", "%"):
            op = self.advance().value
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.op("-"):
            self.advance()
            return Unary("-", self.unary())
        if self.op("+"):
            self.advance()
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            value = token.value
            return Literal(int(value) if value.isdigit() else float(value))
        if token.kind == "string":
            self.advance()
            return Literal(token.value[1:-1].replace("''", "'"))
        if self.op("("):
            self.advance()
            node = self.expression()
            self.expect_op(")")
            return node
        if token.kind == "name":
            word = token.value.upper()
            if word in ("TRUE", "FALSE"):
                self.advance()
                return Literal(word == "TRUE")
            if word == "NULL":
                self.advance()
                return Literal(None)
            if word == "MISSING":
                self.advance()
                return Literal(MISSING)
            if word == "CAST":
                self.advance()
                self.expect_op("(")
                operand = self.expression()
                self.expect_keyword("AS")
                type_name = self.advance().value.upper()
                self.expect_op(")")
                return Cast(operand, type_name)
            if (word in AGGREGATES or word in FUNCTIONS) and self.tokens[self.i + 1].value == "(":
                return self.call(word)
        if token.kind in ("name", "quoted"):
            quoted = [token.kind == "quoted"]
            first = self.identifier()
            steps, more = self.path_steps()
            return Path([first, *steps], quoted + more)
        raise self.unexpected()

    def call(self, name: str) -> Node:
        self.advance()
        self.expect_op("(")
        if name == "COUNT" and self.op("*"):
            self.advance()
            self.expect_op(")")
            return Call(name, [], star=True)
        args = [self.expression()]
        if name == "SUBSTRING" and self.keyword("FROM"):
            self.advance()
            args.append(self.expression())
            if self.keyword("FOR"):
                self.advance()
                args.append(self.expression())
        while self.op(","):
            self.advance()
            args.append(self.expression())
        self.expect_op(")")
        if name in AGGREGATES and (len(args) != 1 or args[0].has_aggregate()):
            raise sql_error("EvaluatorInvalidArguments", f"Incorrect arguments to {name}")
        return Call("CHAR_LENGTH" if name == "CHARACTER_LENGTH" else name, args)


def parse(expression: str) -> Query:
    """The query of an S3 Select expression, or S3's parse error."""
    return Parser(expression).query()


def strip_alias(query: Query, node: Node) -> None:
    """Drop the table alias (or `S3Object`) from the front of every column path."""
    names = {"s3object", *([query.alias.lower()] if query.alias else [])}
    for child in walk(node):
        if isinstance(child, Path) and len(child.steps) > 1 and isinstance(child.steps[0], str) and (
            child.steps[0].lower() in names
        ):
            child.steps, child.quoted = child.steps[1:], child.quoted[1:]


def walk(node: Node) -> Iterable[Node]:
    yield node
    for value in vars(node).values():
        if isinstance(value, Node):
            yield from walk(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Node):
                    yield from walk(item)


def run(query: Query, records: Iterable[Any]) -> Iterable[list[tuple[str, Any]] | Any]:
    """Rows of the query over `records`: (name, value) lists, or the record itself for `*`."""
    for node in [n for n, _ in query.projection or []] + ([query.where] if query.where else []):
        strip_alias(query, node)
    matched: Callable[[Any], bool] = (
        (lambda r: as_bool(query.where.eval(r)) is True) if query.where else (lambda r: True)  # type: ignore[union-attr]
    )
    if query.aggregate:
        rows = [r for r in records if matched(r)]
        yield [(name or f"_{i}", node.eval(None, rows))
               for i, (node, name) in enumerate(query.projection or [], 1)]
        return
    emitted = 0
    for record in records:
        if query.limit is not None and emitted >= query.limit:
            return
        if not matched(record):
            continue
        emitted += 1
        if query.projection is None:
            yield record
        else:
            yield [(name or node.name() or f"_{i}", node.eval(record))
                   for i, (node, name) in enumerate(query.projection, 1)]
