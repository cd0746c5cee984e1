"""Gateway overhead: the demo json service vs a bare server returning a canned response.

Both run on the same keep-alive server class in this process, one after the
other, in several alternating rounds; the client is one persistent
`http.client` connection sending the same signed request (so client cost is
equal and small). Also shown: stock werkzeug (Connection: close per call), and
the same comparison through a boto3 client (what a user observes).

    python benchmarks/gateway_overhead.py [--calls 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from pytest_cloudmock.api import AWSError  # noqa: E402
from pytest_cloudmock.config import Config  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402
from pytest_cloudmock.gateway.server import ServerThread  # noqa: E402
from pytest_cloudmock.services.base import ModelService  # noqa: E402
from tests.gateway.widgets import WidgetService  # noqa: E402

CANNED = json.dumps({"WidgetName": "sprocket", "WidgetId": "w-1"}).encode()


def read_body(environ: dict[str, Any]) -> bytes:
    return environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))


def canned_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    read_body(environ)
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0"),
                              ("Content-Length", str(len(CANNED)))])
    return [CANNED]


def signed_headers(port: int, body: bytes) -> dict[str, str]:
    req = AWSRequest("POST", f"http://127.0.0.1:{port}/", data=body, headers={
        "X-Amz-Target": "MyService_20260101.GetWidget", "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "myservice", "us-east-1").add_auth(req)
    return dict(req.prepare().headers.items())


def time_calls(port: int, body: bytes, calls: int, keep_alive: bool = True) -> list[float]:
    headers = signed_headers(port, body)
    samples = []
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(calls):
        started = time.perf_counter()
        conn.request("POST", "/", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        samples.append(time.perf_counter() - started)
        if not keep_alive or resp.getheader("Connection") == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.close()
    assert resp.status == 200, resp.status
    return samples


class Tables(ModelService):
    """A DynamoDB `DescribeTable` that answers from memory, for the boto3 comparison."""

    name = "dynamodb"

    def describe_table(self, ctx: Any) -> dict[str, Any]:
        if ctx.params["TableName"] != "t":
            raise AWSError("ResourceNotFoundException", "no table")
        return {"Table": {"TableName": "t", "ItemCount": 1, "TableStatus": "ACTIVE"}}


TABLE = json.dumps({"Table": {"TableName": "t", "ItemCount": 1, "TableStatus": "ACTIVE"}}).encode()


def canned_table(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    read_body(environ)
    start_response("200 OK", [("Content-Type", "application/x-amz-json-1.0"),
                              ("Content-Length", str(len(TABLE)))])
    return [TABLE]


def time_boto3(endpoint: str, calls: int) -> list[float]:
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    client.describe_table(TableName="t")
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        client.describe_table(TableName="t")
        samples.append(time.perf_counter() - started)
    return samples


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    gateway = Gateway(Config()).start()
    gateway.registry.register(WidgetService())
    gateway.registry.register(Tables())
    widget_id = gateway.registry.call("myservice", "CreateWidget", {"WidgetName": "sprocket"},
                                      account_id="123456789012", region="us-east-1")["WidgetId"]
    bare = ServerThread(canned_app)
    bare.start()
    bare_table = ServerThread(canned_table)
    bare_table.start()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    stock = make_server("127.0.0.1", 0, canned_app, threaded=True)
    threading.Thread(target=stock.serve_forever, daemon=True).start()
    body = json.dumps({"WidgetId": widget_id}).encode()

    results: dict[str, list[float]] = {k: [] for k in ("gateway", "bare", "stock", "b3-gw", "b3-bare")}
    try:
        for _ in range(args.rounds):
            results["bare"].append(median_us(time_calls(bare.port, body, args.calls)))
            results["gateway"].append(median_us(time_calls(gateway.port, body, args.calls)))
            results["stock"].append(median_us(time_calls(stock.server_port, body, args.calls // 4, False)))
            results["b3-bare"].append(median_us(time_boto3(f"http://127.0.0.1:{bare_table.port}", args.calls // 2)))
            results["b3-gw"].append(median_us(time_boto3(gateway.endpoint, args.calls // 2)))
    finally:
        gateway.stop()
        bare.stop()
        bare_table.stop()
        stock.shutdown()
        stock.server_close()

    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"median us per call over {args.rounds} rounds x {args.calls} calls (lower is better)")
    print(f"  raw HTTP, keep-alive   bare server (canned) {med['bare']:8.0f}")
    print(f"  raw HTTP, keep-alive   gateway + widgets    {med['gateway']:8.0f}"
          f"   overhead ratio {med['gateway'] / med['bare']:.2f}x")
    print(f"  raw HTTP, stock werkzeug (close per call)   {med['stock']:8.0f}"
          f"   vs bare keep-alive {med['stock'] / med['bare']:.2f}x")
    print(f"  boto3 DescribeTable    bare server (canned) {med['b3-bare']:8.0f}")
    print(f"  boto3 DescribeTable    gateway + service    {med['b3-gw']:8.0f}"
          f"   overhead ratio {med['b3-gw'] / med['b3-bare']:.2f}x")


if __name__ == "__main__":
    main()
