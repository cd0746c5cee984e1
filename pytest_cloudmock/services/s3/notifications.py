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
import re
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote_plus

from ...api import AWSError, RequestContext
from ...iam_policy.acting import AsService
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
    """Deliver `event_name` (e.g. `ObjectCreated:Put`) for `obj` to every matching target,
    and to EventBridge when the bucket sends events there.

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
            ctx.defer(lambda s=service, a=target[arn_key], m=message: _deliver_quietly(ctx, s, a, m, bucket))
    if "EventBridgeConfiguration" in config:
        entry = eventbridge_entry(ctx, bucket, event_name, obj)
        if entry is not None and "events" in ctx.registry:
            ctx.defer(lambda: _put_event_quietly(ctx, bucket, entry))


# S3 event name prefix -> EventBridge detail-type (AWS's "Using EventBridge" list)
_DETAIL_TYPES = (
    ("ObjectCreated:", "Object Created"),
    ("ObjectRemoved:", "Object Deleted"),
    ("LifecycleExpiration:", "Object Deleted"),
    ("ObjectRestore:Post", "Object Restore Initiated"),
    ("ObjectRestore:Completed", "Object Restore Completed"),
    ("ObjectTagging:Put", "Object Tags Added"),
    ("ObjectTagging:Delete", "Object Tags Deleted"),
    ("ObjectAcl:Put", "Object ACL Updated"),
    ("LifecycleTransition", "Object Storage Class Changed"),
)
_REASONS = {
    "ObjectCreated:Put": "PutObject", "ObjectCreated:Post": "POST Object",
    "ObjectCreated:Copy": "CopyObject", "ObjectCreated:CompleteMultipartUpload": "CompleteMultipartUpload",
    "ObjectRemoved:Delete": "DeleteObject", "ObjectRemoved:DeleteMarkerCreated": "DeleteObject",
    "LifecycleExpiration:Delete": "Lifecycle Expiration",
    "LifecycleExpiration:DeleteMarkerCreated": "Lifecycle Expiration",
}


def eventbridge_entry(
    ctx: RequestContext, bucket: Bucket, event_name: str, obj: ObjectVersion
) -> dict[str, Any] | None:
    """The `PutEvents` entry S3 sends to the default bus (source `aws.s3`), or None."""
    detail_type = next((t for prefix, t in _DETAIL_TYPES if event_name.startswith(prefix)), None)
    if detail_type is None:
        return None
    s3_object: dict[str, Any] = {"key": obj.key, "sequencer": f"{time.time_ns():016X}"}
    if detail_type != "Object Deleted":
        s3_object.update(size=obj.size, etag=obj.etag.strip('"'))
    if obj.version_id != "null":
        s3_object["version-id"] = obj.version_id
    detail: dict[str, Any] = {
        "version": "0",
        "bucket": {"name": bucket.name},
        "object": s3_object,
        "request-id": ctx.request_id,
        "requester": ctx.account_id,
        "source-ip-address": "127.0.0.1",
    }
    if event_name in _REASONS:
        detail["reason"] = _REASONS[event_name]
    if detail_type == "Object Deleted":
        detail["deletion-type"] = ("Delete Marker Created" if event_name.endswith("DeleteMarkerCreated")
                                   else "Permanently Deleted")
    return {
        "Source": "aws.s3",
        "DetailType": detail_type,
        "Detail": json.dumps(detail),
        "Resources": [bucket_arn(bucket.name, ctx.partition)],
        "EventBusName": "default",
        "Time": ctx.clock.utcnow(),
    }


def _put_event_quietly(ctx: RequestContext, bucket: Bucket, entry: dict[str, Any]) -> None:
    registry = ctx.registry
    assert registry is not None
    try:
        registry.call("events", "PutEvents", {"Entries": [entry]}, account_id=bucket.account_id,
                      region=bucket.region, caller=ctx)
    except Exception:  # delivery never fails the request
        log.warning("cloudmock s3: EventBridge event for %s failed", bucket.name, exc_info=True)


def _deliver_quietly(ctx: RequestContext, service: str, arn: str, message: str, bucket: Bucket) -> None:
    try:
        deliver(ctx, service, arn, message, bucket)
    except Exception:  # delivery never fails the request
        log.warning("cloudmock s3: notification to %s failed", arn, exc_info=True)


def deliver(ctx: RequestContext, service: str, arn: str, message: str, bucket: Bucket) -> None:
    """Send one message to a queue, topic or function ARN through the registry, as S3's
    service principal for the bucket (the target's resource policy must allow it)."""
    parts = arn.split(":")
    if len(parts) < 6:
        raise AWSError("InvalidArgument", f"Invalid ARN: {arn}")
    region, account = parts[3], parts[4]
    registry = ctx.registry
    assert registry is not None
    acting = AsService("s3.amazonaws.com", bucket_arn(bucket.name, ctx.partition), bucket.account_id)
    if service == "sqs":
        url = registry.call(
            "sqs", "GetQueueUrl", {"QueueName": parts[5], "QueueOwnerAWSAccountId": account},
            account_id=account, region=region, caller=ctx,
        )["QueueUrl"]
        registry.call(
            "sqs", "SendMessage", {"QueueUrl": url, "MessageBody": message},
            account_id=account, region=region, caller=ctx, acting_as=acting,
        )
    elif service == "sns":
        registry.call(
            "sns", "Publish",
            {"TopicArn": arn, "Message": message, "Subject": "Amazon S3 Notification"},
            account_id=account, region=region, caller=ctx, acting_as=acting,
        )
    else:
        registry.call(
            "lambda", "Invoke",
            {"FunctionName": arn, "InvocationType": "Event", "Payload": message.encode()},
            account_id=account, region=region, caller=ctx, acting_as=acting,
        )


_ARN = re.compile(r"^arn:aws[a-z-]*:(sqs|sns|lambda):[a-z0-9-]+:\d{12}:.+$")


def validate_destinations(ctx: RequestContext, bucket: Bucket, config: dict[str, Any]) -> None:
    """Refuse malformed destination ARNs, then send S3's `s3:TestEvent` to each queue and topic
    (and look each function up, when Lambda is served) and refuse those that do not exist."""
    destinations: dict[str, str] = {}
    for section, arn_key, service in _TARGETS:
        for target in config.get(section, []):
            arn = target.get(arn_key, "")
            match = _ARN.match(arn)
            if not match or match.group(1) != service:
                # AWS's message; the fields it carries next to it are our best knowledge
                raise AWSError("InvalidArgument", "The ARN is not well formed",
                               ArgumentName=arn_key, ArgumentValue=arn)
            destinations[arn] = service
    test_event = json.dumps({
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": _iso(ctx.clock.utcnow()),
        "Bucket": bucket.name,
        "RequestId": ctx.request_id,
        "HostId": host_id(ctx.request_id),
    })
    failed = []
    registry = ctx.registry
    for arn, service in destinations.items():  # one test event per destination
        try:
            if service == "lambda":
                if registry is not None and "lambda" in registry:
                    parts = arn.split(":")
                    registry.call("lambda", "GetFunction", {"FunctionName": arn},
                                  account_id=parts[4], region=parts[3], caller=ctx)
            else:
                deliver(ctx, service, arn, test_event, bucket)
        except AWSError as exc:
            failed.append((arn, service, exc.code in ("AccessDenied", "AuthorizationError")))
    if failed:
        arn, service, denied = failed[0]
        kind = {"sqs": "queue", "sns": "topic", "lambda": "function"}[service]
        raise AWSError(
            "InvalidArgument",
            "Unable to validate the following destination configurations",
            ArgumentName=arn,
            ArgumentValue=f"Permissions on the destination {kind} do not allow S3 to publish notifications from "
                          "this bucket" if denied else f"The destination {kind} does not exist",
        )
