"""What every EC2 operation shares: the request's view of the state (`Ec2`), identifiers,
not-found errors, tags, `Describe*` paging and filtering, transitions on the gateway clock,
and the default VPC each account/region has from its first EC2 call on."""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ....api import AWSError
from ....paging import offset_page
from ...ids import render
from ...records import Record, StubState
from .filters import Getter, matcher

#: Seconds on the gateway clock a transient state lasts (`pending`, `stopping`, `attaching`...).
TRANSITION = 1.0

# rtype -> (error code, message template): AWS's wording as the EC2 API sends it.
NOT_FOUND = {
    "Vpc": ("InvalidVpcID.NotFound", "The vpc ID '{}' does not exist"),
    "Subnet": ("InvalidSubnetID.NotFound", "The subnet ID '{}' does not exist"),
    "SecurityGroup": ("InvalidGroup.NotFound", "The security group '{}' does not exist"),
    "RouteTable": ("InvalidRouteTableID.NotFound", "The routeTable ID '{}' does not exist"),
    "InternetGateway": ("InvalidInternetGatewayID.NotFound", "The internetGateway ID '{}' does not exist"),
    "NatGateway": ("NatGatewayNotFound", "The Nat Gateway {} was not found"),  # wording not documented
    "Address": ("InvalidAllocationID.NotFound", "The allocation ID '{}' does not exist"),
    "NetworkInterface": ("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '{}' does not exist"),
    "KeyPair": ("InvalidKeyPair.NotFound", "The key pair '{}' does not exist"),
    "Image": ("InvalidAMIID.NotFound", "The image id '[{}]' does not exist"),
    "Instance": ("InvalidInstanceID.NotFound", "The instance ID '{}' does not exist"),
    "Volume": ("InvalidVolume.NotFound", "The volume '{}' does not exist."),
    "Snapshot": ("InvalidSnapshot.NotFound", "The snapshot '{}' does not exist."),
    "LaunchTemplate": ("InvalidLaunchTemplateId.NotFound",
                       "The specified launch template, with template ID {}, does not exist."),
}
# Id list members as EC2's wire (and its error messages) names them.
WIRE_NAMES = {"InstanceIds": "instancesSet"}
# id prefix -> rtype (CreateTags and friends name resources by id alone).
PREFIXES = {
    "vpc": "Vpc", "subnet": "Subnet", "sg": "SecurityGroup", "rtb": "RouteTable", "igw": "InternetGateway",
    "nat": "NatGateway", "eipalloc": "Address", "eni": "NetworkInterface", "key": "KeyPair", "ami": "Image",
    "i": "Instance", "vol": "Volume", "snap": "Snapshot", "lt": "LaunchTemplate",
}
# rtype -> (ARN resource word, DescribeTags `resource-type`).
KINDS = {
    "Vpc": ("vpc", "vpc"), "Subnet": ("subnet", "subnet"), "SecurityGroup": ("security-group", "security-group"),
    "RouteTable": ("route-table", "route-table"), "InternetGateway": ("internet-gateway", "internet-gateway"),
    "NatGateway": ("natgateway", "natgateway"), "Address": ("elastic-ip", "elastic-ip"),
    "NetworkInterface": ("network-interface", "network-interface"), "KeyPair": ("key-pair", "key-pair"),
    "Image": ("image", "image"), "Instance": ("instance", "instance"), "Volume": ("volume", "volume"),
    "Snapshot": ("snapshot", "snapshot"), "LaunchTemplate": ("launch-template", "launch-template"),
}

# Availability zones by region (their ids as AWS spells the region: `use1-az1`).
_ZONES = {"us-east-1": "abcdef", "us-west-2": "abcd", "ap-northeast-1": "acd", "us-west-1": "ac"}
_SHORT = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c", "northeast": "ne",
          "northwest": "nw", "southeast": "se", "southwest": "sw"}


