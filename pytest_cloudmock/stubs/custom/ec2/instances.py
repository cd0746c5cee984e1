"""Instances: `RunInstances` (counts, subnet/group/key checks, addresses from the subnet, root
volumes from the AMI, tags) -> `pending` -> `running` on the gateway clock; stop, start, reboot
and terminate with their transitions and `IncorrectInstanceState`; `DescribeInstances`
(reservations, filters, paging), `DescribeInstanceStatus` and the instance attributes."""

from __future__ import annotations

import base64
from typing import Any

from ....api import AWSError
from ...records import Record
from .common import AFTER, Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field, matcher
from .instance_types import architecture, cpu_options

STATES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}
FILTERS = {
    "instance-id": field("InstanceId"), "instance-state-name": field("State", "Name"),
    "instance-state-code": field("State", "Code"), "instance-type": field("InstanceType"),
    "image-id": field("ImageId"), "vpc-id": field("VpcId"), "subnet-id": field("SubnetId"),
    "key-name": field("KeyName"), "private-ip-address": field("PrivateIpAddress"), "ip-address":
    field("PublicIpAddress"), "availability-zone": field("Placement", "AvailabilityZone"),
    "tenancy": field("Placement", "Tenancy"), "reservation-id": field("_fields", "_reservation"),
    "owner-id": field("_fields", "_owner"), "instance.group-id": field("SecurityGroups", "GroupId"),
    "instance.group-name": field("SecurityGroups", "GroupName"), "group-id": field("SecurityGroups", "GroupId"),
    "group-name": field("SecurityGroups", "GroupName"), "architecture": field("Architecture"),
    "private-dns-name": field("PrivateDnsName"), "dns-name": field("PublicDnsName"),
    "network-interface.network-interface-id": field("NetworkInterfaces", "NetworkInterfaceId"),
    "network-interface.subnet-id": field("NetworkInterfaces", "SubnetId"),
    "root-device-type": field("RootDeviceType"), "root-device-name": field("RootDeviceName"),
    "platform": field("Platform"), "monitoring-state": field("Monitoring", "State"),
    "source-dest-check": field("SourceDestCheck"), "launch-time": field("LaunchTime"),
    "iam-instance-profile.arn": field("IamInstanceProfile", "Arn"),
    "block-device-mapping.volume-id": field("BlockDeviceMappings", "Ebs", "VolumeId"),
    "block-device-mapping.device-name": field("BlockDeviceMappings", "DeviceName"),
    "ami-launch-index": field("AmiLaunchIndex"),
}
STATUS_FILTERS = {
    "instance-state-name": field("InstanceState", "Name"), "instance-state-code": field("InstanceState", "Code"),
    "availability-zone": field("AvailabilityZone"), "instance-status.status": field("InstanceStatus", "Status"),
    "system-status.status": field("SystemStatus", "Status"),
    "instance-status.reachability": field("InstanceStatus", "Details", "Status"),
    "system-status.reachability": field("SystemStatus", "Details", "Status"),
}
DEFAULT_TYPE = "m1.small"  # what EC2 launches when no type is named
# The account's On-Demand vCPU quota, one bucket for every family (ours: AWS's default differs by
# account and by family bucket). It also bounds how many instances one call can create.
VCPU_LIMIT = 256


def state(name: str) -> dict[str, Any]:
    return {"Code": STATES[name], "Name": name}


def _name(instance: Record) -> str:
    return instance.fields["State"]["Name"]


# -- the pieces of an instance ----------------------------------------------------------------------------
def set_public_ip(view: Ec2, instance: Record, ip: str | None) -> None:
    from .network import dns_names

    if ip:
        instance.fields["PublicIpAddress"] = ip
        instance.fields["PublicDnsName"] = dns_names(view.region, None, ip)[1]
    else:
        instance.fields.pop("PublicIpAddress", None)
        instance.fields["PublicDnsName"] = ""


def refresh_interfaces(view: Ec2, instance: Record) -> None:
    """The instance's `NetworkInterfaces` (and groups) from the interfaces attached to it."""
    attached = [e for e in view.all("NetworkInterface")
                if (e.fields.get("Attachment") or {}).get("InstanceId") == instance.id]
    attached.sort(key=lambda e: e.fields["Attachment"]["DeviceIndex"])
    items = []
    for eni in attached:
        item = {k: v for k, v in public(eni).items() if k not in ("AvailabilityZone", "RequesterManaged", "Tags",
                                                                  "TagSet")}
        item["Attachment"] = {k: v for k, v in eni.fields["Attachment"].items()
                              if k not in ("InstanceId", "InstanceOwnerId")}
        items.append(item)
    if items:
        instance.fields["NetworkInterfaces"] = items
        instance.fields["SecurityGroups"] = list(items[0]["Groups"])


