"""Route 53 record sets: `ChangeResourceRecordSets` and `ListResourceRecordSets` over the
`ResourceRecordSet` records the entry declares under each hosted zone."""

from __future__ import annotations

import copy
from typing import Any

from ...api import AWSError
from ..ids import render
from ..records import Record, find, record_key

RTYPE = "ResourceRecordSet"


def _zone(service: Any, ctx: Any) -> Record:
    zone_id = ctx.params["HostedZoneId"]
    zone = find(service.store.for_ctx(ctx).table("HostedZone"), zone_id)
    if zone is None:  # AWS's message for an unknown zone id
        raise AWSError("NoSuchHostedZone", f"No hosted zone found with ID: {zone_id.rsplit('/', 1)[-1]}", 404)
    return zone


def _name(name: str) -> str:
    return name.lower() if name.endswith(".") else name.lower() + "."


def _key(rrset: dict[str, Any]) -> str:
    return f"{_name(rrset['Name'])}|{rrset['Type']}|{rrset.get('SetIdentifier', '')}"


def _defaults(zone: Record) -> list[dict[str, Any]]:
    """The SOA and NS records every hosted zone starts with."""
    name = _name(str(zone.fields.get("Name", "")))
    servers = [f"ns-{n}.awsdns-{n % 64:02}.{tld}." for n, tld in ((1, "com"), (513, "net"), (1025, "org"),
                                                                     (1537, "co.uk"))]
    return [
        {"Name": name, "Type": "NS", "TTL": 172800, "ResourceRecords": [{"Value": s} for s in servers]},
        {"Name": name, "Type": "SOA", "TTL": 900, "ResourceRecords": [{
            "Value": f"{servers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}]},
    ]


def change_resource_record_sets(service: Any, ctx: Any) -> dict[str, Any]:
    """Apply a change batch all-or-nothing (`InvalidChangeBatch` names the first bad change)."""
    zone = _zone(service, ctx)
    parent = record_key(zone.id, zone.parent)
    now = ctx.clock.utcnow()
    with service.store.lock:
        table = service.store.for_ctx(ctx).table(RTYPE)
        staged = {k: r for k, r in table.items() if r.parent == parent}
        for change in ctx.params["ChangeBatch"]["Changes"]:
            rrset, action = change["ResourceRecordSet"], change["Action"]
            key = record_key(_key(rrset), parent)
            shown = f"[name='{_name(rrset['Name'])}', type='{rrset['Type']}'"
            shown += f", set-identifier='{rrset['SetIdentifier']}']" if rrset.get("SetIdentifier") else "]"
            if action == "CREATE" and key in staged:
                raise AWSError("InvalidChangeBatch",
                               f"[Tried to create resource record set {shown} but it already exists]")
            if action == "DELETE":
                if key not in staged:
                    raise AWSError("InvalidChangeBatch",
                                   f"[Tried to delete resource record set {shown} but it was not found]")
                del staged[key]
                continue
            fields = {**copy.deepcopy(rrset), "Name": _name(rrset["Name"])}
            staged[key] = Record(RTYPE, _key(rrset), "", fields, {}, now, now, parent=parent)
        for key in [k for k, r in table.items() if r.parent == parent]:
            del table[key]
        table.update(staged)
        zone.fields["ResourceRecordSetCount"] = 2 + len(staged)
    return {"ChangeInfo": {"Id": render("/change/C{upper:13}", {}), "Status": "INSYNC",
                           "SubmittedAt": now, "Comment": ctx.params["ChangeBatch"].get("Comment")}}


def list_resource_record_sets(service: Any, ctx: Any) -> dict[str, Any]:
    """Records in DNS order (name, then type) from `StartRecordName`/`StartRecordType`, `MaxItems` a page."""
    zone = _zone(service, ctx)
    parent = record_key(zone.id, zone.parent)
    table = service.store.for_ctx(ctx).table(RTYPE)
    rrsets = _defaults(zone) + [copy.deepcopy(r.fields) for r in tuple(table.values()) if r.parent == parent]
    rrsets.sort(key=lambda r: (list(reversed(r["Name"].rstrip(".").split("."))), r["Type"],
                               r.get("SetIdentifier", "")))
    start_name, start_type = ctx.params.get("StartRecordName"), ctx.params.get("StartRecordType")
    if start_name:
        at = (list(reversed(_name(start_name).rstrip(".").split("."))), start_type or "")
        rrsets = [r for r in rrsets if (list(reversed(r["Name"].rstrip(".").split("."))), r["Type"]) >= at]
    try:
        size = int(ctx.params.get("MaxItems") or 300)
    except ValueError:
        raise AWSError("InvalidInput", "MaxItems must be a number") from None  # AWS's wording unknown
    page, rest = rrsets[:size], rrsets[size:]
    out: dict[str, Any] = {"ResourceRecordSets": page, "IsTruncated": bool(rest), "MaxItems": str(size)}
    if rest:
        out["NextRecordName"], out["NextRecordType"] = rest[0]["Name"], rest[0]["Type"]
        if rest[0].get("SetIdentifier"):
            out["NextRecordIdentifier"] = rest[0]["SetIdentifier"]
    return out
