"""The provider contract's helpers: generated names, `provider_for`, and each type's declared
replacement properties and attributes checked against AWS's published resource schemas."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pytest_cloudmock.api import AWSError, RequestContext
from pytest_cloudmock.gateway import Gateway
from pytest_cloudmock.services.cloudformation.providers import (
    PROVIDERS,
    provider_for,
    supported_types,
)
from pytest_cloudmock.services.cloudformation.providers.base import ProviderContext, generated_name

ACCOUNT = "123456789012"
REGION = "us-east-1"


def provider_context(gateway: Gateway, logical_id: str = "Thing", stack: str = "stk",
                     tags: list[dict[str, str]] | None = None) -> ProviderContext:
    """A provider context on the gateway's registry, as the engine would make one (the
    stack operation's request gives the endpoint: queue URLs and function URLs name it)."""
    account = gateway.config.account_id
    caller = RequestContext("cloudformation", "CreateStack", {}, REGION, account, "AKIAIOSFODNN7EXAMPLE",
                            "req-1", "query", endpoint=gateway.endpoint, registry=gateway.registry)
    return ProviderContext(gateway.registry, account, REGION, stack,
                           f"arn:aws:cloudformation:{REGION}:{account}:stack/{stack}/1",
                           logical_id, caller=caller, stack_tags=tags or [])


def _ctx(stack: str, logical: str) -> ProviderContext:
    return ProviderContext(None, ACCOUNT, REGION, stack, "arn", logical)  # type: ignore[arg-type]


def test_generated_name_is_stack_logical_id_and_twelve_random_characters() -> None:
    name = generated_name(_ctx("my-stack", "MyQueue"))
    assert re.fullmatch(r"my-stack-MyQueue-[A-Z0-9]{12}", name)
    assert generated_name(_ctx("my-stack", "MyQueue")) != name


def test_generated_bucket_names_are_lowercase_and_fit_63_characters() -> None:
    name = generated_name(_ctx("S" * 60, "VeryLongLogicalIdForABucket" * 2), max_length=63, lowercase=True)
    assert len(name) == 63 and name == name.lower()
    assert re.fullmatch(r"s+-verylonglogicalid[a-z]*-[a-z0-9]{12}", name)


def test_generated_name_keeps_a_suffix_and_a_prefix_within_the_limit() -> None:
    fifo = generated_name(_ctx("stack" * 20, "Queue" * 20), max_length=80, suffix=".fifo")
    assert len(fifo) == 80 and fifo.endswith(".fifo")
    assert generated_name(_ctx("stk", "Param"), prefix="CFN").startswith("CFN-Param-")


def test_provider_for_knows_every_listed_type_and_nothing_else() -> None:
    for type_name in supported_types():
        assert provider_for(type_name).type_name == type_name  # type: ignore[union-attr]
    assert provider_for("AWS::Nope::Thing") is None
    assert provider_for("Custom::Thing") is None
    assert provider_for("AWS::S3::Bucket") is provider_for("AWS::S3::Bucket")


def test_provider_for_imports_a_module_only_when_its_type_is_asked() -> None:
    code = ("import sys; from pytest_cloudmock.services.cloudformation.providers import provider_for; "
            "p = 'pytest_cloudmock.services.cloudformation.providers.'; provider_for('AWS::SQS::Queue'); "
            "print(p + 'sqs' in sys.modules, p + 'iam' in sys.modules, p + 'lambda_' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["True", "False", "False"]


def _schema(type_name: str) -> dict:
    manager = pytest.importorskip("cfnlint.schema.manager").PROVIDER_SCHEMA_MANAGER
    return manager.get_resource_schema(REGION, type_name)


@pytest.mark.parametrize("type_name", sorted(PROVIDERS))
def test_replacement_properties_include_the_schemas_create_only_ones(type_name: str) -> None:
    """AWS's resource schemas (shipped with cfn-lint) list each type's create-only properties."""
    schema = _schema(type_name)
    create_only = {p.split("/")[2] for p in schema.schema.get("createOnlyProperties", [])}
    create_only -= {"BucketNamePrefix", "BucketNamespace"}  # properties of newer S3 features we do not serve
    assert create_only <= provider_for(type_name).replaces  # type: ignore[union-attr]


def test_malformed_properties_fail_as_aws_errors(aws: Gateway) -> None:
    ctx = provider_context(aws, "Broken")
    with pytest.raises(AWSError) as missing:
        provider_for("AWS::SQS::QueuePolicy").create(ctx, {"Queues": []})  # type: ignore[union-attr]
    assert missing.value.message == \
        "Properties validation failed for resource Broken with message: #: required key [PolicyDocument] not found"
    with pytest.raises(AWSError) as wrong:
        provider_for("AWS::Kinesis::Stream").create(ctx, {"ShardCount": "many"})  # type: ignore[union-attr]
    assert wrong.value.code == "ValidationError" and wrong.value.status == 400
