"""AMIs (built-in and the account's own), volumes and snapshots."""

from __future__ import annotations

from tests.services.aws_errors import error_of


def test_built_in_images_by_owner_and_filter(ec2):
    amazon = ec2.describe_images(Owners=["amazon"])["Images"]
    assert {i["Name"].split("-")[0] for i in amazon} == {"al2023", "amzn2", "Windows_Server"}
    ubuntu, = ec2.describe_images(Owners=["099720109477"])["Images"]
    assert ubuntu["Name"].startswith("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64")
    windows, = ec2.describe_images(Filters=[{"Name": "platform", "Values": ["windows"]}])["Images"]
    assert windows["PlatformDetails"] == "Windows" and windows["ImageOwnerAlias"] == "amazon"
    arm, = ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["arm64"]},
                                        {"Name": "name", "Values": ["al2023-ami-2023.?.*"]}])["Images"]
    assert arm["State"] == "available" and arm["RootDeviceName"] == "/dev/xvda"
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert error_of(ec2.describe_images, ImageIds=["ami-0123456789abcdef0"]) == (
        "InvalidAMIID.NotFound", "The image id '[ami-0123456789abcdef0]' does not exist")
    assert ec2.describe_images(ImageIds=[arm["ImageId"]])["Images"][0]["ImageId"] == arm["ImageId"]


def test_create_image_from_an_instance_and_deregister_it(ec2, frozen, ami):
    instance_id = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    image_id = ec2.create_image(InstanceId=instance_id, Name="golden", Description="mine", TagSpecifications=[
        {"ResourceType": "image", "Tags": [{"Key": "v", "Value": "1"}]}])["ImageId"]
    own, = ec2.describe_images(Owners=["self"])["Images"]
    assert (own["ImageId"], own["State"], own["OwnerId"], own["Public"]) == (image_id, "pending", "123456789012",
                                                                               False)
    assert own["Tags"] == [{"Key": "v", "Value": "1"}]
    snapshot_id = own["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert error_of(ec2.create_image, InstanceId=instance_id, Name="golden") == (
        "InvalidAMIName.Duplicate", f"AMI name golden is already in use by AMI {image_id}")
    frozen.advance(1)
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["State"] == "available"
    launched = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]
    assert launched["ImageId"] == image_id
    assert error_of(ec2.delete_snapshot, SnapshotId=snapshot_id) == (
        "InvalidSnapshot.InUse", f"The snapshot {snapshot_id} is currently in use by {image_id}")
    ec2.deregister_image(ImageId=image_id)
    ec2.delete_snapshot(SnapshotId=snapshot_id)
    assert error_of(ec2.deregister_image, ImageId=ami)[0] == "AuthFailure"


def test_volume_attach_detach_and_in_use(ec2, frozen, ami):
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": "us-east-1a"})[
        "Instances"][0]
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=20, VolumeType="gp3", TagSpecifications=[
        {"ResourceType": "volume", "Tags": [{"Key": "data", "Value": "yes"}]}])
    volume_id = volume["VolumeId"]
    assert (volume["State"], volume["Iops"], volume["Throughput"]) == ("creating", 3000, 125)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance["InstanceId"], Device="/dev/sdf")[0] \
        == "IncorrectState"
    frozen.advance(1)
    pending = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": "us-east-1a"})[
        "Instances"][0]["InstanceId"]
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=pending, Device="/dev/sdf")[0] \
        == "IncorrectInstanceState"
    attached = ec2.attach_volume(VolumeId=volume_id, InstanceId=instance["InstanceId"], Device="/dev/sdf")
    assert attached["State"] == "attaching"
    assert error_of(ec2.delete_volume, VolumeId=volume_id) == (
        "VolumeInUse", f"Volume {volume_id} is currently attached to {instance['InstanceId']}")
    frozen.advance(1)
    described = ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]
    assert described["State"] == "in-use" and described["Attachments"][0]["State"] == "attached"
    devices = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0][
        "BlockDeviceMappings"]
    assert [d["DeviceName"] for d in devices] == ["/dev/xvda", "/dev/sdf"]
    found = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]},
                                          {"Name": "tag:data", "Values": ["yes"]}])["Volumes"]
    assert [v["VolumeId"] for v in found] == [volume_id]
    root = devices[0]["Ebs"]["VolumeId"]
    assert error_of(ec2.detach_volume, VolumeId=root)[0] == "OperationNotPermitted"
    assert ec2.detach_volume(VolumeId=volume_id)["State"] == "detaching"
    frozen.advance(1)
    assert ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]["State"] == "available"
    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    frozen.advance(1)
    left = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
    assert volume_id in left and root not in left  # the root volume went with its instance
    ec2.delete_volume(VolumeId=volume_id)
    assert error_of(ec2.delete_volume, VolumeId=volume_id) == (
        "InvalidVolume.NotFound", f"The volume '{volume_id}' does not exist.")


