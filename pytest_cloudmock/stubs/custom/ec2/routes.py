"""Route tables: the main one of each VPC, routes (local, to gateways, NAT gateways, interfaces,
instances), subnet and gateway associations."""

from __future__ import annotations

from typing import Any

from ...records import Record
from .common import Ec2, ec2_operation, invalid, network, new_id, public, tags_for
from .filters import field

TARGETS = {  # route member -> the rtype it names
    "GatewayId": "InternetGateway", "NatGatewayId": "NatGateway", "NetworkInterfaceId": "NetworkInterface",
    "InstanceId": "Instance",
}
OTHER_TARGETS = ("VpcPeeringConnectionId", "TransitGatewayId", "EgressOnlyInternetGatewayId",
                 "CarrierGatewayId", "LocalGatewayId", "VpcEndpointId", "CoreNetworkArn")
FILTERS = {
    "route-table-id": field("RouteTableId"), "vpc-id": field("VpcId"), "owner-id": field("OwnerId"),
    "association.main": field("Associations", "Main"), "association.subnet-id": field("Associations", "SubnetId"),
    "association.route-table-association-id": field("Associations", "RouteTableAssociationId"),
    "association.route-table-id": field("Associations", "RouteTableId"),
    "association.gateway-id": field("Associations", "GatewayId"),
    "route.destination-cidr-block": field("Routes", "DestinationCidrBlock"),
    "route.gateway-id": field("Routes", "GatewayId"), "route.nat-gateway-id": field("Routes", "NatGatewayId"),
    "route.instance-id": field("Routes", "InstanceId"), "route.state": field("Routes", "State"),
    "route.origin": field("Routes", "Origin"),
}


def new_route_table(view: Ec2, vpc_id: str, main: bool = False, tags: dict[str, str] | None = None) -> Record:
    from .network import vpc_blocks

    table_id = new_id("rtb")
    vpc = view.get("Vpc", vpc_id)
    routes = [{"DestinationCidrBlock": str(b), "GatewayId": "local", "Origin": "CreateRouteTable",
               "State": "active"} for b in vpc_blocks(vpc)]
    associations = [_association(table_id, Main=True)] if main else []
    return view.add("RouteTable", table_id, {
        "RouteTableId": table_id, "VpcId": vpc_id, "OwnerId": view.account, "Routes": routes,
        "Associations": associations, "PropagatingVgws": []}, tags)


def _association(table_id: str, **target: Any) -> dict[str, Any]:
    return {"Main": False, **target, "RouteTableAssociationId": new_id("rtbassoc"), "RouteTableId": table_id,
            "AssociationState": {"State": "associated"}}


def main_table(view: Ec2, vpc_id: str) -> Record | None:
    return next((t for t in view.all("RouteTable") if t.fields["VpcId"] == vpc_id
                 and any(a.get("Main") for a in t.fields["Associations"])), None)


def add_route(table: Record | None, route: dict[str, Any]) -> None:
    if table is not None:
        table.fields["Routes"].append(route)


@ec2_operation
def create_route_table(view: Ec2) -> dict[str, Any]:
    vpc = view.get("Vpc", view.params.get("VpcId"))
    return {"RouteTable": public(new_route_table(view, vpc.id, tags=tags_for(view.params, "route-table")))}


@ec2_operation
def describe_route_tables(view: Ec2) -> dict[str, Any]:
    found = view.describe("RouteTable", "RouteTableIds", FILTERS)
    page, token = view.page([public(t) for t in found], ids_param="RouteTableIds")
    return {"RouteTables": page, "NextToken": token}


@ec2_operation
def delete_route_table(view: Ec2) -> dict[str, Any]:
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    if table.fields["Associations"]:  # AWS's wording
        raise invalid(f"The routeTable '{table.id}' has dependencies and cannot be deleted.",
                      "DependencyViolation")
    view.remove("RouteTable", table.id)
    return {}


def _destination(view: Ec2) -> tuple[str, str]:
    for member in ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"):
        value = view.params.get(member)
        if value:
            if member == "DestinationCidrBlock":
                value = str(network(value, "destinationCidrBlock"))
            return member, value
    raise invalid("The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock "
                  "or destinationPrefixListId", "MissingParameter")


def _target(view: Ec2, table: Record) -> dict[str, Any]:
    """The route's target from the request (exactly one; must exist and be in the table's VPC)."""
    given = {m: view.params[m] for m in (*TARGETS, *OTHER_TARGETS) if view.params.get(m)}
    if len(given) != 1:  # AWS's wording
        raise invalid("The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, "
                      "vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, "
                      "localGatewayId, carrierGatewayId, instanceId, vpcEndpointId or coreNetworkArn",
                      "InvalidParameterCombination" if given else "MissingParameter")
    (member, value), = given.items()
    rtype = TARGETS.get(member)
    if rtype == "InternetGateway" and value.startswith("vgw-"):
        rtype = None
    if rtype is not None:
        target = view.get(rtype, value)
        vpc_ids = {a["VpcId"] for a in target.fields.get("Attachments", [])} if rtype == "InternetGateway" \
            else {target.fields.get("VpcId")}
        if table.fields["VpcId"] not in vpc_ids:  # AWS's wording
            raise invalid(f"route table {table.id} and network gateway {value} belong to different networks")
    route = {member: value}
    if member == "NetworkInterfaceId":
        route["InstanceId"] = (view.get("NetworkInterface", value).fields.get("Attachment") or {}).get("InstanceId")
    if member == "InstanceId":
        route["NetworkInterfaceId"] = view.get("Instance", value).fields["NetworkInterfaces"][0]["NetworkInterfaceId"]
    return {k: v for k, v in route.items() if v}


