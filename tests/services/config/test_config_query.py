"""SelectResourceConfig: examples in the style of AWS's advanced query documentation."""

from __future__ import annotations

import json

import pytest

from ..aws_errors import error_of


@pytest.fixture
def buckets(client):
    s3 = client("s3")
    for name, team in (("alpha-bucket", "blue"), ("beta-bucket", "red"), ("gamma-bucket", "blue")):
        s3.create_bucket(Bucket=name)
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "team", "Value": team}]})
    s3.put_bucket_versioning(Bucket="gamma-bucket", VersioningConfiguration={"Status": "Enabled"})


def rows(config, expression):
    answer = config.select_resource_config(Expression=expression)
    return [json.loads(r) for r in answer["Results"]], [f["Name"] for f in answer["QueryInfo"]["SelectFields"]]


def test_select_by_type_and_tag(config, buckets):
    found, fields = rows(config, "SELECT resourceId, resourceType WHERE resourceType = 'AWS::S3::Bucket' "
                                 "AND tags.key = 'team' AND tags.value = 'blue'")
    assert fields == ["resourceId", "resourceType"]
    assert sorted(r["resourceId"] for r in found) == ["alpha-bucket", "gamma-bucket"]
    found, _ = rows(config, "SELECT resourceId WHERE resourceType = 'AWS::S3::Bucket' AND tags.tag = 'team=red'")
    assert found == [{"resourceId": "beta-bucket"}]


def test_select_nested_properties_like_and_order(config, buckets):
    found, _ = rows(config, "SELECT resourceId, supplementaryConfiguration.BucketVersioningConfiguration.status "
                            "WHERE resourceType = 'AWS::S3::Bucket' AND "
                            "supplementaryConfiguration.BucketVersioningConfiguration.status = 'Off' "
                            "ORDER BY resourceId DESC")
    assert [r["resourceId"] for r in found] == ["beta-bucket", "alpha-bucket"]
    assert found[0]["supplementaryConfiguration"] == {"BucketVersioningConfiguration": {"status": "Off"}}
    found, _ = rows(config, "SELECT configuration.name WHERE resourceId LIKE 'ga%'")
    assert found == [{"configuration": {"name": "gamma-bucket"}}]
    found, _ = rows(config, "SELECT resourceId WHERE resourceId IN ('alpha-bucket', 'nope') OR "
                            "(resourceType = 'AWS::S3::Bucket' AND NOT tags.value = 'blue')")
    assert sorted(r["resourceId"] for r in found) == ["alpha-bucket", "beta-bucket"]


def test_select_count_group_by(config, buckets):
    found, fields = rows(config, "SELECT resourceType, COUNT(*) WHERE resourceType = 'AWS::S3::Bucket' "
                                 "GROUP BY resourceType")
    assert fields == ["resourceType", "COUNT(*)"] and found == [{"resourceType": "AWS::S3::Bucket", "COUNT(*)": 3}]


def test_select_paging(config, buckets):
    first = config.select_resource_config(Expression="SELECT resourceId WHERE resourceType = 'AWS::S3::Bucket'",
                                          Limit=2)
    assert len(first["Results"]) == 2 and first["NextToken"]
    rest = config.select_resource_config(Expression="SELECT resourceId WHERE resourceType = 'AWS::S3::Bucket'",
                                         Limit=2, NextToken=first["NextToken"])
    assert len(rest["Results"]) == 1 and "NextToken" not in rest


@pytest.mark.parametrize("expression", [
    "SELECT resourceId FROM buckets", "resourceId WHERE x = 1", "SELECT WHERE resourceType = 'x'",
    "SELECT resourceId WHERE resourceType = ", "SELECT resourceId WHERE (resourceType = 'x'",
    "SELECT resourceId, COUNT(*) WHERE resourceType = 'x'", "SELECT resourceId WHERE resourceType ~ 'x'"])
def test_what_the_parser_cannot_read_is_invalid_expression(config, expression):
    code, message = error_of(config.select_resource_config, Expression=expression)
    assert code == "InvalidExpressionException" and message
