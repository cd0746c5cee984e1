"""Messages: send, receive, delete, visibility, delays, retention, limits (json and query)."""

from __future__ import annotations

import hashlib
import random
import string
import threading
import time

import pytest
from botocore.exceptions import ClientError

from .conftest import error_code, md5_of_message_attributes

ALPHABET = string.ascii_letters + string.digits + "_-."


def _random_attributes(rng: random.Random) -> dict:
    attributes = {}
    for _ in range(rng.randint(1, 10)):
        name = rng.choice(string.ascii_letters) + "".join(rng.choice(string.ascii_letters + "_-") for _ in range(rng.randint(0, 12)))
        kind = rng.choice(["String", "Number", "Binary", "String.custom", "Number.int", "Binary.gif"])
        if kind.startswith("Binary"):
            attributes[name] = {"DataType": kind, "BinaryValue": rng.randbytes(rng.randint(1, 40))}
        elif kind.startswith("Number"):
            attributes[name] = {"DataType": kind, "StringValue": str(rng.choice([rng.randint(-10**9, 10**9), rng.uniform(-1e6, 1e6)]))}
        else:
            attributes[name] = {"DataType": kind, "StringValue": "".join(rng.choice("aZ9 é漢😀\t") for _ in range(rng.randint(1, 20)))}
    return attributes


def test_md5_digests_match_the_documented_algorithm(sqs, make_queue):
    """Bodies and attribute sets from a seeded generator: every digest AWS SDKs check is right."""
    rng = random.Random(6)
    url = make_queue("digests")
    sent = {}
    for _ in range(3):
        entries = []
        for i in range(10):
            body = "".join(rng.choice("ab c\n\té漢😀\U0010fffd") for _ in range(rng.randint(1, 60)))
            attributes = _random_attributes(rng)
            entries.append({"Id": f"m{i}", "MessageBody": body, "MessageAttributes": attributes})
        result = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert "Failed" not in result or not result["Failed"]
        for entry, ok in zip(entries, result["Successful"], strict=True):
            assert ok["Id"] == entry["Id"]
            assert ok["MD5OfMessageBody"] == hashlib.md5(entry["MessageBody"].encode()).hexdigest()
            assert ok["MD5OfMessageAttributes"] == md5_of_message_attributes(entry["MessageAttributes"])
            sent[ok["MessageId"]] = entry
    trace = {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793"}}
    one = sqs.send_message(QueueUrl=url, MessageBody="traced", MessageSystemAttributes=trace)
    assert one["MD5OfMessageSystemAttributes"] == md5_of_message_attributes(trace)
    assert "MD5OfMessageAttributes" not in one
    received = {}
    while len(received) < len(sent) + 1:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"], AttributeNames=["AWSTraceHeader"]).get("Messages", [])
        assert messages
        received.update({m["MessageId"]: m for m in messages})
    for message_id, entry in sent.items():
        got = received[message_id]
        assert got["Body"] == entry["MessageBody"]
        assert got["MD5OfBody"] == hashlib.md5(entry["MessageBody"].encode()).hexdigest()
        assert got["MessageAttributes"] == entry["MessageAttributes"]
        assert got["MD5OfMessageAttributes"] == md5_of_message_attributes(entry["MessageAttributes"])
    assert received[one["MessageId"]]["Attributes"] == {"AWSTraceHeader": trace["AWSTraceHeader"]["StringValue"]}


def test_receive_selects_system_and_message_attributes(sqs, make_queue):
    url = make_queue("selection")
    attributes = {
        "color": {"DataType": "String", "StringValue": "red"},
        "color.shade": {"DataType": "String", "StringValue": "dark"},
        "size": {"DataType": "Number", "StringValue": "3"},
    }
    before = int(time.time() * 1000)
    sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attributes)

    def receive(**kwargs):
        message = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0, **kwargs)["Messages"][0]
        return message.get("Attributes"), message.get("MessageAttributes")

    system, user = receive(AttributeNames=["All"], MessageAttributeNames=["All"])
    assert set(system) == {"SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"}
    assert before <= int(system["SentTimestamp"]) <= int(system["ApproximateFirstReceiveTimestamp"]) <= time.time() * 1000
    assert system["ApproximateReceiveCount"] == "1"
    assert user == attributes
    system, user = receive(AttributeNames=["ApproximateReceiveCount"], MessageAttributeNames=["color.*"])
    assert system == {"ApproximateReceiveCount": "2"}
    assert user == {"color.shade": attributes["color.shade"]}
    system, user = receive(MessageAttributeNames=["size", "missing"])
    assert system is None
    assert user == {"size": attributes["size"]}
    assert receive(MessageAttributeNames=[".*"])[1] == attributes
    assert receive() == (None, None)
    for names, selected in ((["All"], attributes), (["color.*"], ["color.shade"]), (["size", "color"], ["size", "color"])):
        message = sqs.receive_message(QueueUrl=url, VisibilityTimeout=0, MessageAttributeNames=names)["Messages"][0]
        expected = selected if isinstance(selected, dict) else {name: attributes[name] for name in selected}
        assert message["MD5OfMessageAttributes"] == md5_of_message_attributes(expected)  # of what was returned
    if sqs.meta.service_model.protocol == "json":
        system, _ = receive(MessageSystemAttributeNames=["SentTimestamp", "SenderId"])
        assert set(system) == {"SentTimestamp", "SenderId"}
    with pytest.raises(ClientError) as exc:
        receive(AttributeNames=["Bogus"])
    assert error_code(exc) == "InvalidAttributeName"


