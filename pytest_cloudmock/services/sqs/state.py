"""SQS state: queues and their messages, as plain data the store can snapshot.

A `Queue` keeps every message it holds in `messages` (by id, in send order) and
knows when each one is visible (`visible_at`): a message never received and not
yet visible is *delayed*, one received and not yet visible again is *in flight*.
Standard queues hand out messages from `ready` (visible now) and move messages
from `pending` (a heap by visibility time) into it as their time comes; stale
entries are skipped by comparing a per-message `version`. FIFO queues keep one
deque per message group, and a group with a message in flight is blocked.

Nothing here locks: the service holds the queue's condition while it calls in.
"""

from __future__ import annotations

import base64
import heapq
import itertools
import random
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sortedcontainers import SortedDict

from .digests import md5_of_body, message_dedup_id

DEDUP_WINDOW = 300.0
RECEIVE_ATTEMPT_WINDOW = 300.0
_SEQUENCE_BASE = 18_000_000_000_000_000_000
_random_bits = random.Random().getrandbits


@dataclass(eq=False)
class Message:
    """One message, as sent, plus its delivery state."""

    message_id: str
    body: str
    md5_body: str
    sent: float
    sender_id: str
    message_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    system_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    md5_system_attributes: str | None = None
    md5_attributes: str | None = None  # of all `message_attributes`, as sent (None: work it out)
    group_id: str | None = None
    dedup_id: str | None = None
    sequence_number: str | None = None
    dead_letter_source_arn: str | None = None
    visible_at: float = 0.0
    receive_count: int = 0
    first_receive: float | None = None
    receipt: str | None = None
    received_at: float = 0.0
    version: int = 0
    deleted: bool = False

    def in_flight(self, now: float) -> bool:
        return self.receive_count > 0 and self.visible_at > now

    def delayed(self, now: float) -> bool:
        return self.receive_count == 0 and self.visible_at > now


@dataclass
class ReceiveAttempt:
    """A FIFO `ReceiveRequestAttemptId` and what it returned."""

    expires: float
    messages: list[tuple[Message, int]]


