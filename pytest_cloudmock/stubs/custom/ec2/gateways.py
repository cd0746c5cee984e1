"""Internet gateways (attach/detach), NAT gateways (`pending` -> `available`, `deleting` ->
`deleted` on the gateway clock) and elastic IP addresses (allocate, associate, release)."""

from __future__ import annotations

from typing import Any

from ...records import Record
from .common import AFTER, Ec2, ec2_operation, invalid, new_id, public, tags_for
from .filters import field

IGW_FILTERS = {
    "internet-gateway-id": field("InternetGatewayId"), "attachment.vpc-id": field("Attachments", "VpcId"),
    "attachment.state": field("Attachments", "State"), "owner-id": field("OwnerId"),
}
NAT_FILTERS = {
    "nat-gateway-id": field("NatGatewayId"), "state": field("State"), "subnet-id": field("SubnetId"),
    "vpc-id": field("VpcId"),
}
ADDRESS_FILTERS = {
    "allocation-id": field("AllocationId"), "association-id": field("AssociationId"),
    "domain": field("Domain"), "instance-id": field("InstanceId"), "network-interface-id":
    field("NetworkInterfaceId"), "private-ip-address": field("PrivateIpAddress"), "public-ip":
    field("PublicIp"), "network-border-group": field("NetworkBorderGroup"),
}


# -- internet gateways ---------------------------------------------------------------------------------
def new_internet_gateway(view: Ec2, tags: dict[str, str]) -> Record:
    gateway_id = new_id("igw")
    return view.add("InternetGateway", gateway_id, {
        "InternetGatewayId": gateway_id, "OwnerId": view.account, "Attachments": []}, tags)


@ec2_operation
def create_internet_gateway(view: Ec2) -> dict[str, Any]:
    return {"InternetGateway": public(new_internet_gateway(view, tags_for(view.params, "internet-gateway")))}


@ec2_operation
def describe_internet_gateways(view: Ec2) -> dict[str, Any]:
    found = view.describe("InternetGateway", "InternetGatewayIds", IGW_FILTERS)
    page, token = view.page([public(g) for g in found], ids_param="InternetGatewayIds")
    return {"InternetGateways": page, "NextToken": token}


@ec2_operation
def attach_internet_gateway(view: Ec2) -> dict[str, Any]:
    gateway = view.get("InternetGateway", view.params.get("InternetGatewayId"))
    vpc = view.get("Vpc", view.params.get("VpcId"))
    if gateway.fields["Attachments"]:  # AWS's wording
        raise invalid(f"resource {gateway.id} is already attached to network "
                      f"{gateway.fields['Attachments'][0]['VpcId']}", "Resource.AlreadyAssociated")
    if any(a["VpcId"] == vpc.id for g in view.all("InternetGateway") for a in g.fields["Attachments"]):
        raise invalid(f"Network {vpc.id} already has an internet gateway attached", "Resource.AlreadyAssociated")
    gateway.fields["Attachments"] = [{"VpcId": vpc.id, "State": "available"}]
    return {}


@ec2_operation
def detach_internet_gateway(view: Ec2) -> dict[str, Any]:
    gateway = view.get("InternetGateway", view.params.get("InternetGatewayId"))
    vpc = view.get("Vpc", view.params.get("VpcId"))
    if not any(a["VpcId"] == vpc.id for a in gateway.fields["Attachments"]):  # AWS's wording
        raise invalid(f"resource {gateway.id} is not attached to network {vpc.id}", "Gateway.NotAttached")
    gateway.fields["Attachments"] = []
    return {}


@ec2_operation
def delete_internet_gateway(view: Ec2) -> dict[str, Any]:
    gateway = view.get("InternetGateway", view.params.get("InternetGatewayId"))
    if gateway.fields["Attachments"]:  # AWS's wording
        raise invalid(f"The internetGateway '{gateway.id}' has dependencies and cannot be deleted.",
                      "DependencyViolation")
    view.remove("InternetGateway", gateway.id)
    return {}


# -- elastic IPs ------------------------------------------------------------------------------------------
@ec2_operation
def allocate_address(view: Ec2) -> dict[str, Any]:
    from .network import public_ip

    allocation_id = new_id("eipalloc")
    address = view.params.get("Address") or public_ip(view)
    fields = {"AllocationId": allocation_id, "PublicIp": address, "Domain": "vpc", "PublicIpv4Pool": "amazon",
              "NetworkBorderGroup": view.region}
    view.add("Address", allocation_id, fields, tags_for(view.params, "elastic-ip"))
    return {k: fields[k] for k in ("AllocationId", "PublicIp", "Domain", "PublicIpv4Pool", "NetworkBorderGroup")}


