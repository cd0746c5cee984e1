"""Route tables, internet and NAT gateways, elastic IPs and network interfaces."""

from __future__ import annotations

from tests.services.aws_errors import error_of


def _igw(ec2, vpc):
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc["VpcId"])
    return gateway


def test_internet_gateway_attach_and_detach(ec2, vpc):
    gateway = ec2.create_internet_gateway(TagSpecifications=[
        {"ResourceType": "internet-gateway", "Tags": [{"Key": "n", "Value": "1"}]}])["InternetGateway"]
    gateway_id, vpc_id = gateway["InternetGatewayId"], vpc["VpcId"]
    assert gateway["Attachments"] == [] and gateway["Tags"] == [{"Key": "n", "Value": "1"}]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert error_of(ec2.attach_internet_gateway, InternetGatewayId=gateway_id, VpcId=vpc_id) == (
        "Resource.AlreadyAssociated", f"resource {gateway_id} is already attached to network {vpc_id}")
    found = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    assert [g["InternetGatewayId"] for g in found["InternetGateways"]] == [gateway_id]
    assert error_of(ec2.delete_internet_gateway, InternetGatewayId=gateway_id)[0] == "DependencyViolation"
    assert error_of(ec2.delete_vpc, VpcId=vpc_id)[0] == "DependencyViolation"
    ec2.detach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    assert error_of(ec2.detach_internet_gateway, InternetGatewayId=gateway_id, VpcId=vpc_id) == (
        "Gateway.NotAttached", f"resource {gateway_id} is not attached to network {vpc_id}")
    ec2.delete_internet_gateway(InternetGatewayId=gateway_id)
    assert error_of(ec2.describe_internet_gateways, InternetGatewayIds=[gateway_id]) == (
        "InvalidInternetGatewayID.NotFound", f"The internetGateway ID '{gateway_id}' does not exist")


def test_routes_and_associations(ec2, vpc, subnet):
    gateway = _igw(ec2, vpc)
    table = ec2.create_route_table(VpcId=vpc["VpcId"])["RouteTable"]
    table_id = table["RouteTableId"]
    assert table["Associations"] == [] and table["Routes"][0]["GatewayId"] == "local"
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
    assert error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway) == (
        "RouteAlreadyExists", "The route identified by 0.0.0.0/0 already exists.")
    assert error_of(ec2.create_route, RouteTableId=table_id, DestinationCidrBlock="1.0.0.0/8",
                    GatewayId="igw-0123456789abcdef0")[0] == "InvalidInternetGatewayID.NotFound"
    association = ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet["SubnetId"])["AssociationId"]
    other = ec2.create_route_table(VpcId=vpc["VpcId"])["RouteTable"]["RouteTableId"]
    assert error_of(ec2.associate_route_table, RouteTableId=other, SubnetId=subnet["SubnetId"])[0] == \
        "Resource.AlreadyAssociated"
    found = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnet["SubnetId"]]}])
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [table_id]
    assert error_of(ec2.delete_route_table, RouteTableId=table_id)[0] == "DependencyViolation"
    moved = ec2.replace_route_table_association(AssociationId=association, RouteTableId=other)["NewAssociationId"]
    ec2.disassociate_route_table(AssociationId=moved)
    ec2.delete_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0")
    assert error_of(ec2.delete_route, RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0") == (
        "InvalidRoute.NotFound", f"no route with destination-cidr-block 0.0.0.0/0 in route table {table_id}")
    assert error_of(ec2.delete_route, RouteTableId=table_id, DestinationCidrBlock="10.0.0.0/16")[0] == \
        "InvalidParameterValue"
    ec2.delete_route_table(RouteTableId=table_id)
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
    assert error_of(ec2.delete_route_table, RouteTableId=main["RouteTableId"]) == (
        "DependencyViolation", f"The routeTable '{main['RouteTableId']}' has dependencies and cannot be deleted.")


