"""Delivering a payload to an AWS resource named by its ARN, through the registry:
the targets EventBridge rules and EventBridge Scheduler schedules share (SQS, SNS,
Lambda, Kinesis, Firehose, Step Functions, CloudWatch Logs).

A failed delivery raises `AWSError` (the target service's own error, or
`ServiceUnavailable` when the service is not registered): callers retry it and
send it to their dead-letter queue.
"""

from __future__ import annotations

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


#: services a payload can be delivered to
SERVICES = ("sqs", "sns", "lambda", "kinesis", "firehose", "states", "logs")


def deliver(registry: Registry, arn: str, payload: str, delivery: Delivery | None = None) -> dict[str, Any]:
    """Send `payload` to the resource `arn`; the target's answer, or raises `AWSError`."""
    target = Arn.parse(arn)
    extra = delivery or Delivery()

    def call(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return registry.call(service, operation, params, account_id=target.account, region=target.region)

    if target.service == "sqs":
        url = call("sqs", "GetQueueUrl", {"QueueName": target.resource, "QueueOwnerAWSAccountId": target.account})
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
            call("logs", "CreateLogStream", {"logGroupName": group, "logStreamName": stream})
        except AWSError as exc:
            if exc.code != "ResourceAlreadyExistsException":
                raise
        return call("logs", "PutLogEvents", {"logGroupName": group, "logStreamName": stream,
                                             "logEvents": [{"timestamp": extra.time_ms, "message": payload}]})
    raise AWSError("ValidationException", f"Target {arn} is not supported by cloudmock.")
