"""AWS::EC2::* deployed by real stacks into our EC2: a VPC network with an instance, Refs and
GetAtts as AWS's type reference gives them, in-place updates, and a clean delete."""

from __future__ import annotations

from typing import Any

from .conftest import error_of, events, outputs


def _network(image: str, ingress_port: int = 22, size: int = 8) -> dict[str, Any]:
    resources: dict[str, Any] = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {
            "CidrBlock": "10.1.0.0/16", "EnableDnsHostnames": True, "Tags": [{"Key": "Name", "Value": "app"}]}},
        "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a",
            "MapPublicIpOnLaunch": True}},
        "Gateway": {"Type": "AWS::EC2::InternetGateway"},
        "Attach": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {
            "VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "Gateway"}}},
        "Routes": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        "Default": {"Type": "AWS::EC2::Route", "DependsOn": "Attach", "Properties": {
            "RouteTableId": {"Ref": "Routes"}, "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": {"Ref": "Gateway"}}},
        "Assoc": {"Type": "AWS::EC2::SubnetRouteTableAssociation", "Properties": {
            "SubnetId": {"Ref": "Subnet"}, "RouteTableId": {"Ref": "Routes"}}},
        "Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "web servers", "VpcId": {"Ref": "Vpc"},
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": ingress_port, "ToPort": ingress_port,
                                      "CidrIp": "0.0.0.0/0"}]}},
        "Https": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
            "GroupId": {"Fn::GetAtt": ["Web", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
            "CidrIp": "10.0.0.0/8", "Description": "https"}},
        "Key": {"Type": "AWS::EC2::KeyPair", "Properties": {"KeyName": "deploy"}},
        "Server": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": image, "InstanceType": "t3.micro", "KeyName": {"Ref": "Key"},
            "SubnetId": {"Ref": "Subnet"}, "SecurityGroupIds": [{"Ref": "Web"}],
            "Tags": [{"Key": "role", "Value": "web"}]}},
        "Disk": {"Type": "AWS::EC2::Volume", "Properties": {
            "AvailabilityZone": {"Fn::GetAtt": ["Server", "AvailabilityZone"]}, "Size": size, "VolumeType": "gp3"}},
        "Ip": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}},
        "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {
            "SubnetId": {"Ref": "Subnet"}, "AllocationId": {"Fn::GetAtt": ["Ip", "AllocationId"]}}},
    }
    names = ("Vpc", "Subnet", "Gateway", "Routes", "Assoc", "Web", "Https", "Key", "Server", "Disk", "Ip", "Nat")
    outs = {name: {"Value": {"Ref": name}} for name in names}
    attributes = {"KeyId": ("Key", "KeyPairId"), "GroupId": ("Web", "GroupId"), "GroupVpc": ("Web", "VpcId"),
                  "DefaultSg": ("Vpc", "DefaultSecurityGroup"), "SubnetVpc": ("Subnet", "VpcId"),
                  "PrivateIp": ("Server", "PrivateIp"), "Allocation": ("Ip", "AllocationId"),
                  "VpcCidr": ("Vpc", "CidrBlock")}
    outs.update({k: {"Value": {"Fn::GetAtt": list(v)}} for k, v in attributes.items()})
    return {"Resources": resources, "Outputs": outs}


