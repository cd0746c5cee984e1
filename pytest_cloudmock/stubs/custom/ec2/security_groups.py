"""Security groups and their rules: ingress/egress authorize and revoke (a duplicate refused, a
missing one not found), the default egress rule, references to other groups,
`DescribeSecurityGroupRules`, and deletes refused for the default group or a group in use."""

from __future__ import annotations

from typing import Any

from ....api import AWSError
from ...records import Record
from .common import Ec2, ec2_operation, invalid, network, new_id, public, tag_list, tags_for
from .filters import field, matcher

PROTOCOLS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}
PEERS = ("CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupId")
FILTERS = {
    "group-id": field("GroupId"), "group-name": field("GroupName"), "description": field("Description"),
    "vpc-id": field("VpcId"), "owner-id": field("OwnerId"),
    "ip-permission.cidr": field("IpPermissions", "IpRanges", "CidrIp"),
    "ip-permission.ipv6-cidr": field("IpPermissions", "Ipv6Ranges", "CidrIpv6"),
    "ip-permission.from-port": field("IpPermissions", "FromPort"),
    "ip-permission.to-port": field("IpPermissions", "ToPort"),
    "ip-permission.protocol": field("IpPermissions", "IpProtocol"),
    "ip-permission.group-id": field("IpPermissions", "UserIdGroupPairs", "GroupId"),
    "ip-permission.prefix-list-id": field("IpPermissions", "PrefixListIds", "PrefixListId"),
    "egress.ip-permission.cidr": field("IpPermissionsEgress", "IpRanges", "CidrIp"),
    "egress.ip-permission.protocol": field("IpPermissionsEgress", "IpProtocol"),
    "egress.ip-permission.group-id": field("IpPermissionsEgress", "UserIdGroupPairs", "GroupId"),
    "egress.ip-permission.from-port": field("IpPermissionsEgress", "FromPort"),
    "egress.ip-permission.to-port": field("IpPermissionsEgress", "ToPort"),
}
RULE_FILTERS = {"group-id": field("GroupId"), "security-group-rule-id": field("SecurityGroupRuleId")}


# -- groups ----------------------------------------------------------------------------------------------
def new_group(view: Ec2, vpc_id: str, name: str, description: str, tags: dict[str, str] | None = None,
              default: bool = False) -> Record:
    """A group with the default egress rule (a VPC's default group also admits its own members)."""
    group_id = new_id("sg")
    group = view.add("SecurityGroup", group_id, {
        "GroupId": group_id, "GroupName": name, "Description": description, "VpcId": vpc_id,
        "OwnerId": view.account, "SecurityGroupArn": view.arn("SecurityGroup", group_id),
        "IpPermissions": [], "IpPermissionsEgress": [], "_rules": []}, tags)
    _add(view, group, _rule(view, group, True, "-1", -1, -1, "CidrIpv4", "0.0.0.0/0"))
    if default:
        _add(view, group, _rule(view, group, False, "-1", -1, -1, "ReferencedGroupId", group_id))
    return group


def default_group(view: Ec2, vpc_id: str) -> Record:
    return next(g for g in view.all("SecurityGroup") if g.fields["VpcId"] == vpc_id
                and g.fields["GroupName"] == "default")


def _vpc_for(view: Ec2, vpc_id: str | None) -> str:
    from .network import default_vpc

    if vpc_id:
        return view.get("Vpc", vpc_id).id
    vpc = default_vpc(view)
    if vpc is None:  # AWS's wording
        raise AWSError("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic "
                       "and default VPC.")
    return vpc.id


def group_named(view: Ec2, group_id: Any, name: Any, vpc_id: str | None = None) -> Record:
    """The group a request names by id, or by name in the default VPC (or `vpc_id`)."""
    if group_id:
        return view.get("SecurityGroup", group_id)
    if not name:
        raise invalid("The request must contain the parameter groupName or groupId", "MissingParameter")
    vpc = _vpc_for(view, vpc_id)
    found = next((g for g in view.all("SecurityGroup") if g.fields["VpcId"] == vpc and g.fields["GroupName"] == name),
                 None)
    if found is None:  # AWS's wording
        raise invalid(f"The security group '{name}' does not exist in default VPC '{vpc}'", "InvalidGroup.NotFound")
    return found


