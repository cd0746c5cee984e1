"""AWS::EC2::* networking, instances, volumes and addresses, made through our EC2.

The EC2 catalog entry serves the API; these providers map each type's properties (which
differ from the API's: `GroupDescription` is `Description`, a security group's rules are
lists of flat items) and give `Ref` and `Fn::GetAtt` as AWS's type reference does.
"""

from __future__ import annotations

import threading
from typing import Any

from ....api import AWSError
from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    changed,
    generated_name,
    resource_tags,
    tag_changes,
)
from .shaped import fit


def _gone(call: Any) -> None:
    """Run `call()`; EC2's `*.NotFound` codes mean the resource is already gone (delete)."""
    try:
        call()
    except AWSError as error:
        if not error.code.endswith("NotFound"):
            raise


def _found(call: Any) -> Any:
    """`call()`'s answer, or None when EC2 says (`*.NotFound`) the resource is gone (`read`)."""
    try:
        return call()
    except AWSError as error:
        if error.code.endswith("NotFound"):
            return None
        raise


def _tag_specs(ctx: ProviderContext, properties: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    tags = resource_tags(ctx, properties)
    return [{"ResourceType": resource_type, "Tags": tags}] if tags else []


def _retag(ctx: ProviderContext, resource_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    to_set, to_remove = tag_changes(old, new)
    if to_set:
        ctx.call("ec2", "CreateTags", {"Resources": [resource_id],
                                       "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
    if to_remove:
        ctx.call("ec2", "DeleteTags", {"Resources": [resource_id], "Tags": [{"Key": k} for k in to_remove]})


class _Tagged(BaseProvider):
    """A type whose only in-place change, besides what a subclass adds, is its tags."""

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        _retag(ctx, physical_id, old, new)
        return self.describe(ctx, physical_id, new)


# -- VPCs, subnets, gateways, routes ------------------------------------------------------

class VPCProvider(_Tagged):
    """AWS::EC2::VPC. `Ref`: the VPC id."""

    type_name = "AWS::EC2::VPC"
    replaces = frozenset({"CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit("ec2", "CreateVpc", properties, skip=("Tags",))
        made = ctx.call("ec2", "CreateVpc", {**params, "TagSpecifications": _tag_specs(ctx, properties, "vpc")})
        vpc_id = made["Vpc"]["VpcId"]
        self._dns(ctx, vpc_id, {}, properties)
        return self.describe(ctx, vpc_id, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._dns(ctx, physical_id, old, new)
        return super().update(ctx, physical_id, old, new)

    @staticmethod
    def _dns(ctx: ProviderContext, vpc_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for prop in ("EnableDnsSupport", "EnableDnsHostnames"):
            if new.get(prop) is not None and changed(old, new, prop):
                ctx.call("ec2", "ModifyVpcAttribute", {"VpcId": vpc_id, prop: {"Value": as_bool(new[prop])}})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteVpc", {"VpcId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        vpc = ctx.call("ec2", "DescribeVpcs", {"VpcIds": [physical_id]})["Vpcs"][0]
        groups = ctx.call("ec2", "DescribeSecurityGroups", {"Filters": [
            {"Name": "vpc-id", "Values": [physical_id]}, {"Name": "group-name", "Values": ["default"]}]})
        return Created(physical_id, {
            "VpcId": physical_id, "CidrBlock": vpc["CidrBlock"],
            "CidrBlockAssociations": [a["AssociationId"] for a in vpc.get("CidrBlockAssociationSet") or []],
            "Ipv6CidrBlocks": [a["Ipv6CidrBlock"] for a in vpc.get("Ipv6CidrBlockAssociationSet") or []],
            "DefaultSecurityGroup": next((g["GroupId"] for g in groups["SecurityGroups"]), "")})

    readable = frozenset({"CidrBlock", "InstanceTenancy", "EnableDnsSupport", "EnableDnsHostnames", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = _found(lambda: ctx.call("ec2", "DescribeVpcs", {"VpcIds": [physical_id]})["Vpcs"])
        if not found:
            return None
        out = {"CidrBlock": found[0]["CidrBlock"], "InstanceTenancy": found[0].get("InstanceTenancy", "default"),
               "Tags": found[0].get("Tags") or []}
        for prop in ("EnableDnsSupport", "EnableDnsHostnames"):
            attribute = prop[:1].lower() + prop[1:]
            out[prop] = ctx.call("ec2", "DescribeVpcAttribute", {"VpcId": physical_id, "Attribute": attribute})[prop]["Value"]
        return out


class SubnetProvider(_Tagged):
    """AWS::EC2::Subnet. `Ref`: the subnet id."""

    type_name = "AWS::EC2::Subnet"
    replaces = frozenset({"VpcId", "AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "OutpostArn",
                          "Ipv6Native", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit("ec2", "CreateSubnet", properties, skip=("Tags",))
        made = ctx.call("ec2", "CreateSubnet", {**params, "TagSpecifications": _tag_specs(ctx, properties, "subnet")})
        subnet_id = made["Subnet"]["SubnetId"]
        self._settings(ctx, subnet_id, {}, properties)
        return self.describe(ctx, subnet_id, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        self._settings(ctx, physical_id, old, new)
        return super().update(ctx, physical_id, old, new)

    @staticmethod
    def _settings(ctx: ProviderContext, subnet_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        if new.get("MapPublicIpOnLaunch") is not None and changed(old, new, "MapPublicIpOnLaunch"):
            ctx.call("ec2", "ModifySubnetAttribute", {
                "SubnetId": subnet_id, "MapPublicIpOnLaunch": {"Value": as_bool(new["MapPublicIpOnLaunch"])}})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteSubnet", {"SubnetId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        subnet = ctx.call("ec2", "DescribeSubnets", {"SubnetIds": [physical_id]})["Subnets"][0]
        return Created(physical_id, {
            "SubnetId": physical_id, "VpcId": subnet["VpcId"], "CidrBlock": subnet["CidrBlock"],
            "AvailabilityZone": subnet["AvailabilityZone"], "AvailabilityZoneId": subnet.get("AvailabilityZoneId"),
            "Ipv6CidrBlocks": [a["Ipv6CidrBlock"] for a in subnet.get("Ipv6CidrBlockAssociationSet") or []]})


class InternetGatewayProvider(_Tagged):
    """AWS::EC2::InternetGateway. `Ref`: the gateway id."""

    type_name = "AWS::EC2::InternetGateway"

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        made = ctx.call("ec2", "CreateInternetGateway",
                        {"TagSpecifications": _tag_specs(ctx, properties, "internet-gateway")})
        return self.describe(ctx, made["InternetGateway"]["InternetGatewayId"], properties)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteInternetGateway", {"InternetGatewayId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"InternetGatewayId": physical_id})


class VPCGatewayAttachmentProvider(BaseProvider):
    """AWS::EC2::VPCGatewayAttachment (internet gateways). `Ref`: `IGW|<vpc id>`, as AWS names it."""

    type_name = "AWS::EC2::VPCGatewayAttachment"
    replaces = frozenset({"VpcId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        if not properties.get("InternetGatewayId"):  # VPN gateways are not served by our EC2
            raise AWSError("InvalidRequest", "VPCGatewayAttachment needs an InternetGatewayId here "
                           "(virtual private gateways are not supported)", 400)
        ctx.call("ec2", "AttachInternetGateway", {"InternetGatewayId": properties["InternetGatewayId"],
                                                  "VpcId": properties["VpcId"]})
        return self.describe(ctx, f"IGW|{properties['VpcId']}", properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if changed(old, new, "InternetGatewayId"):
            self.delete(ctx, physical_id, old)
            return self.create(ctx, new)
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DetachInternetGateway", {
            "InternetGatewayId": properties["InternetGatewayId"], "VpcId": properties["VpcId"]}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"AttachmentType": "igw"})


class RouteTableProvider(_Tagged):
    """AWS::EC2::RouteTable. `Ref`: the route table id."""

    type_name = "AWS::EC2::RouteTable"
    replaces = frozenset({"VpcId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        made = ctx.call("ec2", "CreateRouteTable", {"VpcId": properties["VpcId"],
                                                    "TagSpecifications": _tag_specs(ctx, properties, "route-table")})
        return self.describe(ctx, made["RouteTable"]["RouteTableId"], properties)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteRouteTable", {"RouteTableId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"RouteTableId": physical_id})


class RouteProvider(BaseProvider):
    """AWS::EC2::Route. `Ref`: `<route table id>|<destination>`; `CidrBlock` the destination."""

    type_name = "AWS::EC2::Route"
    replaces = frozenset({"RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock",
                          "DestinationPrefixListId"})

    @staticmethod
    def _destination(properties: dict[str, Any]) -> str:
        return str(properties.get("DestinationCidrBlock") or properties.get("DestinationIpv6CidrBlock")
                   or properties.get("DestinationPrefixListId"))

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        ctx.call("ec2", "CreateRoute", fit("ec2", "CreateRoute", properties))
        return self.describe(ctx, f"{properties['RouteTableId']}|{self._destination(properties)}", properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        ctx.call("ec2", "ReplaceRoute", fit("ec2", "ReplaceRoute", new))
        return self.describe(ctx, physical_id, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteRoute", fit("ec2", "DeleteRoute", properties)))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"CidrBlock": self._destination(properties)})


class SubnetRouteTableAssociationProvider(BaseProvider):
    """AWS::EC2::SubnetRouteTableAssociation. `Ref` and `Id`: the association id."""

    type_name = "AWS::EC2::SubnetRouteTableAssociation"
    replaces = frozenset({"SubnetId", "RouteTableId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        made = ctx.call("ec2", "AssociateRouteTable", {"SubnetId": properties["SubnetId"],
                                                       "RouteTableId": properties["RouteTableId"]})
        return Created(made["AssociationId"], {"Id": made["AssociationId"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DisassociateRouteTable", {"AssociationId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


class NatGatewayProvider(_Tagged):
    """AWS::EC2::NatGateway. `Ref`: the NAT gateway id."""

    type_name = "AWS::EC2::NatGateway"
    replaces = frozenset({"VpcId", "SubnetId", "ConnectivityType", "AllocationId", "PrivateIpAddress",
                          "AvailabilityMode"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit("ec2", "CreateNatGateway", properties, skip=("Tags",))
        made = ctx.call("ec2", "CreateNatGateway",
                        {**params, "TagSpecifications": _tag_specs(ctx, properties, "natgateway")})
        return self.describe(ctx, made["NatGateway"]["NatGatewayId"], properties)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteNatGateway", {"NatGatewayId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        nat = ctx.call("ec2", "DescribeNatGateways", {"NatGatewayIds": [physical_id]})["NatGateways"][0]
        addresses = nat.get("NatGatewayAddresses") or [{}]
        return Created(physical_id, {"NatGatewayId": physical_id,
                                     "EniId": addresses[0].get("NetworkInterfaceId")})


class EIPProvider(BaseProvider):
    """AWS::EC2::EIP. `Ref`: the public IP; `AllocationId` and `PublicIp` attributes."""

    type_name = "AWS::EC2::EIP"
    replaces = frozenset({"NetworkBorderGroup", "TransferAddress", "IpamPoolId", "Address", "Domain",
                          "PublicIpv4Pool"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        made = ctx.call("ec2", "AllocateAddress", {"Domain": "vpc",
                                                   "TagSpecifications": _tag_specs(ctx, properties, "elastic-ip")})
        if properties.get("InstanceId"):
            ctx.call("ec2", "AssociateAddress", {"AllocationId": made["AllocationId"],
                                                 "InstanceId": properties["InstanceId"]})
        return Created(made["PublicIp"], {"PublicIp": made["PublicIp"], "AllocationId": made["AllocationId"]})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        allocation = self._allocation(ctx, physical_id)
        if changed(old, new, "InstanceId"):
            if old.get("InstanceId"):
                self._disassociate(ctx, physical_id)
            if new.get("InstanceId"):
                ctx.call("ec2", "AssociateAddress", {"AllocationId": allocation, "InstanceId": new["InstanceId"]})
        _retag(ctx, allocation, old, new)
        return Created(physical_id, {"PublicIp": physical_id, "AllocationId": allocation})

    def _allocation(self, ctx: ProviderContext, public_ip: str) -> str:
        return ctx.call("ec2", "DescribeAddresses", {"PublicIps": [public_ip]})["Addresses"][0]["AllocationId"]

    def _disassociate(self, ctx: ProviderContext, public_ip: str) -> None:
        found = ctx.call("ec2", "DescribeAddresses", {"PublicIps": [public_ip]})["Addresses"]
        if found and found[0].get("AssociationId"):
            ctx.call("ec2", "DisassociateAddress", {"AssociationId": found[0]["AssociationId"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        try:
            self._disassociate(ctx, physical_id)
            allocation = self._allocation(ctx, physical_id)
        except AWSError as error:
            if error.code.endswith("NotFound"):
                return
            raise
        _gone(lambda: ctx.call("ec2", "ReleaseAddress", {"AllocationId": allocation}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"PublicIp": physical_id, "AllocationId": self._allocation(ctx, physical_id)})


# -- security groups ------------------------------------------------------------------------

def _permission(rule: dict[str, Any], peer: str) -> dict[str, Any]:
    """A template rule (flat: `CidrIp`, `SourceSecurityGroupId`...) as the API's `IpPermission`;
    `peer` is `Source` for ingress, `Destination` for egress."""
    described = {"Description": rule["Description"]} if rule.get("Description") else {}
    out: dict[str, Any] = {"IpProtocol": str(rule["IpProtocol"])}
    for port in ("FromPort", "ToPort"):
        if rule.get(port) is not None:
            out[port] = as_int(rule[port])
    if rule.get("CidrIp"):
        out["IpRanges"] = [{"CidrIp": rule["CidrIp"], **described}]
    if rule.get("CidrIpv6"):
        out["Ipv6Ranges"] = [{"CidrIpv6": rule["CidrIpv6"], **described}]
    if rule.get(f"{peer}PrefixListId"):
        out["PrefixListIds"] = [{"PrefixListId": rule[f"{peer}PrefixListId"], **described}]
    pair = {k: rule[f"{peer}SecurityGroup{s}"] for k, s in (("GroupId", "Id"), ("GroupName", "Name"),
                                                           ("UserId", "OwnerId"))
            if rule.get(f"{peer}SecurityGroup{s}")}
    if pair:
        out["UserIdGroupPairs"] = [{**pair, **described}]
    return out


_ALL_EGRESS = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


class SecurityGroupProvider(BaseProvider):
    """AWS::EC2::SecurityGroup. `Ref`: the group id (the group name when no `VpcId` is given,
    as AWS's reference says); `GroupId` and `VpcId` attributes. Inline rules are the group's."""

    type_name = "AWS::EC2::SecurityGroup"
    replaces = frozenset({"GroupDescription", "GroupName", "VpcId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("GroupName") or generated_name(ctx, max_length=255)
        params: dict[str, Any] = {"GroupName": name, "Description": properties["GroupDescription"],
                                  "TagSpecifications": _tag_specs(ctx, properties, "security-group")}
        if properties.get("VpcId"):
            params["VpcId"] = properties["VpcId"]
        group_id = ctx.call("ec2", "CreateSecurityGroup", params)["GroupId"]
        self._rules(ctx, group_id, None, properties)
        return self._created(ctx, group_id, properties)

    @staticmethod
    def _rules(ctx: ProviderContext, group_id: str, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
        """Bring the inline rules from `old` (None: a new group) to `new`: revoke, then authorize.

        A group without inline egress rules has the all-traffic one a VPC group starts with.
        """
        for prop, peer, kind in (("SecurityGroupIngress", "Source", "Ingress"),
                                 ("SecurityGroupEgress", "Destination", "Egress")):
            default = [_ALL_EGRESS] if kind == "Egress" and new.get("VpcId") else []
            before = default if old is None else [_permission(r, peer) for r in old.get(prop) or []] or default
            after = [_permission(r, peer) for r in new.get(prop) or []] or default
            if before == after:
                continue
            if before:
                ctx.call("ec2", f"RevokeSecurityGroup{kind}", {"GroupId": group_id, "IpPermissions": before})
            if after:
                ctx.call("ec2", f"AuthorizeSecurityGroup{kind}", {"GroupId": group_id, "IpPermissions": after})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        group_id = self._group_id(ctx, physical_id)
        self._rules(ctx, group_id, old, new)
        _retag(ctx, group_id, old, new)
        return self._created(ctx, group_id, new)

    @staticmethod
    def _group_id(ctx: ProviderContext, physical_id: str) -> str:
        if physical_id.startswith("sg-"):
            return physical_id
        found = ctx.call("ec2", "DescribeSecurityGroups", {"GroupNames": [physical_id]})["SecurityGroups"]
        return found[0]["GroupId"]

    readable = frozenset({"GroupName", "GroupDescription", "VpcId", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        key = "GroupIds" if physical_id.startswith("sg-") else "GroupNames"
        found = _found(lambda: ctx.call("ec2", "DescribeSecurityGroups", {key: [physical_id]})["SecurityGroups"])
        if not found:
            return None
        group = found[0]
        return {"GroupName": group["GroupName"], "GroupDescription": group["Description"],
                "VpcId": group.get("VpcId", ""), "Tags": group.get("Tags") or []}

    def _created(self, ctx: ProviderContext, group_id: str, properties: dict[str, Any]) -> Created:
        group = ctx.call("ec2", "DescribeSecurityGroups", {"GroupIds": [group_id]})["SecurityGroups"][0]
        ref = group_id if properties.get("VpcId") else group["GroupName"]
        return Created(ref, {"GroupId": group_id, "VpcId": group.get("VpcId", "")})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def remove() -> None:
            ctx.call("ec2", "DeleteSecurityGroup", {"GroupId": self._group_id(ctx, physical_id)})

        _gone(remove)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return self._created(ctx, self._group_id(ctx, physical_id), properties)


class _RuleProvider(BaseProvider):
    """One security group rule as its own resource. `Ref` and `Id`: the rule id (`sgr-...`)."""

    kind = ""
    peer = ""

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        target: dict[str, Any] = {"GroupId": properties["GroupId"]} if properties.get("GroupId") \
            else {"GroupName": properties["GroupName"]}
        made = ctx.call("ec2", f"AuthorizeSecurityGroup{self.kind}",
                        {**target, "IpPermissions": [_permission(properties, self.peer)]})
        rule_id = made["SecurityGroupRules"][0]["SecurityGroupRuleId"]
        return Created(rule_id, {"Id": rule_id})

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        group_id = self._group_of(ctx, physical_id)
        ctx.call("ec2", f"UpdateSecurityGroupRuleDescriptions{self.kind}", {
            "GroupId": group_id, "SecurityGroupRuleDescriptions": [
                {"SecurityGroupRuleId": physical_id, "Description": new.get("Description") or ""}]})
        return Created(physical_id, {"Id": physical_id})

    @staticmethod
    def _group_of(ctx: ProviderContext, rule_id: str) -> str:
        rules = ctx.call("ec2", "DescribeSecurityGroupRules", {"SecurityGroupRuleIds": [rule_id]})
        return rules["SecurityGroupRules"][0]["GroupId"]

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        def revoke() -> None:
            group_id = self._group_of(ctx, physical_id)
            ctx.call("ec2", f"RevokeSecurityGroup{self.kind}",
                     {"GroupId": group_id, "SecurityGroupRuleIds": [physical_id]})

        _gone(revoke)

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"Id": physical_id})


class SecurityGroupIngressProvider(_RuleProvider):
    """AWS::EC2::SecurityGroupIngress."""

    type_name = "AWS::EC2::SecurityGroupIngress"
    kind, peer = "Ingress", "Source"
    replaces = frozenset({"GroupName", "IpProtocol", "SourceSecurityGroupId", "SourcePrefixListId", "ToPort",
                          "CidrIp", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId", "FromPort", "GroupId",
                          "CidrIpv6"})


class SecurityGroupEgressProvider(_RuleProvider):
    """AWS::EC2::SecurityGroupEgress."""

    type_name = "AWS::EC2::SecurityGroupEgress"
    kind, peer = "Egress", "Destination"
    replaces = frozenset({"IpProtocol", "DestinationSecurityGroupId", "ToPort", "CidrIp", "FromPort", "GroupId",
                          "CidrIpv6", "DestinationPrefixListId"})


# -- key pairs, instances, volumes ----------------------------------------------------------

class KeyPairProvider(BaseProvider):
    """AWS::EC2::KeyPair. `Ref`: the key NAME; `KeyPairId` and `KeyFingerprint` attributes.

    As AWS does, a created (not imported) key's private key is kept in SSM Parameter Store
    as `/ec2/keypair/<key pair id>` (a SecureString), deleted with the key.
    """

    type_name = "AWS::EC2::KeyPair"
    replaces = frozenset({"KeyName", "KeyType", "KeyFormat", "PublicKeyMaterial", "Tags"})  # every property

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = str(properties["KeyName"])
        specs = _tag_specs(ctx, properties, "key-pair")
        if properties.get("PublicKeyMaterial"):
            made = ctx.call("ec2", "ImportKeyPair", {"KeyName": name, "TagSpecifications": specs,
                                                     "PublicKeyMaterial": str(properties["PublicKeyMaterial"]).encode()})
        else:
            params = fit("ec2", "CreateKeyPair", properties, skip=("Tags",))
            made = ctx.call("ec2", "CreateKeyPair", {**params, "TagSpecifications": specs})
            ctx.call("ssm", "PutParameter", {"Name": f"/ec2/keypair/{made['KeyPairId']}", "Type": "SecureString",
                                             "Value": made["KeyMaterial"], "Overwrite": True})
        return Created(name, {"KeyPairId": made["KeyPairId"], "KeyFingerprint": made["KeyFingerprint"]})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        found = self._key(ctx, physical_id)
        if found is None:
            return
        ctx.call("ec2", "DeleteKeyPair", {"KeyName": physical_id})
        if not properties.get("PublicKeyMaterial"):
            try:
                ctx.call("ssm", "DeleteParameter", {"Name": f"/ec2/keypair/{found['KeyPairId']}"})
            except AWSError as error:
                if error.code != "ParameterNotFound":
                    raise

    @staticmethod
    def _key(ctx: ProviderContext, name: str) -> dict[str, Any] | None:
        try:
            return ctx.call("ec2", "DescribeKeyPairs", {"KeyNames": [name]})["KeyPairs"][0]
        except AWSError as error:
            if error.code.endswith("NotFound"):
                return None
            raise

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        key = self._key(ctx, physical_id) or {}
        return Created(physical_id, {"KeyPairId": key.get("KeyPairId"), "KeyFingerprint": key.get("KeyFingerprint")})


class InstanceProvider(_Tagged):
    """AWS::EC2::Instance. `Ref`: the instance id; `PrivateIp`, `PublicIp`, DNS names,
    `AvailabilityZone`, `VpcId` attributes. In place: tags only (others are noted in the docs)."""

    type_name = "AWS::EC2::Instance"
    replaces = frozenset({"AvailabilityZone", "CpuOptions", "ElasticGpuSpecifications",
                          "ElasticInferenceAccelerators", "EnclaveOptions", "HibernationOptions",
                          "HostResourceGroupArn", "ImageId", "Ipv6AddressCount", "Ipv6Addresses", "KeyName",
                          "LaunchTemplate", "LicenseSpecifications", "NetworkInterfaces", "PlacementGroupName",
                          "PrivateIpAddress", "SecurityGroups", "SubnetId"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit("ec2", "RunInstances", properties,
                     skip=("Tags", "AvailabilityZone", "IamInstanceProfile", "Monitoring", "PlacementGroupName",
                           "Tenancy"))
        placement = {k: properties[p] for k, p in (("AvailabilityZone", "AvailabilityZone"),
                                                   ("GroupName", "PlacementGroupName"), ("Tenancy", "Tenancy"))
                     if properties.get(p)}
        if placement:
            params["Placement"] = placement
        profile = properties.get("IamInstanceProfile")
        if profile:
            params["IamInstanceProfile"] = {"Arn" if str(profile).startswith("arn:") else "Name": profile}
        if properties.get("Monitoring") is not None:
            params["Monitoring"] = {"Enabled": as_bool(properties["Monitoring"])}
        made = ctx.call("ec2", "RunInstances", {**params, "MinCount": 1, "MaxCount": 1,
                                                "TagSpecifications": _tag_specs(ctx, properties, "instance")})
        return self.describe(ctx, made["Instances"][0]["InstanceId"], properties)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        """Terminate, and wait (on the gateway clock) until the instance is `terminated`, as AWS's
        handler does: its security groups, subnet and interfaces are in use until then."""
        from ....stubs.custom.ec2.common import TRANSITION
        from ..waits import wait_until

        _gone(lambda: ctx.call("ec2", "TerminateInstances", {"InstanceIds": [physical_id]}))
        clock, cond = ctx.registry.clock, threading.Condition()
        for _ in range(60):  # the state moves when the clock passes a transition: look at each step
            if wait_until(lambda: self._state(ctx, physical_id) == "terminated", clock.now() + TRANSITION, clock,
                          cond):
                return

    @staticmethod
    def _state(ctx: ProviderContext, instance_id: str) -> str:
        try:
            found = ctx.call("ec2", "DescribeInstances", {"InstanceIds": [instance_id]})
        except AWSError as error:
            if error.code.endswith("NotFound"):
                return "terminated"
            raise
        return found["Reservations"][0]["Instances"][0]["State"]["Name"]

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        found = ctx.call("ec2", "DescribeInstances", {"InstanceIds": [physical_id]})
        instance = found["Reservations"][0]["Instances"][0]
        return Created(physical_id, {
            "InstanceId": physical_id, "AvailabilityZone": instance["Placement"]["AvailabilityZone"],
            "PrivateIp": instance.get("PrivateIpAddress", ""), "PublicIp": instance.get("PublicIpAddress", ""),
            "PrivateDnsName": instance.get("PrivateDnsName", ""), "PublicDnsName": instance.get("PublicDnsName", ""),
            "VpcId": instance.get("VpcId", "")})


class VolumeProvider(_Tagged):
    """AWS::EC2::Volume. `Ref` and `VolumeId`: the volume id; size, type, IOPS and throughput change in place."""

    type_name = "AWS::EC2::Volume"
    replaces = frozenset({"AvailabilityZone", "SnapshotId", "Encrypted", "KmsKeyId", "OutpostArn"})
    _MODIFIABLE = ("Size", "VolumeType", "Iops", "Throughput")

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        params = fit("ec2", "CreateVolume", properties, skip=("Tags",))
        made = ctx.call("ec2", "CreateVolume", {**params, "TagSpecifications": _tag_specs(ctx, properties, "volume")})
        return self.describe(ctx, made["VolumeId"], properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        if changed(old, new, *self._MODIFIABLE):
            wanted = {k: new[k] for k in self._MODIFIABLE if new.get(k) is not None}
            ctx.call("ec2", "ModifyVolume", {**fit("ec2", "ModifyVolume", wanted), "VolumeId": physical_id})
        return super().update(ctx, physical_id, old, new)

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        _gone(lambda: ctx.call("ec2", "DeleteVolume", {"VolumeId": physical_id}))

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        return Created(physical_id, {"VolumeId": physical_id})
