"""Amazon DynamoDB Streams: reads the streams the `dynamodb` service writes (one state, shared).

Each table stream has one shard. Iterators are opaque tokens naming the stream, the
shard, the next sequence number and when they were made; they expire after 15
minutes of the gateway clock, as Kinesis-style iterators do.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..api import AWSError, RequestContext
from ..paging import decode_token, encode_token
from .base import ModelService
from .dynamodb import streams as stream_records
from .dynamodb.state import DynamoDbState, Stream, Table

ITERATOR_SECONDS = 15 * 60
_SCOPE = "dynamodb-shard-iterator"


def _not_found(what: str) -> AWSError:
    return AWSError("ResourceNotFoundException", f"Requested resource not found: {what}")


class DynamoDbStreamsService(ModelService):
    """ListStreams, DescribeStream, GetShardIterator, GetRecords."""

    name: ClassVar[str] = "dynamodbstreams"

    def _dynamodb(self, ctx: RequestContext) -> Any:
        registry = ctx.registry
        service = registry.get("dynamodb") if registry is not None else None
        if service is None:
            raise AWSError("InternalServerError", "The dynamodb service is not available", 500)
        return service

    def _state(self, ctx: RequestContext) -> tuple[Any, DynamoDbState]:
        service = self._dynamodb(ctx)
        return service, service.store.for_ctx(ctx)

    def _stream(self, ctx: RequestContext, arn: str) -> tuple[Table, Stream]:
        _service, state = self._state(ctx)
        found = stream_records.find_stream(state, arn)
        if found is None:
            raise _not_found(f"Stream: {arn} not found")
        return found

    def list_streams(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        service, state = self._state(ctx)
        with service.store.lock:
            found = sorted(((t, s) for t, s in stream_records.all_streams(state)
                            if not p.get("TableName") or t.name == p["TableName"]), key=lambda ts: ts[1].arn)
        if p.get("ExclusiveStartStreamArn"):
            found = [(t, s) for t, s in found if s.arn > p["ExclusiveStartStreamArn"]]
        limit = p.get("Limit") or 100
        page = found[:limit]
        out: dict[str, Any] = {"Streams": [{"StreamArn": s.arn, "TableName": t.name, "StreamLabel": s.label}
                                           for t, s in page]}
        if len(found) > limit:
            out["LastEvaluatedStreamArn"] = page[-1][1].arn
        return out

    def describe_stream(self, ctx: RequestContext) -> dict[str, Any]:
        service, _state = self._state(ctx)
        with service.store.lock:
            table, stream = self._stream(ctx, ctx.params["StreamArn"])
            first = stream.records[0].sequence if stream.records else 1
            shard: dict[str, Any] = {"ShardId": stream.shard_id, "SequenceNumberRange": {
                "StartingSequenceNumber": stream_records.sequence_text(first)}}
            if not stream.enabled and stream.records:
                shard["SequenceNumberRange"]["EndingSequenceNumber"] = stream_records.sequence_text(
                    stream.records[-1].sequence)
        shards = [] if ctx.params.get("ExclusiveStartShardId") == stream.shard_id else [shard]
        return {"StreamDescription": {
            "StreamArn": stream.arn, "StreamLabel": stream.label,
            "StreamStatus": "ENABLED" if stream.enabled else "DISABLED", "StreamViewType": stream.view_type,
            "CreationRequestDateTime": stream.created, "TableName": table.name,
            "KeySchema": table.schema.described(), "Shards": shards}}

    def get_shard_iterator(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        service, state = self._state(ctx)
        with service.store.lock:
            _table, stream = self._stream(ctx, p["StreamArn"])
            if p["ShardId"] != stream.shard_id:
                raise _not_found(f"Shard: {p['ShardId']} in Stream: {stream.arn} not found")
            stream_records.trim(stream, ctx.clock.now())
            kind = p["ShardIteratorType"]
            if kind == "TRIM_HORIZON":
                position = stream.records[0].sequence if stream.records else state.stream_sequence + 1
            elif kind == "LATEST":
                position = state.stream_sequence + 1
            else:
                if not p.get("SequenceNumber"):
                    raise AWSError("ValidationException",
                                   f"Sequence number must be specified for shard iterator type {kind}")
                try:
                    sequence = int(p["SequenceNumber"]) - stream_records.SEQUENCE_BASE
                except ValueError:
                    raise AWSError("ValidationException",
                                   f"Invalid SequenceNumber: {p['SequenceNumber']}") from None
                if stream.records and sequence < stream.records[0].sequence:
                    raise AWSError("TrimmedDataAccessException",
                                   "The operation attempted to read past the oldest stream record in a shard.")
                position = sequence if kind == "AT_SEQUENCE_NUMBER" else sequence + 1
        return {"ShardIterator": self._iterator(ctx, stream, position)}

    def _iterator(self, ctx: RequestContext, stream: Stream, position: int) -> str:
        return encode_token({"a": stream.arn, "s": stream.shard_id, "p": position, "t": ctx.clock.now()}, _SCOPE)

    def get_records(self, ctx: RequestContext) -> dict[str, Any]:
        def bad() -> AWSError:
            return AWSError("ValidationException", "Invalid ShardIterator")

        doc = decode_token(ctx.params["ShardIterator"], bad, _SCOPE)
        if not isinstance(doc, dict) or not {"a", "s", "p", "t"} <= set(doc):
            raise bad()
        if ctx.clock.now() - doc["t"] > ITERATOR_SECONDS:
            raise AWSError("ExpiredIteratorException", "Iterator expired")  # AWS's exact wording is not documented
        limit = ctx.params.get("Limit") or 1000
        service, _state = self._state(ctx)
        with service.store.lock:
            _table, stream = self._stream(ctx, doc["a"])
            stream_records.trim(stream, ctx.clock.now())
            batch = stream_records.records_from(stream, doc["p"], limit)
            records = [entry.record for entry in batch]
            position = batch[-1].sequence + 1 if batch else doc["p"]
            closed = not stream.enabled and (not stream.records or position > stream.records[-1].sequence)
        out: dict[str, Any] = {"Records": records}
        if not closed:
            out["NextShardIterator"] = self._iterator(ctx, stream, position)
        return out


SERVICE = DynamoDbStreamsService
