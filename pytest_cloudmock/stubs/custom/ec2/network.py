"""Regions, availability zones, VPCs (attributes, secondary CIDRs), subnets and the private
addresses they hand out, and the default VPC an account/region starts with."""

from __future__ import annotations

import ipaddress
from typing import Any

from ....api import AWSError
from ...records import Record
from .common import Ec2, ec2_operation, invalid, network, new_id, public, tags_for, zones
from .filters import field, matcher

# The regions EC2 reports for a standard account (none of them opt-in).
REGIONS = (
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
)
DEFAULT_CIDR = "172.31.0.0/16"
# AWS keeps the first four addresses and the last one of every subnet.
RESERVED_LOW, RESERVED_HIGH = 4, 1


# -- regions and zones --------------------------------------------------------------------------------
def _region(name: str) -> dict[str, str]:
    return {"Endpoint": f"ec2.{name}.amazonaws.com", "RegionName": name, "OptInStatus": "opt-in-not-required"}


@ec2_operation
def describe_regions(view: Ec2) -> dict[str, Any]:
    names = view.params.get("RegionNames") or []
    for name in names:
        if name not in REGIONS:  # AWS's exact wording for an unknown region is not documented
            raise invalid(f"Invalid region: {name}")
    items = [_region(n) for n in REGIONS if not names or n in names]
    test = _matcher(view, {"region-name": field("RegionName"), "endpoint": field("Endpoint"),
                           "opt-in-status": field("OptInStatus")})
    return {"Regions": [r for r in items if test(r, {})]}


def _matcher(view: Ec2, getters: dict[str, Any]) -> Any:
    return matcher(view.params.get("Filters"), getters)


def zone_items(region: str) -> list[dict[str, Any]]:
    return [{"OptInStatus": "opt-in-not-required", "Messages": [], "RegionName": region, "ZoneName": name,
             "ZoneId": zone_id, "GroupName": region, "NetworkBorderGroup": region,
             "ZoneType": "availability-zone", "GroupLongName": region, "State": "available"}
            for name, zone_id in zones(region)]


@ec2_operation
def describe_availability_zones(view: Ec2) -> dict[str, Any]:
    items = zone_items(view.region)
    for param, key in (("ZoneNames", "ZoneName"), ("ZoneIds", "ZoneId")):
        wanted = view.params.get(param) or []
        known = {z[key] for z in items}
        unknown = [w for w in wanted if w not in known]
        if unknown:  # AWS's wording not documented
            raise invalid(f"The zone '{unknown[0]}' does not exist.")
        if wanted:
            items = [z for z in items if z[key] in wanted]
    test = _matcher(view, {
        "zone-name": field("ZoneName"), "zone-id": field("ZoneId"), "state": field("State"),
        "region-name": field("RegionName"), "zone-type": field("ZoneType"), "group-name": field("GroupName"),
        "opt-in-status": field("OptInStatus"), "network-border-group": field("NetworkBorderGroup")})
    return {"AvailabilityZones": [z for z in items if test(z, {})]}


def zone_of(view: Ec2, name: str | None, zone_id: str | None) -> tuple[str, str]:
    """(name, id) of the zone a request names (the region's first one if none)."""
    known = zones(view.region)
    if not name and not zone_id:
        return known[0]
    for zone in known:
        if name in (zone[0], None) and zone_id in (zone[1], None):
            return zone
    member, value = ("availabilityZone", name) if name else ("availabilityZoneId", zone_id)
    listed = ", ".join(z[0] if name else z[1] for z in known)
    raise invalid(f"Value ({value}) for parameter {member} is invalid. "
                  f"Subnets can currently only be created in the following availability zones: {listed}.")


# -- VPCs ------------------------------------------------------------------------------------------------
VPC_FILTERS = {
    "vpc-id": field("VpcId"), "cidr": field("CidrBlock"), "cidr-block-association.cidr-block":
    field("CidrBlockAssociationSet", "CidrBlock"), "cidr-block-association.association-id":
    field("CidrBlockAssociationSet", "AssociationId"), "cidr-block-association.state":
    field("CidrBlockAssociationSet", "CidrBlockState", "State"), "dhcp-options-id": field("DhcpOptionsId"),
    "is-default": field("IsDefault"), "owner-id": field("OwnerId"), "state": field("State"),
    "instance-tenancy": field("InstanceTenancy"),
}
ATTRIBUTES = {"enableDnsSupport": "EnableDnsSupport", "enableDnsHostnames": "EnableDnsHostnames",
              "enableNetworkAddressUsageMetrics": "EnableNetworkAddressUsageMetrics"}


