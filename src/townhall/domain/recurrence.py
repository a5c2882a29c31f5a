"""Zoom's recurrence object: the occurrences of a RECURRING event, in its own time zone.

`type` 1 daily (every `repeat_interval` days, at most 90), 2 weekly (on `weekly_days`, 1 = Sunday
... 7 = Saturday, every `repeat_interval` weeks, at most 12), 3 monthly (on `monthly_days`, or in
`monthly_week` (1-4, -1 the last) on `monthly_week_day`, every `repeat_interval` months, at most 3);
it ends after `end_times` occurrences or at `end_date_time`; each lasts `duration` minutes (by
default as long as the first). Occurrences keep their local wall-clock time across daylight
saving changes, as a calendar does. Requests send `weekly_days` as an array, Zoom answers it as
a comma-separated string: `to_wire` does the same. Pure functions, no I/O."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from townhall.domain.errors import FieldError, ValidationFailed
from townhall.domain.schedule import format_utc, parse_utc

MAX_OCCURRENCES = 60
MAX_INTERVAL = {1: 90, 2: 12, 3: 3}


@dataclass(frozen=True)
class Recurrence:
    type: int
    repeat_interval: int
    weekly_days: tuple[int, ...] = ()
    monthly_days: tuple[int, ...] = ()
    monthly_week: int | None = None
    monthly_week_day: int | None = None
    end_times: int | None = None
    end_date_time: datetime | None = None
    duration: int | None = None  # minutes

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "repeat_interval": self.repeat_interval}
        if self.weekly_days:
            out["weekly_days"] = ",".join(str(d) for d in self.weekly_days)
        if self.monthly_days:
            out["monthly_days"] = self.monthly_days[0]  # answered as one integer, as Zoom does
        if self.monthly_week is not None:
            out["monthly_week"], out["monthly_week_day"] = self.monthly_week, self.monthly_week_day
        if self.end_times is not None:
            out["end_times"] = self.end_times
        if self.end_date_time is not None:
            out["end_date_time"] = format_utc(self.end_date_time)
        if self.duration is not None:
            out["duration"] = self.duration
        return out


def _int_list(value: Any, low: int, high: int) -> tuple[int, ...] | None:
    """An array of ints, or Zoom's own answer forms: a comma-separated string of them, or one int."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    elif isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not all(p.lstrip("-").isdigit() for p in parts):
            return None
        value = [int(p) for p in parts]
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value):
        return None
    return tuple(sorted(set(value)))