def _address(view: Ec2) -> Record:
    allocation_id, ip = view.params.get("AllocationId"), view.params.get("PublicIp")
    if allocation_id:
        return view.get("Address", allocation_id)
    found = next((a for a in view.all("Address") if a.fields["PublicIp"] == ip), None)
    if found is None:  # AWS's wording
        raise invalid(f"The address '{ip}' does not belong to you." if ip else
                      "The request must contain the parameter AllocationId",
                      "AuthFailure" if ip else "MissingParameter")
    return found


@ec2_operation
def describe_addresses(view: Ec2) -> dict[str, Any]:
    found = view.describe("Address", "AllocationIds", ADDRESS_FILTERS)
    ips = view.params.get("PublicIps")
    if ips:
        unknown = [ip for ip in ips if ip not in {a.fields["PublicIp"] for a in found}]
        if unknown:  # AWS's wording
            raise invalid(f"Address '{unknown[0]}' not found.", "InvalidAddress.NotFound")
        found = [a for a in found if a.fields["PublicIp"] in ips]
    return {"Addresses": [public(a) for a in found]}


@ec2_operation
def associate_address(view: Ec2) -> dict[str, Any]:
    from .interfaces import primary_interface

    address = _address(view)
    instance_id, eni_id = view.params.get("InstanceId"), view.params.get("NetworkInterfaceId")
    if instance_id:
        eni = primary_interface(view, view.get("Instance", instance_id))
    elif eni_id:
        eni = view.get("NetworkInterface", eni_id)
    else:
        raise invalid("Either an instance ID or a network interface ID must be specified", "MissingParameter")
    if address.fields.get("AssociationId") and address.fields.get("NetworkInterfaceId") != eni.id:
        if not view.params.get("AllowReassociation"):  # AWS's wording
            raise invalid(f"resource {address.id} is already associated with associate-id "
                          f"{address.fields['AssociationId']}", "Resource.AlreadyAssociated")
        _disassociate(view, address)
    private = view.params.get("PrivateIpAddress") or eni.fields["PrivateIpAddress"]
    association_id = new_id("eipassoc")
    attached = (eni.fields.get("Attachment") or {}).get("InstanceId")
    address.fields.update({"AssociationId": association_id, "NetworkInterfaceId": eni.id,
                           "NetworkInterfaceOwnerId": view.account, "PrivateIpAddress": private,
                           **({"InstanceId": attached} if attached else {})})
    set_interface_public_ip(view, eni, address.fields["PublicIp"], address.id)
    return {"AssociationId": association_id}


def set_interface_public_ip(view: Ec2, eni: Record, ip: str | None, allocation_id: str | None = None) -> None:
    """An interface's (and its instance's) public address."""
    from .network import dns_names

    if ip:
        eni.fields["Association"] = {"PublicIp": ip, "IpOwnerId": view.account if allocation_id else "amazon",
                                     "PublicDnsName": dns_names(view.region, None, ip)[1],
                                     **({"AllocationId": allocation_id} if allocation_id else {})}
    else:
        eni.fields.pop("Association", None)
    attachment = eni.fields.get("Attachment") or {}
    instance = view.find("Instance", attachment.get("InstanceId")) if attachment.get("InstanceId") else None
    if instance is not None and attachment.get("DeviceIndex") == 0:
        from .instances import set_public_ip

        set_public_ip(view, instance, ip)


def _disassociate(view: Ec2, address: Record) -> None:
    eni = view.find("NetworkInterface", address.fields.get("NetworkInterfaceId"))
    for key in ("AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId", "PrivateIpAddress", "InstanceId"):
        address.fields.pop(key, None)
    if eni is not None:
        set_interface_public_ip(view, eni, None)


def release_for_interface(view: Ec2, eni_id: str) -> None:
    """Disassociate the addresses of an interface going away."""
    for address in view.all("Address"):
        if address.fields.get("NetworkInterfaceId") == eni_id:
            _disassociate(view, address)


@ec2_operation
def disassociate_address(view: Ec2) -> dict[str, Any]:
    wanted = view.params.get("AssociationId")
    ip = view.params.get("PublicIp")
    address = next((a for a in view.all("Address") if (wanted and a.fields.get("AssociationId") == wanted)
                    or (ip and a.fields["PublicIp"] == ip)), None)
    if address is None:  # AWS's wording
        raise invalid(f"The association ID '{wanted}' does not exist", "InvalidAssociationID.NotFound")
    _disassociate(view, address)
    return {}


