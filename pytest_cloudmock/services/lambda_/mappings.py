"""Event source mappings: CRUD for every source, and the SQS poller.

No polling thread: a mapping polls its queue (on the gateway's dispatcher) when
it is created or enabled, when a message is sent to the queue (an interceptor on
SQS's `SendMessage`/`SendMessageBatch`, through which SNS fan-out passes too),
and whenever the gateway clock moves (messages whose visibility timeout ran out
come back). A poll receives up to `BatchSize` messages (waiting for
`MaximumBatchingWindowInSeconds` on the clock when the batch is not full),
drops those `FilterCriteria` rejects (Lambda deletes them), invokes the function
and deletes what succeeded: all on success, all but `batchItemFailures` with
`ReportBatchItemFailures`, none on error. Failed messages come back after the
queue's visibility timeout, and SQS's own redrive moves them to the DLQ after
`maxReceiveCount`. On a FIFO queue a failure keeps the rest of its group.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ...api import AWSError, RequestContext
from ...iam_policy.event_sources import DENIED, missing_permission
from ...interception import Interceptor
from ...paging import offset_page
from ...registry import Registry
from . import errors
from .kinesis_source import KinesisPolling
from .streams import passes

log = logging.getLogger("pytest_cloudmock")
_UNPARSED = object()  # a function answer that is not JSON

SQS_MAX_BATCH = 10000
MAX_ROUNDS = 50  # batches one poll may take before it yields (a queue that never empties)
_STREAM_SOURCES = (":dynamodb:", ":kinesis:")
STREAM_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
                           "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})


def _bad_marker() -> AWSError:
    return errors.invalid("Invalid marker provided.")


class MappingOps(KinesisPolling):
    """CreateEventSourceMapping ... ListEventSourceMappings, and polling."""

    def __init__(self) -> None:
        super().__init__()
        self._poll_locks: dict[str, threading.Lock] = {}
        self._poll_again: set[str] = set()  # mappings with a poll queued
        self._guard = threading.Lock()
        self._watched: Registry | None = None

    # -- CRUD ------------------------------------------------------------------------------------
    def create_event_source_mapping(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        source = p.get("EventSourceArn", "")
        is_sqs = ":sqs:" in source
        is_stream = any(s in source for s in _STREAM_SOURCES)
        if is_stream and not p.get("StartingPosition"):
            raise errors.invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                                 "constraint: Member must not be null")
        batch = p.get("BatchSize", 10 if is_sqs else 100)
        window = p.get("MaximumBatchingWindowInSeconds", 0)
        if is_sqs and batch > 10 and window < 1:
            raise errors.invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is "
                                 "greater than 10")
        filters = self.filters(p.get("FilterCriteria"))
        with self.store.lock:
            function = self.function(ctx)[0]
        problem = missing_permission(ctx.registry, function.latest.config.get("Role") or "", function.name, source,
                                     ctx.region)
        if problem:
            raise errors.invalid(problem)
        with self.store.lock:
            function, qualifier = self.function(ctx)
            if qualifier:
                self.version_of(ctx, function, qualifier)
            state = self.state(ctx)
            for existing in state.mappings.values():
                if existing["EventSourceArn"] == source and existing["FunctionArn"] == self.function_arn(
                        ctx, function.name, qualifier) and source:
                    raise errors.conflict(
                        f"An event source mapping with event source (\"{source}\"), function (\""
                        f"{existing['FunctionArn']}\") already exists. Please update or delete the existing "
                        f"mapping with UUID {existing['UUID']}")
            mapping_id = str(uuid.uuid4())
            mapping: dict[str, Any] = {
                "UUID": mapping_id, "BatchSize": batch, "MaximumBatchingWindowInSeconds": window,
                "EventSourceArn": source, "FunctionArn": self.function_arn(ctx, function.name, qualifier),
                "LastModified": ctx.clock.utcnow(), "State": "Enabled" if p.get("Enabled", True) else "Disabled",
                "StateTransitionReason": "USER_INITIATED", "FunctionResponseTypes": p.get("FunctionResponseTypes", []),
                "EventSourceMappingArn": f"arn:{ctx.partition}:lambda:{ctx.region}:{ctx.account_id}:"
                                         f"event-source-mapping:{mapping_id}",
            }
            if filters is not None:
                mapping["FilterCriteria"] = p["FilterCriteria"]
            for key in ("StartingPosition", "StartingPositionTimestamp", "ParallelizationFactor", "DestinationConfig",
                        "MaximumRecordAgeInSeconds", "BisectBatchOnFunctionError", "MaximumRetryAttempts",
                        "TumblingWindowInSeconds", "Topics", "Queues", "SourceAccessConfigurations",
                        "SelfManagedEventSource", "AmazonManagedKafkaEventSourceConfig",
                        "SelfManagedKafkaEventSourceConfig", "ScalingConfig", "DocumentDBEventSourceConfig",
                        "KMSKeyArn", "MetricsConfig", "LoggingConfig", "ProvisionedPollerConfig"):
                if key in p:
                    mapping[key] = p[key]
            if is_stream and "LastProcessingResult" not in mapping:
                mapping["LastProcessingResult"] = "No records processed"
            state.mappings[mapping_id] = mapping
            if p.get("Tags"):
                state.tags[mapping["EventSourceMappingArn"]] = dict(p["Tags"])
        if ":dynamodb:" in source:
            self.stream_start(ctx, mapping)
        if ":kinesis:" in source:
            self.kinesis_start(ctx, mapping)
        if is_sqs or ":dynamodb:" in source or ":kinesis:" in source:
            self._schedule(ctx.registry, ctx.account_id, ctx.region, mapping_id)
        return {**mapping, "State": "Creating"}

    def _mapping(self, ctx: RequestContext) -> dict[str, Any]:
        found = self.state(ctx).mappings.get(ctx.params["UUID"])
        if found is None:
            raise errors.not_found("The resource you requested does not exist.")
        return found

    def get_event_source_mapping(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return dict(self._mapping(ctx))

    def update_event_source_mapping(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        self.filters(p.get("FilterCriteria"))
        with self.store.lock:
            mapping = self._mapping(ctx)
            if "FunctionName" in p:
                function, qualifier = self.function(ctx)
                mapping["FunctionArn"] = self.function_arn(ctx, function.name, qualifier)
            if "Enabled" in p:
                mapping["State"] = "Enabled" if p["Enabled"] else "Disabled"
            for key, value in p.items():
                if key not in ("UUID", "FunctionName", "Enabled"):
                    mapping[key] = value
            mapping["LastModified"] = ctx.clock.utcnow()
            out = {**mapping, "State": "Updating"}
        self._schedule(ctx.registry, ctx.account_id, ctx.region, mapping["UUID"])
        return out

    def delete_event_source_mapping(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            mapping = self._mapping(ctx)
            del self.state(ctx).mappings[mapping["UUID"]]
        return {**mapping, "State": "Deleting"}

    def list_event_source_mappings(self, ctx: RequestContext) -> dict[str, Any]:
        source = ctx.params.get("EventSourceArn")
        name = ctx.params.get("FunctionName")
        with self.store.lock:
            wanted = None
            if name:
                function, qualifier = self.function(ctx, name)
                wanted = self.function_arn(ctx, function.name, qualifier)
            items = [dict(m) for m in self.state(ctx).mappings.values()
                     if (not source or m["EventSourceArn"] == source)
                     and (wanted is None or m["FunctionArn"] == wanted
                          or (":" not in name.rsplit(":function:", 1)[-1] and
                              m["FunctionArn"].startswith(wanted + ":")))]
        page, marker = offset_page(items, ctx.params.get("Marker"), ctx.params.get("MaxItems"), bad_token=_bad_marker,
                                   default_limit=100, scope="mappings")
        return {"EventSourceMappings": page, **({"NextMarker": marker} if marker else {})}

    # -- triggers --------------------------------------------------------------------------------------
    def registry_bound(self, registry: Registry) -> None:
        """Watch SQS sends and DynamoDB writes on the gateway's registry (once per registry;
        clock moves reach `poll_every_source` through the service's profile)."""
        if self._watched is registry:
            return
        self._watched = registry
        registry.interceptors.add(Interceptor(service="sqs", operation="SendMessage*", after=self._sent,
                                              name="lambda-event-source-mappings"))
        registry.interceptors.add(Interceptor(service="dynamodb", after=self._table_written,
                                              name="lambda-stream-mappings"))
        registry.interceptors.add(Interceptor(service="kinesis", operation="PutRecord*",
                                              after=self._stream_written, name="lambda-kinesis-mappings"))

    def _sent(self, ctx: RequestContext, outcome: Any) -> None:
        if isinstance(outcome, AWSError) or not self._has_mappings():
            return None
        url = ctx.params.get("QueueUrl", "")
        path = urlsplit(url).path.strip("/").split("/")
        if len(path) != 2:
            return None
        account, name = path
        for (acct, region), state in self.store.partitions():
            for mapping in list(state.mappings.values()):
                source = mapping["EventSourceArn"]
                if source.endswith(f":{account}:{name}") and source.split(":")[3] == ctx.region:
                    self._schedule(ctx.registry, acct, region, mapping["UUID"])
        return None

    def _has_mappings(self) -> bool:
        return any(state.mappings for _, state in self.store.partitions())

    def _table_written(self, ctx: RequestContext, outcome: Any) -> None:
        if ctx.operation in STREAM_WRITES and not isinstance(outcome, AWSError) and self._has_mappings():
            state = self.store.find(ctx.account_id, ctx.region)
            for mapping in list(state.mappings.values()) if state else []:
                if ":dynamodb:" in mapping["EventSourceArn"]:
                    self._schedule(ctx.registry, ctx.account_id, ctx.region, mapping["UUID"])
        return None

    def _stream_written(self, ctx: RequestContext, outcome: Any) -> None:
        """Records put on a Kinesis stream: poll the mappings reading it."""
        if isinstance(outcome, AWSError) or not self._has_mappings():
            return None
        for (account, region), state in self.store.partitions():
            for mapping in list(state.mappings.values()):
                if ":kinesis:" in mapping["EventSourceArn"]:
                    self._schedule(ctx.registry, account, region, mapping["UUID"])
        return None

    def poll_every_source(self, registry: Registry) -> None:
        for (account, region), state in self.store.partitions():
            for mapping in list(state.mappings.values()):
                if any(kind in mapping["EventSourceArn"] for kind in (":sqs:", ":dynamodb:", ":kinesis:")):
                    self._schedule(registry, account, region, mapping["UUID"])

    def _schedule(self, registry: Registry | None, account: str, region: str, mapping_id: str) -> None:
        if registry is None or registry.dispatcher is None:
            return
        with self._guard:
            if mapping_id in self._poll_again:
                return  # a poll is already queued
            self._poll_again.add(mapping_id)
        registry.dispatcher.submit(lambda: self.poll(registry, account, region, mapping_id))

    def reset_mappings(self) -> None:
        with self._guard:
            self._poll_again.clear()

    # -- the SQS poller ------------------------------------------------------------------------------------
    def poll(self, registry: Registry, account: str, region: str, mapping_id: str) -> None:
        """Take batches from the source and invoke the function until the source has none to give."""
        lock = self._poll_locks.setdefault(mapping_id, threading.Lock())
        with lock:
            with self._guard:
                self._poll_again.discard(mapping_id)
            for _ in range(MAX_ROUNDS):
                mapping = self.store.get(account, region).mappings.get(mapping_id)
                if mapping is None or mapping["State"] != "Enabled":
                    return
                source = mapping["EventSourceArn"]
                kind = (self._sqs_round if ":sqs:" in source
                        else self.kinesis_round if ":kinesis:" in source else self.stream_round)
                try:
                    if not kind(registry, account, region, mapping):
                        return
                except AWSError as exc:
                    if exc.code not in DENIED:
                        raise
                    # the role may not read the source: Lambda turns the mapping off with the reason its
                    # docs give for Amazon MQ and Kafka sources (not documented for SQS)
                    with self.store.lock:
                        mapping.update(State="Disabled", StateTransitionReason="EVENT_SOURCE_AUTHZ_ERROR")
                    return

    def _sqs_round(self, registry: Registry, account: str, region: str, mapping: dict[str, Any]) -> bool:
        """One batch; False when the queue gave nothing."""
        source = mapping["EventSourceArn"]
        parts = source.split(":")
        q_region, q_account, q_name = parts[3], parts[4], parts[5]
        where = {"account_id": q_account, "region": q_region}
        try:
            url = registry.call("sqs", "GetQueueUrl", {"QueueName": q_name, "QueueOwnerAWSAccountId": q_account},
                                **where)["QueueUrl"]
        except AWSError:
            return False
        batch_size = mapping["BatchSize"]
        where = {**where, "acting_as": self.source_role_of(account, region, mapping)}
        messages = self._receive(registry, url, batch_size, where)
        window = mapping.get("MaximumBatchingWindowInSeconds", 0)
        if messages and window and len(messages) < batch_size:
            clock = registry.clock
            clock.wait_until(clock.now() + window)
            messages += self._receive(registry, url, batch_size - len(messages), where)
        if not messages:
            return False
        filters = self.filters(mapping.get("FilterCriteria"))
        records = [self._sqs_record(m, source, q_region) for m in messages]
        if filters:
            kept = [(m, r) for m, r in zip(messages, records, strict=True) if passes(filters, r)]
            dropped = [m for m in messages if all(m is not k for k, _ in kept)]
            self._delete(registry, url, dropped, where)
            if not kept:
                return True
            messages, records = [m for m, _ in kept], [r for _, r in kept]
        failed = self.invoke_batch(registry, account, region, mapping, records, [r["messageId"] for r in records])
        fifo = q_name.endswith(".fifo")
        if fifo and failed:
            blocked: set[str] = set()
            for message in messages:
                group = message.get("Attributes", {}).get("MessageGroupId", "")
                if message["MessageId"] in failed or group in blocked:
                    failed.add(message["MessageId"])
                    blocked.add(group)
        self._delete(registry, url, [m for m in messages if m["MessageId"] not in failed], where)
        return True

    @staticmethod
    def _receive(registry: Registry, url: str, count: int, where: dict[str, Any]) -> list[dict[str, Any]]:
        """Up to `count` messages, ten per ReceiveMessage, stopping at the first short answer."""
        out: dict[str, dict[str, Any]] = {}
        while len(out) < count:
            want = min(10, count - len(out))
            got = registry.call("sqs", "ReceiveMessage", {
                "QueueUrl": url, "MaxNumberOfMessages": want, "WaitTimeSeconds": 0,
                "MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]}, **where).get("Messages", [])
            fresh = [m for m in got if m["MessageId"] not in out]
            out.update((m["MessageId"], m) for m in fresh)
            if len(got) < want or len(fresh) < len(got):
                break
        return list(out.values())

    @staticmethod
    def _delete(registry: Registry, url: str, messages: list[dict[str, Any]], where: dict[str, Any]) -> None:
        for start in range(0, len(messages), 10):
            chunk = messages[start:start + 10]
            registry.call("sqs", "DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)]}, **where)

    @staticmethod
    def _sqs_record(message: dict[str, Any], source: str, region: str) -> dict[str, Any]:
        """A message as Lambda hands it to the function (the SQS event's record shape)."""
        attributes = {}
        for name, value in (message.get("MessageAttributes") or {}).items():
            attr: dict[str, Any] = {"stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}
            if "StringValue" in value:
                attr["stringValue"] = value["StringValue"]
            if "BinaryValue" in value:
                attr["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
            attributes[name] = attr
        record = {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
                  "body": message["Body"], "attributes": dict(message.get("Attributes") or {}),
                  "messageAttributes": attributes, "md5OfBody": message.get("MD5OfBody", ""),
                  "eventSource": "aws:sqs", "eventSourceARN": source, "awsRegion": region}
        if message.get("MD5OfMessageAttributes"):
            record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
        return record

    def invoke_batch(self, registry: Registry, account: str, region: str, mapping: dict[str, Any],
                     records: list[dict[str, Any]], ids: list[str], extra: dict[str, Any] | None = None,
                     on_answer: Callable[[Any], None] | None = None) -> set[str]:
        """Invoke the function with the batch (and `extra` event members: a tumbling window);
        the ids (one per record) of those that failed. `on_answer` gets the function's
        parsed answer when the invocation succeeded."""
        every = set(ids)
        ctx = RequestContext(service="lambda", operation="Invoke",
                             params={"FunctionName": mapping["FunctionArn"]}, region=region, account_id=account,
                             access_key_id="", request_id=str(uuid.uuid4()), protocol="internal", registry=registry)
        try:
            target = self.target(ctx)  # type: ignore[attr-defined]
            _, invocation = self.run(target, json.dumps({"Records": records, **(extra or {})}).encode(),  # type: ignore[attr-defined]
                                     "EventSourceMapping")
        except AWSError as exc:
            log.info("cloudmock: event source mapping %s could not invoke: %s", mapping["UUID"], exc)
            return every
        if invocation.error or invocation.timed_out:
            return every
        try:
            response = json.loads(invocation.result or b"null")
        except ValueError:
            response = _UNPARSED
        if on_answer is not None and response is not _UNPARSED:
            on_answer(response)
        if "ReportBatchItemFailures" not in (mapping.get("FunctionResponseTypes") or []):
            return set()
        if response is _UNPARSED:
            return every
        if not isinstance(response, dict) or response.get("batchItemFailures") in (None, []):
            return set()
        failures = response["batchItemFailures"]
        if not isinstance(failures, list):
            return every
        ids = {f.get("itemIdentifier") for f in failures if isinstance(f, dict)}
        if not ids <= every or None in ids or "" in ids:
            return every  # Lambda treats an unknown or empty identifier as a failure of the whole batch
        return ids  # type: ignore[return-value]
