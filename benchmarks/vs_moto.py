"""pytest-cloudmock vs moto, side by side in one run, with the same boto3 calls.

Three backends: the cloudmock gateway (keep-alive HTTP), moto's in-process
`mock_aws` decorator, and moto's threaded server. Each scenario runs on each
backend in alternating rounds; the table shows median microseconds per call
and the ratio moto / cloudmock (above 1.0 means cloudmock is faster).

    python benchmarks/vs_moto.py [--calls 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boto3  # noqa: E402

CREDS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "secret",
         "region_name": "us-east-1"}
Scenario = Callable[[Callable[[str], Any]], Callable[[], None]]


def sqs_send_receive_delete(client: Callable[[str], Any]) -> Callable[[], None]:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="bench")["QueueUrl"]

    def call() -> None:
        sqs.send_message(QueueUrl=url, MessageBody="hello")
        (msg,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])

    return call


def s3_put_get(client: Callable[[str], Any]) -> Callable[[], None]:
    s3 = client("s3")
    s3.create_bucket(Bucket="bench-bucket")
    body = b"x" * 1024

    def call() -> None:
        s3.put_object(Bucket="bench-bucket", Key="k", Body=body)
        assert s3.get_object(Bucket="bench-bucket", Key="k")["Body"].read() == body

    return call


def sns_publish_to_sqs(client: Callable[[str], Any]) -> Callable[[], None]:
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="bench")["TopicArn"]
    url = sqs.create_queue(QueueName="bench-sub")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    def call() -> None:
        sns.publish(TopicArn=topic, Message="m")

    return call


SCENARIOS: dict[str, tuple[Scenario, int]] = {
    "sqs send+receive+delete": (sqs_send_receive_delete, 3),
    "s3 put+get 1 KiB": (s3_put_get, 2),
    "sns publish (sqs fan-out)": (sns_publish_to_sqs, 1),
}


@contextmanager
def cloudmock() -> Iterator[Callable[[str], Any]]:
    from pytest_cloudmock.gateway import Gateway

    gw = Gateway().start()
    session = boto3.Session(**CREDS)
    try:
        yield lambda name: session.client(name, endpoint_url=gw.endpoint)
    finally:
        gw.stop()


@contextmanager
def moto_decorator() -> Iterator[Callable[[str], Any]]:
    from moto import mock_aws

    session = boto3.Session(**CREDS)
    with mock_aws():
        yield lambda name: session.client(name)


@contextmanager
def moto_server() -> Iterator[Callable[[str], Any]]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    session = boto3.Session(**CREDS)
    try:
        yield lambda name: session.client(name, endpoint_url=f"http://{host}:{port}")
    finally:
        server.stop()


BACKENDS = {"cloudmock": cloudmock, "moto mock_aws": moto_decorator, "moto server": moto_server}


def measure(backend: Callable[[], Any], scenario: Scenario, calls: int, per_call: int) -> float:
    with backend() as client:
        call = scenario(client)
        for _ in range(20):
            call()
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6 / per_call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(f"median us per AWS call, {args.rounds} rounds x {args.calls} iterations (lower is better)")
    print(f"{'scenario':28} " + " ".join(f"{b:>14}" for b in BACKENDS) + "   moto/cloudmock")
    for name, (scenario, per_call) in SCENARIOS.items():
        results: dict[str, list[float]] = {b: [] for b in BACKENDS}
        for _ in range(args.rounds):
            for backend_name, backend in BACKENDS.items():
                results[backend_name].append(measure(backend, scenario, args.calls, per_call))
        med = {b: statistics.median(v) for b, v in results.items()}
        ratios = " ".join(f"{med[b] / med['cloudmock']:.2f}x" for b in BACKENDS if b != "cloudmock")
        print(f"{name:28} " + " ".join(f"{med[b]:14.0f}" for b in BACKENDS) + f"   {ratios}")


if __name__ == "__main__":
    main()
