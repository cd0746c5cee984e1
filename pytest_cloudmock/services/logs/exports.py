"""Export tasks: a group's events in a time range written to our S3 through the registry,
as AWS lays them out (`<prefix>/<taskId>/<stream>/000000.gz`, gzip'd lines of
`<ISO 8601 timestamp> <message>`)."""

from __future__ import annotations

import gzip
import uuid
from datetime import datetime, timezone
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import LogsBase, now_ms, visible


class ExportOperations(LogsBase):
    def create_export_task(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        start, end = int(p.get("from") or 0), int(p.get("to") or 0)
        if end < start:
            # AWS's exact text is not documented.
            raise errors.invalid(f"The time range from {start} to {end} is not valid: 'to' is before 'from'.")
        bucket, prefix = p.get("destination") or "", (p.get("destinationPrefix") or "exportedlogs").strip("/")
        stream_prefix = p.get("logStreamNamePrefix") or ""
        task_id = str(uuid.uuid4())
        now = now_ms(ctx)
        with self.store.lock:
            group = self.group(ctx, p.get("logGroupName") or "")
            objects = {}
            for stream in sorted(group.streams.values(), key=lambda s: s.name):
                if not stream.name.startswith(stream_prefix):
                    continue
                lines = [f"{_iso(e.timestamp)} {e.message}\n" for e in visible(group, stream, now)
                         if start <= e.timestamp <= end]
                if lines:
                    objects[f"{prefix}/{task_id}/{stream.name}/000000.gz"] = gzip.compress("".join(lines).encode())
            task = {"taskId": task_id, "taskName": p.get("taskName") or task_id, "logGroupName": group.name,
                    "from": start, "to": end, "destination": bucket, "destinationPrefix": prefix,
                    "status": {"code": "PENDING", "message": "Pending"}, "executionInfo": {"creationTime": now}}
            self.state(ctx).export_tasks[task_id] = task
        state, registry = self.state(ctx), ctx.registry

        def export() -> None:
            code, message = "COMPLETED", "Completed successfully"
            try:
                if registry is None:
                    raise AWSError("ServiceUnavailable", "no registry")
                for key, body in objects.items():
                    registry.call("s3", "PutObject", {"Bucket": bucket, "Key": key, "Body": body},
                                  account_id=ctx.account_id, region=ctx.region, caller=ctx)
                registry.call("s3", "PutObject", {"Bucket": bucket, "Key": f"{prefix}/{task_id}/aws-logs-write-test",
                                                  "Body": b"Permission Check Successful"},
                              account_id=ctx.account_id, region=ctx.region, caller=ctx)
            except AWSError as exc:
                code, message = "FAILED", f"{exc.code}: {exc.message}"
            with self.store.lock:
                task["status"] = {"code": code, "message": message}
                task["executionInfo"]["completionTime"] = now_ms(ctx)
                state.export_tasks[task_id] = task

        ctx.defer(export)
        return {"taskId": task_id}

    def describe_export_tasks(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            tasks = [dict(t) for t in self.state(ctx).export_tasks.values()
                     if (not p.get("taskId") or t["taskId"] == p["taskId"])
                     and (not p.get("statusCode") or t["status"]["code"] == p["statusCode"])]
        tasks.sort(key=lambda t: t["executionInfo"]["creationTime"], reverse=True)
        page, token = self.page(ctx, tasks)
        return self.paged({"exportTasks": page}, token)

    def cancel_export_task(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            task = self.state(ctx).export_tasks.get(ctx.params.get("taskId") or "")
            if task is None:
                raise errors.not_found("The specified export task does not exist.")  # exact text unknown
            if task["status"]["code"] not in ("PENDING", "RUNNING"):
                raise errors.invalid_operation("The specified export task has already finished.")  # text unknown
            task["status"] = {"code": "CANCELLED", "message": "Cancelled by user"}
        return {}


def _iso(ms: int) -> str:
    when = datetime.fromtimestamp(ms / 1000, timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
