"""AMIs: a small built-in list (Amazon Linux 2023 x86_64/arm64, Amazon Linux 2, Ubuntu 24.04,
Windows Server 2022; the same ids in every account of a region, SSM's public parameters' for
Amazon Linux) and the account's own images (`CreateImage` from an instance, `pending` ->
`available`; `DeregisterImage`), with `DescribeImages` by ids, owners and filters."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from ....api import AWSError
from ...records import Record
from .common import Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field, matcher

AMAZON, CANONICAL, MICROSOFT = "137112412989", "099720109477", "801119661308"
# (name, description, owner, alias, architecture, platform, root device, SSM public parameter naming it)
BUILTIN = (
    ("al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
     AMAZON, "amazon", "x86_64", None, "/dev/xvda", "al2023-ami-kernel-default-x86_64"),
    ("al2023-ami-2023.6.20241212.0-kernel-6.1-arm64", "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
     AMAZON, "amazon", "arm64", None, "/dev/xvda", "al2023-ami-kernel-default-arm64"),
    ("amzn2-ami-hvm-2.0.20241217.0-x86_64-gp2", "Amazon Linux 2 AMI 2.0.20241217.0 x86_64 HVM gp2",
     AMAZON, "amazon", "x86_64", None, "/dev/xvda", "amzn2-ami-hvm-x86_64-gp2"),
    ("amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2", "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241217.0 x86_64 "
     "HVM gp2", AMAZON, "amazon", "x86_64", None, "/dev/xvda", "amzn2-ami-kernel-5.10-hvm-x86_64-gp2"),
    ("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241206",
     "Canonical, Ubuntu, 24.04, amd64 noble image", CANONICAL, None, "x86_64", None, "/dev/sda1", None),
    ("Windows_Server-2022-English-Full-Base-2024.12.13", "Microsoft Windows Server 2022 Full Locale English AMI "
     "provided by Amazon", MICROSOFT, "amazon", "x86_64", "windows", "/dev/sda1", None),
)
SSM_LATEST = "/aws/service/ami-amazon-linux-latest/"
BUILTIN_CREATED = "2024-12-13T00:00:00.000Z"
FILTERS = {
    "image-id": field("ImageId"), "name": field("Name"), "description": field("Description"),
    "owner-id": field("OwnerId"), "owner-alias": field("ImageOwnerAlias"), "architecture": field("Architecture"),
    "state": field("State"), "platform": field("Platform"), "platform-details": field("PlatformDetails"),
    "is-public": field("Public"), "image-type": field("ImageType"), "root-device-type": field("RootDeviceType"),
    "root-device-name": field("RootDeviceName"), "virtualization-type": field("VirtualizationType"),
    "hypervisor": field("Hypervisor"), "ena-support": field("EnaSupport"),
    "block-device-mapping.snapshot-id": field("BlockDeviceMappings", "Ebs", "SnapshotId"),
    "block-device-mapping.volume-size": field("BlockDeviceMappings", "Ebs", "VolumeSize"),
    "block-device-mapping.volume-type": field("BlockDeviceMappings", "Ebs", "VolumeType"),
}


def _stable(region: str, name: str, prefix: str) -> str:
    return f"{prefix}-0{hashlib.sha256(f'{region}/{name}'.encode()).hexdigest()[:16]}"


def builtin_images(region: str) -> list[dict[str, Any]]:
    """The built-in AMIs of a region, as `DescribeImages` shows them (the Amazon Linux ones
    with the ids SSM's `/aws/service/ami-amazon-linux-latest/...` parameters give)."""
    from ....services.ssm.public import public_parameters

    latest = public_parameters()
    images = []
    for name, description, owner, alias, arch, platform, root, parameter in BUILTIN:
        image_id = latest[SSM_LATEST + parameter] if parameter else _stable(region, name, "ami")
        image = {
            "ImageId": image_id, "ImageLocation": f"{alias or owner}/{name}",
            "State": "available", "OwnerId": owner, "CreationDate": BUILTIN_CREATED, "Public": True,
            "Architecture": arch, "ImageType": "machine", "Name": name, "Description": description,
            "RootDeviceType": "ebs", "RootDeviceName": root, "VirtualizationType": "hvm", "Hypervisor": "xen",
            "EnaSupport": True, "SriovNetSupport": "simple", "BootMode": "uefi-preferred" if not platform else "uefi",
            "PlatformDetails": "Windows" if platform else "Linux/UNIX",
            "UsageOperation": "RunInstances:0002" if platform else "RunInstances",
            "BlockDeviceMappings": [{"DeviceName": root, "Ebs": {
                "DeleteOnTermination": True, "SnapshotId": _stable(region, name, "snap"),
                "VolumeSize": 30 if platform else 8, "VolumeType": "gp3" if not platform else "gp2",
                "Encrypted": False}}],
            "DeprecationTime": "2026-12-13T00:00:00.000Z",
        }
        if alias:
            image["ImageOwnerAlias"] = alias
        if platform:
            image["Platform"] = platform
        images.append(image)
    return images


def image_item(view: Ec2, image_id: Any) -> dict[str, Any]:
    """The AMI a request names, built-in or the account's (`InvalidAMIID.*` if none)."""
    if not isinstance(image_id, str) or not image_id.startswith("ami-") or len(image_id) < 12:
        raise invalid(f'Invalid id: "{image_id}" (expecting "ami-...")', "InvalidAMIID.Malformed")  # AWS's wording
    own = view.find("Image", image_id)
    if own is not None:
        return public(own)
    found = next((i for i in builtin_images(view.region) if i["ImageId"] == image_id), None)
    if found is None:
        raise invalid(f"The image id '[{image_id}]' does not exist", "InvalidAMIID.NotFound")
    return found


def _owner_matches(image: dict[str, Any], owners: list[str], account: str) -> bool:
    for owner in owners:
        if owner == "self" and image["OwnerId"] == account:
            return True
        if owner in (image["OwnerId"], image.get("ImageOwnerAlias")):
            return True
    return False


@ec2_operation
def describe_images(view: Ec2) -> dict[str, Any]:
    own = {r.id: r for r in view.all("Image")}
    items: list[tuple[dict[str, Any], dict[str, str]]] = [(public(r), r.tags) for r in own.values()]
    items += [(i, {}) for i in builtin_images(view.region)]
    ids = view.params.get("ImageIds")
    if ids:
        for image_id in ids:
            image_item(view, image_id)
        items = [(i, t) for i, t in items if i["ImageId"] in ids]
    owners = view.params.get("Owners")
    if owners:
        items = [(i, t) for i, t in items if _owner_matches(i, owners, view.account)]
    test = matcher(view.params.get("Filters"), FILTERS)
    chosen = [i for i, t in items if test(i, t)]
    page, token = view.page(chosen, ids_param="ImageIds")
    return {"Images": page, "NextToken": token}


@ec2_operation
def create_image(view: Ec2) -> dict[str, Any]:
    from .volumes import snapshot_of

    instance = view.get("Instance", view.params.get("InstanceId"))
    name = view.params.get("Name") or ""
    taken = next((r for r in view.all("Image") if r.fields["Name"] == name), None)
    if taken is not None:  # AWS's wording
        raise invalid(f"AMI name {name} is already in use by AMI {taken.id}", "InvalidAMIName.Duplicate")
    if instance.fields["State"]["Name"] not in ("running", "stopped", "stopping", "pending"):
        raise invalid(f"The instance '{instance.id}' is not in a state from which it can be imaged.",
                      "IncorrectInstanceState")  # AWS's wording not documented
    source = instance.fields["_image"]
    image_id = new_id("ami")
    tags = tags_for(view.params, "image")
    mappings = []
    for mapping in instance.fields["BlockDeviceMappings"]:
        volume = view.find("Volume", mapping["Ebs"]["VolumeId"])
        if volume is None:
            continue
        snapshot = snapshot_of(view, volume, f"Created by CreateImage({instance.id}) for {image_id}",
                               tags_for(view.params, "snapshot"))
        mappings.append({"DeviceName": mapping["DeviceName"], "Ebs": {
            "DeleteOnTermination": mapping["Ebs"]["DeleteOnTermination"], "SnapshotId": snapshot.id,
            "VolumeSize": volume.fields["Size"], "VolumeType": volume.fields["VolumeType"],
            "Encrypted": volume.fields["Encrypted"]}})
    created: datetime = view.now
    fields = {
        "ImageId": image_id, "ImageLocation": f"{view.account}/{name}", "State": "pending",
        "OwnerId": view.account, "CreationDate": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "Public": False,
        "Architecture": source.get("Architecture", "x86_64"), "ImageType": "machine", "Name": name,
        "RootDeviceType": "ebs", "RootDeviceName": instance.fields["RootDeviceName"],
        "BlockDeviceMappings": mappings, "VirtualizationType": "hvm", "Hypervisor": "xen", "EnaSupport": True,
        "SriovNetSupport": "simple", "PlatformDetails": source.get("PlatformDetails", "Linux/UNIX"),
        "UsageOperation": source.get("UsageOperation", "RunInstances"), "SourceInstanceId": instance.id,
    }
    if view.params.get("Description"):
        fields["Description"] = view.params["Description"]
    if source.get("Platform"):
        fields["Platform"] = source["Platform"]
    record = view.add("Image", image_id, fields, tags)
    view.schedule(record, "State", "available")
    return {"ImageId": image_id}


@ec2_operation
def deregister_image(view: Ec2) -> dict[str, Any]:
    image_id = view.params.get("ImageId")
    image_item(view, image_id)
    record = view.find("Image", image_id)
    if record is None:  # a built-in image belongs to another account; AWS's wording not documented
        raise AWSError("AuthFailure", f"Not authorized for image:{image_id}", 400)
    results = []
    if view.params.get("DeleteAssociatedSnapshots"):
        for mapping in record.fields["BlockDeviceMappings"]:
            snapshot_id = mapping.get("Ebs", {}).get("SnapshotId")
            if snapshot_id and view.find("Snapshot", snapshot_id) is not None:
                view.remove("Snapshot", snapshot_id)
                results.append({"SnapshotId": snapshot_id, "ReturnCode": "success"})
    view.remove("Image", image_id)
    return {"Return": True, **({"DeleteSnapshotResults": results} if results else {})}


def images_using(view: Ec2, snapshot_id: str) -> list[Record]:
    return [r for r in view.all("Image") if any(m.get("Ebs", {}).get("SnapshotId") == snapshot_id
                                                for m in r.fields["BlockDeviceMappings"])]
