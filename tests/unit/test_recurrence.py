"""Zoom's recurrence object: occurrences in the event's time zone, ends by count or date."""

from datetime import datetime, timezone

import pytest

from townhall.domain.errors import ValidationFailed
from townhall.domain.recurrence import occurrences, parse


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def _starts(raw, start, end, tz="America/New_York"):
    return [s.strftime("%Y-%m-%dT%H:%MZ") for s, _ in occurrences(parse(raw), start, end, tz)]


def test_daily_every_other_day_keeps_local_time_across_daylight_saving():
    # 10:00 in New York on 2026-03-06 (EST), every 2 days, 3 times: the third is after the switch to EDT.
    starts = _starts({"type": 1, "repeat_interval": 2, "end_times": 3}, utc(2026, 3, 6, 15), utc(2026, 3, 6, 16))
    assert starts == ["2026-03-06T15:00Z", "2026-03-08T14:00Z", "2026-03-10T14:00Z"]


def test_weekly_on_days_until_a_date():
    # Monday 2026-07-06 09:00 UTC; Mondays and Thursdays (2 and 5), weekly, until 2026-07-20 09:00.
    raw = {"type": 2, "repeat_interval": 1, "weekly_days": [5, 2], "end_date_time": "2026-07-20T09:00:00Z"}
    assert _starts(raw, utc(2026, 7, 6, 9), utc(2026, 7, 6, 10), "UTC") == [
        "2026-07-06T09:00Z", "2026-07-09T09:00Z", "2026-07-13T09:00Z", "2026-07-16T09:00Z", "2026-07-20T09:00Z"]
    # Zoom answers weekly_days as a string; it is taken back as given.
    assert parse({**raw, "weekly_days": "2,5"}).weekly_days == (2, 5)
    assert parse(raw).to_wire()["weekly_days"] == "2,5"


def test_monthly_by_day_and_by_week():
    by_day = {"type": 3, "repeat_interval": 1, "monthly_days": [31], "end_times": 3}
    assert _starts(by_day, utc(2026, 1, 31, 12), utc(2026, 1, 31, 13), "UTC") == [
        "2026-01-31T12:00Z", "2026-03-31T12:00Z", "2026-05-31T12:00Z"]  # months without a 31st are skipped
    last_friday = {"type": 3, "repeat_interval": 1, "monthly_week": -1, "monthly_week_day": 6, "end_times": 2, "duration": 45}
    got = occurrences(parse(last_friday), utc(2026, 7, 31, 17), utc(2026, 7, 31, 18), "UTC")
    assert [(s.day, s.month, (e - s).seconds // 60) for s, e in got] == [(31, 7, 45), (28, 8, 45)]


@pytest.mark.parametrize("raw, field", [
    ({"type": 4, "end_times": 2}, "recurrence.type"),
    ({"type": 1, "repeat_interval": 91, "end_times": 2}, "recurrence.repeat_interval"),
    ({"type": 2, "weekly_days": [0, 8], "end_times": 2}, "recurrence.weekly_days"),
    ({"type": 3, "monthly_week": 5, "monthly_week_day": 1, "end_times": 2}, "recurrence.monthly_week"),
    ({"type": 1}, "recurrence.end_times"),
    ({"type": 1, "end_times": 61}, "recurrence.end_times"),
    ({"type": 1, "end_date_time": "soon"}, "recurrence.end_date_time"),
])
def test_bad_recurrences_say_which_field(raw, field):
    with pytest.raises(ValidationFailed) as info:
        parse(raw)
    assert field in [e.field for e in info.value.errors]
