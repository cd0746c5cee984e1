"""Choice rules (JSONPath mode): every comparison operator and its `...Path` form,
`And`/`Or`/`Not`, `IsPresent`, `IsNull` and the type tests, `StringMatches`."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from .errors import StatesError
from .paths import select

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq, "LessThan": operator.lt, "GreaterThan": operator.gt,
    "LessThanEquals": operator.le, "GreaterThanEquals": operator.ge,
}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_timestamp(value: Any) -> datetime | None:
    """An RFC 3339 timestamp (uppercase T, Z or an offset), else None."""
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _kind_ok(kind: str, value: Any) -> Any:
    """The comparable form of `value` for a comparison family, or None when of the wrong type."""
    if kind == "String":
        return value if isinstance(value, str) else None
    if kind == "Numeric":
        return value if _is_number(value) else None
    if kind == "Boolean":
        return value if isinstance(value, bool) else None
    return parse_timestamp(value)


def string_matches(value: str, pattern: str) -> bool:
    """`*` matches any run of characters; `\\*` and `\\\\` are literal."""
    regex, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            regex.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        regex.append(".*" if c == "*" else re.escape(c))
        i += 1
    return re.fullmatch("".join(regex), value, re.DOTALL) is not None


COMPARATORS = (
    [f"{kind}{op}" for kind in ("String", "Numeric", "Timestamp") for op in _ORDER]
    + ["BooleanEquals", "StringMatches"]
)
ALL_OPERATORS = frozenset(
    COMPARATORS + [f"{name}Path" for name in COMPARATORS if name != "StringMatches"]
    + ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]
)


def evaluate(rule: dict[str, Any], data: Any, context: Any, variables: dict[str, Any] | None = None) -> bool:
    """Whether a Choice rule (or nested rule) holds for the state's input."""
    if "And" in rule:
        return all(evaluate(sub, data, context, variables) for sub in rule["And"])
    if "Or" in rule:
        return any(evaluate(sub, data, context, variables) for sub in rule["Or"])
    if "Not" in rule:
        return not evaluate(rule["Not"], data, context, variables)
    name = next((key for key in rule if key in ALL_OPERATORS), None)
    if name is None:
        raise StatesError("States.Runtime", "A Choice rule has no comparison operator")
    variable = rule.get("Variable", "$")
    expected = rule[name]
    if name == "IsPresent":
        try:
            select(variable, data, context, variables)
            present = True
        except StatesError:
            present = False
        return present is expected
    value = select(variable, data, context, variables, field="Variable")
    if name.startswith("Is"):
        test = {
            "IsNull": value is None, "IsNumeric": _is_number(value), "IsString": isinstance(value, str),
            "IsBoolean": isinstance(value, bool), "IsTimestamp": parse_timestamp(value) is not None,
        }[name]
        return test is expected
    if name.endswith("Path"):
        name = name[:-4]
        expected = select(expected, data, context, variables, field=f"{name}Path")
    if name == "StringMatches":
        return isinstance(value, str) and isinstance(expected, str) and string_matches(value, expected)
    kind = next(k for k in ("String", "Numeric", "Boolean", "Timestamp") if name.startswith(k))
    left, right = _kind_ok(kind, value), _kind_ok(kind, expected)
    if left is None or right is None:
        return False
    return _ORDER[name[len(kind):]](left, right)
