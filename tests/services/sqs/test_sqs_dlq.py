"""Dead-letter queues: redrive policies, moves after maxReceiveCount, source listing, move tasks."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from .conftest import error_code


def _arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _redrive(arn, count):
    return json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": str(count)})


def _bodies(sqs, url, **kwargs):
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kwargs).get("Messages", [])]


def test_message_moves_to_the_dlq_after_max_receive_count(sqs, make_queue):
    dlq = make_queue("dead")
    dlq_arn = _arn(sqs, dlq)
    source = make_queue("work", RedrivePolicy=_redrive(dlq_arn, 2))
    stored = sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
    assert stored == json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}, separators=(",", ":"))
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    sqs.send_message(QueueUrl=source, MessageBody="fine")
    for _ in range(2):
        assert sorted(_bodies(sqs, source, VisibilityTimeout=0)) == ["fine", "poison"]
    # Third receive: both exceeded maxReceiveCount and went to the DLQ instead.
    assert _bodies(sqs, source) == []
    moved = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"])["Messages"]
    poison = next(m for m in moved if m["Body"] == "poison")
    assert poison["MessageId"] == sent["MessageId"]
    assert poison["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert poison["Attributes"]["DeadLetterQueueSourceArn"] == _arn(sqs, source)
    assert sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_redrive_policy_validation(sqs, make_queue):
    dlq_arn = _arn(sqs, make_queue("dead"))
    fifo_dlq_arn = _arn(sqs, make_queue("dead.fifo", FifoQueue=True))
    source = make_queue("src")
    for policy in (
        _redrive("arn:aws:sqs:us-east-1:123456789012:missing", 3),
        _redrive(fifo_dlq_arn, 3),
        _redrive(dlq_arn, 0),
        _redrive(dlq_arn, 1001),
        json.dumps({"deadLetterTargetArn": dlq_arn}),
        json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1, "extra": 1}),
        "not json",
    ):
        with pytest.raises(ClientError) as exc:
            sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": policy})
        assert error_code(exc) == "InvalidParameterValue", policy
    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": _redrive(dlq_arn, 5)})
    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["RedrivePolicy"])


def test_redrive_allow_policy(sqs, make_queue):
    dlq = make_queue("guarded", RedriveAllowPolicy=json.dumps({"redrivePermission": "denyAll"}))
    dlq_arn = _arn(sqs, dlq)
    allowed = make_queue("allowed")
    with pytest.raises(ClientError) as exc:
        sqs.set_queue_attributes(QueueUrl=allowed, Attributes={"RedrivePolicy": _redrive(dlq_arn, 3)})
    assert error_code(exc) == "InvalidParameterValue"
    sqs.set_queue_attributes(QueueUrl=dlq, Attributes={
        "RedriveAllowPolicy": json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [_arn(sqs, allowed)]}),
    })
    sqs.set_queue_attributes(QueueUrl=allowed, Attributes={"RedrivePolicy": _redrive(dlq_arn, 3)})
    other = make_queue("other")
    with pytest.raises(ClientError):
        sqs.set_queue_attributes(QueueUrl=other, Attributes={"RedrivePolicy": _redrive(dlq_arn, 3)})
    with pytest.raises(ClientError) as exc:
        sqs.set_queue_attributes(QueueUrl=dlq, Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "sometimes"})})
    assert error_code(exc) == "InvalidParameterValue"


def test_list_dead_letter_source_queues(sqs, make_queue):
    dlq = make_queue("dead")
    dlq_arn = _arn(sqs, dlq)
    sources = [make_queue(f"src-{i}", RedrivePolicy=_redrive(dlq_arn, 3)) for i in range(3)]
    make_queue("unrelated")
    assert sorted(sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]) == sorted(sources)
    page = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    rest = sqs.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2, NextToken=page["NextToken"])
    assert page["queueUrls"] + rest["queueUrls"] == sorted(sources)
    assert "NextToken" not in rest
    assert sqs.list_dead_letter_source_queues(QueueUrl=sources[0]).get("queueUrls", []) == []  # query omits it


def test_message_move_task_redrives_to_the_source(sqs, make_queue):
    dlq = make_queue("dead")
    dlq_arn = _arn(sqs, dlq)
    source = make_queue("work", RedrivePolicy=_redrive(dlq_arn, 1))
    for i in range(3):
        sqs.send_message(QueueUrl=source, MessageBody=f"m{i}")
    _bodies(sqs, source, VisibilityTimeout=0)
    assert _bodies(sqs, source) == []
    with pytest.raises(ClientError) as exc:
        sqs.start_message_move_task(SourceArn=_arn(sqs, source))
    assert error_code(exc) == "InvalidParameterValue"
    with pytest.raises(ClientError) as exc:
        sqs.start_message_move_task(SourceArn="arn:aws:sqs:us-east-1:123456789012:nope")
    assert error_code(exc) == "ResourceNotFoundException"
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert handle
    tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert len(tasks) == 1
    assert tasks[0]["Status"] == "COMPLETED"
    assert (tasks[0]["ApproximateNumberOfMessagesMoved"], tasks[0]["ApproximateNumberOfMessagesToMove"]) == (3, 3)
    assert "TaskHandle" not in tasks[0]
    got = sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    assert sorted(m["Body"] for m in got) == ["m0", "m1", "m2"]
    assert {m["Attributes"]["ApproximateReceiveCount"] for m in got} == {"1"}
    with pytest.raises(ClientError) as exc:
        sqs.cancel_message_move_task(TaskHandle=handle)
    assert error_code(exc) == "ResourceNotFoundException"


def test_rate_limited_move_task_can_be_listed_and_cancelled(sqs, make_queue, frozen):
    dlq = make_queue("dead")
    dlq_arn = _arn(sqs, dlq)
    make_queue("work", RedrivePolicy=_redrive(dlq_arn, 5))  # makes "dead" a dead-letter queue
    target = make_queue("elsewhere")
    for i in range(5):
        sqs.send_message(QueueUrl=dlq, MessageBody=f"m{i}")
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=_arn(sqs, target), MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    with pytest.raises(ClientError):  # one active task per source
        sqs.start_message_move_task(SourceArn=dlq_arn)
    running = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"][0]
    assert running["Status"] == "RUNNING"
    assert running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 1
    assert running["DestinationArn"] == _arn(sqs, target)
    assert running["ApproximateNumberOfMessagesToMove"] == 5
    assert frozen.wait_for_waiters(1), "the task never waited for its next second"
    moved = sqs.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
    assert moved == 1  # one message a second, and the clock is frozen
    assert sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"] == "CANCELLED"
    assert len(_bodies(sqs, target)) == moved


def test_move_task_fails_for_messages_with_no_source_and_keeps_them(sqs, make_queue):
    dlq = make_queue("dead")
    dlq_arn = _arn(sqs, dlq)
    make_queue("work", RedrivePolicy=_redrive(dlq_arn, 3))
    sqs.send_message(QueueUrl=dlq, MessageBody="sent here directly")
    sqs.start_message_move_task(SourceArn=dlq_arn)
    task = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
    assert task["Status"] == "FAILED"
    assert task["FailureReason"]
    assert _bodies(sqs, dlq) == ["sent here directly"]
