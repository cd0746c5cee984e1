"""Security groups and rules: duplicates refused, revokes of missing rules not found, the
default egress rule, group references, `DescribeSecurityGroupRules`, delete refusals."""

from __future__ import annotations

from tests.services.aws_errors import error_of

SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def _group(ec2, vpc, name="web"):
    return ec2.create_security_group(GroupName=name, Description="web tier", VpcId=vpc["VpcId"])["GroupId"]


def test_create_gives_the_default_egress_rule(ec2, vpc):
    made = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc["VpcId"],
                                     TagSpecifications=[{"ResourceType": "security-group",
                                                         "Tags": [{"Key": "tier", "Value": "web"}]}])
    assert made["SecurityGroupArn"].endswith(f":123456789012:security-group/{made['GroupId']}")
    assert made["Tags"] == [{"Key": "tier", "Value": "web"}]
    group, = ec2.describe_security_groups(GroupIds=[made["GroupId"]])["SecurityGroups"]
    assert group["IpPermissions"] == []
    assert group["IpPermissionsEgress"] == [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                                             "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}]
    assert error_of(ec2.create_security_group, GroupName="web", Description="x", VpcId=vpc["VpcId"]) == (
        "InvalidGroup.Duplicate", f"The security group 'web' already exists for VPC '{vpc['VpcId']}'")


def test_a_group_in_the_default_vpc_is_named_by_name(ec2):
    made = ec2.create_security_group(GroupName="named", Description="d")["GroupId"]
    assert ec2.describe_security_groups(GroupNames=["named"])["SecurityGroups"][0]["GroupId"] == made
    default_vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    assert error_of(ec2.describe_security_groups, GroupNames=["nope"]) == (
        "InvalidGroup.NotFound", f"The security group 'nope' does not exist in default VPC '{default_vpc}'")
    ec2.authorize_security_group_ingress(GroupName="named", IpProtocol="tcp", FromPort=80, ToPort=80,
                                         CidrIp="10.0.0.0/8")
    assert ec2.describe_security_groups(GroupIds=[made])["SecurityGroups"][0]["IpPermissions"][0]["FromPort"] == 80
    ec2.delete_security_group(GroupName="named")
    assert error_of(ec2.describe_security_groups, GroupIds=[made]) == (
        "InvalidGroup.NotFound", f"The security group '{made}' does not exist")


def test_ingress_authorize_and_revoke(ec2, vpc):
    group_id = _group(ec2, vpc)
    rules = ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[SSH])["SecurityGroupRules"]
    assert rules[0]["SecurityGroupRuleId"].startswith("sgr-") and rules[0]["CidrIpv4"] == "0.0.0.0/0"
    assert (rules[0]["IsEgress"], rules[0]["FromPort"], rules[0]["ToPort"]) == (False, 22, 22)
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group_id, IpPermissions=[SSH]) == (
        "InvalidPermission.Duplicate",
        'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists')
    permission = {**SSH, "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "office"}]}
    ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[permission])
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    assert group["IpPermissions"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"},
                                                     {"CidrIp": "10.0.0.0/8", "Description": "office"}]
    revoked = ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=[SSH])
    assert revoked["Return"] and revoked["RevokedSecurityGroupRules"][0]["CidrIpv4"] == "0.0.0.0/0"
    assert error_of(ec2.revoke_security_group_ingress, GroupId=group_id, IpPermissions=[SSH]) == (
        "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")


def test_egress_rules_and_revoke_by_rule_id(ec2, vpc):
    group_id = _group(ec2, vpc)
    default_rule, = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]
    assert default_rule["IsEgress"] and default_rule["IpProtocol"] == "-1"
    assert error_of(ec2.authorize_security_group_egress, GroupId=group_id, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])[1] == (
        'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists')
    ec2.revoke_security_group_egress(GroupId=group_id, SecurityGroupRuleIds=[default_rule["SecurityGroupRuleId"]])
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    assert group["IpPermissionsEgress"] == []
    ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.2/32"}]}])
    assert ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]["IpPermissionsEgress"][0][
        "IpProtocol"] == "udp"