def test_receive_count_visibility_and_receipt_handles(sqs, make_queue, clock):
    url = make_queue("visibility", VisibilityTimeout=30)
    for i in range(15):
        sqs.send_message(QueueUrl=url, MessageBody=str(i))
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    second = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(first) == 10
    assert len(second) == 5
    assert sorted(int(m["Body"]) for m in first + second) == list(range(15))
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]) == ("0", "15")
    clock(31)
    again = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"], VisibilityTimeout=5)["Messages"]
    assert len(again) == 10
    assert {m["Attributes"]["ApproximateReceiveCount"] for m in again} == {"2"}
    handles = {m["MessageId"]: m["ReceiptHandle"] for m in first + second}
    assert all(handles[m["MessageId"]] != m["ReceiptHandle"] for m in again)
    clock(6)
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == 10


def test_a_zero_visibility_timeout_never_returns_a_message_twice_in_one_receive(sqs, make_queue):
    url = make_queue("zero")
    sqs.send_message(QueueUrl=url, MessageBody="a")
    sqs.send_message(QueueUrl=url, MessageBody="b")
    for _ in range(2):
        assert sorted(m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]) == ["a", "b"]


@pytest.mark.parametrize(
    "kwargs",
    [{"MaxNumberOfMessages": 11}, {"MaxNumberOfMessages": 0}, {"WaitTimeSeconds": 21}, {"VisibilityTimeout": 43201}],
)
def test_receive_rejects_out_of_range_parameters(sqs, make_queue, kwargs):
    url = make_queue("ranges")
    with pytest.raises(ClientError) as exc:
        sqs.receive_message(QueueUrl=url, **kwargs)
    assert error_code(exc) == "InvalidParameterValue"
    assert next(iter(kwargs)) in exc.value.response["Error"]["Message"]


def test_long_poll_returns_as_soon_as_a_message_arrives_without_blocking_others(sqs, make_queue, aws):
    url = make_queue("longpoll")
    result = {}

    def wait():
        started = time.monotonic()
        result["messages"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10).get("Messages", [])
        result["took"] = time.monotonic() - started

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert aws.clock.wait_for_waiters(1), "the long poll never started waiting"
    started = time.monotonic()
    sqs.list_queues()
    sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    assert time.monotonic() - started < 1.0, "other requests must not wait for the long poll"
    assert waiter.is_alive()
    sqs.send_message(QueueUrl=url, MessageBody="wake up")
    waiter.join(5)
    assert [m["Body"] for m in result["messages"]] == ["wake up"]
    assert result["took"] < 2.0


