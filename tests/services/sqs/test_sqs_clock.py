"""SQS on the gateway clock: visibility, delays and long polls move with it, no test sleeps."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest


def _bodies(sqs: Any, url: str, **kwargs: Any) -> list[str]:
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kwargs).get("Messages", [])]


def test_a_received_message_is_invisible_until_the_clock_passes_its_timeout(sqs, make_queue, frozen):
    url = make_queue("visibility", VisibilityTimeout=30)
    sqs.send_message(QueueUrl=url, MessageBody="once")
    assert _bodies(sqs, url) == ["once"]
    assert _bodies(sqs, url) == []
    frozen.advance(29)
    assert _bodies(sqs, url) == []
    frozen.advance(2)
    assert _bodies(sqs, url) == ["once"]


def test_a_delayed_message_appears_only_after_the_clock_moves(sqs, make_queue, frozen):
    url = make_queue("delayed")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=90)
    assert _bodies(sqs, url) == []
    frozen.advance(minutes=1)
    assert _bodies(sqs, url) == []
    frozen.advance(30)
    assert _bodies(sqs, url) == ["later"]


def _receive_in_thread(sqs: Any, url: str, **kwargs: Any) -> tuple[threading.Thread, dict[str, Any]]:
    result: dict[str, Any] = {}

    def receive() -> None:
        started = time.monotonic()
        result["bodies"] = _bodies(sqs, url, **kwargs)
        result["took"] = time.monotonic() - started

    thread = threading.Thread(target=receive)
    thread.start()
    return thread, result


def test_a_long_poll_on_a_frozen_clock_returns_when_the_clock_advances(sqs, make_queue, frozen):
    url = make_queue("long-frozen")
    thread, result = _receive_in_thread(sqs, url, WaitTimeSeconds=20)
    assert frozen.wait_for_waiters(1)
    frozen.advance(19)
    assert thread.is_alive(), "19 s of the 20 s wait have passed"
    frozen.advance(1)
    thread.join(5)
    assert result["bodies"] == []
    assert result["took"] < 2.0


def test_a_long_poll_on_a_frozen_clock_returns_when_a_delayed_message_comes_due(sqs, make_queue, frozen):
    url = make_queue("long-delayed")
    sqs.send_message(QueueUrl=url, MessageBody="due", DelaySeconds=10)
    thread, result = _receive_in_thread(sqs, url, WaitTimeSeconds=20)
    assert frozen.wait_for_waiters(1)
    frozen.advance(10)
    thread.join(5)
    assert result["bodies"] == ["due"]
    assert result["took"] < 2.0


def test_a_long_poll_on_a_frozen_clock_wakes_at_once_on_a_send(sqs, make_queue, frozen):
    url = make_queue("long-send")
    thread, result = _receive_in_thread(sqs, url, WaitTimeSeconds=20)
    assert frozen.wait_for_waiters(1)
    sqs.send_message(QueueUrl=url, MessageBody="now")
    thread.join(5)
    assert result["bodies"] == ["now"]
    assert result["took"] < 2.0


def test_purge_is_allowed_again_60_seconds_later_on_the_clock(sqs, make_queue, frozen):
    url = make_queue("purged")
    sqs.purge_queue(QueueUrl=url)
    with pytest.raises(sqs.exceptions.ClientError) as exc:
        sqs.purge_queue(QueueUrl=url)
    assert "PurgeQueueInProgress" in str(exc.value)
    frozen.advance(60)
    sqs.purge_queue(QueueUrl=url)


def test_retention_drops_messages_once_the_clock_passes_the_period(sqs, make_queue, frozen):
    url = make_queue("retained", MessageRetentionPeriod=60)
    sqs.send_message(QueueUrl=url, MessageBody="short-lived")
    frozen.advance(60)
    assert _bodies(sqs, url) == []


def test_message_timestamps_are_the_clocks(sqs, make_queue, frozen):
    url = make_queue("stamped")
    frozen.set(1_700_000_000)
    sqs.send_message(QueueUrl=url, MessageBody="x")
    frozen.advance(5)
    message = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert message["Attributes"]["SentTimestamp"] == "1700000000000"
    assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == "1700000005000"
