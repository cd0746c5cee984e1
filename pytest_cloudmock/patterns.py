"""EventBridge event patterns: validation and matching, shared by Lambda's FilterCriteria
(and EventBridge rules when that service lands).

A pattern is a JSON object whose leaves are arrays of conditions: exact values
(strings, numbers, booleans, null), `prefix`, `suffix`, `equals-ignore-case`,
`anything-but`, `numeric`, `exists`, `cidr`, `wildcard`; `$or` combines
sub-patterns. Keys are ANDed, a leaf's conditions ORed; an array in the event
matches when any element does. The per-value operators are SNS's filter-policy
ones (`services/sns/filter_policy.py`), reused here; `wildcard` is EventBridge's own.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from .services.sns.filter_policy import _matches_value as _sns_value


class PatternError(ValueError):
    """A pattern EventBridge (or Lambda's FilterCriteria) rejects."""


def parse(text: str) -> dict[str, Any]:
    """The pattern in `text`, checked for structure; raises `PatternError`."""
    try:
        pattern = json.loads(text)
    except ValueError:
        raise PatternError("Event pattern is not valid JSON") from None
    if not isinstance(pattern, dict):
        raise PatternError("Event pattern must be a JSON object")
    _check(pattern)
    return pattern


def _check(node: dict[str, Any]) -> None:
    for key, value in node.items():
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                raise PatternError("$or must be an array of at least two patterns")
            for branch in value:
                _check(branch)
        elif isinstance(value, dict):
            _check(value)
        elif not isinstance(value, list):
            raise PatternError(f"Match value for {key} must be an array or an object")


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


def _matches_leaf(conditions: list[Any], value: Any, present: bool) -> bool:
    values = value if isinstance(value, list) else [value]
    leaves = [v for v in values if not isinstance(v, (dict, list))] if present else []
    for condition in conditions:
        if isinstance(condition, dict) and "exists" in condition:
            if (present and bool(leaves)) == bool(condition["exists"]):
                return True
        elif isinstance(condition, dict) and "wildcard" in condition:
            if any(isinstance(v, str) and _wildcard(condition["wildcard"]).fullmatch(v) for v in leaves):
                return True
        elif any(_sns_value(condition, v) for v in leaves):
            return True
    return False


@lru_cache(maxsize=256)
def _wildcard(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)
