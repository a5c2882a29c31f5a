"""Wire times, time zones and the calendar rules with Zoom's codes."""

from datetime import datetime, timezone

import pytest

from townhall.domain.errors import CalendarMissing, EndBeforeStart, ScheduleTooLong, ValidationFailed
from townhall.domain.ids import is_well_formed, new_id
from townhall.domain.schedule import format_utc, parse_calendar, parse_utc, zone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-15T19:00:00Z", datetime(2025, 12, 15, 19, tzinfo=timezone.utc)),
        ("2025-12-15T19:00:00.000Z", datetime(2025, 12, 15, 19, tzinfo=timezone.utc)),  # JS toISOString()
        ("2025-12-15T14:00:00-05:00", None),
        ("2025-12-15T19:00:00", None),
        ("2025-13-15T19:00:00Z", None),
        ("tomorrow", None),
        (1734289200, None),
    ],
)
def test_parse_utc_accepts_only_utc_z(text, expected):
    assert parse_utc(text) == expected


def test_format_utc_round_trips():
    assert format_utc(parse_utc("2025-12-15T19:00:00Z")) == "2025-12-15T19:00:00Z"


@pytest.mark.parametrize("name", ["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata"])
def test_known_zones(name):
    assert zone(name) is not None


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "EST5EDT/../../etc/passwd", "/etc/localtime", " UTC", 5])
def test_unknown_zones(name):
    assert zone(name) is None


def test_calendar_orders_slots_and_derives_bounds():
    cal = parse_calendar([
        {"start_time": "2026-07-02T15:00:00Z", "end_time": "2026-07-02T16:00:00Z"},
        {"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:00:00Z"},
    ])
    assert format_utc(cal.starts_at) == "2026-07-01T15:00:00Z"
    assert format_utc(cal.ends_at) == "2026-07-02T16:00:00Z"


@pytest.mark.parametrize(
    ("calendar", "error"),
    [
        (None, CalendarMissing),
        ([], CalendarMissing),
        ([{"start_time": "2026-07-01T15:00:00Z"}], CalendarMissing),
        ([{"start_time": "2026-07-01T15:00:00+02:00", "end_time": "2026-07-01T16:00:00Z"}], CalendarMissing),
        ([{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T15:00:00Z"}], EndBeforeStart),
        ([{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T14:00:00Z"}], EndBeforeStart),
        ([{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-07T15:00:01Z"}], ScheduleTooLong),
        ([{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-01T16:00:00Z"}] * 7, ValidationFailed),
    ],
)
def test_calendar_rules(calendar, error):
    with pytest.raises(error):
        parse_calendar(calendar)


def test_six_days_exactly_is_allowed():
    parse_calendar([{"start_time": "2026-07-01T15:00:00Z", "end_time": "2026-07-07T15:00:00Z"}])


def test_ids_look_like_zooms():
    value = new_id()
    assert len(value) == 22 and is_well_formed(value)
    assert not is_well_formed("not an id") and not is_well_formed(value + "x")
