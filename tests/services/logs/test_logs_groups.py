"""Log groups and streams through boto3: create, describe, delete, retention, KMS keys,
tags (both APIs), deletion protection, and AWS's errors."""

from __future__ import annotations

from typing import Any

import pytest

from ..aws_errors import error_of
from ..every_operation import call_every_operation
from .conftest import ACCOUNT

GROUP_NOT_FOUND = ("ResourceNotFoundException", "The specified log group does not exist.")


def test_create_describe_and_delete_a_group(logs: Any) -> None:
    logs.create_log_group(logGroupName="/app/web", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/k1",
                          tags={"team": "a"}, logGroupClass="INFREQUENT_ACCESS")
    (group,) = logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"]
    assert group["logGroupName"] == "/app/web"
    assert group["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/web:*"
    assert group["logGroupArn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/app/web"
    assert group["kmsKeyId"].endswith(":key/k1")
    assert group["logGroupClass"] == "INFREQUENT_ACCESS"
    assert group["metricFilterCount"] == 0 and group["storedBytes"] == 0
    assert "retentionInDays" not in group
    assert logs.list_tags_log_group(logGroupName="/app/web")["tags"] == {"team": "a"}
    logs.delete_log_group(logGroupName="/app/web")
    assert logs.describe_log_groups()["logGroups"] == []


def test_group_errors(logs: Any) -> None:
    logs.create_log_group(logGroupName="g")
    assert error_of(logs.create_log_group, logGroupName="g") == (
        "ResourceAlreadyExistsException", "The specified log group already exists")
    assert error_of(logs.delete_log_group, logGroupName="nope") == GROUP_NOT_FOUND
    assert error_of(logs.describe_log_streams, logGroupName="nope") == GROUP_NOT_FOUND
    assert error_of(logs.put_retention_policy, logGroupName="nope", retentionInDays=1) == GROUP_NOT_FOUND


def test_streams(logs: Any) -> None:
    logs.create_log_group(logGroupName="g")
    for name in ("b", "a", "c"):
        logs.create_log_stream(logGroupName="g", logStreamName=name)
    assert error_of(logs.create_log_stream, logGroupName="g", logStreamName="a") == (
        "ResourceAlreadyExistsException", "The specified log stream already exists")
    streams = logs.describe_log_streams(logGroupName="g")["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["a", "b", "c"]
    assert streams[0]["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:g:log-stream:a"
    desc = logs.describe_log_streams(logGroupIdentifier="g", descending=True, limit=2)
    assert [s["logStreamName"] for s in desc["logStreams"]] == ["c", "b"]
    rest = logs.describe_log_streams(logGroupName="g", descending=True, limit=2, nextToken=desc["nextToken"])
    assert [s["logStreamName"] for s in rest["logStreams"]] == ["a"] and "nextToken" not in rest
    assert error_of(logs.describe_log_streams, logGroupName="g", logStreamNamePrefix="a",
                    orderBy="LastEventTime") == (
        "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.")
    logs.delete_log_stream(logGroupName="g", logStreamName="a")
    assert error_of(logs.delete_log_stream, logGroupName="g", logStreamName="a") == (
        "ResourceNotFoundException", "The specified log stream does not exist.")


def test_describe_and_list_filters_and_paging(logs: Any) -> None:
    for name in ("/aws/lambda/f1", "/aws/lambda/f2", "/app/x", "other"):
        logs.create_log_group(logGroupName=name)
    names = lambda r: [g["logGroupName"] for g in r["logGroups"]]  # noqa: E731
    assert names(logs.describe_log_groups(logGroupNamePattern="LAMBDA")) == ["/aws/lambda/f1", "/aws/lambda/f2"]
    assert names(logs.list_log_groups(logGroupNamePattern="^/app|other")) == ["/app/x", "other"]
    paginator = logs.get_paginator("describe_log_groups")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["logGroups"]) for p in pages] == [3, 1]
    assert error_of(logs.describe_log_groups, logGroupNamePrefix="/a", logGroupNamePattern="a")[0] == \
        "InvalidParameterException"


def test_retention_and_kms(logs: Any) -> None:
    logs.create_log_group(logGroupName="g")
    logs.put_retention_policy(logGroupName="g", retentionInDays=7)
    assert logs.describe_log_groups()["logGroups"][0]["retentionInDays"] == 7
    logs.delete_retention_policy(logGroupName="g")
    assert "retentionInDays" not in logs.describe_log_groups()["logGroups"][0]
    code, _ = error_of(logs.put_retention_policy, logGroupName="g", retentionInDays=2)
    assert code == "InvalidParameterException"
    logs.associate_kms_key(logGroupName="g", kmsKeyId="arn:aws:kms:us-east-1:123456789012:key/k2")
    assert logs.describe_log_groups()["logGroups"][0]["kmsKeyId"].endswith("key/k2")
    logs.disassociate_kms_key(logGroupName="g")
    assert "kmsKeyId" not in logs.describe_log_groups()["logGroups"][0]


def test_tags_through_both_apis(logs: Any) -> None:
    logs.create_log_group(logGroupName="g", tags={"a": "1"})
    arn = logs.describe_log_groups()["logGroups"][0]["logGroupArn"]
    logs.tag_resource(resourceArn=arn, tags={"b": "2"})
    logs.tag_log_group(logGroupName="g", tags={"c": "3"})
    assert logs.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1", "b": "2", "c": "3"}
    logs.untag_resource(resourceArn=arn, tagKeys=["a"])
    logs.untag_log_group(logGroupName="g", tags=["b"])
    assert logs.list_tags_log_group(logGroupName="g")["tags"] == {"c": "3"}
    assert error_of(logs.list_tags_for_resource, resourceArn=arn + "x") == GROUP_NOT_FOUND
    code, _ = error_of(logs.tag_resource, resourceArn=arn, tags={f"k{i}": "v" for i in range(50)})
    assert code == "TooManyTagsException"


def test_deletion_protection(logs: Any) -> None:
    logs.create_log_group(logGroupName="g", deletionProtectionEnabled=True)
    assert logs.describe_log_groups()["logGroups"][0]["deletionProtectionEnabled"] is True
    assert error_of(logs.delete_log_group, logGroupName="g")[0] == "OperationAbortedException"
    logs.put_log_group_deletion_protection(logGroupIdentifier="g", deletionProtectionEnabled=False)
    logs.delete_log_group(logGroupName="g")


@pytest.mark.parametrize("seed", [16])
def test_every_operation_answers(logs: Any, seed: int) -> None:
    assert call_every_operation(logs, seed=seed, rounds=2) == []