@dataclass
class Queue:
    """One queue: identity, attributes, tags and messages."""

    name: str
    account_id: str
    region: str
    arn: str
    attributes: dict[str, str]
    created: float
    modified: float
    tags: dict[str, str] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    ready: deque[tuple[int, Message]] = field(default_factory=deque)
    pending: list[tuple[float, int, int, Message]] = field(default_factory=list)
    groups: OrderedDict[str, deque[Message]] = field(default_factory=OrderedDict)
    dedup: dict[tuple[str, str], tuple[float, Message]] = field(default_factory=dict)
    attempts: dict[str, ReceiveAttempt] = field(default_factory=dict)
    sequence: int = 0
    purged_at: float = -1e18
    tick: int = 0

    @property
    def fifo(self) -> bool:
        return self.attributes.get("FifoQueue") == "true"

    def attr_int(self, name: str) -> int:
        return int(self.attributes[name])

    # -- putting messages in -----------------------------------------------------------
    def next_sequence_number(self) -> str:
        self.sequence += 1
        return str(_SEQUENCE_BASE + self.sequence * 65536)

    def find_duplicate(self, group_id: str, dedup_id: str, now: float) -> Message | None:
        """The message sent with the same deduplication id within the window, if any."""
        key = self._dedup_key(group_id, dedup_id)
        hit = self.dedup.get(key)
        if hit is None:
            return None
        if hit[0] <= now:
            del self.dedup[key]
            return None
        return hit[1]

    def _dedup_key(self, group_id: str, dedup_id: str) -> tuple[str, str]:
        scope = self.attributes.get("DeduplicationScope") == "messageGroup"
        return (group_id if scope else "", dedup_id)

    def put(
        self,
        body: str,
        *,
        message_attributes: dict[str, dict[str, Any]] | None = None,
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay: float = 0.0,
        sender_id: str = "",
        now: float | None = None,
    ) -> Message:
        """Seed a message directly (tests' store access); no validation, no long-poll wake-up.

        `now` is the send time: pass the gateway clock's (`cloudmock.clock.now()`) when a
        test has moved it; the default, the machine's time, suits a clock left running.
        """
        now = time.time() if now is None else now
        fifo = self.fifo
        msg = Message(
            message_id=str(uuid.uuid4()),
            body=body,
            md5_body=md5_of_body(body),
            sent=now,
            sender_id=sender_id or self.account_id,
            message_attributes=dict(message_attributes or {}),
            group_id=(group_id or "default") if fifo else group_id,
            dedup_id=(dedup_id or message_dedup_id(body)) if fifo else None,
            sequence_number=self.next_sequence_number() if fifo else None,
            visible_at=now + delay,
        )
        self.add(msg)
        return msg

    def add(self, msg: Message) -> None:
        """Enqueue a message (its `visible_at` already set from the delay)."""
        self.messages[msg.message_id] = msg
        if self.fifo:
            assert msg.group_id is not None and msg.dedup_id is not None
            _drop_expired(self.dedup, msg.sent, lambda hit: hit[0])
            _drop_expired(self.attempts, msg.sent, lambda attempt: attempt.expires)
            self.dedup[self._dedup_key(msg.group_id, msg.dedup_id)] = (msg.sent + DEDUP_WINDOW, msg)
            group = self.groups.get(msg.group_id)
            if group is None:
                group = self.groups[msg.group_id] = deque()
            group.append(msg)
        else:
            self._schedule(msg, msg.visible_at, msg.sent)

    def _schedule(self, msg: Message, visible_at: float, now: float) -> None:
        if visible_at <= now:
            self.ready.append((msg.version, msg))
        else:
            self.tick += 1
            heapq.heappush(self.pending, (visible_at, self.tick, msg.version, msg))

    def next_change(self, now: float) -> float | None:
        """When a message not visible now next becomes visible (for long polls)."""
        if self.fifo:  # per group: its messages in flight, and the first one never received
            times = []
            for group in self.groups.values():
                for msg in group:
                    if msg.visible_at > now and not msg.deleted:
                        times.append(msg.visible_at)
                    if not msg.receive_count:
                        break
            return min(times, default=None)
        pending = self.pending
        while pending and (pending[0][2] != pending[0][3].version or pending[0][3].deleted):
            heapq.heappop(pending)
        return pending[0][0] if pending else None

    # -- taking messages out ------------------------------------------------------------
    def expired(self, msg: Message, now: float) -> bool:
        return now - msg.sent >= self.attr_int("MessageRetentionPeriod")

    def take(self, limit: int, now: float, taken: set[str] | frozenset[str] = frozenset()) -> list[Message]:
        """Up to `limit` visible messages, in the order this queue type delivers them.

        Standard queues pop what they return; FIFO queues skip the ids in `taken`
        (returned by an earlier call of the same receive, not yet marked received).
        """
        return self._take_fifo(limit, now, taken) if self.fifo else self._take_standard(limit, now)

    def _take_standard(self, limit: int, now: float) -> list[Message]:
        pending = self.pending
        while pending and pending[0][0] <= now:
            _, _, version, msg = heapq.heappop(pending)
            if version == msg.version and not msg.deleted:
                self.ready.append((version, msg))
        out: list[Message] = []
        while self.ready and len(out) < limit:
            version, msg = self.ready.popleft()
            if version != msg.version or msg.deleted:
                continue
            if self.expired(msg, now):
                self.remove(msg)
                continue
            out.append(msg)
        return out

    def _take_fifo(self, limit: int, now: float, taken_ids: set[str] | frozenset[str]) -> list[Message]:
        out: list[Message] = []
        for group_id in list(self.groups):
            if len(out) >= limit:
                break
            group = self.groups[group_id]
            while group and (group[0].deleted or self.expired(group[0], now)):
                self.remove(group.popleft())
            if not group:
                self.groups.pop(group_id, None)
                continue
            if any(m.in_flight(now) for m in itertools.takewhile(lambda m: m.receive_count, group)):
                continue
            taken = 0
            for msg in group:
                if len(out) >= limit or msg.visible_at > now:
                    break
                if not msg.deleted and msg.message_id not in taken_ids:
                    out.append(msg)
                    taken += 1
            if taken:
                self.groups.move_to_end(group_id)
        return out

    def mark_received(self, msg: Message, visibility: int, now: float) -> str:
        """Record a receive: new receipt handle, count, visibility. Returns the handle."""
        msg.receive_count += 1
        if msg.first_receive is None:
            msg.first_receive = now
        msg.received_at = now
        msg.receipt = make_receipt(self.arn, msg.message_id)
        self.set_visibility(msg, now + visibility, now)
        return msg.receipt

    def set_visibility(self, msg: Message, visible_at: float, now: float) -> None:
        msg.version += 1
        msg.visible_at = visible_at
        if not self.fifo:
            self._schedule(msg, visible_at, now)

    def remove(self, msg: Message) -> None:
        """Drop a message for good (delete, expiry, move to a dead-letter queue)."""
        if msg.deleted:
            return
        msg.deleted = True
        msg.version += 1
        self.messages.pop(msg.message_id, None)
        group = self.groups.get(msg.group_id) if msg.group_id is not None else None
        if group is not None:
            while group and group[0].deleted:
                group.popleft()
            if not group:
                del self.groups[msg.group_id]

    def purge(self) -> None:
        for msg in self.messages.values():
            msg.deleted = True
        self.messages.clear()
        self.ready.clear()
        self.pending.clear()
        self.groups.clear()
        self.attempts.clear()

    # -- counting -------------------------------------------------------------------------
    def counts(self, now: float) -> tuple[int, int, int]:
        """(visible, in flight, delayed) message counts."""
        visible = in_flight = delayed = 0
        for msg in self.messages.values():
            if self.expired(msg, now):
                continue
            if msg.visible_at <= now:
                visible += 1
            elif msg.receive_count:
                in_flight += 1
            else:
                delayed += 1
        return visible, in_flight, delayed


