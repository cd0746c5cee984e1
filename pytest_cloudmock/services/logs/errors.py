"""CloudWatch Logs errors, with AWS's codes and (where known) its messages.

Texts confirmed from AWS responses quoted in public reports: the log group/stream
not-found and already-exists messages, the chronological-order one, "Invalid filter
pattern", "Invalid character(s) in term '...'" and the '{' ... '}' rule. The others
are worded here; AWS's exact text is not documented.
"""

from __future__ import annotations

from ...api import AWSError


def invalid(message: str) -> AWSError:
    return AWSError("InvalidParameterException", message)


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def already_exists(message: str) -> AWSError:
    return AWSError("ResourceAlreadyExistsException", message)


def group_not_found() -> AWSError:
    return not_found("The specified log group does not exist.")


def stream_not_found() -> AWSError:
    return not_found("The specified log stream does not exist.")


def group_exists() -> AWSError:
    return already_exists("The specified log group already exists")


def stream_exists() -> AWSError:
    return already_exists("The specified log stream already exists")


def bad_token() -> AWSError:
    # AWS's exact text for a token it did not issue is not documented.
    return invalid("The specified nextToken is invalid.")


def limit_exceeded(message: str) -> AWSError:
    return AWSError("LimitExceededException", message)


def operation_aborted(message: str) -> AWSError:
    return AWSError("OperationAbortedException", message)


def conflict(message: str) -> AWSError:
    return AWSError("ConflictException", message)


def malformed_query(message: str, start: int, end: int) -> AWSError:
    """Logs Insights' compile error, with the location AWS's shape carries."""
    return AWSError("MalformedQueryException", message,
                    queryCompileError={"location": {"startCharOffset": start, "endCharOffset": end},
                                       "message": message})


def too_many_tags(limit: int) -> AWSError:
    # AWS's exact text is not documented.
    return AWSError("TooManyTagsException", f"A resource can have no more than {limit} tags.")


def invalid_operation(message: str) -> AWSError:
    return AWSError("InvalidOperationException", message)
