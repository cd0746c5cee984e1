"""PutRecord, PutRecordBatch, buffering and delivery to S3 and HTTP endpoints.

Records wait in each destination's buffer until it holds `BufferingHints.SizeInMBs`
or its oldest record is `IntervalInSeconds` old on the gateway clock; then a delivery
round on the dispatcher writes them. `FirehoseService.flush()` delivers every buffer
now (for tests). A delivery runs the Lambda transformation (`Ok` records are written,
`Dropped` ones skipped, `ProcessingFailed` ones and failed invocations go to the error
prefix as JSON lines), concatenates the records, compresses them (GZIP, ZIP) and puts
one object through the gateway's S3. HTTP endpoint destinations (https on 127.0.0.1 or
localhost only, as the network is closed; certificates are not verified) get AWS's
request shape; a failed request backs the records up to the destination's S3
configuration (`http-endpoint-failed`).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import logging
import secrets
import ssl
import struct
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ...api import AWSError, RequestContext
from ...registry import Registry
from ..kinesis import api as kinesis_api
from ..kms import api as kms_api
from . import errors, prefixes
from .base import DELIVERED_KINDS, FirehoseBase, stamp
from .state import Buffered, DeliveryStream, Destination

log = logging.getLogger("pytest_cloudmock")
MIB = 1024 * 1024
MAX_BATCH_BYTES = 4 * MIB
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_DEFAULT_HINTS = {"SizeInMBs": 5, "IntervalInSeconds": 300}
SOURCE_POLL_SECONDS = 1.0


@dataclass
class Job:
    """One buffer taken out for delivery (a copy of what the stream looked like)."""

    stream_name: str
    stream_arn: str
    version: int
    account_id: str
    region: str
    kind: str
    config: dict[str, Any]
    records: list[Buffered]


def _hints(destination: Destination) -> dict[str, int]:
    return {**_DEFAULT_HINTS, **(destination.config.get("BufferingHints") or {})}


def _lambda_arn(config: dict[str, Any]) -> str | None:
    processing = config.get("ProcessingConfiguration") or {}
    if not processing.get("Enabled"):
        return None
    for processor in processing.get("Processors") or []:
        if processor.get("Type") == "Lambda":
            for parameter in processor.get("Parameters") or []:
                if parameter.get("ParameterName") == "LambdaArn":
                    return parameter.get("ParameterValue")
    return None


HADOOP_BLOCK = 256 * 1024  # Hadoop's SnappyCodec buffer: each block is compressed on its own


def compress(data: bytes, compression: str, name: str) -> bytes:
    if compression in ("Snappy", "HADOOP_SNAPPY"):
        from cramjam import snappy  # the `snappy` extra; streams.py refuses Snappy without it

        if compression == "Snappy":  # the Snappy framing format
            return bytes(snappy.compress(data))
        out = io.BytesIO()  # Hadoop's block format: raw length, then one compressed chunk per block
        for start in range(0, len(data), HADOOP_BLOCK):
            block = data[start:start + HADOOP_BLOCK]
            packed = bytes(snappy.compress_raw(block))
            out.write(struct.pack(">II", len(block), len(packed)) + packed)
        return out.getvalue()
    if compression == "GZIP":
        return gzip.compress(data, mtime=0)
    if compression == "ZIP":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, data)
        return out.getvalue()
    return data


class DeliveryOperations(FirehoseBase):
    # -- putting --------------------------------------------------------------------------
    def _accepting(self, ctx: RequestContext) -> DeliveryStream:
        stream = self.stream(ctx)
        if stream.stream_type != "DirectPut":
            raise errors.invalid(f"This operation is not permitted on {stream.stream_type} delivery stream type.")
        return stream

    def _key_failure(self, ctx: RequestContext) -> AWSError | None:
        """Why a stream's customer managed key cannot encrypt now (None when it can)."""
        with self.store.lock:
            encryption = dict(self._accepting(ctx).encryption)
        if encryption.get("KeyType") != "CUSTOMER_MANAGED_CMK":
            return None
        try:
            state = kms_api.describe_key(ctx, encryption["KeyARN"]).get("KeyState")
        except AWSError as exc:
            return AWSError("InvalidKMSResourceException", exc.message)
        if state != "Enabled":
            return AWSError("InvalidKMSResourceException", f"The KMS key {encryption['KeyARN']} is {state}.")  # ours
        return None

    def _append(self, ctx: RequestContext, stream: DeliveryStream, items: list[Buffered]) -> None:
        """Add records to every delivered destination's buffer; a full buffer queues a delivery."""
        full = False
        for destination in stream.destinations:
            if destination.kind not in DELIVERED_KINDS:
                continue
            if not destination.buffer and items and ctx.registry is not None:
                self.arm(ctx.registry, items[0].arrival + _hints(destination)["IntervalInSeconds"])
            destination.buffer.extend(items)
            destination.buffered_bytes += sum(len(i.data) for i in items)
            full = full or destination.buffered_bytes >= _hints(destination)["SizeInMBs"] * MIB
        if full and ctx.registry is not None:
            registry = ctx.registry
            ctx.dispatch(lambda: self.deliver_due(registry))

    def put_record(self, ctx: RequestContext) -> dict[str, Any]:
        failure = self._key_failure(ctx)
        if failure is not None:
            raise failure
        with self.store.lock:
            stream = self._accepting(ctx)
            self._append(ctx, stream, [Buffered(ctx.params["Record"]["Data"], ctx.clock.now())])
            return {"RecordId": secrets.token_urlsafe(42), "Encrypted": stream.encryption["Status"] == "ENABLED"}

    def put_record_batch(self, ctx: RequestContext) -> dict[str, Any]:
        records = ctx.params["Records"]
        total = sum(len(r["Data"]) for r in records)
        if total > MAX_BATCH_BYTES:
            raise errors.invalid(f"Records size {total} bytes exceeds the 4 MiB limit of a PutRecordBatch "
                                 "request.")  # AWS's text unknown; ours
        failure = self._key_failure(ctx)
        if failure is not None:  # every record fails, the call answers 200 (per-record failures)
            entries = [{"ErrorCode": failure.code, "ErrorMessage": failure.message} for _ in records]
            return {"FailedPutCount": len(records), "Encrypted": True, "RequestResponses": entries}
        now = ctx.clock.now()
        with self.store.lock:
            stream = self._accepting(ctx)
            self._append(ctx, stream, [Buffered(r["Data"], now) for r in records])
            return {"FailedPutCount": 0, "Encrypted": stream.encryption["Status"] == "ENABLED",
                    "RequestResponses": [{"RecordId": secrets.token_urlsafe(42)} for _ in records]}

    # -- delivering -----------------------------------------------------------------------
    def flush(self, registry: Registry | None = None) -> None:
        """Deliver every buffer now, whatever its hints (for tests); reads Kinesis sources first."""
        registry = registry or self.registry
        if registry is not None:
            self.deliver_due(registry, force=True)

    def deliver_due(self, registry: Registry, force: bool = False) -> None:
        with self._delivering:
            self._read_sources(registry)
            for job in self._take_due(registry.clock.now(), force):
                try:
                    self._deliver(registry, job)
                except Exception:  # a delivery never breaks the dispatcher; AWS would retry and log
                    log.exception("firehose delivery of %s failed", job.stream_name)
            due = self._next_due(registry.clock.now())
        if due is not None:
            self.arm(registry, due)

    def _next_due(self, now: float) -> float | None:
        """When the next buffer falls due (a second from now while Kinesis sources exist)."""
        times = []
        with self.store.lock:
            for _key, state in self.store.partitions():
                for stream in state.streams.values():
                    if stream.source and "KinesisStreamSourceConfiguration" in stream.source:
                        times.append(now + SOURCE_POLL_SECONDS)
                    times.extend(d.buffer[0].arrival + _hints(d)["IntervalInSeconds"]
                                 for d in stream.destinations if d.buffer)
        return min(times) if times else None

    def _take_due(self, now: float, force: bool) -> list[Job]:
        jobs = []
        with self.store.lock:
            for _key, state in self.store.partitions():
                for stream in state.streams.values():
                    for destination in stream.destinations:
                        if not destination.buffer:
                            continue
                        hints = _hints(destination)
                        due = (force or destination.buffered_bytes >= hints["SizeInMBs"] * MIB
                               or now - destination.buffer[0].arrival >= hints["IntervalInSeconds"])
                        if due:
                            jobs.append(Job(stream.name, stream.arn, stream.version, stream.account_id,
                                            stream.region, destination.kind, dict(destination.config),
                                            destination.buffer))
                            destination.buffer, destination.buffered_bytes = [], 0
        return jobs

    def _read_sources(self, registry: Registry) -> None:
        """Pull new records of Kinesis-sourced streams into their buffers (parents before children)."""
        with self.store.lock:
            sourced = [(s.account_id, s.region, s.name, s.source["KinesisStreamSourceConfiguration"]["KinesisStreamARN"],
                        dict(s.checkpoints), list(s.ended_shards))
                       for _k, state in self.store.partitions() for s in state.streams.values()
                       if s.source and "KinesisStreamSourceConfiguration" in s.source]
        for account, region, name, arn, checkpoints, ended in sourced:
            try:
                shards = kinesis_api.shards(registry, arn)
            except AWSError:
                continue
            pulled: list[Buffered] = []
            for shard in shards:
                shard_id = shard["ShardId"]
                parents = [p for p in (shard.get("ParentShardId"), shard.get("AdjacentParentShardId")) if p]
                if shard_id in ended or any(p not in ended and p in {s["ShardId"] for s in shards} for p in parents):
                    continue
                while True:
                    batch = kinesis_api.read_shard(registry, arn, shard_id, after=checkpoints.get(shard_id),
                                                   limit=10_000)
                    pulled.extend(Buffered(r["Data"], r["ApproximateArrivalTimestamp"].timestamp())
                                  for r in batch.records)
                    checkpoints[shard_id] = batch.last
                    if batch.ended:
                        ended.append(shard_id)
                    if not batch.records:
                        break
            with self.store.lock:
                state = self.store.find(account, region)
                stream = state.streams.get(name) if state is not None else None
                if stream is None:
                    continue
                stream.checkpoints, stream.ended_shards = checkpoints, ended
                for destination in stream.destinations:
                    if destination.kind in DELIVERED_KINDS and pulled:
                        destination.buffer.extend(pulled)
                        destination.buffered_bytes += sum(len(b.data) for b in pulled)

    def _deliver(self, registry: Registry, job: Job) -> None:
        records, failed = self._transform(registry, job)
        if job.kind == "HttpEndpoint":
            if records and not self._post(job, records):
                self._write_failures(registry, job, [(r, "HttpEndpoint.RequestFailed", "Delivery to the HTTP "
                                                      "endpoint failed.") for r in records], "http-endpoint-failed")
            backup = job.config.get("S3Configuration")
            if failed and backup:
                self._write_failures(registry, job, failed, "processing-failed", backup)
            return
        if records:
            now = registry.clock.utcnow()
            key = prefixes.object_key(job.config, job.stream_name, job.version, stamp(records[0].arrival), now)
            body = compress(b"".join(r.data for r in records), job.config.get("CompressionFormat", "UNCOMPRESSED"),
                            key.rsplit("/", 1)[-1].removesuffix(".zip"))
            self._put_object(registry, job, job.config, key, body)
        if failed:
            self._write_failures(registry, job, failed, "processing-failed")

    @staticmethod
    def _put_object(registry: Registry, job: Job, config: dict[str, Any], key: str, body: bytes) -> None:
        bucket = config["BucketARN"].split(":::", 1)[-1]
        registry.call("s3", "PutObject", {"Bucket": bucket, "Key": key, "Body": body},
                      account_id=job.account_id, region=job.region)

    def _write_failures(self, registry: Registry, job: Job, failed: list[tuple[Buffered, str, str]],
                        error_type: str, config: dict[str, Any] | None = None) -> None:
        """Failed records as JSON lines under the error prefix (`!{firehose:error-output-type}`)."""
        config = config or (job.config.get("S3Configuration") if job.kind == "HttpEndpoint" else job.config)
        if not config:
            return
        now = registry.clock.utcnow()
        now_ms = int(registry.clock.now() * 1000)
        lambda_arn = _lambda_arn(job.config)
        lines = []
        for record, code, message in failed:
            line: dict[str, Any] = {"attemptsMade": 1, "arrivalTimestamp": int(record.arrival * 1000),
                                    "errorCode": code, "errorMessage": message, "attemptEndingTimestamp": now_ms,
                                    "rawData": base64.b64encode(record.data).decode()}
            if lambda_arn and error_type == "processing-failed":
                line["lambdaArn"] = lambda_arn
            lines.append(json.dumps(line))
        key = prefixes.object_key(config, job.stream_name, job.version, stamp(failed[0][0].arrival), now,
                                  error_type)
        self._put_object(registry, job, config, key, ("\n".join(lines) + "\n").encode())

    # -- transformation -------------------------------------------------------------------
    @staticmethod
    def _transform(registry: Registry, job: Job) -> tuple[list[Buffered], list[tuple[Buffered, str, str]]]:
        """(records to deliver, failed records with code and message) after the Lambda processor."""
        arn = _lambda_arn(job.config)
        if arn is None:
            return job.records, []
        ids = [f"{i:020d}" for i in range(len(job.records))]
        event = {"invocationId": str(uuid.uuid4()), "deliveryStreamArn": job.stream_arn, "region": job.region,
                 "records": [{"recordId": rid, "approximateArrivalTimestamp": int(r.arrival * 1000),
                              "data": base64.b64encode(r.data).decode()} for rid, r in zip(ids, job.records, strict=True)]}
        try:
            out = registry.call("lambda", "Invoke", {"FunctionName": arn, "Payload": json.dumps(event).encode()},
                                account_id=job.account_id, region=job.region)
        except AWSError as exc:
            return [], [(r, "Lambda.InvokeAccessDenied" if exc.status == 403 else "Lambda.FunctionError",
                         exc.message) for r in job.records]
        payload = out.get("Payload", b"")
        payload = payload.read() if hasattr(payload, "read") else payload
        if out.get("FunctionError"):
            return [], [(r, "Lambda.FunctionError", "The Lambda function was successfully invoked but it returned "
                         "an error result.") for r in job.records]
        try:
            answers = {a["recordId"]: a for a in json.loads(payload)["records"]}
        except (ValueError, KeyError, TypeError):
            return [], [(r, "Lambda.JsonProcessingException", "The Lambda response is not valid JSON of the "
                         "expected shape.") for r in job.records]  # our text
        keep: list[Buffered] = []
        failed: list[tuple[Buffered, str, str]] = []
        for rid, record in zip(ids, job.records, strict=True):
            answer = answers.get(rid)
            if answer is None:
                failed.append((record, "Lambda.MissingRecordId", f"recordId {rid} is missing from the response."))
                continue
            result = answer.get("result")
            if result == "Ok":
                try:
                    keep.append(Buffered(base64.b64decode(answer.get("data", "")), record.arrival))
                except ValueError:
                    failed.append((record, "Lambda.InvalidData", "The returned data is not base64."))  # ours
            elif result == "ProcessingFailed":
                failed.append((record, "Lambda.ProcessingFailedStatus", "ProcessingFailed status was returned "
                               "for the record by the Lambda function."))  # AWS's text unknown; ours
            elif result != "Dropped":
                failed.append((record, "Lambda.InvalidResultValue", f"Invalid result value {result!r}."))  # ours
        return keep, failed

    # -- HTTP endpoints -------------------------------------------------------------------
    @staticmethod
    def _post(job: Job, records: list[Buffered]) -> bool:
        """One request in Firehose's HTTP endpoint delivery shape; True on a 200 answer."""
        endpoint = job.config.get("EndpointConfiguration") or {}
        url = endpoint.get("Url", "")
        if urlsplit(url).hostname not in LOCAL_HOSTS:
            return False  # the network is closed: only local endpoints are reachable
        request_id = str(uuid.uuid4())
        body = json.dumps({"requestId": request_id, "timestamp": int(records[0].arrival * 1000),
                           "records": [{"data": base64.b64encode(r.data).decode()} for r in records]}).encode()
        settings = job.config.get("RequestConfiguration") or {}
        headers = {"Content-Type": "application/json", "X-Amz-Firehose-Request-Id": request_id,
                   "X-Amz-Firehose-Source-Arn": job.stream_arn, "User-Agent": "Amazon Kinesis Data Firehose Agent/1.0"}
        if endpoint.get("AccessKey"):
            headers["X-Amz-Firehose-Access-Key"] = endpoint["AccessKey"]
        attributes = {a["AttributeName"]: a["AttributeValue"] for a in settings.get("CommonAttributes") or []}
        if attributes:
            headers["X-Amz-Firehose-Common-Attributes"] = json.dumps({"commonAttributes": attributes})
        if settings.get("ContentEncoding") == "GZIP":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            # Local test servers use throwaway certificates: not verified (127.0.0.1 only).
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            with urllib.request.urlopen(request, timeout=5, context=context) as answer:  # noqa: S310 (local only)
                return answer.status == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False
