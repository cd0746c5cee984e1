"""Schedule groups and schedules: create, read, update, delete, list, tags."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice, takewhile
from typing import TYPE_CHECKING, Any, ClassVar

from ...api import AWSError, RequestContext, ServiceProfile
from ...paging import offset_page, offset_page_of
from ...schedules import Rate, ScheduleError, zone
from ...schedules import parse as parse_expression
from ...store import Store
from ..base import ModelService
from .state import Group, Schedule, SchedulerState

if TYPE_CHECKING:
    from ...registry import Registry

DEFAULT_GROUP = "default"
_NAME = re.compile(r"^[0-9a-zA-Z\-_.]{1,64}$")


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message, 404)


def conflict(message: str) -> AWSError:
    return AWSError("ConflictException", message, 409)


def invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def bad_token() -> AWSError:
    return invalid("Invalid NextToken.")  # wording not documented


def first_fire(schedule: Schedule, after: datetime) -> datetime | None:
    """The first invocation of `schedule` strictly after `after`, within its start and end dates."""
    expression = parse_expression(schedule.expression, schedule.timezone, allow_at=True)
    start = schedule.start
    if isinstance(expression, Rate):
        moment = start if start and start > after else expression.next_after(after, start or schedule.created)
    else:
        floor = start - timedelta(microseconds=1) if start and start > after else after
        moment = expression.next_after(floor, floor)
    if moment is not None and schedule.end and moment > schedule.end:
        return None
    return moment


def _note_wake(state: SchedulerState, schedule: Schedule, now: datetime) -> None:
    """Wake the next firing round no later than `schedule`'s next invocation (at once when it has
    none left: the round deletes it if it deletes after completion), and let a clock set back
    before `now` look at every schedule again (their next invocations are reckoned from then)."""
    if state.checked is not None:
        state.checked = max(state.checked, now)
    if schedule.next_fire is None:
        state.wake = None
    elif state.wake is not None and schedule.state == "ENABLED":
        state.wake = min(state.wake, schedule.next_fire)


class SchedulerBase(ModelService):
    name: ClassVar[str] = "scheduler"

    def __init__(self) -> None:
        self.store: Store[SchedulerState] = Store(SchedulerState)
        self._firing = threading.Lock()
        self.profile = ServiceProfile(on_clock=self.fire_due)  # schedules fire as the clock passes them

    def handle_request(self, ctx: RequestContext) -> Any:
        """Fire what became due (also without a clock move: real time runs), then dispatch."""
        if ctx.registry is not None:
            self.fire_due(ctx.registry)
        return super().handle_request(ctx)

    def fire_due(self, registry: Registry) -> None:  # firing.py
        raise NotImplementedError

    def state(self, ctx: RequestContext) -> SchedulerState:
        state = self.store.for_ctx(ctx)
        if DEFAULT_GROUP not in state.groups:
            now = ctx.clock.utcnow()
            state.groups[DEFAULT_GROUP] = Group(DEFAULT_GROUP, self._arn(ctx, "schedule-group/default"), now, now)
        return state

    @staticmethod
    def _arn(ctx: RequestContext, resource: str) -> str:
        return f"arn:{ctx.partition}:scheduler:{ctx.region}:{ctx.account_id}:{resource}"

    def group(self, ctx: RequestContext, name: str | None) -> Group:
        group = self.state(ctx).groups.get(name or DEFAULT_GROUP)
        if group is None:
            raise not_found(f"Schedule group {name} does not exist.")
        return group


class ScheduleOperations(SchedulerBase):
    # -- groups ---------------------------------------------------------------------------------
    def create_schedule_group(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["Name"]
        now = ctx.clock.utcnow()
        with self.store.lock:
            state = self.state(ctx)
            if name in state.groups:
                raise conflict(f"Schedule group {name} already exists.")
            group = Group(name, self._arn(ctx, f"schedule-group/{name}"), now, now,
                          {t["Key"]: t["Value"] for t in ctx.params.get("Tags") or []})
            state.groups[name] = group
        return {"ScheduleGroupArn": group.arn}

    @staticmethod
    def _describe_group(group: Group) -> dict[str, Any]:
        return {"Arn": group.arn, "Name": group.name, "State": "ACTIVE", "CreationDate": group.created,
                "LastModificationDate": group.modified}

    def get_schedule_group(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return self._describe_group(self.group(ctx, ctx.params["Name"]))

    def delete_schedule_group(self, ctx: RequestContext) -> dict[str, Any]:
        name = ctx.params["Name"]
        if name == DEFAULT_GROUP:
            raise invalid("Cannot delete the default schedule group.")  # wording not documented
        with self.store.lock:
            self.group(ctx, name)
            state = self.state(ctx)
            del state.groups[name]
            for key in list(state.schedules.irange((name,), (name + "\0",), inclusive=(True, False))):
                del state.schedules[key]
        return {}

    def list_schedule_groups(self, ctx: RequestContext) -> dict[str, Any]:
        prefix = ctx.params.get("NamePrefix", "")
        with self.store.lock:
            items = [self._describe_group(g) for n, g in sorted(self.state(ctx).groups.items()) if n.startswith(prefix)]
        page, token = offset_page(items, ctx.params.get("NextToken"), ctx.params.get("MaxResults"),
                                  bad_token=bad_token, scope="groups")
        return {"ScheduleGroups": page, **({"NextToken": token} if token else {})}

    # -- schedules ---------------------------------------------------------------------------------
    def _checked(self, ctx: RequestContext, existing: Schedule | None) -> Schedule:
        p = ctx.params
        if not _NAME.match(p["Name"]):
            raise invalid(f"Invalid name {p['Name']}.")  # wording not documented
        tz = p.get("ScheduleExpressionTimezone")
        try:
            zone(tz)
        except ScheduleError:
            raise invalid(f"Invalid ScheduleExpressionTimezone {tz}.") from None  # wording not documented
        try:
            parse_expression(p["ScheduleExpression"], tz, allow_at=True)
        except ScheduleError:
            raise invalid(f"Invalid Schedule Expression {p['ScheduleExpression']}.") from None  # not documented
        window = p["FlexibleTimeWindow"]
        if window["Mode"] == "FLEXIBLE" and "MaximumWindowInMinutes" not in window:
            raise invalid("MaximumWindowInMinutes must be provided when Mode is FLEXIBLE.")  # wording not documented
        if window["Mode"] == "OFF" and "MaximumWindowInMinutes" in window:
            raise invalid("MaximumWindowInMinutes must not be provided when Mode is OFF.")  # wording not documented
        start, end = p.get("StartDate"), p.get("EndDate")
        if start and end and end <= start:
            raise invalid("The EndDate must be after the StartDate.")  # wording not documented
        if end and end <= ctx.clock.utcnow():
            raise invalid("The EndDate must be in the future.")  # wording not documented
        target = p["Target"]
        if target["Arn"].startswith("arn:aws:scheduler:::aws-sdk:") and target["Arn"].count(":") != 7:
            raise invalid(f"Invalid target ARN {target['Arn']}.")  # wording not documented
        if target["Arn"].startswith("arn:") and ":sqs:" in target["Arn"] and target["Arn"].endswith(".fifo") \
                and not (target.get("SqsParameters") or {}).get("MessageGroupId"):
            raise invalid("MessageGroupId is required for FIFO queue targets.")  # wording not documented
        now = ctx.clock.utcnow()
        group = p.get("GroupName") or DEFAULT_GROUP
        return Schedule(
            name=p["Name"], group=group, arn=self._arn(ctx, f"schedule/{group}/{p['Name']}"),
            expression=p["ScheduleExpression"], target=dict(target), window=dict(window),
            created=existing.created if existing else now, modified=now, state=p.get("State", "ENABLED"),
            timezone=tz, start=start, end=end, description=p.get("Description"), kms_key=p.get("KmsKeyArn"),
            after_completion=p.get("ActionAfterCompletion", "NONE"),
        )

    def create_schedule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self.group(ctx, ctx.params.get("GroupName"))
            schedules = self.state(ctx).schedules
            if (group.name, ctx.params["Name"]) in schedules:
                raise conflict(f"Schedule {ctx.params['Name']} already exists.")
            schedule = self._checked(ctx, None)
            state = self.state(ctx)
            schedule.seq, state.created = state.created, state.created + 1
            now = ctx.clock.utcnow()
            schedule.next_fire = first_fire(schedule, now)
            schedules[(group.name, schedule.name)] = schedule
            _note_wake(state, schedule, now)
        return {"ScheduleArn": schedule.arn}

    def update_schedule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            existing = self.schedule(ctx)
            schedule = self._checked(ctx, existing)
            schedule.seq = existing.seq
            now = ctx.clock.utcnow()
            schedule.next_fire = first_fire(schedule, now)
            state = self.state(ctx)
            state.schedules[(schedule.group, schedule.name)] = schedule
            _note_wake(state, schedule, now)
        return {"ScheduleArn": schedule.arn}

    def schedule(self, ctx: RequestContext) -> Schedule:
        group = self.group(ctx, ctx.params.get("GroupName"))
        schedule = self.state(ctx).schedules.get((group.name, ctx.params["Name"]))
        if schedule is None:
            raise not_found(f"Schedule {ctx.params['Name']} does not exist.")
        return schedule

    def get_schedule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            s = self.schedule(ctx)
            out: dict[str, Any] = {
                "ActionAfterCompletion": s.after_completion, "Arn": s.arn, "CreationDate": s.created,
                "FlexibleTimeWindow": s.window, "GroupName": s.group, "LastModificationDate": s.modified,
                "Name": s.name, "ScheduleExpression": s.expression, "State": s.state, "Target": s.target,
            }
            for key, value in (("ScheduleExpressionTimezone", s.timezone), ("Description", s.description), ("StartDate", s.start), ("EndDate", s.end),
                               ("KmsKeyArn", s.kms_key)):
                if value is not None:
                    out[key] = value
            return out

    def delete_schedule(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            schedule = self.schedule(ctx)
            del self.state(ctx).schedules[(schedule.group, schedule.name)]
        return {}

    def list_schedules(self, ctx: RequestContext) -> dict[str, Any]:
        p = ctx.params
        group, prefix, wanted = p.get("GroupName"), p.get("NamePrefix", ""), p.get("State")
        with self.store.lock:
            if group:
                self.group(ctx, group)
            schedules = self.state(ctx).schedules
            start = schedules.bisect_left((group, prefix)) if group is not None else 0
            contiguous = not wanted and (group is not None or not prefix)  # an offset is a seek

            def listed(offset: int) -> Iterator[Schedule]:
                keys = schedules.islice(start + offset if contiguous else start)
                if group is not None:
                    keys = takewhile(lambda k: k[0] == group and k[1].startswith(prefix), keys)
                found = (schedules[k] for k in keys if k[1].startswith(prefix))
                if wanted:
                    found = (s for s in found if s.state == wanted)
                return found if contiguous else islice(found, offset, None)

            page, token = offset_page_of(listed, p.get("NextToken"), p.get("MaxResults"), bad_token=bad_token,
                                         scope="schedules")
            items = [{"Arn": s.arn, "CreationDate": s.created, "GroupName": s.group,
                      "LastModificationDate": s.modified, "Name": s.name, "State": s.state,
                      "Target": {"Arn": s.target["Arn"]}} for s in page]
        return {"Schedules": items, **({"NextToken": token} if token else {})}

    # -- tags (schedule groups) ------------------------------------------------------------------
    def _tagged(self, ctx: RequestContext) -> Group:
        arn = ctx.params["ResourceArn"]
        for group in self.state(ctx).groups.values():
            if group.arn == arn:
                return group
        raise not_found(f"Schedule group {arn.rsplit('/', 1)[-1]} does not exist.")

    def tag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self._tagged(ctx)
            group.tags.update({t["Key"]: t["Value"] for t in ctx.params["Tags"]})
        return {}

    def untag_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            group = self._tagged(ctx)
            for key in ctx.params["TagKeys"]:
                group.tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, ctx: RequestContext) -> dict[str, Any]:
        with self.store.lock:
            return {"Tags": [{"Key": k, "Value": v} for k, v in self._tagged(ctx).tags.items()]}
