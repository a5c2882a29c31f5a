"""Calendar attachments: one VEVENT in the event's own time zone, with its VTIMEZONE (so DST is right)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event as VEvent, vCalAddress, vText


def event_calendar(*, uid: str, name: str, description: str, url: str, tz_name: str, start: datetime, end: datetime,
                   organizer: str, stamp: datetime, cancelled: bool = False, sequence: int = 0) -> bytes:
    tz = ZoneInfo(tz_name)
    calendar = Calendar()
    calendar.add("prodid", "-//townhall//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp.astimezone(timezone.utc))
    vevent.add("dtstart", start.astimezone(tz))
    vevent.add("dtend", end.astimezone(tz))
    vevent.add("summary", name)
    vevent.add("description", f"{description}\n\nJoin: {url}".strip())
    vevent.add("url", url)
    vevent.add("location", url)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer_address = vCalAddress(f"MAILTO:{organizer}")
    organizer_address.params["cn"] = vText("townhall")
    vevent.add("organizer", organizer_address)
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()