def vpc_block(cidr: Any, kind: str = "Vpc") -> ipaddress.IPv4Network:
    """A VPC or subnet block: a CIDR between /16 and /28 (`InvalidVpc.Range`/`InvalidSubnet.Range`)."""
    block = network(cidr)
    if not 16 <= block.prefixlen <= 28:
        raise invalid(f"The CIDR '{cidr}' is invalid.", f"Invalid{kind}.Range")
    return block


def _association(cidr: str) -> dict[str, Any]:
    return {"AssociationId": new_id("vpc-cidr-assoc"), "CidrBlock": cidr,
            "CidrBlockState": {"State": "associated"}}


def new_vpc(view: Ec2, cidr: str, tags: dict[str, str], default: bool = False,
            tenancy: str = "default") -> Record:
    """A VPC with its default security group and main route table."""
    from .routes import new_route_table
    from .security_groups import new_group

    vpc_id = new_id("vpc")
    fields = {
        "VpcId": vpc_id, "CidrBlock": cidr, "State": "available", "DhcpOptionsId": _dhcp_options(view),
        "InstanceTenancy": tenancy, "IsDefault": default, "OwnerId": view.account,
        "CidrBlockAssociationSet": [_association(cidr)], "BlockPublicAccessStates":
        {"InternetGatewayBlockMode": "off"},
        "_attributes": {"EnableDnsSupport": True, "EnableDnsHostnames": default,
                        "EnableNetworkAddressUsageMetrics": False},
    }
    vpc = view.add("Vpc", vpc_id, fields, tags)
    new_group(view, vpc_id, "default", "default VPC security group", default=True)
    new_route_table(view, vpc_id, main=True)
    return vpc


def _dhcp_options(view: Ec2) -> str:
    options = view.state.setting("ec2").setdefault("dhcp", {})
    return options.setdefault("id", new_id("dopt"))


def make_default_vpc(view: Ec2) -> Record:
    """The default VPC: 172.31.0.0/16, a /20 default subnet per zone (public addresses on), an
    attached internet gateway and a default route to it in the main route table."""
    from .gateways import new_internet_gateway
    from .routes import add_route, main_table

    vpc = new_vpc(view, DEFAULT_CIDR, {}, default=True)
    gateway = new_internet_gateway(view, {})
    gateway.fields["Attachments"] = [{"VpcId": vpc.id, "State": "available"}]
    add_route(main_table(view, vpc.id), {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gateway.id,
                                         "Origin": "CreateRoute", "State": "active"})
    blocks = ipaddress.IPv4Network(DEFAULT_CIDR).subnets(new_prefix=20)
    for (zone, zone_id), block in zip(zones(view.region), blocks, strict=False):
        new_subnet(view, vpc, block, zone, zone_id, {}, default=True)
    return vpc


def default_vpc(view: Ec2) -> Record | None:
    return next((v for v in view.all("Vpc") if v.fields.get("IsDefault")), None)


def vpc_blocks(vpc: Record) -> list[ipaddress.IPv4Network]:
    return [ipaddress.IPv4Network(a["CidrBlock"]) for a in vpc.fields.get("CidrBlockAssociationSet", [])
            if a.get("CidrBlockState", {}).get("State") == "associated"]


