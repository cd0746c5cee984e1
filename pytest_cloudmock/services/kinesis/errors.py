"""Kinesis's errors. Where AWS's exact wording is not documented the text is ours (noted)."""

from __future__ import annotations

from ...api import AWSError


def invalid(message: str) -> AWSError:
    return AWSError("InvalidArgumentException", message)


def stream_not_found(name: str, account: str) -> AWSError:
    return AWSError("ResourceNotFoundException", f"Stream {name} under account {account} not found.")


def stream_exists(name: str, account: str) -> AWSError:
    return AWSError("ResourceInUseException", f"Stream {name} under account {account} already exists.")


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def in_use(message: str) -> AWSError:
    return AWSError("ResourceInUseException", message)


def limit(message: str) -> AWSError:
    return AWSError("LimitExceededException", message)


def expired_iterator(created: str, now: str) -> AWSError:
    return AWSError(
        "ExpiredIteratorException",
        f"Iterator expired. The iterator was created at time {created} while right now it is {now} "
        "which is further in the future than the tolerated delay of 300000 milliseconds.",
    )


def bad_iterator() -> AWSError:
    # AWS's text for an iterator it cannot read is not documented; ours.
    return invalid("Invalid ShardIterator.")
