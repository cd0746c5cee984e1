"""Direct store access: seed through the store, read through boto3; snapshots; resets."""

from __future__ import annotations

import threading
import time

from .conftest import ACCOUNT, REGION, md5_of_message_attributes


def test_messages_seeded_through_the_store_are_received_through_boto3(sqs, sqs_service):
    url = sqs.create_queue(QueueName="seeded")["QueueUrl"]
    queue = sqs_service.store.get(ACCOUNT, REGION).queues["seeded"]
    attributes = {"kind": {"DataType": "String", "StringValue": "seed"}}
    seeded = [queue.put(f"body-{i}", message_attributes=attributes) for i in range(3)]
    later = queue.put("later", delay=60)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesDelayed"]) == ("3", "1")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
    assert sorted(m["MessageId"] for m in got) == sorted(m.message_id for m in seeded)
    assert all(m["MessageAttributes"] == attributes for m in got)
    assert all(m["MD5OfMessageAttributes"] == md5_of_message_attributes(attributes) for m in got)
    # ...and the store shows what boto3 did.
    assert all(m.receive_count == 1 for m in seeded)
    assert later.receive_count == 0
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    assert len(queue.messages) == 3


def test_seeding_a_fifo_queue_keeps_group_order(sqs, sqs_service):
    url = sqs.create_queue(QueueName="seeded.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    queue = sqs_service.store.get(ACCOUNT, REGION).queues["seeded.fifo"]
    for i in range(3):
        queue.put(f"m{i}", group_id="G")
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in got] == ["m0", "m1", "m2"]
    assert {m["Attributes"]["MessageGroupId"] for m in got} == {"G"}


def test_snapshot_and_restore(sqs, sqs_service):
    url = sqs.create_queue(QueueName="snap")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="kept")
    snapshot = sqs_service.store.snapshot()
    sqs.send_message(QueueUrl=url, MessageBody="dropped")
    sqs.create_queue(QueueName="also-dropped")
    sqs_service.store.restore(snapshot)
    assert [u.rsplit("/", 1)[1] for u in sqs.list_queues()["QueueUrls"]] == ["snap"]
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["kept"]
    sqs_service.store.restore(snapshot)  # reusable
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["kept"]


def test_reset_forgets_queues_and_ends_waiting_long_polls(sqs, aws):
    url = sqs.create_queue(QueueName="reset-me")["QueueUrl"]
    result = {}

    def wait():
        started = time.monotonic()
        result["response"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
        result["took"] = time.monotonic() - started

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert aws.clock.wait_for_waiters(1), "the long poll never started waiting"
    aws.reset()
    waiter.join(5)
    assert "Messages" not in result["response"]
    assert result["took"] < 3
    assert "QueueUrls" not in sqs.list_queues()
