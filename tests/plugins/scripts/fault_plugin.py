"""A plugin that misbehaves on demand, for the gateway's fault tests.

Listens on its first argument, else on `$CLOUDMOCK_PLUGIN_ADDRESS`.

At start, `FAULT=crash` prints to stderr and exits 3, `FAULT=unhealthy` never
answers healthy. Per action: `Echo` answers its body, `Sleep` sleeps
`{"Seconds": n}` first, `Garbage` answers bytes that are not a protobuf
message, `BadStatus` answers status_code 0, `BadHeader` a header with a
newline, `Raise` raises (gRPC UNKNOWN). It has no `Reset` RPC.
"""

import json
import os
import sys
import time
from concurrent import futures

import grpc

from pytest_cloudmock.plugins.sdk import plugin_pb2

FAULT = os.environ.get("FAULT", "")


class Faulty:
    def Register(self, request, context):
        actions = ["Echo", "Sleep", "Garbage", "BadStatus", "BadHeader", "Raise"]
        return plugin_pb2.RegisterResponse(
            service_name=os.environ.get("SERVICE_NAME", "faulty"),
            actions=[plugin_pb2.ActionDef(name=a) for a in actions],
        )

    def HandleRequest(self, request, context):
        if request.action == "Sleep":
            time.sleep(json.loads(request.body)["Seconds"])
        if request.action == "Garbage":
            return b"\xff\xff\xff\xff\xff"
        if request.action == "BadStatus":
            return plugin_pb2.HandleRequestOutput(status_code=0, body=b"{}")
        if request.action == "BadHeader":
            return plugin_pb2.HandleRequestOutput(status_code=200, headers={"X-Evil": "a\r\nSet-Cookie: x"})
        if request.action == "Raise":
            raise RuntimeError("the plugin broke")
        return plugin_pb2.HandleRequestOutput(status_code=200, body=request.body, headers={"X-Echo": "1"})

    def HealthCheck(self, request, context):
        return plugin_pb2.HealthCheckResponse(healthy=FAULT != "unhealthy")


def _bytes_or_message(value):
    return value if isinstance(value, bytes) else value.SerializeToString()


def add_to_server(servicer, server):
    """Like the generated `add_CloudMockPluginServicer_to_server`, but lets HandleRequest
    answer raw bytes (to send a malformed message); no Reset method."""
    methods = {
        "Register": plugin_pb2.RegisterRequest,
        "HandleRequest": plugin_pb2.HandleRequestInput,
        "HealthCheck": plugin_pb2.HealthCheckRequest,
    }
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(
            getattr(servicer, name),
            request_deserializer=request_type.FromString,
            response_serializer=_bytes_or_message,
        )
        for name, request_type in methods.items()
    }
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("cloudmock.plugin.v1.CloudMockPlugin", handlers),)
    )


if __name__ == "__main__":
    if FAULT == "crash":
        print("boom: the plugin cannot start", file=sys.stderr)
        sys.exit(3)
    address = sys.argv[1] if len(sys.argv) > 1 else os.environ["CLOUDMOCK_PLUGIN_ADDRESS"]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    add_to_server(Faulty(), server)
    server.add_insecure_port(address)
    server.start()
    server.wait_for_termination()
