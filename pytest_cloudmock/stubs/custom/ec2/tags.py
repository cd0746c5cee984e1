"""`CreateTags`/`DeleteTags`/`DescribeTags` over every EC2 resource (the core ones by their id
prefix, anything else the catalog engine stores by its id, security group rules)."""

from __future__ import annotations

import re
from typing import Any

from ...records import Record
from .common import KINDS, PREFIXES, Ec2, ec2_operation, invalid, not_found
from .filters import field, matcher

FILTERS = {"key": field("Key"), "value": field("Value"), "resource-id": field("ResourceId"),
           "resource-type": field("ResourceType")}
MAX_TAGS = 50


def _rule(view: Ec2, rule_id: str) -> dict[str, Any] | None:
    return next((r for g in view.all("SecurityGroup") for r in g.fields["_rules"]
                 if r["SecurityGroupRuleId"] == rule_id), None)


def _resource(view: Ec2, ident: Any) -> Record | dict[str, Any]:
    """The record (or security group rule) an id names; the type's not-found error if none."""
    if not isinstance(ident, str):
        raise invalid(f"The ID '{ident}' is not valid", "InvalidID")
    prefix = ident.rsplit("-", 1)[0]
    rtype = PREFIXES.get(prefix)
    if rtype is not None:
        record = view.find(rtype, ident)
        if record is None:
            raise not_found(rtype, ident)
        return record
    if prefix == "sgr":
        rule = _rule(view, ident)
        if rule is None:  # AWS's wording
            raise invalid(f"The security group rule ID '{ident}' does not exist", "InvalidSecurityGroupRuleId.NotFound")
        return rule
    for table in list(view.state.resources.values()):  # resources the generic engine serves
        found = table.get(ident)
        if found is not None:
            return found
    raise invalid(f"The ID '{ident}' is not valid", "InvalidID")  # AWS's wording


def _tags_of(resource: Record | dict[str, Any]) -> dict[str, str]:
    if isinstance(resource, Record):
        return resource.tags
    return {t["Key"]: t["Value"] for t in resource.get("Tags", [])}


def _save(resource: Record | dict[str, Any], tags: dict[str, str]) -> None:
    if isinstance(resource, Record):
        resource.tags.clear()
        resource.tags.update(tags)
    else:
        resource["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]


@ec2_operation
def create_tags(view: Ec2) -> dict[str, Any]:
    new = {t.get("Key", ""): t.get("Value", "") for t in view.params.get("Tags") or []}
    for key in new:
        if key.lower().startswith("aws:"):  # AWS's wording not documented
            raise invalid("Tag keys starting with 'aws:' are reserved for internal use")
    resources = [_resource(view, i) for i in view.params.get("Resources") or []]
    for resource in resources:
        merged = {**_tags_of(resource), **new}
        if len(merged) > MAX_TAGS:  # AWS's wording not documented
            raise invalid(f"The maximum number of tags ({MAX_TAGS}) per resource has been exceeded",
                          "TagLimitExceeded")
    for resource in resources:
        _save(resource, {**_tags_of(resource), **new})
    return {}


@ec2_operation
def delete_tags(view: Ec2) -> dict[str, Any]:
    named = view.params.get("Tags")
    for resource in [_resource(view, i) for i in view.params.get("Resources") or []]:
        tags = dict(_tags_of(resource))
        if named is None:
            tags.clear()
        for tag in named or []:
            key = tag.get("Key")
            if key in tags and ("Value" not in tag or tags[key] == tag["Value"]):
                del tags[key]
        _save(resource, tags)
    return {}


@ec2_operation
def describe_tags(view: Ec2) -> dict[str, Any]:
    items = []
    for rtype in list(view.state.resources):  # the core's tables, then those the generic engine keeps
        kind = KINDS[rtype][1] if rtype in KINDS else re.sub(r"(?<!^)(?=[A-Z])", "-", rtype).lower()
        for record in view.all(rtype):
            items += [{"Key": k, "Value": v, "ResourceId": record.id, "ResourceType": kind}
                      for k, v in record.tags.items()]
    items += [{"Key": t["Key"], "Value": t["Value"], "ResourceId": r["SecurityGroupRuleId"],
               "ResourceType": "security-group-rule"}
              for g in view.all("SecurityGroup") for r in g.fields["_rules"] for t in r.get("Tags", [])]
    test = matcher(view.params.get("Filters"), FILTERS)
    chosen = [i for i in items if test(i, {})]
    page, token = view.page(chosen)
    return {"Tags": page, "NextToken": token}
