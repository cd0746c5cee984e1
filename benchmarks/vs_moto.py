"""pytest-cloudmock vs moto and two floors, side by side in one run, with the same boto3 calls.

Backends: cloudmock in-process (the plugin's default transport), cloudmock over
HTTP, moto's `mock_aws`, moto's threaded server, and two floors that replay an
answer recorded from the gateway (`floors.py`): a `before-send` handler and a
bare keep-alive server. For each scenario all six run at once and take turns in
small batches (this VM's speed swings by up to 1.7x from one second to the next:
long runs one backend after another compared the swings, not the backends); the
table shows median microseconds per AWS call and the ratios.
Then: 8-thread SQS throughput, reset of 100 resources, and, in fresh
interpreters, start-up to the first answered call and peak RSS.

    python benchmarks/vs_moto.py [--calls 600] [--batch 1] [--only SUBSTRING] [--skip-extras]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402

from benchmarks.floors import Canned, before_send_floor, recording, socket_floor  # noqa: E402

CREDS = {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "secret",
         "region_name": "us-east-1"}
Client = Callable[[str], Any]
Scenario = Callable[[Client], Callable[[], None]]


# -- scenarios: setup(client) -> one iteration --------------------------------------------
_names = count()


def unique(prefix: str) -> str:
    """A fresh resource name per setup: all backends live at once, and moto's server and
    `mock_aws` share one state in this process."""
    return f"{prefix}-{next(_names)}"


def s3_put_get(size: int) -> Scenario:
    def scenario(client: Client) -> Callable[[], None]:
        s3 = client("s3")
        bucket = unique("bench-bucket")
        s3.create_bucket(Bucket=bucket)
        body = (b"0123456789abcdef" * (size // 16 + 1))[:size]  # the same for the floors

        def call() -> None:
            s3.put_object(Bucket=bucket, Key="k", Body=body)
            assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == body

        return call

    return scenario


def sqs_send_receive_delete(client: Client) -> Callable[[], None]:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName=unique("bench"))["QueueUrl"]

    def call() -> None:
        sqs.send_message(QueueUrl=url, MessageBody="hello")
        (msg,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])

    return call


def sqs_send_at_depth(depth: int) -> Scenario:
    def scenario(client: Client) -> Callable[[], None]:
        sqs = client("sqs")
        url = sqs.create_queue(QueueName=unique(f"depth-{depth}"))["QueueUrl"]
        for start in range(0, depth, 10):
            entries = [{"Id": str(i), "MessageBody": "m"} for i in range(min(10, depth - start))]
            sqs.send_message_batch(QueueUrl=url, Entries=entries)

        def call() -> None:
            sqs.send_message(QueueUrl=url, MessageBody="hello")

        return call

    return scenario


def sns_publish_to_sqs(client: Client) -> Callable[[], None]:
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name=unique("bench"))["TopicArn"]
    url = sqs.create_queue(QueueName=unique("bench-sub"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    def call() -> None:
        sns.publish(TopicArn=topic, Message="m")

    return call


def sts_caller_identity(client: Client) -> Callable[[], None]:
    sts = client("sts")

    def call() -> None:
        sts.get_caller_identity()

    return call


def stub_create_describe(client: Client) -> Callable[[], None]:
    """A Tier 2 stub service (ECR): create, describe, delete a repository."""
    ecr = client("ecr")

    def call() -> None:
        name = f"repo-{uuid.uuid4().hex[:8]}"
        ecr.create_repository(repositoryName=name)
        ecr.describe_repositories(repositoryNames=[name])
        ecr.delete_repository(repositoryName=name)

    return call


def dynamodb_put_get_query(client: Client) -> Callable[[], None]:
    """DynamoDB: put an item, get it, query its partition (of 10 items)."""
    ddb = client("dynamodb")
    table = unique("bench")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"}])
    for i in range(10):
        ddb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"N": str(i)}, "v": {"S": "x" * 100}})
    key = {"pk": {"S": "p"}, "sk": {"N": "5"}}
    values = {":p": {"S": "p"}}

    def call() -> None:
        ddb.put_item(TableName=table, Item={**key, "v": {"S": "y" * 100}})
        assert ddb.get_item(TableName=table, Key=key)["Item"]["v"] == {"S": "y" * 100}
        assert ddb.query(TableName=table, KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues=values)["Count"] == 10

    return call


def lambda_invoke(executor: str) -> Scenario:
    """Lambda: a synchronous invoke of a warm Python function returning its event, the function
    run by cloudmock's `executor` (a runtime subprocess, the default; or a thread in this process)."""
    def scenario(client: Client) -> Callable[[], None]:
        gateway = getattr(client, "gateway", None)
        if gateway is not None:
            gateway.registry.get("lambda").set_executor(executor)
        return _lambda_invoke(client)

    return scenario


