"""One generated test per built-in catalog resource type, over a real boto3 client.

Create (3+ resources, under their parents), describe, list across 2+ pages and
scoped to the parent, update, tag round trip, the already-exists error (a new
revision for versioned types), region isolation, the parent's delete refused
while children exist (or cascading), delete, and the not-found error: each where
the entry serves it. Codes are checked as botocore parses them.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

from pytest_cloudmock.services import builtin_names
from pytest_cloudmock.stubs import builtin_entry, builtin_entry_names
from pytest_cloudmock.stubs.engine import StubService
from pytest_cloudmock.stubs.entry import CREATE, DELETE, DESCRIBE, LIST, TAG, UNTAG, UPDATE
from pytest_cloudmock.stubs.shapes import norm

from .driver import NEW_DESCRIPTION, Driver, pairs, strings

CASES = [  # a Tier 1 service of the same name replaces the entry, and has its own tests
    pytest.param(name, key, id=f"{name}-{key}")
    for name in builtin_entry_names() if name not in builtin_names()
    for key in builtin_entry(name).resource_types
    if builtin_entry(name).action(CREATE, key)  # record sets are made by a custom operation
    and not builtin_entry(name).action(CREATE, key).handler  # hand-written ones have their own tests
]
# Host prefixes off, as the plugin's fixtures set them: `api.127.0.0.1` (MWAA), `cp.maps.127.0.0.1`
# (Location) name hosts no resolver knows; the in-process transport serves them either way.
NO_RETRY = BotoConfig(retries={"max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)


@pytest.mark.parametrize(("service", "resource"), CASES)
def test_catalog_entry(service, resource, aws, boto_session):
    stub = aws.registry.get(service)
    if not isinstance(stub, StubService):
        pytest.fail(f"{service} is served by {type(stub).__name__}, not the catalog entry")
    client = boto_session.client(service, endpoint_url=aws.endpoint, config=NO_RETRY)
    drive = Driver(client, stub, resource, "123456789012", boto_session.region_name)
    prefix = f"cm{uuid.uuid4().hex[:6]}"
    drive.make_parents(prefix + "par")
    size = drive.page_size()
    idents = [drive.create(f"{prefix}-{i}") for i in range(size + 1)]
    assert len(set(idents)) == len(idents)
    first = idents[0]

    if drive.op(DESCRIBE):
        described = drive.describe(first)
        assert any(first == s or s.endswith(first) or first.endswith(s) and "/" in first
                   for s in strings(described)), described
        for key, value in pairs(described):
            if "creat" in norm(key) and isinstance(value, datetime):
                assert value.tzinfo is not None
            if norm(key).endswith("arn") and isinstance(value, str) and value.startswith("arn:"):
                assert value.split(":")[4] in ("", "123456789012"), value

    if drive.op(LIST) or drive.plan(drive.op(DESCRIBE)).items:
        pages, items = drive.list_all(size)
        assert len(items) == len(idents)
        list_op = drive.op(LIST) or drive.op(DESCRIBE)
        if drive.limited(list_op) or drive.manual_paging(list_op):
            assert pages >= 2

    if drive.op(UPDATE):
        op = drive.op(UPDATE)
        shape = drive.model.operation_model(op).input_shape
        params = drive.params(op, first)
        where = drive.plan(op).fields_path
        target = shape
        for part in where:
            target = target.members[part]
        described_name = next((m for m in target.members if norm(m).endswith("description")), None)
        holder = params
        for part in where:
            holder = holder.setdefault(part, {})
        if described_name and target.members[described_name].type_name == "string":
            holder[described_name] = NEW_DESCRIPTION
        drive.call(op, params)
        if described_name and drive.op(DESCRIBE):
            assert NEW_DESCRIPTION in strings(drive.describe(first))

    if drive.op(TAG) and taggable(drive, first):
        tag_op = drive.op(TAG)
        drive.call(tag_op, drive.tag_params(tag_op, first, {"env": "test", "team": "a"}, None))
        assert drive.tags_of(first) == {"env": "test", "team": "a"}
        untag_op = drive.op(UNTAG)
        if untag_op:
            drive.call(untag_op, drive.tag_params(untag_op, first, None, ["team"]))
            assert drive.tags_of(first) == {"env": "test"}

    create_op = drive.op(CREATE)
    create_plan = drive.plan(create_op)
    if drive.rtype.versioned:  # a create of an existing id is its next revision
        again = drive.create(f"{prefix}-0")
        assert again != first and again.rsplit(":", 1)[0] == first.rsplit(":", 1)[0]
        idents.append(again)
    elif create_plan.id_path or drive.rtype.unique:
        if drive.rtype.idempotent:
            assert drive.create(f"{prefix}-0") == first
        else:
            params = drive.params(create_op, f"{prefix}-0")
            if not create_plan.id_path:
                drive.put_unique(params, f"{prefix}-0")
            modelled(client, create_op, drive.expect_error(create_plan.already_exists.code, create_op, params))

    other = boto_session.client(service, endpoint_url=aws.endpoint, config=NO_RETRY, region_name="eu-west-1")
    if (drive.op(LIST) or drive.plan(drive.op(DESCRIBE)).items) and not drive.rtype.parent:
        seen = drive.list_all(size, other)[1]
        assert len(seen) == (len(idents) if drive.entry.global_ else 0)
    if drive.rtype.parent:
        lists_scoped(drive, prefix, size)
        if drive.rtype.parent_delete != "cascade":
            parent_delete_refused(drive)

    delete_op = drive.op(DELETE)
    if delete_op:
        for ident in idents:
            drive.call(delete_op, drive.params(delete_op, ident))
        describe_op = drive.op(DESCRIBE)
        if describe_op and drive.plan(describe_op).failures and drive.plan(describe_op).items:
            failed = drive.describe(first)  # a batch describe reports the missing one as a failure
            assert failed[drive.plan(describe_op).failures] and not failed.get(drive.plan(describe_op).items)
        probe = describe_op if describe_op and not drive.plan(describe_op).failures and (
            drive.plan(describe_op).items is None or drive.plan(describe_op).not_found.modelled
        ) else delete_op
        if drive.plan(probe).failures:  # a batch delete reports the missing one as a failure
            assert drive.call(probe, drive.params(probe, first))[drive.plan(probe).failures]
        else:
            err = drive.expect_error(drive.plan(probe).not_found.code, probe, drive.params(probe, first))
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] >= 400
            modelled(client, probe, err)
    if drive.rtype.parent_delete == "cascade":
        parent_delete_cascades(drive, prefix)


def taggable(drive: Driver, ident: str) -> bool:
    """Whether the tagging operation's model accepts this resource's ARN (AppSync tags APIs only:
    its `resourceArn` is 70 to 75 characters)."""
    from pytest_cloudmock.api import AWSError
    from pytest_cloudmock.validation import validate

    op = drive.op(TAG)
    try:
        validate(drive.tag_params(op, ident, {"env": "test"}, None), drive.model.operation_model(op),
                 drive.model.metadata["protocol"])
    except AWSError:
        return False
    return True


def parent_of(drive: Driver) -> Driver:
    parent = drive.child(drive.rtype.parent)
    parent.scope = {k: v for k, v in drive.scope.items() if k != drive.rtype.parent_id}
    return parent


def lists_scoped(drive: Driver, prefix: str, size: int) -> None:
    """Children are listed per parent: another parent lists none of them."""
    if drive.op(LIST) or drive.plan(drive.op(DESCRIBE)).items:
        empty = parent_of(drive).create(prefix + "empty")
        scoped = drive.child(drive.rkey)
        scoped.scope = {**drive.scope, drive.rtype.parent_id: empty}
        assert scoped.list_all(size)[1] == []


def parent_delete_refused(drive: Driver) -> None:
    """A parent with children is not deleted, with the service's error."""
    parent = parent_of(drive)
    delete_parent = parent.op(DELETE)
    if delete_parent is not None:
        params = parent.params(delete_parent, drive.scope[drive.rtype.parent_id])
        parent.expect_error(drive.rtype.parent_delete or parent.plan(delete_parent).in_use.code,
                            delete_parent, params)


def parent_delete_cascades(drive: Driver, prefix: str) -> None:
    """Deleting the parent deletes its children with it."""
    parent = parent_of(drive)
    child = drive.create(prefix + "-orphan")
    parent.call(parent.op(DELETE), parent.params(parent.op(DELETE), drive.scope[drive.rtype.parent_id]))
    assert drive.record(child) is None


def test_errors_are_client_errors(aws, boto_session):
    """A catalog service answers a bad call with an AWS error, never a traceback."""
    client = boto_session.client("eks", endpoint_url=aws.endpoint, config=NO_RETRY)
    with pytest.raises(ClientError) as info:
        client.describe_cluster(name="nope")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def modelled(client, operation: str, err: ClientError) -> None:
    """Where the operation's model lists the error, botocore raises its own exception class."""
    code = err.response["Error"]["Code"]
    listed = {s.metadata.get("error", {}).get("code", s.name)
              for s in client.meta.service_model.operation_model(operation).error_shapes}
    if code in listed:
        assert isinstance(err, client.exceptions.from_code(code)), (operation, code)
        assert client.exceptions.from_code(code) is not ClientError
