"""EventBridge's errors. Messages follow AWS's API reference and observed answers; where
AWS's exact wording is not documented it is noted at the call site."""

from __future__ import annotations

from ...api import AWSError


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def exists(message: str) -> AWSError:
    return AWSError("ResourceAlreadyExistsException", message)


def invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def bad_pattern(reason: str) -> AWSError:
    return AWSError("InvalidEventPatternException", f"Event pattern is not valid. Reason: {reason}")


def limit(message: str) -> AWSError:
    return AWSError("LimitExceededException", message)


def illegal_status(message: str) -> AWSError:
    return AWSError("IllegalStatusException", message)


def bad_token() -> AWSError:
    return AWSError("ValidationException", "The provided NextToken is not valid.")  # wording not documented


def managed(name: str) -> AWSError:
    # wording not documented by AWS
    return AWSError("ManagedRuleException", f"Rule {name} is managed by an AWS service and can only be changed with Force.")
