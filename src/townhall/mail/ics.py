"""Calendar attachments: one VEVENT (a RECURRING event: one per occurrence) in the event's own time zone,
with its VTIMEZONE (so DST is right)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as VEvent, vCalAddress, vText


def event_calendar(*, uid: str, name: str, description: str, url: str, tz_name: str, start: datetime, end: datetime,
                   organizer: str, stamp: datetime, cancelled: bool = False, sequence: int = 0,
                   occurrences: tuple[tuple[str, datetime, datetime], ...] = ()) -> bytes:
    """The event, or, for a RECURRING event, each of the person's occurrences (uid, start, end)."""
    tz = ZoneInfo(tz_name)
    calendar = Calendar()
    calendar.add("prodid", "-//townhall//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    organizer_address = vCalAddress(f"MAILTO:{organizer}")
    organizer_address.params["cn"] = vText("townhall")
    for one_uid, one_start, one_end in occurrences or ((uid, start, end),):
        vevent = VEvent()
        vevent.add("uid", one_uid)
        vevent.add("dtstamp", stamp.astimezone(timezone.utc))
        vevent.add("dtstart", one_start.astimezone(tz))
        vevent.add("dtend", one_end.astimezone(tz))
        vevent.add("summary", name)
        vevent.add("description", f"{description}\n\nJoin: {url}".strip())
        vevent.add("url", url)
        vevent.add("location", url)
        vevent.add("sequence", sequence)
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        vevent.add("organizer", organizer_address)
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