def zones(region: str) -> list[tuple[str, str]]:
    """(zone name, zone id) of a region's availability zones."""
    area, _, rest = region.partition("-")
    where, _, number = rest.rpartition("-")
    short = f"{area}{_SHORT.get(where, where[:1])}{number}"
    return [(f"{region}{letter}", f"{short}-az{i}") for i, letter in enumerate(_ZONES.get(region, "abc"), 1)]


def new_id(prefix: str, size: int = 17) -> str:
    """An EC2 identifier: `vpc-0123456789abcdef0`."""
    return render(f"{prefix}-{{hex:{size}}}", {})


def invalid(message: str, code: str = "InvalidParameterValue") -> AWSError:
    return AWSError(code, message, 400)


def not_found(rtype: str, ident: Any) -> AWSError:
    code, text = NOT_FOUND[rtype]
    return AWSError(code, text.format(ident), 400)


def tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def tags_for(params: dict[str, Any], *resource_types: str) -> dict[str, str]:
    """The tags `TagSpecifications` give resources of these types."""
    tags: dict[str, str] = {}
    for spec in params.get("TagSpecifications") or []:
        if spec.get("ResourceType") in resource_types or not spec.get("ResourceType"):
            tags.update({t["Key"]: t.get("Value", "") for t in spec.get("Tags") or [] if "Key" in t})
    return tags


def public(record: Record) -> dict[str, Any]:
    """A record as `Describe*` shows it: its fields without private keys, its tags."""
    item = {k: copy.deepcopy(v) for k, v in record.fields.items() if not k.startswith("_")}
    if record.tags:
        item["Tags"] = tag_list(record.tags)
    return item


def network(cidr: Any, member: str = "cidrBlock") -> ipaddress.IPv4Network:
    """A CIDR block the client sent (`InvalidParameterValue` naming the member if it is not one)."""
    try:
        return ipaddress.IPv4Network(str(cidr), strict=False)
    except ValueError:
        raise invalid(f"Value ({cidr}) for parameter {member} is invalid. This is not a valid CIDR block.") from None


