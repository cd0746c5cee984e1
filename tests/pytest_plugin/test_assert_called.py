"""`cloudmock.assert_called(service, operation, count=None, **params)` (issue 13)."""

from __future__ import annotations

import re
from typing import Any

import pytest


def test_matching_calls_are_returned_and_counted(cloudmock: Any) -> None:
    s3 = cloudmock.client("s3")
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="a.jpg", Body=b"x" * 5000)  # a body: not kept
    s3.put_object(Bucket="photos", Key="b.jpg", Body=b"y")
    (call,) = cloudmock.assert_called("s3", "PutObject", count=1, Bucket="photos", Key="b.jpg")
    assert call.status == 200
    assert len(cloudmock.assert_called("s3", "PutObject", Bucket="photos")) == 2
    cloudmock.assert_called("s3", "PutObject", count=2)
    cloudmock.assert_called("s3", "DeleteObject", count=0)
    assert all(c.params is not None and "Body" not in c.params for c in cloudmock.calls())


def test_a_failure_lists_the_near_misses(cloudmock: Any) -> None:
    sqs = cloudmock.client("sqs")
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    with pytest.raises(sqs.exceptions.ClientError):
        sqs.get_queue_url(QueueName="nope")
    with pytest.raises(AssertionError) as failure:
        cloudmock.assert_called("sqs", "SendMessage", MessageBody="bye", DelaySeconds=5)
    message = str(failure.value)
    assert message.startswith(
        "expected sqs SendMessage(MessageBody='bye', DelaySeconds=5) to be called at least once; "
        "it was called 0 times in this test\nnear misses (this test's other calls to sqs):"
    )
    assert re.search(r"SendMessage\(QueueUrl='[^']+/jobs', MessageBody='hello'\) -> 200: "
                     r"MessageBody is 'hello'; no DelaySeconds", message)
    assert "CreateQueue(QueueName='jobs') -> 200: another operation" in message
    assert "GetQueueUrl(QueueName='nope') -> 400 AWS.SimpleQueueService.NonExistentQueue" in message \
        or "GetQueueUrl(QueueName='nope') -> 400 QueueDoesNotExist" in message


def test_a_wrong_count_and_no_call_at_all_say_so(cloudmock: Any) -> None:
    cloudmock.client("sns").create_topic(Name="t")
    with pytest.raises(AssertionError, match="expected sns CreateTopic\\(Name='t'\\) to be called twice; "
                                             "it was called once in this test"):
        cloudmock.assert_called("sns", "CreateTopic", count=2, Name="t")
    with pytest.raises(AssertionError, match=r"no call to s3 in this test \(calls made: sns CreateTopic\)"):
        cloudmock.assert_called("s3", "ListBuckets")


def test_only_the_current_tests_calls_count(cloudmock: Any) -> None:
    with pytest.raises(AssertionError, match="no call to sns in this test$"):
        cloudmock.assert_called("sns", "CreateTopic")  # the previous test's call is not this test's
