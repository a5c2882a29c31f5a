"""Times on the wire (UTC `Z` timestamps), IANA time zones and an event's calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from townhall.domain.errors import (
    CalendarMissing,
    EndBeforeStart,
    FieldError,
    ScheduleTooLong,
    ValidationFailed,
)

MAX_CALENDAR_DAYS = 6
MAX_CALENDAR_ENTRIES = 6
# Zoom's wire format is yyyy-MM-ddTHH:mm:ssZ; JavaScript's toISOString() adds milliseconds.
_UTC = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,6})?Z$")


def parse_utc(value: object) -> datetime | None:
    """A UTC timestamp in Zoom's format, or None when the value is not one."""
    if not isinstance(value, str):
        return None
    match = _UTC.match(value.strip())
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def format_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def zone(name: object) -> ZoneInfo | None:
    """The IANA time zone of that name, or None when there is none."""
    if not isinstance(name, str) or not name or name != name.strip() or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def require_utc(value: object, field: str) -> datetime:
    moment = parse_utc(value)
    if moment is None:
        raise ValidationFailed.one(
            field, f"{field} must be a UTC time in the format yyyy-MM-ddTHH:mm:ssZ (got {value!r})."
        )
    return moment


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Calendar:
    slots: tuple[Slot, ...]

    @property
    def starts_at(self) -> datetime:
        return min(slot.start for slot in self.slots)

    @property
    def ends_at(self) -> datetime:
        return max(slot.end for slot in self.slots)

    def to_wire(self) -> list[dict[str, str | None]]:
        return [{"start_time": format_utc(s.start), "end_time": format_utc(s.end)} for s in self.slots]

    def shifted_to(self, new_start: datetime) -> "Calendar":
        delta = new_start - self.starts_at
        return Calendar(tuple(Slot(s.start + delta, s.end + delta) for s in self.slots))


def parse_calendar(raw: object) -> Calendar:
    """Zoom's rules: every entry needs UTC start and end (26204), end after start (26203),
    at most six entries and the whole schedule within six days (26202)."""
    if not isinstance(raw, list) or not raw:
        raise CalendarMissing()
    if len(raw) > MAX_CALENDAR_ENTRIES:
        raise ValidationFailed.one("calendar", f"calendar holds at most {MAX_CALENDAR_ENTRIES} entries.")
    slots = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("start_time") or not entry.get("end_time"):
            raise CalendarMissing()
        start, end = parse_utc(entry["start_time"]), parse_utc(entry["end_time"])
        if start is None or end is None:
            bad = entry["start_time"] if start is None else entry["end_time"]
            raise CalendarMissing(
                f"Calender must contains start_time and end_time. calendar[{index}]: times must be UTC "
                f"in the format yyyy-MM-ddTHH:mm:ssZ (got {bad!r})."
            )
        if end <= start:
            raise EndBeforeStart()
        slots.append(Slot(start, end))
    calendar = Calendar(tuple(sorted(slots, key=lambda s: s.start)))
    if calendar.ends_at - calendar.starts_at > timedelta(days=MAX_CALENDAR_DAYS):
        raise ScheduleTooLong()
    return calendar


def check_lobby(lobby_start: datetime | None, lobby_end: datetime | None, calendar: Calendar) -> None:
    errors = []
    if lobby_start is not None and lobby_start >= calendar.ends_at:
        errors.append(FieldError("lobby_start_time", "lobby_start_time must be before the event ends."))
    if lobby_start is not None and lobby_end is not None and lobby_end <= lobby_start:
        errors.append(FieldError("lobby_end_time", "lobby_end_time must be after lobby_start_time."))
    if errors:
        raise ValidationFailed(errors)
