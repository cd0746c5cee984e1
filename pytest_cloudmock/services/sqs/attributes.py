"""Queue attributes: names, defaults, validation, and the computed ones.

Settable attributes are stored as the strings AWS returns (`RedrivePolicy` and
`RedriveAllowPolicy` normalized to AWS's compact JSON); computed ones
(`ApproximateNumberOfMessages*`, `QueueArn`, timestamps) are made on read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from . import errors
from .state import Queue

RANGES = {
    "DelaySeconds": (0, 900),
    "MaximumMessageSize": (1024, 1048576),
    "MessageRetentionPeriod": (60, 1209600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43200),
    "KmsDataKeyReusePeriodSeconds": (60, 86400),
}
DEFAULTS = {
    "DelaySeconds": "0",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "VisibilityTimeout": "30",
    "SqsManagedSseEnabled": "true",
}
FIFO_DEFAULTS = {
    "FifoQueue": "true",
    "ContentBasedDeduplication": "false",
    "DeduplicationScope": "queue",
    "FifoThroughputLimit": "perQueue",
}
BOOLEANS = {"FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"}
CHOICES = {
    "DeduplicationScope": ("messageGroup", "queue"),
    "FifoThroughputLimit": ("perQueue", "perMessageGroupId"),
}
FIFO_ONLY = {"ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}
SETTABLE = set(RANGES) | BOOLEANS | set(CHOICES) | {
    "Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
}
COMPUTED = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
)
# The order GetQueueAttributes(All) lists them in, as AWS does.
ORDER = (
    "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp",
    "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds", "Policy", "RedrivePolicy", "RedriveAllowPolicy",
    "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue",
    "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
)
_ARN = re.compile(r"^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w.-]{1,80})$")
MAX_RECEIVE_COUNT = (1, 1000)

QueueLookup = Callable[[str], Queue | None]


def parse_arn(arn: str) -> tuple[str, str, str] | None:
    """(region, account, name) of an SQS queue ARN."""
    match = _ARN.match(arn or "")
    return (match[1], match[2], match[3]) if match else None


def initial(requested: dict[str, str], fifo: bool) -> dict[str, str]:
    """The attributes of a new queue: defaults overlaid with what was asked."""
    out = dict(DEFAULTS)
    if fifo:
        out.update(FIFO_DEFAULTS)
    if "KmsMasterKeyId" in requested:
        out["SqsManagedSseEnabled"] = "false"
        out["KmsDataKeyReusePeriodSeconds"] = "300"
    out.update(requested)
    if out.get("FifoQueue") == "false":
        del out["FifoQueue"]
    return out


def validate(
    attributes: dict[str, str], fifo: bool, lookup: QueueLookup, queue_arn: str, creating: bool
) -> dict[str, str]:
    """Check settable attributes; returns them normalized as AWS stores them."""
    out: dict[str, str] = {}
    for name, value in attributes.items():
        if name not in SETTABLE or (name in FIFO_ONLY and not fifo) or (name == "FifoQueue" and not creating):
            raise errors.unknown_attribute(name)
        if not isinstance(value, str):
            raise errors.invalid_attribute_value(name)
        out[name] = _normalize(name, value, fifo, lookup, queue_arn)
    if out.get("KmsMasterKeyId") and out.get("SqsManagedSseEnabled") == "true":
        # One kind of server-side encryption at a time; AWS's exact wording is not documented.
        raise errors.invalid_attribute_value(
            "SqsManagedSseEnabled", "Reason: You can use one type of server-side encryption (SSE) at one time. "
            "You can either enable KMS SSE or SQS SSE.")
    return out


def encryption_changes(current: dict[str, str], changes: dict[str, str]) -> dict[str, str]:
    """What else changes when a queue switches to SSE-KMS or SSE-SQS (the other kind goes off)."""
    out: dict[str, str] = {}
    if changes.get("KmsMasterKeyId"):
        if "SqsManagedSseEnabled" not in changes:
            out["SqsManagedSseEnabled"] = "false"
        if "KmsDataKeyReusePeriodSeconds" not in current and "KmsDataKeyReusePeriodSeconds" not in changes:
            out["KmsDataKeyReusePeriodSeconds"] = "300"
    elif changes.get("SqsManagedSseEnabled") == "true" and current.get("KmsMasterKeyId") and "KmsMasterKeyId" not in changes:
        raise errors.invalid_attribute_value(
            "SqsManagedSseEnabled", "Reason: You can use one type of server-side encryption (SSE) at one time. "
            "You can either enable KMS SSE or SQS SSE.")
    return out


def _normalize(name: str, value: str, fifo: bool, lookup: QueueLookup, queue_arn: str) -> str:
    if name in RANGES:
        low, high = RANGES[name]
        if not re.fullmatch(r"\d+", value.strip()) or not low <= int(value) <= high:
            raise errors.invalid_attribute_value(name)
        return str(int(value))
    if name in BOOLEANS:
        if value.lower() not in ("true", "false"):
            raise errors.invalid_attribute_value(name)
        return value.lower()
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise errors.invalid_attribute_value(name)
        return value
    if name == "Policy":
        return _policy(value)
    if name == "RedrivePolicy":
        return redrive_policy(value, fifo, lookup, queue_arn)
    if name == "RedriveAllowPolicy":
        return redrive_allow_policy(value)
    return value


def _policy(value: str) -> str:
    if value == "":
        return value
    try:
        doc = json.loads(value)
    except ValueError:
        raise errors.invalid_attribute_value("Policy", "Reason: The policy is not valid JSON.") from None
    if not isinstance(doc, dict) or "Statement" not in doc:
        raise errors.invalid_attribute_value("Policy", "Reason: Policy is missing required element - Statement.")
    return value


def _json_object(name: str, value: str) -> dict[str, Any]:
    try:
        doc = json.loads(value)
    except ValueError:
        raise errors.invalid_value(name, value, "Invalid JSON") from None
    if not isinstance(doc, dict):
        raise errors.invalid_value(name, value, "Invalid JSON")
    return doc


def redrive_policy(value: str, fifo: bool, lookup: QueueLookup, queue_arn: str) -> str:
    """Validate a `RedrivePolicy` ("" removes it); AWS's normalized JSON."""
    if value == "":
        return value
    doc = _json_object("RedrivePolicy", value)
    unknown = set(doc) - {"deadLetterTargetArn", "maxReceiveCount"}
    if unknown:
        raise errors.invalid_value("RedrivePolicy", value, "Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].")
    target, count = doc.get("deadLetterTargetArn"), doc.get("maxReceiveCount")
    if target is None or count is None:
        missing = "deadLetterTargetArn" if target is None else "maxReceiveCount"
        raise errors.invalid_value("RedrivePolicy", value, f"Redrive policy does not contain mandatory attribute: {missing}.")
    try:
        count = int(str(count))
    except ValueError:
        raise errors.invalid_value("RedrivePolicy", value, "Invalid value for maxReceiveCount: " + str(count) + ", valid values are from 1 to 1000 both inclusive.") from None
    if not MAX_RECEIVE_COUNT[0] <= count <= MAX_RECEIVE_COUNT[1]:
        raise errors.invalid_value("RedrivePolicy", value, f"Invalid value for maxReceiveCount: {count}, valid values are from 1 to 1000 both inclusive.")
    dlq = lookup(str(target))
    if dlq is None:
        raise errors.invalid_value("RedrivePolicy", value, "Dead letter target does not exist.")
    if dlq.fifo != fifo:
        raise errors.invalid_value("RedrivePolicy", value, "Dead-letter queue must be same type of queue as the source.")
    if not allows_source(dlq, queue_arn):
        raise errors.invalid_value("RedrivePolicy", value, f"Queue {queue_arn} is not allowed to use {target} as its dead-letter queue.")
    return json.dumps({"deadLetterTargetArn": target, "maxReceiveCount": count}, separators=(",", ":"))


