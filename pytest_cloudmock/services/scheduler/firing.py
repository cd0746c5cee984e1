"""Invoking schedules when the gateway clock passes them: templated targets (SQS, SNS, Lambda,
Step Functions, Kinesis, Firehose, an EventBridge bus) and universal targets
(`arn:aws:scheduler:::aws-sdk:<service>:<action>`, any service of the gateway), with
retries, the dead-letter queue and `ActionAfterCompletion`."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from botocore.model import OperationNotFoundError, Shape

from ...api import AWSError
from ...iam_policy.acting import AsRole
from ...models import service_model
from ...protocols.json_ import JsonTree, decode_params
from ...targets import Arn, Delivery, dead_letter, deliver, with_retries
from ...validation import validate
from .operations import ScheduleOperations, first_fire
from .state import Schedule, SchedulerState

if TYPE_CHECKING:
    from ...registry import Registry

UNIVERSAL = "arn:aws:scheduler:::aws-sdk:"
MAX_FIRINGS = 100  # per schedule per clock move; later ones are skipped
NEVER = datetime.max.replace(tzinfo=timezone.utc)  # the wake-up time of a partition with nothing to invoke
#: SDK service names of universal targets that differ from the gateway's (botocore) names
_SDK_NAMES = {"sfn": "stepfunctions", "cloudwatchlogs": "logs", "eventbridge": "events"}


def context_input(text: str, schedule: Schedule, when: datetime, attempt: int, execution: str) -> str:
    """The target input with Scheduler's context attributes filled in."""
    for name, value in (("schedule-arn", schedule.arn), ("scheduled-time", when.strftime("%Y-%m-%dT%H:%M:%SZ")),
                        ("execution-id", execution), ("attempt-number", str(attempt))):
        text = text.replace(f"<aws.scheduler.{name}>", value)
    return text


class FiringOperations(ScheduleOperations):
    def __init__(self) -> None:
        super().__init__()
        #: invocations that failed and had no dead-letter queue (for tests to inspect)
        self.failed_invocations: list[dict[str, Any]] = []

    def fire_due(self, registry: Registry) -> None:
        """Invoke every schedule the clock has passed, in time order (one dispatcher job)."""
        now = registry.clock.utcnow()
        with self._firing:
            due: list[tuple[datetime, str, str, Schedule]] = []
            with self.store.lock:
                for (account, region), state in self.store.partitions():
                    due.extend((t, account, region, schedule) for t, schedule in _due(state, now))
            if not due:
                return
            due.sort(key=lambda item: item[0])
            if registry.dispatcher is not None:
                registry.dispatcher.submit(lambda: self._invoke_all(registry, due))
            else:
                self._invoke_all(registry, due)

    def _invoke_all(self, registry: Registry, due: list[tuple[datetime, str, str, Schedule]]) -> None:
        for when, account, region, schedule in due:
            self.invoke(registry, account, region, schedule, when)

    def invoke(self, registry: Registry, account: str, region: str, schedule: Schedule, when: datetime) -> None:
        target = schedule.target
        execution = str(uuid.uuid4())
        started = int(when.timestamp() * 1000)
        outcome = with_retries(
            lambda attempt: self._send(registry, account, region, schedule,
                                       context_input(target.get("Input", "{}"), schedule, when, attempt, execution)),
            target.get("RetryPolicy"), started, registry.clock.now_ms)
        if outcome.error is None:
            return
        record = {"schedule": schedule.arn, "target": target["Arn"], "error": outcome.error.code,
                  "message": outcome.error.message}
        dlq = (target.get("DeadLetterConfig") or {}).get("Arn")
        try:
            if dlq:
                body = context_input(target.get("Input", "{}"), schedule, when, outcome.retries + 1, execution)
                acting = AsRole(target["RoleArn"], "scheduler.amazonaws.com", schedule.name) \
                    if target.get("RoleArn") else None  # AWS writes the DLQ as the schedule's role
                dead_letter(registry, dlq, body, outcome, target["Arn"], acting,
                            **{"X-Amz-Scheduler-Schedule-Arn": schedule.arn,
                               "X-Amz-Scheduler-Attempt": str(outcome.retries + 1)})
                return
        except AWSError as exc:
            record["dead_letter_error"] = exc.code
        self.failed_invocations.append(record)
        del self.failed_invocations[:-100]

    def _send(self, registry: Registry, account: str, region: str, schedule: Schedule, payload: str) -> None:
        target = schedule.target
        arn = target["Arn"]
        acting = AsRole(target["RoleArn"], "scheduler.amazonaws.com", schedule.name) if target.get("RoleArn") else None
        if arn.startswith(UNIVERSAL):
            service, action = arn[len(UNIVERSAL):].split(":", 1)
            try:
                params = json.loads(payload) if payload.strip() else {}
            except ValueError:
                raise AWSError("ValidationException", "Input is not valid JSON.") from None  # wording not documented
            name, operation = _SDK_NAMES.get(service, service), action[:1].upper() + action[1:]
            typed = sdk_params(name, operation, params if isinstance(params, dict) else {})
            registry.call(name, operation, typed, account_id=account, region=region, acting_as=acting)
            return
        parsed = Arn.parse(arn)
        if parsed.service == "events":
            bridge = target.get("EventBridgeParameters") or {}
            answer = registry.call("events", "PutEvents", {"Entries": [{
                "EventBusName": arn, "Source": bridge.get("Source", "aws.scheduler"),
                "DetailType": bridge.get("DetailType", "Scheduled Event"), "Detail": payload,
            }]}, account_id=parsed.account, region=parsed.region, acting_as=acting)
            if answer.get("FailedEntryCount"):
                entry = answer["Entries"][0]
                raise AWSError(entry.get("ErrorCode", "InternalException"), entry.get("ErrorMessage", ""))
            return
        deliver(registry, arn, payload, Delivery(
            message_group_id=(target.get("SqsParameters") or {}).get("MessageGroupId"),
            deduplication_id=str(uuid.uuid4()),
            partition_key=(target.get("KinesisParameters") or {}).get("PartitionKey"),
            log_stream=schedule.name, time_ms=registry.clock.now_ms(),
        ), acting)


