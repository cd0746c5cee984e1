"""Delivery stream lifecycle: create, delete, describe, list, update, tags, encryption."""

from __future__ import annotations

from itertools import islice
from typing import Any

from ...api import AWSError, RequestContext
from ...paging import tag_key_page
from ..kms import api as kms_api
from . import errors, prefixes
from .base import DELIVERED_KINDS, DESTINATION_KINDS, FirehoseBase
from .state import DeliveryStream, Destination

MAX_TAGS = 50
_S3_DEFAULTS = {"BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300}, "CompressionFormat": "UNCOMPRESSED",
                "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"}}
_SUPPORTED_COMPRESSION = ("UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY")


def _snappy_installed() -> bool:
    try:
        import cramjam  # noqa: F401
    except ImportError:
        return False
    return True


def _checked_s3(config: dict[str, Any]) -> dict[str, Any]:
    """An S3 destination configuration with AWS's defaults, after Firehose's checks."""
    out = {**_S3_DEFAULTS, **config}
    compression = out["CompressionFormat"]
    if compression not in _SUPPORTED_COMPRESSION or ("SNAPPY" in compression.upper() and not _snappy_installed()):
        # Snappy needs the `snappy` extra (cramjam): without it, refused with our text.
        raise errors.invalid(f"CompressionFormat {compression} needs pytest-cloudmock[snappy] (cramjam) on this "
                             "endpoint.")
    prefixes.check(out.get("Prefix"), out.get("ErrorOutputPrefix"))
    return out


