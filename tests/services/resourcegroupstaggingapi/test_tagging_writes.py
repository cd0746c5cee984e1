"""TagResources and UntagResources reach each owning service; compliance operations; every operation."""

from __future__ import annotations

from typing import Any

import pytest

from ..aws_errors import error_of
from ..every_operation import call_every_operation


def test_tag_resources_reaches_each_owning_service(tagging: Any, client: Any, estate: dict[str, str]) -> None:
    answer = tagging.tag_resources(ResourceARNList=list(estate.values()), Tags={"owner": "ops"})
    assert answer["FailedResourcesMap"] == {}
    s3, sqs, ddb, ecs = client("s3"), client("sqs"), client("dynamodb"), client("ecs")
    assert {"Key": "owner", "Value": "ops"} in s3.get_bucket_tagging(Bucket="tagged-bucket")["TagSet"]
    url = sqs.get_queue_url(QueueName="tagged-queue")["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"]["owner"] == "ops"
    assert {"Key": "owner", "Value": "ops"} in ddb.list_tags_of_resource(ResourceArn=estate["table"])["Tags"]
    assert {"key": "owner", "value": "ops"} in ecs.list_tags_for_resource(resourceArn=estate["cluster"])["tags"]


def test_untag_resources_reaches_each_owning_service(tagging: Any, client: Any, estate: dict[str, str]) -> None:
    answer = tagging.untag_resources(ResourceARNList=list(estate.values()), TagKeys=["env", "team", "absent"])
    assert answer["FailedResourcesMap"] == {}
    assert error_of(lambda: client("s3").get_bucket_tagging(Bucket="tagged-bucket"))[0] == "NoSuchTagSet"
    assert client("ecs").list_tags_for_resource(resourceArn=estate["cluster"])["tags"] == []
    remaining = {m["ResourceARN"] for m in tagging.get_resources()["ResourceTagMappingList"]}
    assert remaining == {estate["table"]}  # keeps its `cost` tag


def test_failures_are_reported_per_arn(tagging: Any, estate: dict[str, str]) -> None:
    missing_queue = "arn:aws:sqs:us-east-1:123456789012:gone"
    unknown = "arn:aws:nothing:us-east-1:123456789012:thing/x"
    answer = tagging.tag_resources(ResourceARNList=[estate["queue"], missing_queue, unknown], Tags={"a": "b"})
    failed = answer["FailedResourcesMap"]
    assert set(failed) == {missing_queue, unknown}
    assert all(f["StatusCode"] == 400 and f["ErrorCode"] == "InvalidParameterException" and f["ErrorMessage"]
               for f in failed.values())
    answer = tagging.untag_resources(ResourceARNList=[unknown], TagKeys=["a"])
    assert set(answer["FailedResourcesMap"]) == {unknown}


def test_resources_of_another_region_or_account_are_not_tagged(tagging: Any, client: Any,
                                                               estate: dict[str, str]) -> None:
    """A same-named queue here must not be tagged for an ARN of another region or account."""
    elsewhere = [estate["queue"].replace("us-east-1", "eu-west-1"), estate["queue"].replace("123456789012", "999")]
    failed = tagging.tag_resources(ResourceARNList=elsewhere, Tags={"x": "1"})["FailedResourcesMap"]
    assert set(failed) == set(elsewhere)
    url = client("sqs").get_queue_url(QueueName="tagged-queue")["QueueUrl"]
    assert "x" not in client("sqs").list_queue_tags(QueueUrl=url)["Tags"]


def test_reserved_tag_keys_are_refused(tagging: Any, estate: dict[str, str]) -> None:
    code, _ = error_of(lambda: tagging.tag_resources(ResourceARNList=[estate["queue"]], Tags={"aws:x": "1"}))
    assert code == "InvalidParameterException"


def test_compliance_operations_without_a_tag_policy(tagging: Any) -> None:
    assert error_of(lambda: tagging.get_compliance_summary())[0] == "ConstraintViolationException"
    assert error_of(lambda: tagging.start_report_creation(S3Bucket="reports"))[0] == "ConstraintViolationException"
    assert tagging.describe_report_creation()["Status"] == "NO REPORT"
    assert tagging.list_required_tags()["RequiredTags"] == []


def test_only_services_already_made_are_asked(tagging: Any, aws: Any) -> None:
    before = set(aws.registry.instantiated())
    tagging.get_resources()
    made = set(aws.registry.instantiated()) - before
    assert made <= {"resourcegroupstaggingapi"}


@pytest.mark.parametrize("seed", [20])
def test_every_operation_answers(tagging: Any, estate: dict[str, str], seed: int) -> None:
    assert call_every_operation(tagging, seed=seed, rounds=3) == []
