"""SNS publish and fan-out over the gateway: to SQS (through the registry) and Lambda."""

from __future__ import annotations

import base64
import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from pytest_cloudmock.api import Action, RequestContext

from ..aws_errors import error_of
from ..credentials_clients import client_for

ACCOUNT = "123456789012"
ENVELOPE_KEYS = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                 "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]


@pytest.fixture
def sns(client):
    return client("sns")


@pytest.fixture
def sqs(client):
    return client("sqs")


def make_queue(sqs, name: str, **attributes: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive_all(sqs, url: str, **kwargs: Any) -> list[dict]:
    got: list[dict] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kwargs).get("Messages", [])
        if not batch:
            return got
        got += batch
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])


def test_envelope_is_aws_exact(aws, sns, sqs):
    url, queue_arn = make_queue(sqs, "envelope")
    topic = sns.create_topic(Name="env")["TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    published = sns.publish(TopicArn=topic, Message='{"order": 1}\nline two', Subject="Hi", MessageAttributes={
        "colour": {"DataType": "String", "StringValue": "blue"},
        "size": {"DataType": "Number", "StringValue": "10.5"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
    })
    message, = sqs.receive_message(QueueUrl=url)["Messages"]  # the very next receive sees it
    body = message["Body"]
    envelope = json.loads(body)
    assert list(envelope) == ENVELOPE_KEYS
    assert envelope["MessageId"] == published["MessageId"]
    assert (envelope["Type"], envelope["TopicArn"], envelope["Subject"], envelope["Message"]) == (
        "Notification", topic, "Hi", '{"order": 1}\nline two')
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", envelope["Timestamp"])
    assert envelope["SignatureVersion"] == "1" and len(base64.b64decode(envelope["Signature"])) == 256
    assert re.fullmatch(r"https://sns\.us-east-1\.amazonaws\.com/SimpleNotificationService-\S+\.pem",
                        envelope["SigningCertURL"])
    assert envelope["UnsubscribeURL"] == f"{aws.endpoint}/?Action=Unsubscribe&SubscriptionArn={sub}"
    assert envelope["MessageAttributes"] == {
        "blob": {"Type": "Binary", "Value": "AP8="},
        "colour": {"Type": "String", "Value": "blue"},
        "size": {"Type": "Number", "Value": "10.5"},
    }
    # AWS's layout, byte for byte
    lines = body.split("\n")
    assert lines[0] == "{" and lines[1] == '  "Type" : "Notification",' and lines[-1] == "}"
    assert '  "Message" : "{\\"order\\": 1}\\nline two",' in lines
    assert '    "colour" : {"Type":"String","Value":"blue"},' in lines
    # the UnsubscribeURL works against the gateway
    assert requests.get(envelope["UnsubscribeURL"], timeout=10).status_code == 200
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    sns.publish(TopicArn=topic, Message="after")
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_envelope_without_subject_or_attributes(sns, sqs):
    url, queue_arn = make_queue(sqs, "plain")
    topic = sns.create_topic(Name="plain")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sns.publish(TopicArn=topic, Message="x")
    envelope = json.loads(sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert list(envelope) == [k for k in ENVELOPE_KEYS if k not in ("Subject", "MessageAttributes")]


def test_raw_delivery_maps_attributes_to_sqs(sns, sqs):
    url, queue_arn = make_queue(sqs, "raw")
    topic = sns.create_topic(Name="raw")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    sns.publish(TopicArn=topic, Message="just the body", MessageAttributes={
        "s": {"DataType": "String", "StringValue": "v"},
        "n": {"DataType": "Number", "StringValue": "42"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"},
        "a": {"DataType": "String.Array", "StringValue": '["x", 1]'},
    })
    message, = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
    assert message["Body"] == "just the body"
    assert message["MessageAttributes"] == {
        "s": {"DataType": "String", "StringValue": "v"},
        "n": {"DataType": "Number", "StringValue": "42"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"},
        "a": {"DataType": "String.Array", "StringValue": '["x", 1]'},
    }


def test_message_structure_json_picks_the_protocols_message(aws, sns, sqs):
    url, queue_arn = make_queue(sqs, "structured")
    topic = sns.create_topic(Name="structured")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint="+15555550100")
    sns.publish(TopicArn=topic, MessageStructure="json",
                Message=json.dumps({"default": "fallback", "sqs": "for queues"}))
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "for queues"
    assert aws.registry.get("sns").store.get(ACCOUNT, "us-east-1").outbox[-1].message == "fallback"
    assert error_of(sns.publish, TopicArn=topic, MessageStructure="json", Message='{"sqs": "x"}') == (
        "InvalidParameter", "Invalid parameter: Message Structure - No default entry in JSON message body")
    assert error_of(sns.publish, TopicArn=topic, MessageStructure="json", Message="{")[0] == "InvalidParameter"


def test_fifo_topic_to_fifo_queue(sns, sqs):
    url, queue_arn = make_queue(sqs, "orders.fifo", FifoQueue="true")
    std_url, std_arn = make_queue(sqs, "audit")
    topic = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=std_arn)
    sequence = []
    for i in range(6):
        out = sns.publish(TopicArn=topic, Message=f"m{i}", MessageGroupId=f"g{i % 2}", MessageDeduplicationId=f"d{i}")
        sequence.append(int(out["SequenceNumber"]))
    assert sequence == sorted(sequence) and len(set(sequence)) == 6
    again = sns.publish(TopicArn=topic, Message="m0 again", MessageGroupId="g0", MessageDeduplicationId="d0")
    assert int(again["SequenceNumber"]) == sequence[0]  # a duplicate: same answer, not delivered
    got = receive_all(sqs, url, AttributeNames=["MessageGroupId", "MessageDeduplicationId"])
    bodies_by_group: dict[str, list[str]] = {}
    for m in got:
        bodies_by_group.setdefault(m["Attributes"]["MessageGroupId"], []).append(m["Body"])
    assert bodies_by_group == {"g0": ["m0", "m2", "m4"], "g1": ["m1", "m3", "m5"]}
    assert {m["Attributes"]["MessageDeduplicationId"] for m in got} == {f"d{i}" for i in range(6)}
    audit = [json.loads(m["Body"]) for m in receive_all(sqs, std_url)]
    assert sorted(e["SequenceNumber"] for e in audit) == [f"{s:020d}" for s in sequence]
    assert list(audit[0]) == ["Type", "MessageId", "SequenceNumber", "TopicArn", "Message", "Timestamp",
                              "UnsubscribeURL"]  # FIFO envelopes are not signed


def test_fifo_dedup_window_is_five_minutes_and_forgets_what_it_passed(aws, frozen, sns, sqs):
    """AWS: a deduplication id is remembered for 5 minutes. An id sent again inside the window is
    the same message (same id and sequence number, not delivered); after it, a new one. The
    window's ids are dropped as they expire, so its size (and a publish's cost) stays bounded."""
    url, queue_arn = make_queue(sqs, "window.fifo", FifoQueue="true")
    topic = sns.create_topic(Name="window.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

    def publish(dedup_id: str, body: str) -> dict:
        return sns.publish(TopicArn=topic, Message=body, MessageGroupId="g", MessageDeduplicationId=dedup_id)

    first = publish("a", "first")
    frozen.advance(299)
    assert publish("a", "inside")["MessageId"] == first["MessageId"]
    frozen.advance(1)  # 300 s after the first: the window has passed
    after = publish("a", "after")
    assert after["MessageId"] != first["MessageId"]
    assert int(after["SequenceNumber"]) > int(first["SequenceNumber"])
    assert publish("a", "after again")["MessageId"] == after["MessageId"]  # the new send opened a new window
    assert [m["Body"] for m in receive_all(sqs, url)] == ["first", "after"]

    for i in range(50):
        publish(f"bulk{i}", "x")
    frozen.advance(300)
    publish("last", "x")
    state = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1")
    stored = state.topics[topic]
    assert set(stored.dedup) == {"last"} and len(stored.dedup_order) == 1


def test_fifo_publish_rules_and_content_based_dedup(sns):
    topic = sns.create_topic(Name="cb.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    assert error_of(sns.publish, TopicArn=topic, Message="x", MessageDeduplicationId="d") == (
        "InvalidParameter", "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
    assert error_of(sns.publish, TopicArn=topic, Message="x", MessageGroupId="g")[0] == "InvalidParameter"
    sns.set_topic_attributes(TopicArn=topic, AttributeName="ContentBasedDeduplication", AttributeValue="true")
    first = sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")
    assert sns.publish(TopicArn=topic, Message="same", MessageGroupId="g")["MessageId"] == first["MessageId"]
    assert sns.publish(TopicArn=topic, Message="other", MessageGroupId="g")["MessageId"] != first["MessageId"]
    standard = sns.create_topic(Name="std")["TopicArn"]
    code, message = error_of(sns.publish, TopicArn=standard, Message="x", MessageDeduplicationId="d")
    assert code == "InvalidParameter" and message.startswith("Invalid parameter: MessageDeduplicationId")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"Message": ""}, "Invalid parameter: Empty message"),
    ({"Message": "x" * 262145}, "Invalid parameter: Message too long"),
    ({"Message": "x", "Subject": "two\nlines"}, "Invalid parameter: Subject"),
    ({"Message": "x", "Subject": "s" * 101}, "Invalid parameter: Subject"),
    ({"Message": "x", "MessageAttributes": {"a": {"DataType": "Blob", "StringValue": "v"}}},
     "Invalid parameter: MessageAttributes Reason: The message attribute 'a' has an invalid message attribute "
     "type, the set of supported type prefixes is Binary, Number, and String."),
    ({"Message": "x", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "abc"}}},
     "Invalid parameter: MessageAttributes Reason: Could not cast message attribute 'n' value to number."),
    ({"Message": "x", "MessageAttributes": {"s": {"DataType": "String", "StringValue": ""}}},
     "Invalid parameter: MessageAttributes Reason: The message attribute 's' must contain non-empty message "
     "attribute value for message attribute type 'String'."),
    ({"Message": "x", "MessageAttributes": {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}},
     "Invalid parameter: MessageAttributes Reason: Number of message attributes [11] exceeds the allowed maximum [10]."),
])
def test_publish_errors(sns, kwargs, message):
    topic = sns.create_topic(Name="errors")["TopicArn"]
    assert error_of(sns.publish, TopicArn=topic, **kwargs) == ("InvalidParameter", message)


