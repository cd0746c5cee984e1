"""RunInstances and the instance lifecycle on the gateway clock."""

from __future__ import annotations

import base64

import pytest

from tests.services.aws_errors import error_fields


def error_of(call, *args, **kwargs):
    error = error_fields(call, *args, **kwargs)
    return error["Code"], error["Message"]


@pytest.fixture
def key(ec2):
    return ec2.create_key_pair(KeyName="k", KeyType="ed25519")["KeyName"]


def _run(ec2, ami, **kwargs):
    return ec2.run_instances(ImageId=ami, MinCount=kwargs.pop("MinCount", 1), MaxCount=kwargs.pop("MaxCount", 1),
                             **kwargs)


def _state(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"]


def test_run_instances_in_a_subnet(ec2, frozen, ami, subnet, key):
    made = _run(ec2, ami, MinCount=2, MaxCount=3, InstanceType="t3.micro", KeyName=key, SubnetId=subnet["SubnetId"],
                TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]},
                                   {"ResourceType": "volume", "Tags": [{"Key": "disk", "Value": "root"}]}])
    assert made["ReservationId"].startswith("r-") and made["OwnerId"] == "123456789012"
    instances = made["Instances"]
    assert [i["PrivateIpAddress"] for i in instances] == ["10.0.1.4", "10.0.1.5", "10.0.1.6"]
    assert [i["AmiLaunchIndex"] for i in instances] == [0, 1, 2]
    first = instances[0]
    assert first["State"] == {"Code": 0, "Name": "pending"} and first["InstanceType"] == "t3.micro"
    assert first["CpuOptions"] == {"CoreCount": 1, "ThreadsPerCore": 2}
    assert first["KeyName"] == "k" and first["VpcId"] == subnet["VpcId"] and "PublicIpAddress" not in first
    assert first["Placement"]["AvailabilityZone"] == "us-east-1a"
    assert first["PrivateDnsName"] == "ip-10-0-1-4.ec2.internal"
    assert first["Tags"] == [{"Key": "Name", "Value": "web"}]
    assert first["SecurityGroups"][0]["GroupName"] == "default"
    assert first["BlockDeviceMappings"][0]["DeviceName"] == "/dev/xvda"
    assert first["NetworkInterfaces"][0]["Attachment"]["DeviceIndex"] == 0
    volume_id = first["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    volume = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]
    assert volume["State"] == "in-use" and volume["Size"] == 8 and volume["Tags"] == [{"Key": "disk", "Value": "root"}]
    subnet_now = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert subnet_now["AvailableIpAddressCount"] == 251 - 3
    frozen.advance(1)
    assert _state(ec2, first["InstanceId"]) == "running"


def test_the_default_subnet_gives_a_public_address(ec2, ami):
    instance = _run(ec2, ami, Placement={"AvailabilityZone": "us-east-1b"})["Instances"][0]
    assert instance["PrivateIpAddress"].startswith("172.31.16.") and instance["InstanceType"] == "m1.small"
    assert instance["PublicIpAddress"] and instance["PublicDnsName"].endswith(".compute-1.amazonaws.com")


def test_launch_checks(ec2, ami, subnet, vpc):
    assert error_of(_run, ec2, "ami-12345678901234567") == (
        "InvalidAMIID.NotFound", "The image id '[ami-12345678901234567]' does not exist")
    assert error_of(_run, ec2, "bogus")[0] == "InvalidAMIID.Malformed"
    assert error_of(_run, ec2, ami, KeyName="nope") == ("InvalidKeyPair.NotFound", "The key pair 'nope' does not exist")
    assert error_of(_run, ec2, ami, SubnetId="subnet-123")[0] == "InvalidSubnetID.NotFound"
    assert error_of(_run, ec2, ami, MinCount=3, MaxCount=2)[0] == "InvalidParameterValue"
    other = ec2.create_security_group(GroupName="other", Description="d")["GroupId"]  # default VPC
    assert error_of(_run, ec2, ami, SubnetId=subnet["SubnetId"], SecurityGroupIds=[other]) == (
        "InvalidParameter", f"Security group {other} and subnet {subnet['SubnetId']} belong to different networks.")
    code, message = error_of(_run, ec2, ami, InstanceType="t4g.micro")
    assert code == "InvalidParameterValue" and "architecture 'arm64'" in message
    tiny = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.0.2.0/28")["Subnet"]  # 11 free addresses
    assert error_of(_run, ec2, ami, SubnetId=tiny["SubnetId"], MinCount=12, MaxCount=12)[0] == \
        "InsufficientFreeAddressesInSubnet"
    assert len(_run(ec2, ami, SubnetId=tiny["SubnetId"], MinCount=1, MaxCount=20)["Instances"]) == 11


def test_a_chosen_address_must_be_free_and_in_the_subnet(ec2, ami, subnet):
    assert _run(ec2, ami, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.50")["Instances"][0][
        "PrivateIpAddress"] == "10.0.1.50"
    assert error_of(_run, ec2, ami, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.1.50") == (
        "InvalidIPAddress.InUse", "Address 10.0.1.50 is in use.")
    assert error_of(_run, ec2, ami, SubnetId=subnet["SubnetId"], PrivateIpAddress="10.0.9.9")[0] == \
        "InvalidParameterValue"


def test_stop_start_terminate_on_the_clock(ec2, frozen, ami):
    instance_id = _run(ec2, ami)["Instances"][0]["InstanceId"]
    frozen.advance(1)
    stopping, = ec2.stop_instances(InstanceIds=[instance_id])["StoppingInstances"]
    assert (stopping["PreviousState"]["Name"], stopping["CurrentState"]["Name"]) == ("running", "stopping")
    assert error_of(ec2.start_instances, InstanceIds=[instance_id]) == (
        "IncorrectInstanceState", f"The instance '{instance_id}' is not in a state from which it can be started.")
    frozen.advance(1)
    described = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert described["State"] == {"Code": 80, "Name": "stopped"} and "PublicIpAddress" not in described
    assert described["StateReason"]["Code"] == "Client.UserInitiatedShutdown"
    starting, = ec2.start_instances(InstanceIds=[instance_id])["StartingInstances"]
    assert starting["CurrentState"]["Name"] == "pending"
    frozen.advance(1)
    assert _state(ec2, instance_id) == "running"
    assert ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["PublicIpAddress"]
    ec2.reboot_instances(InstanceIds=[instance_id])
    terminating, = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"]
    assert terminating["CurrentState"] == {"Code": 32, "Name": "shutting-down"}
    frozen.advance(1)
    assert _state(ec2, instance_id) == "terminated"
    assert error_of(ec2.stop_instances, InstanceIds=[instance_id])[0] == "IncorrectInstanceState"
    assert error_of(ec2.reboot_instances, InstanceIds=[instance_id])[0] == "IncorrectInstanceState"
    assert ec2.describe_volumes()["Volumes"] == []  # the root volume went with it
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []


def test_a_subnet_with_instances_is_not_deleted_until_they_are_gone(ec2, frozen, ami, subnet):
    instance_id = _run(ec2, ami, SubnetId=subnet["SubnetId"])["Instances"][0]["InstanceId"]
    assert error_of(ec2.delete_subnet, SubnetId=subnet["SubnetId"]) == (
        "DependencyViolation", f"The subnet '{subnet['SubnetId']}' has dependencies and cannot be deleted.")
    ec2.terminate_instances(InstanceIds=[instance_id])
    frozen.advance(1)
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])


