"""Function calls (load-independent) and median µs the in-process gateway spends per AWS call.

Counts everything from the `before-send` handler's hand-off to the answer botocore
gets back (both conversions, routing, codecs, the service, the request log); botocore's
own work is left out. Wall times on a shared machine are noisy: compare runs interleaved.

    python -m benchmarks.gateway_calls [sts|sqs|s3|sns|ecr|ddb|lambda ...] [--calls 300] [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
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


def _sts(client: Callable[[str], Any]) -> Callable[[], None]:
    sts = client("sts")
    return lambda: sts.get_caller_identity()


def _sqs(client: Callable[[str], Any]) -> Callable[[], None]:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="calls")["QueueUrl"]

    def call() -> None:
        sqs.send_message(QueueUrl=url, MessageBody="x" * 100)
        message = sqs.receive_message(QueueUrl=url)["Messages"][0]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return call


def _s3(client: Callable[[str], Any]) -> Callable[[], None]:
    s3 = client("s3")
    s3.create_bucket(Bucket="calls-bucket")
    data = b"x" * 1024

    def call() -> None:
        s3.put_object(Bucket="calls-bucket", Key="k", Body=data)
        s3.get_object(Bucket="calls-bucket", Key="k")["Body"].read()
    return call


def _sns(client: Callable[[str], Any]) -> Callable[[], None]:
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="calls")["TopicArn"]
    url = sqs.create_queue(QueueName="calls-sub")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return lambda: sns.publish(TopicArn=topic, Message="m")


def _ecr(client: Callable[[str], Any]) -> Callable[[], None]:
    ecr = client("ecr")
    names = (f"repo-{i}" for i in itertools.count())

    def call() -> None:
        name = next(names)
        ecr.create_repository(repositoryName=name)
        ecr.describe_repositories(repositoryNames=[name])
        ecr.delete_repository(repositoryName=name)
    return call


def _ddb(client: Callable[[str], Any]) -> Callable[[], None]:
    ddb = client("dynamodb")
    ddb.create_table(TableName="calls", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}])
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    values = {":p": {"S": "a"}}

    def call() -> None:
        ddb.put_item(TableName="calls", Item={**key, "v": {"S": "x" * 100}})
        ddb.get_item(TableName="calls", Key=key)
        ddb.query(TableName="calls", KeyConditionExpression="pk = :p", ExpressionAttributeValues=values)
    return call


def _lambda(client: Callable[[str], Any]) -> Callable[[], None]:
    from pytest_cloudmock.services.lambda_ import lambda_zip

    lam = client("lambda")
    lam.create_function(FunctionName="calls", Runtime="python3.12", Role="arn:aws:iam::123456789012:role/calls",
                        Handler="lambda_function.handler",
                        Code={"ZipFile": lambda_zip("def handler(event, context):\n    return event\n")})
    return lambda: lam.invoke(FunctionName="calls", Payload=b'{"a": 1}')["Payload"].read()


#: scenario -> setup(client) giving one iteration (times and counts are per AWS call)
SCENARIOS: dict[str, Callable[[Callable[[str], Any]], Callable[[], None]]] = {
    "sts": _sts, "sqs": _sqs, "s3": _s3, "sns": _sns, "ecr": _ecr, "ddb": _ddb,
    "lambda": _lambda,  # the in-process executor (a thread here; the profile counts this thread only)
}


def measure(name: str, calls: int, top: int) -> None:
    gateway = Gateway().start()
    if name == "lambda":
        gateway.registry.get("lambda").set_executor("inprocess")
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
        call = SCENARIOS[name](lambda service: session.client(service, endpoint_url=gateway.endpoint))
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
    parser.add_argument("scenarios", nargs="*", help=f"{', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--calls", type=int, default=300, help="iterations timed, then profiled")
    parser.add_argument("--top", type=int, default=0, help="print the N functions with most own time")
    args = parser.parse_args()
    for name in args.scenarios or list(SCENARIOS):
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name!r}: {', '.join(SCENARIOS)}")
        measure(name, args.calls, args.top)


if __name__ == "__main__":
    main()
