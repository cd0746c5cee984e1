"""EBS volumes (`creating` -> `available`, attach `attaching` -> `attached`, detach `detaching`
-> `available`, `VolumeInUse` while attached) and snapshots (`pending` -> `completed`)."""

from __future__ import annotations

from typing import Any

from ...records import Record
from .common import Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field

VOLUME_FILTERS = {
    "volume-id": field("VolumeId"), "status": field("State"), "availability-zone": field("AvailabilityZone"),
    "size": field("Size"), "volume-type": field("VolumeType"), "snapshot-id": field("SnapshotId"),
    "encrypted": field("Encrypted"), "create-time": field("CreateTime"),
    "attachment.instance-id": field("Attachments", "InstanceId"), "attachment.status": field("Attachments", "State"),
    "attachment.device": field("Attachments", "Device"), "attachment.delete-on-termination":
    field("Attachments", "DeleteOnTermination"), "multi-attach-enabled": field("MultiAttachEnabled"),
}
SNAPSHOT_FILTERS = {
    "snapshot-id": field("SnapshotId"), "volume-id": field("VolumeId"), "status": field("State"),
    "owner-id": field("OwnerId"), "description": field("Description"), "volume-size": field("VolumeSize"),
    "encrypted": field("Encrypted"), "progress": field("Progress"), "storage-tier": field("StorageTier"),
}
# volume type -> (min GiB, max GiB)
SIZES = {"gp2": (1, 16384), "gp3": (1, 65536), "io1": (4, 16384), "io2": (4, 65536), "st1": (125, 16384),
         "sc1": (125, 16384), "standard": (1, 1024)}


def new_volume(view: Ec2, zone: str, size: int, volume_type: str = "gp2", snapshot_id: str = "",
               encrypted: bool = False, tags: dict[str, str] | None = None, iops: int | None = None,
               throughput: int | None = None, available: bool = False) -> Record:
    low, high = SIZES.get(volume_type, (1, 16384))
    if not low <= size <= high:  # AWS's wording
        raise invalid(f"Volume of {size}GiB is too {'small' if size < low else 'large'} for {volume_type}; "
                      f"{'minimum' if size < low else 'maximum'} is {low if size < low else high}GiB")
    volume_id = new_id("vol")
    fields: dict[str, Any] = {
        "VolumeId": volume_id, "Size": size, "SnapshotId": snapshot_id, "AvailabilityZone": zone,
        "State": "available" if available else "creating", "CreateTime": view.now, "Attachments": [],
        "VolumeType": volume_type, "Encrypted": encrypted, "MultiAttachEnabled": False,
    }
    if volume_type in ("gp2", "gp3", "io1", "io2"):
        fields["Iops"] = iops or (3000 if volume_type == "gp3" else max(100, min(16000, 3 * size)))
    if volume_type == "gp3":
        fields["Throughput"] = throughput or 125
    record = view.add("Volume", volume_id, fields, tags)
    if not available:
        view.schedule(record, "State", "available")
    return record


@ec2_operation
def create_volume(view: Ec2) -> dict[str, Any]:
    from .network import zone_of

    params = view.params
    zone, _ = zone_of(view, params.get("AvailabilityZone"), params.get("AvailabilityZoneId"))
    snapshot = view.get("Snapshot", params["SnapshotId"]) if params.get("SnapshotId") else None
    size = params.get("Size")
    if size is None and snapshot is None:  # AWS's wording
        raise invalid("The request must contain the parameter size or snapshotId", "MissingParameter")
    if snapshot is not None:
        if size is not None and size < snapshot.fields["VolumeSize"]:
            raise invalid(f"Volume of size {size}GB is smaller than snapshot '{snapshot.id}', expect size >= "
                          f"{snapshot.fields['VolumeSize']}GB")
        size = size or snapshot.fields["VolumeSize"]
    volume_type = params.get("VolumeType") or "gp2"
    if volume_type in ("io1", "io2") and not params.get("Iops"):
        raise invalid(f"The parameter iops must be specified for {volume_type} volumes.", "MissingParameter")
    volume = new_volume(view, zone, int(size), volume_type, snapshot.id if snapshot else "",
                        bool(params.get("Encrypted") or (snapshot and snapshot.fields["Encrypted"])),
                        tags_for(params, "volume"), params.get("Iops"), params.get("Throughput"))
    return public(volume)