def test_publish_target_errors(sns):
    missing = f"arn:aws:sns:us-east-1:{ACCOUNT}:missing"
    assert error_of(sns.publish, TopicArn=missing, Message="x") == ("NotFound", "Topic does not exist")
    assert error_of(sns.publish, Message="x")[0] == "InvalidParameter"
    assert error_of(sns.publish, TopicArn=missing, PhoneNumber="+15555550100", Message="x")[0] == "InvalidParameter"
    topic = sns.create_topic(Name="via-target")["TopicArn"]
    assert "MessageId" in sns.publish(TargetArn=topic, Message="x")


def test_publish_batch(sns, sqs):
    url, queue_arn = make_queue(sqs, "batch")
    topic = sns.create_topic(Name="batch")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    out = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "ok1", "Message": "one"},
        {"Id": "bad", "Message": "two", "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "x"}}},
        {"Id": "ok2", "Message": "three", "Subject": "s"},
    ])
    assert [s["Id"] for s in out["Successful"]] == ["ok1", "ok2"]
    failed, = out["Failed"]
    assert (failed["Id"], failed["Code"], failed["SenderFault"]) == ("bad", "InvalidParameter", True)
    assert sorted(m["Body"] for m in receive_all(sqs, url)) == ["one", "three"]
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[])[0] == "EmptyBatchRequest"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": str(i), "Message": "m"} for i in range(11)])[0] == "TooManyEntriesInBatchRequest"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "same", "Message": "m"}, {"Id": "same", "Message": "m"}])[0] == "BatchEntryIdsNotDistinct"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "no spaces", "Message": "m"}])[0] == "InvalidBatchEntryId"


