"""VPCs (CIDR checks, attributes, secondary CIDRs, dependencies) and subnets (range, overlap,
zone, free addresses, attributes)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.aws_errors import error_of


@pytest.mark.parametrize(("cidr", "code", "message"), [
    ("10.0.0.0/8", "InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid."),
    ("10.0.0.0/29", "InvalidVpc.Range", "The CIDR '10.0.0.0/29' is invalid."),
    ("10.0.0.0/33", "InvalidParameterValue",
     "Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block."),
    ("not-a-cidr", "InvalidParameterValue",
     "Value (not-a-cidr) for parameter cidrBlock is invalid. This is not a valid CIDR block."),
])
def test_vpc_cidr_is_checked(ec2, cidr, code, message):
    assert error_of(ec2.create_vpc, CidrBlock=cidr) == (code, message)


def test_vpc_is_described_with_its_tags_and_found_by_filters(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "main"}]}])["Vpc"]
    assert vpc["State"] == "available" and not vpc["IsDefault"] and vpc["Tags"] == [{"Key": "Name", "Value": "main"}]
    assert vpc["CidrBlockAssociationSet"][0]["CidrBlockState"] == {"State": "associated"}
    found = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ma*"]}])["Vpcs"]
    assert [v["VpcId"] for v in found] == [vpc["VpcId"]]
    assert ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["false"]}])["Vpcs"][0]["VpcId"] == vpc["VpcId"]
    assert error_of(ec2.describe_vpcs, VpcIds=["vpc-123"]) == ("InvalidVpcID.NotFound",
                                                               "The vpc ID 'vpc-123' does not exist")


def test_a_new_vpc_has_a_default_group_and_main_route_table(ec2, vpc):
    vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    groups = ec2.describe_security_groups(Filters=vpc_filter)["SecurityGroups"]
    assert [g["GroupName"] for g in groups] == ["default"]
    tables = ec2.describe_route_tables(Filters=vpc_filter)["RouteTables"]
    assert [r["DestinationCidrBlock"] for r in tables[0]["Routes"]] == ["10.0.0.0/16"]
    assert tables[0]["Associations"][0]["Main"]
    ec2.delete_vpc(VpcId=vpc["VpcId"])  # the default group and main table go with it
    assert ec2.describe_security_groups(Filters=vpc_filter)["SecurityGroups"] == []
    assert ec2.describe_route_tables(Filters=vpc_filter)["RouteTables"] == []


def test_vpc_attributes(ec2, vpc):
    vpc_id = vpc["VpcId"]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"]
    assert not ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
    code, message = error_of(ec2.modify_vpc_attribute, VpcId=vpc_id, EnableDnsHostnames={"Value": True},
                             EnableDnsSupport={"Value": True})
    assert code == "InvalidParameterCombination" and "multiple attribute types" in message


def test_secondary_cidrs(ec2, vpc):
    vpc_id = vpc["VpcId"]
    added = ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.2.0.0/16")["CidrBlockAssociation"]
    assert added["CidrBlock"] == "10.2.0.0/16"
    assert error_of(ec2.associate_vpc_cidr_block, VpcId=vpc_id, CidrBlock="10.0.128.0/20")[0] == "InvalidVpc.Range"
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.2.5.0/24")["Subnet"]  # in the secondary block
    assert error_of(ec2.disassociate_vpc_cidr_block, AssociationId=added["AssociationId"])[0] == "DependencyViolation"
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    ec2.disassociate_vpc_cidr_block(AssociationId=added["AssociationId"])
    assert [a["CidrBlock"] for a in ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["CidrBlockAssociationSet"]] == [
        "10.0.0.0/16"]
    primary = vpc["CidrBlockAssociationSet"][0]["AssociationId"]
    assert error_of(ec2.disassociate_vpc_cidr_block, AssociationId=primary)[0] == "InvalidParameterValue"


def test_subnet_range_conflict_and_free_addresses(ec2, vpc):
    vpc_id = vpc["VpcId"]
    made = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1b")["Subnet"]
    assert made["AvailableIpAddressCount"] == 251 and made["AvailabilityZoneId"] == "use1-az2"
    assert not made["MapPublicIpOnLaunch"] and not made["DefaultForAz"] and made["State"] == "available"
    assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.0.128/25") == (
        "InvalidSubnet.Conflict", "The CIDR '10.0.0.128/25' conflicts with another subnet")
    assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="192.168.0.0/24") == (
        "InvalidSubnet.Range", "The CIDR '192.168.0.0/24' is invalid.")
    assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.9.0/29")[0] == "InvalidSubnet.Range"
    assert error_of(ec2.create_subnet, VpcId="vpc-0000000000000000a", CidrBlock="10.0.9.0/24") == (
        "InvalidVpcID.NotFound", "The vpc ID 'vpc-0000000000000000a' does not exist")
    code, message = error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.9.0/24", AvailabilityZone="us-east-1z")
    assert code == "InvalidParameterValue" and "us-east-1a, us-east-1b" in message


def test_subnet_attribute_and_filters(ec2, subnet):
    ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    found = ec2.describe_subnets(Filters=[{"Name": "map-public-ip-on-launch", "Values": ["true"]},
                                          {"Name": "vpc-id", "Values": [subnet["VpcId"]]}])["Subnets"]
    assert [s["SubnetId"] for s in found] == [subnet["SubnetId"]]
    assert error_of(ec2.delete_subnet, SubnetId="subnet-123") == (
        "InvalidSubnetID.NotFound", "The subnet ID 'subnet-123' does not exist")


def test_a_vpc_with_subnets_is_not_deleted(ec2, subnet):
    assert error_of(ec2.delete_vpc, VpcId=subnet["VpcId"]) == (
        "DependencyViolation", f"The vpc '{subnet['VpcId']}' has dependencies and cannot be deleted.")
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    ec2.delete_vpc(VpcId=subnet["VpcId"])
    assert error_of(ec2.delete_vpc, VpcId=subnet["VpcId"])[0] == "InvalidVpcID.NotFound"


def test_the_resource_api_walks_vpcs_and_subnets(ec2_resource):
    vpc = ec2_resource.create_vpc(CidrBlock="10.3.0.0/16")
    vpc.create_tags(Tags=[{"Key": "team", "Value": "a"}])
    made = vpc.create_subnet(CidrBlock="10.3.1.0/24")
    vpc.reload()
    assert vpc.tags == [{"Key": "team", "Value": "a"}] and vpc.state == "available"
    assert [s.id for s in vpc.subnets.all()] == [made.id] and made.cidr_block == "10.3.1.0/24"
    assert {g.group_name for g in vpc.security_groups.all()} == {"default"}


blocks = st.tuples(st.integers(0, 255), st.integers(16, 28)).map(
    lambda t: ipaddress.IPv4Network((0x0A000000 | (t[0] << 8), 24), strict=False).supernet(new_prefix=t[1])
    if t[1] < 24 else ipaddress.IPv4Network(((0x0A000000 | (t[0] << 8)), t[1]), strict=False))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(blocks, min_size=1, max_size=5))
def test_subnets_are_refused_exactly_when_they_overlap(ec2, cidrs):
    """A subnet is made iff its block overlaps none made before it (in a 10.0.0.0/16 VPC)."""
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    made: list[ipaddress.IPv4Network] = []
    try:
        for cidr in cidrs:
            overlaps = any(cidr.overlaps(m) for m in made)
            if overlaps:
                assert error_of(ec2.create_subnet, VpcId=vpc_id, CidrBlock=str(cidr))[0] == "InvalidSubnet.Conflict"
            else:
                ec2.create_subnet(VpcId=vpc_id, CidrBlock=str(cidr))
                made.append(cidr)
        listed = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        assert sorted(s["CidrBlock"] for s in listed) == sorted(str(m) for m in made)
    finally:
        for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        ec2.delete_vpc(VpcId=vpc_id)
