"""boto3's EC2 waiters against the gateway clock, account attributes, default subnets and
interface attributes."""

from __future__ import annotations

from tests.services.aws_errors import error_of

NOW = {"Delay": 0, "MaxAttempts": 2}


def test_waiters_see_the_states_move(ec2, frozen, ami, subnet):
    ec2.get_waiter("vpc_exists").wait(VpcIds=[subnet["VpcId"]], WaiterConfig=NOW)
    ec2.get_waiter("subnet_available").wait(SubnetIds=[subnet["SubnetId"]], WaiterConfig=NOW)
    instance_id = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=subnet["SubnetId"])[
        "Instances"][0]["InstanceId"]
    volume_id = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat_id = ec2.create_nat_gateway(SubnetId=subnet["SubnetId"], AllocationId=allocation)["NatGateway"][
        "NatGatewayId"]
    frozen.advance(1)
    ec2.get_waiter("instance_running").wait(InstanceIds=[instance_id], WaiterConfig=NOW)
    ec2.get_waiter("instance_status_ok").wait(InstanceIds=[instance_id], WaiterConfig=NOW)
    ec2.get_waiter("volume_available").wait(VolumeIds=[volume_id], WaiterConfig=NOW)
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nat_id], WaiterConfig=NOW)
    snapshot_id = ec2.create_snapshot(VolumeId=volume_id)["SnapshotId"]
    image_id = ec2.create_image(InstanceId=instance_id, Name="img")["ImageId"]
    frozen.advance(1)
    ec2.get_waiter("snapshot_completed").wait(SnapshotIds=[snapshot_id], WaiterConfig=NOW)
    ec2.get_waiter("image_available").wait(ImageIds=[image_id], WaiterConfig=NOW)
    ec2.create_key_pair(KeyName="w", KeyType="ed25519")
    ec2.get_waiter("key_pair_exists").wait(KeyNames=["w"], WaiterConfig=NOW)
    ec2.terminate_instances(InstanceIds=[instance_id])
    frozen.advance(1)
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[instance_id], WaiterConfig=NOW)


def test_account_attributes_name_the_default_vpc(ec2):
    vpc_id = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    attributes = {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]]
                  for a in ec2.describe_account_attributes()["AccountAttributes"]}
    assert attributes["default-vpc"] == [vpc_id] and attributes["supported-platforms"] == ["VPC"]
    only, = ec2.describe_account_attributes(AttributeNames=["default-vpc"])["AccountAttributes"]
    assert only["AttributeName"] == "default-vpc"


def test_a_default_subnet_is_made_again_for_its_zone(ec2):
    gone = ec2.describe_subnets(Filters=[{"Name": "availability-zone", "Values": ["us-east-1c"]}])["Subnets"][0]
    assert error_of(ec2.create_default_subnet, AvailabilityZone="us-east-1c")[0] == \
        "DefaultSubnetAlreadyExistsInAvailabilityZone"
    ec2.delete_subnet(SubnetId=gone["SubnetId"])
    made = ec2.create_default_subnet(AvailabilityZone="us-east-1c")["Subnet"]
    assert made["DefaultForAz"] and made["CidrBlock"] == gone["CidrBlock"] and made["MapPublicIpOnLaunch"]


def test_interface_attributes(ec2, ami, subnet):
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=subnet["SubnetId"])["Instances"][0]
    eni_id = instance["NetworkInterfaces"][0]["NetworkInterfaceId"]
    group = ec2.create_security_group(GroupName="app", Description="d", VpcId=subnet["VpcId"])["GroupId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, Groups=[group])
    ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id, Description={"Value": "primary"})
    eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]
    assert eni["Description"] == "primary" and [g["GroupId"] for g in eni["Groups"]] == [group]
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert [g["GroupName"] for g in described["SecurityGroups"]] == ["app"]