def refresh_devices(view: Ec2, instance: Record, leaving: str | None = None) -> None:
    """The instance's `BlockDeviceMappings` from the volumes attached to it."""
    mappings = []
    for volume in view.all("Volume"):
        if volume.id == leaving:
            continue
        for attached in volume.fields["Attachments"]:
            if attached["InstanceId"] == instance.id:
                mappings.append({"DeviceName": attached["Device"], "Ebs": {
                    "AttachTime": attached["AttachTime"], "DeleteOnTermination": attached["DeleteOnTermination"],
                    "Status": attached["State"], "VolumeId": volume.id}})
    mappings.sort(key=lambda m: (m["DeviceName"] != instance.fields["RootDeviceName"], m["DeviceName"]))
    instance.fields["BlockDeviceMappings"] = mappings


def _subnet(view: Ec2, subnet_id: str | None, zone: str | None) -> Record:
    from .network import default_vpc

    if subnet_id:
        return view.get("Subnet", subnet_id)
    vpc = default_vpc(view)
    if vpc is None:  # AWS's wording
        raise AWSError("VPCIdNotSpecified", "No default VPC for this user")
    defaults = [s for s in view.all("Subnet") if s.fields["VpcId"] == vpc.id and s.fields["DefaultForAz"]]
    chosen = next((s for s in defaults if not zone or s.fields["AvailabilityZone"] == zone), None)
    if chosen is None:  # AWS's wording
        raise invalid(f"Invalid availability zone: [{zone}]" if zone else
                      "No default subnet for availability zone: [null].", "InvalidParameterValue")
    return chosen


def _groups(view: Ec2, subnet: Record, ids: list[str], names: list[str]) -> list[str]:
    from .security_groups import default_group, group_named

    vpc_id = subnet.fields["VpcId"]
    vpc = view.get("Vpc", vpc_id)
    if names and not vpc.fields["IsDefault"]:  # AWS's wording
        raise invalid("The parameter groupName cannot be used with the parameter subnet",
                      "InvalidParameterCombination")
    chosen = [group_named(view, None, n, vpc_id).id for n in names]
    for group_id in ids:
        group = view.get("SecurityGroup", group_id)
        if group.fields["VpcId"] != vpc_id:  # AWS's wording
            raise invalid(f"Security group {group_id} and subnet {subnet.id} belong to different networks.",
                          "InvalidParameter")
        chosen.append(group.id)
    return list(dict.fromkeys(chosen)) or [default_group(view, vpc_id).id]


def _launch_network(view: Ec2) -> dict[str, Any]:
    """Subnet, groups, address and public-address choice of a launch (from `NetworkInterfaces[0]`
    or the top-level members)."""
    params = view.params
    primary = next((n for n in params.get("NetworkInterfaces") or [] if n.get("DeviceIndex", 0) == 0), None)
    zone = (params.get("Placement") or {}).get("AvailabilityZone")
    if primary is not None:
        if primary.get("NetworkInterfaceId"):
            eni = view.get("NetworkInterface", primary["NetworkInterfaceId"])
            return {"eni": eni, "subnet": view.get("Subnet", eni.fields["SubnetId"]),
                    "public": primary.get("AssociatePublicIpAddress")}
        subnet = _subnet(view, primary.get("SubnetId"), zone)
        return {"subnet": subnet, "groups": _groups(view, subnet, primary.get("Groups") or [], []),
                "address": primary.get("PrivateIpAddress"), "public": primary.get("AssociatePublicIpAddress"),
                "delete": primary.get("DeleteOnTermination", True), "description": primary.get("Description", "")}
    subnet = _subnet(view, params.get("SubnetId"), zone)
    return {"subnet": subnet, "groups": _groups(view, subnet, params.get("SecurityGroupIds") or [],
                                                params.get("SecurityGroups") or []),
            "address": params.get("PrivateIpAddress"), "public": None, "delete": True, "description": ""}


