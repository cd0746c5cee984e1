"""Normal boto3 calls while thousands of slow clients hold connections open (issue 11's figure).

    python benchmarks/slow_clients.py [--slow 2000] [--calls 200]

Half the slow clients send part of a request head, half a head and part of a body,
then stall; meanwhile one boto3 SQS client makes `--calls` calls. Prints the
latency percentiles, the server's thread count and its open connections.
"""

from __future__ import annotations

import argparse
import resource
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import boto3  # noqa: E402

from pytest_cloudmock.config import Config  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402

PARTIAL_HEAD = b"POST / HTTP/1.1\r\nHost: localhost\r\n"
PARTIAL_BODY = (b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.ListQueues\r\n"
                b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 100\r\n\r\n{")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slow", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 3 * args.slow + 256)), hard))
    gateway = Gateway(Config(admin_port=None, max_connections=args.slow + 512, header_timeout=120,
                             body_timeout=120)).start()
    threads_before = threading.active_count()
    slow = []
    for i in range(args.slow):
        sock = socket.create_connection(("127.0.0.1", gateway.port))
        sock.sendall(PARTIAL_BODY if i % 2 else PARTIAL_HEAD)
        slow.append(sock)
    sqs = boto3.client("sqs", endpoint_url=gateway.endpoint, region_name="us-east-1",
                       aws_access_key_id="AKIASLOWSLOWSLOW0001", aws_secret_access_key="x")
    sqs.list_queues()
    timings = []
    for _ in range(args.calls):
        started = time.perf_counter()
        sqs.list_queues()
        timings.append((time.perf_counter() - started) * 1000)
    server = gateway._server.server  # type: ignore[union-attr]
    print(f"{args.slow} slow connections held; {args.calls} boto3 ListQueues calls, ms: "
          f"median {statistics.median(timings):.2f}, p95 {sorted(timings)[int(len(timings) * 0.95)]:.2f}, "
          f"max {max(timings):.2f}")
    print(f"server: {server.connection_count} open connections, {server.thread_count} worker threads "
          f"(bound {server.limits.workers}); threads in this process: {threading.active_count()} "
          f"(before the slow clients: {threads_before})")
    for sock in slow:
        sock.close()
    gateway.stop()


if __name__ == "__main__":
    main()
