"""ListUsers' `Filter`: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix)."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import errors
from .state import User

_FILTER = re.compile(r'^\s*"?([A-Za-z_:]+)"?\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$')
#: The attributes AWS lets ListUsers search on.
SEARCHABLE = frozenset({"username", "email", "phone_number", "name", "given_name", "family_name",
                        "preferred_username", "cognito:user_status", "status", "sub"})


def _value(user: User, attribute: str) -> str:
    if attribute == "username":
        return user.username
    if attribute == "cognito:user_status":
        return user.status
    if attribute == "status":
        return "Enabled" if user.enabled else "Disabled"
    if attribute == "sub":
        return user.sub
    return user.attributes.get(attribute, "")


def parse(text: str) -> Callable[[User], bool]:
    """The predicate a filter string means (InvalidParameterException when it means nothing)."""
    if not text.strip():
        return lambda _user: True
    match = _FILTER.match(text)
    if match is None:
        raise errors.invalid_parameter("Error while parsing filter.")
    attribute, operator, wanted = match[1], match[2], re.sub(r"\\(.)", r"\1", match[3])
    if attribute not in SEARCHABLE:
        # AWS's exact text for an attribute it cannot search on is not documented
        raise errors.invalid_parameter(f"Invalid search attribute: {attribute}")
    fold = (lambda text: text.lower()) if attribute == "cognito:user_status" else (lambda text: text)
    wanted = fold(wanted)  # AWS: `cognito:user_status` matches case-insensitively, the others as given
    if operator == "=":
        return lambda user: fold(_value(user, attribute)) == wanted
    return lambda user: fold(_value(user, attribute)).startswith(wanted)