def test_describe_instances_by_reservation_filters_and_pages(ec2, frozen, ami, key):
    first = _run(ec2, ami, MinCount=3, MaxCount=3, KeyName=key)
    second = _run(ec2, ami, InstanceType="t3.small", TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "role", "Value": "db"}]}])
    reservations = ec2.describe_instances()["Reservations"]
    assert [r["ReservationId"] for r in reservations] == [first["ReservationId"], second["ReservationId"]]
    assert [len(r["Instances"]) for r in reservations] == [3, 1]
    by_type = ec2.describe_instances(Filters=[{"Name": "instance-type", "Values": ["t3.*"]}])["Reservations"]
    assert [i["InstanceId"] for r in by_type for i in r["Instances"]] == [second["Instances"][0]["InstanceId"]]
    assert len(ec2.describe_instances(Filters=[{"Name": "key-name", "Values": ["k"]}])["Reservations"][0][
        "Instances"]) == 3
    assert ec2.describe_instances(Filters=[{"Name": "tag:role", "Values": ["db"]},
                                           {"Name": "instance-state-name", "Values": ["pending"]}])["Reservations"]
    by_reservation = ec2.describe_instances(Filters=[{"Name": "reservation-id", "Values": [first["ReservationId"]]}])
    assert len(by_reservation["Reservations"][0]["Instances"]) == 3
    pages = list(ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    assert len(pages) == 1
    page = ec2.describe_instances(MaxResults=5)
    assert sum(len(r["Instances"]) for r in page["Reservations"]) == 4 and "NextToken" not in page
    assert error_of(ec2.describe_instances, InstanceIds=["i-1", "i-2"]) == (
        "InvalidInstanceID.NotFound", "The instance IDs 'i-1, i-2' do not exist")
    assert error_of(ec2.describe_instances, InstanceIds=[first["Instances"][0]["InstanceId"]], MaxResults=5) == (
        "InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")


def test_instance_status(ec2, frozen, ami):
    instance_id = _run(ec2, ami)["Instances"][0]["InstanceId"]
    assert ec2.describe_instance_status()["InstanceStatuses"] == []
    pending, = ec2.describe_instance_status(IncludeAllInstances=True)["InstanceStatuses"]
    assert pending["InstanceState"]["Name"] == "pending" and pending["InstanceStatus"]["Status"] == "not-applicable"
    frozen.advance(1)
    status, = ec2.describe_instance_status(InstanceIds=[instance_id])["InstanceStatuses"]
    assert status["InstanceStatus"] == {"Status": "ok", "Details": [{"Name": "reachability", "Status": "passed"}]}
    assert status["AvailabilityZone"] == "us-east-1a"


def test_instance_attributes(ec2, frozen, ami):
    user_data = "#!/bin/sh\necho hi\n"
    instance_id = _run(ec2, ami, UserData=user_data, DisableApiTermination=True)["Instances"][0]["InstanceId"]
    got = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="userData")["UserData"]["Value"]
    assert base64.b64decode(got).decode() == user_data
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="disableApiTermination")[
        "DisableApiTermination"] == {"Value": True}
    assert error_of(ec2.terminate_instances, InstanceIds=[instance_id])[0] == "OperationNotPermitted"
    ec2.modify_instance_attribute(InstanceId=instance_id, DisableApiTermination={"Value": False})
    assert error_of(ec2.modify_instance_attribute, InstanceId=instance_id, InstanceType={"Value": "t3.small"}) == (
        "IncorrectInstanceState", f"The instance '{instance_id}' is not in the 'stopped' state.")
    frozen.advance(1)
    ec2.stop_instances(InstanceIds=[instance_id])
    frozen.advance(1)
    ec2.modify_instance_attribute(InstanceId=instance_id, InstanceType={"Value": "t3.small"})
    assert ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="instanceType")["InstanceType"] == {
        "Value": "t3.small"}
    group = ec2.create_security_group(GroupName="extra", Description="d")["GroupId"]
    ec2.modify_instance_attribute(InstanceId=instance_id, Groups=[group])
    groups = ec2.describe_instance_attribute(InstanceId=instance_id, Attribute="groupSet")["Groups"]
    assert [g["GroupId"] for g in groups] == [group]
    assert error_of(ec2.delete_security_group, GroupId=group)[0] == "DependencyViolation"
    ec2.terminate_instances(InstanceIds=[instance_id])


