"""Chat in a live event's room (the lobby chat) and in its sessions, kept for the transcripts report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from townhall.clock import Clock
from townhall.domain.errors import ValidationFailed
from townhall.domain.ids import new_id
from townhall.domain.principal import Principal
from townhall.services.events import owned_event
from townhall.storage.models import ChatMessage, Event, EventSession
from townhall.storage.paging import Page, keyset_page
from townhall.storage.uow import Database

MAX_LENGTH = 2000
SHOWN = 50  # the latest messages a room shows


@dataclass(frozen=True)
class Message:
    id: str
    sender: str
    message: str
    at: datetime


class ChatService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def post(self, event: Event, registrant, session_id: str | None, text: object) -> Message:  # type: ignore[no-untyped-def]
        """A registrant admitted to the live event says something in its room or in one of its sessions."""
        message = text.strip() if isinstance(text, str) else ""
        if not message:
            raise ValidationFailed.one("message", "Write a message first.")
        if len(message) > MAX_LENGTH:
            raise ValidationFailed.one("message", f"A message is at most {MAX_LENGTH} characters.")
        name = " ".join(p for p in (registrant.first_name, registrant.last_name) if p) or registrant.email
        row = ChatMessage(id=new_id(), event_id=event.id, session_id=session_id, registrant_id=registrant.id, sender_name=name,
                          sender_email=registrant.email, message=message, created_at=self._clock.now())
        with self._db.write() as session:
            if session_id is not None:
                found = session.get(EventSession, session_id)
                if found is None or found.event_id != event.id:
                    raise ValidationFailed.one("session_id", "No such session in this event.")
            session.add(row)
        return Message(row.id, name, message, row.created_at)

    def latest(self, event_id: str, session_id: str | None, after: str | None = None) -> list[Message]:
        """The room's latest messages, oldest first; with `after` (a message id), only the newer ones."""
        with self._db.read() as session:
            query = select(ChatMessage).where(ChatMessage.event_id == event_id, ChatMessage.session_id.is_(None) if session_id is None
                                              else ChatMessage.session_id == session_id)
            if after:
                mark = session.get(ChatMessage, after)
                if mark is not None:
                    query = query.where((ChatMessage.created_at > mark.created_at)
                                        | ((ChatMessage.created_at == mark.created_at) & (ChatMessage.id > mark.id)))
            rows = list(session.scalars(query.order_by(ChatMessage.created_at.desc(), ChatMessage.id.desc()).limit(SHOWN)))
        return [Message(r.id, r.sender_name, r.message, r.created_at) for r in reversed(rows)]

    def transcripts(self, actor: Principal, event_id: str, limit: int, after: tuple[str, str] | None) -> tuple[Event, dict[str, str], Page]:
        """Every message of the event, oldest first, with the names of its sessions."""
        with self._db.read() as session:
            event = owned_event(session, actor, event_id)
            page = keyset_page(session, select(ChatMessage).where(ChatMessage.event_id == event.id), ChatMessage.created_at, ChatMessage.id, limit, after)
            names = dict(session.execute(select(EventSession.id, EventSession.name).where(EventSession.event_id == event.id)).all())
        return event, names, page
