"""Backups and restores, PITR, exports and imports, global tables, insights, Kinesis, policies.

Everything is stored and described. Point-in-time recovery keeps the items as they
were when it was enabled and every change since, so a restore or an export at any
time in the window replays them. Exports write DynamoDB JSON (gzipped lines) and
manifests to the gateway's S3; imports read DynamoDB JSON or CSV from it. Global tables
of the 2017 version are records (their replication is the 2019 version's, in
`TableOperations.update_replica`).
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import DynamoDbBase
from .state import Backup, Table
from .transfer import export_lines, items_at, parse_import, refill, s3_bytes
from .values import Item


class ExtraOperations(DynamoDbBase):
    """The operations around tables that keep their own records."""

    # -- backups -----------------------------------------------------------------------------
    def create_backup(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.table(ctx, named=True)
            now = ctx.clock.utcnow()
            arn = f"{table.arn}/backup/{int(now.timestamp() * 1000):017d}-{uuid.uuid4().hex[:8]}"
            backup = Backup(arn=arn, name=ctx.params["BackupName"], table=copy.deepcopy(table), created=now,
                            size_bytes=table.size_bytes, item_count=table.items.count)
            self.state(ctx).backups[arn] = backup
        return {"BackupDetails": self._backup_details(backup)}

    def _backup_details(self, backup: Backup) -> dict[str, Any]:
        return {"BackupArn": backup.arn, "BackupName": backup.name, "BackupSizeBytes": backup.size_bytes,
                "BackupStatus": backup.status, "BackupType": backup.kind, "BackupCreationDateTime": backup.created}

    def _backup(self, ctx: RequestContext) -> Backup:
        backup = self.state(ctx).backups.get(ctx.params["BackupArn"])
        if backup is None:
            raise AWSError("BackupNotFoundException", f"Backup not found: {ctx.params['BackupArn']}")
        return backup

    def describe_backup(self, ctx: RequestContext) -> dict[str, Any]:
        backup = self._backup(ctx)
        table = backup.table
        return {"BackupDescription": {
            "BackupDetails": self._backup_details(backup),
            "SourceTableDetails": {"TableName": table.name, "TableId": table.table_id, "TableArn": table.arn,
                                   "KeySchema": table.schema.described(), "TableCreationDateTime": table.created,
                                   "ProvisionedThroughput": table.throughput, "ItemCount": backup.item_count,
                                   "TableSizeBytes": backup.size_bytes, "BillingMode": table.billing_mode},
        }}

    def delete_backup(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            backup = self._backup(ctx)
            del self.state(ctx).backups[backup.arn]
        backup.status = "DELETED"
        return {"BackupDescription": {"BackupDetails": self._backup_details(backup)}}

    def list_backups(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        backups = sorted(self.state(ctx).backups.values(), key=lambda b: b.arn)
        if p.get("TableName"):
            backups = [b for b in backups if b.table.name == p["TableName"]]
        if p.get("ExclusiveStartBackupArn"):
            backups = [b for b in backups if b.arn > p["ExclusiveStartBackupArn"]]
        limit = p.get("Limit") or 100
        page = backups[:limit]
        out: dict[str, Any] = {"BackupSummaries": [
            {"TableName": b.table.name, "TableId": b.table.table_id, "TableArn": b.table.arn, "BackupArn": b.arn,
             "BackupName": b.name, "BackupCreationDateTime": b.created, "BackupStatus": b.status,
             "BackupType": b.kind, "BackupSizeBytes": b.size_bytes} for b in page]}
        if len(backups) > limit:
            out["LastEvaluatedBackupArn"] = page[-1].arn
        return out

    def _restore(self, ctx: RequestContext, source: Table, target: str,
                 items: list[Item] | None = None) -> dict[str, Any]:
        state = self.state(ctx)
        if target in state.tables:
            raise AWSError("TableAlreadyExistsException", f"Table already exists: {target}")
        table = copy.deepcopy(source)
        table.pitr_enabled, table.pitr_enabled_at, table.pitr_baseline, table.history = False, None, [], []
        if items is not None:
            refill(table, items)
        table.name, table.arn, table.table_id = target, self.table_arn(ctx, target), str(uuid.uuid4())
        table.created, table.stream, table.old_streams, table.tags = ctx.clock.utcnow(), None, [], {}
        for index in table.indexes.values():
            index.arn = f"{table.arn}/index/{index.name}"
        p = ctx.params
        if p.get("BillingModeOverride"):
            table.billing_mode = p["BillingModeOverride"]
        state.tables[target] = table
        described = self.describe(table)  # type: ignore[attr-defined]
        described["TableStatus"] = "CREATING"
        return {"TableDescription": described}

    def restore_table_from_backup(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            backup = self._backup(ctx)
            return self._restore(ctx, backup.table, ctx.params["TargetTableName"])

    # -- point in time -----------------------------------------------------------------------
    def _continuous(self, table: Table, now: datetime) -> dict[str, Any]:
        pitr: dict[str, Any] = {"PointInTimeRecoveryStatus": "ENABLED" if table.pitr_enabled else "DISABLED"}
        if table.pitr_enabled:
            pitr.update({"EarliestRestorableDateTime": table.pitr_enabled_at,
                         "LatestRestorableDateTime": now, "RecoveryPeriodInDays": 35})
        return {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": pitr}

    def describe_continuous_backups(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.state(ctx).tables.get(ctx.params["TableName"])
        if table is None:
            raise AWSError("TableNotFoundException", f"Table not found: {ctx.params['TableName']}")
        return {"ContinuousBackupsDescription": self._continuous(table, ctx.clock.utcnow())}

    def update_continuous_backups(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.state(ctx).tables.get(ctx.params["TableName"])
            if table is None:
                raise AWSError("TableNotFoundException", f"Table not found: {ctx.params['TableName']}")
            enabled = ctx.params["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
            if enabled and not table.pitr_enabled:
                table.pitr_enabled_at = ctx.clock.utcnow()
                table.pitr_baseline, table.history = list(table.items.items()), []
            elif not enabled:
                table.pitr_enabled_at, table.pitr_baseline, table.history = None, [], []
            table.pitr_enabled = enabled
            return {"ContinuousBackupsDescription": self._continuous(table, ctx.clock.utcnow())}

    def restore_table_to_point_in_time(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            name = p.get("SourceTableName") or (p.get("SourceTableArn") or "").rsplit("/", 1)[-1]
            source = self.state(ctx).tables.get(name)
            if source is None:
                raise AWSError("TableNotFoundException", f"Table not found: {name}")
            if not source.pitr_enabled or source.pitr_enabled_at is None:
                raise AWSError("PointInTimeRecoveryUnavailableException",
                               f"Point in time recovery is not enabled for table '{name}'")
            now = ctx.clock.now()
            moment = now if p.get("UseLatestRestorableTime") or p.get("RestoreDateTime") is None \
                else p["RestoreDateTime"].timestamp()
            if not source.pitr_enabled_at.timestamp() <= moment <= now:
                raise AWSError("InvalidRestoreTimeException",
                               "Restore time is not within the restorable window")  # AWS's wording is not known
            return self._restore(ctx, source, p["TargetTableName"], items_at(source, moment))

    # -- exports and imports -----------------------------------------------------------------
    def export_table_to_point_in_time(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            table = self.tagged_table(ctx, p["TableArn"])
            if not table.pitr_enabled and p.get("ExportType", "FULL_EXPORT") == "FULL_EXPORT":
                raise AWSError("PointInTimeRecoveryUnavailableException",
                               f"Point in time recovery is not enabled for table '{table.name}'")
            now = ctx.clock.utcnow()
            export_id = f"{int(now.timestamp() * 1000):017d}-{uuid.uuid4().hex[:8]}"
            arn = f"{table.arn}/export/{export_id}"
            moment = p["ExportTime"].timestamp() if p.get("ExportTime") else ctx.clock.now()
            items = items_at(table, moment) if table.pitr_enabled else list(table.items.items())
            export = {"ExportArn": arn, "ExportStatus": "IN_PROGRESS", "StartTime": now,
                      "ExportTime": p.get("ExportTime") or now, "TableArn": table.arn, "TableId": table.table_id,
                      "S3Bucket": p["S3Bucket"], "S3Prefix": p.get("S3Prefix"),
                      "ExportFormat": p.get("ExportFormat") or "DYNAMODB_JSON", "ItemCount": table.items.count,
                      "BilledSizeBytes": table.size_bytes, "ExportType": p.get("ExportType") or "FULL_EXPORT",
                      "ClientToken": p.get("ClientToken") or str(uuid.uuid4())}
            self.state(ctx).exports[arn] = export
            answer = dict(export)
        ctx.defer(lambda: self._write_export(ctx, export, export_id, items))
        return {"ExportDescription": answer}

    def _write_export(self, ctx: RequestContext, export: dict[str, Any], export_id: str, items: list[Item]) -> None:
        """Write the export's data file and manifests to the gateway's S3 (after the store lock is released)."""
        bucket, prefix = export["S3Bucket"], (export.get("S3Prefix") or "").strip("/")
        base = f"{prefix}/AWSDynamoDB/{export_id}" if prefix else f"AWSDynamoDB/{export_id}"
        data_key = f"{base}/data/{uuid.uuid4().hex}.json.gz"
        try:
            registry = ctx.registry
            if registry is None:
                raise AWSError("S3NotAvailable", "S3 is not available")
            put = {"account_id": ctx.account_id, "region": ctx.region, "caller": ctx}
            registry.call("s3", "PutObject", {"Bucket": bucket, "Key": data_key, "Body": export_lines(items)}, **put)
            files = json.dumps({"itemCount": len(items), "dataFileS3Key": data_key})
            registry.call("s3", "PutObject", {"Bucket": bucket, "Key": f"{base}/manifest-files.json",
                                              "Body": files.encode()}, **put)
            summary = json.dumps({"version": "2020-06-30", "exportArn": export["ExportArn"],
                                  "tableArn": export["TableArn"], "s3Bucket": bucket, "s3Prefix": prefix or None,
                                  "manifestFilesS3Key": f"{base}/manifest-files.json", "itemCount": len(items),
                                  "outputFormat": "DYNAMODB_JSON", "exportType": export["ExportType"]})
            registry.call("s3", "PutObject", {"Bucket": bucket, "Key": f"{base}/manifest-summary.json",
                                              "Body": summary.encode()}, **put)
            update = {"ExportStatus": "COMPLETED", "ExportManifest": f"{base}/manifest-summary.json"}
        except AWSError as error:
            update = {"ExportStatus": "FAILED", "FailureCode": error.code, "FailureMessage": error.message}
        with self.store.lock:
            export.update(update, EndTime=ctx.clock.utcnow())

    def describe_export(self, ctx: RequestContext) -> dict[str, Any]:
        export = self.state(ctx).exports.get(ctx.params["ExportArn"])
        if export is None:
            raise AWSError("ExportNotFoundException", f"Export not found: {ctx.params['ExportArn']}")
        return {"ExportDescription": export}

    def list_exports(self, ctx: RequestContext) -> dict[str, Any]:
        exports = [e for e in self.state(ctx).exports.values()
                   if not ctx.params.get("TableArn") or e["TableArn"] == ctx.params["TableArn"]]
        return {"ExportSummaries": [{"ExportArn": e["ExportArn"], "ExportStatus": e["ExportStatus"],
                                     "ExportType": e["ExportType"]} for e in exports]}

    def import_table(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        spec = p["TableCreationParameters"]
        create = RequestContext(**{**ctx.__dict__, "operation": "CreateTable", "params": dict(spec)})
        described = self.create_table(create)["TableDescription"]  # type: ignore[attr-defined]
        now = ctx.clock.utcnow()
        arn = f"{described['TableArn']}/import/{int(now.timestamp() * 1000):017d}-{uuid.uuid4().hex[:8]}"
        record = {"ImportArn": arn, "ImportStatus": "IN_PROGRESS", "TableArn": described["TableArn"],
                  "TableId": described["TableId"], "S3BucketSource": p["S3BucketSource"],
                  "InputFormat": p["InputFormat"], "StartTime": now, "EndTime": now,
                  "TableCreationParameters": spec, "ProcessedItemCount": 0, "ImportedItemCount": 0,
                  "InputCompressionType": p.get("InputCompressionType") or "NONE",
                  "InputFormatOptions": p.get("InputFormatOptions"),
                  "ClientToken": p.get("ClientToken") or str(uuid.uuid4())}
        with self.store.lock:
            self.state(ctx).imports[arn] = record
            answer = dict(record)
        ctx.defer(lambda: self._read_import(ctx, record, described["TableName"]))
        return {"ImportTableDescription": answer}

    def _read_import(self, ctx: RequestContext, record: dict[str, Any], table_name: str) -> None:
        """Read the import's objects from the gateway's S3 into its new table."""
        source = record["S3BucketSource"]
        bucket, prefix = source["S3Bucket"], source.get("S3KeyPrefix") or ""
        spec = record["TableCreationParameters"]
        attributes = {a["AttributeName"]: a["AttributeType"] for a in spec.get("AttributeDefinitions") or []}
        items: list[Item] = []
        try:
            registry = ctx.registry
            if registry is None:
                raise AWSError("S3NotAvailable", "S3 is not available")
            listing = registry.call("s3", "ListObjectsV2", {"Bucket": bucket, "Prefix": prefix},
                                    account_id=ctx.account_id, region=ctx.region, caller=ctx)
            for entry in listing.get("Contents") or []:
                data = s3_bytes(ctx, bucket, entry["Key"])
                items += parse_import(data, record["InputFormat"], record.get("InputCompressionType"), attributes,
                                      (record.get("InputFormatOptions") or {}).get("Csv"))
            update: dict[str, Any] = {"ImportStatus": "COMPLETED"}
        except (AWSError, LookupError, ValueError, KeyError) as error:
            message = getattr(error, "message", None) or str(error)
            update = {"ImportStatus": "FAILED", "FailureCode": type(error).__name__, "FailureMessage": message}
            items = []
        with self.store.lock:
            table = self.state(ctx).tables.get(table_name)
            imported = 0
            for item in items:
                if table is None:
                    break
                try:
                    self.check_item(table, item)
                except AWSError:
                    continue
                table.write(item, item)
                imported += 1
            record.update(update, ProcessedItemCount=len(items), ImportedItemCount=imported,
                          ErrorCount=len(items) - imported, EndTime=ctx.clock.utcnow())

    def describe_import(self, ctx: RequestContext) -> dict[str, Any]:
        record = self.state(ctx).imports.get(ctx.params["ImportArn"])
        if record is None:
            raise AWSError("ImportNotFoundException", f"Import not found: {ctx.params['ImportArn']}")
        return {"ImportTableDescription": record}

    def list_imports(self, ctx: RequestContext) -> dict[str, Any]:
        records = [r for r in self.state(ctx).imports.values()
                   if not ctx.params.get("TableArn") or r["TableArn"] == ctx.params["TableArn"]]
        return {"ImportSummaryList": [{"ImportArn": r["ImportArn"], "ImportStatus": r["ImportStatus"],
                                       "TableArn": r["TableArn"], "InputFormat": r["InputFormat"],
                                       "StartTime": r["StartTime"]} for r in records]}

    def tagged_table(self, ctx: RequestContext, arn: str) -> Table:
        name = arn.split(":table/", 1)[-1].split("/", 1)[0]
        table = self.state(ctx).tables.get(name)
        if table is None or not arn.startswith(table.arn):
            raise AWSError("TableNotFoundException", f"Table not found: {arn}")
        return table

    # -- global tables (2017.11.29) ------------------------------------------------------------
    def create_global_table(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["GlobalTableName"]
        with self.store.lock:
            state = self.state(ctx)
            if name in state.global_tables:
                raise AWSError("GlobalTableAlreadyExistsException", f"Global table already exists: {name}")
            if name not in state.tables:
                raise AWSError("TableNotFoundException", f"Table not found: {name}")
            description = {"GlobalTableName": name, "GlobalTableStatus": "ACTIVE",
                           "GlobalTableArn": f"arn:{ctx.partition}:dynamodb::{ctx.account_id}:global-table/{name}",
                           "CreationDateTime": ctx.clock.utcnow(),
                           "ReplicationGroup": [{"RegionName": r["RegionName"], "ReplicaStatus": "ACTIVE"}
                                                for r in ctx.params["ReplicationGroup"]]}
            state.global_tables[name] = description
        return {"GlobalTableDescription": description}

    def _global(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).global_tables.get(ctx.params["GlobalTableName"])
        if found is None:
            raise AWSError("GlobalTableNotFoundException", f"Global table not found: {ctx.params['GlobalTableName']}")
        return found

    def describe_global_table(self, ctx: RequestContext) -> dict[str, Any]:
        return {"GlobalTableDescription": self._global(ctx)}

    def update_global_table(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            description = self._global(ctx)
            group = {r["RegionName"]: r for r in description["ReplicationGroup"]}
            for update in ctx.params["ReplicaUpdates"]:
                if "Create" in update:
                    group[update["Create"]["RegionName"]] = {"RegionName": update["Create"]["RegionName"],
                                                             "ReplicaStatus": "ACTIVE"}
                elif "Delete" in update and group.pop(update["Delete"]["RegionName"], None) is None:
                    raise AWSError("ReplicaNotFoundException", "Replica not found")
            description["ReplicationGroup"] = list(group.values())
        return {"GlobalTableDescription": description}

    def list_global_tables(self, ctx: RequestContext) -> dict[str, Any]:
        region = ctx.params.get("RegionName")
        tables = [{"GlobalTableName": d["GlobalTableName"], "ReplicationGroup": [
            {"RegionName": r["RegionName"]} for r in d["ReplicationGroup"]]}
            for d in self.state(ctx).global_tables.values()
            if not region or any(r["RegionName"] == region for r in d["ReplicationGroup"])]
        return {"GlobalTables": tables}

    def describe_global_table_settings(self, ctx: RequestContext) -> dict[str, Any]:
        description = self._global(ctx)
        return {"GlobalTableName": description["GlobalTableName"], "ReplicaSettings": [
            {"RegionName": r["RegionName"], "ReplicaStatus": "ACTIVE"} for r in description["ReplicationGroup"]]}

    def update_global_table_settings(self, ctx: RequestContext) -> dict[str, Any]:
        return self.describe_global_table_settings(ctx)

    def describe_table_replica_auto_scaling(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.table(ctx, named=True)
        return {"TableAutoScalingDescription": {"TableName": table.name, "TableStatus": table.status,
                                                "Replicas": [{"RegionName": r, "ReplicaStatus": "ACTIVE"}
                                                             for r in table.replicas]}}

    def update_table_replica_auto_scaling(self, ctx: RequestContext) -> dict[str, Any]:
        return self.describe_table_replica_auto_scaling(ctx)

    # -- contributor insights ------------------------------------------------------------------
    def update_contributor_insights(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            table = self.table(ctx, named=True)
            index = p.get("IndexName")
            if index is not None and index not in table.indexes:
                raise errors.resource_not_found(f"Requested resource not found: Index: {index} not found")
            status = "ENABLED" if p["ContributorInsightsAction"] == "ENABLE" else "DISABLED"
            table.contributor_insights[index or ""] = status
        out = {"TableName": table.name, "ContributorInsightsStatus": status}
        if index is not None:
            out["IndexName"] = index
        return out

    def describe_contributor_insights(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.table(ctx, named=True)
        index = ctx.params.get("IndexName")
        out: dict[str, Any] = {"TableName": table.name,
                               "ContributorInsightsStatus": table.contributor_insights.get(index or "", "DISABLED")}
        if index is not None:
            out["IndexName"] = index
        return out

    def list_contributor_insights(self, ctx: RequestContext) -> dict[str, Any]:
        summaries = []
        for table in self.state(ctx).tables.values():
            if ctx.params.get("TableName") and table.name != ctx.params["TableName"]:
                continue
            for index, status in table.contributor_insights.items():
                summary = {"TableName": table.name, "ContributorInsightsStatus": status}
                if index:
                    summary["IndexName"] = index
                summaries.append(summary)
        return {"ContributorInsightsSummaries": summaries}

    # -- Kinesis streaming destinations ----------------------------------------------------------
    def _kinesis(self, ctx: RequestContext, status: str) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            table = self.table(ctx, named=True)
            current = table.kinesis_destinations.get(p["StreamArn"], {})
            table.kinesis_destinations[p["StreamArn"]] = {
                **current, "StreamArn": p["StreamArn"], "DestinationStatus": status,
                **({"ApproximateCreationDateTimePrecision": c["ApproximateCreationDateTimePrecision"]}
                   if (c := p.get("EnableKinesisStreamingConfiguration") or p.get("UpdateKinesisStreamingConfiguration"))
                   else {})}
        return {"TableName": table.name, "StreamArn": p["StreamArn"], "DestinationStatus": status}

    def enable_kinesis_streaming_destination(self, ctx: RequestContext) -> dict[str, Any]:
        return self._kinesis(ctx, "ACTIVE")

    def disable_kinesis_streaming_destination(self, ctx: RequestContext) -> dict[str, Any]:
        return self._kinesis(ctx, "DISABLED")

    def update_kinesis_streaming_destination(self, ctx: RequestContext) -> dict[str, Any]:
        out = self._kinesis(ctx, "ACTIVE")
        if ctx.params.get("UpdateKinesisStreamingConfiguration"):
            out["UpdateKinesisStreamingConfiguration"] = ctx.params["UpdateKinesisStreamingConfiguration"]
        return out

    def describe_kinesis_streaming_destination(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.table(ctx, named=True)
        return {"TableName": table.name,
                "KinesisDataStreamDestinations": list(table.kinesis_destinations.values())}

    # -- resource policies -----------------------------------------------------------------------
    def put_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.tagged_table(ctx, ctx.params["ResourceArn"])
            table.resource_policy = ctx.params["Policy"]
            table.policy_revision += 1
        return {"RevisionId": str(table.policy_revision)}

    def get_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.tagged_table(ctx, ctx.params["ResourceArn"])
        if table.resource_policy is None:
            raise AWSError("PolicyNotFoundException",
                           f"Resource-based policy not found for the provided ResourceArn: {ctx.params['ResourceArn']}")
        return {"Policy": table.resource_policy, "RevisionId": str(table.policy_revision)}

    def delete_resource_policy(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.tagged_table(ctx, ctx.params["ResourceArn"])
            if table.resource_policy is None:
                raise AWSError("PolicyNotFoundException", "Resource-based policy not found for the provided "
                                                          f"ResourceArn: {ctx.params['ResourceArn']}")
            table.resource_policy = None
            table.policy_revision += 1
        return {"RevisionId": str(table.policy_revision)}
