"""Recursive-descent parser for DynamoDB expressions, resolving `#names` and `:values`.

`Expressions` holds a request's `ExpressionAttributeNames`/`Values`, records which
are used, and parses each kind of expression into the trees of `nodes`. After all
of a request's expressions are parsed, `check_unused()` refuses leftovers, as AWS does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ....api import AWSError
from .. import errors
from ..values import av_type, sort_key, validate_value
from .lexer import ALIAS, EOF, INDEX, NAME, PUNCT, VALUE, Token, syntax_error, tokenize
from .nodes import (
    And,
    Arith,
    Between,
    Compare,
    Func,
    In,
    Not,
    Or,
    Paren,
    Path,
    Update,
    UpdateAction,
    Value,
)
from .reserved import is_reserved

CONDITION_FUNCTIONS = {
    "attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
    "begins_with": 2, "contains": 2,
}
OPERAND_FUNCTIONS = {"size": 1}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")
MAX_EXPRESSION_BYTES = 4096
MAX_IN_OPERANDS = 100
VALID_TYPES = "{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }"
_FULL_TYPE = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "BOOL": "BOOLEAN", "NULL": "NULL",
              "L": "LIST", "M": "MAP", "SS": "STRING_SET", "NS": "NUMBER_SET", "BS": "BINARY_SET"}


class Expressions:
    """One request's expression attribute names and values, and what its expressions used."""

    def __init__(self, names: dict[str, str] | None, values: dict[str, Any] | None, *, any_expression: bool) -> None:
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()
        if names is None and values is None:  # the usual request: nothing to check
            self.names: dict[str, str] = {}
            self.values: dict[str, Any] = {}
            return
        if names is not None and not names:
            raise errors.validation("ExpressionAttributeNames must not be empty")
        if values is not None and not values:
            raise errors.validation("ExpressionAttributeValues must not be empty")
        if not any_expression:
            if names is not None:
                raise errors.validation("ExpressionAttributeNames can only be specified when using expressions")
            if values is not None:
                raise errors.validation("ExpressionAttributeValues can only be specified when using expressions")
        for key in names or {}:
            if not key.startswith("#") or len(key) < 2 or not all(c.isalnum() or c == "_" for c in key[1:]):
                raise errors.validation(f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"')
        checked: dict[str, Any] = {}
        for key, value in (values or {}).items():
            if not key.startswith(":") or len(key) < 2 or not all(c.isalnum() or c == "_" for c in key[1:]):
                raise errors.validation(f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"')
            try:
                checked[key] = validate_value(value)
            except AWSError as exc:  # AWS names the value
                raise errors.validation(
                    f"ExpressionAttributeValues contains invalid value: {exc.message} for key {key}") from None
        self.names = names or {}
        self.values = checked

    def check_unused(self) -> None:
        if not self.names and not self.values:
            return
        if len(self.used_names) == len(self.names) and len(self.used_values) == len(self.values):
            return  # only defined keys are ever marked used: all of them were
        unused_names = [k for k in self.names if k not in self.used_names]
        if unused_names:
            raise errors.validation(
                f"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{', '.join(unused_names)}}}")
        unused_values = [k for k in self.values if k not in self.used_values]
        if unused_values:
            raise errors.validation(
                f"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{', '.join(unused_values)}}}")

    # -- entry points ---------------------------------------------------------------------
    def condition(self, source: str, kind: str = "ConditionExpression") -> Any:
        values = _values_key(self.values)
        if values is None:
            return _condition(self, source, kind)
        tree, used_names, used_values = _cached_condition(source, kind, tuple(self.names.items()), values)
        self.used_names.update(used_names)
        self.used_values.update(used_values)
        return tree

    def projection(self, source: str) -> list[Path]:
        paths, used_names = _cached_projection(source, tuple(self.names.items()))
        self.used_names.update(used_names)
        return list(paths)

    def update(self, source: str) -> Update:
        values = _values_key(self.values)
        if values is None:
            return _update(self, source)
        update, used_names, used_values = _cached_update(source, tuple(self.names.items()), values)
        self.used_names.update(used_names)
        self.used_values.update(used_values)
        return Update(list(update.actions))


def _condition(context: Expressions, source: str, kind: str) -> Any:
    parser = _Parser(context, source, kind)
    tree = parser.condition()
    parser.expect_end()
    return tree


def _update(context: Expressions, source: str) -> Update:
    parser = _Parser(context, source, "UpdateExpression")
    update = parser.update()
    parser.expect_end()
    check_overlaps(update.paths, "UpdateExpression")
    return update


def _values_key(values: dict[str, Any]) -> tuple[tuple[str, str, Any], ...] | None:
    """A request's (checked) values as a cache key: `(":v", tag, raw)`; None when one is not a scalar."""
    key = []
    for name, value in values.items():
        ((kind, raw),) = value.items()
        if kind not in _SCALARS:
            return None
        key.append((name, kind, raw))
    return tuple(key)


_SCALARS = frozenset(("S", "N", "B", "BOOL", "NULL"))

# Parses cached per (text, kind, names, values): a parse depends on nothing else, and its trees
# are frozen and only read (an update copies the values it writes into the item); errors are
# not cached, so a bad expression is parsed, and refused, every time.


def _context(names: tuple[tuple[str, str], ...], values: tuple[tuple[str, str, Any], ...]) -> Expressions:
    """A fresh `Expressions` of a cache key's names and values."""
    return Expressions(dict(names) or None, {name: {tag: raw} for name, tag, raw in values} or None,
                       any_expression=True)


@lru_cache(maxsize=1024)
def _cached_condition(source: str, kind: str, names: tuple[tuple[str, str], ...],
                      values: tuple[tuple[str, str, Any], ...]) -> tuple[Any, frozenset[str], frozenset[str]]:
    """A condition's tree and the names and values it used."""
    context = _context(names, values)
    tree = _condition(context, source, kind)
    return tree, frozenset(context.used_names), frozenset(context.used_values)


@lru_cache(maxsize=1024)
def _cached_update(source: str, names: tuple[tuple[str, str], ...],
                   values: tuple[tuple[str, str, Any], ...]) -> tuple[Update, frozenset[str], frozenset[str]]:
    """An update's actions and the names and values it used (callers get a copy of the action list)."""
    context = _context(names, values)
    update = _update(context, source)
    return update, frozenset(context.used_names), frozenset(context.used_values)


@lru_cache(maxsize=1024)
def _cached_projection(source: str, names: tuple[tuple[str, str], ...]) -> tuple[tuple[Path, ...], frozenset[str]]:
    """A projection's paths and the names it used (a projection reads no values)."""
    context = _context(names, ())
    parser = _Parser(context, source, "ProjectionExpression")
    paths = [parser.path()]
    while parser.accept(","):
        paths.append(parser.path())
    parser.expect_end()
    check_overlaps(paths, "ProjectionExpression")
    return tuple(paths), frozenset(context.used_names)


def check_overlaps(paths: list[Path], kind: str) -> None:
    """AWS refuses two paths where one contains the other, or that disagree on a step's kind."""
    for i, one in enumerate(paths):
        for two in paths[i + 1:]:
            shared = min(len(one.elements), len(two.elements))
            for a, b in zip(one.elements[:shared], two.elements[:shared], strict=False):
                if a != b:
                    if isinstance(a, int) != isinstance(b, int):
                        raise errors.validation(
                            f"Invalid {kind}: Two document paths conflict with each other; must remove or rewrite "
                            f"one of these paths; path one: {one.shown()}, path two: {two.shown()}")
                    break
            else:
                raise errors.validation(
                    f"Invalid {kind}: Two document paths overlap with each other; must remove or rewrite one "
                    f"of these paths; path one: {one.shown()}, path two: {two.shown()}")


def full_type(tag: str) -> str:
    return _FULL_TYPE.get(tag, tag)


class _Parser:
    def __init__(self, context: Expressions, source: str, kind: str) -> None:
        self.context = context
        self.source = source
        self.kind = kind
        if not source.strip():
            raise errors.validation(f"Invalid {kind}: The expression can not be empty;")
        if len(source.encode()) > MAX_EXPRESSION_BYTES:
            raise errors.validation(
                f"Invalid {kind}: Expression size has exceeded the maximum allowed size; "
                f"expression size: {len(source.encode())}")
        self.tokens = tokenize(source, kind)
        self.pos = 0

    # -- token helpers --------------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def error(self, message: str) -> Exception:
        return errors.validation(f"Invalid {self.kind}: {message}")

    def fail(self) -> Exception:
        previous = self.tokens[self.pos - 1] if self.pos else None
        return syntax_error(self.kind, self.source, self.token, previous)

    def accept(self, text: str) -> bool:
        if self.token.kind == PUNCT and self.token.text == text:
            self.pos += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise self.fail()

    def accept_word(self, word: str) -> bool:
        if self.token.is_word(word):
            self.pos += 1
            return True
        return False

    def expect_end(self) -> None:
        if self.token.kind != EOF:
            raise self.fail()

    # -- paths and operands -----------------------------------------------------------------
    def name_element(self) -> str:
        token = self.token
        if token.kind == NAME:
            if is_reserved(token.text):
                raise self.error(f"Attribute name is a reserved keyword; reserved keyword: {token.text}")
            self.pos += 1
            return token.text
        if token.kind == ALIAS:
            self.pos += 1
            if token.text not in self.context.names:
                raise self.error(
                    f"An expression attribute name used in the document path is not defined; attribute name: {token.text}")
            self.context.used_names.add(token.text)
            return self.context.names[token.text]
        raise self.fail()

    def path(self) -> Path:
        elements: list[str | int] = [self.name_element()]
        while True:
            if self.accept("."):
                elements.append(self.name_element())
            elif self.accept("["):
                if self.token.kind != INDEX:
                    raise self.fail()
                elements.append(int(self.advance().text))
                self.expect("]")
            else:
                return Path(tuple(elements))

    def value(self) -> Value:
        token = self.advance()
        if token.text not in self.context.values:
            raise self.error(f"An expression attribute value used in expression is not defined; attribute value: {token.text}")
        self.context.used_values.add(token.text)
        return Value(self.context.values[token.text], token.text)

    def is_function_call(self) -> bool:
        if self.token.kind != NAME:
            return False
        nxt = self.tokens[self.pos + 1]
        return nxt.kind == PUNCT and nxt.text == "("

    def function(self, allowed: dict[str, int], operand: Any) -> Func:
        name = self.advance().text
        self.expect("(")
        args = [operand()]
        while self.accept(","):
            args.append(operand())
        self.expect(")")
        if len(args) != allowed[name]:
            raise self.error(f"Incorrect number of operands for operator or function; "
                             f"operator or function: {name}, number of operands: {len(args)}")
        return Func(name, tuple(args))

    def check_function_name(self, allowed: dict[str, int]) -> None:
        name = self.token.text
        if name in allowed:
            return
        known = {**CONDITION_FUNCTIONS, **OPERAND_FUNCTIONS, **UPDATE_FUNCTIONS}
        if name in known:
            if self.kind == "UpdateExpression":
                raise self.error(f"The function is not allowed in an update expression; function: {name}")
            raise self.error(f"The function is not allowed to be used this way in an expression; function: {name}")
        raise self.error(f"Invalid function name; function: {name}")

    def operand(self) -> Any:
        """A condition operand: a path, a `:value` or `size(path)`."""
        if self.token.kind == VALUE:
            return self.value()
        if self.is_function_call():
            self.check_function_name(OPERAND_FUNCTIONS)
            func = self.function(OPERAND_FUNCTIONS, self.operand)
            self.require_path(func, 0)
            return func
        return self.path()

    def require_path(self, func: Func, index: int) -> None:
        if not isinstance(func.args[index], Path):
            raise self.error(f"Operator or function requires a document path; operator or function: {func.name}")

    # -- conditions -------------------------------------------------------------------------
    def condition(self) -> Any:
        left = self.conjunction()
        while self.accept_word("OR"):
            left = Or(left, self.conjunction())
        return left

    def conjunction(self) -> Any:
        left = self.negation()
        while self.accept_word("AND"):
            left = And(left, self.negation())
        return left

    def negation(self) -> Any:
        if self.accept_word("NOT"):
            return Not(self.negation())
        return self.primary()

    def primary(self) -> Any:
        if self.accept("("):
            inner = self.condition()
            self.expect(")")
            if isinstance(inner, Paren):
                raise self.error("The expression has redundant parentheses;")
            return Paren(inner)
        if self.is_function_call() and self.token.text in CONDITION_FUNCTIONS:
            return self.condition_function()
        left = self.operand()
        token = self.token
        if token.kind == PUNCT and token.text in COMPARATORS:
            self.pos += 1
            return Compare(token.text, left, self.operand())
        if self.accept_word("BETWEEN"):
            low = self.operand()
            if not self.accept_word("AND"):
                raise self.fail()
            return self.between(left, low, self.operand())
        if self.accept_word("IN"):
            self.expect("(")
            options = [self.operand()]
            while self.accept(","):
                options.append(self.operand())
            self.expect(")")
            if len(options) > MAX_IN_OPERANDS:
                raise self.error(f"The IN operator is provided with too many operands; number of operands: {len(options)}")
            return In(left, tuple(options))
        if isinstance(left, Func):
            raise self.error(f"The function is not allowed to be used this way in an expression; function: {left.name}")
        raise self.fail()

    def between(self, operand: Any, low: Any, high: Any) -> Between:
        if isinstance(low, Value) and isinstance(high, Value):
            a, b = low.value, high.value
            if av_type(a) == av_type(b) and av_type(a) in ("S", "N", "B") and sort_key(a) > sort_key(b):
                raise self.error(
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                    f"lower operand: AttributeValue: {{{_shown(a)}}}, upper operand: AttributeValue: {{{_shown(b)}}}")
        return Between(operand, low, high)

    def condition_function(self) -> Func:
        func = self.function(CONDITION_FUNCTIONS, self.operand)
        self.require_path(func, 0)
        if func.name == "attribute_type":
            arg = func.args[1]
            if isinstance(arg, Value):
                kind, raw = next(iter(arg.value.items()))
                if kind != "S":
                    raise self.error(f"Incorrect operand type for operator or function; operator or function: "
                                     f"attribute_type, operand type: {kind}")
                if raw not in ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"):
                    raise self.error(f"Invalid attribute type name found; type: {raw}, valid types: {VALID_TYPES}")
        if func.name == "begins_with":
            for arg in func.args:
                if isinstance(arg, Value) and next(iter(arg.value)) not in ("S", "B"):
                    raise self.error(f"Incorrect operand type for operator or function; operator or function: "
                                     f"begins_with, operand type: {next(iter(arg.value))}")
        return func

    # -- updates ----------------------------------------------------------------------------
    def update(self) -> Update:
        actions: list[UpdateAction] = []
        seen: set[str] = set()
        while self.token.kind != EOF:
            word = self.token.text.upper() if self.token.kind == NAME else ""
            if word not in CLAUSES:
                raise self.fail()
            if word in seen:
                raise self.error(f'The "{word}" section can only be used once in an update expression;')
            seen.add(word)
            self.pos += 1
            while True:
                actions.append(getattr(self, f"{word.lower()}_action")())
                if not self.accept(","):
                    break
        return Update(actions)

    def set_action(self) -> UpdateAction:
        path = self.path()
        self.expect("=")
        left = self.set_operand()
        token = self.token
        if token.kind == PUNCT and token.text in "+-":
            self.pos += 1
            right = self.set_operand()
            for side in (left, right):
                if isinstance(side, Value) and next(iter(side.value)) != "N":
                    raise self.error(f"Incorrect operand type for operator or function; operator: {token.text}, "
                                     f"operand type: {full_type(next(iter(side.value)))}")
            return UpdateAction("SET", path, Arith(token.text, left, right))
        return UpdateAction("SET", path, left)

    def set_operand(self) -> Any:
        if self.token.kind == VALUE:
            return self.value()
        if self.is_function_call():
            self.check_function_name(UPDATE_FUNCTIONS)
            func = self.function(UPDATE_FUNCTIONS, self.set_operand)
            if func.name == "if_not_exists":
                self.require_path(func, 0)
            else:
                for arg in func.args:
                    if isinstance(arg, Value) and next(iter(arg.value)) != "L":
                        raise self.error("Incorrect operand type for operator or function; operator or function: "
                                         f"list_append, operand type: {full_type(next(iter(arg.value)))}")
            return func
        return self.path()

    def remove_action(self) -> UpdateAction:
        return UpdateAction("REMOVE", self.path())

    def add_action(self) -> UpdateAction:
        return self._set_operation("ADD", ("N", "SS", "NS", "BS"))

    def delete_action(self) -> UpdateAction:
        return self._set_operation("DELETE", ("SS", "NS", "BS"))

    def _set_operation(self, action: str, allowed: tuple[str, ...]) -> UpdateAction:
        path = self.path()
        if self.token.kind != VALUE:
            raise self.fail()
        value = self.value()
        kind = next(iter(value.value))
        if kind not in allowed:
            raise self.error(f"Incorrect operand type for operator or function; operator: {action}, "
                             f"operand type: {full_type(kind)}, typeSet: ALLOWED_FOR_{action}_OPERAND")
        return UpdateAction(action, path, value)


def _shown(value: dict[str, Any]) -> str:
    kind, raw = next(iter(value.items()))
    return f"{kind}:{raw.decode(errors='replace') if isinstance(raw, bytes) else raw}"