class Ec2:
    """One request's view of an account/region's EC2 state (hold `service.store.lock`)."""

    def __init__(self, service: Any, ctx: Any) -> None:
        self.service, self.ctx = service, ctx
        self.state: StubState = service.store.for_ctx(ctx)
        self.now: datetime = ctx.clock.utcnow()
        self.params: dict[str, Any] = ctx.params
        self.region, self.account = ctx.region, ctx.account_id
        if not self.state.setting("ec2").get("defaults"):
            self.state.setting("ec2")["defaults"] = {"done": True}
            from .network import make_default_vpc

            make_default_vpc(self)
        self._settle_due()

    # -- records -------------------------------------------------------------------------------
    def table(self, rtype: str) -> dict[str, Record]:
        return self.state.table(rtype)

    def arn(self, rtype: str, ident: str) -> str:
        return f"arn:{self.ctx.partition}:ec2:{self.region}:{self.account}:{KINDS[rtype][0]}/{ident}"

    def add(self, rtype: str, ident: str, fields: dict[str, Any], tags: dict[str, str] | None = None) -> Record:
        record = Record(rtype, ident, self.arn(rtype, ident), fields, dict(tags or {}), self.now, self.now)
        self.table(rtype)[ident] = record
        return record

    def find(self, rtype: str, ident: Any) -> Record | None:
        record = self.table(rtype).get(ident) if isinstance(ident, str) else None
        return self.settle(record) if record is not None else None

    def get(self, rtype: str, ident: Any) -> Record:
        """The record named, or the type's not-found error."""
        record = self.find(rtype, ident)
        if record is None:
            raise not_found(rtype, ident)
        return record

    def all(self, rtype: str) -> list[Record]:
        return [self.settle(r) for r in list(self.table(rtype).values())]

    def remove(self, rtype: str, ident: str) -> None:
        self.table(rtype).pop(ident, None)

    # -- transitions on the gateway clock -------------------------------------------------------
    def schedule(self, record: Record, path: str, target: Any, then: str = "") -> None:
        """Set `fields[path]` (dotted) to `target` `TRANSITION` seconds from now (a later schedule
        of the same path replaces it); `then` names a follow-up in `AFTER`."""
        pending = record.fields.setdefault("_pending", {})
        pending[path] = {"at": self.now + timedelta(seconds=TRANSITION), "to": target, "then": then}
        self.state.setting("ec2").setdefault("pending", {})[f"{record.rtype}/{record.id}"] = (record.rtype, record.id)

    def _settle_due(self) -> None:
        """Transitions due on any record (their follow-ups touch other records: a terminated
        instance gives back its addresses before a `DeleteSubnet` counts them)."""
        due = self.state.setting("ec2").setdefault("pending", {})
        for key, (rtype, ident) in list(due.items()):
            record = self.table(rtype).get(ident)
            if record is not None:
                self.settle(record)
            if record is None or not record.fields.get("_pending"):
                del due[key]

    def settle(self, record: Record) -> Record:
        """Apply the transitions due by now."""
        pending = record.fields.get("_pending")
        if not pending:
            return record
        for path, step in list(pending.items()):
            if step["at"] <= self.now:
                del pending[path]
                holder = record.fields
                *parents, leaf = path.split(".")
                for part in parents:
                    holder = holder.setdefault(part, {})
                holder[leaf] = copy.deepcopy(step["to"])
                if step.get("then"):
                    AFTER[step["then"]](self, record)
        return record

    # -- Describe* ---------------------------------------------------------------------------------
    def describe(self, rtype: str, ids_param: str | None, getters: dict[str, Getter], *,
                 records: list[Record] | None = None, filters_param: str = "Filters",
                 missing: Callable[[list[str]], AWSError] | None = None) -> list[Record]:
        """The records a `Describe*` names (every one named must exist) that pass its filters."""
        chosen = self.all(rtype) if records is None else records
        ids = self.params.get(ids_param) if ids_param else None
        if ids:
            by_id = {r.id: r for r in chosen}
            unknown = [i for i in ids if i not in by_id]
            if unknown:
                raise missing(unknown) if missing else not_found(rtype, unknown[0])
            chosen = [by_id[i] for i in dict.fromkeys(ids)]
        test = matcher(self.params.get(filters_param), getters)
        return [r for r in chosen if test({**public(r), "_fields": r.fields}, r.tags)]

    def page(self, items: list[Any], token: str = "NextToken", limit: str = "MaxResults",
             ids_param: str | None = None) -> tuple[list[Any], str | None]:
        """A page of `items` by `MaxResults`/`NextToken` (not with ids: AWS refuses the pair)."""
        size = self.params.get(limit)
        if size is not None and ids_param and self.params.get(ids_param):  # AWS's wording (instancesSet's)
            wire = WIRE_NAMES.get(ids_param, ids_param[:1].lower() + ids_param[1:])
            raise invalid(f"The parameter {wire} cannot be used with the parameter maxResults",
                          "InvalidParameterCombination")
        return offset_page(items, self.params.get(token), size, default_limit=1000,
                           scope=self.ctx.operation, bad_token=lambda: invalid(
                               "The specified pagination token is not valid or is expired.",
                               "InvalidPaginationToken"))


#: Follow-ups of transitions, by name (plain functions, so records stay plain data).
AFTER: dict[str, Callable[[Ec2, Record], None]] = {}


def ec2_operation(fn: Callable[[Ec2], dict[str, Any]]) -> Callable[[Any, Any], dict[str, Any]]:
    """A catalog handler `(service, ctx)` running `fn(view)` under the store lock."""

    def handler(service: Any, ctx: Any) -> dict[str, Any]:
        with service.store.lock:
            return fn(Ec2(service, ctx))

    handler.__name__ = fn.__name__
    handler.__doc__ = fn.__doc__
    return handler