def test_a_vpc_network_with_an_instance_deploys_updates_and_deletes(deploy, update, cfn, client, aws, frozen):
    ec2, ssm = client("ec2"), client("ssm")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    stack = deploy("net", _network(image))
    assert stack["StackStatus"] == "CREATE_COMPLETE", [e for e in events(cfn, "net") if "FAILED" in e[1]]
    out = outputs(stack)
    assert out["Vpc"].startswith("vpc-") and out["SubnetVpc"] == out["GroupVpc"] == out["Vpc"]
    assert out["VpcCidr"] == "10.1.0.0/16" and out["DefaultSg"].startswith("sg-")
    assert out["Web"] == out["GroupId"] and out["Web"].startswith("sg-")
    assert out["Key"] == "deploy" and out["KeyId"].startswith("key-")  # Ref is the NAME, KeyPairId the id
    assert out["Server"].startswith("i-") and out["PrivateIp"].startswith("10.1.1.")
    assert out["Assoc"].startswith("rtbassoc-") and out["Https"].startswith("sgr-")
    assert out["Disk"].startswith("vol-") and out["Nat"].startswith("nat-")
    assert out["Ip"] == ec2.describe_addresses(AllocationIds=[out["Allocation"]])["Addresses"][0]["PublicIp"]

    instance = ec2.describe_instances(InstanceIds=[out["Server"]])["Reservations"][0]["Instances"][0]
    assert instance["SubnetId"] == out["Subnet"] and instance["KeyName"] == "deploy"
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [out["Web"]]
    assert {"Key": "role", "Value": "web"} in instance["Tags"]
    group = ec2.describe_security_groups(GroupIds=[out["Web"]])["SecurityGroups"][0]
    assert group["Description"] == "web servers"
    assert sorted(p["FromPort"] for p in group["IpPermissions"]) == [22, 443]
    table = ec2.describe_route_tables(RouteTableIds=[out["Routes"]])["RouteTables"][0]
    assert {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": out["Gateway"]}.items() <= next(
        r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0").items()
    assert [a["SubnetId"] for a in table["Associations"] if a.get("SubnetId")] == [out["Subnet"]]
    gateway = ec2.describe_internet_gateways(InternetGatewayIds=[out["Gateway"]])["InternetGateways"][0]
    assert [a["VpcId"] for a in gateway["Attachments"]] == [out["Vpc"]]
    private_key = ssm.get_parameter(Name=f"/ec2/keypair/{out['KeyId']}", WithDecryption=True)["Parameter"]["Value"]
    assert "PRIVATE KEY" in private_key

    stack = update("net", _network(image, ingress_port=2222, size=16))
    assert stack["StackStatus"] == "UPDATE_COMPLETE", [e for e in events(cfn, "net") if "FAILED" in e[1]]
    assert outputs(stack)["Web"] == out["Web"]  # rules change in place
    group = ec2.describe_security_groups(GroupIds=[out["Web"]])["SecurityGroups"][0]
    assert sorted(p["FromPort"] for p in group["IpPermissions"]) == [443, 2222]
    assert ec2.describe_volumes(VolumeIds=[out["Disk"]])["Volumes"][0]["Size"] == 16

    cfn.delete_stack(StackName="net")
    aws.settle()  # the delete waits for the instance to be terminated, on the gateway clock
    assert cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_IN_PROGRESS"
    assert ec2.describe_vpcs(VpcIds=[out["Vpc"]])["Vpcs"]
    frozen.advance(seconds=1)
    aws.settle()
    assert cfn.describe_stacks(StackName=stack["StackId"])["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE", [
        e for e in events(cfn, stack["StackId"]) if "FAILED" in e[1]]
    assert error_of(lambda: ec2.describe_vpcs(VpcIds=[out["Vpc"]]))[0] == "InvalidVpcID.NotFound"
    assert error_of(lambda: ec2.describe_key_pairs(KeyNames=["deploy"]))[0] == "InvalidKeyPair.NotFound"
    assert error_of(lambda: ssm.get_parameter(Name=f"/ec2/keypair/{out['KeyId']}"))[0] == "ParameterNotFound"


def test_a_security_group_without_vpc_is_named_by_ref_and_egress_rules_replace_the_default(deploy, cfn, client):
    ec2 = client("ec2")
    template = {"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.2.0.0/16"}},
        "Plain": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "default vpc"}},
        "Locked": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "only https out", "VpcId": {"Ref": "Vpc"},
            "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}}},
        "Outputs": {"Plain": {"Value": {"Ref": "Plain"}}, "PlainId": {"Value": {"Fn::GetAtt": ["Plain", "GroupId"]}},
                    "Locked": {"Value": {"Ref": "Locked"}}}}
    stack = deploy("sgs", template)
    assert stack["StackStatus"] == "CREATE_COMPLETE", [e for e in events(cfn, "sgs") if "FAILED" in e[1]]
    out = outputs(stack)
    assert out["Plain"].startswith("sgs-Plain-") and out["PlainId"].startswith("sg-")
    egress = ec2.describe_security_groups(GroupIds=[out["Locked"]])["SecurityGroups"][0]["IpPermissionsEgress"]
    assert [(p["IpProtocol"], p.get("FromPort")) for p in egress] == [("tcp", 443)]


def test_a_security_group_without_its_description_fails_the_stack(deploy, cfn):
    template = {"Resources": {"Bad": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupName": "x"}}}}
    stack = deploy("bad-sg", template)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    reasons = [reason for logical, status, reason in events(cfn, "bad-sg") if status == "CREATE_FAILED"]
    assert "required key [GroupDescription] not found" in reasons[0]


def test_an_eip_follows_its_instance_and_an_egress_rule_changes_its_description(aws, client):
    from pytest_cloudmock.services.cloudformation.providers import provider_for

    from .test_provider_base import provider_context

    ec2, ctx = client("ec2"), provider_context(aws, "Net")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    servers = [provider_for("AWS::EC2::Instance").create(ctx, {"ImageId": image, "InstanceType": "t3.micro"})
               for _ in range(2)]
    eip = provider_for("AWS::EC2::EIP")
    old = {"InstanceId": servers[0].physical_id}
    made = eip.create(ctx, old)
    assert ec2.describe_addresses(PublicIps=[made.physical_id])["Addresses"][0]["InstanceId"] == old["InstanceId"]
    new = {"InstanceId": servers[1].physical_id}
    eip.update(ctx, made.physical_id, old, new)
    assert ec2.describe_addresses(PublicIps=[made.physical_id])["Addresses"][0]["InstanceId"] == new["InstanceId"]
    eip.delete(ctx, made.physical_id, new)
    assert ec2.describe_addresses(Filters=[{"Name": "public-ip", "Values": [made.physical_id]}])["Addresses"] == []

    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    egress = provider_for("AWS::EC2::SecurityGroupEgress")
    rule = {"GroupId": group, "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "10.0.0.0/16",
            "Description": "db"}
    made = egress.create(ctx, rule)
    assert made.physical_id.startswith("sgr-") and made.attributes == {"Id": made.physical_id}
    egress.update(ctx, made.physical_id, rule, {**rule, "Description": "postgres"})
    found = ec2.describe_security_group_rules(SecurityGroupRuleIds=[made.physical_id])["SecurityGroupRules"]
    assert found[0]["Description"] == "postgres" and found[0]["IsEgress"] is True
    egress.delete(ctx, made.physical_id, rule)
    egress.delete(ctx, made.physical_id, rule)  # already gone: not an error
    assert error_of(lambda: ec2.describe_security_group_rules(SecurityGroupRuleIds=[made.physical_id]))[0] \
        .startswith("InvalidSecurityGroupRule")
