"""Schedule expressions (`pytest_cloudmock/schedules.py`): rate, at, and AWS's six-field cron
with `L`, `W`, `#`, names and ranges, in time zones across daylight-saving changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_cloudmock.schedules import ScheduleError, parse

UTC = timezone.utc


def fires(expression: str, start: str, count: int, tz: str | None = None) -> list[str]:
    schedule = parse(expression, tz, allow_at=True)
    moment = datetime.fromisoformat(start).replace(tzinfo=UTC)
    base = moment
    out = []
    for _ in range(count):
        moment = schedule.next_after(moment, base)
        if moment is None:
            break
        out.append(moment.strftime("%Y-%m-%d %H:%M"))
    return out


@pytest.mark.parametrize(("expression", "start", "expected"), [
    ("rate(1 minute)", "2026-01-01T00:00:00", ["2026-01-01 00:01", "2026-01-01 00:02"]),
    ("rate(2 hours)", "2026-01-01T00:00:00", ["2026-01-01 02:00", "2026-01-01 04:00"]),
    ("cron(0/15 * * * ? *)", "2026-01-01T00:05:00", ["2026-01-01 00:15", "2026-01-01 00:30"]),
    ("cron(0 10 ? * MON-FRI *)", "2026-01-02T11:00:00", ["2026-01-05 10:00", "2026-01-06 10:00"]),  # Fri -> Mon
    ("cron(0 12 L * ? *)", "2026-02-01T00:00:00", ["2026-02-28 12:00", "2026-03-31 12:00"]),
    ("cron(0 9 15W * ? *)", "2026-02-01T00:00:00", ["2026-02-16 09:00", "2026-03-16 09:00"]),  # 15th Sun/Sun
    ("cron(0 9 LW * ? *)", "2026-05-01T00:00:00", ["2026-05-29 09:00", "2026-06-30 09:00"]),
    ("cron(0 8 ? * 6#3 *)", "2026-01-01T00:00:00", ["2026-01-16 08:00", "2026-02-20 08:00"]),  # third Friday
    ("cron(0 8 ? * 2L *)", "2026-01-01T00:00:00", ["2026-01-26 08:00", "2026-02-23 08:00"]),  # last Monday
    ("cron(30 6 1 JAN,JUL ? 2026-2027)", "2026-03-01T00:00:00", ["2026-07-01 06:30", "2027-01-01 06:30",
                                                                "2027-07-01 06:30"]),
    ("cron(0 0 29 2 ? *)", "2026-01-01T00:00:00", ["2028-02-29 00:00"]),
])
def test_next_firings(expression, start, expected):
    assert fires(expression, start, len(expected) + (1 if expression.endswith("2026-2027)") else 0)) == expected


def test_time_zone_follows_daylight_saving():
    # 9:00 New York is 14:00 UTC in winter and 13:00 UTC after 8 March 2026
    assert fires("cron(0 9 * * ? *)", "2026-03-07T00:00:00", 2, "America/New_York") == [
        "2026-03-07 14:00", "2026-03-08 13:00"]


def test_at_fires_once_in_its_time_zone():
    assert fires("at(2026-06-01T08:00:00)", "2026-01-01T00:00:00", 3, "Asia/Tokyo") == ["2026-05-31 23:00"]


@pytest.mark.parametrize("expression", [
    "rate(0 minutes)", "rate(1 minutes)", "rate(5 minute)", "rate(5 weeks)", "cron(0 * * * * *)",
    "cron(0 * ? * ? *)", "cron(61 * * * ? *)", "cron(0 * * * ?)", "cron(0 25 * * ? *)", "every day",
    "cron(0 0 ? * FOO *)",
])
def test_invalid_expressions(expression):
    with pytest.raises(ScheduleError):
        parse(expression, allow_at=True)


def test_at_is_only_for_scheduler_and_zones_must_exist():
    with pytest.raises(ScheduleError):
        parse("at(2026-01-01T00:00:00)")
    with pytest.raises(ScheduleError):
        parse("rate(1 day)", "Mars/Olympus_Mons")


@settings(max_examples=60, deadline=None)
@given(minute=st.integers(0, 59), hour=st.integers(0, 23), offset=st.integers(0, 60 * 24 * 40))
def test_daily_cron_fires_once_a_day_at_its_time(minute, hour, offset):
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset)
    schedule = parse(f"cron({minute} {hour} * * ? *)")
    first = schedule.next_after(start, start)
    second = schedule.next_after(first, first)
    assert first > start and first - start <= timedelta(days=1)
    assert (first.hour, first.minute) == (hour, minute)
    assert second - first == timedelta(days=1)
