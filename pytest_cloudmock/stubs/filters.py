"""A list operation's filters over stored stub resources.

`...Contains`/`NamePrefix` members match the record's id and name fields; `Filters`
(`[{Name, Values}]`, EC2's `tag:Key` too) match stored fields or tags; status
members (one value or a list) match the lifecycle state or a stored status.
A filter on something the stub does not store hides nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .entry import ResourceType
from .plan import Plan
from .records import Record
from .shapes import norm


def filtered(records: list[Record], params: dict[str, Any], plan: Plan, rtype: ResourceType,
             state: Callable[[Record], str | None]) -> list[Record]:
    """Records matching a list operation's filters (`state`: a record's lifecycle state now)."""
    paging = (plan.paging.token_in, plan.paging.limit) if plan.paging else ()
    skip = {norm(n) for n in paging if n}
    skip.add(norm(rtype.parent_id or ""))
    tests = []
    for name, value in params.items():
        key = norm(name)
        if key in skip or value in (None, "", []):
            continue
        if key.endswith(("contains", "prefix")) and isinstance(value, str):
            want, prefix = value.lower(), key.endswith("prefix")
            tests.append(lambda r, w=want, p=prefix: any(
                (s.lower().startswith(w) if p else w in s.lower()) for s in _names(r)))
        elif key in ("filters", "filter") and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    fname = next((v for k, v in item.items() if norm(k) in ("name", "key")), None)
                    values = next((v for k, v in item.items() if norm(k) in ("values", "value")), None)
                    if isinstance(fname, str) and values is not None:
                        wanted = {str(v) for v in (values if isinstance(values, list) else [values])}
                        field_key = norm(fname)
                        tests.append(lambda r, f=field_key, w=wanted: _field_matches(r, f, w, rtype))
        elif key.endswith(("status", "state", "statuses", "states", "statusfilter", "statusequals")):
            values = value if isinstance(value, list) else [value]
            if all(isinstance(v, str) for v in values):
                wanted = {v.lower() for v in values}
                tests.append(lambda r, w=wanted: _status_in(state(r) or stored_status(r), w))
    return [r for r in records if all(test(r) for test in tests)]


def stored_status(record: Record) -> str | None:
    """The first stored field named like a status or state, as text."""
    return next((str(v) for k, v in record.fields.items() if norm(k).endswith(("status", "state"))), None)


def _names(record: Record) -> list[str]:
    return [record.id, *(v for k, v in record.fields.items() if isinstance(v, str) and norm(k).endswith("name"))]


def _status_in(status: str | None, wanted: set[str]) -> bool:
    """A status filter keeps what it names; a record without a status is not hidden by one."""
    return status is None or status.lower() in wanted


def _field_matches(record: Record, name: str, wanted: set[str], rtype: ResourceType) -> bool:
    if name.startswith("tag"):  # EC2's `tag:Key`
        key = name.removeprefix("tag")
        return any(norm(k) == key and v in wanted for k, v in record.tags.items())
    fields = {norm(k): v for k, v in record.fields.items()}
    if name not in fields and name in (norm(rtype.name) + "id", norm(rtype.name) + "arn"):
        return record.id in wanted or record.arn in wanted  # RDS's `db-cluster-id`: an id or an ARN
    if name not in fields:
        return True  # a filter on something the stub does not store does not hide resources
    value = fields[name]
    return (str(value) in wanted) if not isinstance(value, list) else bool({str(v) for v in value} & wanted)
