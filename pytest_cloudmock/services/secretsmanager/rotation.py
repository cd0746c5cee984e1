"""Rotation: `RotateSecret` runs the rotation Lambda's four steps (createSecret, setSecret,
testSecret, finishSecret) through `ctx.registry.call("lambda", "Invoke", ...)` on the
gateway's background dispatcher (`settle()` waits for it), as AWS rotates after answering.
Whatever service is registered as `lambda` runs the function. A failed step stops the
rotation and leaves `AWSPENDING` where it is, as AWS does; the next rotation retries it.
Schedules (`AutomaticallyAfterDays`, `rate(...)`) run on the gateway clock."""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .base import CURRENT, DAY, PENDING, SecretsBase
from .state import Secret

log = logging.getLogger(__name__)
STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
_RATE = re.compile(r"^rate\((\d+) (hours?|days?)\)$")


class RotationOperations(SecretsBase):

    def rotate_secret(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        secret = self.writable(ctx)
        function = p.get("RotationLambdaARN") or secret.rotation_lambda
        if not function:
            raise errors.invalid_request("No Lambda rotation function ARN is associated with this secret.")
        pending = secret.version_with(PENDING)
        if (pending is not None and pending is not secret.version_with(CURRENT) and p.get("RotateImmediately", True)
                and pending.version_id != p.get("ClientRequestToken")):
            raise errors.invalid_request("A previous rotation isn't complete. That rotation will be reattempted.")
        rules = p.get("RotationRules")
        if rules is not None:
            _interval(rules)  # validates
        token = p.get("ClientRequestToken") or (pending.version_id if pending else str(uuid.uuid4()))
        now = ctx.clock.now()
        with self.store.lock:
            secret.rotation_enabled, secret.rotation_lambda = True, function
            self.store.for_ctx(ctx).timed.add(secret.name)
            if rules is not None:
                secret.rotation_rules = rules
            interval = _interval(secret.rotation_rules) if secret.rotation_rules else None
            secret.next_rotation = now + interval if interval else None
        if p.get("RotateImmediately", True):
            self.start_rotation(ctx, secret, token)
        return {"ARN": secret.arn, "Name": secret.name, "VersionId": token}

    def cancel_rotate_secret(self, ctx: RequestContext) -> dict[str, Any]:
        secret = self.writable(ctx)
        with self.store.lock:
            secret.rotation_enabled, secret.next_rotation = False, None
            pending = secret.version_with(PENDING)
        out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
        if pending is not None:
            out["VersionId"] = pending.version_id
        return out

    def rotation_due(self, ctx: RequestContext, secret: Secret, now: float) -> None:
        if not secret.rotation_enabled or secret.next_rotation is None or now < secret.next_rotation:
            return
        interval = _interval(secret.rotation_rules) if secret.rotation_rules else None
        with self.store.lock:
            secret.next_rotation = now + interval if interval else None
        pending = secret.version_with(PENDING)
        self.start_rotation(ctx, secret, pending.version_id if pending else str(uuid.uuid4()))

    def start_rotation(self, ctx: RequestContext, secret: Secret, token: str) -> None:
        registry, account, region, function = ctx.registry, ctx.account_id, ctx.region, secret.rotation_lambda

        def run() -> None:
            for step in STEPS:
                payload = {"Step": step, "SecretId": secret.arn, "ClientRequestToken": token,
                           "RotationToken": str(uuid.uuid4())}
                try:
                    result = registry.call("lambda", "Invoke", {
                        "FunctionName": function, "InvocationType": "RequestResponse",
                        "Payload": json.dumps(payload).encode()}, account_id=account, region=region, caller=ctx)
                except AWSError as exc:
                    log.warning("cloudmock: rotation of %s stopped at %s: %s", secret.arn, step, exc)
                    return
                if result.get("FunctionError"):
                    log.warning("cloudmock: rotation of %s failed in %s: %s", secret.arn, step, result.get("Payload"))
                    return
            with self.store.lock:
                version = secret.versions.get(token)
                if version is not None and CURRENT in version.stages and PENDING in version.stages:
                    version.stages.remove(PENDING)
                secret.last_rotated = ctx.clock.now()

        if registry is None:
            raise errors.invalid_request("Rotation needs a gateway (no registry to reach Lambda).")
        ctx.dispatch(run)


def _interval(rules: dict[str, Any]) -> float | None:
    """Seconds between scheduled rotations (a `cron(...)` schedule counts as daily here)."""
    days = rules.get("AutomaticallyAfterDays")
    expression = rules.get("ScheduleExpression")
    if days is not None and expression:
        raise errors.invalid_parameter("You can't specify both AutomaticallyAfterDays and ScheduleExpression.")
    if days is not None:
        if not 1 <= days <= 1000:
            raise errors.invalid_parameter("AutomaticallyAfterDays must be between 1 and 1000.")
        return days * DAY
    if expression:
        match = _RATE.match(expression)
        if match:
            amount = int(match[1])
            return amount * (3600.0 if match[2].startswith("hour") else DAY)
        if expression.startswith("cron(") and expression.endswith(")"):
            return DAY
        raise errors.invalid_parameter(f"Invalid ScheduleExpression: {expression}")
    return None