def test_long_poll_times_out_empty_and_queue_default_wait_applies(sqs, make_queue):
    url = make_queue("patient", ReceiveMessageWaitTimeSeconds=1)
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    assert 0.9 <= time.monotonic() - started < 3
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert time.monotonic() - started < 0.5


def test_long_poll_wakes_when_a_delayed_message_becomes_visible(sqs, make_queue):
    url = make_queue("delayed-poll")
    sqs.send_message(QueueUrl=url, MessageBody="soon", DelaySeconds=1)
    started = time.monotonic()
    messages = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)["Messages"]
    assert [m["Body"] for m in messages] == ["soon"]
    assert 0.8 <= time.monotonic() - started < 2.5


def test_delete_message_and_delete_batch(sqs, make_queue):
    url = make_queue("deletes")
    for i in range(4):
        sqs.send_message(QueueUrl=url, MessageBody=str(i))
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])  # already gone: fine
    result = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages[1:])]
        + [{"Id": "bad", "ReceiptHandle": "not-a-handle"}],
    )
    assert sorted(e["Id"] for e in result["Successful"]) == ["e0", "e1", "e2"]
    assert result["Failed"] == [{
        "Id": "bad", "SenderFault": True, "Code": "ReceiptHandleIsInvalid",
        "Message": 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
    }]
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0")
    with pytest.raises(ClientError) as exc:
        sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")
    assert error_code(exc) == "ReceiptHandleIsInvalid"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        ([], "AWS.SimpleQueueService.EmptyBatchRequest"),
        ([str(i) for i in range(11)], "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
        (["a", "a"], "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"),
        (["no spaces"], "AWS.SimpleQueueService.InvalidBatchEntryId"),
        (["x" * 81], "AWS.SimpleQueueService.InvalidBatchEntryId"),
    ],
)
def test_batch_request_errors(sqs, make_queue, ids, code):
    url = make_queue("batches")
    for call, entry in (
        (sqs.delete_message_batch, {"ReceiptHandle": "r"}),
        (sqs.change_message_visibility_batch, {"ReceiptHandle": "r", "VisibilityTimeout": 1}),
        (sqs.send_message_batch, {"MessageBody": "b"}),
    ):
        with pytest.raises(ClientError) as exc:
            call(QueueUrl=url, Entries=[{"Id": i, **entry} for i in ids])
        assert error_code(exc) == code
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_change_message_visibility(sqs, make_queue, clock):
    url = make_queue("changes", VisibilityTimeout=30)
    sqs.send_message(QueueUrl=url, MessageBody="a")
    sqs.send_message(QueueUrl=url, MessageBody="b")
    a, b = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=a["ReceiptHandle"], VisibilityTimeout=0)
    again = sqs.receive_message(QueueUrl=url, VisibilityTimeout=10)["Messages"]
    assert [m["MessageId"] for m in again] == [a["MessageId"]]
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=b["ReceiptHandle"], VisibilityTimeout=100)
    clock(60)
    assert [m["MessageId"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == [a["MessageId"]]
    with pytest.raises(ClientError) as exc:  # a's handle from the first receive is stale
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=a["ReceiptHandle"], VisibilityTimeout=5)
    assert error_code(exc) == "InvalidParameterValue"
    with pytest.raises(ClientError) as exc:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=b["ReceiptHandle"], VisibilityTimeout=43200)
    assert error_code(exc) == "InvalidParameterValue"
    assert "43200" in exc.value.response["Error"]["Message"]
    clock(50)  # b is visible again: not in flight
    with pytest.raises(sqs.exceptions.MessageNotInflight) as exc:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=b["ReceiptHandle"], VisibilityTimeout=5)
    assert error_code(exc) == "AWS.SimpleQueueService.MessageNotInflight"
    with pytest.raises(ClientError) as exc:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="junk", VisibilityTimeout=5)
    assert error_code(exc) == "ReceiptHandleIsInvalid"
    fresh = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    result = sqs.change_message_visibility_batch(
        QueueUrl=url,
        Entries=[{"Id": f"ok{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0} for i, m in enumerate(fresh)]
        + [{"Id": "bad", "ReceiptHandle": "junk", "VisibilityTimeout": 0}],
    )
    assert sorted(e["Id"] for e in result["Successful"]) == [f"ok{i}" for i in range(len(fresh))]
    assert [(f["Id"], f["Code"]) for f in result["Failed"]] == [("bad", "ReceiptHandleIsInvalid")]
    assert len(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]) == len(fresh)


def test_queue_and_message_delays(sqs, make_queue, clock):
    url = make_queue("delays", DelaySeconds=10, VisibilityTimeout=600)
    sqs.send_message(QueueUrl=url, MessageBody="queue-delay")
    sqs.send_message(QueueUrl=url, MessageBody="own-delay", DelaySeconds=100)
    sqs.send_message(QueueUrl=url, MessageBody="no-delay", DelaySeconds=0)
    counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesDelayed"]) == ("1", "2")
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["no-delay"]
    clock(11)
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["queue-delay"]
    clock(90)
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["own-delay"]
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=901)
    assert error_code(exc) == "InvalidParameterValue"


