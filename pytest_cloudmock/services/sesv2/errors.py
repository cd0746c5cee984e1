"""SES v2's errors (rest-json; codes and statuses from the sesv2 model).

AWS documents the codes, not the messages; where a message below is not AWS's known
wording it says so.
"""

from __future__ import annotations

from ...api import AWSError


def not_found(message: str) -> AWSError:
    return AWSError("NotFoundException", message, 404)


def already_exists(message: str) -> AWSError:
    return AWSError("AlreadyExistsException", message, 400)


def bad_request(message: str) -> AWSError:
    return AWSError("BadRequestException", message, 400)


def limit_exceeded(message: str) -> AWSError:
    return AWSError("LimitExceededException", message, 400)


def bad_token() -> AWSError:
    return bad_request("Invalid NextToken.")  # wording ours


def bad_suppression_token() -> AWSError:
    # ListSuppressedDestinations models its own code for this; the wording is ours
    return AWSError("InvalidNextTokenException", "The NextToken is invalid or expired.", 400)
