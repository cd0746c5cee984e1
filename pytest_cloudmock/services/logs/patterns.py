"""The CloudWatch Logs filter pattern language (metric filters, subscription filters,
FilterLogEvents, Live Tail), parsed into a matcher.

Four kinds of pattern, as AWS's "Filter pattern syntax" page describes them:

- terms: ``ERROR``, ``"Failed to process"`` (all must occur, case sensitive),
  ``?ERROR ?WARN`` (any of them), ``-DEBUG`` (must not occur); unquoted terms are
  alphanumeric or ``_``;
- regex: ``%pattern%``, restricted to AWS's character set (no parentheses);
- JSON: ``{ $.level = "ERROR" && ($.latency > 100 || $.retry IS TRUE) }`` with
  ``= != < <= > >=``, ``IS NULL``, ``NOT EXISTS``, ``IS TRUE``/``IS FALSE``, array
  indexes ``$.a[0]``, ``*`` wildcards and ``%regex%`` in string values;
- space-delimited: ``[ip, user, ..., status = 5*, bytes > 1000]`` over the message's
  fields (split on spaces; ``"..."`` and ``[...]`` each one field).

``compile_pattern(text)`` raises ``PatternError`` (AWS's ``InvalidParameterException``
text) for a pattern AWS rejects; ``Pattern.match(message)`` gives None or the values
the pattern extracted (what ``TestMetricFilter`` reports, and a metric value's source).
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

MAX_REGEX = 2  # regexes allowed in one JSON or space-delimited pattern
_REGEX_CHARS = re.compile(r"[A-Za-z0-9:_#=@/;,\-^$?\[\]{}|\\*+.]*")  # AWS's list: no spaces, no ( )
_TERM = re.compile(r"\w+")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class PatternError(ValueError):
    """A pattern AWS refuses; the message is the error text."""


class Pattern(Protocol):
    def match(self, message: str) -> dict[str, str] | None:
        """None if `message` does not match; else the values the pattern extracted."""
        ...


@lru_cache(maxsize=512)
def compile_pattern(text: str | None) -> Pattern:
    """The matcher for a filter pattern (empty: every event)."""
    source = (text or "").strip()
    if not source:
        return Everything()
    if source.startswith("{"):
        if not source.endswith("}"):
            raise PatternError("If a filter pattern starts with '{' it must end with '}'")
        return JsonPattern(_JsonParser(source[1:-1]).parse())
    if source.startswith("["):
        if not source.endswith("]"):
            # AWS's wording for '[' is assumed to mirror its documented '{' message.
            raise PatternError("If a filter pattern starts with '[' it must end with ']'")
        return _parse_delimited(source[1:-1])
    if len(source) > 1 and source.startswith("%") and source.endswith("%"):
        return RegexPattern(_regex(source[1:-1]))
    return _parse_terms(source)


# -- terms and regex ---------------------------------------------------------------------


class Everything:
    def match(self, message: str) -> dict[str, str] | None:
        return {}


@dataclass(frozen=True)
class TermPattern:
    required: tuple[str, ...]
    any_of: tuple[str, ...]
    excluded: tuple[str, ...]

    def match(self, message: str) -> dict[str, str] | None:
        if any(term not in message for term in self.required):
            return None
        if any(term in message for term in self.excluded):
            return None
        if self.any_of and not any(term in message for term in self.any_of):
            return None
        return {}


@dataclass(frozen=True)
class RegexPattern:
    regex: re.Pattern[str]

    def match(self, message: str) -> dict[str, str] | None:
        return {} if self.regex.search(message) else None


def _regex(body: str) -> re.Pattern[str]:
    """A `%...%` regex body, within the characters AWS allows."""
    if not body or not _REGEX_CHARS.fullmatch(body):
        raise PatternError("Invalid filter pattern")
    try:
        return re.compile(body)
    except re.error:
        raise PatternError("Invalid filter pattern") from None


def _parse_terms(source: str) -> TermPattern:
    required: list[str] = []
    any_of: list[str] = []
    excluded: list[str] = []
    i, n = 0, len(source)
    while i < n:
        if source[i].isspace():
            i += 1
            continue
        target = required
        if source[i] in "?-":  # `?term`, `-term`, and the documented `- "term"` spelling
            target = any_of if source[i] == "?" else excluded
            i += 1
            while i < n and source[i].isspace():
                i += 1
            if i == n:
                raise PatternError(f"Invalid character(s) in term '{source[i - 1]}'")
        if source[i] == '"':
            term, i = _quoted(source, i)
            if not term:
                raise PatternError("Invalid character(s) in term '\"\"'")
        else:
            start = i
            while i < n and not source[i].isspace():
                i += 1
            term = source[start:i]
            if not _TERM.fullmatch(term):
                raise PatternError(f"Invalid character(s) in term '{term}'")
        target.append(term)
    return TermPattern(tuple(required), tuple(any_of), tuple(excluded))


def _quoted(source: str, i: int) -> tuple[str, int]:
    """The text of the quoted string starting at `source[i]` and the index after it."""
    out, i = [], i + 1
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise PatternError("Invalid filter pattern")


# -- values shared by JSON and space-delimited patterns ---------------------------------


@dataclass(frozen=True)
class Value:
    """The right-hand side of a comparison: a number, a (wildcard) string or a regex."""

    text: str
    number: float | None = None
    regex: re.Pattern[str] | None = None

    def compare(self, op: str, target: Any) -> bool:
        if self.regex is not None:
            found = isinstance(target, str) and self.regex.search(target) is not None
            return found if op == "=" else isinstance(target, str) and not found
        if self.number is not None:
            value = _as_number(target)
            if value is None:
                return False
            return _ORDER[op](value, self.number)
        if target is None or isinstance(target, (dict, list)):
            return False
        text = target if isinstance(target, str) else json.dumps(target)
        equal = fnmatch.fnmatchcase(text, _glob(self.text)) if "*" in self.text else text == self.text
        return equal if op == "=" else not equal


_ORDER = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _glob(text: str) -> str:
    """A value as an fnmatch pattern: `*` is a wildcard at the start and the end only
    (AWS: `Ev*ent` matches only the string `Ev*ent`); everything else is literal."""
    lead, core, trail = text[:len(text) - len(text.lstrip("*"))], text.strip("*"), text[len(text.rstrip("*")):]
    literal = "".join(f"[{ch}]" if ch in "?[]*" else ch for ch in core)
    return ("*" if lead else "") + literal + ("*" if trail and core else "")


def _as_number(target: Any) -> float | None:
    if isinstance(target, bool) or target is None:
        return None
    if isinstance(target, (int, float)):
        return float(target)
    if isinstance(target, str) and _NUMBER.fullmatch(target.strip()):
        return float(target)
    return None


# -- the tokenizer for JSON and space-delimited conditions ------------------------------

_OPS = ("!=", "<=", ">=", "&&", "||", "=", "<", ">", "(", ")", ",")
_WORD_END = set(" \t\r\n,()&|=!<>")


@dataclass(frozen=True)
class Token:
    kind: str  # op, selector, string, regex, word
    text: str
    position: int


def _tokens(source: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        op = next((op for op in _OPS if source.startswith(op, i)), None)
        if op:
            out.append(Token("op", op, i))
            i += len(op)
        elif ch == '"':
            text, end = _quoted(source, i)
            out.append(Token("string", text, i))
            i = end
        elif ch == "%":
            end = source.find("%", i + 1)
            if end < 0:
                raise PatternError("Invalid filter pattern")
            out.append(Token("regex", source[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            while i < n and source[i] not in _WORD_END:
                i += 1
            word = source[start:i]
            if not word:
                raise PatternError("Invalid filter pattern")
            out.append(Token("selector" if word.startswith("$") else "word", word, start))
    return out


class _Parser:
    """Recursive descent over tokens: shared cursor helpers."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.i = 0
        self.regexes = 0

    def peek(self, text: str | None = None) -> Token | None:
        token = self.tokens[self.i] if self.i < len(self.tokens) else None
        if token is not None and text is not None and not (token.kind in ("op", "word") and token.text.upper() == text):
            return None
        return token

    def take(self, text: str | None = None) -> Token:
        token = self.peek(text)
        if token is None:
            raise PatternError("Invalid filter pattern")
        self.i += 1
        return token

    def value(self) -> Value:
        token = self.take()
        if token.kind == "regex":
            self.regexes += 1
            if self.regexes > MAX_REGEX:
                raise PatternError("Invalid filter pattern")
            return Value(token.text, regex=_regex(token.text))
        if token.kind == "string":
            return Value(token.text)
        if token.kind == "word":
            if _NUMBER.fullmatch(token.text):
                return Value(token.text, number=float(token.text))
            return Value(token.text)
        raise PatternError("Invalid filter pattern")

    def comparison(self) -> tuple[str, Value]:
        """`op value`; ordering operators need a number."""
        token = self.take()
        if token.kind != "op" or token.text not in _ORDER:
            raise PatternError("Invalid filter pattern")
        value = self.value()
        if token.text not in ("=", "!=") and value.number is None:
            raise PatternError("Invalid filter pattern")
        return token.text, value


