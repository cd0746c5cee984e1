"""Tags on every resource, EC2's filter syntax, MaxResults/NextToken, DryRun everywhere."""

from __future__ import annotations

import fnmatch
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.stubs.custom.ec2.filters import pattern
from tests.services.aws_errors import error_of, error_with_status


def test_create_delete_and_describe_tags(ec2, vpc, subnet):
    ec2.create_tags(Resources=[vpc["VpcId"], subnet["SubnetId"]],
                    Tags=[{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "a"}])
    assert ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"][0]["Tags"] == [
        {"Key": "env", "Value": "test"}, {"Key": "team", "Value": "a"}]
    tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["env"]}])["Tags"]
    assert sorted((t["ResourceType"], t["ResourceId"]) for t in tags) == sorted(
        [("subnet", subnet["SubnetId"]), ("vpc", vpc["VpcId"])])
    only_vpcs = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["vpc"]}])["Tags"]
    assert {t["Key"] for t in only_vpcs} == {"env", "team"}
    ec2.delete_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "env", "Value": "other"}])  # value differs: kept
    ec2.delete_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "team"}])
    assert ec2.describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"][0]["Tags"] == [{"Key": "env", "Value": "test"}]
    ec2.delete_tags(Resources=[subnet["SubnetId"]])  # no tags named: all of them
    assert "Tags" not in ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]


def test_tagging_unknown_or_bad_resources(ec2):
    assert error_of(ec2.create_tags, Resources=["vpc-0123456789abcdef0"], Tags=[{"Key": "k", "Value": "v"}]) == (
        "InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist")
    assert error_of(ec2.create_tags, Resources=["nonsense"], Tags=[{"Key": "k", "Value": "v"}]) == (
        "InvalidID", "The ID 'nonsense' is not valid")
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert error_of(ec2.create_tags, Resources=[vpc_id], Tags=[{"Key": "aws:x", "Value": "v"}])[0] == \
        "InvalidParameterValue"
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert error_of(ec2.create_tags, Resources=[vpc_id], Tags=too_many)[0] == "TagLimitExceeded"


def test_filters_tag_key_tag_value_and_wildcards(ec2):
    made = {}
    for name, cidr in (("web-1", "10.1.0.0/16"), ("web-2", "10.2.0.0/16"), ("db", "10.3.0.0/16")):
        made[name] = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": name}]}])["Vpc"]["VpcId"]

    def names(filters):
        found = ec2.describe_vpcs(Filters=filters)["Vpcs"]
        return sorted(t["Value"] for v in found for t in v.get("Tags", []))

    assert names([{"Name": "tag:Name", "Values": ["web-?"]}]) == ["web-1", "web-2"]
    assert names([{"Name": "tag:Name", "Values": ["db", "web-2"]}]) == ["db", "web-2"]  # values are ORed
    assert names([{"Name": "tag-key", "Values": ["Name"]}, {"Name": "cidr", "Values": ["10.3.*"]}]) == ["db"]
    assert names([{"Name": "tag-value", "Values": ["*-1"]}]) == ["web-1"]
    assert names([{"Name": "tag:Name", "Values": ["WEB-1"]}]) == []  # values are case-sensitive
    assert error_of(ec2.describe_vpcs, Filters=[{"Name": "colour", "Values": ["red"]}]) == (
        "InvalidParameterValue", "The filter 'colour' is invalid")


@settings(deadline=None)  # the machine is shared: no per-example time limit
@given(st.text(alphabet="ab*?.", max_size=6), st.text(alphabet="ab.", max_size=6))
def test_filter_wildcards_match_as_globs(value, text):
    """`*` and `?` mean what they mean in a shell glob; everything else is literal."""
    assert bool(pattern(value).fullmatch(text)) == bool(re.fullmatch(fnmatch.translate(value), text))


def test_escaped_wildcards_are_literal():
    assert pattern("a\\*").fullmatch("a*") and not pattern("a\\*").fullmatch("ab")


def test_paging_with_max_results_and_next_token(ec2):
    for i in range(7):
        ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")
    first = ec2.describe_vpcs(MaxResults=5)
    assert len(first["Vpcs"]) == 5 and first["NextToken"]
    rest = ec2.describe_vpcs(MaxResults=5, NextToken=first["NextToken"])
    assert len(rest["Vpcs"]) == 3 and "NextToken" not in rest
    assert len({v["VpcId"] for v in first["Vpcs"] + rest["Vpcs"]}) == 8
    pages = list(ec2.get_paginator("describe_vpcs").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(p["Vpcs"]) for p in pages] == [5, 3]
    assert error_of(ec2.describe_vpcs, MaxResults=5, NextToken="garbage") == (
        "InvalidPaginationToken", "The specified pagination token is not valid or is expired.")


@pytest.mark.parametrize(("operation", "kwargs"), [
    ("run_instances", {"ImageId": "ami-0123456789abcdef0", "MinCount": 1, "MaxCount": 1}),
    ("create_security_group", {"GroupName": "g", "Description": "d"}),
    ("create_transit_gateway", {}),  # answered from the model, DryRun all the same
])
def test_dry_run_on_any_operation(ec2, operation, kwargs):
    assert error_with_status(getattr(ec2, operation), DryRun=True, **kwargs) == (
        "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)


def test_resources_show_in_the_tagging_api(client, vpc):
    client("ec2").create_tags(Resources=[vpc["VpcId"]], Tags=[{"Key": "cost", "Value": "x"}])
    found = client("resourcegroupstaggingapi").get_resources(TagFilters=[{"Key": "cost"}])["ResourceTagMappingList"]
    assert [r["ResourceARN"] for r in found] == [f"arn:aws:ec2:us-east-1:123456789012:vpc/{vpc['VpcId']}"]


def test_dry_run_without_permission_is_unauthorized(aws):
    from tests.services.iam.enforce_helpers import Principals, document

    aws.iam.set_mode("enforce")
    try:
        principals = Principals(aws)
        allowed = principals.user("builder", inline={"vpcs": document(
            {"Effect": "Allow", "Action": "ec2:CreateVpc", "Resource": "*"})})
        nobody = principals.user("nobody", inline={"none": document(
            {"Effect": "Allow", "Action": "none:none", "Resource": "*"})})
        assert error_with_status(allowed("ec2").create_vpc, CidrBlock="10.0.0.0/16", DryRun=True)[::2] == (
            "DryRunOperation", 412)
        assert error_with_status(nobody("ec2").create_vpc, CidrBlock="10.0.0.0/16", DryRun=True)[::2] == (
            "UnauthorizedOperation", 403)
    finally:
        aws.iam.set_mode("off")


def test_tags_of_resources_the_generic_engine_keeps(ec2):
    gateway = ec2.create_transit_gateway(Description="hub")["TransitGateway"]["TransitGatewayId"]
    ec2.create_tags(Resources=[gateway], Tags=[{"Key": "hub", "Value": "yes"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [gateway]}])["Tags"]
    assert tags == [{"Key": "hub", "Value": "yes", "ResourceId": gateway, "ResourceType": "transit-gateway"}]
