"""Import and export jobs, run for real against our S3 on the gateway's dispatcher.

An import job reads `s3://bucket/key` and applies each record to the account's suppression
list or a contact list; an export job writes the rows it selects to `S3Url`. Jobs start
CREATED and end COMPLETED, FAILED or CANCELLED once the dispatcher has run them
(`cloudmock.settle()`).

Record formats, as AWS's developer guide gives them for the suppression list: CSV
`address,REASON` lines (no header) or JSON lines `{"emailAddress": ..., "reason": ...}`.
For contact lists (AWS's own format is not documented in what we have): CSV with a header
row naming `emailAddress` and optionally `unsubscribeAll`, `attributesData` and
`topicPreferences.<topic>` columns (OPT_IN / OPT_OUT), or JSON lines with
`emailAddress`, `unsubscribeAll`, `attributesData` and `topicPreferences`
(`[{"topicName": ..., "subscriptionStatus": ...}]`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from ...api import AWSError, RequestContext
from ..ses.rendering import load_json
from .base import new_id
from .contacts import ContactOperations
from .errors import bad_request, not_found
from .insights import InsightOperations
from .state import Job
from .suppression import SuppressionOperations

_REASONS = frozenset({"BOUNCE", "COMPLAINT"})
_STATUSES = frozenset({"OPT_IN", "OPT_OUT"})


class RecordError(ValueError):
    """One record of an import that cannot be applied."""


def split_s3_url(url: str) -> tuple[str, str]:
    if not url.startswith("s3://") or "/" not in url[5:] or url[5:].startswith("/"):
        raise bad_request(f"Invalid S3 URL: {url}")  # wording ours
    bucket, key = url[5:].split("/", 1)
    return bucket, key


def read_records(data: str, data_format: str, header: bool) -> Iterator[dict[str, Any]]:
    """The records of an import file, as dicts keyed like the JSON format."""
    if data_format == "JSON":
        for line in data.splitlines():
            if line.strip():
                try:
                    record = load_json(line)
                except ValueError:
                    record = None
                yield record if isinstance(record, dict) else {}
        return
    rows = [row for row in csv.reader(io.StringIO(data)) if any(cell.strip() for cell in row)]
    if not header:
        for row in rows:
            yield {"emailAddress": row[0].strip(), "reason": row[1].strip() if len(row) > 1 else ""}
        return
    if not rows:
        return
    names = [name.strip() for name in rows[0]]
    for row in rows[1:]:
        cells = dict(zip(names, (cell.strip() for cell in row), strict=False))
        record: dict[str, Any] = {"emailAddress": cells.get("emailAddress", "")}
        if cells.get("unsubscribeAll"):
            record["unsubscribeAll"] = cells["unsubscribeAll"].lower() == "true"
        if cells.get("attributesData"):
            record["attributesData"] = cells["attributesData"]
        record["topicPreferences"] = [{"topicName": n.split(".", 1)[1], "subscriptionStatus": v}
                                      for n, v in cells.items() if n.startswith("topicPreferences.") and v]
        yield record


class JobOperations(ContactOperations, SuppressionOperations, InsightOperations):
    # -- import ----------------------------------------------------------------------------------
    def create_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        destination, source = ctx.params["ImportDestination"], ctx.params["ImportDataSource"]
        if len(destination) != 1:
            raise bad_request("Exactly one of SuppressionListDestination or ContactListDestination "
                              "must be specified.")  # wording ours
        split_s3_url(source["S3Url"])
        if "SuppressionListDestination" in destination:
            with self.locked(ctx) as core:
                sandboxed = not core.account.production_access
            if sandboxed:  # AWS's guide: bulk changes to the suppression list need production access
                raise bad_request("Bulk changes to the suppression list require production access.")  # wording ours
        if "ContactListDestination" in destination:
            name = destination["ContactListDestination"]["ContactListName"]
            with self.store.lock:
                if name not in self.state(ctx).contact_lists:
                    raise bad_request(f"List with name {name} does not exist.")  # wording ours
        job = Job(new_id(), "import", {"ImportDestination": destination, "ImportDataSource": source},
                  ctx.clock.utcnow())
        with self.store.lock:
            self.state(ctx).jobs[job.id] = job
        ctx.dispatch(lambda: self._run_import(ctx, job))
        return {"JobId": job.id}

    def _read_s3(self, ctx: RequestContext, url: str) -> bytes:
        bucket, key = split_s3_url(url)
        if ctx.registry is None:
            raise bad_request("S3 is not available.")  # no registry outside a gateway
        got = ctx.registry.call("s3", "GetObject", {"Bucket": bucket, "Key": key}, account_id=ctx.account_id,
                                region=ctx.region, caller=ctx)
        body = got.get("Body", b"")
        return body if isinstance(body, bytes) else body.read() if hasattr(body, "read") else b"".join(body)

    def _run_import(self, ctx: RequestContext, job: Job) -> None:
        with self.store.lock:
            if job.status != "CREATED":
                return
            job.status = "PROCESSING"
        destination, source = job.request["ImportDestination"], job.request["ImportDataSource"]
        try:
            data = self._read_s3(ctx, source["S3Url"]).decode("utf-8-sig")
        except (AWSError, UnicodeDecodeError) as exc:
            self._finish(ctx, job, f"Cannot read {source['S3Url']}: {getattr(exc, 'message', exc)}")  # ours
            return
        to_contacts = "ContactListDestination" in destination
        for record in read_records(data, source["DataFormat"], header=to_contacts):
            job.processed += 1
            try:
                if to_contacts:
                    self._import_contact(ctx, destination["ContactListDestination"], record)
                else:
                    self._import_suppression(ctx, destination["SuppressionListDestination"], record)
            except (RecordError, AWSError):
                job.failed += 1
        self._finish(ctx, job, None)

    def _import_suppression(self, ctx: RequestContext, destination: dict[str, Any], record: dict[str, Any]) -> None:
        address = str(record.get("emailAddress") or "").strip()
        if "@" not in address:
            raise RecordError(address)
        if destination["SuppressionListImportAction"] == "DELETE":
            self.unsuppress(ctx, address)
            return
        reason = str(record.get("reason") or "").strip().upper()
        if reason not in _REASONS:
            raise RecordError(reason)
        self.suppress(ctx, address, reason)

    def _import_contact(self, ctx: RequestContext, destination: dict[str, Any], record: dict[str, Any]) -> None:
        address = str(record.get("emailAddress") or "").strip()
        if "@" not in address:
            raise RecordError(address)
        prefs = record.get("topicPreferences") or []
        if not isinstance(prefs, list) or any(not isinstance(p, dict) or p.get("subscriptionStatus") not in _STATUSES
                                              for p in prefs):
            raise RecordError(address)
        with self.store.lock:
            cl = self.contact_list(ctx, destination["ContactListName"])
            if destination["ContactListImportAction"] == "DELETE":
                cl.contacts.pop(address.lower(), None)
                return
            self.put_contact(cl, address, {
                "TopicPreferences": [{"TopicName": str(p.get("topicName")), "SubscriptionStatus": p["subscriptionStatus"]}
                                     for p in prefs],
                "UnsubscribeAll": bool(record.get("unsubscribeAll", False)),
                "AttributesData": record.get("attributesData"),
            }, ctx.clock.utcnow())

    def _finish(self, ctx: RequestContext, job: Job, error: str | None) -> None:
        with self.store.lock:
            if job.status == "CANCELLED":
                return
            job.status, job.error, job.completed = ("FAILED" if error else "COMPLETED"), error, ctx.clock.utcnow()

    def job(self, ctx: RequestContext, kind: str) -> Job:
        found = self.state(ctx).jobs.get(ctx.params["JobId"])
        if found is None or found.kind != kind:
            raise not_found(f"Job {ctx.params['JobId']} does not exist.")  # wording ours
        return found

    @staticmethod
    def _failure(job: Job) -> dict[str, Any]:
        return {"FailureInfo": {"ErrorMessage": job.error}} if job.error else {}

    @staticmethod
    def _dates(job: Job) -> dict[str, Any]:
        return {"CreatedTimestamp": job.created, **({"CompletedTimestamp": job.completed} if job.completed else {})}

    def get_import_job(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            job = self.job(ctx, "import")
            return {"JobId": job.id, **job.request, "JobStatus": job.status, **self._dates(job),
                    "ProcessedRecordsCount": job.processed, "FailedRecordsCount": job.failed, **self._failure(job)}

    def list_import_jobs(self, ctx: RequestContext) -> dict[str, Any]:
        wanted = {"SUPPRESSION_LIST": "SuppressionListDestination", "CONTACT_LIST": "ContactListDestination"}.get(
            ctx.params.get("ImportDestinationType", ""))
        with self.store.lock:
            jobs = sorted((j for j in self.state(ctx).jobs.values() if j.kind == "import"
                           and (wanted is None or wanted in j.request["ImportDestination"])),
                          key=lambda j: (j.created, j.id))
            items = [{"JobId": j.id, "ImportDestination": j.request["ImportDestination"], "JobStatus": j.status,
                      "CreatedTimestamp": j.created, "ProcessedRecordsCount": j.processed,
                      "FailedRecordsCount": j.failed} for j in jobs]
        page, more = self.page(ctx, items, "import-jobs")
        return {"ImportJobs": page, **more}

    # -- export ----------------------------------------------------------------------------------
    def create_export_job(self, ctx: RequestContext) -> dict[str, Any]:
        source, destination = ctx.params["ExportDataSource"], ctx.params["ExportDestination"]
        if len(source) != 1:
            raise bad_request("Exactly one of MetricsDataSource or MessageInsightsDataSource "
                              "must be specified.")  # wording ours
        window = next(iter(source.values()))
        if window["EndDate"] < window["StartDate"]:
            raise bad_request("EndDate must be after StartDate.")  # wording ours
        if "S3Url" not in destination:
            raise bad_request("ExportDestination.S3Url is required.")  # wording ours
        split_s3_url(destination["S3Url"])
        job = Job(new_id(), "export", {"ExportDataSource": source, "ExportDestination": destination},
                  ctx.clock.utcnow())
        with self.store.lock:
            self.state(ctx).jobs[job.id] = job
        ctx.dispatch(lambda: self._run_export(ctx, job))
        return {"JobId": job.id}

    @staticmethod
    def export_key(prefix: str, job: Job, data_format: str) -> str:
        """Where an export lands: `<S3Url>/<job id>.csv` (AWS's object naming is not documented)."""
        return f"{prefix.rstrip('/')}/{job.id}.{data_format.lower()}" if prefix else f"{job.id}.{data_format.lower()}"

    def _run_export(self, ctx: RequestContext, job: Job) -> None:
        with self.store.lock:
            if job.status != "CREATED":
                return
            job.status = "PROCESSING"
        destination = job.request["ExportDestination"]
        rows = self.export_rows(ctx, job.request["ExportDataSource"])
        job.processed = len(rows)
        bucket, prefix = split_s3_url(destination["S3Url"] + ("" if "/" in destination["S3Url"][5:] else "/"))
        try:
            if ctx.registry is None:
                raise bad_request("S3 is not available.")
            ctx.registry.call("s3", "PutObject", {"Bucket": bucket, "Key": self.export_key(prefix, job, destination["DataFormat"]),
                                                  "Body": _serialize(rows, destination["DataFormat"])},
                              account_id=ctx.account_id, region=ctx.region, caller=ctx)
        except AWSError as exc:
            self._finish(ctx, job, f"Cannot write to {destination['S3Url']}: {exc.message}")  # wording ours
            return
        self._finish(ctx, job, None)

    def _export_summary(self, job: Job) -> dict[str, Any]:
        source = job.request["ExportDataSource"]
        return {"JobId": job.id, "JobStatus": job.status, **self._dates(job),
                "ExportSourceType": "METRICS_DATA" if "MetricsDataSource" in source else "MESSAGE_INSIGHTS"}

    def get_export_job(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            job = self.job(ctx, "export")
            return {**self._export_summary(job), **job.request, **self._failure(job),
                    "Statistics": {"ProcessedRecordsCount": job.processed,
                                   "ExportedRecordsCount": job.processed if job.status == "COMPLETED" else 0}}

    def list_export_jobs(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            jobs = sorted((j for j in self.state(ctx).jobs.values() if j.kind == "export"),
                          key=lambda j: (j.created, j.id))
            items = [self._export_summary(j) for j in jobs]
        items = [i for i in items if i["ExportSourceType"] == p.get("ExportSourceType", i["ExportSourceType"])
                 and i["JobStatus"] == p.get("JobStatus", i["JobStatus"])]
        page, more = self.page(ctx, items, "export-jobs")
        return {"ExportJobs": page, **more}

    def cancel_export_job(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            job = self.job(ctx, "export")
            if job.status not in ("CREATED", "PROCESSING"):
                raise bad_request(f"Job {job.id} is {job.status} and cannot be cancelled.")  # wording ours
            job.status, job.completed = "CANCELLED", ctx.clock.utcnow()
        return {}


def _serialize(rows: list[dict[str, Any]], data_format: str) -> bytes:
    if data_format == "JSON":
        return "".join(json.dumps(row, default=str) + "\n" for row in rows).encode()
    out = io.StringIO()
    names = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=names)
    if names:
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue().encode()
