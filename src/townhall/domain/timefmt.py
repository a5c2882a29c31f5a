"""Times as people read them: in the event's own time zone, with its abbreviation."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


def _clock(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


@lru_cache(maxsize=1024)  # pure; every email of an event asks for the same one
def slot(start: datetime, end: datetime, tz_name: str) -> str:
    """'Monday, December 15, 2025, 2:00 PM – 3:30 PM EST' (end date repeated when it differs)."""
    tz = ZoneInfo(tz_name)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = local_start.strftime("%A, %B %-d, %Y")
    if local_end.date() == local_start.date():
        return f"{day}, {_clock(local_start)} – {_clock(local_end)} {local_end.tzname()}"
    end_day = local_end.strftime("%A, %B %-d, %Y")
    return f"{day}, {_clock(local_start)} {local_start.tzname()} – {end_day}, {_clock(local_end)} {local_end.tzname()}"


def moment(value: datetime, tz_name: str) -> str:
    local = value.astimezone(ZoneInfo(tz_name))
    return f"{local.strftime('%A, %B %-d, %Y')}, {_clock(local)} {local.tzname()}"
