"""What anyone may see without signing in: published and cancelled events, never drafts."""

from __future__ import annotations

from townhall.domain.ids import is_well_formed
from townhall.domain.lifecycle import EventStatus
from townhall.storage.models import Event
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
