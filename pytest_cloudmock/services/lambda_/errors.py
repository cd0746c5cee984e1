"""Lambda's errors (rest-json: `x-amzn-ErrorType` plus `{"Type": "User", "Message": ...}`).

Messages follow the wording AWS's API reference and observed responses use; where
the exact text is not documented the comment says so.
"""

from __future__ import annotations

from ...api import AWSError


def _user(code: str, message: str, status: int, **fields: object) -> AWSError:
    return AWSError(code, message, status, Type="User", **fields)


def not_found(message: str) -> AWSError:
    return _user("ResourceNotFoundException", message, 404)


def function_not_found(arn: str) -> AWSError:
    return not_found(f"Function not found: {arn}")


def invalid(message: str) -> AWSError:
    return _user("InvalidParameterValueException", message, 400)


def conflict(message: str) -> AWSError:
    return _user("ResourceConflictException", message, 409)


def precondition(message: str = "The Revision Id provided does not match the latest Revision Id. "
                 "Call the GetFunction/GetAlias API to retrieve the latest Revision Id") -> AWSError:
    return _user("PreconditionFailedException", message, 412)


def throttled(reason: str = "ReservedFunctionConcurrentInvocationLimitExceeded") -> AWSError:
    # "Rate Exceeded." is the message Lambda answers with its throttling reasons.
    return _user("TooManyRequestsException", "Rate Exceeded.", 429, Reason=reason)


def too_large(limit: int) -> AWSError:
    return _user("RequestTooLargeException",
                 f"Request must be smaller than {limit} bytes for the InvokeFunction operation", 413)


def runtime_missing(runtime: str, what: str) -> AWSError:
    # Lambda answers InvalidRuntimeException (502) when it cannot start a runtime; the
    # text naming the missing program on this host is cloudmock's own.
    return AWSError("InvalidRuntimeException",
                    f"The runtime {runtime} cannot start on this host: {what}", 502, Type="User")


def role_not_assumable() -> AWSError:
    # AWS's message when the execution role's trust policy does not let lambda.amazonaws.com assume it
    return invalid("The role defined for the function cannot be assumed by Lambda.")


def image_not_pullable(uri: str) -> AWSError:
    # AWS's wording for an image that cannot be pulled is not documented exactly.
    return invalid(f"Source image {uri} does not exist. Provide a valid source image.")
