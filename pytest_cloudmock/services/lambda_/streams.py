"""DynamoDB Streams sources of event source mappings, read through the `dynamodbstreams` API.

A mapping remembers the sequence number it has processed up to (on the service,
not in the snapshotted state). `StartingPosition` `LATEST` starts after the last
record when the mapping is created, `TRIM_HORIZON` at the oldest kept record. A
batch (`BatchSize` records) is retried `MaximumRetryAttempts` times (Lambda's
default, -1, retries until the records expire; here it is capped at
`UNBOUNDED_RETRIES` so a poll ends), then sent to the `OnFailure` destination
with Lambda's `DDBStreamBatchInfo` and skipped. With `ReportBatchItemFailures`
the batch is retried from its first failed sequence number. `FilterCriteria`
skips records that match no filter. Kinesis sources are in `kinesis_source`.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from ...api import AWSError, RequestContext
from ...iam_policy.event_sources import DENIED, source_role
from ...patterns import PatternError, matches, parse
from ...registry import Registry
from . import errors
from .base import LambdaBase

UNBOUNDED_RETRIES = 2


def passes(filters: list[dict[str, Any]], record: dict[str, Any]) -> bool:
    """FilterCriteria: a record passes when any filter matches (an SQS body as JSON when it is JSON)."""
    document = dict(record)
    if isinstance(record.get("body"), str):
        try:
            body = json.loads(record["body"])
        except ValueError:
            body = None
        if isinstance(body, dict):
            document["body"] = body
    return any(matches(f, document) for f in filters)


def failure_context(registry: Registry, mapping: dict[str, Any], request_id: str, attempts: int,
                    condition: str) -> dict[str, Any]:
    """The part of an `OnFailure` record every stream source shares (`condition`:
    `RetryAttemptsExhausted` or `RecordAgeExceeded`; an expired batch was never invoked)."""
    response = ({"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"} if attempts
                else {})
    return {
        "requestContext": {"requestId": request_id, "functionArn": mapping["FunctionArn"],
                           "condition": condition, "approximateInvokeCount": attempts},
        "responseContext": response,
        "version": "1.0",
        "timestamp": f"{registry.clock.utcnow():%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z",
    }


def _window_event(mapping: dict[str, Any], shard_id: str, start: float, size: int, state: dict[str, Any],
                  final: bool) -> dict[str, Any]:
    """The tumbling-window members of a stream event."""
    def stamp(when: float) -> str:
        return datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {"window": {"start": stamp(start), "end": stamp(start + size)}, "state": state, "shardId": shard_id,
            "eventSourceARN": mapping["EventSourceArn"], "isFinalInvokeForWindow": final,
            "isWindowTerminatedEarly": False}


def _plain(value: Any) -> Any:
    """A stream record as JSON puts it in the Lambda event (epoch seconds, base64 binaries)."""
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


Fail = Callable[[list[dict[str, Any]], int, str], None]  # (records, invocations, condition)


def max_age_of(mapping: dict[str, Any]) -> float | None:
    """`MaximumRecordAgeInSeconds` (None: -1, records never expire)."""
    age = mapping.get("MaximumRecordAgeInSeconds")
    return None if age is None or age < 0 else float(age)


class StreamPolling(LambdaBase):
    """Filters and batch delivery shared by every stream source; the DynamoDB Streams poller."""

    def __init__(self) -> None:
        super().__init__()
        self._positions: dict[str, str] = {}  # mapping UUID -> last processed sequence number
        self._windows: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}  # (UUID, shard) -> (start, state)
        self._positions_lock = threading.Lock()

    @staticmethod
    def filters(criteria: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        """The parsed `FilterCriteria` patterns (None without criteria); a bad one is a 400."""
        if criteria is None:
            return None
        out = []
        for item in criteria.get("Filters") or []:
            try:
                out.append(parse(item.get("Pattern", "")))
            except PatternError as exc:
                raise errors.invalid(f"Invalid filter pattern definition. {exc}") from None
        return out

    def reset_positions(self) -> None:
        with self._positions_lock:
            self._positions = {}
            self._windows = {}

    # -- tumbling windows ------------------------------------------------------------------------
    def deliver_windows(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                        shard_id: str, records: list[dict[str, Any]], ids: list[str], arrivals: list[float],
                        fail: Fail) -> None:
        """Deliver a batch, in tumbling windows when the mapping has them.

        With `TumblingWindowInSeconds`, records go in windows of that length aligned on the
        epoch by their arrival time; each invocation carries the window, the `state` the
        function answered last in it, `shardId`, `eventSourceARN` and
        `isFinalInvokeForWindow`; when a later window starts (or the clock passes the window's
        end, `close_windows`) the function gets a final invocation with no records.
        """
        size = mapping.get("TumblingWindowInSeconds") or 0
        if not size:
            self.deliver_batch(registry, account, region, mapping, records, ids, arrivals, fail)
            return
        key = (mapping["UUID"], shard_id)
        groups: dict[float, list[int]] = {}
        for index, arrival in enumerate(arrivals):
            groups.setdefault(arrival - arrival % size, []).append(index)
        for start, indexes in groups.items():
            with self._positions_lock:
                current = self._windows.get(key)
            if current is not None and current[0] != start:
                self._final_invoke(registry, account, region, mapping, shard_id)
            with self._positions_lock:
                self._windows.setdefault(key, (start, {}))

            def extra() -> dict[str, Any]:
                with self._positions_lock:
                    begun, state = self._windows[key]
                return _window_event(mapping, shard_id, begun, size, state, final=False)

            def keep(answer: Any, begun: float = start) -> None:
                if isinstance(answer, dict) and isinstance(answer.get("state"), dict):
                    with self._positions_lock:
                        self._windows[key] = (begun, answer["state"])

            self.deliver_batch(registry, account, region, mapping, [records[i] for i in indexes],
                               [ids[i] for i in indexes], [arrivals[i] for i in indexes], fail, extra, keep)

    def close_windows(self, registry: Registry, account: str, region: str, mapping: dict[str, Any]) -> None:
        """The final invocation of every window of the mapping the clock has passed the end of."""
        size = mapping.get("TumblingWindowInSeconds") or 0
        if not size:
            return
        now = registry.clock.now()
        with self._positions_lock:
            due = [shard for (uuid_, shard), (start, _) in self._windows.items()
                   if uuid_ == mapping["UUID"] and start + size <= now]
        for shard_id in due:
            self._final_invoke(registry, account, region, mapping, shard_id)

    def _final_invoke(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                      shard_id: str) -> None:
        with self._positions_lock:
            start, state = self._windows.pop((mapping["UUID"], shard_id))
        extra = _window_event(mapping, shard_id, start, mapping["TumblingWindowInSeconds"], state, final=True)
        self.invoke_batch(registry, account, region, mapping, [], [], extra)  # type: ignore[attr-defined]

    def deliver_batch(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                      records: list[dict[str, Any]], ids: list[str], arrivals: list[float], fail: Fail,
                      extra: Callable[[], dict[str, Any]] | None = None,
                      on_answer: Callable[[Any], None] | None = None) -> None:
        """Invoke the function with a stream batch as Lambda does, until it succeeds or gives up.

        Records older than `MaximumRecordAgeInSeconds` (gateway clock) are not sent, and go to
        `fail` with `RecordAgeExceeded`; a failed batch is retried from its first failed record
        (`ReportBatchItemFailures`) or, with `BisectBatchOnFunctionError`, split in two halves
        retried in order; each invocation counts toward `MaximumRetryAttempts` (-1 is capped
        at `UNBOUNDED_RETRIES`), after which the rest goes to `fail` with
        `RetryAttemptsExhausted`.
        """
        retries = mapping.get("MaximumRetryAttempts", -1)
        attempts = 1 + (UNBOUNDED_RETRIES if retries is None or retries < 0 else retries)
        max_age, bisect = max_age_of(mapping), bool(mapping.get("BisectBatchOnFunctionError"))
        Item = tuple[dict[str, Any], str, float]  # (record, id, arrival)
        work: list[tuple[list[Item], int]] = [(list(zip(records, ids, arrivals, strict=True)), 0)]
        while work:
            pending, used = work.pop(0)
            if max_age is not None:
                now = registry.clock.now()
                expired = [item for item in pending if now - item[2] > max_age]
                if expired:
                    fail([item[0] for item in expired], used, "RecordAgeExceeded")
                    pending = [item for item in pending if now - item[2] <= max_age]
            if not pending:
                continue
            batch_ids = [item[1] for item in pending]
            failed = self.invoke_batch(registry, account, region, mapping,  # type: ignore[attr-defined]
                                       [item[0] for item in pending], batch_ids,
                                       extra() if extra is not None else None, on_answer)
            used += 1
            if not failed:
                continue
            whole = failed >= set(batch_ids)
            pending = pending[min(batch_ids.index(i) for i in failed if i in batch_ids):]
            if used >= attempts:
                fail([item[0] for item in pending], used, "RetryAttemptsExhausted")
            elif bisect and whole and len(pending) > 1:
                middle = len(pending) // 2
                work[:0] = [(pending[:middle], used), (pending[middle:], used)]
            else:
                work.insert(0, (pending, used))

    # -- reading the stream ----------------------------------------------------------------------
    @staticmethod
    def _where(arn: str) -> dict[str, str]:
        parts = arn.split(":")
        return {"account_id": parts[4], "region": parts[3]}

    def _shard(self, registry: Registry, arn: str) -> str | None:
        shards = registry.call("dynamodbstreams", "DescribeStream", {"StreamArn": arn},
                               **self._where(arn))["StreamDescription"]["Shards"]
        return shards[0]["ShardId"] if shards else None

    def source_role_of(self, account: str, region: str, mapping: dict[str, Any]) -> Any:
        """The function's execution role, which the mapping reads its source as (IAM checks it)."""
        name = mapping["FunctionArn"].split(":")[6]
        function = self.store.get(account, region).functions.get(name)
        return source_role(function.latest.config.get("Role") or "", name) if function is not None else None

    def mapping_role(self, mapping: dict[str, Any]) -> Any:
        """`source_role_of` for the function the mapping's `FunctionArn` names (its account and region)."""
        parts = mapping["FunctionArn"].split(":")
        return self.source_role_of(parts[4], parts[3], mapping)

    def _read(self, registry: Registry, arn: str, after: str, limit: int, acting: Any = None) -> list[dict[str, Any]]:
        shard = self._shard(registry, arn)
        if shard is None:
            return []
        params: dict[str, Any] = {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}
        if after:
            params.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=after)
        try:
            iterator = registry.call("dynamodbstreams", "GetShardIterator", params, **self._where(arn))["ShardIterator"]
        except AWSError as exc:
            if exc.code != "TrimmedDataAccessException":
                raise
            params = {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}
            iterator = registry.call("dynamodbstreams", "GetShardIterator", params, **self._where(arn))["ShardIterator"]
        return registry.call("dynamodbstreams", "GetRecords", {"ShardIterator": iterator, "Limit": limit},
                             **self._where(arn), acting_as=acting).get("Records", [])

    def stream_start(self, ctx: RequestContext, mapping: dict[str, Any]) -> None:
        """Where a new mapping starts reading: after the newest record for LATEST, else the oldest."""
        registry, arn = ctx.registry, mapping["EventSourceArn"]
        if registry is None:
            return
        try:
            shard = self._shard(registry, arn)
        except AWSError:
            raise errors.invalid(f"Stream not found: {arn}") from None  # AWS's exact wording is not documented
        position = ""
        if mapping.get("StartingPosition") == "LATEST" and shard is not None:
            records = self._read(registry, arn, "", 10000)
            position = records[-1]["dynamodb"]["SequenceNumber"] if records else ""
        with self._positions_lock:
            self._positions[mapping["UUID"]] = position

    def stream_round(self, registry: Registry, account: str, region: str, mapping: dict[str, Any]) -> bool:
        """One batch from the stream; False when there was none."""
        arn, mapping_id = mapping["EventSourceArn"], mapping["UUID"]
        with self._positions_lock:
            position = self._positions.get(mapping_id, "")
        try:
            raw = self._read(registry, arn, position, mapping.get("BatchSize", 100),
                             self.source_role_of(account, region, mapping))
        except AWSError as exc:
            if exc.code in DENIED:  # the role may not read the stream: the poll turns the mapping off
                raise
            return False
        if not raw:
            self.close_windows(registry, account, region, mapping)
            return False
        records = [{**_plain(r), "eventSourceARN": arn} for r in raw]
        last = records[-1]["dynamodb"]["SequenceNumber"]
        filters = self.filters(mapping.get("FilterCriteria"))
        if filters:
            records = [r for r in records if passes(filters, r)]
        arrivals = [float(r["dynamodb"].get("ApproximateCreationDateTime") or 0) for r in records]
        self.deliver_windows(registry, account, region, mapping, self._shard(registry, arn) or "", records,
                             [r["dynamodb"]["SequenceNumber"] for r in records], arrivals,
                             lambda failed, attempts, condition: self._stream_failure(
                                 registry, mapping, failed, attempts, condition))
        with self._positions_lock:
            self._positions[mapping_id] = last
        return True

    def _stream_failure(self, registry: Registry, mapping: dict[str, Any], records: list[dict[str, Any]],
                        attempts: int, condition: str) -> None:
        destination = ((mapping.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if not destination:
            return
        first, last = records[0], records[-1]
        doc = {
            **failure_context(registry, mapping, first["eventID"], attempts, condition),
            "DDBStreamBatchInfo": {
                "shardId": self._shard(registry, mapping["EventSourceArn"]) or "",
                "startSequenceNumber": first["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": last["dynamodb"]["SequenceNumber"],
                "approximateArrivalOfFirstRecord": first["dynamodb"].get("ApproximateCreationDateTime"),
                "approximateArrivalOfLastRecord": last["dynamodb"].get("ApproximateCreationDateTime"),
                "batchSize": len(records), "streamArn": mapping["EventSourceArn"]},
        }
        self.send_to(destination, json.dumps(doc), function_arn=mapping["FunctionArn"],  # type: ignore[attr-defined]
                     acting=self.mapping_role(mapping))