# -- JSON patterns ------------------------------------------------------------------------

_SEGMENT = re.compile(r"\.([^.\[\]]+)|\[(\d+|\*)\]")


@dataclass(frozen=True)
class Selector:
    text: str
    path: tuple[str | int, ...]  # "*" for any array element

    def resolve(self, doc: Any) -> list[Any]:
        """The values the selector reaches in `doc` (several through `[*]`)."""
        current = [doc]
        for step in self.path:
            found = []
            for node in current:
                if step == "*" and isinstance(node, list):
                    found.extend(node)
                elif (isinstance(step, int) and isinstance(node, list) and step < len(node)) or (
                        isinstance(step, str) and step != "*" and isinstance(node, dict) and step in node):
                    found.append(node[step])
            current = found
        return current


def _selector(token: Token) -> Selector:
    if token.kind != "selector":
        raise PatternError("Invalid filter pattern")
    rest, path = token.text[1:], []
    pos = 0
    while pos < len(rest):
        m = _SEGMENT.match(rest, pos)
        if m is None:
            raise PatternError("Invalid filter pattern")
        path.append(m.group(1) if m.group(1) is not None else ("*" if m.group(2) == "*" else int(m.group(2))))
        pos = m.end()
    return Selector(token.text, tuple(path))


@dataclass(frozen=True)
class Check:
    """One JSON condition: `selector op value`, or a test (`null`, `true`, `false`, `missing`)."""

    selector: Selector
    op: str
    value: Value | None = None

    def evaluate(self, doc: Any, found: dict[str, str]) -> bool:
        values = self.selector.resolve(doc)
        if self.op == "missing":
            return not values
        for target in values:
            if self.op == "null":
                ok = target is None
            elif self.op in ("true", "false"):
                ok = target is (self.op == "true")
            else:
                assert self.value is not None
                ok = self.value.compare(self.op, target)
            if ok:
                found[self.selector.text] = target if isinstance(target, str) else json.dumps(target)
                return True
        return False


