"""A pool's password policy, checked with AWS's InvalidPasswordException messages, and
temporary passwords that satisfy it."""

from __future__ import annotations

import secrets
import string
from typing import Any

from . import errors
from .state import UserPool

SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "
DEFAULT_POLICY: dict[str, Any] = {
    "MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
    "RequireSymbols": True, "PasswordHistorySize": 0, "TemporaryPasswordValidityDays": 7,
}


def policy(pool: UserPool) -> dict[str, Any]:
    return {**DEFAULT_POLICY, **((pool.config.get("Policies") or {}).get("PasswordPolicy") or {})}


def check(pool: UserPool, password: str) -> None:
    """Raise InvalidPasswordException with AWS's reason for the first rule `password` breaks."""
    rules = policy(pool)
    if len(password) < int(rules["MinimumLength"]):
        raise errors.invalid_password("Password not long enough")
    if rules["RequireLowercase"] and not any(c.islower() for c in password):
        raise errors.invalid_password("Password must have lowercase characters")
    if rules["RequireUppercase"] and not any(c.isupper() for c in password):
        raise errors.invalid_password("Password must have uppercase characters")
    if rules["RequireNumbers"] and not any(c.isdigit() for c in password):
        raise errors.invalid_password("Password must have numeric characters")
    if rules["RequireSymbols"] and not any(c in SYMBOLS for c in password):
        raise errors.invalid_password("Password must have symbol characters")


def temporary(pool: UserPool) -> str:
    """A random temporary password meeting the pool's policy."""
    length = max(int(policy(pool)["MinimumLength"]), 12)
    core = [secrets.choice(string.ascii_uppercase), secrets.choice(string.ascii_lowercase),
            secrets.choice(string.digits), secrets.choice("!@#%&*")]
    rest = [secrets.choice(string.ascii_letters + string.digits) for _ in range(length - len(core))]
    return "".join(core + rest)
