"""Schedule expressions of EventBridge rules and EventBridge Scheduler: `rate(...)`,
`cron(...)` (AWS's six fields, with `L`, `W`, `#`) and Scheduler's `at(...)`, with time
zones (zoneinfo). `next_after(t)` gives the first firing strictly after `t`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNIT = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {name.upper(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_SEARCH_DAYS = 366 * 8  # how far ahead a cron is searched before it is taken to never fire


class ScheduleError(ValueError):
    """An expression AWS rejects."""


def zone(name: str | None) -> ZoneInfo | timezone:
    """The time zone called `name` (UTC when empty); `ScheduleError` for an unknown one."""
    if not name or name == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"Invalid time zone: {name}") from None


@dataclass(frozen=True)
class Rate:
    seconds: int

    def next_after(self, after: datetime, base: datetime) -> datetime:
        """The first `base + k*period` (k >= 1) strictly after `after`."""
        elapsed = (after - base).total_seconds()
        periods = max(1, int(elapsed // self.seconds) + 1)
        return base + timedelta(seconds=periods * self.seconds)


@dataclass(frozen=True)
class At:
    when: datetime  # aware

    def next_after(self, after: datetime, base: datetime) -> datetime | None:
        return self.when if self.when > after else None


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    dom: str
    months: frozenset[int]
    dow: str
    years: frozenset[int] | None
    tz: ZoneInfo | timezone

    def next_after(self, after: datetime, base: datetime) -> datetime | None:
        local = after.astimezone(self.tz)
        day = local.date()
        for _ in range(_SEARCH_DAYS):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
                        utc = candidate.astimezone(timezone.utc)
                        if utc > after:
                            return utc
            day += timedelta(days=1)
        return None

    def _day_matches(self, day: date) -> bool:
        if self.years is not None and day.year not in self.years:
            return False
        if day.month not in self.months:
            return False
        return _dom_matches(self.dom, day) and _dow_matches(self.dow, day)


Schedule = Rate | At | Cron


@lru_cache(maxsize=512)
def parse(expression: str, tz: str | None = None, *, allow_at: bool = False) -> Schedule:
    """The schedule of `expression` in time zone `tz` (cached); raises `ScheduleError`."""
    where = zone(tz)
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if value < 1 or (value == 1) != (not unit.endswith("s")):
            raise ScheduleError("invalid rate")
        return Rate(value * _UNIT[unit.rstrip("s")])
    at = _AT.match(text)
    if at and allow_at:
        return At(datetime.fromisoformat(at.group(1)).replace(tzinfo=where).astimezone(timezone.utc))
    cron = _CRON.match(text)
    if cron:
        return _parse_cron(cron.group(1).split(), where)
    raise ScheduleError("invalid expression")


def _parse_cron(fields: list[str], tz: ZoneInfo | timezone) -> Cron:
    if len(fields) != 6:
        raise ScheduleError("a cron expression has six fields")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ScheduleError("exactly one of day-of-month and day-of-week must be ?")
    _check_day_field(dom, 1, 31, {})
    _check_day_field(dow, 1, 7, _DAYS)
    return Cron(
        minutes=_values(minute, 0, 59), hours=_values(hour, 0, 23), dom=dom,
        months=_values(month, 1, 12, _MONTHS), dow=dow.upper(),
        years=None if year == "*" else _values(year, 1970, 2199), tz=tz,
    )


def _number(text: str, names: dict[str, int]) -> int:
    if text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise ScheduleError(f"bad value {text}")
    return int(text)


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    names = names or {}
    out: set[int] = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = _number(step_text, {})
            if step < 1:
                raise ScheduleError("bad step")
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _number(a, names), _number(b, names)
        else:
            start = _number(part, names)
            end = high if step > 1 else start
        if not (low <= start <= high and low <= end <= high):
            raise ScheduleError(f"value out of range in {field}")
        if end >= start:
            out.update(range(start, end + 1, step))
        else:  # wraps (FRI-MON)
            out.update(v for v in [*range(start, high + 1), *range(low, end + 1)][::step])
    return frozenset(out)


def _check_day_field(field: str, low: int, high: int, names: dict[str, int]) -> None:
    if field in ("?", "*", "L", "LW"):
        return
    special = re.fullmatch(r"(\w+)(L|W|#\d)", field.upper())
    if special and special.group(1) != "L":
        _values(special.group(1), low, high, names)
        return
    _values(field, low, high, names)


def _aws_weekday(day: date) -> int:
    """AWS numbers weekdays SUN=1 .. SAT=7."""
    return (day.weekday() + 1) % 7 + 1


def _dom_matches(field: str, day: date) -> bool:
    if field in ("?", "*"):
        return True
    last = calendar.monthrange(day.year, day.month)[1]
    if field == "L":
        return day.day == last
    if field == "LW":
        return day == _nearest_weekday(day.replace(day=last))
    if field.endswith("W"):
        target = min(int(field[:-1]), last)
        return day == _nearest_weekday(day.replace(day=target))
    return day.day in _values(field, 1, 31)


def _nearest_weekday(day: date) -> date:
    """The weekday nearest `day` within its month (the `W` rule)."""
    if day.weekday() == 5:
        return day - timedelta(days=1) if day.day > 1 else day + timedelta(days=2)
    if day.weekday() == 6:
        last = calendar.monthrange(day.year, day.month)[1]
        return day + timedelta(days=1) if day.day < last else day - timedelta(days=2)
    return day


def _dow_matches(field: str, day: date) -> bool:
    if field in ("?", "*"):
        return True
    weekday = _aws_weekday(day)
    if field == "L":
        return weekday == 7
    if "#" in field:
        name, nth = field.split("#", 1)
        return weekday == _number(name, _DAYS) and (day.day - 1) // 7 + 1 == int(nth)
    if field.endswith("L"):
        last = calendar.monthrange(day.year, day.month)[1]
        return weekday == _number(field[:-1], _DAYS) and day.day + 7 > last
    return weekday in _values(field, 1, 7, _DAYS)
