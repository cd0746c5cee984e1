"""CloudFormation's stub provider builds EC2 resources through the custom operations."""

from __future__ import annotations

import json

TEMPLATE = {"Resources": {
    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.9.0.0/16",
                                                   "Tags": [{"Key": "stack", "Value": "net"}]}},
    "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.9.1.0/24"}},
    "Gateway": {"Type": "AWS::EC2::InternetGateway"},
    "Routes": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
    "Disk": {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "us-east-1a", "Size": 2}},
}}


def test_a_stack_of_ec2_resources_is_made_and_deleted(aws, client, ec2):
    cfn = client("cloudformation")
    cfn.create_stack(StackName="net", TemplateBody=json.dumps(TEMPLATE))
    aws.settle()
    assert cfn.describe_stacks(StackName="net")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cfn.describe_stack_resources(StackName="net")["StackResources"]}
    vpc, = ec2.describe_vpcs(VpcIds=[physical["Vpc"]])["Vpcs"]
    assert vpc["CidrBlock"] == "10.9.0.0/16" and {"Key": "stack", "Value": "net"} in vpc["Tags"]
    subnet, = ec2.describe_subnets(SubnetIds=[physical["Subnet"]])["Subnets"]
    assert subnet["VpcId"] == vpc["VpcId"]
    assert ec2.describe_route_tables(RouteTableIds=[physical["Routes"]])["RouteTables"][0]["VpcId"] == vpc["VpcId"]
    assert ec2.describe_volumes(VolumeIds=[physical["Disk"]])["Volumes"][0]["Size"] == 2
    cfn.delete_stack(StackName="net")
    aws.settle()
    assert physical["Vpc"] not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    assert ec2.describe_volumes()["Volumes"] == []
