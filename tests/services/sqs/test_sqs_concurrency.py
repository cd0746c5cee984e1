"""Load: 8 senders and 8 receivers move 10,000 messages through one queue over keep-alive.

Standard queue: every message is received, none is lost, none is handed out
twice while in flight. FIFO queue, same load: each group's messages arrive in
the order they were sent. The json protocol carries the full 10,000; the query
protocol, whose code paths past the codec are the same, 2,000 (botocore's own
per-call cost, in this same process, is most of the time). Throughput is
printed.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from botocore.config import Config as BotoConfig

from .conftest import PROTOCOLS

LOADS = {"json": 10_000, "query": 2_000}
SENDERS = RECEIVERS = 8
BATCH = 10
GROUPS_PER_SENDER = 4


@pytest.fixture(params=PROTOCOLS)
def loaded_client(request, aws, sqs_sessions):
    """A client with a connection pool big enough for 16 threads (keep-alive)."""
    config = BotoConfig(retries={"max_attempts": 1}, max_pool_connections=SENDERS + RECEIVERS)
    return sqs_sessions[request.param].client("sqs", endpoint_url=aws.endpoint, config=config)


def _total(client) -> int:
    return LOADS[client.meta.service_model.protocol]


def _run(client, url, fifo):
    """Send the load from 8 threads while 8 threads receive and delete it."""
    per_sender = _total(client) // SENDERS
    received: list[tuple[str, str, str]] = []  # (body, group, message id), in delivery order per group
    log_lock = threading.Lock()
    done_sending = threading.Event()
    errors: list[BaseException] = []

    def send(sender: int) -> None:
        for start in range(0, per_sender, BATCH):
            entries = []
            for i in range(start, start + BATCH):
                entry = {"Id": str(i), "MessageBody": f"{sender}:{i}"}
                if fifo:
                    entry["MessageGroupId"] = f"g{sender}-{i % GROUPS_PER_SENDER}"
                    entry["MessageDeduplicationId"] = f"{sender}:{i}"
                entries.append(entry)
            result = client.send_message_batch(QueueUrl=url, Entries=entries)
            assert not result.get("Failed"), result.get("Failed")

    def receive() -> None:
        while True:
            got = client.receive_message(
                QueueUrl=url, MaxNumberOfMessages=BATCH, WaitTimeSeconds=1, VisibilityTimeout=60,
                AttributeNames=["MessageGroupId"],
            ).get("Messages", [])
            if not got:
                if done_sending.is_set():
                    return
                continue
            with log_lock:
                received.extend((m["Body"], m.get("Attributes", {}).get("MessageGroupId", ""), m["MessageId"]) for m in got)
            result = client.delete_message_batch(
                QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]
            )
            assert not result.get("Failed"), result.get("Failed")

    def guarded(fn, *args):
        try:
            fn(*args)
        except BaseException as exc:  # surfaced below, with the thread's traceback
            errors.append(exc)
            raise

    started = time.perf_counter()
    with ThreadPoolExecutor(SENDERS + RECEIVERS) as pool:
        receivers = [pool.submit(guarded, receive) for _ in range(RECEIVERS)]
        senders = [pool.submit(guarded, send, s) for s in range(SENDERS)]
        for future in senders:
            future.exception()
        done_sending.set()
        for future in receivers:
            future.exception()
    elapsed = time.perf_counter() - started
    assert not errors, errors[0]
    return received, elapsed


def test_standard_queue_under_load_loses_nothing_and_duplicates_nothing(loaded_client, capsys):
    url = loaded_client.create_queue(QueueName="load")["QueueUrl"]
    received, elapsed = _run(loaded_client, url, fifo=False)
    total = _total(loaded_client)
    bodies = [body for body, _, _ in received]
    assert len(bodies) == total, f"{len(bodies)} received, {len(set(bodies))} distinct"
    assert len(set(bodies)) == total, "a message was delivered twice while in flight"
    assert set(bodies) == {f"{s}:{i}" for s in range(SENDERS) for i in range(total // SENDERS)}
    attrs = loaded_client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    with capsys.disabled():
        print(f"\nSQS standard {loaded_client.meta.service_model.protocol}: {total} messages in {elapsed:.2f}s = {total / elapsed:,.0f} msg/s")


def test_fifo_queue_under_load_keeps_order_per_group(loaded_client, capsys):
    url = loaded_client.create_queue(QueueName="load.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    received, elapsed = _run(loaded_client, url, fifo=True)
    total = _total(loaded_client)
    assert len(received) == total
    assert len({body for body, _, _ in received}) == total
    per_group: dict[str, list[int]] = defaultdict(list)
    for body, group, _ in received:
        sender, index = body.split(":")
        assert group == f"g{sender}-{int(index) % GROUPS_PER_SENDER}"
        per_group[group].append(int(index))
    assert len(per_group) == SENDERS * GROUPS_PER_SENDER
    for group, indices in per_group.items():
        assert indices == sorted(indices), f"group {group} out of order"
    with capsys.disabled():
        print(f"\nSQS FIFO {loaded_client.meta.service_model.protocol}: {total} messages in {elapsed:.2f}s = {total / elapsed:,.0f} msg/s")
