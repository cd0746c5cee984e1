"""Activities and task tokens: `CreateActivity`, `GetActivityTask` (a long poll on the
gateway clock), `SendTaskSuccess`, `SendTaskFailure`, `SendTaskHeartbeat`."""

from __future__ import annotations

import json
import time
from typing import Any

from ...api import AWSError, RequestContext
from . import errors
from .executions import ExecutionOperations
from .machines import MAX_TAGS, creation_page
from .runner import Token
from .state import Activity

LONG_POLL = 60.0  # seconds of gateway clock a GetActivityTask waits, as AWS
LONG_POLL_REAL = 5.0  # and at most this many real seconds (a frozen clock never gets there)


class TaskOperations(ExecutionOperations):
    long_poll_real = LONG_POLL_REAL

    # -- activities -------------------------------------------------------------------------------------
    def create_activity(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["name"]
        errors.check_name(name)
        tags = {t.get("key", ""): t.get("value", "") for t in ctx.params.get("tags", [])}
        if len(tags) > MAX_TAGS:
            raise AWSError("TooManyTags", f"Too many tags: the limit is {MAX_TAGS}", resourceName=name)
        arn = self.arn(ctx, "activity", name)
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            existing = state.activities.get(arn)
            if existing is not None:
                if tags and tags != existing.tags:
                    raise AWSError("ActivityAlreadyExists", f"Activity already exists: '{arn}'")  # wording approx.
                return {"activityArn": arn, "creationDate": existing.created}
            activity = Activity(arn, name, ctx.clock.utcnow(), tags,
                                ctx.params.get("encryptionConfiguration") or {"type": "AWS_OWNED_KEY"})
            state.activities[arn] = state.activity_order[(activity.created, name)] = activity
        return {"activityArn": arn, "creationDate": activity.created}

    def _activity(self, ctx: RequestContext, arn: str) -> Activity:
        parts = arn.split(":")
        if len(parts) != 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "activity":
            raise errors.invalid_arn(arn)
        found = self.state_of(ctx, arn).activities.get(arn)
        if found is None:
            raise errors.activity_missing(arn)
        return found

    def describe_activity(self, ctx: RequestContext) -> dict[str, Any]:
        activity = self._activity(ctx, ctx.params["activityArn"])
        return {"activityArn": activity.arn, "name": activity.name, "creationDate": activity.created,
                "encryptionConfiguration": activity.encryption}

    def delete_activity(self, ctx: RequestContext) -> dict[str, Any]:
        arn = ctx.params["activityArn"]
        parts = arn.split(":")
        if len(parts) != 7 or parts[0] != "arn" or parts[2] != "states" or parts[5] != "activity":
            raise errors.invalid_arn(arn)
        with self.store.lock:
            state = self.state_of(ctx, arn)
            activity = state.activities.pop(arn, None)
            if activity is not None:
                del state.activity_order[(activity.created, activity.name)]
        return {}

    def list_activities(self, ctx: RequestContext) -> dict[str, Any]:
        state = self.store.for_ctx(ctx)
        with self.store.lock:
            page, token = creation_page(state.activity_order, ctx, "activities")
        out: dict[str, Any] = {"activities": [{"activityArn": a.arn, "name": a.name, "creationDate": a.created}
                                              for a in page]}
        if token:
            out["nextToken"] = token
        return out

    def get_activity_task(self, ctx: RequestContext) -> dict[str, Any]:
        activity = self._activity(ctx, ctx.params["activityArn"])
        began = time.monotonic()
        got: list[tuple[str, str]] = []

        def take() -> bool:
            queue = self.activity_tasks.get(activity.arn)
            while queue:
                token, payload = queue.popleft()
                found = self.tokens.get(token)
                if found is not None and found.outcome is None:
                    found.heartbeat = ctx.clock.now()
                    got.append((token, payload))
                    return True
            return time.monotonic() - began > self.long_poll_real

        with self.activity_cond:
            ctx.clock.wait_until(ctx.clock.now() + LONG_POLL, take, self.activity_cond)
        if not got:
            return {}
        taken = self.tokens[got[0][0]].taken
        if taken is not None:
            taken(ctx.params.get("workerName", ""))
        return {"taskToken": got[0][0], "input": got[0][1]}

    # -- task tokens -------------------------------------------------------------------------------------
    def _token(self, token: str) -> Token:
        if not token.startswith("AQ"):
            raise errors.bad_token()
        found = self.tokens.get(token)
        if found is None:
            raise AWSError("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'")
        if found.outcome is not None:
            raise AWSError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'")
        return found

    def send_task_success(self, ctx: RequestContext) -> dict[str, Any]:
        token = ctx.params["taskToken"]
        with self.runtime_lock:
            self._token(token)
        try:
            output = json.loads(ctx.params["output"])
        except ValueError as exc:
            raise AWSError("InvalidOutput", f"Invalid Output: '{exc}'") from None
        self.complete_token(token, ("success", output))
        return {}

    def send_task_failure(self, ctx: RequestContext) -> dict[str, Any]:
        token = ctx.params["taskToken"]
        with self.runtime_lock:
            self._token(token)
        self.complete_token(token, ("failure", ctx.params.get("error", ""), ctx.params.get("cause", "")))
        return {}

    def send_task_heartbeat(self, ctx: RequestContext) -> dict[str, Any]:
        with self.runtime_lock:
            found = self._token(ctx.params["taskToken"])
            found.heartbeat = ctx.clock.now()
        return {}
