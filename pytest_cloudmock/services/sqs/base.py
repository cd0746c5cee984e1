"""What every SQS operation needs: the store, queue lookup by URL or ARN, locks.

Each queue has a `threading.Condition`, kept here on the service (outside the
snapshotted state): operations on a queue's messages hold it, and long polls
wait on it until a send (or a visibility change, or a delete that unblocks a
FIFO group) notifies them, or the gateway clock moves (`Clock.wait_until`). Time
comes from `ctx.clock` only. All conditions share the store's lock, so a
`store.snapshot()` never sees a queue half-way through a change (under the GIL
one lock costs no throughput: the work done while holding it is pure Python).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

from ...api import RequestContext, ServiceProfile
from ...store import Store
from ...validation import ValidationPolicy, validate
from ..base import ModelService
from . import errors
from .attributes import parse_arn
from .state import Queue, SqsState

# SQS answers MissingParameter / InvalidParameterValue; unknown attribute names get its
# own InvalidAttributeName (attributes.py), so the model's enums are left to it.
VALIDATION = ValidationPolicy(error_code="MissingParameter", skip=frozenset({"enum"}))
_QUEUE_PATH = re.compile(r"^/\d{12}/[^/]+$")
_REGION_IN_HOST = re.compile(r"(?:^|\.)([a-z]{2}(?:-[a-z]+)+-\d)\.")


@lru_cache(maxsize=1024)
def queue_address(url: str) -> tuple[str, str | None, str]:
    """(account, region named by the host or None, queue name) of a queue URL, parsed once per URL;
    raises `InvalidAddress` for what is not one."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        hostname = parts.hostname or ""
    except ValueError:  # not a URL at all (an unbalanced '[' reads as a bad IPv6 host)
        raise errors.invalid_address(url) from None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) != 2 or not re.fullmatch(r"\d{12}", segments[0]):
        raise errors.invalid_address(url)
    host = _REGION_IN_HOST.search(hostname)
    return segments[0], host[1] if host else None, segments[1]


class LongPolls(threading.Condition):
    """A queue's condition, counting the long polls waiting on it."""

    waiting = 0  # changed with the lock held (`wait` holds it before and after)

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting += 1
        try:
            return super().wait(timeout)
        finally:
            self.waiting -= 1

    def notify_all(self) -> None:
        """Wake the waiting polls; nothing to do (the common case) when none waits."""
        if self.waiting:
            super().notify_all()


class SqsBase(ModelService):
    """Store, queue lookup and conditions shared by the SQS operations."""

    name: ClassVar[str] = "sqs"
    # SQS validates in `handle_request`, once it has filled in a query request's QueueUrl.
    profile: ClassVar[ServiceProfile] = ServiceProfile(validation=ValidationPolicy(enabled=False))

    def __init__(self) -> None:
        self.store: Store[SqsState] = Store(SqsState)
        self._conditions: dict[str, LongPolls] = {}
        self.generation = 0

    def handle_request(self, ctx: RequestContext) -> Any:
        """Validate against the model (raw query requests may leave QueueUrl out), then dispatch."""
        operation = ctx.operation_model  # the router and the registry give it for modelled operations
        if operation is None and ctx.operation in self.model.operation_names:
            operation = self.model.operation_model(ctx.operation)
        if operation is not None:
            shape = operation.input_shape
            # Old query clients post to the queue's URL itself, without a QueueUrl parameter.
            if shape is not None and "QueueUrl" in shape.members and not ctx.params.get("QueueUrl") and _QUEUE_PATH.match(ctx.path):
                ctx.params["QueueUrl"] = ctx.path
            validate(ctx.params, operation, ctx.protocol, VALIDATION)
        return super().handle_request(ctx)

    # -- state --------------------------------------------------------------------------
    def reset(self) -> None:
        self.generation += 1
        self.store.reset()
        self.wake_all()

    def wake_all(self) -> None:
        """Wake every long poll (after a reset or restore), so it sees the new state."""
        with self.store.lock:
            for cond in self._conditions.values():
                cond.notify_all()  # (a reset with 100 queues and no poll: ~5 us, not ~90)

    def condition(self, queue: Queue) -> LongPolls:
        """The lock and long-poll condition of a queue."""
        cond = self._conditions.get(queue.arn)
        if cond is None:
            with self.store.lock:
                cond = self._conditions.setdefault(queue.arn, LongPolls(self.store.lock))
        return cond

    # -- addresses ----------------------------------------------------------------------
    def queue_url(self, ctx: RequestContext, queue: Queue) -> str:
        base = ctx.endpoint or f"https://sqs.{queue.region}.amazonaws.com"
        return f"{base.rstrip('/')}/{queue.account_id}/{queue.name}"

    def queue_arn(self, ctx: RequestContext, account_id: str, name: str) -> str:
        return f"arn:{ctx.partition}:sqs:{ctx.region}:{account_id}:{name}"

    def queue(self, ctx: RequestContext, url: str | None = None) -> Queue:
        """The queue a `QueueUrl` names: ours, or AWS-style (`https://sqs.<region>.amazonaws.com/...`)."""
        url = url if url is not None else ctx.params.get("QueueUrl")
        if not url:
            raise errors.missing_parameter("QueueUrl")
        account, region, name = queue_address(url)
        state = self.store.find(account, region or ctx.region)
        queue = state.queues.get(name) if state is not None else None
        if queue is None:
            raise errors.queue_does_not_exist()
        return queue

    def queue_by_arn(self, arn: str) -> Queue | None:
        found = parse_arn(arn)
        if found is None:
            return None
        region, account, name = found
        state = self.store.find(account, region)
        queue = state.queues.get(name) if state is not None else None
        return queue if queue is not None and queue.arn == arn else None

    def is_current(self, queue: Queue) -> bool:
        """Whether a queue still exists (not deleted, not reset away)."""
        state = self.store.find(queue.account_id, queue.region)
        return state is not None and state.queues.get(queue.name) is queue