def parse(raw: Any) -> Recurrence:
    """The recurrence as given, checked; every problem reported beside its field."""
    if not isinstance(raw, dict):
        raise ValidationFailed.one("recurrence", "recurrence must be an object.")
    problems: list[FieldError] = []

    def integer(name: str) -> int | None:
        value = raw.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(FieldError(f"recurrence.{name}", f"{name} must be a whole number."))
            return None
        return value

    kind, interval = integer("type"), integer("repeat_interval")
    if kind not in (1, 2, 3):
        problems.append(FieldError("recurrence.type", "type must be 1 (daily), 2 (weekly) or 3 (monthly)."))
        kind = None
    if interval is None:
        interval = 1
    if kind is not None and not 1 <= interval <= MAX_INTERVAL[kind]:
        problems.append(FieldError("recurrence.repeat_interval", f"repeat_interval must be between 1 and {MAX_INTERVAL[kind]}."))
    weekly = monthly = ()
    week = week_day = None
    if kind == 2:
        weekly = _int_list(raw.get("weekly_days"), 1, 7) or ()
        if not weekly:
            problems.append(FieldError("recurrence.weekly_days", "weekly_days must list days of the week, 1 (Sunday) to 7 (Saturday)."))
    if kind == 3:
        if raw.get("monthly_days") is not None:
            monthly = _int_list(raw.get("monthly_days"), 1, 31) or ()
            if len(monthly) != 1:  # Zoom answers monthly_days as one integer: one day it is
                problems.append(FieldError("recurrence.monthly_days", "monthly_days must give one day of the month, 1 to 31."))
        else:
            week, week_day = integer("monthly_week"), integer("monthly_week_day")
            if week not in (-1, 1, 2, 3, 4) or week_day not in range(1, 8):
                problems.append(FieldError("recurrence.monthly_week", "A monthly recurrence needs monthly_days, or monthly_week (1-4, -1) and monthly_week_day (1-7)."))
    end_times = integer("end_times")
    end_at = None
    if raw.get("end_date_time") is not None:
        end_at = parse_utc(raw.get("end_date_time"))
        if end_at is None:
            problems.append(FieldError("recurrence.end_date_time", "end_date_time must be a UTC time, yyyy-MM-ddTHH:mm:ssZ."))
    if end_times is not None and not 1 <= end_times <= MAX_OCCURRENCES:
        problems.append(FieldError("recurrence.end_times", f"end_times must be between 1 and {MAX_OCCURRENCES}."))
    if end_times is None and end_at is None and not problems:
        problems.append(FieldError("recurrence.end_times", "Give end_times or end_date_time: when does it stop?"))
    duration = integer("duration")
    if duration is not None and not 1 <= duration <= 24 * 60:
        problems.append(FieldError("recurrence.duration", "duration must be between 1 and 1440 minutes."))
    if problems:
        raise ValidationFailed(problems)
    return Recurrence(kind, interval, weekly, monthly, week, week_day, end_times, end_at, duration)  # type: ignore[arg-type]


def _nth_weekday(year: int, month: int, week: int, zoom_day: int) -> date | None:
    """The `week`-th (or, for -1, the last) given weekday of the month; Zoom counts 1 = Sunday."""
    weekday = (zoom_day - 2) % 7  # Python: 0 = Monday
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    if week == -1:
        return date(year, month, days[-1])
    return date(year, month, days[week - 1]) if week <= len(days) else None


def _dates(rule: Recurrence, first: date) -> Any:
    """Candidate dates in order, from the first occurrence's date on (unbounded)."""
    if rule.type == 1:
        day = first
        while True:
            yield day
            day += timedelta(days=rule.repeat_interval)
    elif rule.type == 2:
        week_start = first - timedelta(days=(first.weekday() + 1) % 7)  # the Sunday of its week
        while True:
            for zoom_day in rule.weekly_days:
                day = week_start + timedelta(days=zoom_day - 1)
                if day >= first:
                    yield day
            week_start += timedelta(weeks=rule.repeat_interval)
    else:
        year, month = first.year, first.month
        while True:
            if rule.monthly_days:
                last = calendar.monthrange(year, month)[1]
                for d in rule.monthly_days:
                    if d <= last and date(year, month, d) >= first:
                        yield date(year, month, d)
            else:
                day = _nth_weekday(year, month, rule.monthly_week or 1, rule.monthly_week_day or 1)
                if day is not None and day >= first:
                    yield day
            month += rule.repeat_interval
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1


def occurrences(rule: Recurrence, first_start: datetime, first_end: datetime, tz_name: str) -> list[tuple[datetime, datetime]]:
    """(start, end) in UTC of each occurrence, the first one's local time of day kept on every date."""
    zone = ZoneInfo(tz_name)
    local = first_start.astimezone(zone)
    length = timedelta(minutes=rule.duration) if rule.duration else first_end - first_start
    clock_time = time(local.hour, local.minute, local.second)
    out: list[tuple[datetime, datetime]] = []
    for day in _dates(rule, local.date()):
        start = datetime.combine(day, clock_time, tzinfo=zone).astimezone(timezone.utc)
        if rule.end_date_time is not None and start > rule.end_date_time:
            break
        out.append((start, start + length))
        if len(out) >= (rule.end_times or MAX_OCCURRENCES):
            break
    return out
