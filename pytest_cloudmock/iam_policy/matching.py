"""Wildcard matching as IAM does it: `*` and `?` in actions (case-insensitive), in
resource ARNs (case-sensitive, each of the first five ARN segments on its own),
and in `StringLike` / `ArnLike` values. Patterns compile once and are cached."""

from __future__ import annotations

import re
from functools import lru_cache

_LITERAL = "\x00"  # marks a character a policy variable made literal (`${*}`), see variables.py


@lru_cache(maxsize=8192)
def glob_regex(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """A compiled regex for a glob with `*` and `?` (a char after `\\x00` is literal)."""
    out: list[str] = []
    literal = False
    for char in pattern:
        if literal:
            out.append(re.escape(char))
            literal = False
        elif char == _LITERAL:
            literal = True
        elif char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    if pattern == "*":
        return True
    if "*" not in pattern and "?" not in pattern and _LITERAL not in pattern:
        return pattern.lower() == value.lower() if ignore_case else pattern == value
    return glob_regex(pattern, ignore_case).fullmatch(value) is not None


def arn_match(pattern: str, arn: str) -> bool:
    """`ArnLike` matching: the six colon-separated parts each on their own, the last one
    (the resource, which may hold colons) as the rest of the string."""
    if pattern == "*":
        return True
    want = pattern.split(":", 5)
    have = arn.split(":", 5)
    if len(want) != 6:
        return glob_match(pattern, arn)
    if len(have) != 6:
        return False
    return all(glob_match(w, h) for w, h in zip(want, have, strict=True))


def resource_match(pattern: str, resource: str) -> bool:
    """A `Resource` entry against a resource ARN (`*` matches everything)."""
    if pattern == "*":
        return True
    if resource == "*":  # an operation on no resource matches only the `*` resource
        return False
    return arn_match(pattern, resource)