def test_rules_referencing_groups_and_in_use_groups(ec2, vpc):
    web, db = _group(ec2, vpc, "web"), _group(ec2, vpc, "db")
    rule, = ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}
    ])["SecurityGroupRules"]
    assert rule["ReferencedGroupInfo"] == {"GroupId": web, "UserId": "123456789012"}
    pairs = ec2.describe_security_groups(GroupIds=[db])["SecurityGroups"][0]["IpPermissions"][0]["UserIdGroupPairs"]
    assert pairs == [{"GroupId": web, "UserId": "123456789012"}]
    found = ec2.describe_security_groups(Filters=[{"Name": "ip-permission.group-id", "Values": [web]}])
    assert [g["GroupId"] for g in found["SecurityGroups"]] == [db]
    assert error_of(ec2.delete_security_group, GroupId=web) == (
        "DependencyViolation", f"resource {web} has a dependent object")
    assert error_of(ec2.authorize_security_group_ingress, GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0"}]}
    ])[0] == "InvalidGroup.NotFound"


def test_the_default_group_cannot_be_deleted(ec2, vpc):
    default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]},
                                                    {"Name": "group-name", "Values": ["default"]}])
    group_id = default["SecurityGroups"][0]["GroupId"]
    assert error_of(ec2.delete_security_group, GroupId=group_id) == (
        "CannotDelete", f'the specified group: "{group_id}" name: "default" cannot be deleted by a user')


def test_bad_permissions_are_refused(ec2, vpc):
    group_id = _group(ec2, vpc)
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 90, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])[0] == \
        "InvalidParameterValue"
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group_id, IpPermissions=[
        {"IpProtocol": "bogus", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]) == (
        "InvalidParameterValue", "Invalid value 'bogus' for IP protocol. Unknown protocol.")
    assert error_of(ec2.authorize_security_group_ingress, GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "300.0.0.0/8"}]}])[0] == \
        "InvalidParameterValue"


def test_rules_are_tagged_and_paged(ec2, vpc):
    group_id = _group(ec2, vpc)
    for port in range(5):
        ec2.authorize_security_group_ingress(
            GroupId=group_id, IpPermissions=[{**SSH, "FromPort": port, "ToPort": port}],
            TagSpecifications=[{"ResourceType": "security-group-rule", "Tags": [{"Key": "port", "Value": str(port)}]}])
    paginator = ec2.get_paginator("describe_security_group_rules")
    pages = list(paginator.paginate(Filters=[{"Name": "group-id", "Values": [group_id]}],
                                    PaginationConfig={"PageSize": 5}))
    assert [len(p["SecurityGroupRules"]) for p in pages] == [5, 1]
    tagged = ec2.describe_security_group_rules(Filters=[{"Name": "tag:port", "Values": ["3"]}])["SecurityGroupRules"]
    assert [r["FromPort"] for r in tagged] == [3]


def test_the_resource_api_authorizes(ec2_resource, vpc):
    group = ec2_resource.create_security_group(GroupName="res", Description="d", VpcId=vpc["VpcId"])
    group.authorize_ingress(IpPermissions=[SSH])
    group.reload()
    assert group.ip_permissions[0]["FromPort"] == 22 and group.group_name == "res"
    group.delete()


def test_rules_are_modified_in_place_and_described(ec2, vpc):
    group_id = _group(ec2, vpc)
    rule_id = ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=[SSH])[
        "SecurityGroupRules"][0]["SecurityGroupRuleId"]
    ec2.modify_security_group_rules(GroupId=group_id, SecurityGroupRules=[{
        "SecurityGroupRuleId": rule_id, "SecurityGroupRule": {
            "IpProtocol": "tcp", "FromPort": 2222, "ToPort": 2222, "CidrIpv4": "10.0.0.0/8", "Description": "ops"}}])
    rule, = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"]
    assert (rule["FromPort"], rule["CidrIpv4"], rule["Description"]) == (2222, "10.0.0.0/8", "ops")
    ec2.update_security_group_rule_descriptions_ingress(GroupId=group_id, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 2222, "ToPort": 2222,
         "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": "bastion"}]}])
    permission = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]["IpPermissions"][0]
    assert permission["IpRanges"] == [{"CidrIp": "10.0.0.0/8", "Description": "bastion"}]
    assert error_of(ec2.modify_security_group_rules, GroupId=group_id, SecurityGroupRules=[
        {"SecurityGroupRuleId": "sgr-0123456789abcdef0", "SecurityGroupRule": {"IpProtocol": "-1"}}])[0] == \
        "InvalidSecurityGroupRuleId.NotFound"