def test_instance_types(ec2):
    micro, = ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"]
    assert micro["VCpuInfo"]["DefaultVCpus"] == 2 and micro["MemoryInfo"]["SizeInMiB"] == 1024
    assert micro["ProcessorInfo"]["SupportedArchitectures"] == ["x86_64"] and micro["Hypervisor"] == "nitro"
    arm = ec2.describe_instance_types(Filters=[{"Name": "processor-info.supported-architecture",
                                                "Values": ["arm64"]}])["InstanceTypes"]
    assert {t["InstanceType"] for t in arm} == {"t4g.micro", "m6g.large"}


def test_the_resource_api_runs_and_waits_on_instances(ec2_resource, frozen, ami):
    instance, = ec2_resource.create_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    assert instance.state["Name"] == "pending"
    frozen.advance(1)
    instance.reload()
    assert instance.state["Name"] == "running" and instance.subnet_id and instance.private_ip_address
    assert [v.id for v in instance.volumes.all()] == [instance.block_device_mappings[0]["Ebs"]["VolumeId"]]
    instance.stop()
    frozen.advance(1)
    instance.wait_until_stopped(WaiterConfig={"Delay": 0, "MaxAttempts": 2})
    instance.terminate()
    frozen.advance(1)
    instance.wait_until_terminated(WaiterConfig={"Delay": 0, "MaxAttempts": 2})
