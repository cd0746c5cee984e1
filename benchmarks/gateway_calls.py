"""Function calls (load-independent) and median µs the in-process gateway spends per AWS call.

Counts everything from the `before-send` handler's hand-off to the answer botocore
gets back (both conversions, routing, codecs, the service, the request log); botocore's
own work is left out. Wall times on a shared machine are noisy: compare runs interleaved.

    python -m benchmarks.gateway_calls [sts|sqs|s3 ...] [--calls 300] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.transport import attach, detach
from pytest_cloudmock.transport import clients as transport_clients

CREDS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "x", "region_name": "us-east-1"}


def scenario(name: str, client: Callable[[str], Any]) -> Callable[[], None]:
    """One iteration of a scenario (STS 1 call, SQS 3, S3 1 KiB 2)."""
    if name == "sts":
        sts = client("sts")
        return lambda: sts.get_caller_identity()
    if name == "sqs":
        sqs = client("sqs")
        url = sqs.create_queue(QueueName="calls")["QueueUrl"]

        def sqs_call() -> None:
            sqs.send_message(QueueUrl=url, MessageBody="x" * 100)
            message = sqs.receive_message(QueueUrl=url)["Messages"][0]
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        return sqs_call
    s3 = client("s3")
    s3.create_bucket(Bucket="calls-bucket")
    data = b"x" * 1024

    def s3_call() -> None:
        s3.put_object(Bucket="calls-bucket", Key="k", Body=data)
        s3.get_object(Bucket="calls-bucket", Key="k")["Body"].read()
    return s3_call


def measure(name: str, calls: int, top: int) -> None:
    gateway = Gateway().start()
    attachment = attach(gateway)
    original = transport_clients.send
    profile = cProfile.Profile()
    state: dict[str, Any] = {"profiling": False, "count": 0, "times": []}

    def send(app: Any, request: Any) -> Any:
        if state["profiling"]:
            state["count"] += 1
            profile.enable()
            try:
                return original(app, request)
            finally:
                profile.disable()
        started = time.perf_counter()
        try:
            return original(app, request)
        finally:
            state["times"].append(time.perf_counter() - started)

    transport_clients.send = send
    try:
        session = boto3.Session(**CREDS)
        call = scenario(name, lambda service: session.client(service, endpoint_url=gateway.endpoint))
        for _ in range(50):
            call()
        state["times"].clear()
        for _ in range(calls):
            call()
        state["profiling"] = True
        for _ in range(calls):
            call()
    finally:
        transport_clients.send = original
        detach(attachment)
        gateway.stop()
    stats = pstats.Stats(profile)
    total = sum(entry[1] for entry in stats.stats.values())  # type: ignore[attr-defined]
    print(f"{name}: median {statistics.median(state['times']) * 1e6:.1f} µs and "
          f"{total / state['count']:.0f} function calls per AWS call")
    if top:
        stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", help="sts, sqs, s3 (default: all three)")
    parser.add_argument("--calls", type=int, default=300, help="iterations timed, then profiled")
    parser.add_argument("--top", type=int, default=0, help="print the N functions with most own time")
    args = parser.parse_args()
    for name in args.scenarios or ["sts", "sqs", "s3"]:
        if name not in ("sts", "sqs", "s3"):
            parser.error(f"unknown scenario {name!r}: sts, sqs or s3")
        measure(name, args.calls, args.top)


if __name__ == "__main__":
    main()
