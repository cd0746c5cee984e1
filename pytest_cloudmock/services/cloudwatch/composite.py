"""The composite alarm rule language: `ALARM("a") AND NOT (OK(b) OR INSUFFICIENT_DATA("c"))`,
`TRUE` and `FALSE` (`AT_LEAST` is not supported). Precedence: NOT, then AND, then OR."""

from __future__ import annotations

import re
from collections.abc import Callable

STATES = {"ALARM": "ALARM", "OK": "OK", "INSUFFICIENT_DATA": "INSUFFICIENT_DATA"}
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<string>"(?:[^"\\]|\\.)*")|(?P<word>[^\s()"]+))')


class RuleError(ValueError):
    """An alarm rule that does not parse."""


def tokenize(rule: str) -> list[str]:
    tokens, pos = [], 0
    while rule[pos:].strip():
        match = _TOKEN.match(rule, pos)
        if match is None:
            raise RuleError(f"Unexpected character at position {pos + 1}")
        tokens.append(match.group(match.lastgroup or ""))
        pos = match.end()
    return tokens


def parse(rule: str) -> tuple:
    """The AST of a rule; `RuleError` if it does not parse."""
    tokens = tokenize(rule)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise RuleError("Unexpected end of the alarm rule")
        pos += 1
        return tokens[pos - 1]

    def disjunction() -> tuple:
        left = conjunction()
        while (peek() or "").upper() == "OR":
            take()
            left = ("or", left, conjunction())
        return left

    def conjunction() -> tuple:
        left = negation()
        while (peek() or "").upper() == "AND":
            take()
            left = ("and", left, negation())
        return left

    def negation() -> tuple:
        if (peek() or "").upper() == "NOT":
            take()
            return ("not", negation())
        return atom()

    def atom() -> tuple:
        token = take()
        if token == "(":
            inner = disjunction()
            if take() != ")":
                raise RuleError("Expected ')'")
            return inner
        upper = token.upper()
        if upper in ("TRUE", "FALSE"):
            return ("const", upper == "TRUE")
        if upper in STATES:
            if take() != "(":
                raise RuleError(f"Expected '(' after {token}")
            name = take()
            if name in ("(", ")"):
                raise RuleError(f"Expected an alarm name after {token}(")
            if take() != ")":
                raise RuleError("Expected ')'")
            name = re.sub(r"\\(.)", r"\1", name[1:-1]) if name.startswith('"') else name
            return ("state", STATES[upper], name)
        raise RuleError(f"Unexpected token '{token}'")

    tree = disjunction()
    if pos != len(tokens):
        raise RuleError(f"Unexpected token '{tokens[pos]}'")
    return tree


def alarms_named(tree: tuple) -> set[str]:
    if tree[0] == "state":
        return {tree[2]}
    if tree[0] == "const":
        return set()
    return set().union(*(alarms_named(t) for t in tree[1:]))


def holds(tree: tuple, state_of: Callable[[str], str | None]) -> bool:
    """Whether the rule is true, given each named alarm's state (name or ARN)."""
    kind = tree[0]
    if kind == "const":
        return tree[1]
    if kind == "state":
        return state_of(tree[2]) == tree[1]
    if kind == "not":
        return not holds(tree[1], state_of)
    if kind == "and":
        return holds(tree[1], state_of) and holds(tree[2], state_of)
    return holds(tree[1], state_of) or holds(tree[2], state_of)
