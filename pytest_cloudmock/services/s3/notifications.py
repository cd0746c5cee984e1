"""Event notifications: S3 event JSON delivered to SQS queues and SNS topics.

Events are matched against the bucket's `NotificationConfiguration` (event
name patterns such as `s3:ObjectCreated:*`, and `prefix`/`suffix` key filters)
and sent through the registry (`sqs.SendMessage`, `sns.Publish`), in the target
ARN's account and region. A failed delivery is logged and never fails the
request, as in AWS.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote_plus

from ...api import AWSError, RequestContext
from .acl import canonical_id
from .common import bucket_arn
from .store import Bucket, ObjectVersion
from .wire import host_id

log = logging.getLogger("pytest_cloudmock")

_TARGETS = (
    ("QueueConfigurations", "QueueArn", "sqs"),
    ("TopicConfigurations", "TopicArn", "sns"),
    ("LambdaFunctionConfigurations", "LambdaFunctionArn", "lambda"),
)


def _matches_event(patterns: list[str], event_name: str) -> bool:
    full = f"s3:{event_name}"
    for pattern in patterns:
        if pattern == full or (pattern.endswith(":*") and full.startswith(pattern[:-1])):
            return True
    return False


def _matches_key(config: dict[str, Any], key: str) -> bool:
    for rule in config.get("Filter", {}).get("Key", {}).get("FilterRules", []):
        name, value = rule.get("Name", "").lower(), rule.get("Value", "")
        if (name == "prefix" and not key.startswith(value)) or (
            name == "suffix" and not key.endswith(value)
        ):
            return False
    return True


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{value.microsecond // 1000:03d}Z"
    )


def event_record(
    ctx: RequestContext, bucket: Bucket, event_name: str, obj: ObjectVersion, config_id: str
) -> dict[str, Any]:
    """One record of an S3 event message, as AWS writes it (eventVersion 2.1)."""
    principal = f"AWS:{ctx.identity.user_id}" if ctx.identity and ctx.identity.user_id else (
        f"AWS:{ctx.account_id}"
    )
    s3_object: dict[str, Any] = {
        "key": quote_plus(obj.key, safe="/"),
        "sequencer": f"{time.time_ns():016X}",
    }
    if not event_name.startswith("ObjectRemoved"):
        s3_object["size"] = obj.size
        s3_object["eTag"] = obj.etag.strip('"')
    if obj.version_id != "null":
        s3_object["versionId"] = obj.version_id
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": bucket.region,
        "eventTime": _iso(ctx.clock.utcnow()),
        "eventName": event_name,
        "userIdentity": {"principalId": principal},
        "requestParameters": {"sourceIPAddress": "127.0.0.1"},
        "responseElements": {
            "x-amz-request-id": ctx.request_id,
            "x-amz-id-2": host_id(ctx.request_id),
        },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": config_id,
            "bucket": {
                "name": bucket.name,
                "ownerIdentity": {"principalId": canonical_id(bucket.account_id)},
                "arn": bucket_arn(bucket.name),
            },
            "object": s3_object,
        },
    }


def notify(ctx: RequestContext, bucket: Bucket, event_name: str, obj: ObjectVersion) -> None:
    """Deliver `event_name` (e.g. `ObjectCreated:Put`) for `obj` to every matching target.

    The record is built now (under the caller's lock, from the object as written);
    delivery is deferred until the request's locks are released (`ctx.defer`), so a
    slow subscriber never holds up other S3 writes, and a target that calls back into
    S3 cannot deadlock.
    """
    config = bucket.configs.get("NotificationConfiguration")
    if not config or ctx.registry is None:
        return
    for section, arn_key, service in _TARGETS:
        for target in config.get(section, []):
            if not _matches_event(target.get("Events", []), event_name) or not _matches_key(
                target, obj.key
            ):
                continue
            record = event_record(ctx, bucket, event_name, obj, target.get("Id", ""))
            message = json.dumps({"Records": [record]})
            ctx.defer(lambda s=service, a=target[arn_key], m=message: _deliver_quietly(ctx, s, a, m))


def _deliver_quietly(ctx: RequestContext, service: str, arn: str, message: str) -> None:
    try:
        deliver(ctx, service, arn, message)
    except Exception:  # delivery never fails the request
        log.warning("cloudmock s3: notification to %s failed", arn, exc_info=True)


def deliver(ctx: RequestContext, service: str, arn: str, message: str) -> None:
    """Send one message to a queue, topic or function ARN through the registry."""
    parts = arn.split(":")
    if len(parts) < 6:
        raise AWSError("InvalidArgument", f"Invalid ARN: {arn}")
    region, account = parts[3], parts[4]
    registry = ctx.registry
    assert registry is not None
    if service == "sqs":
        url = registry.call(
            "sqs", "GetQueueUrl", {"QueueName": parts[5], "QueueOwnerAWSAccountId": account},
            account_id=account, region=region, caller=ctx,
        )["QueueUrl"]
        registry.call(
            "sqs", "SendMessage", {"QueueUrl": url, "MessageBody": message},
            account_id=account, region=region, caller=ctx,
        )
    elif service == "sns":
        registry.call(
            "sns", "Publish",
            {"TopicArn": arn, "Message": message, "Subject": "Amazon S3 Notification"},
            account_id=account, region=region, caller=ctx,
        )
    else:
        registry.call(
            "lambda", "Invoke",
            {"FunctionName": arn, "InvocationType": "Event", "Payload": message.encode()},
            account_id=account, region=region, caller=ctx,
        )


def validate_destinations(ctx: RequestContext, bucket: Bucket, config: dict[str, Any]) -> None:
    """Send S3's `s3:TestEvent` to each queue and topic; refuse destinations that do not exist."""
    failed = []
    test_event = json.dumps({
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": _iso(ctx.clock.utcnow()),
        "Bucket": bucket.name,
        "RequestId": ctx.request_id,
        "HostId": host_id(ctx.request_id),
    })
    destinations = {
        target[arn_key]: service
        for section, arn_key, service in _TARGETS[:2]
        for target in config.get(section, [])
    }
    for arn, service in destinations.items():  # one test event per destination
        try:
            deliver(ctx, service, arn, test_event)
        except AWSError:
            failed.append(arn)
    if failed:
        raise AWSError(
            "InvalidArgument",
            "Unable to validate the following destination configurations",
            ArgumentName=failed[0],
            ArgumentValue="The destination queue does not exist" if ":sqs:" in failed[0]
            else "The destination topic does not exist",
        )