def test_retention_period_drops_old_messages(sqs, make_queue, clock):
    url = make_queue("short-lived", MessageRetentionPeriod=60)
    sqs.send_message(QueueUrl=url, MessageBody="old")
    clock(30)
    sqs.send_message(QueueUrl=url, MessageBody="new")
    clock(31)
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"] == {"ApproximateNumberOfMessages": "1"}
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["new"]


def test_message_size_limits(sqs, make_queue):
    url = make_queue("small", MaximumMessageSize=1024)
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
    for body, attributes in (
        ("x" * 1025, {}),
        ("é" * 513, {}),
        ("x" * 1000, {"attr": {"DataType": "String", "StringValue": "y" * 20}}),
    ):
        with pytest.raises(ClientError) as exc:
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
        assert error_code(exc) == "InvalidParameterValue"
        assert "1024 bytes" in exc.value.response["Error"]["Message"]
    big = make_queue("big")
    sqs.send_message(QueueUrl=big, MessageBody="x" * 1048576)
    with pytest.raises(ClientError) as exc:
        sqs.send_message_batch(QueueUrl=big, Entries=[{"Id": str(i), "MessageBody": "x" * 110_000} for i in range(10)])
    assert error_code(exc) == "AWS.SimpleQueueService.BatchRequestTooLong"


@pytest.mark.parametrize(
    ("body", "attributes", "code"),
    [
        ("bad \x00 char", {}, "InvalidMessageContents"),
        ("not a character \uffff", {}, "InvalidMessageContents"),
        ("ok", {"a": {"DataType": "Text", "StringValue": "v"}}, "InvalidParameterValue"),
        ("ok", {"a": {"DataType": "String", "StringValue": ""}}, "InvalidParameterValue"),
        ("ok", {"a": {"DataType": "Number", "StringValue": "12abc"}}, "InvalidParameterValue"),
        ("ok", {"AWS.reserved": {"DataType": "String", "StringValue": "v"}}, "InvalidParameterValue"),
        ("ok", {"a..b": {"DataType": "String", "StringValue": "v"}}, "InvalidParameterValue"),
        ("ok", {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}, "InvalidParameterValue"),
    ],
)
def test_send_rejects_bad_bodies_and_attributes(sqs, make_queue, body, attributes, code):
    url = make_queue("strict")
    with pytest.raises(ClientError) as exc:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
    assert error_code(exc) == code
    result = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "good", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": body, "MessageAttributes": attributes},
    ])
    assert [e["Id"] for e in result["Successful"]] == ["good"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in result["Failed"]] == [("bad", code, True)]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == "1"
