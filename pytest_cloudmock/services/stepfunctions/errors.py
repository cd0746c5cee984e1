"""Step Functions API errors, with AWS's codes (message texts follow AWS's `Kind: 'detail'` form)."""

from __future__ import annotations

import re

from ...api import AWSError

#: Names of state machines, executions, activities and aliases: 1-80 characters, none of
#: whitespace, brackets, wildcards, special characters or control characters.
_BAD_NAME = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")


def check_name(name: str, limit: int = 80) -> None:
    if not name or len(name) > limit or _BAD_NAME.search(name):
        raise AWSError("InvalidName", f"Invalid Name: '{name}'")


def invalid_arn(arn: str, why: str = "Invalid ARN prefix") -> AWSError:
    return AWSError("InvalidArn", f"Invalid Arn: '{why}: {arn}'")


def machine_missing(arn: str) -> AWSError:
    return AWSError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def execution_missing(arn: str) -> AWSError:
    return AWSError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")


def activity_missing(arn: str) -> AWSError:
    return AWSError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")


def resource_missing(arn: str, kind: str = "Resource") -> AWSError:
    return AWSError("ResourceNotFound", f"{kind} Does Not Exist: '{arn}'")


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def bad_token() -> AWSError:
    return AWSError("InvalidToken", "Invalid Token: 'The token is not valid'")  # wording not documented
