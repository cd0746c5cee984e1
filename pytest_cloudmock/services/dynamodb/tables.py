"""Table operations: create, describe, update, delete, list; tags, TTL, limits, endpoints."""

from __future__ import annotations

import copy
import dataclasses
import uuid
from itertools import islice
from typing import Any

from ...api import AWSError, RequestContext
from . import errors, streams
from .base import DynamoDbBase
from .state import Index, KeySchema, Table

MAX_GSIS = 20
MAX_LSIS = 5
LIMITS = {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
          "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def parse_key_schema(elements: list[dict[str, str]], where: str = "KeySchema") -> KeySchema:
    """A key schema from its elements, with AWS's checks of their order and kinds."""
    if not elements or len(elements) > 2:
        raise errors.validation(f"1 validation error detected: Value '{elements}' at '{where}' failed to satisfy "
                                "constraint: Member must have length less than or equal to 2")
    first = elements[0]
    if first.get("KeyType") != "HASH":
        raise errors.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(elements) == 1:
        return KeySchema(first["AttributeName"])
    second = elements[1]
    if second.get("KeyType") != "RANGE":
        raise errors.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
    if second["AttributeName"] == first["AttributeName"]:
        raise errors.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name")
    return KeySchema(first["AttributeName"], second["AttributeName"])


def _throughput(raw: dict[str, Any] | None) -> dict[str, int]:
    raw = raw or {}
    return {"ReadCapacityUnits": int(raw.get("ReadCapacityUnits", 0)),
            "WriteCapacityUnits": int(raw.get("WriteCapacityUnits", 0))}


def _check_projection(projection: dict[str, Any]) -> dict[str, Any]:
    kind = projection.get("ProjectionType", "ALL")
    non_key = projection.get("NonKeyAttributes")
    if kind == "INCLUDE" and not non_key:
        raise errors.invalid_parameters("NonKeyAttributes must be specified when ProjectionType is INCLUDE")
    if kind != "INCLUDE" and non_key:
        raise errors.invalid_parameters(f"ProjectionType is {kind}, but NonKeyAttributes is specified")
    out: dict[str, Any] = {"ProjectionType": kind}
    if non_key:
        out["NonKeyAttributes"] = list(non_key)
    return out


def _check_billing(mode: str, throughput: dict[str, Any] | None) -> None:
    if mode == "PROVISIONED" and (not throughput or "ReadCapacityUnits" not in throughput
                                  or "WriteCapacityUnits" not in throughput):
        raise errors.invalid_parameters(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
    if mode == "PAY_PER_REQUEST" and throughput:
        raise errors.invalid_parameters(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")


class TableOperations(DynamoDbBase):
    """CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables, tags, TTL, limits."""

    # -- create ------------------------------------------------------------------------------
    def create_table(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["TableName"]
        for member, wire in (("KeySchema", "keySchema"), ("AttributeDefinitions", "attributeDefinitions")):
            if p.get(member) is None:  # optional in the model, required by the service
                raise errors.validation(f"1 validation error detected: Value null at '{wire}' failed to satisfy "
                                        "constraint: Member must not be null")
        schema = parse_key_schema(p["KeySchema"])
        attributes = {a["AttributeName"]: a["AttributeType"] for a in p.get("AttributeDefinitions", [])}
        mode = p.get("BillingMode") or "PROVISIONED"
        _check_billing(mode, p.get("ProvisionedThroughput"))
        used = set(schema.names)
        indexes: dict[str, Index] = {}
        arn = self.table_arn(ctx, name)
        gsis, lsis = p.get("GlobalSecondaryIndexes") or [], p.get("LocalSecondaryIndexes") or []
        if len(gsis) > MAX_GSIS:
            raise errors.validation(f"One or more parameter values were invalid: GlobalSecondaryIndex count "
                                    f"exceeds the per-table limit of {MAX_GSIS}")
        if len(lsis) > MAX_LSIS:
            raise errors.validation(f"One or more parameter values were invalid: LocalSecondaryIndex count "
                                    f"exceeds the per-table limit of {MAX_LSIS}")
        for kind, specs in (("GSI", gsis), ("LSI", lsis)):
            for spec in specs:
                index = self.make_index(ctx, arn, spec, kind, mode)
                if index.name in indexes:
                    raise errors.invalid_parameters(f"Duplicate index name: {index.name}")
                if kind == "LSI":
                    if schema.range is None:
                        raise errors.invalid_parameters(
                            "Table KeySchema does not have a range key, which is required when specifying a "
                            "LocalSecondaryIndex")
                    if index.schema.hash != schema.hash or index.schema.range is None:
                        raise errors.invalid_parameters(
                            f"Index KeySchema does not have a range key for index: {index.name}"
                            if index.schema.range is None else
                            f"Table KeySchema and secondary index {index.name} KeySchema must have the same hash key")
                indexes[index.name] = index
                used |= set(index.schema.names)
        missing = [n for n in sorted(used) if n not in attributes]
        if missing:
            raise errors.invalid_parameters(
                f"Some index key attributes are not defined in AttributeDefinitions. Keys: [{', '.join(missing)}], "
                f"AttributeDefinitions: [{', '.join(attributes)}]")
        if set(attributes) - used:
            raise errors.invalid_parameters(
                "Number of attributes in KeySchema does not exactly match number of attributes defined in "
                "AttributeDefinitions")
        for key in schema.names:
            if attributes[key] not in ("S", "N", "B"):
                raise errors.invalid_parameters(f"Member must satisfy enum value set: [B, N, S] for {key}")
        sse = self.sse_description(ctx, p.get("SSESpecification"))
        with self.store.lock:
            state = self.state(ctx)
            if name in state.tables:
                raise errors.in_use(f"Table already exists: {name}")
            table = Table(name=name, arn=arn, table_id=str(uuid.uuid4()), schema=schema, attributes=attributes,
                          created=ctx.clock.utcnow(), billing_mode=mode,
                          throughput=_throughput(p.get("ProvisionedThroughput")), indexes=indexes,
                          tags={t["Key"]: t["Value"] for t in p.get("Tags") or []},
                          deletion_protection=bool(p.get("DeletionProtectionEnabled")),
                          table_class=p.get("TableClass") or "STANDARD",
                          on_demand_throughput=p.get("OnDemandThroughput"),
                          resource_policy=p.get("ResourcePolicy"))
            table.sse = sse
            self.apply_stream_spec(ctx, table, p.get("StreamSpecification"))
            state.tables[name] = table
            described = self.describe(table)
        described["TableStatus"] = "CREATING"  # as AWS answers; the table itself is ACTIVE at once
        for index in described.get("GlobalSecondaryIndexes", []):
            index["IndexStatus"] = "CREATING"
        return {"TableDescription": described}

    def make_index(self, ctx: RequestContext, table_arn: str, spec: dict[str, Any], kind: str, mode: str) -> Index:
        schema = parse_key_schema(spec["KeySchema"], "KeySchema")
        throughput = spec.get("ProvisionedThroughput")
        if kind == "GSI":
            _check_billing(mode, throughput)
        return Index(name=spec["IndexName"], kind=kind, schema=schema,
                     projection=_check_projection(spec.get("Projection") or {}),
                     arn=f"{table_arn}/index/{spec['IndexName']}",
                     throughput=_throughput(throughput) if kind == "GSI" else None)

    @staticmethod
    def sse_description(ctx: RequestContext, spec: dict[str, Any] | None) -> dict[str, Any] | None:
        """The `SSEDescription` an `SSESpecification` asks for (None: the AWS owned key). The KMS
        key (given, or the AWS managed `alias/aws/dynamodb`) is resolved to its ARN by KMS."""
        if not spec or not spec.get("Enabled"):
            return None
        from ..kms import api as kms_api  # KMS loads only for tables that name it

        key_id = spec.get("KMSMasterKeyId") or kms_api.default_key("dynamodb")
        if ctx.registry is None or ctx.registry.get("kms") is None:
            arn = key_id if key_id.startswith("arn:") else f"arn:{ctx.partition}:kms:{ctx.region}:{ctx.account_id}:{key_id}"
        else:
            try:
                metadata = kms_api.describe_key(ctx, key_id)
            except AWSError as err:
                # AWS's exact wording for an unusable key at CreateTable/UpdateTable is not documented
                raise errors.validation(f"KMSMasterKeyId {key_id} is not valid: {err.message}") from None
            if metadata.get("KeyState") != "Enabled":
                raise errors.validation(f"KMSMasterKeyId {metadata['Arn']} is {metadata.get('KeyState')}")
            arn = metadata["Arn"]
        return {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": arn}

    def apply_stream_spec(self, ctx: RequestContext, table: Table, spec: dict[str, Any] | None) -> None:
        if spec is None:
            return
        if spec.get("StreamEnabled"):
            view = spec.get("StreamViewType")
            if not view:
                raise errors.validation("One or more parameter values were invalid: "
                                        "StreamViewType is required when StreamEnabled is true")
            if table.stream is not None and table.stream.enabled:
                raise errors.validation(f"Table already has an enabled stream: {table.stream.arn}")
            if table.stream is not None:
                table.old_streams.append(table.stream)
            table.stream = streams.new_stream(ctx, table, view)
        else:
            if table.stream is None or not table.stream.enabled:
                raise errors.validation("Table already has no enabled stream")  # AWS's text is not known
            table.stream.enabled = False

    # -- describe ----------------------------------------------------------------------------
    def describe(self, table: Table) -> dict[str, Any]:
        out: dict[str, Any] = {
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in table.attributes.items()],
            "TableName": table.name,
            "KeySchema": table.schema.described(),
            "TableStatus": table.status,
            "CreationDateTime": table.created,
            "ProvisionedThroughput": {**table.throughput, "NumberOfDecreasesToday": 0},
            "TableSizeBytes": table.size_bytes,
            "ItemCount": table.items.count,
            "TableArn": table.arn,
            "TableId": table.table_id,
            "DeletionProtectionEnabled": table.deletion_protection,
            "TableClassSummary": {"TableClass": table.table_class},
        }
        if table.billing_mode == "PAY_PER_REQUEST":
            out["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST",
                                         "LastUpdateToPayPerRequestDateTime": table.pay_per_request_since
                                         or table.created}
            out["OnDemandThroughput"] = table.on_demand_throughput or {"MaxReadRequestUnits": -1,
                                                                       "MaxWriteRequestUnits": -1}
        gsis = [self.describe_index(table, i) for i in table.indexes.values() if i.kind == "GSI"]
        lsis = [self.describe_index(table, i) for i in table.indexes.values() if i.kind == "LSI"]
        if gsis:
            out["GlobalSecondaryIndexes"] = gsis
        if lsis:
            out["LocalSecondaryIndexes"] = lsis
        if table.stream is not None:
            if table.stream.enabled:
                out["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": table.stream.view_type}
            out["LatestStreamArn"] = table.stream.arn
            out["LatestStreamLabel"] = table.stream.label
        if table.sse is not None:
            out["SSEDescription"] = table.sse
        if table.replicas:
            region = table.arn.split(":")[3]
            out["Replicas"] = [{"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in sorted({region, *table.replicas})]
            out["GlobalTableVersion"] = "2019.11.21"
        return out

    def describe_index(self, table: Table, index: Index) -> dict[str, Any]:
        out: dict[str, Any] = {
            "IndexName": index.name,
            "KeySchema": index.schema.described(),
            "Projection": index.projection,
            "IndexSizeBytes": index.size_bytes,
            "ItemCount": index.items.count,
            "IndexArn": index.arn,
        }
        if index.kind == "GSI":
            out["IndexStatus"] = index.status
            out["ProvisionedThroughput"] = {**(index.throughput or {}), "NumberOfDecreasesToday": 0}
            if table.billing_mode == "PAY_PER_REQUEST":
                out["OnDemandThroughput"] = {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1}
        return out

    def describe_table(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Table": self.describe(self.table(ctx, named=True))}

    # -- update ------------------------------------------------------------------------------
    def update_table(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        changes = ("ProvisionedThroughput", "BillingMode", "StreamSpecification", "GlobalSecondaryIndexUpdates",
                   "SSESpecification", "ReplicaUpdates", "TableClass", "DeletionProtectionEnabled",
                   "OnDemandThroughput", "WarmThroughput", "MultiRegionConsistency", "GlobalTableWitnessUpdates")
        if not any(p.get(name) is not None for name in changes):
            raise errors.validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                    "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required")
        sse_spec = p.get("SSESpecification")
        sse = self.sse_description(ctx, sse_spec) if sse_spec is not None else None
        with self.store.lock:
            table = self.table(ctx, named=True)
            for definition in p.get("AttributeDefinitions") or []:
                table.attributes.setdefault(definition["AttributeName"], definition["AttributeType"])
            mode = p.get("BillingMode")
            if mode is not None and mode != table.billing_mode:
                _check_billing(mode, p.get("ProvisionedThroughput"))
                table.billing_mode = mode
                if mode == "PAY_PER_REQUEST":
                    table.pay_per_request_since = ctx.clock.utcnow()
                    table.throughput = _throughput(None)
            if p.get("ProvisionedThroughput") is not None:
                if table.billing_mode == "PAY_PER_REQUEST":
                    _check_billing("PAY_PER_REQUEST", p["ProvisionedThroughput"])
                table.throughput = _throughput(p["ProvisionedThroughput"])
            created: list[str] = []
            for update in p.get("GlobalSecondaryIndexUpdates") or []:
                created += self._update_gsi(ctx, table, update)
            if "StreamSpecification" in p:
                self.apply_stream_spec(ctx, table, p["StreamSpecification"])
            if sse_spec is not None:
                table.sse = sse
            if p.get("TableClass"):
                table.table_class = p["TableClass"]
            if p.get("DeletionProtectionEnabled") is not None:
                table.deletion_protection = p["DeletionProtectionEnabled"]
            if p.get("OnDemandThroughput") is not None:
                table.on_demand_throughput = p["OnDemandThroughput"]
            for replica in p.get("ReplicaUpdates") or []:
                self.update_replica(ctx, table, replica)
            described = self.describe(table)
        described["TableStatus"] = "UPDATING"
        for index in described.get("GlobalSecondaryIndexes", []):
            if index["IndexName"] in created:
                index["IndexStatus"] = "CREATING"
                index["Backfilling"] = False
        return {"TableDescription": described}

    def update_replica(self, ctx: RequestContext, table: Table, replica: dict[str, Any]) -> None:
        """Global tables (2019.11.21): add or remove a replica in another region of the account.

        Every table of the group lists the others in `replicas`; `commit` copies each write
        to them.
        """
        group = {ctx.region, *table.replicas}
        if "Create" in replica:
            region = replica["Create"]["RegionName"]
            if region in group:
                raise errors.validation(f"Failed to create a the new replica of table with name: '{table.name}' "
                                        f"because one or more replicas already existed as tables.")
            target = self.store.get(ctx.account_id, region)
            if table.name in target.tables:
                raise errors.validation(f"Failed to create a the new replica of table with name: '{table.name}' "
                                        f"because one or more replicas already existed as tables.")
            copy_ = copy.deepcopy(table)
            copy_.arn = self.table_arn(dataclasses.replace(ctx, region=region), table.name)
            copy_.table_id, copy_.old_streams, copy_.stream = str(uuid.uuid4()), [], None
            for index in copy_.indexes.values():
                index.arn = f"{copy_.arn}/index/{index.name}"
            if table.stream is not None and table.stream.enabled:
                copy_.stream = streams.new_stream(ctx, copy_, table.stream.view_type)
            target.tables[table.name] = copy_
            group.add(region)
        elif "Delete" in replica:
            region = replica["Delete"]["RegionName"]
            if region not in table.replicas:
                raise errors.resource_not_found(f"Requested resource not found: Replica: {region} not found")
            gone = self.store.get(ctx.account_id, region).tables.pop(table.name, None)
            if gone is not None:
                gone.replicas = {}
            group.discard(region)
        for member_region in group:
            member = self.store.get(ctx.account_id, member_region).tables.get(table.name)
            if member is not None:
                member.replicas = {r: {"RegionName": r} for r in sorted(group) if r != member_region}

    def _update_gsi(self, ctx: RequestContext, table: Table, update: dict[str, Any]) -> list[str]:
        if "Create" in update:
            spec = update["Create"]
            if spec["IndexName"] in table.indexes:
                raise errors.validation(
                    f"One or more parameter values were invalid: Index with name: {spec['IndexName']} already exists")
            if sum(1 for i in table.indexes.values() if i.kind == "GSI") >= MAX_GSIS:
                raise AWSError("LimitExceededException",
                                      f"Subscriber limit exceeded: The number of global secondary indexes exceeds "
                                      f"the limit of {MAX_GSIS}")
            index = self.make_index(ctx, table.arn, spec, "GSI", table.billing_mode)
            missing = [n for n in index.schema.names if n not in table.attributes]
            if missing:
                raise errors.invalid_parameters(
                    f"Some index key attributes are not defined in AttributeDefinitions. Keys: [{', '.join(missing)}], "
                    f"AttributeDefinitions: [{', '.join(table.attributes)}]")
            table.fill_index(index)
            table.indexes[index.name] = index
            return [index.name]
        name = (update.get("Update") or update.get("Delete") or {}).get("IndexName")
        index = table.indexes.get(name or "")
        if index is None or index.kind != "GSI":
            raise errors.resource_not_found(f"Requested resource not found: Index: {name} not found")
        if "Delete" in update:
            del table.indexes[index.name]
        elif update["Update"].get("ProvisionedThroughput") is not None:
            index.throughput = _throughput(update["Update"]["ProvisionedThroughput"])
        return []

    # -- delete and list ---------------------------------------------------------------------
    def delete_table(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.table(ctx, named=True)
            if table.deletion_protection:
                raise errors.validation("Resource cannot be deleted as it is currently protected against deletion. "
                                        "Disable deletion protection first.")
            described = self.describe(table)
            state = self.state(ctx)
            del state.tables[table.name]
            if table.stream is not None:
                table.stream.enabled = False
            now = ctx.clock.now()
            state.retired_streams = [(t, s) for t, s in state.retired_streams
                                     if s.records and s.records[-1].created > now - streams.RETENTION_SECONDS]
            state.retired_streams += [(table, s) for s in [*table.old_streams, *([table.stream] if table.stream else [])]]
        described["TableStatus"] = "DELETING"
        return {"TableDescription": described}

    def list_tables(self, ctx: RequestContext) -> dict[str, Any]:
        start = ctx.params.get("ExclusiveStartTableName")
        limit = ctx.params.get("Limit") or 100
        names = list(islice(self.state(ctx).tables.keys_after(start), limit + 1))  # a seek, not a sort
        page = names[:limit]
        out: dict[str, Any] = {"TableNames": page}
        if len(names) > limit:
            out["LastEvaluatedTableName"] = page[-1]
        return out

    # -- tags --------------------------------------------------------------------------------
    def tagged(self, ctx: RequestContext, arn: str) -> Table:
        name = arn.split(":table/", 1)[-1].split("/", 1)[0] if ":table/" in arn else ""
        table = self.state(ctx).tables.get(name)
        if table is None or table.arn != arn.split("/index/")[0].split("/stream/")[0]:
            raise errors.resource_not_found(f"Requested resource not found: ResourcArn: {arn} not found")
        return table

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.tagged(ctx, ctx.params["ResourceArn"])
            tags = {**table.tags, **{t["Key"]: t["Value"] for t in ctx.params["Tags"]}}
            if len(tags) > 50:
                raise AWSError("LimitExceededException", "Too many tags: a resource may have at most 50 tags")
            table.tags = tags
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = self.tagged(ctx, ctx.params["ResourceArn"])
            for key in ctx.params["TagKeys"]:
                table.tags.pop(key, None)
        return {}

    def list_tags_of_resource(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.tagged(ctx, ctx.params["ResourceArn"])
        tags = [{"Key": k, "Value": v} for k, v in sorted(table.tags.items())]
        start = int(ctx.params["NextToken"]) if str(ctx.params.get("NextToken", "")).isdigit() else 0
        page = tags[start:start + 100]
        out: dict[str, Any] = {"Tags": page}
        if start + 100 < len(tags):
            out["NextToken"] = str(start + 100)
        return out

    # -- TTL ---------------------------------------------------------------------------------
    def update_time_to_live(self, ctx: RequestContext) -> dict[str, Any]:
        spec = ctx.params["TimeToLiveSpecification"]
        with self.store.lock:
            table = self.table(ctx, named=True)
            if spec["Enabled"]:
                if table.ttl_attribute is not None:
                    raise errors.validation("TimeToLive is already enabled")
                table.ttl_attribute = spec["AttributeName"]
                table.rebuild_ttl_queue()
            else:
                if table.ttl_attribute is None:
                    raise errors.validation("TimeToLive is already disabled")
                if table.ttl_attribute != spec["AttributeName"]:
                    raise errors.validation("TimeToLive is active on a different AttributeName: current "
                                            f"AttributeName is {table.ttl_attribute}")
                table.ttl_attribute = None
                table.ttl_heap = []
        return {"TimeToLiveSpecification": {"Enabled": spec["Enabled"], "AttributeName": spec["AttributeName"]}}

    def describe_time_to_live(self, ctx: RequestContext) -> dict[str, Any]:
        table = self.table(ctx, named=True)
        if table.ttl_attribute is None:
            return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": table.ttl_attribute}}

    # -- account ---------------------------------------------------------------------------
    def describe_limits(self, ctx: RequestContext) -> dict[str, Any]:
        return dict(LIMITS)

    def describe_endpoints(self, ctx: RequestContext) -> dict[str, Any]:
        return {"Endpoints": [{"Address": f"dynamodb.{ctx.region}.amazonaws.com", "CachePeriodInMinutes": 1440}]}
