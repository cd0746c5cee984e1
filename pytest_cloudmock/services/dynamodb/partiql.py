"""PartiQL for DynamoDB: SELECT, INSERT, UPDATE (SET/REMOVE) and DELETE, with `?` parameters.

A small tokenizer turns a statement's WHERE clause into the expression language
(names as `#pN`, literals and parameters as `:pN`), so conditions are parsed and
evaluated by the same code as `ConditionExpression`. A SELECT whose WHERE requires a
partition key value reads that partition only; otherwise it scans the table or index.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .expressions import Expressions, apply_update, matches, project
from .expressions.nodes import And, Compare, Paren, Path, Update, UpdateAction, Value
from .items import ItemOperations
from .storage import partition_token
from .values import validate_item, validate_value

_TOKEN = re.compile(r"""\s*(?:(?P<str>'(?:[^']|'')*')|(?P<qid>"(?:[^"]|"")*")|(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<op><>|!=|<=|>=|<<|>>|[=<>(){}\[\],.:?*+-])|(?P<word>[A-Za-z_][A-Za-z0-9_]*))""", re.X)
_KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN", "IS", "MISSING", "SET", "REMOVE", "WHERE", "FROM", "VALUE",
             "INTO", "SELECT", "INSERT", "UPDATE", "DELETE", "TRUE", "FALSE", "NULL"}


def _bad(detail: str) -> AWSError:
    return errors.validation(f"Statement wasn't well formed, can't be processed: {detail}")