def _lambda_invoke(client: Client) -> Callable[[], None]:
    from pytest_cloudmock.services.lambda_ import lambda_zip

    lam = client("lambda")
    name = unique("bench")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::123456789012:role/bench",
                        Handler="lambda_function.handler",
                        Code={"ZipFile": lambda_zip("def handler(event, context):\n    return event\n")})

    def call() -> None:
        assert lam.invoke(FunctionName=name, Payload=b'{"a": 1}')["Payload"].read() == b'{"a": 1}'

    return call


# name -> (scenario, AWS calls per iteration, share of --calls)
SCENARIOS: dict[str, tuple[Scenario, int, float]] = {
    "s3 put+get 1 KiB": (s3_put_get(1024), 2, 1.0),
    "s3 put+get 5 MiB": (s3_put_get(5 * 1024 * 1024), 2, 0.1),
    "sqs send+receive+delete": (sqs_send_receive_delete, 3, 1.0),
    "sns publish (sqs fan-out)": (sns_publish_to_sqs, 1, 1.0),
    "sts get-caller-identity": (sts_caller_identity, 1, 1.0),
    "stub (ecr) create+describe+delete": (stub_create_describe, 3, 0.5),
    "sqs send, queue depth 1": (sqs_send_at_depth(1), 1, 1.0),
    "sqs send, queue depth 10,000": (sqs_send_at_depth(10_000), 1, 1.0),
    "dynamodb put+get+query": (dynamodb_put_get_query, 3, 1.0),
    "lambda invoke (warm)": (lambda_invoke("subprocess"), 1, 0.5),
    "lambda invoke (warm, in-proc executor)": (lambda_invoke("inprocess"), 1, 0.5),
}
# moto's SendMessageBatch slows down as a queue grows (about 300 ms a batch by depth 500 here):
# filling 10,000 messages would take many minutes, so that row leaves moto out. moto runs a
# Lambda function only in Docker (absent here, and not what a Python test suite has either).
SKIP = {"sqs send, queue depth 10,000": ("moto mock_aws", "moto server"),
        "lambda invoke (warm)": ("moto mock_aws", "moto server"),
        "lambda invoke (warm, in-proc executor)": ("moto mock_aws", "moto server")}


# -- backends: context managers giving a client factory -------------------------------------
@contextmanager
def cloudmock(transport: str) -> Iterator[Client]:
    from pytest_cloudmock.gateway import Gateway
    from pytest_cloudmock.transport import attach, detach

    gw = Gateway().start()
    attachment = attach(gw, transport)
    session = boto3.Session(**CREDS)

    def client(name: str) -> Any:
        return session.client(name, endpoint_url=gw.endpoint)

    client.gateway = gw  # type: ignore[attr-defined]  # (scenarios that choose a setting)
    try:
        yield client
    finally:
        detach(attachment)
        gw.stop()


