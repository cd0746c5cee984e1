"""The default VPC an account/region has from its first EC2 call, regions and zones."""

from __future__ import annotations

import pytest

from tests.services.aws_errors import error_of


def test_first_call_finds_the_default_vpc_and_its_pieces(ec2):
    vpc = ec2.describe_vpcs()["Vpcs"]
    assert len(vpc) == 1 and vpc[0]["IsDefault"] and vpc[0]["CidrBlock"] == "172.31.0.0/16"
    vpc_id = vpc[0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    assert sorted(s["AvailabilityZone"] for s in subnets) == [f"us-east-1{z}" for z in "abcdef"]
    assert {s["CidrBlock"] for s in subnets} == {f"172.31.{16 * i}.0/20" for i in range(6)}
    assert all(s["MapPublicIpOnLaunch"] and s["AvailableIpAddressCount"] == 4091 for s in subnets)
    group, = ec2.describe_security_groups()["SecurityGroups"]
    assert (group["GroupName"], group["VpcId"]) == ("default", vpc_id)
    assert group["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == group["GroupId"]
    assert group["IpPermissionsEgress"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]
    gateway, = ec2.describe_internet_gateways()["InternetGateways"]
    assert gateway["Attachments"] == [{"VpcId": vpc_id, "State": "available"}]
    table, = ec2.describe_route_tables()["RouteTables"]
    assert table["Associations"][0]["Main"] is True
    assert [(r["DestinationCidrBlock"], r["GatewayId"]) for r in table["Routes"]] == [
        ("172.31.0.0/16", "local"), ("0.0.0.0/0", gateway["InternetGatewayId"])]
    attribute = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")
    assert attribute["EnableDnsHostnames"] == {"Value": True}


def test_each_region_has_its_own_default_vpc(client):
    east = client("ec2").describe_vpcs()["Vpcs"][0]
    west = client("ec2", region_name="eu-west-1").describe_vpcs()["Vpcs"][0]
    assert east["VpcId"] != west["VpcId"] and west["IsDefault"]
    zones = client("ec2", region_name="eu-west-1").describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"]) for z in zones] == [
        ("eu-west-1a", "euw1-az1"), ("eu-west-1b", "euw1-az2"), ("eu-west-1c", "euw1-az3")]


def test_a_deleted_default_vpc_can_be_made_again(ec2):
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert error_of(ec2.create_default_vpc) == (
        "DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region.")
    for subnet in ec2.describe_subnets()["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    gateway = ec2.describe_internet_gateways()["InternetGateways"][0]["InternetGatewayId"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc_id)
    ec2.delete_vpc(VpcId=vpc_id)
    assert ec2.describe_vpcs()["Vpcs"] == []
    assert error_of(ec2.create_security_group, GroupName="g", Description="d")[0] == "VPCIdNotSpecified"
    made = ec2.create_default_vpc()["Vpc"]
    assert made["IsDefault"] and made["CidrBlock"] == "172.31.0.0/16"


def test_regions_and_zones(ec2):
    regions = {r["RegionName"]: r for r in ec2.describe_regions()["Regions"]}
    assert regions["us-east-1"] == {"Endpoint": "ec2.us-east-1.amazonaws.com", "RegionName": "us-east-1",
                                    "OptInStatus": "opt-in-not-required"}
    assert "eu-central-1" in regions and "ap-southeast-2" in regions
    named = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["us-*"]}])["Regions"]
    assert sorted(r["RegionName"] for r in named) == ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]
    zone, = ec2.describe_availability_zones(ZoneNames=["us-east-1c"])["AvailabilityZones"]
    assert zone["ZoneId"] == "use1-az3" and zone["State"] == "available" and zone["RegionName"] == "us-east-1"
    assert error_of(ec2.describe_availability_zones, ZoneNames=["us-east-1z"])[0] == "InvalidParameterValue"


@pytest.mark.parametrize("operation", ["create_vpc", "describe_vpcs"])
def test_dry_run_says_the_request_would_have_succeeded(ec2, operation):
    kwargs = {"CidrBlock": "10.0.0.0/16"} if operation == "create_vpc" else {}
    from tests.services.aws_errors import error_with_status

    assert error_with_status(getattr(ec2, operation), DryRun=True, **kwargs) == (
        "DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1  # nothing was made
