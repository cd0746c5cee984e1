"""Lambda providers: inline and S3 code, versions, aliases, permissions, mappings, layers, URLs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import provider_for
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext
from pytest_cloudmock.services.lambda_.zips import lambda_zip

from ..aws_errors import error_of
from .test_provider_base import provider_context

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
INLINE = "import cfnresponse\ndef handler(event, context):\n    return {'seen': event['n'], 'ok': cfnresponse.SUCCESS}\n"


@pytest.fixture
def ctx(aws: Gateway) -> ProviderContext:
    return provider_context(aws, "Fn")


@pytest.fixture
def role(ctx: ProviderContext) -> str:
    return provider_for("AWS::IAM::Role").create(  # type: ignore[union-attr]
        ctx, {"RoleName": "fn-role", "AssumeRolePolicyDocument": TRUST}).attributes["Arn"]


def _function(ctx: ProviderContext, role: str, **extra: Any) -> Any:
    return provider_for("AWS::Lambda::Function").create(ctx, {  # type: ignore[union-attr]
        "Runtime": "python3.12", "Handler": "index.handler", "Role": role, "Code": {"ZipFile": INLINE}, **extra})


def test_inline_function_runs_with_cfnresponse(ctx: ProviderContext, role: str, client: Any) -> None:
    lam = client("lambda")
    made = _function(ctx, role, Timeout="20", Environment={"Variables": {"A": "1"}},
                     Tags=[{"Key": "a", "Value": "1"}])
    config = lam.get_function_configuration(FunctionName=made.physical_id)
    assert made.physical_id.startswith("stk-Fn-") and made.attributes["Arn"] == config["FunctionArn"]
    assert config["Timeout"] == 20 and config["Environment"]["Variables"] == {"A": "1"}
    out = lam.invoke(FunctionName=made.physical_id, Payload=json.dumps({"n": 3}))
    assert json.loads(out["Payload"].read()) == {"seen": 3, "ok": "SUCCESS"}


def test_inline_node_function_can_require_cfn_response(ctx: ProviderContext, role: str, client: Any) -> None:
    source = "const response = require('cfn-response');\nexports.handler = async () => ({ok: response.SUCCESS});\n"
    made = provider_for("AWS::Lambda::Function").create(ctx, {  # type: ignore[union-attr]
        "Runtime": "nodejs20.x", "Handler": "index.handler", "Role": role, "Code": {"ZipFile": source}})
    out = client("lambda").invoke(FunctionName=made.physical_id)
    assert json.loads(out["Payload"].read()) == {"ok": "SUCCESS"}


@pytest.mark.parametrize(("runtime", "source"), [
    ("python3.12", "import cfnresponse\ndef handler(event, context):\n"
                   "    cfnresponse.send(event, context, cfnresponse.SUCCESS, {'A': '1'}, 'phys-1')\n"),
    ("nodejs20.x", "const r = require('cfn-response');\n"
                   "exports.handler = async (event, context) => { await r.send(event, context, r.SUCCESS, {A: '1'}, "
                   "'phys-1'); };\n"),
])
def test_response_modules_put_the_answer_to_the_response_url(ctx: ProviderContext, role: str, client: Any,
                                                            runtime: str, source: str) -> None:
    """The response URL here is a presigned S3 PUT of our gateway: the answer lands as an object."""
    s3 = client("s3")
    s3.create_bucket(Bucket="responses")
    response_url = s3.generate_presigned_url("put_object", Params={"Bucket": "responses", "Key": "r1"})
    made = provider_for("AWS::Lambda::Function").create(ctx, {  # type: ignore[union-attr]
        "Runtime": runtime, "Handler": "index.handler", "Role": role, "Code": {"ZipFile": source}})
    event = {"RequestType": "Create", "ResponseURL": response_url, "StackId": "stack-1", "RequestId": "req-1",
             "LogicalResourceId": "Custom", "ResourceType": "Custom::Thing"}
    client("lambda").invoke(FunctionName=made.physical_id, Payload=json.dumps(event))
    answer = json.loads(s3.get_object(Bucket="responses", Key="r1")["Body"].read())
    assert answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] == "phys-1"
    assert answer["Data"] == {"A": "1"} and answer["RequestId"] == "req-1" and answer["StackId"] == "stack-1"


def test_function_update_code_configuration_and_tags_in_place(ctx: ProviderContext, role: str, client: Any) -> None:
    lam = client("lambda")
    function = provider_for("AWS::Lambda::Function")
    old = {"FunctionName": "worker", "Runtime": "python3.12", "Handler": "index.handler", "Role": role,
           "Code": {"ZipFile": INLINE}, "MemorySize": 256, "Environment": {"Variables": {"A": "1"}},
           "Tags": [{"Key": "a", "Value": "1"}]}
    function.create(ctx, old)
    client("s3").create_bucket(Bucket="code-bucket")
    client("s3").put_object(Bucket="code-bucket", Key="v2.zip", Body=lambda_zip(
        "def handler(event, context):\n    return 'v2'\n", filename="app.py"))
    new = {**old, "Code": {"S3Bucket": "code-bucket", "S3Key": "v2.zip"}, "Handler": "app.handler",
           "MemorySize": 512, "Environment": None, "Tags": [{"Key": "b", "Value": "2"}],
           "ReservedConcurrentExecutions": 3}
    del new["Environment"]
    function.update(ctx, "worker", old, new)
    config = lam.get_function_configuration(FunctionName="worker")
    assert config["MemorySize"] == 512 and config["Handler"] == "app.handler"
    assert config.get("Environment", {}).get("Variables", {}) == {}
    assert json.loads(lam.invoke(FunctionName="worker")["Payload"].read()) == "v2"
    assert lam.list_tags(Resource=config["FunctionArn"])["Tags"] == {"b": "2"}
    assert lam.get_function_concurrency(FunctionName="worker")["ReservedConcurrentExecutions"] == 3
    assert "FunctionName" in function.replaces and "Code" not in function.replaces
    function.delete(ctx, "worker", new)
    function.delete(ctx, "worker", new)
    assert error_of(lambda: lam.get_function(FunctionName="worker"))[0] == "ResourceNotFoundException"


def test_version_alias_and_permission(ctx: ProviderContext, role: str, client: Any) -> None:
    lam = client("lambda")
    name = _function(ctx, role).physical_id
    version = provider_for("AWS::Lambda::Version").create(ctx, {"FunctionName": name, "Description": "first"})
    assert version.attributes["Version"] == "1" and version.physical_id == f"{version.attributes['FunctionArn']}:1"
    assert lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]["Description"] == "first"
    alias = provider_for("AWS::Lambda::Alias")
    old = {"FunctionName": name, "Name": "live", "FunctionVersion": version.attributes["Version"]}
    made = alias.create(ctx, old)
    assert made.attributes == {"AliasArn": lam.get_alias(FunctionName=name, Name="live")["AliasArn"]}
    lam.update_function_code(FunctionName=name, ZipFile=lambda_zip("def handler(e, c):\n    return 2\n", filename="index.py"))
    assert lam.publish_version(FunctionName=name)["Version"] == "2"
    alias.update(ctx, made.physical_id, old, {**old, "RoutingConfig": {"AdditionalVersionWeights": [
        {"FunctionVersion": "2", "FunctionWeight": 0.25}]}})
    assert lam.get_alias(FunctionName=name, Name="live")["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.25}}
    permission = provider_for("AWS::Lambda::Permission")
    allowed = {"FunctionName": made.physical_id, "Action": "lambda:InvokeFunction", "Principal": "s3.amazonaws.com",
               "SourceArn": "arn:aws:s3:::some-bucket"}
    granted = permission.create(ctx, allowed)
    statements = json.loads(lam.get_policy(FunctionName=name, Qualifier="live")["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == [granted.physical_id] == [granted.attributes["Id"]]
    permission.delete(ctx, granted.physical_id, allowed)
    assert error_of(lambda: lam.get_policy(FunctionName=name, Qualifier="live"))[0] == "ResourceNotFoundException"
    alias.delete(ctx, made.physical_id, old)
    provider_for("AWS::Lambda::Version").delete(ctx, version.physical_id, {})
    assert [v["Version"] for v in lam.list_versions_by_function(FunctionName=name)["Versions"]] == ["$LATEST", "2"]


def test_event_source_mapping_from_a_queue(ctx: ProviderContext, role: str, client: Any) -> None:
    lam = client("lambda")
    name = _function(ctx, role).physical_id
    queue = provider_for("AWS::SQS::Queue").create(ctx, {"QueueName": "work"})
    mapping = provider_for("AWS::Lambda::EventSourceMapping")
    old = {"FunctionName": name, "EventSourceArn": queue.attributes["Arn"], "BatchSize": "5"}
    made = mapping.create(ctx, old)
    found = lam.get_event_source_mapping(UUID=made.physical_id)
    assert made.attributes["Id"] == found["UUID"] and found["BatchSize"] == 5
    mapping.update(ctx, made.physical_id, old, {**old, "BatchSize": 7, "Enabled": False})
    found = lam.get_event_source_mapping(UUID=made.physical_id)
    assert found["BatchSize"] == 7
    assert "EventSourceArn" in mapping.replaces
    mapping.delete(ctx, made.physical_id, old)
    mapping.delete(ctx, made.physical_id, old)


def test_layer_version_and_function_url(ctx: ProviderContext, role: str, client: Any) -> None:
    lam, s3 = client("lambda"), client("s3")
    s3.create_bucket(Bucket="layer-bucket")
    s3.put_object(Bucket="layer-bucket", Key="layer.zip", Body=lambda_zip({"python/helper.py": "X = 1\n"}))
    layer = provider_for("AWS::Lambda::LayerVersion")
    made = layer.create(ctx, {"LayerName": "helpers", "Content": {"S3Bucket": "layer-bucket", "S3Key": "layer.zip"},
                              "CompatibleRuntimes": ["python3.12"]})
    found = lam.get_layer_version_by_arn(Arn=made.physical_id)
    assert made.attributes == {"LayerVersionArn": found["LayerVersionArn"]} and found["Version"] == 1
    name = _function(ctx, role, Layers=[made.physical_id]).physical_id
    url = provider_for("AWS::Lambda::Url")
    function_arn = lam.get_function_configuration(FunctionName=name)["FunctionArn"]
    old = {"TargetFunctionArn": function_arn, "AuthType": "NONE"}
    made_url = url.create(ctx, old)
    config = lam.get_function_url_config(FunctionName=name)
    assert made_url.attributes == {"FunctionArn": config["FunctionArn"], "FunctionUrl": config["FunctionUrl"]}
    url.update(ctx, made_url.physical_id, old, {**old, "AuthType": "AWS_IAM"})
    assert lam.get_function_url_config(FunctionName=name)["AuthType"] == "AWS_IAM"
    url.delete(ctx, made_url.physical_id, old)
    assert error_of(lambda: lam.get_function_url_config(FunctionName=name))[0] == "ResourceNotFoundException"
    layer.delete(ctx, made.physical_id, {})
    assert error_of(lambda: lam.get_layer_version_by_arn(Arn=made.physical_id))[0] == "ResourceNotFoundException"