class _SdkInput(JsonTree):
    """Universal target input: the operation's members by their API names, blobs in base64,
    timestamps as the SDKs write them in JSON."""

    def member_key(self, name: str, member: Shape) -> str:
        return name if member.serialization.get("location") else super().member_key(name, member)


def sdk_params(service: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """The typed params of a universal target's JSON input, checked against the target operation's model."""
    try:
        model = service_model(service).operation_model(operation)
    except (KeyError, OperationNotFoundError):
        raise AWSError("ValidationException", f"The operation {operation} of service {service} is not "
                       "known.") from None  # wording not documented
    typed = decode_params(_SdkInput(), model, params)
    validate(typed, model, model.metadata.get("protocol", "json"))  # as the gateway checks a request
    return typed


def _due(state: SchedulerState, now: datetime) -> list[tuple[datetime, Schedule]]:
    """The invocations of `state`'s schedules due by `now`, in time and creation order (store lock
    held). Looks at the schedules only when one may be due (`state.wake`) or the clock went back."""
    if state.wake is not None and state.checked is not None and state.checked <= now < state.wake:
        return []
    due: list[tuple[datetime, int, Schedule]] = []
    wake = NEVER
    for key, schedule in list(state.schedules.items()):
        due.extend((t, schedule.seq, schedule) for t in _advance(schedule, now))
        if schedule.next_fire is None and schedule.after_completion == "DELETE":
            del state.schedules[key]  # its last invocation is behind it
        elif schedule.state == "ENABLED" and schedule.next_fire is not None:
            wake = min(wake, schedule.next_fire)
    state.checked, state.wake = now, wake
    due.sort(key=lambda item: item[:2])
    return [(t, schedule) for t, _, schedule in due]


def _advance(schedule: Schedule, now: datetime) -> list[datetime]:
    """The invocations of `schedule` due by `now`, moving its next one past `now` (store lock held).

    A flexible time window is taken at its start: invocations are deterministic.
    """
    due: list[datetime] = []
    if schedule.state != "ENABLED":
        return due
    soonest = first_fire(schedule, now)
    if soonest is not None and schedule.next_fire is not None and schedule.next_fire > soonest:
        schedule.next_fire = soonest  # the clock went back: invoke on its new time
    while schedule.next_fire is not None and schedule.next_fire <= now:
        if len(due) < MAX_FIRINGS:
            due.append(schedule.next_fire)
        following = first_fire(schedule, schedule.next_fire)
        if len(due) >= MAX_FIRINGS and following is not None and following <= now:
            following = first_fire(schedule, now)
        schedule.next_fire = following
    return due
