"""Athena `GetQueryResults`: an empty result set for a finished query (a test supplies rows
with `cloudmock_catalog.override("athena", "GetQueryResults", {...})`)."""

from __future__ import annotations

from typing import Any

from ...api import AWSError
from ..records import find


def get_query_results(service: Any, ctx: Any) -> dict[str, Any]:
    query_id = ctx.params["QueryExecutionId"]
    record = find(service.store.for_ctx(ctx).table("QueryExecution"), query_id)
    if record is None:  # AWS's wording for an unknown id is not documented
        raise AWSError("InvalidRequestException", f"QueryExecution {query_id} was not found")
    state = service.state_of(service.rtypes["queryexecution"], record, ctx.clock.utcnow())
    if state != "SUCCEEDED":
        raise AWSError("InvalidRequestException", f"Query has not yet finished. Current state: {state}")
    return {"UpdateCount": 0, "ResultSet": {"Rows": [], "ResultSetMetadata": {"ColumnInfo": []}}}
