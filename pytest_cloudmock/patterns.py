"""EventBridge event patterns: validation and matching, shared by EventBridge rules,
archives, `TestEventPattern` and Lambda's FilterCriteria.

A pattern is a JSON object whose leaves are arrays of conditions: exact values
(strings, numbers, booleans, null), `prefix`, `suffix` (each optionally
`{"equals-ignore-case": ...}`), `equals-ignore-case`, `anything-but` (a value, a
list, or `prefix` / `suffix` / `equals-ignore-case` / `wildcard`, each a string or a
list), `numeric`, `exists`, `cidr` (IPv4 and IPv6), `wildcard`; `$or` combines
sub-patterns. Keys are ANDed, a leaf's conditions ORed; an array in the event
matches when any element does; a key mapping to an object matches nested objects.

The numeric, cidr and exact-value rules are SNS's filter-policy ones
(`services/sns/filter_policy.py`), reused here; the reasons in `PatternError` are
the texts of the event-ruler library AWS runs behind both.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from .services.sns.filter_policy import FilterPolicyError, _check_numeric, _is_number, _same
from .services.sns.filter_policy import _matches_value as _sns_value

_STRING_OPS = ("prefix", "suffix", "equals-ignore-case")
_ANYTHING_BUT_OPS = (*_STRING_OPS, "wildcard")


class PatternError(ValueError):
    """A pattern EventBridge (or Lambda's FilterCriteria) rejects; `reason` is event-ruler's text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(text: str) -> dict[str, Any]:
    """The pattern in `text`, checked for structure and operators; raises `PatternError`."""
    try:
        pattern = json.loads(text)
    except ValueError:
        raise PatternError("Event pattern is not valid JSON") from None
    if not isinstance(pattern, dict):
        raise PatternError("Event pattern must be a JSON object")
    try:
        _check(pattern)
    except FilterPolicyError as exc:
        raise PatternError(exc.reason) from None
    return pattern


# -- validation --------------------------------------------------------------------------------
def _check(node: dict[str, Any]) -> None:
    for key, value in node.items():
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise PatternError("Or relationship must have at least 2 elements that are objects")
            for branch in value:
                _check(branch)
        elif isinstance(value, dict):
            _check(value)
        elif isinstance(value, list):
            if not value:
                # event-ruler's wording for an empty match list is not documented by AWS
                raise PatternError(f"Empty arrays are not allowed: \"{key}\"")
            for condition in value:
                _check_condition(condition)
        else:
            raise PatternError(f'"{key}" must be an object or an array')


def _check_condition(condition: Any) -> None:
    if condition is None or isinstance(condition, (str, bool)) or _is_number(condition):
        return
    if not isinstance(condition, dict):
        raise PatternError("Match value must be String, number, true, false, or null")
    if len(condition) != 1:
        raise PatternError("Only one key allowed in match expression" if condition else "Empty objects are not allowed")
    (op, value), = condition.items()
    if op in ("prefix", "suffix"):
        if isinstance(value, dict) and list(value) == ["equals-ignore-case"]:
            value = value["equals-ignore-case"]
        if not isinstance(value, str):
            raise PatternError(f"{op} match pattern must be a string")
    elif op == "equals-ignore-case":
        if not isinstance(value, str):
            raise PatternError("equals-ignore-case match pattern must be a string")
    elif op == "wildcard":
        _check_wildcard(value)
    elif op == "anything-but":
        _check_anything_but(value)
    elif op == "numeric":
        _check_numeric(value)
    elif op == "exists":
        if not isinstance(value, bool):
            raise PatternError("exists match pattern must be either true or false.")
    elif op == "cidr":
        _check_cidr(value)
    else:
        raise PatternError(f"Unrecognized match type {op}")


def _check_cidr(value: Any) -> None:
    import ipaddress

    if not isinstance(value, str) or value.count("/") != 1:
        raise PatternError("Malformed CIDR, one '/' required")
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise PatternError(f"Nonstandard IP address: {value.split('/')[0]}") from None


def _check_wildcard(value: Any) -> None:
    if not isinstance(value, str):
        raise PatternError("wildcard match pattern must be a string")
    position = value.find("**")
    if position >= 0:
        raise PatternError(f"Consecutive wildcard characters at pos {position + 1}")


def _check_anything_but(value: Any) -> None:
    if isinstance(value, str) or _is_number(value):
        return
    if isinstance(value, list):
        if not value or not (all(isinstance(v, str) for v in value) or all(_is_number(v) for v in value)):
            raise PatternError("Inside anything but list, start|null|boolean is not supported.")
        return
    if isinstance(value, dict):
        if len(value) != 1:
            raise PatternError("Only one key allowed in match expression")
        (op, inner), = value.items()
        if op not in _ANYTHING_BUT_OPS:
            raise PatternError(f"Unsupported anything-but pattern: {op}")
        for item in inner if isinstance(inner, list) and inner else [inner]:
            if op == "wildcard":
                _check_wildcard(item)
            elif not isinstance(item, str):
                raise PatternError(f"{op} match pattern must be a string")
        return
    raise PatternError("Value of anything-but must be an array or single string/number value.")


# -- matching ----------------------------------------------------------------------------------
def matches(pattern: dict[str, Any], event: Any) -> bool:
    """Whether `event` (a decoded JSON document) matches `pattern`."""
    if not isinstance(event, dict):
        return False
    for key, rule in pattern.items():
        if key == "$or":
            if not any(matches(branch, event) for branch in rule):
                return False
            continue
        present = key in event
        value = event.get(key)
        if isinstance(rule, dict):
            items = value if isinstance(value, list) else [value]
            if not any(matches(rule, v) for v in items if isinstance(v, dict)):
                return False
        elif not _matches_leaf(rule, value, present):
            return False
    return True


def _flatten(value: Any) -> list[Any]:
    if not isinstance(value, list):
        return [value]
    return [leaf for item in value for leaf in _flatten(item)]


def _matches_leaf(conditions: list[Any], value: Any, present: bool) -> bool:
    leaves = [v for v in _flatten(value) if not isinstance(v, dict)] if present else []
    for condition in conditions:
        if isinstance(condition, dict) and "exists" in condition:
            if bool(leaves) == bool(condition["exists"]):
                return True
        elif any(_matches_value(condition, v) for v in leaves):
            return True
    return False


def _matches_value(condition: Any, value: Any) -> bool:
    if not isinstance(condition, dict):
        return _same(condition, value)
    (op, arg), = condition.items()
    if op == "wildcard":
        return isinstance(value, str) and _wildcard(arg).fullmatch(value) is not None
    if op in ("prefix", "suffix") and isinstance(arg, dict):
        if not isinstance(value, str):
            return False
        text, wanted = value.casefold(), arg["equals-ignore-case"].casefold()
        return text.startswith(wanted) if op == "prefix" else text.endswith(wanted)
    if op == "anything-but" and isinstance(arg, dict):
        (inner_op, inner), = arg.items()
        if not isinstance(value, str):
            return False
        excluded = inner if isinstance(inner, list) else [inner]
        return not any(_matches_value({inner_op: item}, value) for item in excluded)
    if op == "anything-but" and isinstance(arg, list):
        return not any(_same(item, value) for item in arg)
    return _sns_value(condition, value)


@lru_cache(maxsize=256)
def _wildcard(text: str) -> re.Pattern[str]:
    """`*` is any run of characters; `\\*` a literal star (event-ruler's escape)."""
    parts = re.split(r"(?<!\\)\*", text)
    return re.compile(".*".join(re.escape(part.replace("\\*", "*")) for part in parts), re.DOTALL)