@contextmanager
def moto_decorator() -> Iterator[Client]:
    from moto import mock_aws

    session = boto3.Session(**CREDS)
    with mock_aws():
        yield lambda name: session.client(name)


@contextmanager
def moto_server() -> Iterator[Client]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    session = boto3.Session(**CREDS)
    try:
        yield lambda name: session.client(name, endpoint_url=f"http://{host}:{port}")
    finally:
        server.stop()


def backends(canned: Canned) -> dict[str, Callable[[], Any]]:
    return {
        "cm in-proc": lambda: cloudmock("inprocess"),
        "cm http": lambda: cloudmock("http"),
        "moto mock_aws": moto_decorator,
        "moto server": moto_server,
        "floor b-send": lambda: before_send_floor(canned, CREDS),
        "floor socket": lambda: socket_floor(canned, CREDS),
    }


def measure(backend: Callable[[], Any], scenario: Scenario, calls: int, per_call: int) -> float:
    with backend() as client:
        call = scenario(client)
        for _ in range(max(3, calls // 15)):
            call()
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6 / per_call


def print_row(name: str, med: dict[str, float]) -> None:
    ratios = [
        med["moto mock_aws"] / med["cm in-proc"], med["cm in-proc"] / med["floor b-send"],
        med["moto server"] / med["cm http"], med["cm http"] / med["floor socket"],
    ]
    print(f"{name:40} " + " ".join(f"{v:13.0f}" for v in med.values())
          + "  " + " ".join(f"{r:8.2f}x" for r in ratios), flush=True)


Switch = Callable[[], AbstractContextManager[Any]]


@contextmanager
def moto_switched() -> Iterator[tuple[Client, Switch]]:
    """moto's `mock_aws` switched on only around each batch, its state kept in between: while
    on, its botocore hook matches every request's URL, which would slow the other backends."""
    from moto import mock_aws

    mock = mock_aws()
    session = boto3.Session(**CREDS)

    @contextmanager
    def on() -> Iterator[None]:
        mock.start(reset=False)
        try:
            yield
        finally:
            mock.stop(remove_data=False)

    mock.start()  # a clean state to begin with
    mock.stop(remove_data=False)
    try:
        yield (lambda name: session.client(name)), on
    finally:
        mock.start(reset=False)
        mock.stop()  # and none left behind


def live_backends(canned: Canned, stack: ExitStack, skip: tuple[str, ...]) -> dict[str, tuple[Client, Switch]]:
    """Every backend of a row started at once: (client factory, the switch around a batch)."""
    live: dict[str, tuple[Client, Switch]] = {}
    for name, backend in backends(canned).items():
        if name in skip:
            continue
        if name == "moto mock_aws":
            live[name] = stack.enter_context(moto_switched())
        else:
            live[name] = (stack.enter_context(backend()), nullcontext)
    return live


def interleaved(name: str, scenario: Scenario, per_call: int, calls: int, batch: int) -> dict[str, float]:
    """Median µs per AWS call on each backend, timed in small batches taken in turn (the order
    rotating), so that this VM's second-to-second speed swings reach every backend alike."""
    canned: Canned = {}
    with recording(canned, CREDS) as client:  # the floors replay these answers
        scenario(client)()
    skip = SKIP.get(name, ())
    with ExitStack() as stack:
        live = live_backends(canned, stack, skip)
        iterations: dict[str, Callable[[], None]] = {}
        for backend, (client, switch) in live.items():
            with switch():
                iterations[backend] = call = scenario(client)
                for _ in range(max(3, calls // 15)):
                    call()
        samples: dict[str, list[float]] = {backend: [] for backend in live}
        order = list(live)
        for turn in range(max(1, calls // batch)):
            shift = turn % len(order)
            for backend in order[shift:] + order[:shift]:
                call, timed = iterations[backend], samples[backend]
                with live[backend][1]():
                    for _ in range(batch):
                        started = time.perf_counter()
                        call()
                        timed.append(time.perf_counter() - started)
    return {backend: statistics.median(samples[backend]) * 1e6 / per_call if backend in samples else float("nan")
            for backend in backends(canned)}


def run_scenarios(args: argparse.Namespace) -> None:
    names = list(backends({}))
    print(f"median us per AWS call, {args.calls} iterations per backend in batches of {args.batch}, "
          "backends in turn (lower is better)")
    print(f"{'scenario':40} " + " ".join(f"{b:>13}" for b in names)
          + "  moto/inproc inproc/floor moto-srv/http http/floor")
    for name, (scenario, per_call, share) in SCENARIOS.items():
        if args.only and args.only not in name:
            continue
        calls = max(10, int(args.calls * share))
        print_row(name, interleaved(name, scenario, per_call, calls, min(args.batch, max(1, calls // 10))))


# -- throughput and reset ------------------------------------------------------------------------
def sqs_threads(backend: Callable[[], Any], threads: int = 8, per_thread: int = 150) -> float:
    """Calls per second of `threads` threads each sending SQS messages on its own client."""
    with backend() as client:
        clients = [client("sqs") for _ in range(threads)]
        url = clients[0].create_queue(QueueName="threads")["QueueUrl"]
        barrier = threading.Barrier(threads + 1)

        def work(sqs: Any) -> None:
            sqs.send_message(QueueUrl=url, MessageBody="warm")
            barrier.wait()
            for _ in range(per_thread):
                sqs.send_message(QueueUrl=url, MessageBody="m")

        pool = [threading.Thread(target=work, args=(c,)) for c in clients]
        for t in pool:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in pool:
            t.join()
        return threads * per_thread / (time.perf_counter() - started)


def reset_100(kind: str) -> float:
    """Median microseconds to reset state holding 100 resources (SQS queues with a message each)."""
    samples = []
    for _ in range(20):
        if kind == "cloudmock":
            from pytest_cloudmock.gateway import Gateway
            from pytest_cloudmock.transport import attach, detach

            gw = Gateway().start()
            attachment = attach(gw)
            _fill(boto3.Session(**CREDS).client("sqs", endpoint_url=gw.endpoint))
            started = time.perf_counter()
            gw.reset()
            samples.append(time.perf_counter() - started)
            detach(attachment)
            gw.stop()
        else:
            from moto import mock_aws

            with mock_aws() as mock:
                _fill(boto3.Session(**CREDS).client("sqs"))
                started = time.perf_counter()
                mock.reset()
                samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def _fill(sqs: Any) -> None:
    for i in range(100):
        url = sqs.create_queue(QueueName=f"q{i}")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="m")


# -- fresh interpreters: start-up and peak RSS ---------------------------------------------------
FRESH = r"""
import json, resource, sys, time


def peak_rss_mb():
    # this process's own peak (ru_maxrss survives exec: it would report the parent's when larger)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


t0 = time.perf_counter()
import boto3
kind = sys.argv[1]
if kind.startswith("cloudmock"):
    from pytest_cloudmock.gateway import Gateway
    from pytest_cloudmock.transport import attach
else:
    from moto import mock_aws
    from moto.server import ThreadedMotoServer
t1, c1 = time.perf_counter(), time.process_time()
creds = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="s", region_name="us-east-1")
session = boto3.Session(**creds)
if kind.startswith("cloudmock"):
    gw = Gateway()
    t_made = time.perf_counter()
    gw.start()
    attach(gw, kind.split("-")[1])
    endpoint = gw.endpoint
elif kind == "moto-server":
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    t_made = time.perf_counter()
    server.start()
    endpoint = "http://%s:%d" % server.get_host_and_port()
else:
    t_made = time.perf_counter()
    mock_aws().start()
    endpoint = None
t_started, c_started = time.perf_counter(), time.process_time()
sqs = session.client("sqs", endpoint_url=endpoint)
t_client, c_client = time.perf_counter(), time.process_time()
sqs.list_queues()
t2, c2 = time.perf_counter(), time.process_time()
s3 = session.client("s3", endpoint_url=endpoint)
s3.create_bucket(Bucket="rss-bucket")
body = b"x" * (5 * 1024 * 1024)
for i in range(20):
    s3.put_object(Bucket="rss-bucket", Key="k%d" % i, Body=body)
    s3.get_object(Bucket="rss-bucket", Key="k%d" % i)["Body"].read()
url = sqs.create_queue(QueueName="rss")["QueueUrl"]
for i in range(200):
    sqs.send_message(QueueUrl=url, MessageBody="m" * 1000)
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "make_ms": (t_made - t1) * 1e3,
                  "start_ms": (t_started - t_made) * 1e3, "client_ms": (t_client - t_started) * 1e3,
                  "first_call_ms": (t2 - t_client) * 1e3,
                  "start_to_first_ms": (t2 - t1) * 1e3 - (t_client - t_started) * 1e3,
                  "start_to_first_cpu_ms": (c2 - c1) * 1e3 - (c_client - c_started) * 1e3,
                  "peak_rss_mb": peak_rss_mb()}))
"""


def fresh(kind: str, runs: int = 3) -> dict[str, float]:
    """Medians of `runs` fresh interpreters, after one unmeasured run that leaves bytecode caches
    (in a temporary `PYTHONPYCACHEPREFIX`): what a developer's second test run sees."""
    out: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for run in range(runs + 1):
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", FRESH, kind], capture_output=True, text=True,
                                  cwd=ROOT, check=True, timeout=300, env=env)
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            result["process_ms"] = (time.perf_counter() - started) * 1e3
            if run:
                out.append(result)
    return {k: statistics.median(r[k] for r in out) for k in out[0]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=600, help="timed iterations per backend and scenario")
    parser.add_argument("--batch", type=int, default=1, help="iterations timed in a row on one backend")
    parser.add_argument("--rounds", type=int, default=3, help="runs of the 8-thread throughput")
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this")
    parser.add_argument("--skip-extras", action="store_true", help="scenarios only")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    run_scenarios(args)
    if args.skip_extras:
        return
    canned: Canned = {}
    with recording(canned, CREDS) as client:
        sqs = client("sqs")
        sqs.send_message(QueueUrl=sqs.create_queue(QueueName="threads")["QueueUrl"], MessageBody="m")
    print("\n8 threads, SQS SendMessage, calls per second (higher is better)")
    for name, backend in backends(canned).items():
        print(f"  {name:14} {statistics.median(sqs_threads(backend) for _ in range(args.rounds)):8.0f}")
    print("\nreset with 100 SQS queues holding a message each, median us")
    print(f"  cloudmock gateway.reset() {reset_100('cloudmock'):10.1f}")
    print(f"  moto mock_aws reset()     {reset_100('moto'):10.1f}")
    print("\nfresh interpreter, warm bytecode caches (median of 3), ms: imports; after them, making and "
          "starting the mock, the first call (botocore's own client creation left out: `client`; CPU: "
          "this process's CPU time for the same, less sensitive to a loaded machine); "
          "whole process; peak RSS")
    for kind in ("cloudmock-inprocess", "cloudmock-http", "moto-mock_aws", "moto-server"):
        r = fresh(kind)
        print(f"  {kind:20} import {r['import_ms']:5.0f}  make {r['make_ms']:5.1f}  start {r['start_ms']:5.1f}  "
              f"first call {r['first_call_ms']:5.1f}  = start to first {r['start_to_first_ms']:5.1f} "
              f"(CPU {r['start_to_first_cpu_ms']:5.1f})  "
              f"(client {r['client_ms']:4.0f})  process {r['process_ms']:5.0f}  peak RSS {r['peak_rss_mb']:4.0f} MB")


if __name__ == "__main__":
    main()
