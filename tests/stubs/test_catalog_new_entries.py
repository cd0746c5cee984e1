"""A smoke test per catalog entry added after the first 52, generated from the entries.

Each entry is checked as data (every operation it maps is in the service's
botocore model; every ARN template names the partition, and the account unless
the service is global) and, through a real boto3 client against the session
gateway, its first resource type goes create -> describe -> list -> tag ->
delete -> not-found. Every fixed answer an entry declares is what a client gets.
"""

from __future__ import annotations

import uuid

import pytest
from botocore.config import Config as BotoConfig

from pytest_cloudmock.services import builtin_names
from pytest_cloudmock.stubs import builtin_entry, builtin_entry_names
from pytest_cloudmock.stubs.engine import StubService
from pytest_cloudmock.stubs.entry import CREATE, CUSTOM, DELETE, DESCRIBE, LIST, TAG, Entry

from .driver import Driver, minimal, snake, strings

# The catalog as first shipped (commit 6eaba78); tests/stubs/test_catalog.py drives all entries.
FIRST_CATALOG = frozenset({
    "acm", "amplify", "appconfig", "appsync", "athena", "autoscaling", "backup", "batch",
    "cloudfront", "cloudsearch", "cloudtrail", "codeartifact", "codebuild", "codecommit",
    "codedeploy", "codepipeline", "cognito-identity", "datapipeline", "dax", "ec2", "ecr", "ecs",
    "efs", "eks", "elasticache", "elasticbeanstalk", "elbv2", "emr-containers", "emr-serverless",
    "glacier", "glue", "iot", "ivs", "kafka", "memorydb", "mq", "opensearchserverless",
    "organizations", "pipes", "rds", "redshift", "resource-groups", "route53", "route53resolver",
    "sagemaker", "scheduler", "servicecatalog", "servicediscovery", "sesv2", "transfer", "wafv2",
    "xray",
})
NEW = sorted(n for n in builtin_entry_names() if n not in FIRST_CATALOG and n not in builtin_names())
ACCOUNT = "123456789012"
# Host prefixes off, as the plugin's fixtures set them: `api.127.0.0.1` (MWAA), `cp.maps.127.0.0.1`
# (Location) name hosts no resolver knows; the in-process transport serves them either way.
NO_RETRY = BotoConfig(retries={"max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)


def first_resource(entry: Entry) -> str | None:
    """The first resource type that can be created and then seen (described or listed)."""
    for key in entry.resource_types:
        if entry.action(CREATE, key) and (entry.action(DESCRIBE, key) or entry.action(LIST, key)):
            return key
    return None


def test_the_catalog_is_past_120_services():
    assert len(builtin_entry_names()) > 120
    assert len(NEW) >= 70


@pytest.mark.parametrize("name", NEW)
def test_entry_names_only_modelled_operations(name):
    from pytest_cloudmock.models import service_model

    entry = builtin_entry(name)
    model = service_model(name)
    assert entry.description, f"{name}: an entry says what it serves"
    assert set(entry.actions) <= set(model.operation_names), set(entry.actions) - set(model.operation_names)
    for rtype in entry.resource_types.values():
        arn = rtype.arn if rtype.arn != "{id}" else rtype.id_format
        if arn.startswith("arn:"):
            assert arn.startswith("arn:{partition}:"), (name, rtype.name, arn)
            assert "{account}" in arn or ":::" in arn, (name, rtype.name, arn)  # IAM Identity Center's have none


FIXED = [(name, op) for name in NEW for op, spec in builtin_entry(name).actions.items()
         if spec.kind == CUSTOM and not spec.handler]
SMOKED = [name for name in NEW if first_resource(builtin_entry(name))]


@pytest.mark.parametrize(("name", "op"), FIXED)
def test_fixed_answers_are_what_the_entry_declares(name, op, aws, boto_session):
    client = boto_session.client(name, endpoint_url=aws.endpoint, config=NO_RETRY)
    shape = client.meta.service_model.operation_model(op).input_shape
    answer = getattr(client, snake(client, op))(**(minimal(shape) if shape else {}))
    answer.pop("ResponseMetadata", None)
    declared = builtin_entry(name).actions[op].response
    assert {k: v.read() if hasattr(v, "read") else v for k, v in answer.items()} == declared


@pytest.mark.parametrize("name", SMOKED)
def test_entry_smoke(name, aws, boto_session):
    stub = aws.registry.get(name)
    assert isinstance(stub, StubService), f"{name} is served by {type(stub).__name__}"
    client = boto_session.client(name, endpoint_url=aws.endpoint, config=NO_RETRY)
    resource = first_resource(stub.entry)
    drive = Driver(client, stub, resource, ACCOUNT, boto_session.region_name)
    ident = drive.create(f"cm{uuid.uuid4().hex[:6]}")
    record = drive.record(ident)
    assert record is not None, f"{name}: created {ident!r} but stored nothing"
    if record.arn.startswith("arn:"):
        parts = record.arn.split(":")
        model = client.meta.service_model
        assert parts[1] == "aws" and parts[2] in (model.signing_name, model.endpoint_prefix), record.arn
        assert parts[4] in (ACCOUNT, ""), record.arn

    if drive.op(DESCRIBE):
        assert any(ident in s for s in strings(drive.describe(ident))), f"{name}: describe does not name {ident}"
    if drive.op(LIST) or drive.plan(drive.op(DESCRIBE)).items:
        assert len(drive.list_all(drive.page_size())[1]) == 1

    if drive.op(TAG):
        drive.call(drive.op(TAG), drive.tag_params(drive.op(TAG), ident, {"smoke": "yes"}, None))
        assert drive.tags_of(ident) == {"smoke": "yes"}

    delete_op = drive.op(DELETE)
    if delete_op:
        drive.call(delete_op, drive.params(delete_op, ident))
        assert drive.record(ident) is None
        probe = drive.op(DESCRIBE) if drive.op(DESCRIBE) and drive.plan(drive.op(DESCRIBE)).items is None else delete_op
        err = drive.expect_error(drive.plan(probe).not_found.code, probe, drive.params(probe, ident))
        assert 400 <= err.response["ResponseMetadata"]["HTTPStatusCode"] < 500
