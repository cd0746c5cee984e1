"""Elastic network interfaces: created in a subnet with a private address and security groups,
attached to instances (each instance's primary one is made with it), deleted when free."""

from __future__ import annotations

from typing import Any

from ...records import Record
from .common import Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field

FILTERS = {
    "network-interface-id": field("NetworkInterfaceId"), "subnet-id": field("SubnetId"), "vpc-id": field("VpcId"),
    "status": field("Status"), "availability-zone": field("AvailabilityZone"), "description": field("Description"),
    "group-id": field("Groups", "GroupId"), "group-name": field("Groups", "GroupName"),
    "private-ip-address": field("PrivateIpAddresses", "PrivateIpAddress"), "addresses.private-ip-address":
    field("PrivateIpAddresses", "PrivateIpAddress"), "attachment.instance-id": field("Attachment", "InstanceId"),
    "attachment.attachment-id": field("Attachment", "AttachmentId"), "attachment.status":
    field("Attachment", "Status"), "attachment.device-index": field("Attachment", "DeviceIndex"),
    "interface-type": field("InterfaceType"), "owner-id": field("OwnerId"), "mac-address": field("MacAddress"),
    "requester-managed": field("RequesterManaged"), "source-dest-check": field("SourceDestCheck"),
    "association.public-ip": field("Association", "PublicIp"),
}


def _mac() -> str:
    raw = new_id("m", 10)[2:]
    return "0e:" + ":".join(raw[i:i + 2] for i in range(0, 10, 2))


def groups_in(view: Ec2, group_ids: list[str], vpc_id: str) -> list[dict[str, str]]:
    """`[{GroupId, GroupName}]` for security groups that must exist in `vpc_id`."""
    out = []
    for group_id in group_ids:
        group = view.get("SecurityGroup", group_id)
        if group.fields["VpcId"] != vpc_id:  # AWS's wording
            raise invalid(f"The security group '{group_id}' does not exist in VPC '{vpc_id}'",
                          "InvalidGroup.NotFound")
        out.append({"GroupId": group.id, "GroupName": group.fields["GroupName"]})
    return out


def new_interface(view: Ec2, subnet: Record, group_ids: list[str], description: str, tags: dict[str, str],
                  address: str | None = None, interface_type: str = "interface") -> Record:
    """An interface in `subnet` (the VPC's default group when none is named)."""
    from .network import allocate_ip, dns_names
    from .security_groups import default_group

    vpc_id = subnet.fields["VpcId"]
    groups = groups_in(view, group_ids, vpc_id) if group_ids else (
        [] if interface_type != "interface" else groups_in(view, [default_group(view, vpc_id).id], vpc_id))
    private = allocate_ip(view, subnet, address)
    eni_id = new_id("eni")
    fields = {
        "NetworkInterfaceId": eni_id, "SubnetId": subnet.id, "VpcId": vpc_id,
        "AvailabilityZone": subnet.fields["AvailabilityZone"], "Description": description, "Groups": groups,
        "InterfaceType": interface_type, "Ipv6Addresses": [], "MacAddress": _mac(), "OwnerId": view.account,
        "PrivateDnsName": dns_names(view.region, private, None)[0], "PrivateIpAddress": private,
        "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": private,
                                "PrivateDnsName": dns_names(view.region, private, None)[0]}],
        "RequesterManaged": False, "SourceDestCheck": True, "Status": "available",
    }
    return view.add("NetworkInterface", eni_id, fields, tags)


def primary_interface(view: Ec2, instance: Record) -> Record:
    return view.get("NetworkInterface", instance.fields["NetworkInterfaces"][0]["NetworkInterfaceId"])


@ec2_operation
def create_network_interface(view: Ec2) -> dict[str, Any]:
    subnet = view.get("Subnet", view.params.get("SubnetId"))
    eni = new_interface(view, subnet, view.params.get("Groups") or [], view.params.get("Description") or "",
                        tags_for(view.params, "network-interface"), view.params.get("PrivateIpAddress"))
    return {"NetworkInterface": public(eni), "ClientToken": view.params.get("ClientToken")}


@ec2_operation
def describe_network_interfaces(view: Ec2) -> dict[str, Any]:
    found = view.describe("NetworkInterface", "NetworkInterfaceIds", FILTERS)
    page, token = view.page([public(e) for e in found], ids_param="NetworkInterfaceIds")
    return {"NetworkInterfaces": page, "NextToken": token}


