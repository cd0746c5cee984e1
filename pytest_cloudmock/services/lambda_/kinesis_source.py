"""Kinesis sources of event source mappings, read through `services.kinesis.api`.

A mapping keeps a checkpoint per shard (the last sequence number it processed, on the
service, not in the snapshotted state) and reads parents to their end before children,
so per-partition-key order holds across resharding. `StartingPosition` `LATEST` starts
after each shard's newest record when the mapping is created; `TRIM_HORIZON` (and
`AT_TIMESTAMP`, read here as the oldest kept record) at the start. A batch is retried
`MaximumRetryAttempts` times (capped like the DynamoDB Streams source), from its first
failed record with `ReportBatchItemFailures`, then sent to the `OnFailure` destination with
Lambda's `KinesisBatchInfo` and skipped.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from typing import Any

from ...api import AWSError, RequestContext
from ...registry import Registry
from ..kinesis import api as kinesis_api
from . import errors
from .streams import UNBOUNDED_RETRIES, StreamPolling, passes


class KinesisPolling(StreamPolling):
    """The Kinesis poller of event source mappings."""

    def __init__(self) -> None:
        super().__init__()
        self._checkpoints: dict[str, dict[str, str | None]] = {}  # mapping -> shard -> sequence
        self._checkpoints_lock = threading.Lock()

    def reset_positions(self) -> None:
        super().reset_positions()
        with self._checkpoints_lock:
            self._checkpoints = {}

    def kinesis_start(self, ctx: RequestContext, mapping: dict[str, Any]) -> None:
        """Where a new mapping starts reading each shard."""
        registry, arn = ctx.registry, mapping["EventSourceArn"]
        if registry is None:
            return
        try:
            shards = kinesis_api.shards(registry, arn)
        except AWSError:
            raise errors.invalid(f"Stream not found: {arn}") from None  # AWS's exact wording is not documented
        latest = mapping.get("StartingPosition") == "LATEST"
        with self._checkpoints_lock:
            self._checkpoints[mapping["UUID"]] = {
                s["ShardId"]: kinesis_api.latest(registry, arn, s["ShardId"]) if latest else None
                for s in shards
            }

    def kinesis_round(self, registry: Registry, account: str, region: str, mapping: dict[str, Any]) -> bool:
        """One batch from the first shard (parents first) with records; False when none had any."""
        arn, mapping_id = mapping["EventSourceArn"], mapping["UUID"]
        try:
            shards = kinesis_api.shards(registry, arn)
        except AWSError:
            return False
        with self._checkpoints_lock:
            checkpoints = self._checkpoints.setdefault(mapping_id, {})
        for shard in shards:
            shard_id = shard["ShardId"]
            batch = kinesis_api.read_shard(registry, arn, shard_id, after=checkpoints.get(shard_id),
                                           limit=mapping.get("BatchSize", 100))
            if not batch.records:
                continue  # nothing new here (a shard with children is closed: they follow it in the list)
            self._deliver(registry, account, region, mapping, shard_id, batch.records)
            with self._checkpoints_lock:
                checkpoints[shard_id] = batch.last
            return True
        return False

    def _deliver(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                 shard_id: str, raw: list[dict[str, Any]]) -> None:
        arn = mapping["EventSourceArn"]
        records = [_event_record(r, shard_id, arn, region) for r in raw]
        filters = self.filters(mapping.get("FilterCriteria"))
        if filters:
            records = [r for r in records if passes(filters, _decoded(r))]
        retries = mapping.get("MaximumRetryAttempts", -1)
        attempts = 1 + (UNBOUNDED_RETRIES if retries is None or retries < 0 else retries)
        pending = records
        for _ in range(attempts):
            if not pending:
                return
            ids = [r["kinesis"]["sequenceNumber"] for r in pending]
            failed = self.invoke_batch(registry, account, region, mapping, pending, ids)  # type: ignore[attr-defined]
            if not failed:
                return
            pending = pending[min(ids.index(i) for i in failed if i in ids):]
        self._kinesis_failure(registry, mapping, shard_id, pending, attempts)

    def _kinesis_failure(self, registry: Registry, mapping: dict[str, Any], shard_id: str,
                         records: list[dict[str, Any]], attempts: int) -> None:
        destination = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if not destination or not records:
            return
        first, last = records[0]["kinesis"], records[-1]["kinesis"]
        doc = {
            "requestContext": {"requestId": records[0]["eventID"], "functionArn": mapping["FunctionArn"],
                               "condition": "RetryAttemptsExhausted", "approximateInvokeCount": attempts},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": f"{registry.clock.utcnow():%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z",
            "KinesisBatchInfo": {
                "shardId": shard_id, "startSequenceNumber": first["sequenceNumber"],
                "endSequenceNumber": last["sequenceNumber"],
                "approximateArrivalOfFirstRecord": first["approximateArrivalTimestamp"],
                "approximateArrivalOfLastRecord": last["approximateArrivalTimestamp"],
                "batchSize": len(records), "streamArn": mapping["EventSourceArn"]},
        }
        self.send_to(destination, json.dumps(doc), function_arn=mapping["FunctionArn"])  # type: ignore[attr-defined]


def _event_record(record: dict[str, Any], shard_id: str, arn: str, region: str) -> dict[str, Any]:
    """A GetRecords record as Lambda puts it in a Kinesis event."""
    arrival = record.get("ApproximateArrivalTimestamp")
    data = record["Data"]
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": record["PartitionKey"],
            "sequenceNumber": record["SequenceNumber"],
            "data": base64.b64encode(data).decode() if isinstance(data, bytes) else data,
            "approximateArrivalTimestamp": arrival.timestamp() if hasattr(arrival, "timestamp") else arrival,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{shard_id}:{record['SequenceNumber']}",
        "eventName": "aws:kinesis:record",
        "awsRegion": region,
        "eventSourceARN": arn,
    }


def _decoded(record: dict[str, Any]) -> dict[str, Any]:
    """A record as Kinesis FilterCriteria see it: the `kinesis` fields (`partitionKey`,
    `data`, ...), with `data` decoded when it is JSON, as Lambda filters them."""
    kinesis = dict(record["kinesis"])
    with contextlib.suppress(ValueError, TypeError):
        kinesis["data"] = json.loads(base64.b64decode(kinesis["data"]))
    return kinesis
