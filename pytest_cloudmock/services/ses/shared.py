"""The SES core as SES v2 (and Cognito) reach it: one store and one sending path for both APIs.

    from pytest_cloudmock.services.ses import shared
    state = shared.state_for(ctx)          # SesState of ctx's account and region (state.py)
    with shared.lock(ctx): ...             # take it around any read-modify-write of that state
    core = shared.core(ctx)                # the `ses` service: add_identity, find_identity,
                                           # is_verified, identity_arn, verify, messages, ...
    message_id = shared.send(ctx, OutgoingMessage(api="sesv2", operation="SendEmail", ...))

`send` raises AWSErrors in the codes of `OutgoingMessage.api` (errors.for_api).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, cast

from ...api import AWSError, RequestContext
from .sending import OutgoingMessage
from .sending import send as _send
from .state import SesState

if TYPE_CHECKING:
    from .base import SesBase

__all__ = ["OutgoingMessage", "core", "lock", "send", "state_for"]


def core(ctx: RequestContext) -> SesBase:
    """The `ses` service object of the gateway serving `ctx`."""
    service = ctx.registry.get("ses") if ctx.registry is not None else None
    if service is None:
        raise AWSError("ServiceUnavailable", "the ses service is not registered", 503)
    return cast("SesBase", service)


def state_for(ctx: RequestContext) -> SesState:
    """The shared SES state of `ctx`'s account and region."""
    return core(ctx).store.for_ctx(ctx)


def lock(ctx: RequestContext) -> threading.RLock:
    """The lock guarding every SES state (the `ses` store's)."""
    return core(ctx).store.lock


def send(ctx: RequestContext, message: OutgoingMessage) -> str:
    """Send one message through SES's rules; its message id (see sending.py)."""
    return _send(core(ctx), ctx, message)
