"""Timestream Write and Query: `DescribeEndpoints` answers the gateway's own address (SDKs
that discover endpoints send the next calls there), and `WriteRecords` needs its table."""

from __future__ import annotations

from typing import Any

from ...api import AWSError
from ..records import find, record_key

# How long AWS tells SDKs to cache the address (the API reference's example answer).
CACHE_MINUTES = 1440


def describe_endpoints(service: Any, ctx: Any) -> dict[str, Any]:
    address = ctx.endpoint.split("://", 1)[-1] or f"{service.name}.{ctx.region}.amazonaws.com"
    return {"Endpoints": [{"Address": address, "CachePeriodInMinutes": CACHE_MINUTES}]}


def write_records(service: Any, ctx: Any) -> dict[str, Any]:
    """Every record is accepted into the memory store of an existing table."""
    database, table = ctx.params["DatabaseName"], ctx.params["TableName"]
    state = service.store.for_ctx(ctx)
    # AWS's exact wording for a missing database or table is not documented.
    if find(state.table("Database"), database) is None:
        raise AWSError("ResourceNotFoundException", f"The database {database} does not exist.", 404)
    if state.table("Table").get(record_key(table, database)) is None:
        raise AWSError("ResourceNotFoundException", f"The table {table} does not exist.", 404)
    count = len(ctx.params.get("Records") or [])
    return {"RecordsIngested": {"Total": count, "MemoryStore": count, "MagneticStore": 0}}
