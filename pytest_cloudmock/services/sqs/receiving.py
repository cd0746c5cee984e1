"""ReceiveMessage (long polling, FIFO groups, dead-letter moves), delete, visibility."""

from __future__ import annotations

import dataclasses
from typing import Any

from ...api import AWSError, RequestContext
from . import attributes, digests, encryption, errors, messages
from .base import SqsBase
from .sending import check_batch, run_batch
from .state import RECEIVE_ATTEMPT_WINDOW, Message, Queue, ReceiveAttempt, read_receipt

MAX_VISIBILITY = 43200


def _bounded(name: str, value: int | None, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if not low <= value <= high:
        raise errors.invalid_value(name, value, f"Must be >= {low} and <= {high}, if provided.")
    return value


class ReceiveOperations(SqsBase):
    """Getting messages out of queues, and settling them."""

    def receive_message(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        params = ctx.params
        limit = _bounded("MaxNumberOfMessages", params.get("MaxNumberOfMessages"), 1, 10, 1)
        visibility = _bounded(
            "VisibilityTimeout", params.get("VisibilityTimeout"), 0, MAX_VISIBILITY, queue.attr_int("VisibilityTimeout")
        )
        wait = _bounded(
            "WaitTimeSeconds", params.get("WaitTimeSeconds"), 0, 20, queue.attr_int("ReceiveMessageWaitTimeSeconds")
        )
        names = messages.check_receive_names(
            [*(params.get("AttributeNames") or []), *(params.get("MessageSystemAttributeNames") or [])]
        )
        patterns = params.get("MessageAttributeNames") or []
        attempt = params.get("ReceiveRequestAttemptId") if queue.fifo else None
        if attempt is not None:
            messages.check_token("ReceiveRequestAttemptId", attempt)
        encryption.check_key(ctx, queue)
        clock = ctx.clock
        deadline = clock.now() + wait
        cond = self.condition(queue)
        delivered: list[Message] = []

        def ready() -> bool:  # runs with the queue's lock held
            nonlocal delivered
            delivered = self._deliver(queue, limit, visibility, clock.now(), attempt)
            return bool(delivered) or not self.is_current(queue)

        with cond:
            # Wakes on a send to this queue, on a clock move, and when a delayed or
            # in-flight message comes due (the next wake-up is the sooner of the two).
            done = ready()
            while not done and clock.now() < deadline:
                now = clock.now()
                upcoming = queue.next_change(now)
                wake = deadline if upcoming is None else min(deadline, max(upcoming, now + 0.001))
                done = clock.wait_until(wake, ready, cond)
            out = [self._render(m, names, patterns) for m in delivered]
        return {"Messages": out} if out else {}

    def _deliver(
        self, queue: Queue, limit: int, visibility: int, now: float, attempt: str | None
    ) -> list[Message]:
        """Receive up to `limit` messages (lock held), moving those past `maxReceiveCount` to the DLQ."""
        if attempt is not None:
            replay = self._replay(queue, attempt, visibility, now)
            if replay is not None:
                return replay
        redrive = attributes.redrive_target(queue)
        dlq = self.queue_by_arn(redrive[0]) if redrive else None
        max_receives = redrive[1] if redrive and dlq is not None else None
        delivered: list[Message] = []
        dead: list[Message] = []
        taken: set[str] = set()
        while len(delivered) < limit:
            batch = queue.take(limit - len(delivered), now, taken)
            if not batch:
                break
            for msg in batch:
                taken.add(msg.message_id)
                if max_receives is not None and msg.receive_count >= max_receives:
                    queue.remove(msg)
                    dead.append(msg)
                else:
                    delivered.append(msg)
        for msg in delivered:  # after taking: a zero visibility timeout must not hand it out twice
            queue.mark_received(msg, visibility, now)
        if dead and dlq is not None:
            self._dead_letter(queue, dlq, dead, now)
        if attempt is not None and delivered:
            queue.attempts[attempt] = ReceiveAttempt(
                now + RECEIVE_ATTEMPT_WINDOW, [(m, m.version) for m in delivered]
            )
        return delivered

    def _replay(self, queue: Queue, attempt: str, visibility: int, now: float) -> list[Message] | None:
        """The messages an earlier receive with this attempt id returned, if unchanged."""
        earlier = queue.attempts.get(attempt)
        if earlier is None or earlier.expires <= now:
            queue.attempts.pop(attempt, None)
            return None
        if any(m.deleted or m.version != version for m, version in earlier.messages):
            return None
        for msg, _ in earlier.messages:
            queue.set_visibility(msg, now + visibility, now)
        earlier.messages = [(m, m.version) for m, _ in earlier.messages]
        return [m for m, _ in earlier.messages]

    def _dead_letter(self, source: Queue, dlq: Queue, moved: list[Message], now: float) -> None:
        """Put messages that exceeded `maxReceiveCount` into the dead-letter queue."""
        for msg in moved:
            dlq.add(dataclasses.replace(
                msg, visible_at=now, receipt=None, version=0, deleted=False, dead_letter_source_arn=source.arn,
            ))
        self.condition(dlq).notify_all()

    @staticmethod
    def _render(msg: Message, names: set[str], patterns: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "MessageId": msg.message_id,
            "ReceiptHandle": msg.receipt,
            "MD5OfBody": msg.md5_body,
            "Body": msg.body,
        }
        system = messages.system_attributes(msg, names)
        if system:
            out["Attributes"] = system
        selected = messages.selected_attributes(msg, patterns)
        if selected:
            out["MessageAttributes"] = selected
            out["MD5OfMessageAttributes"] = (messages.md5_of_all_attributes(msg) if len(selected) == len(msg.message_attributes)
                                             else digests.md5_of_attributes(selected))
        return out

    # -- settling --------------------------------------------------------------------------
    def delete_message(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        cond = self.condition(queue)
        with cond:
            self._delete(queue, ctx.params["ReceiptHandle"], ctx.clock.now())
            cond.notify_all()
        return {}

    def delete_message_batch(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        entries = ctx.params.get("Entries") or []
        check_batch(entries, "DeleteMessageBatch")
        cond = self.condition(queue)
        with cond:
            result = run_batch(entries, lambda e: self._delete(queue, e["ReceiptHandle"], ctx.clock.now()))
            cond.notify_all()
        return result

    def _delete(self, queue: Queue, handle: str, now: float) -> dict[str, Any]:
        msg = self._message(queue, handle)
        if msg is None:
            return {}
        if queue.fifo and (msg.receipt != handle or not msg.in_flight(now)):
            raise AWSError("ReceiptHandleIsInvalid", "The receipt handle has expired.", 404)
        queue.remove(msg)
        return {}

    def change_message_visibility(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        params = ctx.params
        cond = self.condition(queue)
        with cond:
            self._change_visibility(queue, params["ReceiptHandle"], params.get("VisibilityTimeout"), ctx.clock.now())
            cond.notify_all()
        return {}

    def change_message_visibility_batch(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        entries = ctx.params.get("Entries") or []
        check_batch(entries, "ChangeMessageVisibilityBatch")
        cond = self.condition(queue)
        with cond:
            result = run_batch(
                entries,
                lambda e: self._change_visibility(queue, e["ReceiptHandle"], e.get("VisibilityTimeout"), ctx.clock.now()),
            )
            cond.notify_all()
        return result

    def _change_visibility(self, queue: Queue, handle: str, timeout: int | None, now: float) -> dict[str, Any]:
        if timeout is None:
            raise errors.missing_parameter("VisibilityTimeout")
        if not 0 <= timeout <= MAX_VISIBILITY:
            raise errors.invalid_value("VisibilityTimeout", timeout, f"Must be between 0 and {MAX_VISIBILITY}, if provided.")
        msg = self._message(queue, handle)
        if msg is None or msg.receipt != handle:
            raise errors.invalid_value(
                "ReceiptHandle", handle, "Message does not exist or is not available for visibility timeout change."
            )
        if not msg.in_flight(now):
            raise errors.not_in_flight()
        if now + timeout - msg.received_at > MAX_VISIBILITY:
            raise errors.invalid_value(
                "VisibilityTimeout", timeout, f"Total VisibilityTimeout for the message is beyond the limit [{MAX_VISIBILITY} seconds]"
            )
        queue.set_visibility(msg, now + timeout, now)
        return {}

    @staticmethod
    def _message(queue: Queue, handle: str) -> Message | None:
        """The message a receipt handle of this queue names (None if it is gone)."""
        found = read_receipt(handle)
        if found is None or found[1] != queue.arn:
            raise errors.invalid_receipt(handle)
        return queue.messages.get(found[0])
