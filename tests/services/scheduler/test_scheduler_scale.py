"""Per-call cost does not grow with unrelated schedules: the firing round looks at every schedule
only when one may be due (or the clock was set back), and ListSchedules seeks into the schedules
kept in (group, name) order. Hypothesis compares the pages with offset pages of a filtered list."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_cloudmock.paging import offset_page

from ...work import calls_made

OFF = {"Mode": "OFF"}
TARGET = {"Arn": "arn:aws:sqs:us-east-1:123456789012:nowhere", "RoleArn": "arn:aws:iam::123456789012:role/r"}
_SCHEDULES = st.lists(st.tuples(st.sampled_from(["default", "g1", "g2"]), st.text("ab.", min_size=1, max_size=3),
                                st.sampled_from(["ENABLED", "DISABLED"])),
                      max_size=12, unique_by=lambda s: s[:2])


def _all_pages(scheduler, **filters):
    pages, token = [], None
    while True:
        answer = scheduler.list_schedules(**filters, **({"NextToken": token} if token else {}))
        pages.append(([(s["GroupName"], s["Name"], s["State"]) for s in answer["Schedules"]], answer.get("NextToken")))
        token = answer.get("NextToken")
        if not token:
            return pages


def _expected_pages(schedules, group, prefix, state, size):
    chosen = [s for s in sorted(schedules) if (group is None or s[0] == group) and s[1].startswith(prefix)
              and (state is None or s[2] == state)]
    pages, token = [], None
    while True:
        page, token = offset_page(chosen, token, size, bad_token=AssertionError, scope="schedules")
        pages.append((page, token))
        if not token:
            return pages


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedules=_SCHEDULES, group=st.sampled_from([None, "default", "g1", "g2"]),
       prefix=st.sampled_from(["", "a", "b.", "ab"]), state=st.sampled_from([None, "ENABLED", "DISABLED"]),
       size=st.integers(1, 4))
def test_list_schedules_pages_equal_offset_pages_of_the_filtered_list(aws, scheduler, schedules, group, prefix,
                                                                      state, size):
    aws.reset()
    for name in ("g1", "g2"):
        scheduler.create_schedule_group(Name=name)
    for group_name, name, schedule_state in schedules:
        scheduler.create_schedule(GroupName=group_name, Name=name, State=schedule_state,
                                  ScheduleExpression="rate(1 day)", FlexibleTimeWindow=OFF, Target=TARGET)
    filters = {k: v for k, v in (("GroupName", group), ("NamePrefix", prefix), ("State", state)) if v}
    got = _all_pages(scheduler, MaxResults=size, **filters)
    assert got == _expected_pages(schedules, group, prefix or "", state, size)


def test_deleting_a_group_deletes_its_schedules_only(scheduler):
    for group in ("a", "a.b", "ab"):
        scheduler.create_schedule_group(Name=group)
        scheduler.create_schedule(GroupName=group, Name="s", ScheduleExpression="rate(1 day)",
                                  FlexibleTimeWindow=OFF, Target=TARGET)
    scheduler.delete_schedule_group(Name="a")
    assert sorted(s["GroupName"] for s in scheduler.list_schedules()["Schedules"]) == ["a.b", "ab"]


def test_a_clock_set_back_reckons_schedules_made_later_from_the_new_time(scheduler, queue, drain, frozen):
    url, arn = queue("back")
    scheduler.list_schedules()  # the firing round looks at the (no) schedules at 10:00
    frozen.advance(hours=5)  # 15:00: the schedule's first invocation is at 16:00
    scheduler.create_schedule(Name="hourly", ScheduleExpression="cron(0 * * * ? *)", FlexibleTimeWindow=OFF,
                              Target={**TARGET, "Arn": arn, "Input": '"<aws.scheduler.scheduled-time>"'})
    frozen.set("2026-01-05T11:00:00Z")  # set back: reckoned from the new time, it is next invoked at 12:00
    frozen.advance(minutes=61)
    assert drain(url) == ["2026-01-05T12:00:00Z"]


def test_calls_cost_the_same_beside_thousands_of_schedules(scheduler, aws):
    """Counted work (not time): GetSchedule beside 5,000 other schedules."""
    scheduler.create_schedule(Name="mine", ScheduleExpression="rate(1 day)", FlexibleTimeWindow=OFF, Target=TARGET)
    where = {"account_id": "123456789012", "region": "us-east-1"}

    def calls() -> None:
        aws.registry.call("scheduler", "GetSchedule", {"Name": "mine"}, **where)

    small = calls_made(calls)
    state = aws.registry.get("scheduler").store.get("123456789012", "us-east-1")
    template = state.schedules[("default", "mine")]
    for i in range(5000):  # seeded through the store: 5,000 API calls would take seconds
        state.schedules[("default", f"s{i:05d}")] = type(template)(**{**vars(template), "name": f"s{i:05d}"})
    state.wake = None
    large = calls_made(calls)
    assert large < small * 1.2 + 100, (small, large)  # looking at 5,000 schedules per call was ~15 ms