class StreamOperations(FirehoseBase):
    def create_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        name = p["DeliveryStreamName"]
        stream_type = p.get("DeliveryStreamType", "DirectPut")
        source = None
        if stream_type == "KinesisStreamAsSource":
            if not p.get("KinesisStreamSourceConfiguration"):
                raise errors.invalid("KinesisStreamSourceConfiguration is required for a "
                                     "KinesisStreamAsSource delivery stream.")  # ours
            arn = p["KinesisStreamSourceConfiguration"]["KinesisStreamARN"]
            if ctx.registry is not None:
                try:
                    ctx.registry.call("kinesis", "DescribeStreamSummary", {"StreamARN": arn},
                                      account_id=ctx.account_id, region=ctx.region, caller=ctx)
                except AWSError:
                    raise errors.invalid(f"Kinesis stream {arn} does not exist.") from None  # ours
            source = {"KinesisStreamSourceConfiguration": {**p["KinesisStreamSourceConfiguration"],
                                                           "DeliveryStartTimestamp": ctx.clock.utcnow()}}
        elif stream_type == "MSKAsSource" and p.get("MSKSourceConfiguration"):
            source = {"MSKSourceConfiguration": p["MSKSourceConfiguration"]}
        elif stream_type == "DatabaseAsSource" and p.get("DatabaseSourceConfiguration"):
            source = {"DatabaseSourceConfiguration": p["DatabaseSourceConfiguration"]}
        given = [k for k in DESTINATION_KINDS if p.get(f"{k}DestinationConfiguration")]
        if len(given) != 1:
            raise errors.invalid("Exactly one destination configuration must be provided.")  # ours
        kind = given[0]
        config = dict(p[f"{kind}DestinationConfiguration"])
        if kind in ("S3", "ExtendedS3"):
            kind, config = "ExtendedS3", _checked_s3(config)
        elif config.get("S3Configuration"):
            config["S3Configuration"] = _checked_s3(config["S3Configuration"])
        tags = {t["Key"]: t.get("Value", "") for t in p.get("Tags") or []}
        encryption = {"Status": "DISABLED"}
        if p.get("DeliveryStreamEncryptionConfigurationInput"):
            if stream_type != "DirectPut":
                raise errors.invalid("Server-side encryption applies to DirectPut delivery streams only.")  # ours
            encryption = self._encryption(ctx, p["DeliveryStreamEncryptionConfigurationInput"])
        now = ctx.clock.now()
        with self.store.lock:
            state = self.store.for_ctx(ctx)
            if name in state.streams:
                raise errors.in_use(f"Firehose {name} under accountId {ctx.account_id} already exists")
            arn = f"arn:{ctx.partition}:firehose:{ctx.region}:{ctx.account_id}:deliverystream/{name}"
            state.streams[name] = state.names[name] = DeliveryStream(
                name=name, arn=arn, account_id=ctx.account_id, region=ctx.region, stream_type=stream_type,
                created=now, updated=now, source=source, tags=tags, encryption=encryption,
                destinations=[Destination("destinationId-000000000001", kind, config)])
        if source is not None and "KinesisStreamSourceConfiguration" in source and ctx.registry is not None:
            self.arm(ctx.registry, now + 1.0)  # start polling the Kinesis stream (real-time clock)
        return {"DeliveryStreamARN": arn}

    def delete_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            state = self.store.for_ctx(ctx)
            del state.streams[stream.name], state.names[stream.name]
        return {}

    def describe_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        with self.store.lock:
            stream = self.stream(ctx)
            return {"DeliveryStreamDescription": self.describe(stream, p.get("Limit"),
                                                               p.get("ExclusiveStartDestinationId"))}

    def list_delivery_streams(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        limit, kind, after = p.get("Limit") or 10, p.get("DeliveryStreamType"), p.get("ExclusiveStartDeliveryStreamName")
        with self.store.lock:
            names = self.store.for_ctx(ctx).names
            following = names.irange(after, inclusive=(False, True)) if after else iter(names)
            chosen = list(islice((n for n in following if not kind or names[n].stream_type == kind), limit + 1))
        return {"DeliveryStreamNames": chosen[:limit], "HasMoreDeliveryStreams": len(chosen) > limit}

    def update_destination(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        updates = [k for k in DESTINATION_KINDS if p.get(f"{k}DestinationUpdate") is not None]
        if len(updates) != 1:
            raise errors.invalid("Exactly one destination update must be provided.")  # ours
        kind = "ExtendedS3" if updates[0] == "S3" else updates[0]
        update = p[f"{updates[0]}DestinationUpdate"]
        with self.store.lock:
            stream = self.stream(ctx)
            if p["CurrentDeliveryStreamVersionId"] != str(stream.version):
                raise errors.concurrent(f"Cannot update firehose: {stream.name} since the current version id: "
                                        f"{stream.version} and the specified version id: "
                                        f"{p['CurrentDeliveryStreamVersionId']} do not match")
            destination = next((d for d in stream.destinations if d.destination_id == p["DestinationId"]), None)
            if destination is None:
                raise errors.invalid(f"Destination {p['DestinationId']} not found.")  # ours
            if destination.kind != kind and kind not in DELIVERED_KINDS + ("Redshift",):
                raise errors.invalid("Changing the destination type is not supported.")  # ours
            config = {**destination.config, **update} if destination.kind == kind else dict(update)
            if kind == "ExtendedS3":
                config = _checked_s3(config)
            destination.kind, destination.config = kind, config
            stream.version += 1
            stream.updated = ctx.clock.now()
        return {}

    # -- tags -----------------------------------------------------------------------------
    def tag_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            new = {t["Key"]: t.get("Value", "") for t in ctx.params["Tags"]}
            if len({**stream.tags, **new}) > MAX_TAGS:
                raise AWSError("LimitExceededException", f"A delivery stream cannot have more than {MAX_TAGS} "
                               "tags.")  # AWS's text unknown; ours
            stream.tags.update(new)
        return {}

    def untag_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            for key in ctx.params["TagKeys"]:
                stream.tags.pop(key, None)
        return {}

    def list_tags_for_delivery_stream(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            tags = dict(self.stream(ctx).tags)
        return tag_key_page(tags, ctx.params)

    # -- encryption -----------------------------------------------------------------------
    @staticmethod
    def _encryption(ctx: RequestContext, given: dict[str, Any]) -> dict[str, Any]:
        key_type = given.get("KeyType", "AWS_OWNED_CMK")
        out: dict[str, Any] = {"Status": "ENABLED", "KeyType": key_type}
        if key_type == "CUSTOMER_MANAGED_CMK":
            if not given.get("KeyARN"):
                raise errors.invalid("KeyARN is required for CUSTOMER_MANAGED_CMK.")  # ours
            try:
                meta = kms_api.describe_key(ctx, given["KeyARN"])
            except AWSError as exc:
                raise AWSError("InvalidKMSResourceException", exc.message, fields={"code": exc.code}) from None
            out["KeyARN"] = meta["Arn"]
        elif given.get("KeyARN"):
            raise errors.invalid("KeyARN is only allowed with CUSTOMER_MANAGED_CMK.")  # ours
        return out

    def start_delivery_stream_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            stream = self.stream(ctx)
            if stream.stream_type != "DirectPut":
                raise errors.invalid("Server-side encryption applies to DirectPut delivery streams only.")  # ours
        encryption = self._encryption(ctx, ctx.params.get("DeliveryStreamEncryptionConfigurationInput") or {})
        with self.store.lock:
            self.stream(ctx).encryption = encryption
        return {}

    def stop_delivery_stream_encryption(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            self.stream(ctx).encryption = {"Status": "DISABLED"}
        return {}
