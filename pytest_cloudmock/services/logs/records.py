"""Stored resources: deliveries (sources, destinations, policies), anomaly detectors,
integrations, S3 table integration sources, lookup tables, scheduled queries and import
tasks. Logs keeps them, validates their references and answers them back; nothing runs
(no vended logs are delivered, no anomalies found, no scheduled query fires)."""

from __future__ import annotations

import uuid
from typing import Any

from ...api import RequestContext
from . import errors
from .base import LogsBase, now_ms

#: AWS's delivery destination types, by the service of the destination resource's ARN.
DESTINATION_TYPES = {"s3": "S3", "logs": "CWL", "firehose": "FH", "xray": "XRAY"}


class RecordOperations(LogsBase):
    def _records(self, ctx: RequestContext, kind: str) -> dict[str, dict[str, Any]]:
        return self.state(ctx).kind(kind)

    def _get(self, ctx: RequestContext, kind: str, key: str, what: str) -> dict[str, Any]:
        record = self._records(ctx, kind).get(key)
        if record is None:
            raise errors.not_found(f"The specified {what} does not exist.")  # exact texts not documented
        return record

    def _list(self, ctx: RequestContext, kind: str, member: str, *, limit_key: str = "limit",
              keep: Any = None) -> dict[str, Any]:
        with self.store.lock:
            rows = [dict(r) for _, r in sorted(self._records(ctx, kind).items()) if keep is None or keep(r)]
        page, token = self.page(ctx, rows, limit_key=limit_key)
        return self.paged({member: page}, token)

    def _tagged(self, ctx: RequestContext, arn: str) -> dict[str, str]:
        tags = dict(ctx.params.get("tags") or {})
        if tags:
            self.state(ctx).tags.setdefault(arn, {}).update(tags)
        return self.state(ctx).tags.get(arn, {})

    # -- delivery sources ---------------------------------------------------------------
    def put_delivery_source(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name, resource = p.get("name") or "", p.get("resourceArn") or ""
        arn = self.arn(ctx, f"delivery-source:{name}")
        with self.store.lock:
            source = {"name": name, "arn": arn, "resourceArns": [resource],
                      "service": resource.split(":")[2] if resource.count(":") >= 2 else "",
                      "logType": p.get("logType") or "", "tags": self._tagged(ctx, arn),
                      **({"deliverySourceConfiguration": p["deliverySourceConfiguration"]}
                         if p.get("deliverySourceConfiguration") else {})}
            self._records(ctx, "delivery-sources")[name] = source
            return {"deliverySource": dict(source)}

    def get_delivery_source(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"deliverySource": dict(self._get(ctx, "delivery-sources", ctx.params.get("name") or "",
                                                     "delivery source"))}

    def delete_delivery_source(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("name") or ""
        with self.store.lock:
            self._get(ctx, "delivery-sources", name, "delivery source")
            if any(d["deliverySourceName"] == name for d in self._records(ctx, "deliveries").values()):
                raise errors.conflict("The delivery source is in use by a delivery.")  # exact text unknown
            del self._records(ctx, "delivery-sources")[name]
        return {}

    def describe_delivery_sources(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list(ctx, "delivery-sources", "deliverySources")

    # -- delivery destinations ----------------------------------------------------------
    def put_delivery_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("name") or ""
        config = p.get("deliveryDestinationConfiguration") or {}
        target = config.get("destinationResourceArn") or ""
        kind = p.get("deliveryDestinationType") or DESTINATION_TYPES.get(
            target.split(":")[2] if target.count(":") >= 2 else "", "XRAY")
        arn = self.arn(ctx, f"delivery-destination:{name}")
        with self.store.lock:
            destination = {"name": name, "arn": arn, "deliveryDestinationType": kind,
                           "outputFormat": p.get("outputFormat") or "json",
                           "deliveryDestinationConfiguration": dict(config), "tags": self._tagged(ctx, arn)}
            self._records(ctx, "delivery-destinations")[name] = destination
            return {"deliveryDestination": dict(destination)}

    def get_delivery_destination(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"deliveryDestination": dict(self._get(ctx, "delivery-destinations", ctx.params.get("name") or "",
                                                          "delivery destination"))}

    def delete_delivery_destination(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("name") or ""
        with self.store.lock:
            destination = self._get(ctx, "delivery-destinations", name, "delivery destination")
            if any(d["deliveryDestinationArn"] == destination["arn"]
                   for d in self._records(ctx, "deliveries").values()):
                raise errors.conflict("The delivery destination is in use by a delivery.")  # exact text unknown
            del self._records(ctx, "delivery-destinations")[name]
            self._records(ctx, "delivery-destination-policies").pop(name, None)
        return {}

    def describe_delivery_destinations(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list(ctx, "delivery-destinations", "deliveryDestinations")

    def put_delivery_destination_policy(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("deliveryDestinationName") or ""
        with self.store.lock:
            self._get(ctx, "delivery-destinations", name, "delivery destination")
            policy = {"deliveryDestinationPolicy": ctx.params.get("deliveryDestinationPolicy") or ""}
            self._records(ctx, "delivery-destination-policies")[name] = policy
        return {"policy": dict(policy)}

    def get_delivery_destination_policy(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("deliveryDestinationName") or ""
        with self.store.lock:
            self._get(ctx, "delivery-destinations", name, "delivery destination")
            return {"policy": dict(self._records(ctx, "delivery-destination-policies").get(name) or {})}

    def delete_delivery_destination_policy(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("deliveryDestinationName") or ""
        with self.store.lock:
            self._get(ctx, "delivery-destination-policies", name, "delivery destination policy")
            del self._records(ctx, "delivery-destination-policies")[name]
        return {}

    # -- deliveries ---------------------------------------------------------------------
    def create_delivery(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        source_name, target = p.get("deliverySourceName") or "", p.get("deliveryDestinationArn") or ""
        with self.store.lock:
            self._get(ctx, "delivery-sources", source_name, "delivery source")
            destination = next((d for d in self._records(ctx, "delivery-destinations").values()
                                if d["arn"] == target), None)
            if destination is None:
                raise errors.not_found("The specified delivery destination does not exist.")
            deliveries = self._records(ctx, "deliveries")
            if any(d["deliverySourceName"] == source_name and d["deliveryDestinationArn"] == target
                   for d in deliveries.values()):
                raise errors.conflict("A delivery between this source and destination already exists.")  # text unknown
            delivery_id = uuid.uuid4().hex[:16]
            arn = self.arn(ctx, f"delivery:{delivery_id}")
            delivery = {"id": delivery_id, "arn": arn, "deliverySourceName": source_name,
                        "deliveryDestinationArn": target,
                        "deliveryDestinationType": destination["deliveryDestinationType"],
                        "tags": self._tagged(ctx, arn),
                        **{k: p[k] for k in ("recordFields", "fieldDelimiter", "s3DeliveryConfiguration") if p.get(k)}}
            deliveries[delivery_id] = delivery
            return {"delivery": dict(delivery)}

    def get_delivery(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"delivery": dict(self._get(ctx, "deliveries", ctx.params.get("id") or "", "delivery"))}

    def delete_delivery(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            delivery = self._get(ctx, "deliveries", ctx.params.get("id") or "", "delivery")
            del self._records(ctx, "deliveries")[delivery["id"]]
            self.state(ctx).tags.pop(delivery["arn"], None)
        return {}

    def describe_deliveries(self, ctx: RequestContext) -> dict[str, Any]:
        return self._list(ctx, "deliveries", "deliveries")

    def update_delivery_configuration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            delivery = self._get(ctx, "deliveries", ctx.params.get("id") or "", "delivery")
            delivery.update({k: ctx.params[k] for k in ("recordFields", "fieldDelimiter", "s3DeliveryConfiguration")
                             if ctx.params.get(k) is not None})
        return {}

    def describe_configuration_templates(self, ctx: RequestContext) -> dict[str, Any]:
        """AWS's vended-log templates: cloudmock knows none, so the list is empty."""
        return {"configurationTemplates": []}

    # -- anomaly detectors --------------------------------------------------------------
    def create_log_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        arn = self.arn(ctx, f"anomaly-detector:{uuid.uuid4()}")
        now = now_ms(ctx)
        with self.store.lock:
            self._tagged(ctx, arn)
            self._records(ctx, "anomaly-detectors")[arn] = {
                "anomalyDetectorArn": arn, "detectorName": p.get("detectorName") or "",
                "logGroupArnList": list(p.get("logGroupArnList") or []),
                "evaluationFrequency": p.get("evaluationFrequency") or "FIFTEEN_MIN",
                "filterPattern": p.get("filterPattern") or "", "anomalyDetectorStatus": "INITIALIZING",
                "creationTimeStamp": now, "lastModifiedTimeStamp": now,
                "anomalyVisibilityTime": p.get("anomalyVisibilityTime") or 21,
                **({"kmsKeyId": p["kmsKeyId"]} if p.get("kmsKeyId") else {})}
        return {"anomalyDetectorArn": arn}

    def get_log_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            found = dict(self._detector(ctx))
        found.pop("anomalyDetectorArn")
        return found

    def update_log_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            detector = self._detector(ctx)
            detector.update({k: p[k] for k in ("evaluationFrequency", "filterPattern", "anomalyVisibilityTime")
                             if p.get(k) is not None})
            detector["anomalyDetectorStatus"] = "ANALYZING" if p.get("enabled") else "PAUSED"
            detector["lastModifiedTimeStamp"] = now_ms(ctx)
        return {}

    def delete_log_anomaly_detector(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            detector = self._detector(ctx)
            del self._records(ctx, "anomaly-detectors")[detector["anomalyDetectorArn"]]
        return {}

    def list_log_anomaly_detectors(self, ctx: RequestContext) -> dict[str, Any]:
        group = ctx.params.get("filterLogGroupArn")
        return self._list(ctx, "anomaly-detectors", "anomalyDetectors",
                          keep=lambda d: not group or group in d["logGroupArnList"])

    def list_anomalies(self, ctx: RequestContext) -> dict[str, Any]:
        """Anomalies are never detected here: an empty list (for a detector that exists)."""
        if ctx.params.get("anomalyDetectorArn"):
            with self.store.lock:
                self._detector(ctx)
        return {"anomalies": []}

    def update_anomaly(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self._detector(ctx)
        if not ctx.params.get("anomalyId") and not ctx.params.get("patternId"):
            raise errors.invalid("Specify anomalyId or patternId.")  # exact text unknown
        raise errors.not_found("The specified anomaly does not exist.")  # none are ever detected here

    def _detector(self, ctx: RequestContext) -> dict[str, Any]:
        return self._get(ctx, "anomaly-detectors", ctx.params.get("anomalyDetectorArn") or "", "anomaly detector")

    # -- integrations -------------------------------------------------------------------
    def put_integration(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("integrationName") or ""
        with self.store.lock:
            self._records(ctx, "integrations")[name] = {
                "integrationName": name, "integrationType": p.get("integrationType") or "OPENSEARCH",
                "integrationStatus": "ACTIVE", "resourceConfig": p.get("resourceConfig") or {}}
        return {"integrationName": name, "integrationStatus": "ACTIVE"}

    def get_integration(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            found = dict(self._get(ctx, "integrations", ctx.params.get("integrationName") or "", "integration"))
        found.pop("resourceConfig", None)
        return found

    def delete_integration(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params.get("integrationName") or ""
        with self.store.lock:
            self._get(ctx, "integrations", name, "integration")
            del self._records(ctx, "integrations")[name]
        return {}

    def list_integrations(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            rows = [{k: r[k] for k in ("integrationName", "integrationType", "integrationStatus")}
                    for _, r in sorted(self._records(ctx, "integrations").items())
                    if r["integrationName"].startswith(p.get("integrationNamePrefix") or "")
                    and (not p.get("integrationType") or r["integrationType"] == p["integrationType"])
                    and (not p.get("integrationStatus") or r["integrationStatus"] == p["integrationStatus"])]
        return {"integrationSummaries": rows}

    def associate_source_to_s3_table_integration(self, ctx: RequestContext) -> dict[str, Any]:
        identifier = str(uuid.uuid4())
        with self.store.lock:
            self._records(ctx, "s3-table-sources")[identifier] = {
                "identifier": identifier, "integrationArn": ctx.params.get("integrationArn") or "",
                "dataSource": ctx.params.get("dataSource") or {}, "status": "ACTIVE",
                "createdTimeStamp": now_ms(ctx)}
        return {"identifier": identifier}

    def disassociate_source_from_s3_table_integration(self, ctx: RequestContext) -> dict[str, Any]:
        identifier = ctx.params.get("identifier") or ""
        with self.store.lock:
            self._get(ctx, "s3-table-sources", identifier, "source")
            del self._records(ctx, "s3-table-sources")[identifier]
        return {"identifier": identifier}

    def list_sources_for_s3_table_integration(self, ctx: RequestContext) -> dict[str, Any]:
        integration = ctx.params.get("integrationArn")
        listed = self._list(ctx, "s3-table-sources", "sources", limit_key="maxResults",
                            keep=lambda r: r["integrationArn"] == integration)
        for row in listed["sources"]:
            row.pop("integrationArn")
        return listed

    # -- lookup tables ------------------------------------------------------------------
    def create_lookup_table(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("lookupTableName") or ""
        arn = self.arn(ctx, f"lookup-table:{name}")
        now = now_ms(ctx)
        with self.store.lock:
            tables = self._records(ctx, "lookup-tables")
            if arn in tables:
                raise errors.already_exists("The specified lookup table already exists.")  # exact text unknown
            self._tagged(ctx, arn)
            tables[arn] = {"lookupTableArn": arn, "lookupTableName": name, "lastUpdatedTime": now,
                           **_table_body(p)}
        return {"lookupTableArn": arn, "createdAt": now}

    def get_lookup_table(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            table = dict(self._table(ctx))
        table.pop("tableFields")
        table.pop("recordsCount")
        return table

    def update_lookup_table(self, ctx: RequestContext) -> dict[str, Any]:
        now = now_ms(ctx)
        with self.store.lock:
            table = self._table(ctx)
            table.update({"lastUpdatedTime": now, **_table_body(ctx.params, table)})
        return {"lookupTableArn": table["lookupTableArn"], "lastUpdatedTime": now}

    def delete_lookup_table(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            del self._records(ctx, "lookup-tables")[self._table(ctx)["lookupTableArn"]]
        return {}

    def describe_lookup_tables(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("lookupTableNamePrefix") or ""
        listed = self._list(ctx, "lookup-tables", "lookupTables", limit_key="maxResults",
                            keep=lambda t: t["lookupTableName"].startswith(prefix))
        for row in listed["lookupTables"]:
            row.pop("tableBody")
        return listed

    def _table(self, ctx: RequestContext) -> dict[str, Any]:
        return self._get(ctx, "lookup-tables", ctx.params.get("lookupTableArn") or "", "lookup table")

    # -- scheduled queries --------------------------------------------------------------
    def create_scheduled_query(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p.get("name") or ""
        arn = self.arn(ctx, f"scheduled-query:{name}")
        now = now_ms(ctx)
        with self.store.lock:
            queries = self._records(ctx, "scheduled-queries")
            if arn in queries:
                raise errors.conflict("A scheduled query with this name already exists.")  # exact text unknown
            self._tagged(ctx, arn)
            queries[arn] = {"scheduledQueryArn": arn, "name": name, "state": p.get("state") or "ENABLED",
                            "creationTime": now, "lastUpdatedTime": now, **_schedule(p)}
            return {"scheduledQueryArn": arn, "state": queries[arn]["state"]}

    def get_scheduled_query(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._scheduled(ctx))

    def update_scheduled_query(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            query = self._scheduled(ctx)
            query.update({**_schedule(ctx.params), "lastUpdatedTime": now_ms(ctx)})
            if ctx.params.get("state"):
                query["state"] = ctx.params["state"]
            return dict(query)

    def delete_scheduled_query(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            del self._records(ctx, "scheduled-queries")[self._scheduled(ctx)["scheduledQueryArn"]]
        return {}

    def list_scheduled_queries(self, ctx: RequestContext) -> dict[str, Any]:
        state = ctx.params.get("state")
        listed = self._list(ctx, "scheduled-queries", "scheduledQueries", limit_key="maxResults",
                            keep=lambda q: not state or q["state"] == state)
        keep = ("scheduledQueryArn", "name", "state", "scheduleExpression", "timezone", "destinationConfiguration",
                "creationTime", "lastUpdatedTime")
        listed["scheduledQueries"] = [{k: q[k] for k in keep if k in q} for q in listed["scheduledQueries"]]
        return listed

    def get_scheduled_query_history(self, ctx: RequestContext) -> dict[str, Any]:
        """Scheduled queries never fire here: an empty history."""
        with self.store.lock:
            query = self._scheduled(ctx)
        return {"name": query["name"], "scheduledQueryArn": query["scheduledQueryArn"], "triggerHistory": []}

    def _scheduled(self, ctx: RequestContext) -> dict[str, Any]:
        identifier = ctx.params.get("identifier") or ""
        arn = identifier if identifier.startswith("arn:") else self.arn(ctx, f"scheduled-query:{identifier}")
        return self._get(ctx, "scheduled-queries", arn, "scheduled query")

    # -- import tasks -------------------------------------------------------------------
    def create_import_task(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        import_id = str(uuid.uuid4())
        now = now_ms(ctx)
        destination = self.group_arn(ctx, f"aws/cloudtrail/{import_id}")
        with self.store.lock:
            self._records(ctx, "imports")[import_id] = {
                "importId": import_id, "importSourceArn": p.get("importSourceArn") or "",
                "importStatus": "IN_PROGRESS", "importDestinationArn": destination,
                "importStatistics": {"bytesImported": 0}, "creationTime": now, "lastUpdatedTime": now,
                **({"importFilter": p["importFilter"]} if p.get("importFilter") else {})}
        return {"importId": import_id, "importDestinationArn": destination, "creationTime": now}

    def describe_import_tasks(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        return self._list(ctx, "imports", "imports", keep=lambda r: (
            (not p.get("importId") or r["importId"] == p["importId"])
            and (not p.get("importStatus") or r["importStatus"] == p["importStatus"])
            and (not p.get("importSourceArn") or r["importSourceArn"] == p["importSourceArn"])))

    def describe_import_task_batches(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            task = self._get(ctx, "imports", ctx.params.get("importId") or "", "import task")
        return {"importSourceArn": task["importSourceArn"], "importId": task["importId"], "importBatches": []}

    def cancel_import_task(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            task = self._get(ctx, "imports", ctx.params.get("importId") or "", "import task")
            if task["importStatus"] != "IN_PROGRESS":
                raise errors.invalid_operation("The import task is not in progress.")  # exact text unknown
            task.update(importStatus="CANCELLED", lastUpdatedTime=now_ms(ctx))
            return {k: task[k] for k in ("importId", "importStatistics", "importStatus", "creationTime",
                                         "lastUpdatedTime")}


def _table_body(p: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    """A lookup table's CSV body and what Logs derives from it (header fields, row count, size)."""
    body = p.get("tableBody") if p.get("tableBody") is not None else (old or {}).get("tableBody", "")
    lines = [line for line in body.splitlines() if line.strip()]
    out = {"tableBody": body, "tableFields": [f.strip() for f in lines[0].split(",")] if lines else [],
           "recordsCount": max(len(lines) - 1, 0), "sizeBytes": len(body.encode())}
    for key in ("description", "kmsKeyId"):
        if p.get(key) is not None:
            out[key] = p[key]
    return out


def _schedule(p: dict[str, Any]) -> dict[str, Any]:
    keys = ("description", "queryLanguage", "queryString", "logGroupIdentifiers", "scheduleExpression", "timezone",
            "startTimeOffset", "destinationConfiguration", "scheduleStartTime", "scheduleEndTime", "executionRoleArn")
    return {k: p[k] for k in keys if p.get(k) is not None}
