"""Asynchronous invocations: the queue, Lambda's retries, destinations and dead-letter queues.

An `Event` invoke is queued on the gateway's dispatcher (`settle()` waits for it)
and tried up to 1 + `MaximumRetryAttempts` times (2 retries by default), with
Lambda's 1- and 2-minute delays scaled by `retry_delay_scale` on the gateway
clock, within `MaximumEventAgeInSeconds`; then the `OnSuccess`/`OnFailure`
destination gets Lambda's invocation record and, on failure, the dead-letter
queue or topic gets the event.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import TYPE_CHECKING, Any

from ...api import AWSError, RequestContext
from ...iam_policy.event_sources import source_role
from .base import LATEST, LambdaBase

if TYPE_CHECKING:
    from ...clock import Clock
    from ...registry import Registry
    from .environments import Invocation
    from .invoke import Target

log = logging.getLogger("pytest_cloudmock")

RETRY_DELAYS = (60.0, 120.0)  # Lambda's async retry backoff, seconds (scaled: `retry_delay_scale`)


def json_or_raw(data: bytes) -> Any:
    """A payload decoded as JSON, else as text (None when empty)."""
    try:
        return json.loads(data) if data else None
    except ValueError:
        return data.decode("utf-8", "replace")


class AsyncInvokeOps(LambdaBase):
    """What happens to an Event invocation after the 202 (the invoke side supplies `run`)."""

    retry_delay_scale = 0.001  # Lambda's 1 and 2 minute retry delays become 60 and 120 ms
    registry: Registry | None
    registry_clock: Clock

    def run(self, target: Target, payload: bytes, kind: str, client_context: str = "",
            attempt: int = 1) -> tuple[Any, Invocation]:
        """Run one invocation (the invoke side implements it)."""
        raise NotImplementedError

    @staticmethod
    def answer(invocation: Invocation) -> bytes:
        """What the caller gets: the function's answer, or Lambda's timeout error."""
        if invocation.timed_out:
            seconds = f"{invocation.timeout:.2f}"
            return json.dumps({"errorType": "Sandbox.Timedout", "errorMessage":
                               f"RequestId: {invocation.request_id} Error: Task timed out after {seconds} "
                               "seconds"}).encode()
        return invocation.result

    def queue_event(self, ctx: RequestContext, target: Target, payload: bytes) -> None:
        enqueued = ctx.clock.now()
        ctx.dispatch(lambda: self.run_event(target, payload, enqueued))

    def run_event(self, target: Target, payload: bytes, enqueued: float) -> None:
        """Run an Event invocation: up to 1 + MaximumRetryAttempts tries, then destinations/DLQ."""
        function = target.function
        qualifier = target.invoked_arn.split(":")[7] if target.invoked_arn.count(":") == 7 else ""
        key = "" if qualifier == LATEST else qualifier  # the config of the version or alias that was invoked
        config = function.event_invoke.get(key) or function.event_invoke.get("") or {}
        attempts = 1 + int(config.get("MaximumRetryAttempts", 2))
        max_age = config.get("MaximumEventAgeInSeconds", 21600)
        clock = self.registry_clock
        invocation: Invocation | None = None
        for attempt in range(1, attempts + 1):
            if clock.now() - enqueued > max_age:
                self.deliver_failure(target, payload, invocation, attempt - 1, "EventAgeExceeded", config)
                return
            try:
                _, invocation = self.run(target, payload, "Event", attempt=attempt)
            except AWSError as exc:
                log.info("cloudmock: async invoke of %s failed: %s", function.name, exc)
                invocation = None
            else:
                if not (invocation.error or invocation.timed_out):
                    self.deliver_success(target, payload, invocation, attempt, config)
                    return
            if attempt < attempts:
                delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)] * self.retry_delay_scale
                clock.wait_until(clock.now() + delay)
        self.deliver_failure(target, payload, invocation, attempts, "RetriesExhausted", config)

    def _record_document(self, target: Target, payload: bytes, invocation: Invocation | None, attempts: int,
                         condition: str) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "version": "1.0",
            "timestamp": f"{self.registry_clock.utcnow():%Y-%m-%dT%H:%M:%S.%f}"[:-3] + "Z",
            "requestContext": {"requestId": invocation.request_id if invocation else str(uuid.uuid4()),
                               "functionArn": f"{target.function.arn}:{target.version.version}",
                               "condition": condition, "approximateInvokeCount": attempts},
            "requestPayload": json_or_raw(payload),
        }
        if invocation is not None:
            response: dict[str, Any] = {"statusCode": 200, "executedVersion": target.version.version}
            if invocation.error or invocation.timed_out:
                response["functionError"] = "Unhandled"
            doc["responseContext"] = response
            doc["responsePayload"] = json_or_raw(self.answer(invocation))
        return doc

    def deliver_success(self, target: Target, payload: bytes, invocation: Invocation, attempts: int,
                        config: dict[str, Any]) -> None:
        destination = ((config.get("DestinationConfig") or {}).get("OnSuccess") or {}).get("Destination")
        if destination:
            doc = self._record_document(target, payload, invocation, attempts, "Success")
            self.send_to(destination, json.dumps(doc), function_arn=target.function.arn, acting=_role(target))

    def deliver_failure(self, target: Target, payload: bytes, invocation: Invocation | None, attempts: int,
                        condition: str, config: dict[str, Any]) -> None:
        destination = ((config.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination")
        if destination:
            doc = self._record_document(target, payload, invocation, attempts, condition)
            self.send_to(destination, json.dumps(doc), function_arn=target.function.arn, acting=_role(target))
        dlq = (target.version.config.get("DeadLetterConfig") or {}).get("TargetArn")
        if dlq:
            body = json_or_raw(self.answer(invocation)) if invocation else {}
            message = body.get("errorMessage", "") if isinstance(body, dict) else str(body)
            attributes = {"RequestID": {"DataType": "String",
                                        "StringValue": invocation.request_id if invocation else ""},
                          "ErrorCode": {"DataType": "Number", "StringValue": "200"},
                          "ErrorMessage": {"DataType": "String", "StringValue": message or "Unhandled"}}
            self.send_to(dlq, payload.decode("utf-8", "replace"), attributes, acting=_role(target))

    def send_to(self, arn: str, message: str, attributes: dict[str, Any] | None = None,
                function_arn: str = "", acting: Any = None) -> None:
        """Deliver to an SQS queue, SNS topic, Lambda function or EventBridge bus by ARN, as
        `acting` (the function's execution role, which AWS writes destinations and DLQs as)."""
        registry = self.registry
        parts = arn.split(":")
        if registry is None or len(parts) < 6:
            return
        service, region, account, resource = parts[2], parts[3], parts[4], parts[5]
        where = {"account_id": account, "region": region}
        try:
            if service == "sqs":
                url = registry.call("sqs", "GetQueueUrl", {"QueueName": resource, "QueueOwnerAWSAccountId": account},
                                    **where)["QueueUrl"]
                registry.call("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": message,
                                                     **({"MessageAttributes": attributes} if attributes else {})},
                              **where, acting_as=acting)
            elif service == "sns":
                registry.call("sns", "Publish", {"TopicArn": arn, "Message": message,
                                                 **({"MessageAttributes": attributes} if attributes else {})},
                              **where, acting_as=acting)
            elif service == "lambda":
                registry.call("lambda", "Invoke", {"FunctionName": arn, "InvocationType": "Event",
                                                   "Payload": message.encode()}, **where, acting_as=acting)
            elif service == "events":
                bus = resource.split("/", 1)[-1]
                registry.call("events", "PutEvents", {"Entries": [{
                    "Source": "lambda", "DetailType": "Lambda Function Invocation Result - "
                    + ("Success" if '"Success"' in message else "Failure"),
                    "Detail": message, "EventBusName": bus, "Resources": [function_arn]}]}, **where, acting_as=acting)
        except AWSError as exc:
            log.warning("cloudmock: Lambda could not deliver to %s: %s", arn, exc)


def _role(target: Target) -> Any:
    """The function's execution role session, which Lambda sends destinations and DLQ messages as."""
    return source_role(target.version.config.get("Role") or "", target.function.name)
