"""Reports that say what really happened: who registered, when, and who attended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from townhall.clock import Clock
from townhall.domain.principal import Principal
from townhall.services.events import owned_event
from townhall.storage.models import Event, Registrant, TicketType
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database


class ReportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def registrations(self, actor: Principal, event_id: str, since: datetime | None, until: datetime | None,
                      limit: int, after: tuple[str, str] | None) -> tuple[Event, dict[str, str], Page]:
        """Live registrations of the event (registered between `since` and `until`), with ticket type names."""
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            query = select(Registrant).where(Registrant.event_id == event_id, Registrant.cancelled_at.is_(None))
            if since is not None:
                query = query.where(Registrant.created_at >= since)
            if until is not None:
                query = query.where(Registrant.created_at <= until)
            page = keyset_page(session, query, Registrant.created_at, Registrant.id, limit, after)
            names = dict(session.execute(select(TicketType.id, TicketType.name).where(TicketType.event_id == event_id)).all())
        return event, names, page