def redrive_allow_policy(value: str) -> str:
    """Validate a `RedriveAllowPolicy` ("" removes it)."""
    if value == "":
        return value
    doc = _json_object("RedriveAllowPolicy", value)
    permission = doc.get("redrivePermission")
    sources = doc.get("sourceQueueArns")
    if permission not in ("allowAll", "denyAll", "byQueue"):
        raise errors.invalid_value("RedriveAllowPolicy", value, "Invalid value for redrivePermission.")
    if permission == "byQueue":
        if not isinstance(sources, list) or not 1 <= len(sources) <= 10:
            raise errors.invalid_value("RedriveAllowPolicy", value, "byQueue requires 1 to 10 sourceQueueArns.")
    elif sources is not None:
        raise errors.invalid_value("RedriveAllowPolicy", value, "sourceQueueArns can be specified only with byQueue.")
    out: dict[str, Any] = {"redrivePermission": permission}
    if sources is not None:
        out["sourceQueueArns"] = sources
    return json.dumps(out, separators=(",", ":"))


def allows_source(dlq: Queue, source_arn: str) -> bool:
    """Whether a dead-letter queue's `RedriveAllowPolicy` lets `source_arn` use it."""
    policy = dlq.attributes.get("RedriveAllowPolicy")
    if not policy:
        return True
    doc = json.loads(policy)
    if doc["redrivePermission"] == "denyAll":
        return False
    return doc["redrivePermission"] == "allowAll" or source_arn in doc.get("sourceQueueArns", [])


def redrive_target(queue: Queue) -> tuple[str, int] | None:
    """(dead-letter queue ARN, maxReceiveCount) of a queue with a redrive policy."""
    policy = queue.attributes.get("RedrivePolicy")
    return _redrive_policy(policy) if policy else None


@lru_cache(maxsize=256)
def _redrive_policy(policy: str) -> tuple[str, int]:
    """A stored (so valid) redrive policy's target and count, parsed once, not on every receive."""
    doc = json.loads(policy)
    return doc["deadLetterTargetArn"], doc["maxReceiveCount"]


def differing(queue: Queue, requested: dict[str, str]) -> str | None:
    """The first requested attribute whose value differs from the queue's (idempotent create)."""
    current = initial({}, queue.fifo) | queue.attributes
    for name, value in requested.items():
        if current.get(name, "false" if name == "FifoQueue" else "") != value:
            return name
    return None


def read(queue: Queue, names: Iterable[str], now: float) -> dict[str, str]:
    """The attributes `names` asks for (`All` for every one), computed ones included."""
    names = list(names)
    for name in names:
        if name != "All" and name not in SETTABLE and name not in COMPUTED:
            raise errors.unknown_attribute(name)
    wanted = set(ORDER) if "All" in names else set(names)
    visible, in_flight, delayed = queue.counts(now) if wanted & set(COMPUTED[:3]) else (0, 0, 0)
    values = dict(queue.attributes)
    values.update(
        ApproximateNumberOfMessages=str(visible),
        ApproximateNumberOfMessagesNotVisible=str(in_flight),
        ApproximateNumberOfMessagesDelayed=str(delayed),
        CreatedTimestamp=str(int(queue.created)),
        LastModifiedTimestamp=str(int(queue.modified)),
        QueueArn=queue.arn,
    )
    return {name: values[name] for name in ORDER if name in wanted and values.get(name, "") != ""}