class _Statement:
    """Tokens of one statement and the names/values collected while translating it."""

    def __init__(self, text: str, parameters: list[Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text.rstrip()):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise _bad(f"Unexpected character at position {pos}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            pos = match.end()
        self.pos = 0
        self.parameters = [validate_value(p) for p in parameters]
        self.used_parameters = 0
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("eof", "")

    def word(self, *words: str) -> bool:
        kind, text = self.peek()
        if kind == "word" and text.upper() in words:
            self.pos += 1
            return True
        return False

    def expect_word(self, word: str) -> None:
        if not self.word(word):
            raise _bad(f"Expected {word}, found {self.peek()[1] or 'end of statement'}")

    def op(self, text: str) -> bool:
        if self.peek() == ("op", text):
            self.pos += 1
            return True
        return False

    def identifier(self) -> str:
        kind, text = self.peek()
        if kind == "qid":
            self.pos += 1
            return text[1:-1].replace('""', '"')
        if kind == "word" and text.upper() not in _KEYWORDS:
            self.pos += 1
            return text
        raise _bad(f"Unexpected token: {text or 'end of statement'}")

    def literal(self) -> dict[str, Any]:
        kind, text = self.peek()
        self.pos += 1
        if kind == "str":
            return {"S": text[1:-1].replace("''", "'")}
        if kind == "num":
            return validate_value({"N": text})
        if (kind, text) == ("op", "?"):
            if self.used_parameters >= len(self.parameters):
                raise errors.validation("Number of parameters in request and statement don't match.")
            self.used_parameters += 1
            return self.parameters[self.used_parameters - 1]
        if kind == "word" and text.upper() in ("TRUE", "FALSE"):
            return {"BOOL": text.upper() == "TRUE"}
        if kind == "word" and text.upper() == "NULL":
            return {"NULL": True}
        if (kind, text) == ("op", "{"):
            members: dict[str, Any] = {}
            while not self.op("}"):
                key = self.literal()
                if "S" not in key or not self.op(":"):
                    raise _bad("Expected a string key and ':' in a tuple")
                members[key["S"]] = self.literal()
                self.op(",")
            return {"M": members}
        if (kind, text) in (("op", "["), ("op", "<<")):
            close = "]" if text == "[" else ">>"
            elements = []
            while not self.op(close):
                elements.append(self.literal())
                self.op(",")
            if close == "]":
                return {"L": elements}
            kinds = {next(iter(e)) for e in elements}
            if len(kinds) != 1 or next(iter(kinds)) not in ("S", "N", "B"):
                raise _bad("A set must hold strings, numbers or binaries")
            tag = next(iter(kinds))
            return validate_value({tag + "S": [e[tag] for e in elements]})
        raise _bad(f"Unexpected token: {text or 'end of statement'}")

    def path_text(self) -> str:
        parts = [self._alias(self.identifier())]
        while True:
            if self.op("."):
                parts.append("." + self._alias(self.identifier()))
            elif self.op("["):
                kind, text = self.peek()
                if kind != "num":
                    raise _bad("Expected a list index")
                self.pos += 1
                if not self.op("]"):
                    raise _bad("Expected ]")
                parts.append(f"[{text}]")
            else:
                return "".join(parts)

    def _alias(self, name: str) -> str:
        alias = f"#p{len(self.names)}"
        self.names[alias] = name
        return alias

    def value_text(self) -> str:
        alias = f":p{len(self.values)}"
        self.values[alias] = self.literal()
        return alias

    def operand_text(self) -> str:
        kind, text = self.peek()
        if kind == "word" and text.lower() in ("size",) and self.tokens[self.pos + 1:self.pos + 2] == [("op", "(")]:
            self.pos += 2
            inner = self.path_text()
            self.op(")")
            return f"size({inner})"
        if kind in ("qid",) or (kind == "word" and text.upper() not in _KEYWORDS):
            return self.path_text()
        return self.value_text()

    def condition_text(self) -> str:
        """The WHERE clause, rewritten into the expression language."""
        out: list[str] = []
        while True:
            kind, text = self.peek()
            if kind == "eof":
                return " ".join(out)
            upper = text.upper()
            if kind == "word" and upper in ("AND", "OR", "NOT", "BETWEEN"):
                self.pos += 1
                out.append(upper)
            elif kind == "word" and upper == "IN":
                self.pos += 1
                if not self.op("["):
                    raise _bad("Expected [ after IN")
                options = []
                while not self.op("]"):
                    options.append(self.operand_text())
                    self.op(",")
                out.append(f"IN ({', '.join(options)})")
            elif kind == "word" and upper == "IS":
                self.pos += 1
                negate = self.word("NOT")
                self.expect_word("MISSING")
                target = out.pop()
                out.append(f"attribute_{'exists' if negate else 'not_exists'}({target})")
            elif kind == "word" and text in ("begins_with", "contains", "attribute_type") and \
                    self.tokens[self.pos + 1:self.pos + 2] == [("op", "(")]:
                self.pos += 2
                first = self.path_text()
                self.op(",")
                second = self.operand_text()
                self.op(")")
                out.append(f"{text}({first}, {second})")
            elif kind == "op" and text in ("(", ")"):
                self.pos += 1
                out.append(text)
            elif kind == "op" and text in ("=", "<>", "!=", "<", "<=", ">", ">="):
                self.pos += 1
                out.append("<>" if text == "!=" else text)
            else:
                out.append(self.operand_text())

    def expressions(self) -> Expressions:
        return Expressions(self.names or None, self.values or None, any_expression=True)


class PartiqlOperations(ItemOperations):
    """ExecuteStatement, BatchExecuteStatement, ExecuteTransaction."""

    def execute_statement(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            items, token = self.run_statement(ctx, p["Statement"], p.get("Parameters") or [],
                                              limit=p.get("Limit"), token=p.get("NextToken"))
        out: dict[str, Any] = {"Items": items}
        if token is not None:
            out["NextToken"] = token
        return out

    def batch_execute_statement(self, ctx: RequestContext) -> dict[str, Any]:
        responses = []
        with self.store.lock:
            for request in ctx.params["Statements"]:
                try:
                    items, _ = self.run_statement(ctx, request["Statement"], request.get("Parameters") or [])
                    response: dict[str, Any] = {}
                    if items:
                        response["Item"] = items[0]
                except AWSError as error:
                    code = error.code.removesuffix("Exception")
                    response = {"Error": {"Code": code, "Message": error.message}}
                responses.append(response)
        return {"Responses": responses}

    def execute_transaction(self, ctx: RequestContext) -> dict[str, Any]:
        statements = ctx.params["TransactStatements"]
        with self.store.lock:
            state = self.state(ctx)
            backup = {name: copy.deepcopy(table) for name, table in state.tables.items()}
            responses = []
            try:
                for request in statements:
                    items, _ = self.run_statement(ctx, request["Statement"], request.get("Parameters") or [])
                    responses.append({"Item": items[0]} if items else {})
            except AWSError as error:
                state.tables.update(backup)
                reason = "ConditionalCheckFailed" if error.code == "ConditionalCheckFailedException" else "ValidationError"
                raise AWSError("TransactionCanceledException",
                               f"Transaction cancelled, please refer cancellation reasons for specific reasons "
                               f"[{reason}]", CancellationReasons=[{"Code": reason, "Message": error.message}]) from None
        return {"Responses": responses}

    # -- statements --------------------------------------------------------------------------
    def run_statement(self, ctx: RequestContext, text: str, parameters: list[Any], *, limit: int | None = None,
                      token: str | None = None) -> tuple[list[Any], str | None]:
        st = _Statement(text, parameters)
        if st.word("SELECT"):
            return self._select(ctx, st, limit, token)
        if st.word("INSERT"):
            st.expect_word("INTO")
            table = self.table(ctx, st.identifier())
            st.expect_word("VALUE")
            item = st.literal()
            if "M" not in item:
                raise _bad("INSERT needs a tuple value")
            new = validate_item(item["M"])
            self.check_item(table, new)
            if table.get(new) is not None:
                raise AWSError("DuplicateItemException", "Duplicate primary key exists in table")
            self.commit(ctx, table, new, new)
            return [], None
        if st.word("UPDATE"):
            return self._update(ctx, st), None
        if st.word("DELETE"):
            st.expect_word("FROM")
            table = self.table(ctx, st.identifier())
            st.expect_word("WHERE")
            key, condition = self._where_key(st, table)
            old = table.get(key)
            if old is None or (condition is not None and not matches(old, condition)):
                if condition is not None:
                    raise errors.conditional_failed()
                return [], None
            self.commit(ctx, table, key, None)
            return [], None
        raise _bad(f"Unexpected token: {st.peek()[1] or 'end of statement'}")

    def _select(self, ctx: RequestContext, st: _Statement, limit: int | None, token: str | None) -> tuple[list[Any], str | None]:
        projection: list[str] | None = None
        if not st.op("*"):
            projection = [st.path_text()]
            while st.op(","):
                projection.append(st.path_text())
        st.expect_word("FROM")
        table = self.table(ctx, st.identifier())
        index = None
        if st.op("."):
            name = st.identifier()
            index = table.indexes.get(name)
            if index is None:
                raise errors.validation(f"The table does not have the specified index: {name}")
        condition_text = st.condition_text() if st.word("WHERE") else ""
        if st.used_parameters != len(st.parameters):
            raise errors.validation("Number of parameters in request and statement don't match.")
        exprs = st.expressions()
        condition = exprs.condition(condition_text, "FilterExpression") if condition_text else None
        paths = [exprs.projection(p)[0] for p in projection] if projection else None
        source = index.items if index is not None else table.items
        hash_value = _equality_on(condition, (index.schema if index is not None else table.schema).hash)
        if hash_value is not None:  # a partition key equality reads one partition, as AWS does
            partition = source.partition(partition_token(hash_value))
            rows = list(partition.values()) if partition is not None else []
        else:
            rows = source.items()
        found = [project(i, paths) if paths is not None else i
                 for i in rows if condition is None or matches(i, condition)]
        start = int(token) if token and token.isdigit() else 0
        size = limit or len(found)
        page = found[start:start + size]
        more = start + size < len(found)
        return page, (str(start + size) if more else None)

    def _where_key(self, st: _Statement, table: Any) -> tuple[dict[str, Any], Any]:
        text = st.condition_text()
        tree = st.expressions().condition(text, "ConditionExpression")
        terms: list[Any] = []

        def flatten(node: Any) -> None:
            if isinstance(node, Paren):
                flatten(node.operand)
            elif isinstance(node, And):
                flatten(node.left)
                flatten(node.right)
            else:
                terms.append(node)

        flatten(tree)
        key: dict[str, Any] = {}
        rest = []
        for term in terms:
            if (isinstance(term, Compare) and term.op == "=" and isinstance(term.left, Path)
                    and isinstance(term.right, Value) and len(term.left.elements) == 1
                    and term.left.top in table.schema.names and term.left.top not in key):
                key[term.left.top] = term.right.value
            else:
                rest.append(term)
        if set(key) != set(table.schema.names):
            raise errors.validation("Where clause does not contain a mandatory equality on all key attributes")
        condition = None
        for term in rest:
            condition = term if condition is None else And(condition, term)
        return self.key(table, key), condition

    def _update(self, ctx: RequestContext, st: _Statement) -> list[Any]:
        table = self.table(ctx, st.identifier())
        actions_text: list[tuple[str, str, str | None]] = []
        while True:
            if st.word("SET"):
                path = st.path_text()
                if not st.op("="):
                    raise _bad("Expected = in SET")
                actions_text.append(("SET", path, st.operand_text()))
            elif st.word("REMOVE"):
                actions_text.append(("REMOVE", st.path_text(), None))
            else:
                break
        st.expect_word("WHERE")
        key, condition = self._where_key(st, table)
        exprs = st.expressions()
        actions = []
        for action, path_text, value_text in actions_text:
            path = exprs.projection(path_text)[0]
            if path.top in table.schema.names:
                raise errors.invalid_parameters(f"Cannot update attribute {path.top}. This attribute is part of the key")
            value = None
            if value_text is not None:
                value = exprs.projection(value_text)[0] if value_text.startswith("#") else Value(
                    exprs.values[value_text], value_text)
            actions.append(UpdateAction(action, path, value))
        old = table.get(key)
        if old is None or (condition is not None and not matches(old, condition)):
            raise errors.conditional_failed()
        new = apply_update(old, Update(actions))
        self.check_item(table, new)
        self.commit(ctx, table, key, new)
        return []


def _equality_on(condition: Any, name: str) -> dict[str, Any] | None:
    """The value a condition's top-level AND terms require `name` to equal, if any."""
    if isinstance(condition, Paren):
        return _equality_on(condition.operand, name)
    if isinstance(condition, And):
        return _equality_on(condition.left, name) or _equality_on(condition.right, name)
    if (isinstance(condition, Compare) and condition.op == "=" and isinstance(condition.left, Path)
            and condition.left.elements == (name,) and isinstance(condition.right, Value)
            and next(iter(condition.right.value)) in ("S", "N", "B")):
        return condition.right.value
    return None
