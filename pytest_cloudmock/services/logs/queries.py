"""Logs Insights operations: queries run to completion on StartQuery (status `Complete`),
their results and statistics kept for GetQueryResults; saved query definitions."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from . import errors, fields
from .base import LogsBase, group_name_of, now_ms, visible
from .insights import QueryError, Stamp, compile_query
from .state import QueryRun

MAX_RESULTS = 10_000


class QueryOperations(LogsBase):
    def start_query(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        language = p.get("queryLanguage") or "CWLI"
        if language != "CWLI":
            raise errors.invalid(f"cloudmock runs Logs Insights (CWLI) queries only, not {language}.")
        names = self._query_groups(p)
        start, end = p.get("startTime"), p.get("endTime")
        if start is not None and end is not None and end < start:
            raise errors.invalid("endTime must be greater than or equal to startTime")  # exact text unknown
        try:
            query = compile_query(p.get("queryString") or "")
        except QueryError as exc:
            raise errors.malformed_query(exc.message, exc.start, exc.end) from None
        now = now_ms(ctx)
        low = None if start is None else int(start) * 1000
        high = None if end is None else int(end) * 1000 + 999
        records, scanned_bytes, arns = [], 0, []
        with self.store.lock:
            for name in names:
                group = self.group(ctx, name)
                arns.append(group.arn)
                for stream in group.streams.values():
                    for event in visible(group, stream, now):
                        if (low is None or event.timestamp >= low) and (high is None or event.timestamp <= high):
                            record = fields.record(ctx.account_id, group.name, stream.name, event)
                            record["@timestamp"] = Stamp(event.timestamp)
                            record["@ingestionTime"] = Stamp(event.ingestion_time)
                            records.append(record)
                            scanned_bytes += len(event.message.encode())
        rows, matched = query.run(records)
        rows = rows[:min(p.get("limit") or MAX_RESULTS, MAX_RESULTS)]
        columns = query.output_columns()
        results = [_result_row(row, columns, with_pointer=not query.aggregated) for row in rows]
        run = QueryRun(
            query_id=str(uuid.uuid4()), query_string=p.get("queryString") or "", log_group_names=names,
            create_time=now, status="Complete", results=results, group_arns=arns,
            statistics={"recordsMatched": float(matched), "recordsScanned": float(len(records)),
                        "estimatedRecordsSkipped": 0.0, "bytesScanned": float(scanned_bytes),
                        "estimatedBytesSkipped": 0.0, "logGroupsScanned": float(len(names))})
        with self.store.lock:
            self.state(ctx).queries[run.query_id] = run
        return {"queryId": run.query_id}

    @staticmethod
    def _query_groups(p: dict[str, Any]) -> list[str]:
        given = [k for k in ("logGroupName", "logGroupNames", "logGroupIdentifiers") if p.get(k)]
        if len(given) != 1:
            # AWS's exact text is not documented.
            raise errors.invalid("Specify exactly one of logGroupName, logGroupNames and logGroupIdentifiers.")
        value = p[given[0]]
        return [group_name_of(v) for v in ([value] if isinstance(value, str) else value)]

    def _query(self, ctx: RequestContext) -> QueryRun:
        run = self.state(ctx).queries.get(ctx.params.get("queryId") or "")
        if run is None:
            raise errors.not_found("The specified query does not exist.")  # exact text unknown
        return run

    def get_query_results(self, ctx: RequestContext) -> dict[str, Any]:
        run = self._query(ctx)
        page, token = self.page(ctx, run.results, limit_key="maxItems", default=MAX_RESULTS)
        return self.paged({"queryLanguage": run.query_language, "results": page,
                           "statistics": dict(run.statistics), "status": run.status}, token)

    def stop_query(self, ctx: RequestContext) -> dict[str, Any]:
        run = self._query(ctx)
        return {"success": run.status in ("Scheduled", "Running")}  # queries here are complete on start

    def describe_queries(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            runs = sorted(self.state(ctx).queries.values(), key=lambda q: q.create_time, reverse=True)
        runs = [q for q in runs if (not p.get("logGroupName") or p["logGroupName"] in q.log_group_names)
                and (not p.get("status") or q.status == p["status"])
                and (not p.get("queryLanguage") or q.query_language == p["queryLanguage"])]
        page, token = self.page(ctx, runs, limit_key="maxResults", default=1000)
        return self.paged({"queries": [{
            "queryLanguage": q.query_language, "queryId": q.query_id, "queryString": q.query_string,
            "status": q.status, "createTime": q.create_time, "logGroupName": q.log_group_names[0],
            "queryDuration": 0, "bytesScanned": q.statistics["bytesScanned"]} for q in page]}, token)

    def list_log_groups_for_query(self, ctx: RequestContext) -> dict[str, Any]:
        page, token = self.page(ctx, self._query(ctx).group_arns, limit_key="maxResults")
        return self.paged({"logGroupIdentifiers": page}, token)

    # -- saved definitions --------------------------------------------------------------
    def put_query_definition(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        definitions = self.state(ctx).query_definitions
        with self.store.lock:
            definition_id = p.get("queryDefinitionId")
            if definition_id and definition_id not in definitions:
                raise errors.not_found("The specified query definition does not exist.")  # exact text unknown
            definition_id = definition_id or str(uuid.uuid4())
            definitions[definition_id] = {
                "queryLanguage": p.get("queryLanguage") or "CWLI", "queryDefinitionId": definition_id,
                "name": p.get("name") or "", "queryString": p.get("queryString") or "",
                "lastModified": now_ms(ctx), "logGroupNames": list(p.get("logGroupNames") or []),
                **({"parameters": p["parameters"]} if p.get("parameters") else {}),
            }
        return {"queryDefinitionId": definition_id}

    def describe_query_definitions(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        prefix, language = p.get("queryDefinitionNamePrefix"), p.get("queryLanguage")
        with self.store.lock:
            rows = [dict(d) for d in sorted(self.state(ctx).query_definitions.values(), key=lambda d: d["name"])
                    if (not prefix or d["name"].startswith(prefix)) and (not language or d["queryLanguage"] == language)]
        page, token = self.page(ctx, rows, limit_key="maxResults", default=1000)
        return self.paged({"queryDefinitions": page}, token)

    def delete_query_definition(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            if self.state(ctx).query_definitions.pop(ctx.params.get("queryDefinitionId") or "", None) is None:
                raise errors.not_found("The specified query definition does not exist.")  # exact text unknown
        return {"success": True}


def _result_row(row: dict[str, Any], columns: list[str], *, with_pointer: bool) -> list[dict[str, str]]:
    out = []
    for column in columns:
        value = row.get(column)
        if value is None:
            continue
        text = fields.timestamp_text(value) if isinstance(value, Stamp) else fields.text(value)
        out.append({"field": column, "value": text})
    if with_pointer and row.get("@ptr"):
        out.append({"field": "@ptr", "value": row["@ptr"]})
    return out
