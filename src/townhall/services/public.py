"""What anyone may see without signing in: published and cancelled events, never drafts."""

from __future__ import annotations

from sqlalchemy import select

from townhall.domain.ids import is_well_formed
from townhall.domain.lifecycle import EventStatus
from townhall.services.sessions import agenda, speaker_names
from townhall.services.speakers import public_speakers
from townhall.storage.models import Event, EventSession, Registrant, Speaker, TicketType
from townhall.storage.uow import Database

_VISIBLE = (EventStatus.PUBLISHED.value, EventStatus.CANCELLED.value)


class PublicService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def visible_event(self, event_id: str) -> Event | None:
        if not is_well_formed(event_id):
            return None
        with self._db.read() as session:
            event = session.get(Event, event_id)
        return event if event is not None and event.status in _VISIBLE else None

    def ticket_types(self, event_id: str) -> list[TicketType]:
        with self._db.read() as session:
            return list(session.scalars(select(TicketType).where(TicketType.event_id == event_id).order_by(TicketType.created_at, TicketType.id)))

    def speakers(self, event_id: str) -> list[Speaker]:
        """Those shown on the event's page, featured first."""
        with self._db.read() as session:
            return public_speakers(session, event_id)

    def agenda(self, event_id: str) -> list[tuple[EventSession, list[str]]]:
        """The sessions shown on the event's page, in order, each with its speakers' names."""
        with self._db.read() as session:
            names = speaker_names(session, event_id)
            return [(row, [names[s["speaker_id"]] for s in row.speakers if s["speaker_id"] in names and s.get("show_in_session_detail", True)])
                    for row in agenda(session, event_id)]

    def registration(self, event_id: str, registrant_id: str) -> tuple[Event, Registrant] | None:
        with self._db.read() as session:
            registrant = session.get(Registrant, registrant_id)
            if registrant is None or registrant.event_id != event_id or registrant.cancelled_at is not None:
                return None
            return session.get(Event, event_id), registrant