def test_nat_gateway_states_on_the_clock(ec2, frozen, vpc, subnet):
    allocation = ec2.allocate_address(Domain="vpc")
    assert allocation["AllocationId"].startswith("eipalloc-") and allocation["Domain"] == "vpc"
    nat = ec2.create_nat_gateway(SubnetId=subnet["SubnetId"], AllocationId=allocation["AllocationId"])["NatGateway"]
    nat_id = nat["NatGatewayId"]
    assert nat["State"] == "pending" and nat["VpcId"] == vpc["VpcId"]
    assert nat["NatGatewayAddresses"][0]["PublicIp"] == allocation["PublicIp"]
    frozen.advance(1)
    assert ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"] == "available"
    assert ec2.describe_nat_gateways(Filter=[{"Name": "state", "Values": ["available"]}])["NatGateways"]
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
    assert error_of(ec2.release_address, AllocationId=allocation["AllocationId"])[0] == "InvalidIPAddress.InUse"
    assert error_of(ec2.delete_subnet, SubnetId=subnet["SubnetId"])[0] == "DependencyViolation"
    assert ec2.delete_nat_gateway(NatGatewayId=nat_id)["NatGatewayId"] == nat_id
    assert ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"] == "deleting"
    frozen.advance(1)
    assert ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]["State"] == "deleted"
    ec2.release_address(AllocationId=allocation["AllocationId"])
    ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    assert error_of(ec2.describe_nat_gateways, NatGatewayIds=["nat-0123456789abcdef0"])[0] == "NatGatewayNotFound"


def test_elastic_ips_follow_instances(ec2, frozen, ami):
    allocation = ec2.allocate_address(Domain="vpc")
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]
    association = ec2.associate_address(AllocationId=allocation["AllocationId"],
                                        InstanceId=instance["InstanceId"])["AssociationId"]
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert described["PublicIpAddress"] == allocation["PublicIp"]
    address, = ec2.describe_addresses(Filters=[{"Name": "instance-id", "Values": [instance["InstanceId"]]}])[
        "Addresses"]
    assert address["AssociationId"] == association and address["PrivateIpAddress"] == instance["PrivateIpAddress"]
    frozen.advance(1)
    ec2.stop_instances(InstanceIds=[instance["InstanceId"]])  # an elastic IP stays through a stop
    frozen.advance(1)
    assert ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0][
        "PublicIpAddress"] == allocation["PublicIp"]
    ec2.disassociate_address(AssociationId=association)
    assert "AssociationId" not in ec2.describe_addresses(PublicIps=[allocation["PublicIp"]])["Addresses"][0]
    ec2.release_address(AllocationId=allocation["AllocationId"])
    assert error_of(ec2.describe_addresses, AllocationIds=[allocation["AllocationId"]])[0] == \
        "InvalidAllocationID.NotFound"


def test_network_interfaces(ec2, ami, subnet):
    group = ec2.create_security_group(GroupName="eni", Description="d", VpcId=subnet["VpcId"])["GroupId"]
    eni = ec2.create_network_interface(SubnetId=subnet["SubnetId"], Groups=[group], Description="extra",
                                       PrivateIpAddress="10.0.1.100")["NetworkInterface"]
    assert eni["Status"] == "available" and eni["PrivateIpAddress"] == "10.0.1.100"
    assert eni["Groups"] == [{"GroupId": group, "GroupName": "eni"}] and eni["AvailabilityZone"] == "us-east-1a"
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SubnetId=subnet["SubnetId"])["Instances"][0]
    attachment = ec2.attach_network_interface(NetworkInterfaceId=eni["NetworkInterfaceId"],
                                              InstanceId=instance["InstanceId"], DeviceIndex=1)["AttachmentId"]
    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert [n["NetworkInterfaceId"] for n in described["NetworkInterfaces"]][1] == eni["NetworkInterfaceId"]
    assert error_of(ec2.delete_network_interface, NetworkInterfaceId=eni["NetworkInterfaceId"]) == (
        "InvalidNetworkInterface.InUse", f"The network interface '{eni['NetworkInterfaceId']}' is currently in use.")
    found = ec2.describe_network_interfaces(Filters=[{"Name": "attachment.instance-id",
                                                      "Values": [instance["InstanceId"]]}])["NetworkInterfaces"]
    assert len(found) == 2
    ec2.detach_network_interface(AttachmentId=attachment)
    ec2.delete_network_interface(NetworkInterfaceId=eni["NetworkInterfaceId"])
    assert error_of(ec2.describe_network_interfaces, NetworkInterfaceIds=[eni["NetworkInterfaceId"]])[0] == \
        "InvalidNetworkInterfaceID.NotFound"
    subnet_now = ec2.describe_subnets(SubnetIds=[subnet["SubnetId"]])["Subnets"][0]
    assert subnet_now["AvailableIpAddressCount"] == 250  # the instance's address is still taken
