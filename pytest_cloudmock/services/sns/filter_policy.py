"""SNS subscription filter policies: AWS's validation and matching.

The language: exact strings, numbers, booleans and null; `prefix`, `suffix`,
`equals-ignore-case`; `anything-but` (a value, a list, or a `prefix` /
`suffix` / `equals-ignore-case` pattern); `numeric` comparisons and ranges;
`exists`; `cidr`; `$or`; and nested keys (`FilterPolicyScope: MessageBody`
only). Keys are ANDed, the values of one key ORed; an array value (a
`String.Array` attribute or a JSON array in the body) matches when any element
does.
"""

from __future__ import annotations

import ipaddress
import json
import math
from typing import Any

ATTRIBUTES = "MessageAttributes"
BODY = "MessageBody"
SCOPES = (ATTRIBUTES, BODY)
MAX_KEYS = 5
MAX_COMBINATIONS = 150
NUMERIC_SCALE = 10**5
_NUMERIC_OPS = ("<", "<=", "=", ">", ">=")
_ABSENT = object()


class FilterPolicyError(ValueError):
    """A policy AWS rejects; `reason` is AWS's text after its `FilterPolicy:` prefix.

    `bare` errors are reported by AWS without the `FilterPolicy:` prefix.
    """

    def __init__(self, reason: str, bare: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.bare = bare


# -- validation ------------------------------------------------------------------------------
def parse(text: str, scope: str = ATTRIBUTES) -> dict[str, Any]:
    """The policy in `text`, validated for `scope`; raises `FilterPolicyError`."""
    try:
        policy = json.loads(text)
    except ValueError:
        raise FilterPolicyError("failed to parse JSON.") from None
    if not isinstance(policy, dict):
        raise FilterPolicyError("Filter policy must be a JSON object")
    nested = _check_structure(policy)
    if nested and scope == ATTRIBUTES:
        raise FilterPolicyError(
            "Filter policy scope MessageAttributes does not support nested filter policy", bare=True
        )
    if len(policy) > MAX_KEYS:
        raise FilterPolicyError(f"Filter policy can not have more than {MAX_KEYS} keys")
    if _combinations(policy) > MAX_COMBINATIONS:
        raise FilterPolicyError("Filter policy is too complex")
    return policy


def _check_structure(policy: dict[str, Any]) -> bool:
    """Check every key and condition; True if the policy nests keys."""
    nested = False
    for key, value in policy.items():
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise FilterPolicyError("Or relationship must have at least 2 elements that are objects")
            nested = any([_check_structure(branch) for branch in value]) or nested
        elif isinstance(value, dict):
            _check_structure(value)
            nested = True
        elif isinstance(value, list):
            for condition in value:
                _check_condition(condition)
        else:
            raise FilterPolicyError(f'"{key}" must be an object or an array')
    return nested


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_condition(condition: Any) -> None:
    if condition is None or isinstance(condition, (str, bool)) or _is_number(condition):
        return
    if not isinstance(condition, dict):
        raise FilterPolicyError("Match value must be String, number, true, false, or null")
    if len(condition) != 1:
        raise FilterPolicyError(
            "Only one key allowed in match expression" if condition else "Empty objects are not allowed"
        )
    (op, value), = condition.items()
    if op in ("prefix", "suffix", "equals-ignore-case"):
        if not isinstance(value, str):
            raise FilterPolicyError(f"{op} match pattern must be a string")
    elif op == "anything-but":
        _check_anything_but(value)
    elif op == "numeric":
        _check_numeric(value)
    elif op == "exists":
        if not isinstance(value, bool):
            raise FilterPolicyError("exists match pattern must be either true or false.")
    elif op == "cidr":
        try:
            ipaddress.ip_network(value, strict=False)
        except (TypeError, ValueError):
            raise FilterPolicyError("Malformed CIDR, one '/' required") from None
    else:
        raise FilterPolicyError(f"Unrecognized match type {op}")


def _check_anything_but(value: Any) -> None:
    if isinstance(value, str) or _is_number(value):
        return
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) or _is_number(v) for v in value):
            raise FilterPolicyError("Inside anything but list, start|null|boolean is not supported.")
        return
    if isinstance(value, dict):
        if len(value) != 1:
            raise FilterPolicyError("Only one key allowed in match expression")
        (op, inner), = value.items()
        if op not in ("prefix", "suffix", "equals-ignore-case"):
            raise FilterPolicyError(f"Unsupported anything-but pattern: {op}")
        if not isinstance(inner, str):
            raise FilterPolicyError(f"{op} match pattern must be a string")
        return
    raise FilterPolicyError("Value of anything-but must be an array or single string/number value.")


def _op_name(op: str) -> str:
    return "equals" if op == "=" else op


def _check_numeric(terms: Any) -> None:
    if not isinstance(terms, list) or not terms:
        raise FilterPolicyError("Invalid member in numeric match: ]")
    op = terms[0]
    if not isinstance(op, str):
        raise FilterPolicyError(f"Invalid member in numeric match: {_text(op)}")
    if op not in _NUMERIC_OPS:
        raise FilterPolicyError(f"Unrecognized numeric range operator: {op}")
    if len(terms) < 2 or not _is_number(terms[1]):
        raise FilterPolicyError(f"Value of {_op_name(op)} must be numeric")
    if len(terms) == 2:
        return
    if op not in (">", ">="):
        raise FilterPolicyError("Too many elements in numeric expression")
    upper = terms[2]
    if not isinstance(upper, str):
        raise FilterPolicyError(f"Bad value in numeric range: {_text(upper)}")
    if upper not in ("<", "<="):
        raise FilterPolicyError(f"Bad numeric range operator: {upper}")
    if len(terms) < 4 or not _is_number(terms[3]):
        raise FilterPolicyError(f"Value of {upper} must be numeric")
    if terms[3] <= terms[1]:
        raise FilterPolicyError("Bottom must be less than top")
    if len(terms) > 4:
        raise FilterPolicyError("Too many terms in numeric range expression")