def _counts(view: Ec2) -> tuple[int, int]:
    low, high = int(view.params.get("MinCount", 1)), int(view.params.get("MaxCount", 1))
    if low < 1:  # AWS's wording not documented (nor for maxCount)
        raise invalid(f"Value ({low}) for parameter minCount is invalid. Expected a positive integer.")
    if high < low:
        raise invalid(f"Value ({high}) for parameter maxCount is invalid. Expected a value greater than or "
                      "equal to minCount.")
    return low, high


# -- RunInstances ------------------------------------------------------------------------------------------
@ec2_operation
def run_instances(view: Ec2) -> dict[str, Any]:
    from .images import image_item
    from .key_pairs import key_named
    from .launch_templates import launch_data

    extra_tags: dict[str, str] = {}
    if view.params.get("LaunchTemplate"):  # the template's data under the request's own members
        data, extra_tags = launch_data(view, view.params["LaunchTemplate"])
        specs = [*(data.pop("TagSpecifications", None) or []), *(view.params.get("TagSpecifications") or [])]
        view.params = {**data, **{k: v for k, v in view.params.items() if k != "LaunchTemplate"},
                       "TagSpecifications": specs}
    params = view.params
    if not params.get("ImageId"):
        raise invalid("The request must contain the parameter ImageId", "MissingParameter")
    image = image_item(view, params["ImageId"])
    if image["State"] != "available":  # AWS's wording
        raise invalid(f"Image {image['ImageId']} is not available.", "InvalidAMIID.Unavailable")
    low, high = _counts(view)
    instance_type = params.get("InstanceType") or DEFAULT_TYPE
    arch = architecture(instance_type)
    if arch and arch != image["Architecture"]:  # AWS's wording
        raise invalid(f"The architecture '{arch}' of the specified instance type does not match the architecture "
                      f"'{image['Architecture']}' of the specified AMI. Specify an instance type and an AMI that "
                      "have matching architectures, and try again.")
    key_name = params.get("KeyName")
    if key_name and key_named(view, key_name) is None:
        raise invalid(f"The key pair '{key_name}' does not exist", "InvalidKeyPair.NotFound")
    net = _launch_network(view)
    if (net.get("address") or net.get("eni")) and high > 1:  # AWS's wording not documented
        raise invalid("Cannot specify a private IP address or an existing network interface when launching "
                      "more than one instance", "InvalidParameterCombination")
    subnet = net["subnet"]
    free = subnet.fields["AvailableIpAddressCount"]
    if free < low and not net.get("eni"):  # AWS's wording not documented
        raise invalid(f"There are not enough free addresses in subnet '{subnet.id}' to satisfy the requested "
                      "number of instances.", "InsufficientFreeAddressesInSubnet")
    high = min(high, _vcpu_room(view, instance_type, low))
    reservation = new_id("r")
    instances = [_launch(view, image, instance_type, net, reservation, index, extra_tags)
                 for index in range(min(high, free) if not net.get("eni") else 1)]
    return {"ReservationId": reservation, "OwnerId": view.account, "Groups": [],
            "Instances": [_shown(view, i) for i in instances]}


def _vcpus(instance_type: str) -> int:
    cpu = cpu_options(instance_type)
    return cpu["CoreCount"] * cpu["ThreadsPerCore"]


def _vcpu_room(view: Ec2, instance_type: str, low: int) -> int:
    """How many more instances of the type fit the vCPU quota (at least `low`, or VcpuLimitExceeded)."""
    used = sum(_vcpus(i.fields["InstanceType"]) for i in view.all("Instance")
               if _name(i) in ("pending", "running"))
    room = (VCPU_LIMIT - used) // _vcpus(instance_type)
    if room < low:  # the start is AWS's wording; the end (the bucket) is not documented
        raise AWSError("VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit "
                       f"of {VCPU_LIMIT} allows for the instance bucket that the specified instance type belongs to.",
                       400)
    return room