@ec2_operation
def create_vpc(view: Ec2) -> dict[str, Any]:
    cidr = view.params.get("CidrBlock")
    if not cidr:  # an IPAM pool allocation is not served; AWS's wording not documented
        raise AWSError("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
    block = vpc_block(cidr)
    vpc = new_vpc(view, str(block), tags_for(view.params, "vpc"),
                  tenancy=view.params.get("InstanceTenancy") or "default")
    return {"Vpc": public(vpc)}


@ec2_operation
def create_default_vpc(view: Ec2) -> dict[str, Any]:
    if default_vpc(view) is not None:  # AWS's wording
        raise invalid("A Default VPC already exists for this account in this region.", "DefaultVpcAlreadyExists")
    return {"Vpc": public(make_default_vpc(view))}


@ec2_operation
def describe_vpcs(view: Ec2) -> dict[str, Any]:
    found = view.describe("Vpc", "VpcIds", VPC_FILTERS)
    page, token = view.page([public(v) for v in found], ids_param="VpcIds")
    return {"Vpcs": page, "NextToken": token}


@ec2_operation
def delete_vpc(view: Ec2) -> dict[str, Any]:
    from .routes import main_table

    vpc = view.get("Vpc", view.params.get("VpcId"))
    main = main_table(view, vpc.id)
    depends = (
        [s for s in view.all("Subnet") if s.fields["VpcId"] == vpc.id]
        + [g for g in view.all("SecurityGroup") if g.fields["VpcId"] == vpc.id and g.fields["GroupName"] != "default"]
        + [t for t in view.all("RouteTable") if t.fields["VpcId"] == vpc.id and t is not main]
        + [g for g in view.all("InternetGateway") if any(a["VpcId"] == vpc.id for a in g.fields["Attachments"])]
    )
    if depends:  # AWS's wording
        raise invalid(f"The vpc '{vpc.id}' has dependencies and cannot be deleted.", "DependencyViolation")
    for group in [g for g in view.all("SecurityGroup") if g.fields["VpcId"] == vpc.id]:
        view.remove("SecurityGroup", group.id)
    if main is not None:
        view.remove("RouteTable", main.id)
    view.remove("Vpc", vpc.id)
    return {}


@ec2_operation
def describe_vpc_attribute(view: Ec2) -> dict[str, Any]:
    vpc = view.get("Vpc", view.params.get("VpcId"))
    name = ATTRIBUTES.get(view.params.get("Attribute", ""))
    if name is None:
        raise invalid(f"Value ({view.params.get('Attribute')}) for parameter attribute is invalid. "
                      "Unknown attribute.")
    return {"VpcId": vpc.id, name: {"Value": vpc.fields["_attributes"][name]}}


@ec2_operation
def modify_vpc_attribute(view: Ec2) -> dict[str, Any]:
    vpc = view.get("Vpc", view.params.get("VpcId"))
    given = {name: view.params[name]["Value"] for name in ATTRIBUTES.values()
             if isinstance(view.params.get(name), dict) and "Value" in view.params[name]}
    if len(given) != 1:  # AWS's wording
        names = ", ".join(k[:1].lower() + k[1:] for k in given) or "none"
        raise invalid(f"Fields for multiple attribute types specified: {names}"
                      if given else "No attribute specified.", "InvalidParameterCombination")
    attributes = {**vpc.fields["_attributes"], **given}
    if attributes["EnableDnsHostnames"] and not attributes["EnableDnsSupport"]:  # AWS's wording not documented
        raise invalid("enableDnsHostnames can only be enabled when enableDnsSupport is enabled.")
    vpc.fields["_attributes"] = attributes
    return {}


@ec2_operation
def associate_vpc_cidr_block(view: Ec2) -> dict[str, Any]:
    vpc = view.get("Vpc", view.params.get("VpcId"))
    cidr = view.params.get("CidrBlock")
    if not cidr:
        raise AWSError("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
    block = vpc_block(cidr)
    blocks = vpc_blocks(vpc)
    if any(block.overlaps(b) for b in blocks):  # AWS's wording not documented (nor below)
        raise invalid(f"The CIDR '{cidr}' is invalid.", "InvalidVpc.Range")
    if len(blocks) >= 5:
        raise invalid(f"This network '{vpc.id}' has met its maximum number of allowed CIDRs: 5",
                      "CidrLimitExceeded")
    association = _association(str(block))
    vpc.fields["CidrBlockAssociationSet"].append(association)
    return {"VpcId": vpc.id, "CidrBlockAssociation": association}


@ec2_operation
def disassociate_vpc_cidr_block(view: Ec2) -> dict[str, Any]:
    wanted = view.params.get("AssociationId")
    for vpc in view.all("Vpc"):
        for association in vpc.fields["CidrBlockAssociationSet"]:
            if association["AssociationId"] != wanted:
                continue
            if association["CidrBlock"] == vpc.fields["CidrBlock"]:  # AWS's wording not documented
                raise invalid(f"The vpc CIDR block with association ID {wanted} may not be disassociated. "
                              "It is the primary IPv4 CIDR block of the VPC")
            block = ipaddress.IPv4Network(association["CidrBlock"])
            if any(ipaddress.IPv4Network(s.fields["CidrBlock"]).subnet_of(block) for s in view.all("Subnet")
                   if s.fields["VpcId"] == vpc.id):
                raise invalid(f"The vpc CIDR block with association ID {wanted} has dependencies and "
                              "cannot be disassociated.", "DependencyViolation")
            vpc.fields["CidrBlockAssociationSet"].remove(association)
            return {"VpcId": vpc.id, "CidrBlockAssociation": {
                **association, "CidrBlockState": {"State": "disassociating"}}}
    raise invalid(f"The vpc CIDR block association ID '{wanted}' does not exist",
                  "InvalidVpcCidrBlockAssociationID.NotFound")


# -- subnets ----------------------------------------------------------------------------------------------
SUBNET_FILTERS = {
    "subnet-id": field("SubnetId"), "vpc-id": field("VpcId"), "cidr-block": field("CidrBlock"),
    "cidr": field("CidrBlock"), "cidrBlock": field("CidrBlock"), "availability-zone": field("AvailabilityZone"),
    "availability-zone-id": field("AvailabilityZoneId"), "available-ip-address-count":
    field("AvailableIpAddressCount"), "default-for-az": field("DefaultForAz"), "defaultForAz":
    field("DefaultForAz"), "map-public-ip-on-launch": field("MapPublicIpOnLaunch"), "owner-id": field("OwnerId"),
    "state": field("State"), "subnet-arn": field("SubnetArn"),
}
SUBNET_ATTRIBUTES = ("MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation", "MapCustomerOwnedIpOnLaunch",
                     "EnableDns64", "EnableLniAtDeviceIndex")


def new_subnet(view: Ec2, vpc: Record, block: ipaddress.IPv4Network, zone: str, zone_id: str,
               tags: dict[str, str], default: bool = False) -> Record:
    subnet_id = new_id("subnet")
    fields = {
        "SubnetId": subnet_id, "SubnetArn": view.arn("Subnet", subnet_id), "VpcId": vpc.id,
        "CidrBlock": str(block), "AvailabilityZone": zone, "AvailabilityZoneId": zone_id,
        "AvailableIpAddressCount": block.num_addresses - RESERVED_LOW - RESERVED_HIGH, "State": "available",
        "DefaultForAz": default, "MapPublicIpOnLaunch": default, "MapCustomerOwnedIpOnLaunch": False,
        "AssignIpv6AddressOnCreation": False, "Ipv6CidrBlockAssociationSet": [], "EnableDns64": False,
        "Ipv6Native": False, "OwnerId": view.account, "BlockPublicAccessStates":
        {"InternetGatewayBlockMode": "off"}, "PrivateDnsNameOptionsOnLaunch": {
            "HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
            "EnableResourceNameDnsAAAARecord": False},
        "_used": [],
    }
    return view.add("Subnet", subnet_id, fields, tags)


@ec2_operation
def create_subnet(view: Ec2) -> dict[str, Any]:
    vpc = view.get("Vpc", view.params.get("VpcId"))
    cidr = view.params.get("CidrBlock")
    if not cidr:
        raise AWSError("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
    block = network(cidr)
    if not 16 <= block.prefixlen <= 28 or not any(block.subnet_of(b) for b in vpc_blocks(vpc)):
        raise invalid(f"The CIDR '{cidr}' is invalid.", "InvalidSubnet.Range")
    for other in view.all("Subnet"):
        if other.fields["VpcId"] == vpc.id and block.overlaps(ipaddress.IPv4Network(other.fields["CidrBlock"])):
            raise invalid(f"The CIDR '{cidr}' conflicts with another subnet", "InvalidSubnet.Conflict")
    zone, zone_id = zone_of(view, view.params.get("AvailabilityZone"), view.params.get("AvailabilityZoneId"))
    return {"Subnet": public(new_subnet(view, vpc, block, zone, zone_id, tags_for(view.params, "subnet")))}


@ec2_operation
def describe_subnets(view: Ec2) -> dict[str, Any]:
    found = view.describe("Subnet", "SubnetIds", SUBNET_FILTERS)
    page, token = view.page([public(s) for s in found], ids_param="SubnetIds")
    return {"Subnets": page, "NextToken": token}


@ec2_operation
def modify_subnet_attribute(view: Ec2) -> dict[str, Any]:
    subnet = view.get("Subnet", view.params.get("SubnetId"))
    for name in SUBNET_ATTRIBUTES:
        value = view.params.get(name)
        if isinstance(value, dict) and "Value" in value:
            subnet.fields[name] = bool(value["Value"])
    return {}


@ec2_operation
def delete_subnet(view: Ec2) -> dict[str, Any]:
    subnet = view.get("Subnet", view.params.get("SubnetId"))
    if any(e.fields["SubnetId"] == subnet.id for e in view.all("NetworkInterface")) or any(
            n.fields["SubnetId"] == subnet.id and n.fields["State"] not in ("deleted", "deleting")
            for n in view.all("NatGateway")):  # AWS's wording
        raise invalid(f"The subnet '{subnet.id}' has dependencies and cannot be deleted.", "DependencyViolation")
    for table in view.all("RouteTable"):
        table.fields["Associations"] = [a for a in table.fields["Associations"] if a.get("SubnetId") != subnet.id]
    view.remove("Subnet", subnet.id)
    return {}


# -- private addresses ---------------------------------------------------------------------------------
def allocate_ip(view: Ec2, subnet: Record, wanted: str | None = None) -> str:
    """A free private address of the subnet (the one asked for, if free)."""
    block = ipaddress.IPv4Network(subnet.fields["CidrBlock"])
    used = subnet.fields.setdefault("_used", [])
    if wanted:
        try:
            address = ipaddress.IPv4Address(wanted)
        except ValueError:
            raise invalid(f"Invalid value '{wanted}' for IP address.") from None  # AWS's wording not documented
        offset = int(address) - int(block.network_address)
        if address not in block or not RESERVED_LOW <= offset < block.num_addresses - RESERVED_HIGH:
            raise invalid(f"Address {wanted} does not fall within the subnet's address range")
        if wanted in used:
            raise invalid(f"Address {wanted} is in use.", "InvalidIPAddress.InUse")
        chosen = wanted
    else:
        taken = set(used)
        base = int(block.network_address)
        chosen = next((str(ipaddress.IPv4Address(base + i))
                       for i in range(RESERVED_LOW, block.num_addresses - RESERVED_HIGH)
                       if str(ipaddress.IPv4Address(base + i)) not in taken), "")
        if not chosen:  # AWS's wording not documented
            raise invalid(f"There are not enough free addresses in subnet '{subnet.id}' to satisfy the "
                          "requested number of instances.", "InsufficientFreeAddressesInSubnet")
    used.append(chosen)
    subnet.fields["AvailableIpAddressCount"] -= 1
    return chosen


def release_ip(view: Ec2, subnet_id: str, address: str | None) -> None:
    subnet = view.find("Subnet", subnet_id)
    if subnet is not None and address in subnet.fields.get("_used", []):
        subnet.fields["_used"].remove(address)
        subnet.fields["AvailableIpAddressCount"] += 1


def public_ip(view: Ec2) -> str:
    """A public address from AWS's ranges (never one in use in this account/region)."""
    pool = view.state.setting("ec2").setdefault("public", {"next": 0})
    pool["next"] += 1
    n = pool["next"]
    return f"3.{80 + n // 65536 % 100}.{n // 256 % 256}.{n % 256}"


def dns_names(region: str, private: str | None, public_address: str | None) -> tuple[str, str]:
    """(private, public) DNS names as EC2 writes them in this region."""
    internal = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
    outside = "compute-1.amazonaws.com" if region == "us-east-1" else f"{region}.compute.amazonaws.com"
    name = f"ip-{private.replace('.', '-')}.{internal}" if private else ""
    return name, (f"ec2-{public_address.replace('.', '-')}.{outside}" if public_address else "")



@ec2_operation
def describe_account_attributes(view: Ec2) -> dict[str, Any]:
    """The account's platform and default VPC, with EC2's default limits for new accounts."""
    vpc = default_vpc(view)
    values = {"supported-platforms": ["VPC"], "default-vpc": [vpc.id if vpc else "none"],
              "max-instances": ["20"], "vpc-max-security-groups-per-interface": ["5"],
              "max-elastic-ips": ["5"], "vpc-max-elastic-ips": ["5"]}
    wanted = view.params.get("AttributeNames") or list(values)
    return {"AccountAttributes": [
        {"AttributeName": name, "AttributeValues": [{"AttributeValue": v} for v in values[name]]}
        for name in wanted if name in values]}


@ec2_operation
def create_default_subnet(view: Ec2) -> dict[str, Any]:
    """A default subnet for a zone that has none: the next free /20 of the default VPC."""
    vpc = default_vpc(view)
    if vpc is None:  # AWS's wording
        raise AWSError("DefaultVpcDoesNotExist", "No default VPC exists for this account in this region.")
    zone, zone_id = zone_of(view, view.params.get("AvailabilityZone"), view.params.get("AvailabilityZoneId"))
    subnets = [s for s in view.all("Subnet") if s.fields["VpcId"] == vpc.id]
    if any(s.fields["DefaultForAz"] and s.fields["AvailabilityZone"] == zone for s in subnets):
        raise invalid(f"A default subnet already exists in {zone}.", "DefaultSubnetAlreadyExistsInAvailabilityZone")
    taken = [ipaddress.IPv4Network(s.fields["CidrBlock"]) for s in subnets]
    block = next((b for b in ipaddress.IPv4Network(vpc.fields["CidrBlock"]).subnets(new_prefix=20)
                  if not any(b.overlaps(t) for t in taken)), None)
    if block is None:  # AWS's wording not documented
        raise invalid(f"The default VPC {vpc.id} has no free /20 block for a default subnet.",
                      "InsufficientFreeAddressesInSubnet")
    return {"Subnet": public(new_subnet(view, vpc, block, zone, zone_id, {}, default=True))}