def test_fifo_publish_batch_returns_sequence_numbers(sns):
    topic = sns.create_topic(Name="b.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    out = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": f"e{i}", "Message": f"m{i}", "MessageGroupId": "g", "MessageDeduplicationId": f"d{i}"}
        for i in range(3)])
    numbers = [int(s["SequenceNumber"]) for s in out["Successful"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_cross_account_queue_and_failed_delivery(aws, sns, sqs):
    theirs = client_for(aws, "sqs", key="111111111111")
    url, queue_arn = make_queue(theirs, "their-queue")
    assert ":111111111111:" in queue_arn
    topic = sns.create_topic(Name="shared")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:{ACCOUNT}:never-created")
    sns.publish(TopicArn=topic, Message="across accounts")
    assert json.loads(theirs.receive_message(QueueUrl=url)["Messages"][0]["Body"])["Message"] == "across accounts"
    failed, = aws.registry.get("sns").store.get(ACCOUNT, "us-east-1").failed
    assert failed.endpoint.endswith(":never-created") and "QueueDoesNotExist" in failed.error


def test_each_delivery_is_one_internal_send_message_to_the_queue(aws, client, sns, sqs, frozen):
    """A delivery to a queue in another region, deleted and made again, and one with a DLQ
    (whose redrive policy is read on receive): one SendMessage per subscription, as SNS's principal."""
    from pytest_cloudmock.interception import Interceptor

    there = client("sqs", region_name="eu-west-1")
    url, queue_arn = make_queue(there, "elsewhere")
    dlq_url, dlq_arn = make_queue(sqs, "fanout-dlq")
    local_url, local_arn = make_queue(sqs, "here", RedrivePolicy=json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}))
    topic = sns.create_topic(Name="regions")["TopicArn"]
    for arn in (queue_arn, local_arn):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    seen: list[tuple[str, str, str, Any]] = []
    aws.registry.interceptors.add(Interceptor("sqs", before=lambda ctx: seen.append(
        (ctx.operation, ctx.protocol, ctx.region, ctx.acting_as))))
    sns.publish(TopicArn=topic, Message="first")
    assert sorted((op, protocol, region) for op, protocol, region, _ in seen) == [
        ("SendMessage", "internal", "eu-west-1"), ("SendMessage", "internal", "us-east-1")]
    assert {acting.principal for *_, acting in seen} == {"sns.amazonaws.com"}
    assert json.loads(there.receive_message(QueueUrl=url)["Messages"][0]["Body"])["Message"] == "first"

    there.delete_queue(QueueUrl=url)
    frozen.advance(61)  # SQS refuses the name for 60 s after a delete
    there.create_queue(QueueName="elsewhere")
    sns.publish(TopicArn=topic, Message="second")
    assert json.loads(there.receive_message(QueueUrl=url)["Messages"][0]["Body"])["Message"] == "second"
    assert not aws.registry.get("sns").store.get(ACCOUNT, "us-east-1").failed

    for _ in range(2):  # the second receive finds them past maxReceiveCount: moved to the DLQ
        sqs.receive_message(QueueUrl=local_url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    bodies = [json.loads(m["Body"])["Message"] for m in receive_all(sqs, dlq_url)]
    assert sorted(bodies) == ["first", "second"]


def test_filter_policies_end_to_end(sns, sqs):
    topic = sns.create_topic(Name="filtered")["TopicArn"]
    queues = {}
    policies = {
        "attrs": ({"colour": ["blue", {"prefix": "gr"}], "size": [{"numeric": [">=", 10]}]}, "MessageAttributes"),
        "body": ({"order": {"status": [{"anything-but": ["cancelled"]}]}}, "MessageBody"),
        "absent": ({"colour": [{"exists": False}]}, "MessageAttributes"),
    }
    for name, (policy, scope) in policies.items():
        url, arn = make_queue(sqs, name)
        queues[name] = url
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={
            "RawMessageDelivery": "true", "FilterPolicy": json.dumps(policy), "FilterPolicyScope": scope})

    def publish(body: dict, **attributes: tuple[str, str]) -> None:
        sns.publish(TopicArn=topic, Message=json.dumps(body), MessageAttributes={
            k: {"DataType": t, "StringValue": v} for k, (t, v) in attributes.items()})

    publish({"id": 1, "order": {"status": "new"}}, colour=("String", "green"), size=("Number", "12"))
    publish({"id": 2, "order": {"status": "cancelled"}}, colour=("String", "blue"), size=("Number", "9"))
    publish({"id": 3, "order": [{"status": "cancelled"}, {"status": "paid"}]})
    publish({"id": 4}, colour=("String", "red"), size=("Number", "100"))

    def ids(name: str) -> list[int]:
        return sorted(json.loads(m["Body"])["id"] for m in receive_all(sqs, queues[name]))

    assert ids("attrs") == [1]
    assert ids("body") == [1, 3]
    assert ids("absent") == [3]