def _launch(view: Ec2, image: dict[str, Any], instance_type: str, net: dict[str, Any], reservation: str,
            index: int, extra_tags: dict[str, str]) -> Record:
    from .interfaces import attach, new_interface
    from .network import dns_names, public_ip
    from .volumes import attachment, new_volume

    params = view.params
    subnet = net["subnet"]
    instance_id = new_id("i")
    eni = net.get("eni") or new_interface(view, subnet, net["groups"], net["description"], {}, net.get("address"))
    attach(view, eni, instance_id, 0, bool(net.get("delete", True)))
    private = eni.fields["PrivateIpAddress"]
    wants_public = net["public"] if net.get("public") is not None else subnet.fields["MapPublicIpOnLaunch"]
    zone = subnet.fields["AvailabilityZone"]
    root = image["RootDeviceName"]
    fields: dict[str, Any] = {
        "InstanceId": instance_id, "ImageId": image["ImageId"], "State": state("pending"),
        "PrivateDnsName": dns_names(view.region, private, None)[0], "PublicDnsName": "",
        "StateTransitionReason": "", "AmiLaunchIndex": index, "ProductCodes": [], "InstanceType": instance_type,
        "LaunchTime": view.now, "Placement": {"AvailabilityZone": zone, "GroupName": "",
                                              "Tenancy": (params.get("Placement") or {}).get("Tenancy", "default")},
        "Monitoring": {"State": "enabled" if (params.get("Monitoring") or {}).get("Enabled") else "disabled"},
        "SubnetId": subnet.id, "VpcId": subnet.fields["VpcId"], "PrivateIpAddress": private,
        "Architecture": image["Architecture"], "RootDeviceType": "ebs", "RootDeviceName": root,
        "BlockDeviceMappings": [], "VirtualizationType": "hvm", "ClientToken": params.get("ClientToken") or "",
        "SourceDestCheck": True, "Hypervisor": "xen", "NetworkInterfaces": [], "SecurityGroups": [],
        "EbsOptimized": bool(params.get("EbsOptimized")), "EnaSupport": True,
        "CpuOptions": cpu_options(instance_type), "CapacityReservationSpecification":
        {"CapacityReservationPreference": "open"}, "HibernationOptions": {"Configured": False},
        "MetadataOptions": {"State": "pending", "HttpTokens": "required", "HttpPutResponseHopLimit": 2,
                            "HttpEndpoint": "enabled", "HttpProtocolIpv6": "disabled",
                            "InstanceMetadataTags": "disabled", **(params.get("MetadataOptions") or {})},
        "EnclaveOptions": {"Enabled": False}, "PlatformDetails": image["PlatformDetails"],
        "UsageOperation": image["UsageOperation"], "UsageOperationUpdateTime": view.now,
        "PrivateDnsNameOptions": {"HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
                                  "EnableResourceNameDnsAAAARecord": False},
        "MaintenanceOptions": {"AutoRecovery": "default"}, "CurrentInstanceBootMode": "uefi"
        if image["Architecture"] == "arm64" else "legacy-bios", "BootMode": image.get("BootMode", "uefi-preferred"),
        "_reservation": reservation, "_owner": view.account, "_user_data": params.get("UserData") or "",
        "_image": {k: image.get(k) for k in ("Architecture", "Platform", "PlatformDetails", "UsageOperation")},
        "_attributes": {"DisableApiTermination": bool(params.get("DisableApiTermination")),
                        "DisableApiStop": bool(params.get("DisableApiStop")),
                        "InstanceInitiatedShutdownBehavior": params.get("InstanceInitiatedShutdownBehavior")
                        or "stop"},
        "_wants_public": bool(wants_public),
    }
    if params.get("KeyName"):
        fields["KeyName"] = params["KeyName"]
    if image.get("Platform"):
        fields["Platform"] = image["Platform"]
    if params.get("IamInstanceProfile"):
        profile = params["IamInstanceProfile"]
        arn = profile.get("Arn") or f"arn:{view.ctx.partition}:iam::{view.account}:instance-profile/{profile.get('Name')}"
        fields["IamInstanceProfile"] = {"Arn": arn, "Id": "AIPA" + new_id("x", 17)[2:].upper()}
    instance = view.add("Instance", instance_id, fields, {**tags_for(params, "instance"), **extra_tags})
    if wants_public:
        from .gateways import set_interface_public_ip

        set_interface_public_ip(view, eni, public_ip(view))
    # The root volume from the AMI (size/type as the request's mapping for the root device overrides).
    asked = {m.get("DeviceName"): m for m in params.get("BlockDeviceMappings") or []}
    volume_tags = tags_for(params, "volume")
    for mapping in image["BlockDeviceMappings"]:
        ebs = {**mapping.get("Ebs", {}), **(asked.pop(mapping["DeviceName"], {}).get("Ebs") or {})}
        _volume(view, instance, zone, mapping["DeviceName"], ebs, volume_tags, new_volume, attachment)
    for device, mapping in asked.items():
        if mapping.get("Ebs") and not mapping.get("NoDevice"):
            _volume(view, instance, zone, device, {"VolumeSize": 8, "DeleteOnTermination": True, **mapping["Ebs"]},
                    volume_tags, new_volume, attachment)
    refresh_devices(view, instance)
    refresh_interfaces(view, instance)
    view.schedule(instance, "State", state("running"), then="instance-running")
    return instance