@ec2_operation
def describe_volumes(view: Ec2) -> dict[str, Any]:
    found = view.describe("Volume", "VolumeIds", VOLUME_FILTERS)
    page, token = view.page([public(v) for v in found], ids_param="VolumeIds")
    return {"Volumes": page, "NextToken": token}


@ec2_operation
def delete_volume(view: Ec2) -> dict[str, Any]:
    volume = view.get("Volume", view.params.get("VolumeId"))
    if volume.fields["Attachments"]:  # AWS's wording
        raise invalid(f"Volume {volume.id} is currently attached to {volume.fields['Attachments'][0]['InstanceId']}",
                      "VolumeInUse")
    view.remove("Volume", volume.id)
    return {}


def attachment(view: Ec2, volume: Record, instance_id: str, device: str, delete: bool, state: str) -> dict[str, Any]:
    return {"AttachTime": view.now, "Device": device, "InstanceId": instance_id, "State": state,
            "VolumeId": volume.id, "DeleteOnTermination": delete}


@ec2_operation
def attach_volume(view: Ec2) -> dict[str, Any]:
    from .instances import refresh_devices

    volume = view.get("Volume", view.params.get("VolumeId"))
    instance = view.get("Instance", view.params.get("InstanceId"))
    device = view.params.get("Device") or ""
    if volume.fields["Attachments"] or volume.fields["State"] != "available":  # AWS's wording
        raise invalid(f"{volume.id} is already attached to an instance" if volume.fields["Attachments"]
                      else f"Volume '{volume.id}' is in the '{volume.fields['State']}' state.",
                      "VolumeInUse" if volume.fields["Attachments"] else "IncorrectState")
    state = instance.fields["State"]["Name"]
    if state not in ("running", "stopped"):
        raise invalid(f"Instance '{instance.id}' is not 'running'.", "IncorrectInstanceState")
    if volume.fields["AvailabilityZone"] != instance.fields["Placement"]["AvailabilityZone"]:
        raise invalid(f"The volume '{volume.id}' is not in the same availability zone as instance '{instance.id}'",
                      "InvalidVolume.ZoneMismatch")
    if any(m["DeviceName"] == device for m in instance.fields["BlockDeviceMappings"]):
        raise invalid(f"Invalid value '{device}' for unixDevice. Attachment point {device} is already in use")
    attached = attachment(view, volume, instance.id, device, False, "attaching")
    volume.fields["Attachments"] = [attached]
    volume.fields["State"] = "in-use"
    view.schedule(volume, "Attachments", [{**attached, "State": "attached"}])
    refresh_devices(view, instance)
    return {k: v for k, v in attached.items()}


@ec2_operation
def detach_volume(view: Ec2) -> dict[str, Any]:
    from .instances import refresh_devices

    volume = view.get("Volume", view.params.get("VolumeId"))
    if not volume.fields["Attachments"]:  # AWS's wording
        raise invalid(f"Volume '{volume.id}' is in the '{volume.fields['State']}' state.", "IncorrectState")
    attached = volume.fields["Attachments"][0]
    wanted = view.params.get("InstanceId")
    if wanted and wanted != attached["InstanceId"]:
        raise invalid(f"Volume '{volume.id}' is not attached to instance '{wanted}'.", "IncorrectState")
    instance = view.find("Instance", attached["InstanceId"])
    if instance is not None and instance.fields["RootDeviceName"] == attached["Device"] and \
            instance.fields["State"]["Name"] not in ("stopped", "terminated"):
        raise invalid(f"Unable to detach root volume '{volume.id}' from instance '{instance.id}'",
                      "OperationNotPermitted")
    detaching = {**attached, "State": "detaching"}
    volume.fields["Attachments"] = [detaching]
    volume.fields.pop("_pending", None)
    view.schedule(volume, "Attachments", [])
    view.schedule(volume, "State", "available")
    if instance is not None:
        refresh_devices(view, instance, leaving=volume.id)
    return detaching


def detach_for_instance(view: Ec2, volume: Record) -> None:
    """A volume of a terminated instance: deleted with it, or detached."""
    attached = volume.fields["Attachments"][0] if volume.fields["Attachments"] else None
    if attached and attached.get("DeleteOnTermination"):
        view.remove("Volume", volume.id)
        return
    volume.fields["Attachments"] = []
    volume.fields["State"] = "available"
    volume.fields.pop("_pending", None)


