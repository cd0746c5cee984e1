"""AWS::DynamoDB::Table, made through our DynamoDB (indexes, streams, TTL, PITR, tags)."""

from __future__ import annotations

from typing import Any

from .base import (
    BaseProvider,
    Created,
    ProviderContext,
    as_bool,
    as_int,
    generated_name,
    ignore_missing,
    read_or_gone,
    resource_tags,
    tag_changes,
    tag_list,
)

_MISSING = ("ResourceNotFoundException",)


def _throughput(value: dict[str, Any] | None) -> dict[str, int] | None:
    if not value:
        return None
    return {"ReadCapacityUnits": as_int(value["ReadCapacityUnits"]) or 0,
            "WriteCapacityUnits": as_int(value["WriteCapacityUnits"]) or 0}


def _index(index: dict[str, Any], *, global_: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"IndexName": index["IndexName"], "KeySchema": index["KeySchema"],
                           "Projection": index.get("Projection") or {"ProjectionType": "ALL"}}
    if global_ and index.get("ProvisionedThroughput"):
        out["ProvisionedThroughput"] = _throughput(index["ProvisionedThroughput"])
    if global_ and index.get("OnDemandThroughput"):
        out["OnDemandThroughput"] = index["OnDemandThroughput"]
    return out


def _stream(spec: dict[str, Any] | None) -> dict[str, Any]:
    if spec and spec.get("StreamViewType"):
        return {"StreamEnabled": True, "StreamViewType": spec["StreamViewType"]}
    return {"StreamEnabled": False}


