"""Stream lifecycle: create, delete, describe, list, retention, mode, limits, account settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ...api import RequestContext
from ...paging import keyset_page
from . import errors, sequence
from .base import ON_DEMAND_LIMIT, ON_DEMAND_SHARDS, SHARD_LIMIT, KinesisBase, stamp
from .state import Stream

MIN_RETENTION, MAX_RETENTION = 24, 8760


def _bad_token() -> Any:
    return errors.invalid("The NextToken is invalid.")  # AWS's text unknown; ours


class StreamOperations(KinesisBase):
    def create_stream(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["StreamName"]
        mode = (p.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        count = p.get("ShardCount")
        if mode == "PROVISIONED" and count is None:
            raise errors.invalid("ShardCount is required for a PROVISIONED stream.")  # AWS's text unknown
        if mode == "ON_DEMAND":
            count = ON_DEMAND_SHARDS
        if count is not None and count < 1:
            raise errors.invalid(f"ShardCount {count} must be at least 1.")  # AWS's text unknown
        now = ctx.clock.now()
        with self.store.lock:
            state = self.state(ctx)
            if name in state.streams:
                raise errors.stream_exists(name, ctx.account_id)
            if mode == "ON_DEMAND" and sum(s.mode == "ON_DEMAND" for s in state.streams.values()) >= ON_DEMAND_LIMIT:
                raise errors.limit(f"This request would exceed the on-demand stream limit of {ON_DEMAND_LIMIT}.")
            if self.open_shard_count(state) + count > SHARD_LIMIT:
                raise errors.limit(f"This request would exceed the shard limit for the account {ctx.account_id} "
                                   f"in {ctx.region}. Current shard count for the account: "
                                   f"{self.open_shard_count(state)}. Limit: {SHARD_LIMIT}. Number of additional "
                                   f"shards that would have resulted from this request: {count}.")
            stream = Stream(name=name, arn=self.stream_arn(ctx, name), account_id=ctx.account_id,
                            region=ctx.region, created=now, mode=mode, tags=dict(p.get("Tags") or {}),
                            max_record_kib=p.get("MaxRecordSizeInKiB") or 1024,
                            warm_throughput=p.get("WarmThroughputMiBps"))
            for start, end in sequence.even_ranges(count):
                self.add_shard(stream, start, end, now)
            state.streams[name] = stream
        return {}

    def delete_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            if stream.consumers and not ctx.params.get("EnforceConsumerDeletion"):
                raise errors.in_use(f"Stream {stream.name} under account {stream.account_id} has registered "
                                    "consumers. Use EnforceConsumerDeletion to delete it anyway.")  # ours
            state = self.store.get(stream.account_id, stream.region)
            del state.streams[stream.name]
            state.policies.pop(stream.arn, None)
            for consumer in stream.consumers.values():
                state.policies.pop(consumer.arn, None)
                state.consumer_tags.pop(consumer.arn, None)
        return {}

    def _summary(self, stream: Stream) -> dict[str, Any]:
        out: dict[str, Any] = {
            "StreamName": stream.name, "StreamARN": stream.arn, "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": stream.mode}, "RetentionPeriodHours": stream.retention_hours,
            "StreamCreationTimestamp": stamp(stream.created),
            "EnhancedMonitoring": [{"ShardLevelMetrics": list(stream.monitoring)}],
            "EncryptionType": stream.encryption,
        }
        if stream.key_id:
            out["KeyId"] = stream.key_id
        return out

    def describe_stream(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            stream = self.live(ctx)
            shards = list(stream.shards.values())
            if p.get("ExclusiveStartShardId"):
                shards = [s for s in shards if s.shard_id > p["ExclusiveStartShardId"]]
            limit = p.get("Limit") or 100
            page = [self.shard_shape(s) for s in shards[:limit]]
            out = self._summary(stream)
        out.update(Shards=page, HasMoreShards=len(shards) > limit)
        return {"StreamDescription": out}

    def describe_stream_summary(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.live(ctx)
            out = self._summary(stream)
            out.update(OpenShardCount=len(stream.open_shards()), ConsumerCount=len(stream.consumers),
                       MaxRecordSizeInKiB=stream.max_record_kib)
            if stream.warm_throughput is not None:
                out["WarmThroughput"] = {"TargetMiBps": stream.warm_throughput, "CurrentMiBps": stream.warm_throughput}
        return {"StreamDescriptionSummary": out}

    def list_streams(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            streams = sorted(self.state(ctx).streams.values(), key=lambda s: s.name)
        if p.get("ExclusiveStartStreamName"):
            streams = [s for s in streams if s.name > p["ExclusiveStartStreamName"]]
        page, token = keyset_page(streams, key=lambda s: s.name, token=p.get("NextToken"), limit=p.get("Limit"),
                                  bad_token=_bad_token, scope="kinesis-streams")
        out: dict[str, Any] = {
            "StreamNames": [s.name for s in page], "HasMoreStreams": token is not None,
            "StreamSummaries": [{"StreamName": s.name, "StreamARN": s.arn, "StreamStatus": "ACTIVE",
                                 "StreamModeDetails": {"StreamMode": s.mode},
                                 "StreamCreationTimestamp": stamp(s.created)} for s in page],
        }
        if token:
            out["NextToken"] = token
        return out

    # -- retention ------------------------------------------------------------------------
    def _retention(self, ctx: RequestContext, increase: bool) -> dict[str, Any]:
        hours = ctx.params["RetentionPeriodHours"]
        if hours < MIN_RETENTION:
            raise errors.invalid(f"Minimum allowed retention period is {MIN_RETENTION} hours. "
                                 f"Requested retention period ({hours} hours) is too short.")
        if hours > MAX_RETENTION:
            raise errors.invalid(f"Maximum allowed retention period is {MAX_RETENTION} hours. "
                                 f"Requested retention period ({hours} hours) is too long.")
        with self.store.lock:
            stream = self.live(ctx)
            if increase and hours < stream.retention_hours:
                raise errors.invalid(f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                                     f"be shorter than existing retention period ({stream.retention_hours} hours). "
                                     "Use DecreaseRetentionPeriod API.")
            if not increase and hours > stream.retention_hours:
                raise errors.invalid(f"Requested retention period ({hours} hours) for stream {stream.name} can not "
                                     f"be longer than existing retention period ({stream.retention_hours} hours). "
                                     "Use IncreaseRetentionPeriod API.")
            stream.retention_hours = hours
            self.trim(stream, ctx.clock.now())
        return {}

    def increase_stream_retention_period(self, ctx: RequestContext) -> dict[str, Any]:
        return self._retention(ctx, True)

    def decrease_stream_retention_period(self, ctx: RequestContext) -> dict[str, Any]:
        return self._retention(ctx, False)

    # -- mode, sizes, throughput ----------------------------------------------------------
    def update_stream_mode(self, ctx: RequestContext) -> dict[str, Any]:
        mode = ctx.params["StreamModeDetails"]["StreamMode"]
        with self.store.lock:
            stream = self.stream(ctx)
            if stream.mode == mode:
                raise errors.in_use(f"Stream {stream.name} under account {stream.account_id} is already in "
                                    f"{mode} mode.")  # AWS's text unknown; ours
            stream.mode = mode
            if ctx.params.get("WarmThroughputMiBps") is not None:
                stream.warm_throughput = ctx.params["WarmThroughputMiBps"]
        return {}

    def update_max_record_size(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.stream(ctx).max_record_kib = ctx.params["MaxRecordSizeInKiB"]
        return {}

    def update_stream_warm_throughput(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            if stream.mode != "ON_DEMAND":
                raise errors.invalid("Warm throughput applies to ON_DEMAND streams only.")  # ours
            stream.warm_throughput = ctx.params["WarmThroughputMiBps"]
        return {"StreamARN": stream.arn, "StreamName": stream.name,
                "WarmThroughput": {"TargetMiBps": stream.warm_throughput, "CurrentMiBps": stream.warm_throughput}}

    # -- monitoring -----------------------------------------------------------------------
    METRICS = ("IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
               "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
               "IteratorAgeMilliseconds")

    def _monitoring(self, ctx: RequestContext, enable: bool) -> dict[str, Any]:
        asked = ctx.params["ShardLevelMetrics"]
        metrics = set(self.METRICS) if "ALL" in asked else set(asked)
        with self.store.lock:
            stream = self.stream(ctx)
            current = list(stream.monitoring)
            now = set(current) | metrics if enable else set(current) - metrics
            stream.monitoring = [m for m in self.METRICS if m in now]
        return {"StreamName": stream.name, "StreamARN": stream.arn, "CurrentShardLevelMetrics": current,
                "DesiredShardLevelMetrics": list(stream.monitoring)}

    def enable_enhanced_monitoring(self, ctx: RequestContext) -> dict[str, Any]:
        return self._monitoring(ctx, True)

    def disable_enhanced_monitoring(self, ctx: RequestContext) -> dict[str, Any]:
        return self._monitoring(ctx, False)

    # -- account --------------------------------------------------------------------------
    def describe_limits(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            state = self.state(ctx)
            return {"ShardLimit": SHARD_LIMIT, "OpenShardCount": self.open_shard_count(state),
                    "OnDemandStreamCount": sum(s.mode == "ON_DEMAND" for s in state.streams.values()),
                    "OnDemandStreamCountLimit": ON_DEMAND_LIMIT}

    def describe_account_settings(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"MinimumThroughputBillingCommitment": dict(self.state(ctx).billing_commitment)}

    def update_account_settings(self, ctx: RequestContext) -> dict[str, Any]:
        status = ctx.params["MinimumThroughputBillingCommitment"]["Status"]
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            current = state.billing_commitment
            if status == "ENABLED" and current.get("Status") != "ENABLED":
                state.billing_commitment = {"Status": "ENABLED", "StartedAt": now,
                                            "EarliestAllowedEndAt": now + timedelta(days=365)}
            elif status == "DISABLED" and current.get("Status") == "ENABLED":
                if now < current["EarliestAllowedEndAt"]:
                    raise errors.invalid("The minimum throughput billing commitment cannot end before "
                                         "its earliest allowed end time.")  # AWS's text unknown; ours
                state.billing_commitment = {**current, "Status": "DISABLED", "EndedAt": now}
            return {"MinimumThroughputBillingCommitment": dict(state.billing_commitment)}
