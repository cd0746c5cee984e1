"""What a failing boto3 call raised, in the shapes the service tests compare."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def error_response(call: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The parsed error response of a call that must fail with `ClientError`."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response


def error_fields(call: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The `Error` member (Code, Message, Type, ...) of a failing call."""
    return error_response(call, *args, **kwargs)["Error"]


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    """(code, message) of a failing call."""
    error = error_fields(call, **kwargs)
    return error["Code"], error["Message"]


def error_with_status(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a failing call."""
    response = error_response(call, **kwargs)
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])