@ec2_operation
def create_security_group(view: Ec2) -> dict[str, Any]:
    name, description = view.params.get("GroupName") or "", view.params.get("Description") or ""
    vpc_id = _vpc_for(view, view.params.get("VpcId"))
    if name.lower().startswith("sg-"):  # AWS's wording
        raise invalid("Group names may not be in the format sg-*.")
    if any(g.fields["VpcId"] == vpc_id and g.fields["GroupName"] == name for g in view.all("SecurityGroup")):
        raise invalid(f"The security group '{name}' already exists for VPC '{vpc_id}'", "InvalidGroup.Duplicate")
    group = new_group(view, vpc_id, name, description, tags_for(view.params, "security-group"))
    out: dict[str, Any] = {"GroupId": group.id, "SecurityGroupArn": group.fields["SecurityGroupArn"]}
    if group.tags:
        out["Tags"] = tag_list(group.tags)
    return out


@ec2_operation
def describe_security_groups(view: Ec2) -> dict[str, Any]:
    found = view.describe("SecurityGroup", "GroupIds", FILTERS)
    names = view.params.get("GroupNames")
    if names:
        named = [group_named(view, None, n) for n in names]
        found = [g for g in found if g in named]
    page, token = view.page([public(g) for g in found], ids_param="GroupIds")
    return {"SecurityGroups": page, "NextToken": token}


@ec2_operation
def delete_security_group(view: Ec2) -> dict[str, Any]:
    group = group_named(view, view.params.get("GroupId"), view.params.get("GroupName"))
    if group.fields["GroupName"] == "default":  # AWS's wording
        raise invalid(f'the specified group: "{group.id}" name: "default" cannot be deleted by a user',
                      "CannotDelete")
    referenced = any(r.get("ReferencedGroupId") == group.id for g in view.all("SecurityGroup") if g is not group
                     for r in g.fields["_rules"])
    used = any(group.id in [x["GroupId"] for x in e.fields["Groups"]] for e in view.all("NetworkInterface"))
    if referenced or used:  # AWS's wording
        raise invalid(f"resource {group.id} has a dependent object", "DependencyViolation")
    view.remove("SecurityGroup", group.id)
    return {"Return": True, "GroupId": group.id}


# -- rules ----------------------------------------------------------------------------------------------------
def _rule(view: Ec2, group: Record, egress: bool, protocol: str, low: int, high: int, peer: str, value: str,
          description: str | None = None, tags: dict[str, str] | None = None) -> dict[str, Any]:
    rule_id = new_id("sgr")
    rule: dict[str, Any] = {
        "SecurityGroupRuleId": rule_id, "GroupId": group.id, "GroupOwnerId": view.account, "IsEgress": egress,
        "IpProtocol": protocol, "FromPort": low, "ToPort": high, peer: value,
        "SecurityGroupRuleArn": f"arn:{view.ctx.partition}:ec2:{view.region}:{view.account}:"
                                f"security-group-rule/{rule_id}"}
    if description is not None:
        rule["Description"] = description
    if tags:
        rule["Tags"] = tag_list(tags)
    return rule


def _key(rule: dict[str, Any]) -> tuple[Any, ...]:
    peer = next(p for p in PEERS if p in rule)
    return rule["IsEgress"], rule["IpProtocol"], rule["FromPort"], rule["ToPort"], peer, rule[peer]


def _add(view: Ec2, group: Record, rule: dict[str, Any]) -> None:
    group.fields["_rules"].append(rule)
    _refresh(group)


