"""The legacy (pre-expression) parameters, turned into the same trees expressions parse to.

`Expected`, `KeyConditions`, `QueryFilter`, `ScanFilter` (with `ConditionalOperator`),
`AttributesToGet` and `AttributeUpdates`.
"""

from __future__ import annotations

from typing import Any

from . import errors
from .expressions.nodes import (
    And,
    Between,
    Compare,
    Func,
    In,
    Not,
    Or,
    Path,
    Update,
    UpdateAction,
    Value,
)
from .values import validate_value

_COMPARATORS = {"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}
_ARGUMENTS = {"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "NOT_NULL": 0, "NULL": 0,
              "CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1, "BETWEEN": 2}


def check_not_mixed(params: dict[str, Any], legacy: tuple[str, ...], modern: tuple[str, ...]) -> None:
    """AWS refuses expression and non-expression parameters in one request."""
    for key in legacy:  # the usual request has no legacy parameter: done without building lists
        if params.get(key) is not None:
            break
    else:
        return
    old = [k for k in legacy if params.get(k) is not None]
    new = [k for k in modern if params.get(k) is not None]
    if old and new:
        raise errors.validation(
            "Can not use both expression and non-expression parameters in the same request: "
            f"Non-expression parameters: {{{', '.join(old)}}} Expression parameters: {{{', '.join(new)}}}")


def _value(raw: Any) -> Value:
    return Value(validate_value(raw), ":legacy")


def condition(name: str, spec: dict[str, Any]) -> Any:
    """One `{ComparisonOperator, AttributeValueList}` condition on attribute `name`."""
    op = spec.get("ComparisonOperator")
    values = [_value(v) for v in spec.get("AttributeValueList") or []]
    path = Path((name,))
    if op == "IN":
        if not values:
            raise errors.invalid_parameters("Invalid number of argument(s) for the IN ComparisonOperator")
        return In(path, tuple(values))
    expected = _ARGUMENTS.get(op or "")
    if expected is None:
        raise errors.validation(f"1 validation error detected: Value '{op}' at 'comparisonOperator' failed to "
                                "satisfy constraint: Member must satisfy enum value set")
    if len(values) != expected:
        raise errors.invalid_parameters(f"Invalid number of argument(s) for the {op} ComparisonOperator")
    if op in _COMPARATORS:
        return Compare(_COMPARATORS[op], path, values[0])
    if op == "NOT_NULL":
        return Func("attribute_exists", (path,))
    if op == "NULL":
        return Func("attribute_not_exists", (path,))
    if op == "CONTAINS":
        return Func("contains", (path, values[0]))
    if op == "NOT_CONTAINS":
        return And(Func("attribute_exists", (path,)), Not(Func("contains", (path, values[0]))))
    if op == "BEGINS_WITH":
        return Func("begins_with", (path, values[0]))
    return Between(path, values[0], values[1])


def conditions(specs: dict[str, Any] | None, operator: str | None) -> Any:
    """A map of per-attribute conditions joined by `ConditionalOperator` (AND by default)."""
    if not specs:
        return None
    trees = [condition(name, spec) for name, spec in specs.items()]
    join = Or if operator == "OR" else And
    tree = trees[0]
    for other in trees[1:]:
        tree = join(tree, other)
    return tree


def expected(specs: dict[str, Any] | None, operator: str | None) -> Any:
    """`Expected`: `Value`/`Exists` forms as well as `ComparisonOperator` ones."""
    if not specs:
        return None
    trees = []
    for name, spec in specs.items():
        if spec.get("ComparisonOperator") is not None:
            trees.append(condition(name, spec))
            continue
        exists = spec.get("Exists", True)
        if "Value" in spec and spec["Value"] is not None:
            if exists is False:
                raise errors.validation("One or more parameter values were invalid: Value cannot be used when "
                                        "Exists is false for Attribute: " + name)
            trees.append(Compare("=", Path((name,)), _value(spec["Value"])))
        elif exists is False:
            trees.append(Func("attribute_not_exists", (Path((name,)),)))
        else:
            raise errors.validation("One or more parameter values were invalid: Value must be provided when "
                                    f"Exists is true for Attribute: {name}")
    join = Or if operator == "OR" else And
    tree = trees[0]
    for other in trees[1:]:
        tree = join(tree, other)
    return tree


def attributes_to_get(names: list[str] | None) -> list[Path] | None:
    if names is None:
        return None
    if len(set(names)) != len(names):
        raise errors.validation("One or more parameter values were invalid: Duplicate value in attribute name: "
                                + next(n for n in names if names.count(n) > 1))
    return [Path((name,)) for name in names]


def attribute_updates(specs: dict[str, Any] | None) -> Update | None:
    """`AttributeUpdates` as update actions (PUT -> SET, DELETE without value -> REMOVE)."""
    if specs is None:
        return None
    actions = []
    for name, spec in specs.items():
        action = spec.get("Action") or "PUT"
        path = Path((name,))
        value = _value(spec["Value"]) if spec.get("Value") is not None else None
        if action == "PUT":
            if value is None:
                raise errors.invalid_parameters(f"Only DELETE action is allowed when no attribute value is "
                                                f"specified: {name}")
            actions.append(UpdateAction("SET", path, value))
        elif action == "DELETE":
            actions.append(UpdateAction("DELETE", path, value) if value is not None else UpdateAction("REMOVE", path))
        else:
            if value is None:
                raise errors.invalid_parameters(f"Only DELETE action is allowed when no attribute value is "
                                                f"specified: {name}")
            actions.append(UpdateAction("ADD", path, value))
    return Update(actions)
