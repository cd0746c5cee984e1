"""Delivering a payload to an AWS resource named by its ARN, through the registry:
the targets EventBridge rules and EventBridge Scheduler schedules share (SQS, SNS,
Lambda, Kinesis, Firehose, Step Functions, CloudWatch Logs).

A failed delivery raises `AWSError` (the target service's own error, or
`ServiceUnavailable` when the service is not registered): callers retry it and
send it to their dead-letter queue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .api import AWSError

if TYPE_CHECKING:
    from .registry import Registry


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn:
        parts = text.split(":", 5)
        if len(parts) != 6 or parts[0] != "arn":
            raise AWSError("ValidationException", f"Parameter {text} is not valid.")
        return cls(parts[1], parts[2], parts[3], parts[4], parts[5])


@dataclass
class Delivery:
    """What a target may take besides the payload."""

    message_group_id: str | None = None
    deduplication_id: str | None = None
    partition_key: str | None = None
    log_stream: str | None = None
    time_ms: int = 0


DEFAULT_RETRIES = 185
DEFAULT_MAX_AGE = 86400
_THROTTLING = ("ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttled")


def retryable(error: AWSError) -> bool:
    """Errors EventBridge and Scheduler retry (throttling and the target's own 5xx; a missing service is not one)."""
    return error.code in _THROTTLING or (error.status >= 500 and error.code != "ServiceUnavailable")


@dataclass
class Outcome:
    """How a delivery with retries ended: `error` None on success."""

    error: AWSError | None
    retries: int = 0
    condition: str = "MaximumRetryAttemptsExhausted"


def with_retries(send: Callable[[int], Any], policy: dict[str, Any] | None, started_ms: int,
                 now_ms: Callable[[], int]) -> Outcome:
    """Call `send(attempt)` (1-based) until it succeeds or the retry policy gives up.

    Retries are immediate: the policy's count and event age bound them, the gateway clock
    the age (AWS spaces them with backoff; a test sees only how many and how it ended).
    """
    policy = policy or {}
    attempts = 1 + int(policy.get("MaximumRetryAttempts", DEFAULT_RETRIES))
    deadline = started_ms + 1000 * int(policy.get("MaximumEventAgeInSeconds", DEFAULT_MAX_AGE))
    for attempt in range(1, attempts + 1):
        try:
            send(attempt)
            return Outcome(None, attempt - 1)
        except AWSError as exc:
            if not retryable(exc):
                return Outcome(exc, attempt - 1)
            if now_ms() > deadline:
                return Outcome(exc, attempt - 1, "MaximumEventAgeExhausted")
            last = exc
        except Exception as exc:  # noqa: BLE001 - a target service's bug must not lose the event
            return Outcome(AWSError("InternalFailure", f"{type(exc).__name__}: {exc}", 500), attempt - 1)
    return Outcome(last, attempts - 1)


def dead_letter(registry: Registry, queue_arn: str, body: str, outcome: Outcome, target_arn: str,
                acting_as: Any = None, **attributes: str) -> None:
    """Send a failed delivery to its SQS dead-letter queue with AWS's attributes; raises `AWSError`.
    `acting_as` (`iam_policy.acting`): who IAM checks the `SendMessage` as."""
    assert outcome.error is not None
    values = {"ERROR_CODE": outcome.error.code, "ERROR_MESSAGE": outcome.error.message or outcome.error.code,
              "EXHAUSTED_RETRY_CONDITION": outcome.condition, "RETRY_ATTEMPTS": str(outcome.retries),
              "TARGET_ARN": target_arn, **attributes}
    queue = Arn.parse(queue_arn)
    url = registry.call("sqs", "GetQueueUrl", {"QueueName": queue.resource, "QueueOwnerAWSAccountId": queue.account},
                        account_id=queue.account, region=queue.region)["QueueUrl"]
    registry.call("sqs", "SendMessage", {
        "QueueUrl": url, "MessageBody": body or json.dumps({}),
        "MessageAttributes": {k: {"DataType": "String", "StringValue": v} for k, v in values.items()},
    }, account_id=queue.account, region=queue.region, acting_as=acting_as)


def deliver(registry: Registry, arn: str, payload: str, delivery: Delivery | None = None,
            acting_as: Any = None) -> dict[str, Any]:
    """Send `payload` to the resource `arn`; the target's answer, or raises `AWSError`.
    `acting_as` (`iam_policy.acting`): the role or service principal IAM checks the delivery as."""
    target = Arn.parse(arn)
    extra = delivery or Delivery()

    def call(service: str, operation: str, params: dict[str, Any], lookup: bool = False) -> dict[str, Any]:
        return registry.call(service, operation, params, account_id=target.account, region=target.region,
                             acting_as=None if lookup else acting_as)

    if target.service == "sqs":
        url = call("sqs", "GetQueueUrl", {"QueueName": target.resource, "QueueOwnerAWSAccountId": target.account},
                   lookup=True)
        params: dict[str, Any] = {"QueueUrl": url["QueueUrl"], "MessageBody": payload}
        if target.resource.endswith(".fifo"):
            params["MessageGroupId"] = extra.message_group_id or "default"
            if extra.deduplication_id:
                params["MessageDeduplicationId"] = extra.deduplication_id
        return call("sqs", "SendMessage", params)
    if target.service == "sns":
        return call("sns", "Publish", {"TopicArn": arn, "Message": payload})
    if target.service == "lambda":
        return call("lambda", "Invoke", {"FunctionName": arn, "InvocationType": "Event", "Payload": payload.encode()})
    if target.service == "kinesis":
        return call("kinesis", "PutRecord", {"StreamARN": arn, "Data": payload.encode(),
                                             "PartitionKey": extra.partition_key or extra.deduplication_id or "0"})
    if target.service == "firehose":
        name = target.resource.split("/", 1)[-1]
        return call("firehose", "PutRecord", {"DeliveryStreamName": name, "Record": {"Data": payload.encode()}})
    if target.service == "states":
        return call("stepfunctions", "StartExecution", {"stateMachineArn": arn, "input": payload})
    if target.service == "logs":
        group = target.resource.removeprefix("log-group:").removesuffix(":*")
        stream = extra.log_stream or "events"
        try:
            call("logs", "CreateLogStream", {"logGroupName": group, "logStreamName": stream}, lookup=True)
        except AWSError as exc:
            if exc.code != "ResourceAlreadyExistsException":
                raise
        return call("logs", "PutLogEvents", {"logGroupName": group, "logStreamName": stream,
                                             "logEvents": [{"timestamp": extra.time_ms, "message": payload}]})
    raise AWSError("ValidationException", f"Target {arn} is not supported by cloudmock.")