def _refresh(group: Record) -> None:
    """`IpPermissions`/`IpPermissionsEgress` from the group's rules (one permission per protocol
    and port range, peers grouped by kind, in the order they were added)."""
    for egress, member in ((False, "IpPermissions"), (True, "IpPermissionsEgress")):
        permissions: dict[tuple[Any, ...], dict[str, Any]] = {}
        for rule in group.fields["_rules"]:
            if rule["IsEgress"] != egress:
                continue
            key = (rule["IpProtocol"], rule["FromPort"], rule["ToPort"])
            permission = permissions.setdefault(key, {
                "IpProtocol": rule["IpProtocol"], "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": [],
                **({"FromPort": rule["FromPort"], "ToPort": rule["ToPort"]} if rule["IpProtocol"] != "-1" else {})})
            described = {"Description": rule["Description"]} if "Description" in rule else {}
            if "CidrIpv4" in rule:
                permission["IpRanges"].append({"CidrIp": rule["CidrIpv4"], **described})
            elif "CidrIpv6" in rule:
                permission["Ipv6Ranges"].append({"CidrIpv6": rule["CidrIpv6"], **described})
            elif "PrefixListId" in rule:
                permission["PrefixListIds"].append({"PrefixListId": rule["PrefixListId"], **described})
            else:
                permission["UserIdGroupPairs"].append({"GroupId": rule["ReferencedGroupId"],
                                                       "UserId": rule["GroupOwnerId"], **described})
        group.fields[member] = list(permissions.values())


def _protocol(value: Any) -> str:
    text = str(value if value is not None else "").lower()
    text = PROTOCOLS.get(text, text)
    if text in ("tcp", "udp", "icmp", "icmpv6", "-1") or (text.isdigit() and 0 <= int(text) <= 255):
        return text
    raise invalid(f"Invalid value '{value}' for IP protocol. Unknown protocol.")  # AWS's wording not documented


def _ports(protocol: str, low: Any, high: Any) -> tuple[int, int]:
    if protocol == "-1" or (protocol.isdigit() and protocol not in ("6", "17")):
        return -1, -1
    if protocol in ("tcp", "udp"):
        if low is None or high is None:  # AWS's wording not documented
            raise invalid("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange")
        if not (0 <= int(low) <= 65535 and 0 <= int(high) <= 65535) or int(low) > int(high):
            raise invalid(f"Invalid port range: from port {low} to port {high}")
        return int(low), int(high)
    return int(-1 if low is None else low), int(-1 if high is None else high)  # ICMP type and code


def _permissions(view: Ec2, group: Record, egress: bool) -> list[dict[str, Any]]:
    """The request's permissions (`IpPermissions`, or the old top-level members) as rules."""
    params = view.params
    permissions = list(params.get("IpPermissions") or [])
    if params.get("IpProtocol") or params.get("CidrIp") or params.get("SourceSecurityGroupName"):
        permission: dict[str, Any] = {"IpProtocol": params.get("IpProtocol") or "-1",
                                      "FromPort": params.get("FromPort"), "ToPort": params.get("ToPort")}
        if params.get("CidrIp"):
            permission["IpRanges"] = [{"CidrIp": params["CidrIp"]}]
        if params.get("SourceSecurityGroupName"):
            permission["UserIdGroupPairs"] = [{"GroupName": params["SourceSecurityGroupName"]}]
        permissions.append(permission)
    if not permissions:  # AWS's wording
        raise invalid("The request must contain the parameter ipPermissions", "MissingParameter")
    tags = tags_for(params, "security-group-rule")
    rules = []
    for permission in permissions:
        protocol = _protocol(permission.get("IpProtocol"))
        low, high = _ports(protocol, permission.get("FromPort"), permission.get("ToPort"))
        peers: list[tuple[str, str, str | None]] = []
        for item in permission.get("IpRanges") or []:
            peers.append(("CidrIpv4", str(network(item.get("CidrIp"), "cidrIp")), item.get("Description")))
        for item in permission.get("Ipv6Ranges") or []:
            peers.append(("CidrIpv6", str(item.get("CidrIpv6")), item.get("Description")))
        for item in permission.get("PrefixListIds") or []:
            peers.append(("PrefixListId", str(item.get("PrefixListId")), item.get("Description")))
        for item in permission.get("UserIdGroupPairs") or []:
            other = group_named(view, item.get("GroupId"), item.get("GroupName"), group.fields["VpcId"]) \
                if item.get("GroupId") or item.get("GroupName") else None
            if other is None:
                raise invalid("The request must contain the parameter groupId", "MissingParameter")
            peers.append(("ReferencedGroupId", other.id, item.get("Description")))
        if not peers:
            raise invalid("The request must contain at least one source or destination (IpRanges, Ipv6Ranges, "
                          "PrefixListIds or UserIdGroupPairs)", "MissingParameter")  # AWS's wording not documented
        for peer, value, description in peers:
            rules.append(_rule(view, group, egress, protocol, low, high, peer, value, description, tags))
    return rules


