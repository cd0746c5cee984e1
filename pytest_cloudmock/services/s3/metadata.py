"""S3 Metadata configurations (journal and inventory tables, and the older single table) and ABAC.

The tables are described, not filled: Get answers the table bucket, namespace, names
and ARNs S3 would create (status `ACTIVE`), and the Update operations change the
stored journal expiry or inventory state. AWS's error codes for a missing or
duplicate metadata configuration are not documented in the API reference; the
ones below are our best knowledge and say so.
"""

from __future__ import annotations

from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .common import S3Base
from .store import Bucket

V2 = "MetadataConfiguration"
V1 = "MetadataTableConfiguration"


def not_found(what: str) -> AWSError:
    # our wording: AWS's code and message for this case are not documented
    return AWSError("MetadataConfigurationNotFound", f"The {what} was not found.", 404)


def already_exists(what: str) -> AWSError:
    # our wording: AWS's code and message for this case are not documented
    return AWSError("MetadataConfigurationAlreadyExists", f"A {what} already exists for this bucket.", 409)


def _check_expiration(expiration: dict[str, Any]) -> None:
    days = expiration.get("Days")
    if expiration.get("Expiration") == "ENABLED" and (days is None or not 7 <= days <= 2147483647):
        raise errors.invalid_argument("Record expiration days must be at least 7 when expiration "
                                      "is ENABLED", "Days", days)
    if expiration.get("Expiration") == "DISABLED" and days is not None:
        raise errors.invalid_argument("Record expiration days must not be given when expiration "
                                      "is DISABLED", "Days", days)


def _check_encryption(config: dict[str, Any]) -> None:
    encryption = config.get("EncryptionConfiguration") or {}
    if encryption.get("SseAlgorithm") == "aws:kms" and not encryption.get("KmsKeyArn"):
        raise errors.invalid_argument("KmsKeyArn is required when SseAlgorithm is aws:kms",
                                      "KmsKeyArn", "")


def _table_bucket(ctx: RequestContext) -> str:
    return f"arn:{ctx.partition}:s3tables:{ctx.region}:{ctx.account_id}:bucket/aws-s3"


class MetadataOps(S3Base):
    """Create/Get/Delete/Update of S3 Metadata configurations; Put/GetBucketAbac."""

    def create_bucket_metadata_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        config = ctx.params.get(V2) or {}
        journal = config.get("JournalTableConfiguration") or {}
        _check_expiration(journal.get("RecordExpiration") or {})
        _check_encryption(journal)
        _check_encryption(config.get("InventoryTableConfiguration") or {})
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            if V2 in bucket.configs:
                raise already_exists("metadata configuration")
            bucket.configs[V2] = {"config": config, "table_bucket": _table_bucket(ctx)}
        return {}

    def get_bucket_metadata_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        bucket = self.owned_bucket(ctx)
        stored = bucket.configs.get(V2)
        if stored is None:
            raise not_found("metadata configuration")
        config, table_bucket = stored["config"], stored["table_bucket"]
        namespace = "b_" + bucket.name.replace("-", "_").replace(".", "_")
        journal = config.get("JournalTableConfiguration") or {}
        result: dict[str, Any] = {
            "DestinationResult": {"TableBucketType": "aws", "TableBucketArn": table_bucket,
                                  "TableNamespace": namespace},
            "JournalTableConfigurationResult": {
                "TableStatus": "ACTIVE", "TableName": "journal",
                "TableArn": f"{table_bucket}/table/{namespace}.journal",
                "RecordExpiration": journal.get("RecordExpiration") or {"Expiration": "DISABLED"},
            },
        }
        inventory = config.get("InventoryTableConfiguration")
        if inventory:
            enabled = inventory.get("ConfigurationState") == "ENABLED"
            result["InventoryTableConfigurationResult"] = {
                "ConfigurationState": inventory.get("ConfigurationState", "DISABLED"),
                **({"TableStatus": "ACTIVE", "TableName": "inventory",
                    "TableArn": f"{table_bucket}/table/{namespace}.inventory"} if enabled else {}),
            }
        return {"GetBucketMetadataConfigurationResult": {"MetadataConfigurationResult": result}}

    def delete_bucket_metadata_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            if self.owned_bucket(ctx).configs.pop(V2, None) is None:
                raise not_found("metadata configuration")
        return {}

    def _update(self, ctx: RequestContext, member: str, table: str) -> dict[str, Any]:
        updates = ctx.params.get(member) or {}
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            stored = bucket.configs.get(V2)
            if stored is None:
                raise not_found("metadata configuration")
            if table == "JournalTableConfiguration":
                _check_expiration(updates.get("RecordExpiration") or {})
            _check_encryption(updates)
            config = dict(stored["config"])
            config[table] = {**(config.get(table) or {}), **updates}
            stored["config"] = config
        return {}

    def update_bucket_metadata_inventory_table_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self._update(ctx, "InventoryTableConfiguration", "InventoryTableConfiguration")

    def update_bucket_metadata_journal_table_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        return self._update(ctx, "JournalTableConfiguration", "JournalTableConfiguration")

    # -- the first S3 Metadata API: one table -------------------------------------------
    def create_bucket_metadata_table_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        destination = (ctx.params.get(V1) or {}).get("S3TablesDestination") or {}
        arn = destination.get("TableBucketArn", "")
        if not arn.startswith("arn:") or ":s3tables:" not in arn:
            raise errors.invalid_argument("Invalid table bucket ARN", "TableBucketArn", arn)
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            if V1 in bucket.configs:
                raise already_exists("metadata table configuration")
            bucket.configs[V1] = dict(destination)
        return {}

    def get_bucket_metadata_table_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        destination = self._table(self.owned_bucket(ctx))
        arn, name = destination["TableBucketArn"], destination["TableName"]
        result = {"S3TablesDestinationResult": {
            "TableBucketArn": arn, "TableName": name, "TableNamespace": "aws_s3_metadata",
            "TableArn": f"{arn}/table/aws_s3_metadata.{name}",
        }}
        return {"GetBucketMetadataTableConfigurationResult": {
            "MetadataTableConfigurationResult": result, "Status": "ACTIVE"}}

    def delete_bucket_metadata_table_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            bucket = self.owned_bucket(ctx)
            self._table(bucket)
            del bucket.configs[V1]
        return {}

    @staticmethod
    def _table(bucket: Bucket) -> dict[str, Any]:
        found = bucket.configs.get(V1)
        if found is None:
            raise not_found("metadata table configuration")
        return found

    # -- attribute-based access control --------------------------------------------------
    def put_bucket_abac(self, ctx: RequestContext) -> dict[str, Any]:
        status = (ctx.params.get("AbacStatus") or {}).get("Status")
        if status not in ("Enabled", "Disabled"):
            raise errors.malformed_xml()
        self.owned_bucket(ctx).configs["AbacStatus"] = {"Status": status}
        return {}

    def get_bucket_abac(self, ctx: RequestContext) -> dict[str, Any]:
        return {"AbacStatus": self.owned_bucket(ctx).configs.get("AbacStatus") or {"Status": "Disabled"}}
