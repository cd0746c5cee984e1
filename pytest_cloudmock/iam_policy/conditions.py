"""Every IAM condition operator, with `...IfExists` and the `ForAllValues:` /
`ForAnyValue:` set qualifiers (IAM User Guide, "IAM JSON policy elements: Condition
operators" and "Multivalued context keys").

Within one operator every key must match (AND); for one key, any of the policy's values
may match (OR); a negated operator (`StringNotEquals`, `NotIpAddress`, ...) matches when the
request's value equals none of them. A key missing from the request context makes a
positive operator false and a negated one true; `...IfExists` makes either true;
`Null` tests the absence itself. `ForAnyValue:` over no values is false,
`ForAllValues:` over no values is true.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from .matching import arn_match, glob_match
from .variables import has_variables, substitute

Lookup = Callable[[str], "list[str] | None"]
Test = Callable[[str, str], bool]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=4096)
def _date(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 date/time or of an epoch number."""
    number = _number(text)
    if number is not None:
        return number
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def _compare_numbers(op: Callable[[float, float], bool], parse: Callable[[str], float | None]) -> Test:
    def test(value: str, wanted: str) -> bool:
        a, b = parse(value), parse(wanted)
        return a is not None and b is not None and op(a, b)
    return test


@lru_cache(maxsize=1024)
def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _ip_in(value: str, wanted: str) -> bool:
    network = _network(wanted)
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return False
    return network is not None and address.version == network.version and address in network


def _binary_equals(value: str, wanted: str) -> bool:
    try:
        return base64.b64decode(value, validate=True) == base64.b64decode(wanted, validate=True)
    except (binascii.Error, ValueError):
        return value == wanted


def _bool(value: str, wanted: str) -> bool:
    return str(value).lower() == str(wanted).lower()


# name -> (test of one request value against one policy value, negated, values are patterns)
_BASE: dict[str, tuple[Test, bool, bool]] = {
    "StringEquals": (lambda v, w: v == w, False, False),
    "StringNotEquals": (lambda v, w: v == w, True, False),
    "StringEqualsIgnoreCase": (lambda v, w: v.lower() == w.lower(), False, False),
    "StringNotEqualsIgnoreCase": (lambda v, w: v.lower() == w.lower(), True, False),
    "StringLike": (lambda v, w: glob_match(w, v), False, True),
    "StringNotLike": (lambda v, w: glob_match(w, v), True, True),
    "NumericEquals": (_compare_numbers(lambda a, b: a == b, _number), False, False),
    "NumericNotEquals": (_compare_numbers(lambda a, b: a == b, _number), True, False),
    "NumericLessThan": (_compare_numbers(lambda a, b: a < b, _number), False, False),
    "NumericLessThanEquals": (_compare_numbers(lambda a, b: a <= b, _number), False, False),
    "NumericGreaterThan": (_compare_numbers(lambda a, b: a > b, _number), False, False),
    "NumericGreaterThanEquals": (_compare_numbers(lambda a, b: a >= b, _number), False, False),
    "DateEquals": (_compare_numbers(lambda a, b: a == b, _date), False, False),
    "DateNotEquals": (_compare_numbers(lambda a, b: a == b, _date), True, False),
    "DateLessThan": (_compare_numbers(lambda a, b: a < b, _date), False, False),
    "DateLessThanEquals": (_compare_numbers(lambda a, b: a <= b, _date), False, False),
    "DateGreaterThan": (_compare_numbers(lambda a, b: a > b, _date), False, False),
    "DateGreaterThanEquals": (_compare_numbers(lambda a, b: a >= b, _date), False, False),
    "Bool": (_bool, False, False),
    "BinaryEquals": (_binary_equals, False, False),
    "IpAddress": (_ip_in, False, False),
    "NotIpAddress": (_ip_in, True, False),
    "ArnEquals": (lambda v, w: arn_match(w, v), False, True),
    "ArnLike": (lambda v, w: arn_match(w, v), False, True),
    "ArnNotEquals": (lambda v, w: arn_match(w, v), True, True),
    "ArnNotLike": (lambda v, w: arn_match(w, v), True, True),
}
# operators whose values may hold policy variables
_VARIABLE_OPERATORS = {name for name in _BASE if name.startswith(("String", "Arn"))}
OPERATORS = frozenset(_BASE) | {"Null"}


class UnknownOperator(ValueError):
    """A condition operator IAM does not have."""


def split_operator(name: str) -> tuple[str, str, bool]:
    """(`ForAllValues`/`ForAnyValue`/"", base operator, if-exists) of an operator name."""
    qualifier = ""
    if ":" in name:
        qualifier, _, name = name.partition(":")
        if qualifier not in ("ForAllValues", "ForAnyValue"):
            raise UnknownOperator(qualifier)
    if_exists = name.endswith("IfExists") and name != "IfExists"
    base = name[: -len("IfExists")] if if_exists else name
    if base not in OPERATORS or (base == "Null" and if_exists):
        raise UnknownOperator(name)
    return qualifier, base, if_exists


def _as_strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(("true" if v else "false") if isinstance(v, bool) else str(v) for v in items)


@dataclass(frozen=True)
class Condition:
    """One `operator: {key: values}` entry, parsed once (policy.py keeps them per statement)."""

    key: str
    qualifier: str  # ForAllValues, ForAnyValue or ""
    base: str  # the operator without qualifier and IfExists
    if_exists: bool
    wanted: tuple[str, ...]
    variables: bool  # a value holds a policy variable (String* and Arn* operators only)


def compile_conditions(conditions: dict[str, dict[str, Any]]) -> tuple[Condition, ...] | None:
    """The entries of a `Condition` block; None when an operator is not IAM's (never holds)."""
    found = []
    for operator, entries in conditions.items():
        try:
            qualifier, base, if_exists = split_operator(operator)
        except UnknownOperator:  # IAM refuses these when a policy is saved; here: no match
            return None
        for key, values in entries.items():
            wanted = _as_strings(values)
            variables = base in _VARIABLE_OPERATORS and any(has_variables(w) for w in wanted)
            found.append(Condition(key, qualifier, base, if_exists, wanted, variables))
    return tuple(found)


def holds(condition: Condition, lookup: Lookup) -> bool:
    """Whether one condition entry holds for the request context."""
    present = lookup(condition.key)
    base, qualifier = condition.base, condition.qualifier
    if base == "Null":
        absent = not present
        return any((w.lower() == "true") == absent for w in condition.wanted)
    if not present:
        if qualifier == "ForAllValues" or condition.if_exists:
            return True
        if qualifier == "ForAnyValue":
            return False
        return _BASE[base][1]  # negated operators hold for a missing key
    test, negated, patterns = _BASE[base]
    wanted = condition.wanted
    if condition.variables:
        wanted = tuple(w for w in (substitute(w, lookup, patterns) for w in wanted) if w is not None)
    hits = [any(test(value, w) for w in wanted) for value in present]
    if negated:
        hits = [not hit for hit in hits]
    if qualifier == "ForAllValues" or (negated and not qualifier):
        return all(hits)
    return any(hits)


def conditions_hold(conditions: tuple[Condition, ...] | None, lookup: Lookup) -> bool:
    """A statement's whole `Condition` block (every operator, every key)."""
    if conditions is None:
        return False
    for condition in conditions:  # noqa: SIM110 - a loop, not all(genexpr): this runs on every request
        if not holds(condition, lookup):
            return False
    return True
