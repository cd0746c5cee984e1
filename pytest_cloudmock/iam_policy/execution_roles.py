"""Lambda's own assumption of a function's execution role, checked against its trust policy.

AWS checks at `CreateFunction` / `UpdateFunctionConfiguration` (InvalidParameterValueException
"The role defined for the function cannot be assumed by Lambda.") and whenever Lambda assumes
the role to run the function. Here both happen only when IAM evaluates policies (`audit`
records the would-be refusal, `enforce` refuses); with `iam: off` placeholder role ARNs keep
working, as suites written against other mocks expect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .acting import may_assume
from .event_sources import PRINCIPAL

if TYPE_CHECKING:
    from ..registry import Registry


def lambda_may_assume(registry: Registry | None, role_arn: str, account: str, region: str) -> bool:
    """False when IAM enforces and `role_arn`'s trust policy does not let lambda.amazonaws.com
    assume it (a role that does not exist trusts no one); True without a role or with `iam: off`."""
    return not role_arn or may_assume(registry, role_arn, PRINCIPAL, account, region)
