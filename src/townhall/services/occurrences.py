"""A RECURRING event's occurrences: one session each, kept in step with the event's recurrence.

The first occurrence is the event's calendar slot; the others follow `recurrence`
(domain/recurrence.py) in the event's time zone. When the recurrence, the time or the name
changes, the n-th occurrence keeps the n-th session row (and with it the registrations and
attendance recorded for it); occurrences beyond the new end are removed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, select
from sqlalchemy.orm import Session

from townhall.domain import recurrence
from townhall.domain.errors import FieldError, ValidationFailed
from townhall.domain.event_fields import SESSION_FLAGS, EventType
from townhall.domain.ids import meeting_number, new_id
from townhall.domain.schedule import parse_utc
from townhall.storage.models import Event, EventSession, SessionReservation

# Built once: the join and mail hot paths ask them per batch, for the batch's recurring events only.
_sessions, _reservations = EventSession.__table__, SessionReservation.__table__
_OF_EVENTS = (select(_sessions.c.id, _sessions.c.event_id, _sessions.c.start_time, _sessions.c.end_time)
              .where(_sessions.c.event_id.in_(bindparam("ids", expanding=True))).order_by(_sessions.c.start_time))
_CHOSEN = select(_reservations.c.registrant_id, _reservations.c.session_id).where(
    _reservations.c.registrant_id.in_(bindparam("ids", expanding=True)))


def checked(event_type: EventType | None, raw: Any) -> dict[str, Any] | None:
    """The recurrence to store: required and checked for a RECURRING event, dropped for others
    (Zoom ignores it there). Stored as Zoom answers it."""
    if event_type is not EventType.RECURRING:
        return None
    if raw is None:
        raise ValidationFailed.one("recurrence", "recurrence is required for a RECURRING event.")
    return recurrence.parse(raw).to_wire()


def is_recurring(event: Any) -> bool:
    return event.event_type == EventType.RECURRING.value


def of_registrants(connection: Connection, events: dict[str, Any], registrants: list[Any]) -> dict[str, list[Row]]:
    """Each registrant's occurrences, in order, for those of RECURRING events: the ones they chose,
    or every one. Two queries for a whole batch, none when no event of the batch recurs."""
    recurring = [e.id for e in events.values() if is_recurring(e)]
    if not recurring:
        return {}
    by_event: dict[str, list[Row]] = {e: [] for e in recurring}
    for row in connection.execute(_OF_EVENTS, {"ids": recurring}):
        by_event[row.event_id].append(row)
    holders = [r for r in registrants if r.event_id in by_event]
    chosen: dict[str, set[str]] = {}
    for registrant_id, session_id in connection.execute(_CHOSEN, {"ids": [r.id for r in holders]}) if holders else ():
        chosen.setdefault(registrant_id, set()).add(session_id)
    return {r.id: [o for o in by_event[r.event_id] if r.id not in chosen or o.id in chosen[r.id]] for r in holders}


def sync(session: Session, event: Event, now: datetime) -> None:
    """Make the event's sessions its occurrences, and its start and end those of the series."""
    if not is_recurring(event):  # no longer recurring (a draft can change type): no occurrences
        session.execute(delete(EventSession).where(EventSession.event_id == event.id))
        return
    first = event.calendar[0]
    slots = recurrence.occurrences(recurrence.parse(event.recurrence), parse_utc(first["start_time"]), parse_utc(first["end_time"]),
                                   event.timezone)
    if not slots:
        raise ValidationFailed([FieldError("recurrence.end_date_time", "The recurrence ends before its first occurrence.")])
    rows = list(session.scalars(select(EventSession).where(EventSession.event_id == event.id)
                                .order_by(EventSession.start_time, EventSession.id)))
    kind = 0 if event.meeting_type == "MEETING" else 2
    for index, (begins, ends) in enumerate(slots):
        if index < len(rows):
            row = rows[index]
            row.start_time, row.end_time, row.name, row.timezone, row.type, row.updated_at = begins, ends, event.name, event.timezone, kind, now
        else:
            session.add(EventSession(
                id=new_id(), event_id=event.id, name=event.name, start_time=begins, end_time=ends, timezone=event.timezone,
                type=kind, meeting_number=meeting_number(), speakers=[], flags=dict(SESSION_FLAGS), labels={},
                allow_reservations=True, reservations_count=0, created_at=now, updated_at=now,
            ))
    for row in rows[len(slots):]:
        session.delete(row)
    event.start_time, event.end_time = slots[0][0], slots[-1][1]