@ec2_operation
def release_address(view: Ec2) -> dict[str, Any]:
    address = _address(view)
    if address.fields.get("AssociationId") or any(
            any(a.get("AllocationId") == address.id for a in n.fields["NatGatewayAddresses"])
            and n.fields["State"] not in ("deleted", "deleting") for n in view.all("NatGateway")):
        # AWS's wording not documented
        raise invalid(f"The address with allocation id [{address.id}] is in use.", "InvalidIPAddress.InUse")
    view.remove("Address", address.id)
    return {}


# -- NAT gateways ------------------------------------------------------------------------------------------
@ec2_operation
def create_nat_gateway(view: Ec2) -> dict[str, Any]:
    from .interfaces import new_interface

    subnet = view.get("Subnet", view.params.get("SubnetId"))
    connectivity = view.params.get("ConnectivityType") or "public"
    allocation_id = view.params.get("AllocationId")
    address = view.get("Address", allocation_id) if allocation_id else None
    if connectivity == "public" and address is None:  # AWS's wording
        raise invalid("Public NAT gateways require an Elastic IP address (AllocationId).", "MissingParameter")
    if address is not None and (address.fields.get("AssociationId") or any(
            any(a.get("AllocationId") == address.id for a in n.fields["NatGatewayAddresses"])
            and n.fields["State"] not in ("deleted", "deleting") for n in view.all("NatGateway"))):
        raise invalid(f"Elastic IP address [{address.id}] is already associated", "Resource.AlreadyAssociated")
    nat_id = new_id("nat")
    eni = new_interface(view, subnet, [], f"Interface for NAT Gateway {nat_id}", {},
                        view.params.get("PrivateIpAddress"), interface_type="nat_gateway")
    eni.fields["RequesterManaged"] = True
    eni.fields["Status"] = "in-use"
    entry = {"NetworkInterfaceId": eni.id, "PrivateIp": eni.fields["PrivateIpAddress"], "IsPrimary": True,
             "Status": "succeeded"}
    if address is not None:
        entry.update({"AllocationId": address.id, "PublicIp": address.fields["PublicIp"]})
        address.fields.update({"AssociationId": new_id("eipassoc"), "NetworkInterfaceId": eni.id,
                               "NetworkInterfaceOwnerId": view.account,
                               "PrivateIpAddress": eni.fields["PrivateIpAddress"]})
    nat = view.add("NatGateway", nat_id, {
        "NatGatewayId": nat_id, "SubnetId": subnet.id, "VpcId": subnet.fields["VpcId"], "State": "pending",
        "CreateTime": view.now, "ConnectivityType": connectivity, "NatGatewayAddresses": [entry],
    }, tags_for(view.params, "natgateway"))
    view.schedule(nat, "State", "available")
    return {"ClientToken": view.params.get("ClientToken"), "NatGateway": public(nat)}


@ec2_operation
def describe_nat_gateways(view: Ec2) -> dict[str, Any]:
    found = view.describe("NatGateway", "NatGatewayIds", NAT_FILTERS, filters_param="Filter")
    page, token = view.page([public(n) for n in found], ids_param="NatGatewayIds")
    return {"NatGateways": page, "NextToken": token}


@ec2_operation
def delete_nat_gateway(view: Ec2) -> dict[str, Any]:
    nat = view.get("NatGateway", view.params.get("NatGatewayId"))
    if nat.fields["State"] not in ("deleting", "deleted"):
        nat.fields.pop("_pending", None)
        nat.fields["State"] = "deleting"
        nat.fields["DeleteTime"] = view.now
        view.schedule(nat, "State", "deleted", then="nat-deleted")
    return {"NatGatewayId": nat.id}


def _nat_deleted(view: Ec2, nat: Record) -> None:
    """A deleted NAT gateway gives back its interface and elastic IP."""
    from .network import release_ip

    for entry in nat.fields["NatGatewayAddresses"]:
        eni = view.find("NetworkInterface", entry.get("NetworkInterfaceId"))
        if eni is not None:
            release_ip(view, eni.fields["SubnetId"], eni.fields["PrivateIpAddress"])
            view.remove("NetworkInterface", eni.id)
        address = view.find("Address", entry.get("AllocationId"))
        if address is not None:
            for key in ("AssociationId", "NetworkInterfaceId", "NetworkInterfaceOwnerId", "PrivateIpAddress"):
                address.fields.pop(key, None)


AFTER["nat-deleted"] = _nat_deleted