# -- snapshots ---------------------------------------------------------------------------------------------
def snapshot_of(view: Ec2, volume: Record, description: str, tags: dict[str, str]) -> Record:
    snapshot_id = new_id("snap")
    record = view.add("Snapshot", snapshot_id, {
        "SnapshotId": snapshot_id, "VolumeId": volume.id, "VolumeSize": volume.fields["Size"], "State": "pending",
        "StartTime": view.now, "Progress": "", "OwnerId": view.account, "Description": description,
        "Encrypted": volume.fields["Encrypted"], "StorageTier": "standard"}, tags)
    view.schedule(record, "State", "completed")
    view.schedule(record, "Progress", "100%")
    return record


@ec2_operation
def create_snapshot(view: Ec2) -> dict[str, Any]:
    volume = view.get("Volume", view.params.get("VolumeId"))
    snapshot = snapshot_of(view, volume, view.params.get("Description") or "", tags_for(view.params, "snapshot"))
    return public(snapshot)


@ec2_operation
def copy_snapshot(view: Ec2) -> dict[str, Any]:
    source = view.get("Snapshot", view.params.get("SourceSnapshotId"))
    snapshot_id = new_id("snap")
    record = view.add("Snapshot", snapshot_id, {
        **{k: v for k, v in source.fields.items() if not k.startswith("_")}, "SnapshotId": snapshot_id,
        "State": "pending", "Progress": "", "StartTime": view.now,
        "Description": view.params.get("Description") or source.fields["Description"],
        "Encrypted": bool(view.params.get("Encrypted") or source.fields["Encrypted"])},
        tags_for(view.params, "snapshot"))
    view.schedule(record, "State", "completed")
    view.schedule(record, "Progress", "100%")
    return {"SnapshotId": snapshot_id, **({"Tags": public(record)["Tags"]} if record.tags else {})}


@ec2_operation
def describe_snapshots(view: Ec2) -> dict[str, Any]:
    found = view.describe("Snapshot", "SnapshotIds", SNAPSHOT_FILTERS)
    owners = view.params.get("OwnerIds")
    if owners:
        found = [s for s in found if s.fields["OwnerId"] in owners or ("self" in owners and
                                                                        s.fields["OwnerId"] == view.account)]
    page, token = view.page([public(s) for s in found], ids_param="SnapshotIds")
    return {"Snapshots": page, "NextToken": token}


@ec2_operation
def delete_snapshot(view: Ec2) -> dict[str, Any]:
    from .images import images_using

    snapshot = view.get("Snapshot", view.params.get("SnapshotId"))
    users = images_using(view, snapshot.id)
    if users:  # AWS's wording
        raise invalid(f"The snapshot {snapshot.id} is currently in use by {users[0].id}", "InvalidSnapshot.InUse")
    view.remove("Snapshot", snapshot.id)
    return {}


@ec2_operation
def modify_volume(view: Ec2) -> dict[str, Any]:
    """A new size, type, IOPS or throughput, applied at once (`modifying` -> `completed`)."""
    volume = view.get("Volume", view.params.get("VolumeId"))
    fields = volume.fields
    size = int(view.params.get("Size") or fields["Size"])
    if size < fields["Size"]:  # AWS's wording
        raise invalid(f"New size cannot be smaller than existing size {fields['Size']}")
    original = {f"Original{k}": fields[k] for k in ("Size", "VolumeType", "Iops", "Throughput") if k in fields}
    volume_type = view.params.get("VolumeType") or fields["VolumeType"]
    low, high = SIZES.get(volume_type, (1, 16384))
    if not low <= size <= high:
        raise invalid(f"Volume of {size}GiB is out of range for {volume_type} ({low}-{high}GiB)")
    fields.update({"Size": size, "VolumeType": volume_type})
    for member in ("Iops", "Throughput"):
        if view.params.get(member):
            fields[member] = view.params[member]
    modification = {"VolumeId": volume.id, "ModificationState": "modifying", "StartTime": view.now, "Progress": 0,
                    **{f"Target{k}": fields[k] for k in ("Size", "VolumeType", "Iops", "Throughput") if k in fields},
                    **original}
    return {"VolumeModification": modification}