def test_volume_checks_and_zone_mismatch(ec2, frozen, ami):
    assert error_of(ec2.create_volume, AvailabilityZone="us-east-1a")[0] == "MissingParameter"
    assert error_of(ec2.create_volume, AvailabilityZone="us-east-1a", Size=0)[0] == "InvalidParameterValue"
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": "us-east-1a"})[
        "Instances"][0]
    volume_id = ec2.create_volume(AvailabilityZone="us-east-1b", Size=1)["VolumeId"]
    frozen.advance(1)
    assert error_of(ec2.attach_volume, VolumeId=volume_id, InstanceId=instance["InstanceId"], Device="/dev/sdg")[0] \
        == "InvalidVolume.ZoneMismatch"
    modified = ec2.modify_volume(VolumeId=volume_id, Size=10, VolumeType="gp3")["VolumeModification"]
    assert (modified["OriginalSize"], modified["TargetSize"], modified["TargetVolumeType"]) == (1, 10, "gp3")


def test_snapshots_and_volumes_from_them(ec2, frozen):
    volume_id = ec2.create_volume(AvailabilityZone="us-east-1a", Size=5)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume_id, Description="nightly")
    assert (snapshot["State"], snapshot["VolumeSize"], snapshot["OwnerId"]) == ("pending", 5, "123456789012")
    frozen.advance(1)
    done, = ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]
    assert (done["State"], done["Progress"], done["Description"]) == ("completed", "100%", "nightly")
    copy_id = ec2.copy_snapshot(SourceSnapshotId=snapshot["SnapshotId"], SourceRegion="us-east-1")["SnapshotId"]
    assert len(ec2.describe_snapshots(Filters=[{"Name": "volume-id", "Values": [volume_id]}])["Snapshots"]) == 2
    restored = ec2.create_volume(AvailabilityZone="us-east-1a", SnapshotId=snapshot["SnapshotId"])
    assert restored["Size"] == 5 and restored["SnapshotId"] == snapshot["SnapshotId"]
    assert error_of(ec2.create_volume, AvailabilityZone="us-east-1a", SnapshotId=copy_id, Size=1)[0] == \
        "InvalidParameterValue"
    ec2.delete_snapshot(SnapshotId=copy_id)
    assert error_of(ec2.describe_snapshots, SnapshotIds=[copy_id]) == (
        "InvalidSnapshot.NotFound", f"The snapshot '{copy_id}' does not exist.")


def test_the_latest_amazon_linux_from_ssm_launches(client):
    """SSM's public `ami-amazon-linux-latest` parameters name the built-in images."""
    ssm, ec2 = client("ssm"), client("ec2")
    for name, arch in (("al2023-ami-kernel-default-arm64", "arm64"), ("amzn2-ami-hvm-x86_64-gp2", "x86_64")):
        image_id = ssm.get_parameter(Name=f"/aws/service/ami-amazon-linux-latest/{name}")["Parameter"]["Value"]
        image, = ec2.describe_images(ImageIds=[image_id])["Images"]
        assert image["Architecture"] == arch and image["OwnerId"] == "137112412989"
    instance = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]
    assert instance["ImageId"] == image_id