def _volume(view: Ec2, instance: Record, zone: str, device: str, ebs: dict[str, Any], tags: dict[str, str],
            new_volume: Any, attachment: Any) -> None:
    volume = new_volume(view, zone, int(ebs.get("VolumeSize") or 8), ebs.get("VolumeType") or "gp2",
                        ebs.get("SnapshotId") or "", bool(ebs.get("Encrypted")), tags, ebs.get("Iops"),
                        ebs.get("Throughput"), available=True)
    volume.fields["State"] = "in-use"
    volume.fields["Attachments"] = [attachment(view, volume, instance.id, device,
                                               bool(ebs.get("DeleteOnTermination", True)), "attached")]


def _running(view: Ec2, instance: Record) -> None:
    instance.fields["MetadataOptions"]["State"] = "applied"


def _stopped(view: Ec2, instance: Record) -> None:
    instance.fields["StateReason"] = {"Code": "Client.UserInitiatedShutdown",
                                      "Message": "Client.UserInitiatedShutdown: User initiated shutdown"}


def _terminated(view: Ec2, instance: Record) -> None:
    """A terminated instance gives back its interfaces (and their addresses) and volumes."""
    from .interfaces import delete_interface
    from .volumes import detach_for_instance

    for eni in view.all("NetworkInterface"):
        attachment = eni.fields.get("Attachment") or {}
        if attachment.get("InstanceId") != instance.id:
            continue
        if attachment.get("DeleteOnTermination"):
            delete_interface(view, eni)
        else:
            eni.fields.pop("Attachment")
            eni.fields["Status"] = "available"
    for volume in view.all("Volume"):
        if any(a["InstanceId"] == instance.id for a in volume.fields["Attachments"]):
            detach_for_instance(view, volume)
    for key in ("PrivateIpAddress", "PublicIpAddress", "SubnetId", "VpcId"):
        instance.fields.pop(key, None)
    instance.fields.update({"NetworkInterfaces": [], "BlockDeviceMappings": [], "SecurityGroups": [],
                            "PrivateDnsName": "", "PublicDnsName": "",
                            "StateReason": {"Code": "Client.UserInitiatedShutdown",
                                            "Message": "Client.UserInitiatedShutdown: User initiated shutdown"}})


AFTER.update({"instance-running": _running, "instance-stopped": _stopped, "instance-terminated": _terminated})


# -- Describe ---------------------------------------------------------------------------------------------
def _shown(view: Ec2, instance: Record) -> dict[str, Any]:
    if _name(instance) != "terminated":
        refresh_devices(view, instance)
        refresh_interfaces(view, instance)
    return public(instance)


def _instances_named(view: Ec2, ids: list[str]) -> list[Record]:
    unknown = [i for i in ids if view.find("Instance", i) is None]
    if unknown:
        raise _missing(unknown)
    return [view.get("Instance", i) for i in dict.fromkeys(ids)]


@ec2_operation
def describe_instances(view: Ec2) -> dict[str, Any]:
    found = view.describe("Instance", "InstanceIds", FILTERS, missing=_missing)
    page, token = view.page(found, ids_param="InstanceIds")
    reservations: dict[str, dict[str, Any]] = {}
    for instance in page:
        reservation = reservations.setdefault(instance.fields["_reservation"], {
            "ReservationId": instance.fields["_reservation"], "OwnerId": instance.fields["_owner"],
            "Groups": [], "Instances": []})
        reservation["Instances"].append(_shown(view, instance))
    return {"Reservations": list(reservations.values()), "NextToken": token}


def _missing(ids: list[str]) -> AWSError:
    if len(ids) > 1:  # AWS's wording
        return invalid(f"The instance IDs '{', '.join(ids)}' do not exist", "InvalidInstanceID.NotFound")
    return invalid(f"The instance ID '{ids[0]}' does not exist", "InvalidInstanceID.NotFound")