@ec2_operation
def create_route(view: Ec2) -> dict[str, Any]:
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    member, destination = _destination(view)
    if any(r.get(member) == destination for r in table.fields["Routes"]):  # AWS's wording
        raise invalid(f"The route identified by {destination} already exists.", "RouteAlreadyExists")
    route = {member: destination, **_target(view, table), "Origin": "CreateRoute", "State": "active"}
    table.fields["Routes"].append(route)
    return {"Return": True}


def _route(view: Ec2, table: Record) -> tuple[int, dict[str, Any]]:
    member, destination = _destination(view)
    for i, route in enumerate(table.fields["Routes"]):
        if route.get(member) == destination:
            if route.get("GatewayId") == "local":  # AWS's wording
                raise invalid(f"cannot remove local route {destination} in route table {table.id}")
            return i, route
    name = {"DestinationCidrBlock": "destination-cidr-block", "DestinationIpv6CidrBlock":
            "destination-ipv6-cidr-block"}.get(member, "destination-prefix-list-id")
    raise invalid(f"no route with {name} {destination} in route table {table.id}", "InvalidRoute.NotFound")


@ec2_operation
def replace_route(view: Ec2) -> dict[str, Any]:
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    i, route = _route(view, table)
    member, destination = _destination(view)
    table.fields["Routes"][i] = {member: destination, **_target(view, table), "Origin": "CreateRoute",
                                 "State": "active"}
    return {}


@ec2_operation
def delete_route(view: Ec2) -> dict[str, Any]:
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    i, _ = _route(view, table)
    del table.fields["Routes"][i]
    return {}


def _find_association(view: Ec2, association_id: Any) -> tuple[Record, dict[str, Any]]:
    for table in view.all("RouteTable"):
        for association in table.fields["Associations"]:
            if association["RouteTableAssociationId"] == association_id:
                return table, association
    raise invalid(f"The association ID '{association_id}' does not exist", "InvalidAssociationID.NotFound")


@ec2_operation
def associate_route_table(view: Ec2) -> dict[str, Any]:
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    subnet_id, gateway_id = view.params.get("SubnetId"), view.params.get("GatewayId")
    if bool(subnet_id) == bool(gateway_id):
        raise invalid("Either a subnet ID or a gateway ID must be specified, but not both.",
                      "InvalidParameterCombination" if subnet_id else "MissingParameter")
    target = {"SubnetId": view.get("Subnet", subnet_id).id} if subnet_id else \
        {"GatewayId": view.get("InternetGateway", gateway_id).id}
    owner = view.get("Subnet", subnet_id).fields["VpcId"] if subnet_id else table.fields["VpcId"]
    if owner != table.fields["VpcId"]:  # AWS's wording
        raise invalid(f"Route table {table.id} and subnet {subnet_id} belong to different networks")
    for other in view.all("RouteTable"):
        if any(a.get("SubnetId") == subnet_id and subnet_id for a in other.fields["Associations"]):
            raise invalid(f"the specified association for route table {table.id} conflicts with an existing "
                          "association", "Resource.AlreadyAssociated")
    association = _association(table.id, **target)
    table.fields["Associations"].append(association)
    return {"AssociationId": association["RouteTableAssociationId"],
            "AssociationState": association["AssociationState"]}


@ec2_operation
def disassociate_route_table(view: Ec2) -> dict[str, Any]:
    table, association = _find_association(view, view.params.get("AssociationId"))
    if association.get("Main"):  # AWS's wording
        raise invalid(f"cannot disassociate the main route table association {association['RouteTableAssociationId']}")
    table.fields["Associations"].remove(association)
    return {}


@ec2_operation
def replace_route_table_association(view: Ec2) -> dict[str, Any]:
    old_table, association = _find_association(view, view.params.get("AssociationId"))
    table = view.get("RouteTable", view.params.get("RouteTableId"))
    if table.fields["VpcId"] != old_table.fields["VpcId"]:
        raise invalid(f"Route table {table.id} and association {association['RouteTableAssociationId']} "
                      "belong to different networks")
    old_table.fields["Associations"].remove(association)
    target = {k: association[k] for k in ("SubnetId", "GatewayId") if k in association}
    moved = _association(table.id, Main=association.get("Main", False), **target)
    table.fields["Associations"].append(moved)
    return {"NewAssociationId": moved["RouteTableAssociationId"], "AssociationState": moved["AssociationState"]}