@dataclass(frozen=True)
class BoolOp:
    op: str  # and, or
    parts: tuple[Any, ...]

    def evaluate(self, doc: Any, found: dict[str, str]) -> bool:
        if self.op == "and":
            return all(part.evaluate(doc, found) for part in self.parts)
        return any(part.evaluate(doc, found) for part in self.parts)


class _JsonParser(_Parser):
    def parse(self) -> Any:
        if not self.tokens:
            raise PatternError("Invalid filter pattern")
        expr = self.expr()
        if self.peek() is not None:
            raise PatternError("Invalid filter pattern")
        return expr

    def expr(self) -> Any:
        parts = [self.conjunction()]
        while self.peek("||"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def conjunction(self) -> Any:
        parts = [self.unary()]
        while self.peek("&&"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def unary(self) -> Any:
        if self.peek("("):
            self.take()
            inner = self.expr()
            self.take(")")
            return inner
        selector = _selector(self.take())
        if self.peek("IS"):
            self.take()
            word = self.take().text.upper()
            if word not in ("NULL", "TRUE", "FALSE"):
                raise PatternError("Invalid filter pattern")
            return Check(selector, word.lower())
        if self.peek("NOT"):
            self.take()
            self.take("EXISTS")
            return Check(selector, "missing")
        return Check(selector, *self.comparison())


@dataclass(frozen=True)
class JsonPattern:
    expr: Any

    def match(self, message: str) -> dict[str, str] | None:
        try:
            doc = json.loads(message)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python parses
            return None
        if not isinstance(doc, (dict, list)):
            return None
        found: dict[str, str] = {}
        return found if self.expr.evaluate(doc, found) else None


# -- space-delimited patterns -------------------------------------------------------------

_FIELD = re.compile(r'"([^"]*)"(?=\s|$)|\[([^\]]*)\](?=\s|$)|(\S+)')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ELLIPSIS = "..."


@dataclass(frozen=True)
class FieldCheck:
    name: str
    op: str
    value: Value

    def evaluate(self, fields: dict[str, str], found: dict[str, str]) -> bool:
        return self.name in fields and self.value.compare(self.op, fields[self.name])


@dataclass(frozen=True)
class FieldBool:
    op: str
    parts: tuple[Any, ...]

    def evaluate(self, fields: dict[str, str], found: dict[str, str]) -> bool:
        if self.op == "and":
            return all(part.evaluate(fields, found) for part in self.parts)
        return any(part.evaluate(fields, found) for part in self.parts)


@dataclass(frozen=True)
class DelimitedPattern:
    names: tuple[str, ...]  # ELLIPSIS for `...`, "" for an unnamed field (`[a, , b]`, `[a,]`)
    checks: tuple[Any, ...]

    def match(self, message: str) -> dict[str, str] | None:
        values = [next(g for g in m.groups() if g is not None) for m in _FIELD.finditer(message)]
        for named in self._assignments(0, values, 0):
            fields = {name: values[pos] for name, pos in named.items()}
            if all(check.evaluate(fields, {}) for check in self.checks):
                by_position = {pos: name for name, pos in named.items()}
                # AWS's extracted fields: `$name` for named fields, `$<position>` for the others
                return {f"${by_position.get(i, i + 1)}": value for i, value in enumerate(values)}
        return None

    def _assignments(self, k: int, values: list[str], pos: int) -> Any:
        """Every way the pattern's fields take the message's fields (`...` takes any run):
        {name: position} of the named ones."""
        if k == len(self.names):
            if pos == len(values):
                yield {}
            return
        name = self.names[k]
        if name == ELLIPSIS:
            for end in range(pos, len(values) + 1):
                yield from self._assignments(k + 1, values, end)
            return
        if pos < len(values):
            for rest in self._assignments(k + 1, values, pos + 1):
                yield {name: pos, **rest} if name else rest


class _DelimitedParser(_Parser):
    referenced: set[str]

    def parse(self) -> DelimitedPattern:
        self.referenced = set()
        names: list[str] = []
        checks: list[Any] = []
        while True:
            token = self.peek()
            if token is None or (token.kind == "op" and token.text == ","):
                names.append("")  # an unnamed field, as in AWS's `[..., status_code=4*,]`
            elif token.kind == "word" and token.text == ELLIPSIS:
                self.take()
                names.append(ELLIPSIS)
            else:
                name, check = self.field()
                names.append(name)
                if check is not None:
                    checks.append(check)
            if self.peek() is None:
                break
            self.take(",")
        if not self.referenced <= set(names):
            raise PatternError("Invalid filter pattern")
        return DelimitedPattern(tuple(names), tuple(checks))

    def field(self) -> tuple[str, Any]:
        name = self.name()
        if self.peek() is None or self.peek(","):
            return name, None
        parts = [self.condition(name, first=True)]
        op = None
        while self.peek("&&") or self.peek("||"):
            joiner = "and" if self.take().text == "&&" else "or"
            if op not in (None, joiner):
                raise PatternError("Invalid filter pattern")
            op = joiner
            parts.append(self.condition(name, first=False))
        return name, parts[0] if len(parts) == 1 else FieldBool(op or "and", tuple(parts))

    def condition(self, name: str, *, first: bool) -> FieldCheck:
        if not first:
            name = self.name()
        self.referenced.add(name)
        return FieldCheck(name, *self.comparison())

    def name(self) -> str:
        token = self.take()
        if token.kind != "word" or not _NAME.fullmatch(token.text):
            raise PatternError("Invalid filter pattern")
        return token.text


def _parse_delimited(body: str) -> DelimitedPattern:
    if not body.strip():
        raise PatternError("Invalid filter pattern")
    pattern = _DelimitedParser(body).parse()
    named = [n for n in pattern.names if n and n != ELLIPSIS]
    if len(named) != len(set(named)):
        raise PatternError("Invalid filter pattern")
    return pattern
