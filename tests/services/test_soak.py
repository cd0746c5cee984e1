"""Issue 11: concurrency soaks over real HTTP, small in CI.

`CLOUDMOCK_SOAK_SCALE=50` makes the README's large run (SQS 8 x 5,000 messages).
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.config import Config
from pytest_cloudmock.gateway import Gateway

SCALE = int(os.environ.get("CLOUDMOCK_SOAK_SCALE", "1"))
THREADS = 8
PER_THREAD = 100 * SCALE


@pytest.fixture(scope="module")
def gw() -> Iterator[Gateway]:
    gateway = Gateway(Config(admin_port=None)).start()
    yield gateway
    gateway.stop()


@pytest.fixture(scope="module")
def clients(gw: Gateway) -> Callable[[str, int], list[Any]]:
    session = boto3.Session(aws_access_key_id="AKIASOAKSOAKSOAK0001", aws_secret_access_key="x",
                            region_name="us-east-1")
    config = BotoConfig(retries={"total_max_attempts": 1}, max_pool_connections=THREADS)

    def make(service: str, count: int) -> list[Any]:
        return [session.client(service, endpoint_url=gw.endpoint, config=config) for _ in range(count)]

    return make


def in_threads(work: Callable[[int], None], count: int = THREADS) -> None:
    """Run `work(i)` in `count` threads; re-raise the first failure."""
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not [t for t in threads if t.is_alive()], "a soak thread hung"
    if errors:
        raise errors[0]


def drain(sqs: Any, url: str, expected: int) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while len(got) < expected:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
        if not batch:
            break
        got.extend(batch)
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)])
    return got


def test_sqs_standard_no_message_lost_or_duplicated(clients) -> None:
    sqs = clients("sqs", THREADS)
    url = sqs[0].create_queue(QueueName="soak")["QueueUrl"]

    def send(i: int) -> None:
        for start in range(0, PER_THREAD, 10):
            sqs[i].send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(n), "MessageBody": f"{i}-{n}"} for n in range(start, min(start + 10, PER_THREAD))])

    in_threads(send)
    received: list[str] = []
    lock = threading.Lock()

    def receive(i: int) -> None:
        while True:
            batch = sqs[i].receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return
            with lock:
                received.extend(m["Body"] for m in batch)
            sqs[i].delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(batch)])

    in_threads(receive)
    assert len(received) == THREADS * PER_THREAD
    assert Counter(received).most_common(1)[0][1] == 1


def test_sqs_fifo_keeps_order_per_group(clients) -> None:
    sqs = clients("sqs", THREADS)
    url = sqs[0].create_queue(QueueName="soak.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]

    def send(i: int) -> None:
        for n in range(PER_THREAD // 4):
            sqs[i].send_message(QueueUrl=url, MessageBody=f"{i}-{n}", MessageGroupId=f"g{i}")

    in_threads(send)
    messages = drain(sqs[0], url, THREADS * (PER_THREAD // 4))
    by_group: dict[str, list[int]] = {}
    for message in messages:
        group, n = message["Body"].split("-")
        by_group.setdefault(group, []).append(int(n))
    assert len(messages) == THREADS * (PER_THREAD // 4)
    assert all(seq == sorted(seq) and len(set(seq)) == len(seq) for seq in by_group.values())


def test_s3_same_key_readers_never_see_a_torn_object(clients) -> None:
    s3 = clients("s3", THREADS)
    s3[0].create_bucket(Bucket="soak")
    bodies = [bytes([65 + i]) * (64 * 1024 + i) for i in range(THREADS // 2)]
    s3[0].put_object(Bucket="soak", Key="hot", Body=bodies[0])
    seen: Counter[int] = Counter()

    def work(i: int) -> None:
        for _ in range(PER_THREAD // 8):
            if i % 2:
                s3[i].put_object(Bucket="soak", Key="hot", Body=bodies[i // 2])
            else:
                data = s3[i].get_object(Bucket="soak", Key="hot")["Body"].read()
                assert data in bodies, f"torn object of {len(data)} bytes"
                seen[bodies.index(data)] += 1

    in_threads(work)
    assert sum(seen.values()) == (THREADS // 2) * (PER_THREAD // 8)


def test_sns_fan_out_delivers_once_to_every_queue(gw: Gateway, clients) -> None:
    sns, sqs = clients("sns", THREADS), clients("sqs", 1)[0]
    topic = sns[0].create_topic(Name="soak")["TopicArn"]
    urls = [sqs.create_queue(QueueName=f"fan-{n}")["QueueUrl"] for n in range(3)]
    for url in urls:
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns[0].subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    per_thread = PER_THREAD // 8

    def publish(i: int) -> None:
        for n in range(per_thread):
            sns[i].publish(TopicArn=topic, Message=f"{i}-{n}")

    in_threads(publish)
    gw.settle()
    for url in urls:
        bodies = [m["Body"] for m in drain(sqs, url, THREADS * per_thread)]
        assert sorted(bodies) == sorted(f"{i}-{n}" for i in range(THREADS) for n in range(per_thread))


def test_resets_during_traffic_never_5xx(gw: Gateway, clients) -> None:
    sqs = clients("sqs", THREADS)
    stop = threading.Event()
    statuses: Counter[int] = Counter()

    flowing = threading.Event()

    def traffic(i: int) -> None:
        if i == 0:  # reset while the others run, until enough calls went through
            flowing.wait(30)
            resets = 0
            while (resets < 20 * SCALE or statuses[200] < 50 * SCALE) and resets < 100_000:
                gw.reset()
                resets += 1
            stop.set()
            return
        while not stop.is_set():
            try:
                url = sqs[i].create_queue(QueueName=f"reset-{i}")["QueueUrl"]
                sqs[i].send_message(QueueUrl=url, MessageBody="x")
                sqs[i].receive_message(QueueUrl=url)
                statuses[200] += 1
                flowing.set()
            except ClientError as err:  # the queue vanished under a reset: a 4xx, never a 5xx
                statuses[err.response["ResponseMetadata"]["HTTPStatusCode"]] += 1

    in_threads(traffic)
    assert statuses[200] > 0
    assert not [s for s in statuses if s >= 500]