def _shown(rule: dict[str, Any]) -> str:
    """A rule as AWS names it in `InvalidPermission.Duplicate`."""
    peer = next(rule[p] for p in PEERS if p in rule)
    protocol = {"-1": "ALL"}.get(rule["IpProtocol"], rule["IpProtocol"].upper())
    ports = f", from port: {rule['FromPort']}, to port: {rule['ToPort']}" if rule["FromPort"] != -1 else ""
    return f'peer: {peer}, {protocol}{ports}, ALLOW'


def _authorize(view: Ec2, egress: bool) -> dict[str, Any]:
    group = group_named(view, view.params.get("GroupId"), view.params.get("GroupName"))
    rules = _permissions(view, group, egress)
    existing = {_key(r) for r in group.fields["_rules"]}
    for rule in rules:
        if _key(rule) in existing:  # AWS's wording
            raise invalid(f'the specified rule "{_shown(rule)}" already exists', "InvalidPermission.Duplicate")
        existing.add(_key(rule))
    for rule in rules:
        _add(view, group, rule)
    return {"Return": True, "SecurityGroupRules": [_rule_out(r) for r in rules]}


def _rule_out(rule: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in rule.items() if k != "ReferencedGroupId"}
    if "ReferencedGroupId" in rule:
        out["ReferencedGroupInfo"] = {"GroupId": rule["ReferencedGroupId"], "UserId": rule["GroupOwnerId"]}
    return out


def _revoke(view: Ec2, egress: bool) -> dict[str, Any]:
    group = group_named(view, view.params.get("GroupId"), view.params.get("GroupName"))
    rule_ids = view.params.get("SecurityGroupRuleIds") or []
    if rule_ids:
        known = {r["SecurityGroupRuleId"]: r for r in group.fields["_rules"] if r["IsEgress"] == egress}
        unknown = [i for i in rule_ids if i not in known]
        if unknown:  # AWS's wording
            raise invalid(f"The security group rule ID '{unknown[0]}' does not exist",
                          "InvalidSecurityGroupRuleId.NotFound")
        gone = [known[i] for i in rule_ids]
    else:
        by_key = {_key(r): r for r in group.fields["_rules"]}
        gone = []
        for rule in _permissions(view, group, egress):
            if _key(rule) not in by_key:  # AWS's wording
                raise invalid("The specified rule does not exist in this security group.",
                              "InvalidPermission.NotFound")
            gone.append(by_key[_key(rule)])
    group.fields["_rules"] = [r for r in group.fields["_rules"] if all(r is not g for g in gone)]
    _refresh(group)
    return {"Return": True, "RevokedSecurityGroupRules": [
        {k: v for k, v in _rule_out(r).items() if k not in ("Tags", "GroupOwnerId", "SecurityGroupRuleArn")}
        for r in gone]}


@ec2_operation
def authorize_security_group_ingress(view: Ec2) -> dict[str, Any]:
    return _authorize(view, False)


@ec2_operation
def authorize_security_group_egress(view: Ec2) -> dict[str, Any]:
    return _authorize(view, True)


@ec2_operation
def revoke_security_group_ingress(view: Ec2) -> dict[str, Any]:
    return _revoke(view, False)


@ec2_operation
def revoke_security_group_egress(view: Ec2) -> dict[str, Any]:
    return _revoke(view, True)


@ec2_operation
def describe_security_group_rules(view: Ec2) -> dict[str, Any]:
    rules = [_rule_out(r) for g in view.all("SecurityGroup") for r in g.fields["_rules"]]
    wanted = view.params.get("SecurityGroupRuleIds")
    if wanted:
        known = {r["SecurityGroupRuleId"] for r in rules}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise invalid(f"The security group rule ID '{unknown[0]}' does not exist",
                          "InvalidSecurityGroupRuleId.NotFound")
        rules = [r for r in rules if r["SecurityGroupRuleId"] in wanted]
    test = matcher(view.params.get("Filters"), RULE_FILTERS)
    rules = [r for r in rules if test(r, {t["Key"]: t["Value"] for t in r.get("Tags", [])})]
    page, token = view.page(rules, ids_param="SecurityGroupRuleIds")
    return {"SecurityGroupRules": page, "NextToken": token}



