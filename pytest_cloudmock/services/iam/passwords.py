"""Account password policy checks (what `CreateLoginProfile`, `UpdateLoginProfile` and
`ChangePassword` apply) and the hash a login profile keeps of its password."""

from __future__ import annotations

import hashlib
import string
from typing import Any

from ...api import AWSError

DEFAULT_POLICY: dict[str, Any] = {
    "MinimumPasswordLength": 6, "RequireSymbols": False, "RequireNumbers": False,
    "RequireUppercaseCharacters": False, "RequireLowercaseCharacters": False,
    "AllowUsersToChangePassword": False, "HardExpiry": False,
}
SYMBOLS = set("!@#$%^&*()_+-=[]{}|'")


def policy_from(params: dict[str, Any]) -> dict[str, Any]:
    """The `PasswordPolicy` output shape for an `UpdateAccountPasswordPolicy` request."""
    policy = {**DEFAULT_POLICY, **{k: v for k, v in params.items() if k in DEFAULT_POLICY}}
    max_age = params.get("MaxPasswordAge", 0)
    policy["ExpirePasswords"] = max_age > 0
    if max_age:
        policy["MaxPasswordAge"] = max_age
    if params.get("PasswordReusePrevention"):
        policy["PasswordReusePrevention"] = params["PasswordReusePrevention"]
    return policy


def check_password(policy: dict[str, Any] | None, password: str) -> None:
    """`PasswordPolicyViolation` when `password` breaks the account's policy."""
    if policy is None:
        return
    rules = [
        len(password) >= policy["MinimumPasswordLength"],
        not policy["RequireSymbols"] or any(c in SYMBOLS for c in password),
        not policy["RequireNumbers"] or any(c in string.digits for c in password),
        not policy["RequireUppercaseCharacters"] or any(c in string.ascii_uppercase for c in password),
        not policy["RequireLowercaseCharacters"] or any(c in string.ascii_lowercase for c in password),
    ]
    if not all(rules):
        raise AWSError("PasswordPolicyViolation", "Password does not conform to the account password policy.", 400)


def password_hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()
