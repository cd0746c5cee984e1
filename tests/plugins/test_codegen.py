"""The committed generated code matches `proto/cloudmock/plugin/v1/plugin.proto`.

Fails when the proto changed and `python -m pytest_cloudmock.plugins.codegen`
was not run, or when the code was regenerated with another grpcio-tools than
the pinned one (which would raise the grpcio/protobuf versions users need).
"""

from __future__ import annotations

from pathlib import Path

from google.protobuf import descriptor_pb2

from pytest_cloudmock._proto.cloudmock.plugin.v1 import plugin_pb2, plugin_pb2_grpc
from pytest_cloudmock.plugins import codegen

GENERATED_DIR = codegen.PACKAGE_OUT / codegen.PROTO.parent


def _compiled(tmp_path: Path) -> descriptor_pb2.FileDescriptorProto:
    out = tmp_path / "plugin.desc"
    codegen.protoc([f"-I{codegen.PROTO_ROOT}", f"--descriptor_set_out={out}",
                    str(codegen.PROTO_ROOT / codegen.PROTO)])
    files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    assert [f.name for f in files] == [str(codegen.PROTO)]
    compiled = files[0]
    for message in [*compiled.message_type, *(n for m in compiled.message_type for n in m.nested_type)]:
        for field in message.field:
            field.ClearField("json_name")  # protoc adds these to descriptor sets, not to gencode
    return compiled


def test_committed_descriptor_matches_the_proto(tmp_path: Path) -> None:
    committed = descriptor_pb2.FileDescriptorProto.FromString(plugin_pb2.DESCRIPTOR.serialized_pb)
    assert committed == _compiled(tmp_path), "stale: run python -m pytest_cloudmock.plugins.codegen"


def test_shipped_proto_copy_is_the_source() -> None:
    source = (codegen.PROTO_ROOT / codegen.PROTO).read_bytes()
    assert (GENERATED_DIR / "plugin.proto").read_bytes() == source


def test_stubs_serve_every_rpc_of_the_proto() -> None:
    rpcs = [m.name for m in plugin_pb2.DESCRIPTOR.services_by_name["CloudMockPlugin"].methods]
    assert rpcs == ["Register", "HandleRequest", "HealthCheck", "Reset", "InterceptRequest", "InterceptResponse"]
    stub_source = (GENERATED_DIR / "plugin_pb2_grpc.py").read_text()
    for rpc in rpcs:
        assert callable(getattr(plugin_pb2_grpc.CloudMockPluginServicer, rpc))
        assert f"'/cloudmock.plugin.v1.CloudMockPlugin/{rpc}'" in stub_source


def test_generated_with_the_pinned_tools() -> None:
    pb2 = (GENERATED_DIR / "plugin_pb2.py").read_text()
    grpc_stub = (GENERATED_DIR / "plugin_pb2_grpc.py").read_text()
    assert f"# Protobuf Python Version: {codegen.PROTOBUF_GENCODE}\n" in pb2
    assert f"GRPC_GENERATED_VERSION = '{codegen.GRPCIO_TOOLS}'\n" in grpc_stub
    assert "from . import plugin_pb2 as" in grpc_stub  # works inside the package


def test_documented_messages_and_field_numbers() -> None:
    """The documented messages keep their fields and numbers; additions only add (interception)."""
    fields = {
        name: {f.name: (f.number, f.type) for f in message.fields}
        for name, message in plugin_pb2.DESCRIPTOR.message_types_by_name.items()
    }
    d = descriptor_pb2.FieldDescriptorProto
    interception = {"InterceptedCall", "InterceptError", "InterceptRaw", "InterceptRequestInput",
                    "InterceptRequestOutput", "InterceptResponseInput", "InterceptResponseOutput"}
    assert set(fields) - interception == {
        "RegisterRequest", "RegisterResponse", "ActionDef", "HandleRequestInput", "HandleRequestOutput",
        "HealthCheckRequest", "HealthCheckResponse", "ResetRequest", "ResetResponse",
    }
    assert {k: v for k, v in fields.items() if k not in interception} == {
        "RegisterRequest": {},
        "RegisterResponse": {"service_name": (1, d.TYPE_STRING), "actions": (2, d.TYPE_MESSAGE),
                             "intercepts": (3, d.TYPE_STRING)},
        "ActionDef": {"name": (1, d.TYPE_STRING), "method": (2, d.TYPE_STRING),
                      "iam_action": (3, d.TYPE_STRING)},
        "HandleRequestInput": {"action": (1, d.TYPE_STRING), "region": (2, d.TYPE_STRING),
                               "account_id": (3, d.TYPE_STRING), "body": (4, d.TYPE_BYTES),
                               "headers": (5, d.TYPE_MESSAGE)},
        "HandleRequestOutput": {"status_code": (1, d.TYPE_INT32), "body": (2, d.TYPE_BYTES),
                                "headers": (3, d.TYPE_MESSAGE)},
        "HealthCheckRequest": {},
        "HealthCheckResponse": {"healthy": (1, d.TYPE_BOOL)},
        "ResetRequest": {},
        "ResetResponse": {},
    }
