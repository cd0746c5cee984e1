"""Kinesis sources of event source mappings, read through `services.kinesis.api`.

A mapping keeps a checkpoint per shard (the last sequence number it processed, on the
service, not in the snapshotted state) and reads parents to their end before children,
so per-partition-key order holds across resharding. `StartingPosition` `LATEST` starts
after each shard's newest record when the mapping is created; `AT_TIMESTAMP` at the first
record that arrived at or after `StartingPositionTimestamp`; `TRIM_HORIZON` at the start.
Batches are delivered by `StreamPolling.deliver_batch` (retries, bisection, record age);
what fails is sent to the `OnFailure` destination with Lambda's `KinesisBatchInfo` and
skipped.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from typing import Any

from ...api import AWSError, RequestContext
from ...iam_policy.event_sources import check_reads
from ...registry import Registry
from ..kinesis import api as kinesis_api
from . import errors
from .streams import StreamPolling, failure_context, passes


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
        position, stamp = mapping.get("StartingPosition"), mapping.get("StartingPositionTimestamp")

        def checkpoint(shard_id: str) -> str | None:
            if position == "LATEST":
                return kinesis_api.latest(registry, arn, shard_id)
            if position == "AT_TIMESTAMP" and stamp is not None:
                moment = stamp.timestamp() if hasattr(stamp, "timestamp") else float(stamp)
                return kinesis_api.before(registry, arn, shard_id, moment)
            return None  # TRIM_HORIZON

        with self._checkpoints_lock:
            self._checkpoints[mapping["UUID"]] = {s["ShardId"]: checkpoint(s["ShardId"]) for s in shards}

    def kinesis_round(self, registry: Registry, account: str, region: str, mapping: dict[str, Any]) -> bool:
        """One batch from the first shard (parents first) with records; False when none had any."""
        arn, mapping_id = mapping["EventSourceArn"], mapping["UUID"]
        # the reads are made as the function's role (DescribeStream, ListShards, GetShardIterator, GetRecords)
        check_reads(registry, self.source_role_of(account, region, mapping), arn)
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
        self.close_windows(registry, account, region, mapping)
        return False

    def _deliver(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                 shard_id: str, raw: list[dict[str, Any]]) -> None:
        arn = mapping["EventSourceArn"]
        records = [_event_record(r, shard_id, arn, region) for r in raw]
        filters = self.filters(mapping.get("FilterCriteria"))
        if filters:
            records = [r for r in records if passes(filters, _decoded(r))]
        self.deliver_windows(registry, account, region, mapping, shard_id, records,
                             [r["kinesis"]["sequenceNumber"] for r in records],
                             [float(r["kinesis"]["approximateArrivalTimestamp"] or 0) for r in records],
                             lambda failed, attempts, condition: self._kinesis_failure(
                                 registry, mapping, shard_id, failed, attempts, condition))

    def _kinesis_failure(self, registry: Registry, mapping: dict[str, Any], shard_id: str,
                         records: list[dict[str, Any]], attempts: int, condition: str) -> None:
        destination = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if not destination or not records:
            return
        first, last = records[0]["kinesis"], records[-1]["kinesis"]
        doc = {
            **failure_context(registry, mapping, records[0]["eventID"], attempts, condition),
            "KinesisBatchInfo": {
                "shardId": shard_id, "startSequenceNumber": first["sequenceNumber"],
                "endSequenceNumber": last["sequenceNumber"],
                "approximateArrivalOfFirstRecord": first["approximateArrivalTimestamp"],
                "approximateArrivalOfLastRecord": last["approximateArrivalTimestamp"],
                "batchSize": len(records), "streamArn": mapping["EventSourceArn"]},
        }
        self.send_to(destination, json.dumps(doc), function_arn=mapping["FunctionArn"],  # type: ignore[attr-defined]
                     acting=self.mapping_role(mapping))


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
