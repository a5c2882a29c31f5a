"""The fields of an event: enums (accepted in any case), required fields and their normal form."""

from __future__ import annotations

from enum import Enum
from typing import Any

from townhall.domain.errors import FieldError, ValidationFailed
from townhall.domain.schedule import parse_utc, zone


class EventType(str, Enum):
    SIMPLE_EVENT = "SIMPLE_EVENT"
    CONFERENCE = "CONFERENCE"
    RECURRING = "RECURRING"


class MeetingType(str, Enum):
    MEETING = "MEETING"
    WEBINAR = "WEBINAR"


class AccessLevel(str, Enum):
    PRIVATE_UNRESTRICTED = "PRIVATE_UNRESTRICTED"
    PRIVATE_RESTRICTED = "PRIVATE_RESTRICTED"
    PUBLIC = "PUBLIC"


class AttendanceType(str, Enum):
    VIRTUAL = "virtual"
    IN_PERSON = "in-person"
    HYBRID = "hybrid"


CATEGORIES = (
    "Education & Family",
    "Business & Networking",
    "Entertainment & Visual Arts",
    "Food & Drink",
    "Fitness & Health",
    "Home & Lifestyle",
    "Community & Spirituality",
    "Other",
)

_ENUMS: dict[str, type[Enum]] = {
    "event_type": EventType,
    "meeting_type": MeetingType,
    "access_level": AccessLevel,
    "attendance_type": AttendanceType,
}
REQUIRED_ON_CREATE = ("name", "timezone", "event_type", "access_level", "hub_id", "attendance_type")
_TEXT_LIMITS = {"name": 200, "description": 10000, "contact_name": 200, "tagline": 500, "physical_location": 500}
_LISTS = {"categories": 20, "tags": 200, "blocked_countries": 200}


def parse_enum(kind: type[Enum], value: object) -> Enum | None:
    if not isinstance(value, str):
        return None
    folded = value.strip().lower().replace("_", "-") if kind is AttendanceType else value.strip().upper()
    for member in kind:
        if member.value.upper() == folded.upper():
            return member
    return None


# A session's flags and their defaults (conference sessions and a RECURRING event's occurrences).
SESSION_FLAGS = {"featured": False, "visible_in_landing_page": True, "featured_in_lobby": False, "visible_in_lobby": True,
                 "is_simulive": False, "chat_channel": False, "led_by_sponsor": False}


def normalize(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Check the simple fields of an event (not its calendar) and put them in normal form.

    Collects every problem into one ValidationFailed (Zoom's code 300 with an `errors` list)."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    if creating:
        for name in REQUIRED_ON_CREATE:
            if fields.get(name) in (None, ""):
                errors.append(FieldError(name, f"{name} is required."))
    for name, value in fields.items():
        if value is None:
            continue
        if name in _ENUMS:
            member = parse_enum(_ENUMS[name], value)
            if member is None:
                allowed = ", ".join(m.value for m in _ENUMS[name])
                errors.append(FieldError(name, f"Invalid value {value!r}; expected one of: {allowed}."))
            else:
                out[name] = member
        elif name == "timezone":
            if zone(value) is None:
                errors.append(FieldError(name, f"Unknown time zone {value!r}; use an IANA name such as America/New_York."))
            else:
                out[name] = value
        elif name in _TEXT_LIMITS:
            text = value.strip() if isinstance(value, str) else value
            if name == "name" and not text:
                errors.append(FieldError(name, "name must not be empty."))
            elif len(text) > _TEXT_LIMITS[name]:
                errors.append(FieldError(name, f"{name} is longer than {_TEXT_LIMITS[name]} characters."))
            else:
                out[name] = text
        elif name in _LISTS:
            if len(value) > _LISTS[name]:
                errors.append(FieldError(name, f"{name} holds at most {_LISTS[name]} items."))
            elif name == "categories" and (bad := [c for c in value if c not in CATEGORIES]):
                errors.append(FieldError(name, f"Unknown categories {bad}; expected some of: {', '.join(CATEGORIES)}."))
            elif name == "blocked_countries" and (bad := [c for c in value if len(c) != 2 or not c.isalpha()]):
                errors.append(FieldError(name, f"Country codes are two letters (ISO 3166-1); got {bad}."))
            else:
                out[name] = [c.upper() for c in value] if name == "blocked_countries" else list(value)
        elif name == "reminder_minutes":
            if not isinstance(value, list) or len(value) > 5 or not all(isinstance(m, int) and 1 <= m <= 43200 for m in value):
                errors.append(FieldError(name, "reminder_minutes is a list of at most 5 whole minutes before the start, each from 1 to 43200."))
            else:
                out[name] = sorted(set(value), reverse=True)
        elif name in ("lobby_start_time", "lobby_end_time"):
            moment = parse_utc(value)
            if moment is None:
                errors.append(FieldError(name, f"{name} must be a UTC time in the format yyyy-MM-ddTHH:mm:ssZ."))
            else:
                out[name] = moment
        else:
            out[name] = value
    if creating and out.get("event_type") is EventType.SIMPLE_EVENT and "meeting_type" not in out:
        if not any(e.field == "meeting_type" for e in errors):
            errors.append(FieldError("meeting_type", "meeting_type is required for a SIMPLE_EVENT (MEETING or WEBINAR)."))
    if errors:
        raise ValidationFailed(errors)
    return out