def _sse(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Enabled": as_bool(spec.get("SSEEnabled", False))}
    if spec.get("SSEType"):
        out["SSEType"] = spec["SSEType"]
    if spec.get("KMSMasterKeyId"):
        out["KMSMasterKeyId"] = spec["KMSMasterKeyId"]
    return out


class TableProvider(BaseProvider):
    """AWS::DynamoDB::Table. `Ref`: the table name."""

    type_name = "AWS::DynamoDB::Table"
    # The registry schema lists TableName; the reference page also marks KeySchema and
    # LocalSecondaryIndexes "Update requires: Replacement" (DynamoDB cannot change them).
    replaces = frozenset({"TableName", "KeySchema", "LocalSecondaryIndexes", "ImportSourceSpecification"})

    def create(self, ctx: ProviderContext, properties: dict[str, Any]) -> Created:
        name = properties.get("TableName") or generated_name(ctx, max_length=255)
        billing = properties.get("BillingMode") or "PROVISIONED"
        params: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "KeySchema": properties["KeySchema"],
            "BillingMode": billing,
        }
        if billing == "PROVISIONED":
            params["ProvisionedThroughput"] = _throughput(properties.get("ProvisionedThroughput"))
        if properties.get("GlobalSecondaryIndexes"):
            params["GlobalSecondaryIndexes"] = [_index(i, global_=True) for i in properties["GlobalSecondaryIndexes"]]
        if properties.get("LocalSecondaryIndexes"):
            params["LocalSecondaryIndexes"] = [_index(i, global_=False) for i in properties["LocalSecondaryIndexes"]]
        if properties.get("StreamSpecification"):
            params["StreamSpecification"] = _stream(properties["StreamSpecification"])
        if properties.get("SSESpecification"):
            params["SSESpecification"] = _sse(properties["SSESpecification"])
        for key in ("TableClass", "OnDemandThroughput", "WarmThroughput"):
            if properties.get(key):
                params[key] = properties[key]
        if properties.get("DeletionProtectionEnabled") is not None:
            params["DeletionProtectionEnabled"] = as_bool(properties["DeletionProtectionEnabled"])
        tags = resource_tags(ctx, properties)
        if tags:
            params["Tags"] = tags
        ctx.call("dynamodb", "CreateTable", params)
        self._settings(ctx, name, {}, properties)
        return self.describe(ctx, name, properties)

    def update(self, ctx: ProviderContext, physical_id: str, old: dict[str, Any], new: dict[str, Any]) -> Created:
        params: dict[str, Any] = {}
        billing = new.get("BillingMode") or "PROVISIONED"
        if billing != (old.get("BillingMode") or "PROVISIONED"):
            params["BillingMode"] = billing
        if billing == "PROVISIONED" and (params or new.get("ProvisionedThroughput") != old.get("ProvisionedThroughput")):
            params["ProvisionedThroughput"] = _throughput(new.get("ProvisionedThroughput"))
        if _stream(new.get("StreamSpecification")) != _stream(old.get("StreamSpecification")):
            # A stream view type change is a disable followed by an enable.
            if old.get("StreamSpecification") and new.get("StreamSpecification"):
                self._update(ctx, physical_id, {"StreamSpecification": {"StreamEnabled": False}})
            params["StreamSpecification"] = _stream(new.get("StreamSpecification"))
        if new.get("SSESpecification") != old.get("SSESpecification"):
            params["SSESpecification"] = _sse(new.get("SSESpecification") or {})
        for key in ("TableClass", "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput"):
            if new.get(key) != old.get(key) and new.get(key) is not None:
                params[key] = as_bool(new[key]) if key == "DeletionProtectionEnabled" else new[key]
        if params:
            params["AttributeDefinitions"] = new["AttributeDefinitions"]
            self._update(ctx, physical_id, params)
        self._indexes(ctx, physical_id, old, new)
        self._settings(ctx, physical_id, old, new)
        to_set, to_remove = tag_changes(old, new)
        arn = self.describe(ctx, physical_id, new).attributes["Arn"]
        if to_set:
            ctx.call("dynamodb", "TagResource", {"ResourceArn": arn,
                                                 "Tags": [{"Key": k, "Value": v} for k, v in to_set.items()]})
        if to_remove:
            ctx.call("dynamodb", "UntagResource", {"ResourceArn": arn, "TagKeys": to_remove})
        return self.describe(ctx, physical_id, new)

    def _update(self, ctx: ProviderContext, name: str, params: dict[str, Any]) -> None:
        ctx.call("dynamodb", "UpdateTable", {"TableName": name, **params})

    def _indexes(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Global secondary indexes: one create/delete/update per UpdateTable, as DynamoDB requires."""
        before = {i["IndexName"]: i for i in old.get("GlobalSecondaryIndexes") or []}
        after = {i["IndexName"]: i for i in new.get("GlobalSecondaryIndexes") or []}
        for index in before:
            if index not in after:
                self._update(ctx, name, {"GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": index}}]})
        for index, spec in after.items():
            if index not in before:
                self._update(ctx, name, {"AttributeDefinitions": new["AttributeDefinitions"],
                                         "GlobalSecondaryIndexUpdates": [{"Create": _index(spec, global_=True)}]})
            elif spec.get("ProvisionedThroughput") != before[index].get("ProvisionedThroughput") and \
                    spec.get("ProvisionedThroughput"):
                self._update(ctx, name, {"GlobalSecondaryIndexUpdates": [{"Update": {
                    "IndexName": index, "ProvisionedThroughput": _throughput(spec["ProvisionedThroughput"])}}]})

    def _settings(self, ctx: ProviderContext, name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        ttl, old_ttl = new.get("TimeToLiveSpecification"), old.get("TimeToLiveSpecification")
        if ttl != old_ttl and (ttl or old_ttl):
            spec = ttl or {**old_ttl, "Enabled": False}  # type: ignore[dict-item]
            ctx.call("dynamodb", "UpdateTimeToLive", {"TableName": name, "TimeToLiveSpecification": {
                "Enabled": as_bool(spec.get("Enabled", False)), "AttributeName": spec["AttributeName"]}})
        pitr, old_pitr = new.get("PointInTimeRecoverySpecification"), old.get("PointInTimeRecoverySpecification")
        if pitr != old_pitr and (pitr or old_pitr):
            enabled = as_bool((pitr or {}).get("PointInTimeRecoveryEnabled", False))
            ctx.call("dynamodb", "UpdateContinuousBackups", {
                "TableName": name, "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": enabled}})

    def delete(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> None:
        ignore_missing(lambda: ctx.call("dynamodb", "DeleteTable", {"TableName": physical_id}), *_MISSING)

    readable = frozenset({"TableName", "BillingMode", "KeySchema", "AttributeDefinitions", "ProvisionedThroughput",
                          "StreamSpecification", "DeletionProtectionEnabled", "TableClass", "Tags"})

    def read(self, ctx: ProviderContext, physical_id: str) -> dict[str, Any] | None:
        found = read_or_gone(lambda: ctx.call("dynamodb", "DescribeTable", {"TableName": physical_id}), *_MISSING)
        if found is None:
            return None
        table = found["Table"]
        out: dict[str, Any] = {
            "TableName": table["TableName"], "KeySchema": table.get("KeySchema", []),
            "AttributeDefinitions": table.get("AttributeDefinitions", []),
            "BillingMode": (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
            "DeletionProtectionEnabled": table.get("DeletionProtectionEnabled", False),
            "TableClass": (table.get("TableClassSummary") or {}).get("TableClass", "STANDARD")}
        throughput = table.get("ProvisionedThroughput") or {}
        if throughput.get("ReadCapacityUnits"):
            out["ProvisionedThroughput"] = {k: throughput[k] for k in ("ReadCapacityUnits", "WriteCapacityUnits")}
        stream = table.get("StreamSpecification") or {}
        if stream.get("StreamEnabled"):
            out["StreamSpecification"] = {"StreamViewType": stream.get("StreamViewType")}
        tags = ctx.call("dynamodb", "ListTagsOfResource", {"ResourceArn": table["TableArn"]}).get("Tags", [])
        out["Tags"] = tag_list(tags)
        return out

    def describe(self, ctx: ProviderContext, physical_id: str, properties: dict[str, Any]) -> Created:
        table = ctx.call("dynamodb", "DescribeTable", {"TableName": physical_id})["Table"]
        attributes = {"Arn": table["TableArn"]}
        if table.get("LatestStreamArn") and (table.get("StreamSpecification") or {}).get("StreamEnabled"):
            attributes["StreamArn"] = table["LatestStreamArn"]
        return Created(physical_id, attributes)
