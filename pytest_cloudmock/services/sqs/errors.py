"""SQS's errors, with AWS's codes and messages.

Codes are the json protocol's (the error shape names); the codecs turn them
into the legacy query codes (`AWS.SimpleQueueService.NonExistentQueue`, ...)
for query clients and the `x-amzn-query-error` header.
"""

from __future__ import annotations

from ...api import AWSError


def queue_does_not_exist() -> AWSError:
    return AWSError("QueueDoesNotExist", "The specified queue does not exist.")


def invalid_parameter(message: str) -> AWSError:
    return AWSError("InvalidParameterValue", message)


def invalid_value(name: str, value: object, reason: str) -> AWSError:
    return invalid_parameter(f"Value {value} for parameter {name} is invalid. Reason: {reason}")


def missing_parameter(name: str) -> AWSError:
    return AWSError("MissingParameter", f"The request must contain the parameter {name}.")


def unknown_attribute(name: str) -> AWSError:
    return AWSError("InvalidAttributeName", f"Unknown Attribute {name}.")


def invalid_attribute_value(name: str, detail: str = "") -> AWSError:
    return AWSError(
        "InvalidAttributeValue", f"Invalid value for the parameter {name}.{' ' + detail if detail else ''}"
    )


def invalid_receipt(handle: str) -> AWSError:
    return AWSError(
        "ReceiptHandleIsInvalid",
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
        404,
    )


def not_in_flight() -> AWSError:
    return AWSError("MessageNotInflight", "The specified message isn't in flight.")


def invalid_address(url: str) -> AWSError:
    return AWSError("InvalidAddress", f"The address {url} is not valid for this endpoint.", 404)

