"""DynamoDB's errors, with AWS's codes and (where AWS's text is known) its messages."""

from __future__ import annotations

from typing import Any

from ...api import AWSError


def validation(message: str) -> AWSError:
    """`ValidationException` (400)."""
    return AWSError("ValidationException", message)


def invalid_parameters(detail: str) -> AWSError:
    """AWS's "One or more parameter values were invalid: ..." validation error."""
    return validation(f"One or more parameter values were invalid: {detail}")


def table_not_found(name: str | None = None) -> AWSError:
    """`ResourceNotFoundException`; table operations name the table, item operations do not."""
    detail = f": Table: {name} not found" if name else ""
    return AWSError("ResourceNotFoundException", f"Requested resource not found{detail}")


def resource_not_found(message: str = "Requested resource not found") -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def in_use(message: str) -> AWSError:
    return AWSError("ResourceInUseException", message)


def key_mismatch() -> AWSError:
    return validation("The provided key element does not match the schema")


def conditional_failed(item: dict[str, Any] | None = None) -> AWSError:
    """`ConditionalCheckFailedException`, carrying the item when the caller asked for it."""
    fields = {"Item": item} if item is not None else {}
    return AWSError("ConditionalCheckFailedException", "The conditional request failed", **fields)


def item_too_large() -> AWSError:
    return validation("Item size has exceeded the maximum allowed size")