@ec2_operation
def modify_security_group_rules(view: Ec2) -> dict[str, Any]:
    """Rules replaced in place by id (protocol, ports, peer, description); a duplicate refused."""
    group = view.get("SecurityGroup", view.params.get("GroupId"))
    rules = {r["SecurityGroupRuleId"]: r for r in group.fields["_rules"]}
    changed = []
    for item in view.params.get("SecurityGroupRules") or []:
        rule_id, wanted = item.get("SecurityGroupRuleId"), item.get("SecurityGroupRule") or {}
        if rule_id not in rules:  # AWS's wording
            raise invalid(f"The security group rule ID '{rule_id}' does not exist",
                          "InvalidSecurityGroupRuleId.NotFound")
        old = rules[rule_id]
        protocol = _protocol(wanted.get("IpProtocol", old["IpProtocol"]))
        low, high = _ports(protocol, wanted.get("FromPort", old["FromPort"]), wanted.get("ToPort", old["ToPort"]))
        peers = [(p, wanted[p]) for p in PEERS if wanted.get(p)]
        peer, value = peers[0] if peers else next((p, old[p]) for p in PEERS if p in old)
        if peer == "ReferencedGroupId":
            value = view.get("SecurityGroup", value).id
        elif peer == "CidrIpv4":
            value = str(network(value, "cidrIpv4"))
        new = {k: v for k, v in old.items() if k not in PEERS and k != "Description"}
        new.update({"IpProtocol": protocol, "FromPort": low, "ToPort": high, peer: value})
        if wanted.get("Description", old.get("Description")) is not None:
            new["Description"] = wanted.get("Description", old.get("Description"))
        changed.append((old, new))
    keep = [r for r in group.fields["_rules"] if all(r is not old for old, _ in changed)]
    existing = {_key(r) for r in keep}
    for _, new in changed:
        if _key(new) in existing:  # AWS's wording
            raise invalid(f'the specified rule "{_shown(new)}" already exists', "InvalidPermission.Duplicate")
        existing.add(_key(new))
    replaced = {id(old): new for old, new in changed}
    group.fields["_rules"] = [replaced.get(id(r), r) for r in group.fields["_rules"]]
    _refresh(group)
    return {"Return": True}


def _describe_rules(view: Ec2, egress: bool) -> dict[str, Any]:
    """`UpdateSecurityGroupRuleDescriptions*`: new descriptions for rules named by id or by permission."""
    group = group_named(view, view.params.get("GroupId"), view.params.get("GroupName"))
    by_id = {r["SecurityGroupRuleId"]: r for r in group.fields["_rules"] if r["IsEgress"] == egress}
    updates: list[tuple[dict[str, Any], str | None]] = []
    for item in view.params.get("SecurityGroupRuleDescriptions") or []:
        rule = by_id.get(item.get("SecurityGroupRuleId"))
        if rule is None:  # AWS's wording
            raise invalid(f"The security group rule ID '{item.get('SecurityGroupRuleId')}' does not exist",
                          "InvalidSecurityGroupRuleId.NotFound")
        updates.append((rule, item.get("Description")))
    if view.params.get("IpPermissions"):
        by_key = {_key(r): r for r in by_id.values()}
        for rule in _permissions(view, group, egress):
            if _key(rule) not in by_key:  # AWS's wording
                raise invalid("The specified rule does not exist in this security group.",
                              "InvalidPermission.NotFound")
            updates.append((by_key[_key(rule)], rule.get("Description")))
    for rule, description in updates:
        if description is None:
            rule.pop("Description", None)
        else:
            rule["Description"] = description
    _refresh(group)
    return {"Return": True}


@ec2_operation
def update_security_group_rule_descriptions_ingress(view: Ec2) -> dict[str, Any]:
    return _describe_rules(view, False)


@ec2_operation
def update_security_group_rule_descriptions_egress(view: Ec2) -> dict[str, Any]:
    return _describe_rules(view, True)
