"""FIFO queues: order per group, blocked groups, deduplication, sequence numbers, attempt ids."""

from __future__ import annotations

import hashlib

import pytest
from botocore.exceptions import ClientError

from .conftest import error_code


@pytest.fixture
def fifo(make_queue):
    return lambda name="q.fifo", **attrs: make_queue(name, FifoQueue=True, **attrs)


def _send(sqs, url, body, group, dedup=None):
    return sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=dedup or body)


def test_order_is_kept_per_group_and_in_flight_groups_are_blocked(sqs, fifo):
    url = fifo()
    for i in range(4):
        _send(sqs, url, f"a{i}", "A")
        _send(sqs, url, f"b{i}", "B")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3, AttributeNames=["MessageGroupId"])["Messages"]
    assert [m["Body"] for m in first] == ["a0", "a1", "a2"]
    # Group A is in flight: its later message waits; group B is served.
    second = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in second] == ["b0", "b1", "b2", "b3"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    for m in first[:2]:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert "Messages" not in sqs.receive_message(QueueUrl=url), "a2 still in flight blocks group A"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[2]["ReceiptHandle"])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["a3"]


def test_a_group_is_redelivered_in_order_after_visibility_expires(sqs, fifo):
    url = fifo()
    for i in range(3):
        _send(sqs, url, f"m{i}", "G")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
    assert [m["Body"] for m in first] == ["m0", "m1"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[1]["ReceiptHandle"], VisibilityTimeout=0)
    assert "Messages" not in sqs.receive_message(QueueUrl=url), "m0 still in flight"
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    assert [(m["Body"], m["Attributes"]["ApproximateReceiveCount"]) for m in again] == [("m0", "2"), ("m1", "2"), ("m2", "1")]


def test_deduplication_with_explicit_ids_and_its_window(sqs, fifo, clock):
    url = fifo()
    first = _send(sqs, url, "one", "G", dedup="d1")
    duplicate = _send(sqs, url, "one again", "G", dedup="d1")
    assert duplicate["MessageId"] == first["MessageId"]
    assert duplicate["SequenceNumber"] == first["SequenceNumber"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in messages] == ["one"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    assert _send(sqs, url, "still deduplicated after delete", "G", dedup="d1")["MessageId"] == first["MessageId"]
    clock(301)
    later = _send(sqs, url, "after the window", "G", dedup="d1")
    assert later["MessageId"] != first["MessageId"]
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["after the window"]


def test_content_based_deduplication(sqs, fifo):
    url = fifo(ContentBasedDeduplication=True)
    a = sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="G")
    b = sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="G")
    c = sqs.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="G", MessageDeduplicationId="explicit")
    assert a["MessageId"] == b["MessageId"] != c["MessageId"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["MessageDeduplicationId"])["Messages"]
    assert [m["Attributes"]["MessageDeduplicationId"] for m in messages] == [
        hashlib.sha256(b"same").hexdigest(),
        "explicit",
    ]


def test_deduplication_scope_message_group(sqs, fifo):
    url = fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    a = _send(sqs, url, "x", "G1", dedup="same")
    b = _send(sqs, url, "x", "G2", dedup="same")
    assert a["MessageId"] != b["MessageId"]
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == 2


def test_sequence_numbers_increase_and_are_returned(sqs, fifo):
    url = fifo()
    numbers = [int(_send(sqs, url, f"m{i}", "G")["SequenceNumber"]) for i in range(5)]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    assert all(len(str(n)) == 20 for n in numbers)
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert [int(m["Attributes"]["SequenceNumber"]) for m in messages] == numbers
    assert {m["Attributes"]["MessageGroupId"] for m in messages} == {"G"}
    batch = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": f"b{i}", "MessageGroupId": "H", "MessageDeduplicationId": f"b{i}"} for i in range(3)
    ])["Successful"]
    assert [int(e["SequenceNumber"]) for e in batch] == sorted(int(e["SequenceNumber"]) for e in batch)
    assert int(batch[0]["SequenceNumber"]) > numbers[-1]


def test_receive_request_attempt_id_replays_the_same_receive(sqs, fifo):
    url = fifo()
    for i in range(3):
        _send(sqs, url, f"m{i}", f"G{i}")
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="try-1")["Messages"]
    retry = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, ReceiveRequestAttemptId="try-1")["Messages"]
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retry] == [(m["MessageId"], m["ReceiptHandle"]) for m in first]
    other = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, ReceiveRequestAttemptId="try-2")["Messages"]
    assert [m["Body"] for m in other] == ["m2"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    # A message of the first attempt changed: the attempt id no longer replays.
    assert "Messages" not in sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="try-1")


def test_fifo_rules_for_sending_and_deleting(sqs, fifo, make_queue, clock):
    url = fifo()
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
    assert error_code(exc) == "MissingParameter"
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="G")
    assert error_code(exc) == "InvalidParameterValue"
    assert "ContentBasedDeduplication" in exc.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="G", MessageDeduplicationId="d", DelaySeconds=5)
    assert error_code(exc) == "InvalidParameterValue"
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="G" * 129, MessageDeduplicationId="d")
    assert error_code(exc) == "InvalidParameterValue"
    standard = make_queue("standard")
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=standard, MessageBody="x", MessageDeduplicationId="d")
    assert error_code(exc) == "InvalidParameterValue"
    # Standard queues take a MessageGroupId (fair queues) and hand it back.
    sqs.send_message(QueueUrl=standard, MessageBody="x", MessageGroupId="tenant-1")
    got = sqs.receive_message(QueueUrl=standard, AttributeNames=["MessageGroupId"])["Messages"][0]
    assert got["Attributes"] == {"MessageGroupId": "tenant-1"}
    _send(sqs, url, "late", "G")
    message = sqs.receive_message(QueueUrl=url, VisibilityTimeout=10)["Messages"][0]
    clock(11)
    with pytest.raises(ClientError) as exc:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert error_code(exc) == "ReceiptHandleIsInvalid"
