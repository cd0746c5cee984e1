"""Firehose's errors. Where AWS's exact wording is not documented the text is ours (noted)."""

from __future__ import annotations

from ...api import AWSError


def invalid(message: str) -> AWSError:
    return AWSError("InvalidArgumentException", message)


def not_found(name: str, account: str) -> AWSError:
    return AWSError("ResourceNotFoundException",
                    f"Firehose {name} under account {account} not found.")  # AWS's text approximated


def in_use(message: str) -> AWSError:
    return AWSError("ResourceInUseException", message)


def concurrent(message: str) -> AWSError:
    return AWSError("ConcurrentModificationException", message)
