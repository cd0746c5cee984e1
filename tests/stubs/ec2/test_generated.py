"""Every custom EC2 operation with generated valid input, naming resources that exist: an
answer or a 4xx EC2 error, never a 5xx (nor lost state: the default VPC is still described)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from pytest_cloudmock.stubs import builtin_entry
from tests.codecs.shapegen import generate
from tests.services.every_operation import OPTIONS

OPERATIONS = sorted(name for name, action in builtin_entry("ec2").actions.items() if action.handler)
# input member -> the kind of resource it names
MEMBERS = {
    "VpcId": "vpc", "VpcIds": "vpc", "SubnetId": "subnet", "SubnetIds": "subnet", "GroupId": "sg",
    "GroupIds": "sg", "SecurityGroupIds": "sg", "Groups": "sg", "InstanceId": "i", "InstanceIds": "i",
    "VolumeId": "vol", "VolumeIds": "vol", "SnapshotId": "snap", "SnapshotIds": "snap", "SourceSnapshotId": "snap",
    "ImageId": "ami", "ImageIds": "ami", "RouteTableId": "rtb", "RouteTableIds": "rtb", "GatewayId": "igw",
    "InternetGatewayId": "igw", "InternetGatewayIds": "igw", "NetworkInterfaceId": "eni",
    "NetworkInterfaceIds": "eni", "AllocationId": "eipalloc", "AllocationIds": "eipalloc", "NatGatewayId": "nat",
    "NatGatewayIds": "nat", "KeyName": "key", "KeyNames": "key", "Resources": "any",
}


@pytest.fixture
def existing(ec2: Any, ami: str) -> dict[str, list[str]]:
    """One resource of each kind the operations name."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="g", Description="d", VpcId=vpc)["GroupId"]
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    ids = {
        "vpc": [vpc], "subnet": [subnet], "sg": [group], "i": [instance["InstanceId"]], "vol": [volume],
        "snap": [ec2.create_snapshot(VolumeId=volume)["SnapshotId"]], "ami": [ami],
        "rtb": [ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]],
        "igw": [ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]],
        "eni": [instance["NetworkInterfaces"][0]["NetworkInterfaceId"]],
        "eipalloc": [ec2.allocate_address(Domain="vpc")["AllocationId"]],
        "key": [ec2.create_key_pair(KeyName="k", KeyType="ed25519")["KeyName"]],
    }
    ids["nat"] = [ec2.create_nat_gateway(SubnetId=subnet, AllocationId=ids["eipalloc"][0])["NatGateway"][
        "NatGatewayId"]]
    ids["any"] = [v[0] for k, v in ids.items() if k not in ("key", "ami")]
    return ids


def _named(value: Any, ids: dict[str, list[str]], rng: random.Random) -> Any:
    """Generated params with the members naming resources pointed at existing ones."""
    if isinstance(value, list):
        return [_named(v, ids, rng) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        kind = MEMBERS.get(key)
        if kind and rng.random() < 0.8:
            choice = rng.choice(ids[kind])
            item = [choice] if isinstance(item, list) else choice
        out[key] = _named(item, ids, rng)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_custom_operations_never_fail_on_the_server(ec2, existing, seed):
    rng = random.Random(f"ec2-{seed}")
    methods = {op: method for method, op in ec2.meta.method_to_api_mapping.items()}
    failures = []
    for name in OPERATIONS:
        shape = ec2.meta.service_model.operation_model(name).input_shape
        params = _named(generate(shape, rng, OPTIONS), existing, rng) if shape else {}
        params.pop("DryRun", None)
        try:
            getattr(ec2, methods[name])(**params)
        except ParamValidationError:
            continue
        except ClientError as exc:
            status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
            if status >= 500 or exc.response["Error"]["Code"] == "NotImplemented":
                failures.append(f"{name}: {status} {exc.response['Error']}")
    assert failures == []
    assert ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