@dataclass
class MoveTask:
    """A dead-letter queue redrive (`StartMessageMoveTask`)."""

    handle: str
    source_arn: str
    destination_arn: str | None
    rate: int | None
    started: float
    to_move: int
    moved: int = 0
    status: str = "RUNNING"
    failure: str | None = None


@dataclass
class SqsState:
    """One account and region: queues by name, message move tasks, recently deleted names."""

    queues: SortedDict = field(default_factory=SortedDict)  # name -> Queue, in name order (ListQueues seeks)
    move_tasks: list[MoveTask] = field(default_factory=list)
    deleted: dict[str, float] = field(default_factory=dict)  # queue name -> when it was deleted


def _drop_expired(entries: dict[Any, Any], now: float, expiry: Callable[[Any], float]) -> None:
    """Forget the oldest entries of a window (kept in expiry order) once they have expired."""
    while entries:
        key = next(iter(entries))
        if expiry(entries[key]) > now:
            return
        del entries[key]


def make_receipt(queue_arn: str, message_id: str) -> str:
    """A receipt handle: opaque, different on every receive, naming queue and message (its 64 hex
    digits from `random`: handles need not be unguessable, and no system call per receive)."""
    raw = f"{message_id} {queue_arn} {_random_bits(256):064x}".encode()
    return base64.b64encode(raw).decode()


def read_receipt(handle: str) -> tuple[str, str] | None:
    """(message id, queue ARN) of a receipt handle, or None if it is not one of ours."""
    try:
        parts = base64.b64decode(handle.encode("ascii"), validate=True).decode().split(" ")
    except (ValueError, UnicodeError):
        return None
    if len(parts) != 3 or len(parts[2]) != 64:
        return None
    return parts[0], parts[1]