def _status(instance: Record) -> dict[str, Any]:
    running = _name(instance) == "running"
    check = {"Status": "ok" if running else "not-applicable",
             "Details": [{"Name": "reachability", "Status": "passed"}] if running else []}
    return {"InstanceId": instance.id, "AvailabilityZone": instance.fields["Placement"]["AvailabilityZone"],
            "InstanceState": dict(instance.fields["State"]), "InstanceStatus": check,
            "SystemStatus": dict(check), "AttachedEbsStatus": dict(check)}


@ec2_operation
def describe_instance_status(view: Ec2) -> dict[str, Any]:
    ids = view.params.get("InstanceIds") or []
    chosen = _instances_named(view, ids) if ids else view.all("Instance")
    if not view.params.get("IncludeAllInstances"):
        chosen = [i for i in chosen if _name(i) == "running"]
    else:
        chosen = [i for i in chosen if _name(i) != "terminated" or i.id in ids]
    test = matcher(view.params.get("Filters"), STATUS_FILTERS)
    items = [s for s in (_status(i) for i in chosen) if test(s, {})]
    page, token = view.page(items, ids_param="InstanceIds")
    return {"InstanceStatuses": page, "NextToken": token}


# -- state changes ----------------------------------------------------------------------------------------
def _change(instance: Record, before: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceId": instance.id, "CurrentState": dict(instance.fields["State"]), "PreviousState": before}


def _move(view: Ec2, instance: Record, now: str, then: str, hook: str = "") -> None:
    instance.fields.pop("_pending", None)
    instance.fields["State"] = state(now)
    view.schedule(instance, "State", state(then), then=hook)


def _refuse(instance: Record, verb: str) -> AWSError:  # AWS's wording
    return invalid(f"The instance '{instance.id}' is not in a state from which it can be {verb}.",
                   "IncorrectInstanceState")


@ec2_operation
def stop_instances(view: Ec2) -> dict[str, Any]:
    from .interfaces import primary_interface

    instances = _instances_named(view, view.params.get("InstanceIds") or [])
    for instance in instances:
        if _name(instance) in ("shutting-down", "terminated"):
            raise _refuse(instance, "stopped")
        if instance.fields["_attributes"]["DisableApiStop"]:  # AWS's wording not documented
            raise invalid(f"The instance '{instance.id}' may not be stopped. Modify its 'disableApiStop' instance "
                          "attribute and try again.", "OperationNotPermitted")
    changes = []
    for instance in instances:
        before = dict(instance.fields["State"])
        if _name(instance) in ("pending", "running"):
            _move(view, instance, "stopping", "stopped", "instance-stopped")
            instance.fields["StateTransitionReason"] = \
                f"User initiated ({view.now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"
            eni = primary_interface(view, instance)
            if (eni.fields.get("Association") or {}).get("IpOwnerId") == "amazon":
                from .gateways import set_interface_public_ip

                set_interface_public_ip(view, eni, None)
        changes.append(_change(instance, before))
    return {"StoppingInstances": changes}


@ec2_operation
def start_instances(view: Ec2) -> dict[str, Any]:
    from .gateways import set_interface_public_ip
    from .interfaces import primary_interface
    from .network import public_ip

    instances = _instances_named(view, view.params.get("InstanceIds") or [])
    for instance in instances:
        if _name(instance) not in ("stopped", "pending", "running"):
            raise _refuse(instance, "started")
    changes = []
    for instance in instances:
        before = dict(instance.fields["State"])
        if _name(instance) == "stopped":
            _move(view, instance, "pending", "running", "instance-running")
            instance.fields["StateTransitionReason"] = ""
            instance.fields.pop("StateReason", None)
            eni = primary_interface(view, instance)
            if instance.fields["_wants_public"] and not eni.fields.get("Association"):
                set_interface_public_ip(view, eni, public_ip(view))
        changes.append(_change(instance, before))
    return {"StartingInstances": changes}


@ec2_operation
def reboot_instances(view: Ec2) -> dict[str, Any]:
    for instance in _instances_named(view, view.params.get("InstanceIds") or []):
        if _name(instance) in ("shutting-down", "terminated", "stopped", "stopping"):
            raise _refuse(instance, "rebooted")  # AWS's wording not documented for reboot
    return {}


@ec2_operation
def terminate_instances(view: Ec2) -> dict[str, Any]:
    instances = _instances_named(view, view.params.get("InstanceIds") or [])
    for instance in instances:
        if instance.fields["_attributes"]["DisableApiTermination"]:  # AWS's wording
            raise invalid(f"The instance '{instance.id}' may not be terminated. Modify its 'disableApiTermination' "
                          "instance attribute and try again.", "OperationNotPermitted")
    changes = []
    for instance in instances:
        before = dict(instance.fields["State"])
        if _name(instance) not in ("shutting-down", "terminated"):
            _move(view, instance, "shutting-down", "terminated", "instance-terminated")
            instance.fields["StateTransitionReason"] = \
                f"User initiated ({view.now.strftime('%Y-%m-%d %H:%M:%S')} GMT)"
        changes.append(_change(instance, before))
    return {"TerminatingInstances": changes}


# -- attributes -------------------------------------------------------------------------------------------
# DescribeInstanceAttribute's `Attribute` -> (output member, where the value lives)
ATTRIBUTES = {
    "instanceType": "InstanceType", "kernel": "KernelId", "ramdisk": "RamdiskId", "userData": "UserData",
    "disableApiTermination": "DisableApiTermination", "instanceInitiatedShutdownBehavior":
    "InstanceInitiatedShutdownBehavior", "rootDeviceName": "RootDeviceName", "blockDeviceMapping":
    "BlockDeviceMappings", "productCodes": "ProductCodes", "sourceDestCheck": "SourceDestCheck", "groupSet":
    "Groups", "ebsOptimized": "EbsOptimized", "sriovNetSupport": "SriovNetSupport", "enaSupport": "EnaSupport",
    "enclaveOptions": "EnclaveOptions", "disableApiStop": "DisableApiStop",
}


@ec2_operation
def describe_instance_attribute(view: Ec2) -> dict[str, Any]:
    instance = view.get("Instance", view.params.get("InstanceId"))
    fields, attrs = instance.fields, instance.fields["_attributes"]
    member = ATTRIBUTES.get(view.params.get("Attribute", ""))
    if member is None:
        raise invalid(f"Value ({view.params.get('Attribute')}) for parameter attribute is invalid. "
                      "Unknown attribute.")
    if member == "BlockDeviceMappings":
        refresh_devices(view, instance)
        value: Any = fields["BlockDeviceMappings"]
    elif member == "Groups":
        value = fields["SecurityGroups"]
    elif member == "ProductCodes":
        value = []
    elif member == "EnclaveOptions":
        value = fields["EnclaveOptions"]
    elif member == "UserData":
        value = {"Value": fields["_user_data"]} if fields["_user_data"] else {}
    elif member in ("KernelId", "RamdiskId", "SriovNetSupport"):
        value = {}
    elif member in attrs:
        value = {"Value": attrs[member]}
    else:
        value = {"Value": fields.get(member)}
    return {"InstanceId": instance.id, member: value}


@ec2_operation
def modify_instance_attribute(view: Ec2) -> dict[str, Any]:
    from .interfaces import groups_in, primary_interface

    instance = view.get("Instance", view.params.get("InstanceId"))
    params = dict(view.params)
    legacy = ATTRIBUTES.get(params.get("Attribute") or "")
    if legacy and params.get("Value") is not None:
        params[legacy] = {"Value": params["Value"]}
    changes = {k: v["Value"] for k, v in params.items() if isinstance(v, dict) and "Value" in v}
    if ("InstanceType" in changes or "UserData" in changes) and _name(instance) != "stopped":  # AWS's wording
        raise invalid(f"The instance '{instance.id}' is not in the 'stopped' state.", "IncorrectInstanceState")
    for member, value in changes.items():
        if member == "InstanceType":
            instance.fields["InstanceType"] = value
            instance.fields["CpuOptions"] = cpu_options(value)
        elif member == "UserData":
            raw = value if isinstance(value, bytes) else str(value).encode()
            instance.fields["_user_data"] = base64.b64encode(raw).decode() if raw else ""
        elif member in instance.fields["_attributes"]:
            instance.fields["_attributes"][member] = value
        elif member in ("SourceDestCheck", "EbsOptimized", "EnaSupport"):
            instance.fields[member] = bool(value)
            if member == "SourceDestCheck":
                primary_interface(view, instance).fields["SourceDestCheck"] = bool(value)
    if params.get("Groups"):
        eni = primary_interface(view, instance)
        eni.fields["Groups"] = groups_in(view, params["Groups"], eni.fields["VpcId"])
        refresh_interfaces(view, instance)
    return {}
