"""Dead-letter queues: which queues use one, and moving messages back (message move tasks).

A task without `MaxNumberOfMessagesPerSecond` moves every message at once, so a
test sees the result as soon as `StartMessageMoveTask` returns; with a rate, a
daemon thread moves that many messages a second until done or cancelled.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import threading
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from ...clock import Clock
from . import attributes, errors
from .base import SqsBase
from .queues import names_page
from .state import MoveTask, Queue, SqsState


def _not_found(what: str) -> AWSError:
    return AWSError("ResourceNotFoundException", what, 404)


class RedriveOperations(SqsBase):
    """ListDeadLetterSourceQueues and the message move task operations."""

    def list_dead_letter_source_queues(self, ctx: RequestContext) -> dict[str, Any]:
        dlq = self.queue(ctx)
        state = self.store.find(dlq.account_id, dlq.region)
        with self.store.lock:  # other requests create and delete queues meanwhile
            queues = list(state.queues.values()) if state else []
        sources = {q.name: q for q in queues if (attributes.redrive_target(q) or ("",))[0] == dlq.arn}
        page, token = names_page(sorted(sources), ctx.params, f"ListDeadLetterSourceQueues:{dlq.arn}")
        out: dict[str, Any] = {"queueUrls": [self.queue_url(ctx, sources[n]) for n in page]}
        if token:
            out["NextToken"] = token
        return out

    def start_message_move_task(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        source = self.queue_by_arn(params["SourceArn"])
        if source is None:
            raise _not_found("The resource that you specified for the SourceArn parameter doesn't exist.")
        state = self.store.get(source.account_id, source.region)
        with self.store.lock:
            queues = list(state.queues.values())
        if not any((attributes.redrive_target(q) or ("",))[0] == source.arn for q in queues):
            raise errors.invalid_parameter("Source queue must be configured as a Dead Letter Queue.")
        destination_arn = params.get("DestinationArn")
        if destination_arn is not None and self.queue_by_arn(destination_arn) is None:
            raise _not_found("The resource that you specified for the DestinationArn parameter doesn't exist.")
        rate = params.get("MaxNumberOfMessagesPerSecond")
        if rate is not None and not 1 <= rate <= 500:
            raise errors.invalid_value("MaxNumberOfMessagesPerSecond", rate, "Must be between 1 and 500.")
        clock = ctx.clock
        handle = base64.b64encode(json.dumps(
            {"taskId": str(uuid.uuid4()), "sourceArn": source.arn}, separators=(",", ":")
        ).encode()).decode()
        with self.store.lock:  # check and start in one step: two concurrent starts cannot both run
            if any(t.source_arn == source.arn and t.status == "RUNNING" for t in state.move_tasks):
                raise errors.invalid_parameter(
                    "There is already a task running. Only one active task is allowed for a source queue arn at a given time."
                )
            to_move = source.counts(clock.now())[0]
            task = MoveTask(handle, source.arn, destination_arn, rate, clock.now(), to_move)
            state.move_tasks.append(task)
        if rate is None:
            self._move(source, task, to_move, clock.now())
        else:
            generation = self.generation
            threading.Thread(
                target=self._run, args=(source, task, generation, clock), name="cloudmock-sqs-move", daemon=True
            ).start()
        return {"TaskHandle": handle}

    def _run(self, source: Queue, task: MoveTask, generation: int, clock: Clock) -> None:
        """Move `rate` messages a second of the gateway clock (a moved clock moves the task on)."""
        def stopped() -> bool:
            return task.status != "RUNNING" or generation != self.generation or not self.is_current(source)

        due = clock.now()
        while not stopped():
            self._move(source, task, task.rate or 1, clock.now())
            due += 1.0
            clock.wait_until(due, stopped)

    def _move(self, source: Queue, task: MoveTask, count: int, now: float) -> None:
        """Move up to `count` visible messages out of the dead-letter queue."""
        with self.store.lock:
            taken = source.take(count, now)
            for msg in taken:
                target = self.queue_by_arn(task.destination_arn or msg.dead_letter_source_arn or "")
                if target is None:  # nowhere to go: it stays, and the task fails
                    source.set_visibility(msg, now, now)
                    task.status, task.failure = "FAILED", "AWS.SimpleQueueService.NonExistentQueue"
                    continue
                source.remove(msg)
                target.add(dataclasses.replace(
                    msg, sent=now, visible_at=now, receive_count=0, first_receive=None, receipt=None,
                    version=0, deleted=False, dead_letter_source_arn=None,
                ))
                self.condition(target).notify_all()
                task.moved += 1
            if task.status == "RUNNING" and (len(taken) < count or task.moved >= task.to_move):
                task.status = "COMPLETED"

    def list_message_move_tasks(self, ctx: RequestContext) -> dict[str, Any]:
        params = ctx.params
        source = self.queue_by_arn(params["SourceArn"])
        if source is None:
            raise _not_found("The resource that you specified for the SourceArn parameter doesn't exist.")
        limit = params.get("MaxResults")
        if limit is not None and not 1 <= limit <= 10:
            raise errors.invalid_value("MaxResults", limit, "Must be between 1 and 10.")
        state = self.store.get(source.account_id, source.region)
        tasks = [t for t in reversed(state.move_tasks) if t.source_arn == source.arn][: limit or 1]
        return {"Results": [_task_entry(t) for t in tasks]}

    def cancel_message_move_task(self, ctx: RequestContext) -> dict[str, Any]:
        handle = ctx.params["TaskHandle"]
        task = self._task(handle)
        if task is None or task.status != "RUNNING":
            raise _not_found("Task does not exist.")
        task.status = "CANCELLED"
        return {"ApproximateNumberOfMessagesMoved": task.moved}

    def _task(self, handle: str) -> MoveTask | None:
        try:
            source_arn = json.loads(base64.b64decode(handle.encode(), validate=True))["sourceArn"]
        except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError):
            raise errors.invalid_value("TaskHandle", handle, "Task handle is invalid.") from None
        found = attributes.parse_arn(source_arn)
        state: SqsState | None = self.store.find(found[1], found[0]) if found else None
        return next((t for t in state.move_tasks if t.handle == handle), None) if state else None


def _task_entry(task: MoveTask) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Status": task.status,
        "SourceArn": task.source_arn,
        "ApproximateNumberOfMessagesMoved": task.moved,
        "ApproximateNumberOfMessagesToMove": task.to_move,
        "StartedTimestamp": int(task.started * 1000),
    }
    if task.status == "RUNNING":
        entry["TaskHandle"] = task.handle
    if task.destination_arn:
        entry["DestinationArn"] = task.destination_arn
    if task.rate is not None:
        entry["MaxNumberOfMessagesPerSecond"] = task.rate
    if task.failure:
        entry["FailureReason"] = task.failure
    return entry
