"""Per-call overhead of an external gRPC plugin vs the same service in-process.

The service is the plugin docs' widget plugin (`docs/examples/widget_plugin/plugin.py`):
once spawned as a gRPC plugin process, once as its servicer called directly by
an in-process `Service` (same code, no gRPC hop). Each is registered as
`myservice` in its own gateway. Measured, median microseconds per `GetWidget`,
in alternating rounds (the best round is shown):

- `service.handle_request(ctx)`: the gateway's service call alone;
- one persistent HTTP connection sending the same signed request (gateway + service);
- a botocore client built from the example's model file (what a user observes).

    python benchmarks/grpc_plugin_overhead.py [--calls 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import botocore.session  # noqa: E402
from botocore.auth import SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.config import Config as BotoConfig  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

from pytest_cloudmock.api import Action, RequestContext, Response, ServiceProfile  # noqa: E402
from pytest_cloudmock.config import Config, PluginConfig  # noqa: E402
from pytest_cloudmock.gateway import Gateway  # noqa: E402
from pytest_cloudmock.plugins.sdk import plugin_pb2  # noqa: E402

EXAMPLE = ROOT / "docs" / "examples" / "widget_plugin"
CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


def docs_plugin_class() -> type:
    spec = importlib.util.spec_from_file_location("widget_plugin", EXAMPLE / "plugin.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.MyPlugin


class InProcessWidgets:
    """The docs' plugin servicer as an in-process raw `Service` (no gRPC)."""

    name = "myservice"
    profile = ServiceProfile(signing_name="myservice", raw_requests=True)

    def __init__(self) -> None:
        self.servicer = docs_plugin_class()()

    def actions(self) -> list[Action]:
        return [Action(a.name) for a in self.servicer.Register(None, None).actions]

    def handle_request(self, ctx: RequestContext) -> Response:
        answer = self.servicer.HandleRequest(plugin_pb2.HandleRequestInput(
            action=ctx.operation, region=ctx.region, account_id=ctx.account_id, body=ctx.body,
            headers=dict(ctx.headers.items()),
        ), None)
        return Response(bytes(answer.body), answer.status_code, dict(answer.headers))

    def health_check(self) -> bool:
        return True

    def reset(self) -> None:
        pass


def signed_request(action: str, params: dict[str, Any], host: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(params).encode()
    request = AWSRequest("POST", f"http://{host}/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"MyService_20260101.{action}"})
    SigV4Auth(CREDENTIALS, "myservice", "us-east-1").add_auth(request)
    return body, dict(request.headers.items())


def get_widget_context(widget_id: str) -> RequestContext:
    return RequestContext(
        service="myservice", operation="GetWidget", params={}, region="us-east-1",
        account_id="123456789012", access_key_id=CREDENTIALS.access_key, request_id="bench",
        protocol="json", body=json.dumps({"WidgetId": widget_id}).encode(),
        headers={"X-Amz-Target": "MyService_20260101.GetWidget"},
    )


def timed(calls: int, call: Callable[[], Any]) -> float:
    """Median microseconds per call."""
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def calls_for(gateway: Gateway, session: botocore.session.Session) -> dict[str, Callable[[], Any]]:
    """The three ways of calling GetWidget on the gateway's `myservice`."""
    client = session.create_client(
        "myservice", region_name="us-east-1", endpoint_url=gateway.endpoint,
        aws_access_key_id=CREDENTIALS.access_key, aws_secret_access_key=CREDENTIALS.secret_key,
        config=BotoConfig(retries={"max_attempts": 1}),
    )
    widget_id = client.create_widget(WidgetName="bench")["WidgetId"]
    host = gateway.endpoint.removeprefix("http://")
    conn = http.client.HTTPConnection(host)
    body, headers = signed_request("GetWidget", {"WidgetId": widget_id}, host)
    service = gateway.registry.get("myservice")
    ctx = get_widget_context(widget_id)

    def over_http() -> None:
        conn.request("POST", "/", body, headers)
        answer = conn.getresponse()
        assert answer.status == 200, answer.read()
        answer.read()

    return {
        "handle_request": lambda: service.handle_request(ctx),
        "HTTP keep-alive": over_http,
        "botocore client": lambda: client.get_widget(WidgetId=widget_id),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    plugin_gw = Gateway(Config(admin_port=None, plugins=[
        PluginConfig(name="myservice", command=str(EXAMPLE / "plugin.py"))])).start()
    local_gw = Gateway(Config(admin_port=None)).start()
    local_gw.registry.register(InProcessWidgets())
    session = botocore.session.Session()
    session.get_component("data_loader").search_paths.insert(0, str(EXAMPLE / "models"))
    try:
        setups = {"in-process": calls_for(local_gw, session), "plugin": calls_for(plugin_gw, session)}
        results: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for label, calls in setups.items():
                for what, call in calls.items():
                    n = args.calls if what != "botocore client" else max(args.calls // 4, 50)
                    results.setdefault((label, what), []).append(timed(n, call))
        print(f"median µs per GetWidget ({args.rounds} rounds, best round shown)")
        print(f"{'':18}{'in-process':>12}{'plugin':>12}{'overhead':>12}")
        for what in ("handle_request", "HTTP keep-alive", "botocore client"):
            local = min(results[("in-process", what)])
            plugin = min(results[("plugin", what)])
            print(f"{what:18}{local:12.0f}{plugin:12.0f}{plugin - local:+12.0f}")
    finally:
        plugin_gw.stop()
        local_gw.stop()


if __name__ == "__main__":
    main()
