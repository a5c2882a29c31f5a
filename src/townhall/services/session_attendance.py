"""Who was in which session of a conference: registrants who opened it from the event's room, and
those checked in to it on site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain.errors import EventNotPublished
from townhall.domain.lifecycle import EventStatus
from townhall.domain.principal import Principal
from townhall.services.checkins import ON_SITE, Refused, checked_attendees
from townhall.services.events import owned_event
from townhall.services.sessions import session_of
from townhall.storage.models import Event, EventSession, Registrant, SessionAttendance, TicketType
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

DOORS_OPEN = timedelta(minutes=10)  # a session's room opens this long before it starts


@dataclass(frozen=True)
class Entry:
    """What opening a session from the event room came to."""

    state: str  # "in" | "early" | "over"
    session: EventSession


class SessionAttendanceService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def enter(self, event: Event, registrant: Any, session_id: str) -> Entry | None:
        """The registrant (admitted to the live event) opens one of its sessions: while the
        session's doors are open their attendance is recorded. None: no such session."""
        now = self._clock.now()
        with self._db.write() as session:
            try:
                row = session_of(session, event.id, session_id)
            except Exception:
                return None
            if now < row.start_time - DOORS_OPEN:
                return Entry("early", row)
            if now > row.end_time:
                return Entry("over", row)
            record(session, [(row.id, registrant.id)], now)
            return Entry("in", row)

    def attendees(self, actor: Principal, event_id: str, session_id: str, limit: int, after: tuple[str, str] | None,
                  *, everyone: bool = False) -> tuple[Event, EventSession, Page, dict[str, SessionAttendance], dict[str, str]]:
        """Those who were in the session (or, for the report, every live registrant of the event)."""
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            row = session_of(session, event.id, session_id)
            query = select(Registrant).where(Registrant.event_id == event.id, Registrant.cancelled_at.is_(None))
            if not everyone:
                query = query.join(SessionAttendance, SessionAttendance.registrant_id == Registrant.id).where(
                    SessionAttendance.session_id == row.id, SessionAttendance.first_join_at.is_not(None))
            page = keyset_page(session, query, Registrant.created_at, Registrant.id, limit, after)
            seen = {a.registrant_id: a for a in session.scalars(select(SessionAttendance).where(
                SessionAttendance.session_id == row.id, SessionAttendance.registrant_id.in_([r.id for r in page.items])))}
            names = dict(session.execute(select(TicketType.id, TicketType.name).where(TicketType.event_id == event.id)).all())
        return event, row, page, seen, names

    def check_in(self, actor: Principal, event_id: str, session_id: str, attendees: Any, source: Any) -> list[Refused]:
        wanted = checked_attendees(attendees, source)
        now = self._clock.now()
        refused: list[Refused] = []
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, need=coediting.REGISTRATION)
            row = session_of(session, event.id, session_id)
            if event.status != EventStatus.PUBLISHED.value:
                raise EventNotPublished("Attendees can be checked in to a published event only.")
            found = _registrants(session, event.id, [normalized for _, normalized in wanted])
            types = {t.id: t.attendance_type for t in session.scalars(select(TicketType).where(TicketType.event_id == event.id))}
            for email, normalized in wanted:
                registrant = found.get(normalized)
                if registrant is None:
                    refused.append(Refused(email, "No registration for this email address."))
                elif (row.attendance_type or types.get(registrant.ticket_type_id) or event.attendance_type) not in ON_SITE:
                    refused.append(Refused(email, "User doesn't have an on-site ticket."))
                else:
                    seen = session.get(SessionAttendance, (row.id, registrant.id), with_for_update=True)
                    if seen is None:
                        session.add(SessionAttendance(session_id=row.id, registrant_id=registrant.id, first_join_at=now,
                                                      last_seen_at=now, join_count=0, checked_in_at=now, check_in_source=source))
                    elif seen.checked_in_at is None:
                        seen.checked_in_at, seen.check_in_source = now, source
                        seen.first_join_at = seen.first_join_at or now
        return refused

    def check_ins(self, actor: Principal, event_id: str, session_id: str, email: str | None, limit: int,
                  after: tuple[str, str] | None) -> tuple[Page, dict[str, SessionAttendance]]:
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            row = session_of(session, event.id, session_id)
            query = select(Registrant).join(SessionAttendance, SessionAttendance.registrant_id == Registrant.id).where(
                SessionAttendance.session_id == row.id, SessionAttendance.checked_in_at.is_not(None))
            if email:
                query = query.where(Registrant.email_normalized == email.strip().lower())
            page = keyset_page(session, query, Registrant.created_at, Registrant.id, limit, after)
            seen = {a.registrant_id: a for a in session.scalars(select(SessionAttendance).where(
                SessionAttendance.session_id == row.id, SessionAttendance.registrant_id.in_([r.id for r in page.items])))}
        return page, seen


def record(session: Session | Connection, pairs: list[tuple[str, str]], now: datetime) -> None:
    """(session, registrant) pairs joined now: first join kept, last seen and join count moved on,
    in one statement (an upsert, so that concurrent joins from several processes do not collide)."""
    table = SessionAttendance.__table__
    connection = session if isinstance(session, Connection) else session.connection()
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)
    statement = insert.values([
        {"session_id": s, "registrant_id": r, "first_join_at": now, "last_seen_at": now, "join_count": 1} for s, r in pairs
    ]).on_conflict_do_update(index_elements=["session_id", "registrant_id"], set_={
        "first_join_at": func.coalesce(table.c.first_join_at, insert.excluded.first_join_at),
        "last_seen_at": insert.excluded.last_seen_at, "join_count": table.c.join_count + 1,
    })
    session.execute(statement)


def minutes_in(seen: SessionAttendance | None, row: EventSession, now: datetime) -> int:
    """Minutes between first joining and last being seen, within the session's own time."""
    if seen is None or seen.first_join_at is None:
        return 0
    end = min(seen.last_seen_at or seen.first_join_at, row.end_time, now)
    return max(int((end - max(seen.first_join_at, row.start_time)).total_seconds() // 60), 0)


def _registrants(session: Session, event_id: str, emails: list[str]) -> dict[str, Registrant]:
    return {r.email_normalized: r for r in session.scalars(select(Registrant).where(
        Registrant.event_id == event_id, Registrant.cancelled_at.is_(None), Registrant.email_normalized.in_(emails)))}
