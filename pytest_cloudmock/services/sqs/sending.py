"""SendMessage and SendMessageBatch, with FIFO deduplication and sequence numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...api import AWSError, RequestContext
from ...api import new_request_id as new_message_id  # UUID v4 text, as AWS's message ids
from . import digests, encryption, errors, messages
from .base import SqsBase
from .state import Message, Queue

MAX_BATCH = 10
MAX_BATCH_BYTES = 1048576
_BATCH_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def check_batch(entries: list[dict[str, Any]], kind: str) -> None:
    """The batch-level errors every *Batch operation shares."""
    if not entries:
        raise AWSError("EmptyBatchRequest", f"There should be at least one {kind}RequestEntry in the request.")
    if len(entries) > MAX_BATCH:
        raise AWSError(
            "TooManyEntriesInBatchRequest",
            f"Maximum number of entries per request are {MAX_BATCH}. You have sent {len(entries)}.",
        )
    seen: set[str] = set()
    for entry in entries:
        entry_id = entry.get("Id") or ""
        if not entry_id or len(entry_id) > 80 or not set(entry_id) <= _BATCH_ID_CHARS:
            raise AWSError(
                "InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                "It can be at most 80 letters long.",
            )
        if entry_id in seen:
            raise AWSError("BatchEntryIdsNotDistinct", f"Id {entry_id} repeated.")
        seen.add(entry_id)


def run_batch(
    entries: list[dict[str, Any]], one: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Apply `one` to each entry; errors become per-entry `Failed` results."""
    successful, failed = [], []
    for entry in entries:
        try:
            successful.append({"Id": entry["Id"], **one(entry)})
        except AWSError as err:
            failed.append({"Id": entry["Id"], "SenderFault": err.sender_fault, "Code": err.code, "Message": err.message})
    return {"Successful": successful, "Failed": failed}


class SendOperations(SqsBase):
    """Putting messages into queues."""

    def send_message(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        prepared = self._prepare(ctx, queue, ctx.params)
        encryption.check_key(ctx, queue)
        cond = self.condition(queue)
        with cond:
            result = self._enqueue(ctx.clock.now(), queue, prepared)
            cond.notify_all()
        return result

    def send_message_batch(self, ctx: RequestContext) -> dict[str, Any]:
        queue = self.queue(ctx)
        entries = ctx.params.get("Entries") or []
        check_batch(entries, "SendMessageBatch")
        size = sum(len((e.get("MessageBody") or "").encode()) + messages.attributes_size(e.get("MessageAttributes") or {}) for e in entries)
        if size > MAX_BATCH_BYTES:
            raise AWSError(
                "BatchRequestTooLong",
                f"Batch requests cannot be longer than {MAX_BATCH_BYTES} bytes. You have sent {size} bytes.",
            )
        encryption.check_key(ctx, queue)
        cond = self.condition(queue)
        with cond:
            result = run_batch(entries, lambda e: self._enqueue(ctx.clock.now(), queue, self._prepare(ctx, queue, e)))
            cond.notify_all()
        return result

    def _prepare(self, ctx: RequestContext, queue: Queue, params: dict[str, Any]) -> Message:
        """Validate one message to send; a `Message` not yet timed or numbered."""
        body = messages.check_body(params.get("MessageBody"))
        user = messages.check_attributes(params.get("MessageAttributes"))
        system = messages.check_system_attributes(params.get("MessageSystemAttributes"))
        limit = queue.attr_int("MaximumMessageSize")
        data = body.encode()
        if len(data) + messages.attributes_size(user) > limit:
            raise errors.invalid_parameter(
                f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes."
            )
        delay = params.get("DelaySeconds")
        group_id = params.get("MessageGroupId")
        dedup_id = params.get("MessageDeduplicationId")
        if delay is not None and not 0 <= delay <= 900:
            raise errors.invalid_value("DelaySeconds", delay, "DelaySeconds must be >= 0 and <= 900.")
        if group_id is not None:
            messages.check_token("MessageGroupId", group_id)
        if queue.fifo:
            if delay is not None:
                raise errors.invalid_value("DelaySeconds", delay, "The request include parameter that is not valid for this queue type.")
            if group_id is None:
                raise errors.missing_parameter("MessageGroupId")
            if dedup_id is None:
                if queue.attributes.get("ContentBasedDeduplication") != "true":
                    raise errors.invalid_parameter(
                        "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly"
                    )
                dedup_id = digests.message_dedup_id(body)
            else:
                messages.check_token("MessageDeduplicationId", dedup_id)
        elif dedup_id is not None:
            raise errors.invalid_value(
                "MessageDeduplicationId", dedup_id, "The request include parameter that is not valid for this queue type."
            )
        identity = ctx.identity
        return Message(
            message_id=new_message_id(),
            body=body,
            md5_body=digests.md5_hex(data),
            sent=0.0,
            sender_id=(identity.user_id if identity and identity.user_id else ctx.access_key_id) or ctx.account_id,
            message_attributes=user,
            system_attributes=system,
            md5_system_attributes=digests.md5_of_attributes(system) if system else None,
            md5_attributes=digests.md5_of_attributes(user) if user else None,
            group_id=group_id,
            dedup_id=dedup_id,
            visible_at=float(queue.attr_int("DelaySeconds") if delay is None else delay),
        )

    def _enqueue(self, now: float, queue: Queue, msg: Message) -> dict[str, Any]:
        """Time-stamp, deduplicate, number and add a prepared message (queue lock held)."""
        if queue.fifo:
            duplicate = queue.find_duplicate(msg.group_id or "", msg.dedup_id or "", now)
            if duplicate is not None:
                return _send_result(duplicate)
            msg.sequence_number = queue.next_sequence_number()
        msg.sent = now
        msg.visible_at = now + msg.visible_at
        queue.add(msg)
        return _send_result(msg)


def _send_result(msg: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"MessageId": msg.message_id, "MD5OfMessageBody": msg.md5_body}
    if msg.message_attributes:
        out["MD5OfMessageAttributes"] = messages.md5_of_all_attributes(msg)
    if msg.md5_system_attributes:
        out["MD5OfMessageSystemAttributes"] = msg.md5_system_attributes
    if msg.sequence_number:
        out["SequenceNumber"] = msg.sequence_number
    return out
