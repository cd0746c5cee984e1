"""CloudWatch's errors (codes from the model; messages where AWS documents none are our own)."""

from __future__ import annotations

from typing import Any

from ...api import AWSError


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message)


def invalid_value(name: str, value: Any) -> AWSError:
    # AWS's usual wording for a bad parameter value ("The value X for parameter Y is invalid.")
    return invalid(f"The value {value} for parameter {name} is invalid.")


def combination(message: str) -> AWSError:
    return AWSError("InvalidParameterCombination", message)


def missing(name: str) -> AWSError:
    return AWSError("MissingParameter", f"The parameter {name} is required.")


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFound", message, 404)


def resource_not_found(kind: str, resource_id: str) -> AWSError:
    return AWSError("ResourceNotFoundException", f"{kind} {resource_id} does not exist.", 404,
                    ResourceType=kind, ResourceId=resource_id)


def bad_token() -> AWSError:
    return AWSError("InvalidNextToken", "The service cannot process the NextToken.")  # wording not documented


def limit(message: str) -> AWSError:
    return AWSError("LimitExceeded", message)
