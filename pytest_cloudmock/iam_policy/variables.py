"""Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${s3:prefix}`,
`${key, 'default'}`, and the literals `${*}`, `${?}`, `${$}`.

A variable is replaced with the request context's value for that key. In a value that is
matched as a wildcard pattern (`Resource`, `StringLike`, `ArnLike`) the substituted text is
literal: a `*` in a user name matches only a `*`. A variable with no value and no default
makes the whole value unmatchable (None), as IAM does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .matching import _LITERAL

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")
_LITERALS = {"*": "*", "?": "?", "$": "$"}

Lookup = Callable[[str], "list[str] | None"]


def has_variables(text: str) -> bool:
    return "${" in text


def substitute(text: str, lookup: Lookup, pattern: bool) -> str | None:
    """`text` with its variables replaced (marked literal when `pattern`), or None."""
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        inner = match[1]
        if inner in _LITERALS:
            value = _LITERALS[inner]
        else:
            default = _DEFAULT.match(inner)
            key = default[1] if default else inner.strip()
            values = lookup(key)
            if values:
                value = values[0]
            elif default:
                value = default[2]
            else:
                missing = True
                return ""
        if not pattern:
            return value
        return "".join(_LITERAL + c for c in value)

    result = _VARIABLE.sub(replace, text)
    return None if missing else result
