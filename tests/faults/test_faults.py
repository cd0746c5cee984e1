"""Fault injection through real boto3 clients: errors, botocore's retries, latency, seeded
probability, partial batch failures, the admin routes."""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from botocore.retries.standard import ExponentialBackoff

from pytest_cloudmock.faults import Faults
from pytest_cloudmock.pytest_support.handle import CloudMock

RETRYING = BotoConfig(retries={"mode": "standard", "max_attempts": 3})


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore still decides whether to retry; only its backoff sleep (up to 3 s here) goes."""
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


# (service, operation, call, preset code, preset status): one per protocol family we serve.
PRESETS = [
    ("s3", "ListBuckets", lambda c: c.list_buckets(), "SlowDown", 503),
    ("sqs", "ListQueues", lambda c: c.list_queues(), "ThrottlingException", 400),
    ("sns", "ListTopics", lambda c: c.list_topics(), "Throttling", 400),
    ("iam", "ListUsers", lambda c: c.list_users(), "Throttling", 400),
    ("dynamodb", "ListTables", lambda c: c.list_tables(), "ProvisionedThroughputExceededException", 400),
]


@pytest.mark.parametrize(("service", "operation", "call", "code", "status"), PRESETS, ids=[p[0] for p in PRESETS])
def test_times_two_is_retried_through_by_standard_retries(
    cloudmock: CloudMock, no_backoff: None, service: str, operation: str, call: Any, code: str, status: int
) -> None:
    fault = cloudmock.faults.add(service, operation, times=2)
    answer = call(cloudmock.client(service, config=RETRYING))
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert fault.hits == 2 and fault.spent
    failed = [c for c in cloudmock.calls() if c.error_code]
    assert [(c.error_code, c.status) for c in failed] == [(code, status)] * 2


def test_without_retries_the_client_sees_each_fault(cloudmock: CloudMock) -> None:
    s3 = cloudmock.client("s3")
    s3.create_bucket(Bucket="faulted")
    cloudmock.faults.add("s3", "PutObject", times=2)
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            s3.put_object(Bucket="faulted", Key="k", Body=b"x")
        assert error_of(excinfo) == ("SlowDown", 503)
    s3.put_object(Bucket="faulted", Key="k", Body=b"x")
    assert s3.get_object(Bucket="faulted", Key="k")["Body"].read() == b"x"


def test_named_error_status_and_message(cloudmock: CloudMock) -> None:
    cloudmock.faults.add("sqs", "Create*", error="QueueDeletedRecently", status=400, message="wait 60 s")
    with pytest.raises(ClientError) as excinfo:
        cloudmock.client("sqs").create_queue(QueueName="q")
    # SQS's query-compatible code, as botocore reads it from real SQS
    assert error_of(excinfo) == ("AWS.SimpleQueueService.QueueDeletedRecently", 400)
    assert excinfo.value.response["Error"]["Message"] == "wait 60 s"
    cloudmock.client("sqs").list_queues()  # other operations are untouched


def test_seeded_probability_is_deterministic(cloudmock: CloudMock) -> None:
    sqs = cloudmock.client("sqs")

    def pattern() -> list[bool]:
        fault = cloudmock.faults.add("sqs", "ListQueues", probability=0.5, seed=1234)
        seen = []
        for _ in range(24):
            try:
                sqs.list_queues()
                seen.append(False)
            except ClientError:
                seen.append(True)
        fault.remove()
        return seen

    first = pattern()
    rng = random.Random(1234)
    assert first == [rng.random() < 0.5 for _ in range(24)]
    assert pattern() == first
    assert 0 < sum(first) < 24


def test_latency_delays_the_answer(cloudmock: CloudMock) -> None:
    sqs = cloudmock.client("sqs")
    cloudmock.faults.add("sqs", "ListQueues", latency=0.15)
    started = time.monotonic()
    sqs.list_queues()  # latency-only: the call goes through, late
    assert time.monotonic() - started >= 0.15
    cloudmock.faults.clear()
    cloudmock.faults.add("sqs", "ListQueues", latency=0.1, error="ServiceUnavailable", status=503)
    started = time.monotonic()
    with pytest.raises(ClientError) as excinfo:
        sqs.list_queues()
    assert time.monotonic() - started >= 0.1
    assert error_of(excinfo) == ("ServiceUnavailable", 503)


def test_sqs_send_batch_chosen_entries_fail_and_are_not_sent(cloudmock: CloudMock) -> None:
    sqs = cloudmock.client("sqs")
    url = sqs.create_queue(QueueName="batch")["QueueUrl"]
    cloudmock.faults.add("sqs", "SendMessageBatch", fail_entries=["b"], times=1)
    answer = sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": i, "MessageBody": f"body-{i}"} for i in ("a", "b", "c")]
    )
    assert sorted(e["Id"] for e in answer["Successful"]) == ["a", "c"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in answer["Failed"]] == [("b", "InternalError", False)]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in got) == ["body-a", "body-c"]

    handles = [{"Id": m["Body"], "ReceiptHandle": m["ReceiptHandle"]} for m in got]
    cloudmock.faults.add("sqs", "DeleteMessageBatch", fail_entries=["body-a"], error="ReceiptHandleIsInvalid",
                         status=400)
    answer = sqs.delete_message_batch(QueueUrl=url, Entries=handles)
    assert [e["Id"] for e in answer["Successful"]] == ["body-c"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in answer["Failed"]] == [
        ("body-a", "ReceiptHandleIsInvalid", True)
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessagesNotVisible"] == "1"  # body-a was not deleted


def test_sns_publish_batch_every_entry_failed(cloudmock: CloudMock) -> None:
    sns = cloudmock.client("sns")
    sqs = cloudmock.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="fanout")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    cloudmock.faults.add("sns", "PublishBatch", fail_entries=True, probability=1.0)
    answer = sns.publish_batch(
        TopicArn=topic, PublishBatchRequestEntries=[{"Id": "1", "Message": "m1"}, {"Id": "2", "Message": "m2"}]
    )
    assert answer["Successful"] == []
    assert sorted(e["Id"] for e in answer["Failed"]) == ["1", "2"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_faults_reach_service_to_service_calls(cloudmock: CloudMock) -> None:
    """SNS's fan-out into SQS goes through the same chain: a fault on SQS SendMessage drops it."""
    sns = cloudmock.client("sns")
    sqs = cloudmock.client("sqs")
    topic = sns.create_topic(Name="t")["TopicArn"]
    url = sqs.create_queue(QueueName="fanout")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    fault = cloudmock.faults.add("sqs", "SendMessage", times=1)
    sns.publish(TopicArn=topic, Message="lost")
    sns.publish(TopicArn=topic, Message="kept")
    cloudmock.gateway.settle()
    bodies = [json.loads(m["Body"])["Message"] for m in sqs.receive_message(QueueUrl=url)["Messages"]]
    assert fault.hits == 1 and bodies == ["kept"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"probability": 1.5}, "probability"),
        ({"times": 0}, "times"),
        ({"status": 200}, "status"),
        ({"latency": -1}, "latency"),
        ({"operation": "SendMessage", "fail_entries": ["a"]}, "batch operations"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Faults().add("sqs", **kwargs)


@pytest.mark.cloudmock_faults("sqs", "ListQueues", error="RequestThrottled", status=403, times=1)
@pytest.mark.cloudmock_faults("sns", "ListTopics")
def test_marker_adds_faults_for_the_test(cloudmock: CloudMock) -> None:
    assert sorted(f.service for f in cloudmock.faults.list()) == ["sns", "sqs"]
    with pytest.raises(ClientError) as excinfo:
        cloudmock.client("sqs").list_queues()
    assert error_of(excinfo) == ("RequestThrottled", 403)
    cloudmock.client("sqs").list_queues()  # times=1: spent
    with pytest.raises(ClientError) as excinfo:
        cloudmock.client("sns").list_topics()
    assert error_of(excinfo) == ("Throttling", 400)


def admin(cloudmock: CloudMock, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(f"{cloudmock.admin_endpoint}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_admin_routes(cloudmock: CloudMock) -> None:
    status, added = admin(cloudmock, "POST", "/api/faults", {"service": "sqs", "operation": "ListQueues",
                                                            "times": 1})
    assert status == 201 and added["service"] == "sqs" and added["hits"] == 0
    assert admin(cloudmock, "GET", "/api/faults") == (200, [added])
    with pytest.raises(ClientError):
        cloudmock.client("sqs").list_queues()
    status, listed = admin(cloudmock, "GET", "/api/faults")
    assert listed[0]["hits"] == 1 and listed[0]["spent"] is True
    assert admin(cloudmock, "DELETE", f"/api/faults/{added['id']}") == (200, {"removed": added["id"]})
    assert admin(cloudmock, "DELETE", f"/api/faults/{added['id']}")[0] == 404

    assert admin(cloudmock, "POST", "/api/faults", {"operation": "X"})[0] == 400
    status, error = admin(cloudmock, "POST", "/api/faults", {"service": "sqs", "tiems": 2})
    assert status == 400 and "tiems" in error["error"]
    assert admin(cloudmock, "POST", "/api/faults", {"service": "sqs", "probability": "high"})[0] == 400
    admin(cloudmock, "POST", "/api/faults", {"service": "sns"})
    admin(cloudmock, "POST", "/api/faults", {"service": "s3"})
    assert admin(cloudmock, "DELETE", "/api/faults") == (200, {"removed": 2})
    assert cloudmock.faults.list() == []