def test_concurrent_publishers_lose_nothing(sns, sqs):
    url, queue_arn = make_queue(sqs, "busy")
    topic = sns.create_topic(Name="busy")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

    def publish(worker: int) -> list[str]:
        return [sns.publish(TopicArn=topic, Message=f"{worker}-{i}")["MessageId"] for i in range(40)]

    with ThreadPoolExecutor(4) as pool:
        ids = [i for chunk in pool.map(publish, range(4)) for i in chunk]
    assert len(set(ids)) == 160
    assert sorted(m["Body"] for m in receive_all(sqs, url)) == sorted(f"{w}-{i}" for w in range(4) for i in range(40))


def test_fifo_order_holds_under_concurrent_publishers(sns, sqs):
    url, queue_arn = make_queue(sqs, "ordered.fifo", FifoQueue="true")
    topic = sns.create_topic(Name="ordered.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})

    def publish(worker: int) -> list[tuple[int, str]]:
        sent = []
        for i in range(25):
            body = f"{worker}-{i}"
            out = sns.publish(TopicArn=topic, Message=body, MessageGroupId="one", MessageDeduplicationId=body)
            sent.append((int(out["SequenceNumber"]), body))
        return sent

    with ThreadPoolExecutor(4) as pool:
        sent = sorted(s for chunk in pool.map(publish, range(4)) for s in chunk)
    assert [m["Body"] for m in receive_all(sqs, url)] == [body for _, body in sent]


class LambdaStandIn:
    """Just enough of Lambda's `Invoke` to see what SNS sends (the real Lambda is another issue)."""

    name = "lambda"

    def __init__(self) -> None:
        self.invocations: list[dict] = []

    def actions(self) -> list[Action]:
        return [Action("Invoke")]

    def handle_request(self, ctx: RequestContext) -> dict:
        assert ctx.operation == "Invoke"
        self.invocations.append({**ctx.params, "account": ctx.account_id, "region": ctx.region})
        return {"StatusCode": 202}

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        self.invocations.clear()


def test_lambda_subscription_invokes_through_the_registry(aws, sns):
    saved = aws.registry.snapshot()
    stand_in = aws.registry.register(LambdaStandIn())
    try:
        function = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:handler"
        topic = sns.create_topic(Name="to-lambda")["TopicArn"]
        sub = sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=function)["SubscriptionArn"]
        published = sns.publish(TopicArn=topic, Message="event!", MessageAttributes={
            "k": {"DataType": "String", "StringValue": "v"}})
        call, = stand_in.invocations
        assert (call["FunctionName"], call["InvocationType"], call["account"]) == (function, "Event", ACCOUNT)
        record, = json.loads(call["Payload"])["Records"]
        assert (record["EventSource"], record["EventVersion"], record["EventSubscriptionArn"]) == (
            "aws:sns", "1.0", sub)
        assert record["Sns"]["MessageId"] == published["MessageId"]
        assert (record["Sns"]["Message"], record["Sns"]["Subject"]) == ("event!", None)
        assert record["Sns"]["MessageAttributes"] == {"k": {"Type": "String", "Value": "v"}}
        assert {"SigningCertUrl", "UnsubscribeUrl", "Signature", "Timestamp"} <= set(record["Sns"])
    finally:
        aws.registry.restore(saved)