def delete_interface(view: Ec2, eni: Record) -> None:
    from .gateways import release_for_interface
    from .network import release_ip

    release_for_interface(view, eni.id)
    release_ip(view, eni.fields["SubnetId"], eni.fields["PrivateIpAddress"])
    view.remove("NetworkInterface", eni.id)


@ec2_operation
def delete_network_interface(view: Ec2) -> dict[str, Any]:
    eni = view.get("NetworkInterface", view.params.get("NetworkInterfaceId"))
    if eni.fields.get("Attachment") or eni.fields["Status"] == "in-use":  # AWS's wording
        raise invalid(f"The network interface '{eni.id}' is currently in use.", "InvalidNetworkInterface.InUse")
    delete_interface(view, eni)
    return {}


def attach(view: Ec2, eni: Record, instance_id: str, index: int, delete_on_termination: bool) -> str:
    attachment_id = new_id("eni-attach")
    eni.fields["Attachment"] = {"AttachTime": view.now, "AttachmentId": attachment_id,
                                "DeleteOnTermination": delete_on_termination, "DeviceIndex": index,
                                "NetworkCardIndex": 0, "InstanceId": instance_id, "InstanceOwnerId": view.account,
                                "Status": "attached"}
    eni.fields["Status"] = "in-use"
    return attachment_id


@ec2_operation
def attach_network_interface(view: Ec2) -> dict[str, Any]:
    from .instances import refresh_interfaces

    eni = view.get("NetworkInterface", view.params.get("NetworkInterfaceId"))
    instance = view.get("Instance", view.params.get("InstanceId"))
    index = int(view.params.get("DeviceIndex", 1))
    if eni.fields.get("Attachment"):  # AWS's wording
        raise invalid(f"Interface: [{eni.id}] in use.", "InvalidNetworkInterface.InUse")
    if instance.fields["State"]["Name"] in ("shutting-down", "terminated"):
        raise invalid(f"The instance '{instance.id}' is not in a state from which it can be attached.",
                      "IncorrectInstanceState")
    if eni.fields["AvailabilityZone"] != instance.fields["Placement"]["AvailabilityZone"]:
        raise invalid(f"The network interface {eni.id} and instance {instance.id} are in different "
                      "availability zones")  # AWS's wording not documented
    if any(n["Attachment"]["DeviceIndex"] == index for n in instance.fields["NetworkInterfaces"]):
        raise invalid(f"Instance '{instance.id}' already has an interface attached at device index '{index}'.",
                      "InvalidParameterValue")
    attachment_id = attach(view, eni, instance.id, index, False)
    refresh_interfaces(view, instance)
    return {"AttachmentId": attachment_id, "NetworkCardIndex": 0}


@ec2_operation
def detach_network_interface(view: Ec2) -> dict[str, Any]:
    from .instances import refresh_interfaces

    wanted = view.params.get("AttachmentId")
    eni = next((e for e in view.all("NetworkInterface")
                if (e.fields.get("Attachment") or {}).get("AttachmentId") == wanted), None)
    if eni is None:  # AWS's wording
        raise invalid(f"The interface attachment '{wanted}' does not exist.", "InvalidAttachmentID.NotFound")
    if eni.fields["Attachment"]["DeviceIndex"] == 0:
        raise invalid("The network interface at device index 0 cannot be detached.", "OperationNotPermitted")
    instance = view.find("Instance", eni.fields["Attachment"]["InstanceId"])
    eni.fields.pop("Attachment")
    eni.fields["Status"] = "available"
    if instance is not None:
        refresh_interfaces(view, instance)
    return {}


@ec2_operation
def modify_network_interface_attribute(view: Ec2) -> dict[str, Any]:
    """Description, source/destination check, groups (of the interface's VPC)."""
    from .instances import refresh_interfaces

    eni = view.get("NetworkInterface", view.params.get("NetworkInterfaceId"))
    params = view.params
    if isinstance(params.get("Description"), dict) and "Value" in params["Description"]:
        eni.fields["Description"] = params["Description"]["Value"]
    if isinstance(params.get("SourceDestCheck"), dict) and "Value" in params["SourceDestCheck"]:
        eni.fields["SourceDestCheck"] = bool(params["SourceDestCheck"]["Value"])
    if params.get("Groups"):
        eni.fields["Groups"] = groups_in(view, params["Groups"], eni.fields["VpcId"])
    instance_id = (eni.fields.get("Attachment") or {}).get("InstanceId")
    instance = view.find("Instance", instance_id) if instance_id else None
    if instance is not None:
        refresh_interfaces(view, instance)
    return {}
