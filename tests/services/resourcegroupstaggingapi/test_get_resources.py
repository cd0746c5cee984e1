"""GetResources, GetTagKeys and GetTagValues across Tier 1 services and a stub service."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from ..aws_errors import error_of


def _found(answer: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {m["ResourceARN"]: {t["Key"]: t["Value"] for t in m["Tags"]} for m in answer["ResourceTagMappingList"]}


def test_finds_tagged_resources_across_s3_sqs_dynamodb_and_a_stub(tagging: Any, estate: dict[str, str]) -> None:
    found = _found(tagging.get_resources())
    assert found == {
        estate["bucket"]: {"env": "prod", "team": "data"},
        estate["queue"]: {"env": "dev"},
        estate["table"]: {"env": "prod", "cost": ""},
        estate["cluster"]: {"team": "web"},
    }


def test_tag_filters_and_within_or_across(tagging: Any, estate: dict[str, str]) -> None:
    prod = _found(tagging.get_resources(TagFilters=[{"Key": "env", "Values": ["prod"]}]))
    assert set(prod) == {estate["bucket"], estate["table"]}
    either = _found(tagging.get_resources(TagFilters=[{"Key": "env", "Values": ["prod", "dev"]}]))
    assert set(either) == {estate["bucket"], estate["table"], estate["queue"]}
    any_value = _found(tagging.get_resources(TagFilters=[{"Key": "team"}]))
    assert set(any_value) == {estate["bucket"], estate["cluster"]}
    both = _found(tagging.get_resources(TagFilters=[{"Key": "env", "Values": ["prod"]}, {"Key": "team"}]))
    assert set(both) == {estate["bucket"]}
    empty_value = _found(tagging.get_resources(TagFilters=[{"Key": "cost", "Values": [""]}]))
    assert set(empty_value) == {estate["table"]}
    assert tagging.get_resources(TagFilters=[{"Key": "nope"}])["ResourceTagMappingList"] == []


@pytest.mark.parametrize(("filters", "expected"), [
    (["s3"], {"bucket"}),
    (["sqs:queue"], {"queue"}),
    (["dynamodb:table"], {"table"}),
    (["ecs:cluster", "s3"], {"cluster", "bucket"}),
    (["dynamodb:stream"], set()),
])
def test_resource_type_filters(tagging: Any, estate: dict[str, str], filters: list[str], expected: set[str]) -> None:
    found = _found(tagging.get_resources(ResourceTypeFilters=filters))
    assert set(found) == {estate[name] for name in expected}


def test_resource_arn_list_returns_only_those_that_exist(tagging: Any, estate: dict[str, str]) -> None:
    missing = "arn:aws:sqs:us-east-1:123456789012:missing"
    found = _found(tagging.get_resources(ResourceARNList=[estate["queue"], estate["cluster"], missing]))
    assert set(found) == {estate["queue"], estate["cluster"]}


@pytest.mark.parametrize("extra", [
    {"TagFilters": [{"Key": "env"}]}, {"ResourceTypeFilters": ["s3"]}, {"ResourcesPerPage": 5},
    {"TagsPerPage": 100}, {"PaginationToken": "x"},
])
def test_resource_arn_list_refuses_filters_and_paging(tagging: Any, extra: dict[str, Any]) -> None:
    code, _ = error_of(lambda: tagging.get_resources(ResourceARNList=["arn:aws:s3:::b"], **extra))
    assert code == "InvalidParameterException"


@pytest.mark.parametrize("params", [{"ResourcesPerPage": 0}, {"ResourcesPerPage": 101}, {"TagsPerPage": 99},
                                    {"TagsPerPage": 501}, {"ExcludeCompliantResources": True},
                                    {"PaginationToken": "not-a-token"}])
def test_out_of_range_and_inconsistent_parameters(tagging: Any, params: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as info:
        tagging.get_resources(**params)
    assert info.value.response["Error"]["Code"] == "InvalidParameterException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_resources_per_page_pages_with_an_opaque_token(tagging: Any, estate: dict[str, str]) -> None:
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = tagging.get_resources(ResourcesPerPage=1, **({"PaginationToken": token} if token else {}))
        pages += 1
        assert len(page["ResourceTagMappingList"]) == 1
        seen += [m["ResourceARN"] for m in page["ResourceTagMappingList"]]
        token = page["PaginationToken"]
        if not token:
            break
        assert not any(arn in token for arn in estate.values())  # opaque, not an ARN in plain text
    assert pages == 4 and sorted(seen) == sorted(estate.values())


def test_paginator_and_tags_per_page_never_split_a_resource(tagging: Any, client: Any,
                                                            estate: dict[str, str]) -> None:
    sqs = client("sqs")
    for i in range(3):
        sqs.create_queue(QueueName=f"wide-{i}", tags={f"k{j}": str(j) for j in range(45)})
    pages = list(tagging.get_paginator("get_resources").paginate(TagsPerPage=100))
    assert all(sum(max(len(m["Tags"]), 1) for m in p["ResourceTagMappingList"]) <= 100 for p in pages)
    arns = [m["ResourceARN"] for p in pages for m in p["ResourceTagMappingList"]]
    assert len(arns) == len(set(arns)) == 7 and len(pages) == 2  # 96 tags, then the last 45


def test_compliance_details_without_a_tag_policy(tagging: Any, estate: dict[str, str]) -> None:
    answer = tagging.get_resources(IncludeComplianceDetails=True, ResourceTypeFilters=["s3"])
    assert answer["ResourceTagMappingList"][0]["ComplianceDetails"] == {
        "NoncompliantKeys": [], "KeysWithNoncompliantValues": [], "ComplianceStatus": True}
    excluded = tagging.get_resources(IncludeComplianceDetails=True, ExcludeCompliantResources=True)
    assert excluded["ResourceTagMappingList"] == []


def test_tag_keys_and_values(tagging: Any, estate: dict[str, str]) -> None:
    assert tagging.get_tag_keys()["TagKeys"] == ["cost", "env", "team"]
    assert tagging.get_tag_values(Key="env")["TagValues"] == ["dev", "prod"]
    assert tagging.get_tag_values(Key="team")["TagValues"] == ["data", "web"]
    assert tagging.get_tag_values(Key="nope")["TagValues"] == []
    keys = [k for page in tagging.get_paginator("get_tag_keys").paginate() for k in page["TagKeys"]]
    assert keys == ["cost", "env", "team"]


def test_other_regions_and_untagged_resources_are_not_listed(tagging: Any, client: Any) -> None:
    client("s3").create_bucket(Bucket="west-bucket", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    client("s3").put_bucket_tagging(Bucket="west-bucket", Tagging={"TagSet": [{"Key": "env", "Value": "w"}]})
    client("sqs").create_queue(QueueName="untagged")
    assert tagging.get_resources()["ResourceTagMappingList"] == []
    west = client("resourcegroupstaggingapi", region_name="us-west-2")
    assert _found(west.get_resources()) == {"arn:aws:s3:::west-bucket": {"env": "w"}}