def _text(value: Any) -> str:
    return json.dumps(value) if not isinstance(value, str) else value


def _combinations(policy: dict[str, Any]) -> int:
    """AWS's complexity: the product of the value counts, summed over `$or` branches."""
    total = 1
    for key, value in policy.items():
        if key == "$or":
            total *= sum(_combinations(branch) for branch in value)
        elif isinstance(value, dict):
            total *= _combinations(value)
        else:
            total *= max(1, len(value))
    return total


# -- matching -----------------------------------------------------------------------------------
def attribute_values(attributes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Publish message attributes as the values a policy sees (binary ones are invisible)."""
    values: dict[str, Any] = {}
    for name, attr in attributes.items():
        data_type = attr.get("DataType", "")
        text = attr.get("StringValue")
        if data_type.startswith("Binary") or text is None:
            continue
        if data_type.startswith("Number"):
            try:
                values[name] = float(text)
            except ValueError:
                continue
        elif data_type == "String.Array":
            try:
                values[name] = json.loads(text)
            except ValueError:
                continue
        else:
            values[name] = text
    return values


class PolicyInput:
    """A published message as filter policies read it: its attribute values and each parsed body,
    worked out on first use and shared by every subscription of one fan-out."""

    def __init__(self, attributes: dict[str, dict[str, Any]]) -> None:
        self.attributes = attributes
        self._values: dict[str, Any] | None = None
        self._documents: dict[str, dict[str, Any] | None] = {}

    def values(self) -> dict[str, Any]:
        if self._values is None:
            self._values = attribute_values(self.attributes)
        return self._values

    def document(self, body: str) -> dict[str, Any] | None:
        """The body as a JSON object; None if it is not one (or nests deeper than the parser goes)."""
        if body not in self._documents:
            try:
                parsed = json.loads(body)
            except (ValueError, RecursionError):
                parsed = None
            self._documents[body] = parsed if isinstance(parsed, dict) else None
        return self._documents[body]


def matches(policy: dict[str, Any], scope: str, message: PolicyInput, body: str) -> bool:
    """Whether a message (its attributes, or its body for `scope` MessageBody) passes the policy."""
    if scope == BODY:
        document = message.document(body)
        return document is not None and _matches_object(policy, document)
    return _matches_object(policy, message.values())


def _matches_object(policy: dict[str, Any], document: Any) -> bool:
    for key, rule in policy.items():
        if key == "$or":
            if not any(_matches_object(branch, document) for branch in rule):
                return False
            continue
        values = _values_at(document, key)
        if isinstance(rule, dict):
            if not any(_matches_object(rule, v) for v in values if isinstance(v, dict)):
                return False
        elif not _matches_rule(rule, values):
            return False
    return True


def _values_at(document: Any, key: str) -> list[Any]:
    """The values under `key`, looking into arrays of objects and flattening arrays."""
    found: list[Any] = []
    for item in document if isinstance(document, list) else [document]:
        if isinstance(item, dict) and key in item:
            value = item[key]
            found.extend(value if isinstance(value, list) else [value])
    return found


def _matches_rule(conditions: list[Any], values: list[Any]) -> bool:
    leaves = [v for v in values if not isinstance(v, (dict, list))]
    for condition in conditions:
        if isinstance(condition, dict) and "exists" in condition:
            if bool(leaves) == condition["exists"]:
                return True
        elif any(_matches_value(condition, v) for v in leaves):
            return True
    return False


def _fixed(number: Any) -> int:
    """A number as SNS compares it: fixed point, five digits after the decimal point (AWS's
    documented accuracy for numeric matching), so 1.000001 equals 1."""
    return round(float(number) * NUMERIC_SCALE)


def _same(expected: Any, value: Any) -> bool:
    """Exact match, type-aware (a string never equals a number, nor a bool a number)."""
    if _is_number(expected):
        return _is_number(value) and _fixed(value) == _fixed(expected)
    if isinstance(expected, bool) or expected is None:
        return value is expected
    return isinstance(value, str) and value == expected


def _matches_value(condition: Any, value: Any) -> bool:
    if not isinstance(condition, dict):
        return _same(condition, value)
    (op, arg), = condition.items()
    if op == "prefix":
        return isinstance(value, str) and value.startswith(arg)
    if op == "suffix":
        return isinstance(value, str) and value.endswith(arg)
    if op == "equals-ignore-case":
        return isinstance(value, str) and value.casefold() == arg.casefold()
    if op == "anything-but":
        if isinstance(arg, dict):
            return isinstance(value, str) and not _matches_value(arg, value)
        excluded = arg if isinstance(arg, list) else [arg]
        return not any(_same(e, value) for e in excluded)
    if op == "numeric":
        return _is_number(value) and _in_range(arg, _fixed(value))
    if op == "cidr":
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(arg, strict=False)
        except (TypeError, ValueError):
            return False
    return False


def _in_range(terms: list[Any], value: int) -> bool:
    for op, number in zip(terms[::2], terms[1::2], strict=True):
        bound = _fixed(number)
        ok = {
            "<": value < bound, "<=": value <= bound, "=": value == bound,
            ">": value > bound, ">=": value >= bound,
        }[op]
        if not ok:
            return False
    return True
