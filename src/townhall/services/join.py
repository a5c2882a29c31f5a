"""Personal join links: where the person stands, and their attendance when the event is live."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import case, select, update

from townhall.clock import Clock
from townhall.domain.lifecycle import EventStatus, Phase
from townhall.services.events import phase_of
from townhall.storage.models import Event, Registrant
from townhall.storage.uow import Database


class JoinState(str, Enum):
    UNKNOWN = "unknown"  # no such link
    REVOKED = "revoked"  # the ticket was cancelled
    CANCELLED = "cancelled"  # the event was cancelled
    EARLY = "early"  # the lobby has not opened yet
    ADMITTED = "admitted"  # live: attendance recorded
    ENDED = "ended"


@dataclass(frozen=True)
class JoinResult:
    state: JoinState
    event: Event | None = None
    registrant: Registrant | None = None


class JoinService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock

    def join(self, token: str, *, record: bool = True) -> JoinResult:
        """One indexed read (token -> registrant and event) and, when live, one update by primary key."""
        if not token or len(token) > 64:
            return JoinResult(JoinState.UNKNOWN)
        with self._db.read() as session:
            row = session.execute(
                select(Registrant, Event).join(Event, Event.id == Registrant.event_id).where(Registrant.join_token == token)
            ).first()
        if row is None:
            return JoinResult(JoinState.UNKNOWN)
        registrant, event = row
        if registrant.cancelled_at is not None:
            return JoinResult(JoinState.REVOKED, event, registrant)
        if event.status == EventStatus.CANCELLED.value:
            return JoinResult(JoinState.CANCELLED, event, registrant)
        if event.status != EventStatus.PUBLISHED.value:
            return JoinResult(JoinState.UNKNOWN)
        now = self._clock.now()
        current = phase_of(event, now)
        if current is Phase.UPCOMING:
            return JoinResult(JoinState.EARLY, event, registrant)
        if current is Phase.COMPLETED:
            return JoinResult(JoinState.ENDED, event, registrant)
        if record:
            self._record(registrant.id, now)
        return JoinResult(JoinState.ADMITTED, event, registrant)

    def seen(self, token: str) -> bool:
        """A heartbeat from the room page: the attendee is still there."""
        now = self._clock.now()
        with self._db.write() as session:
            result = session.execute(
                update(Registrant).where(Registrant.join_token == token, Registrant.first_join_at.is_not(None), Registrant.cancelled_at.is_(None))
                .values(last_seen_at=now)
            )
        return bool(result.rowcount)

    def _record(self, registrant_id: str, now) -> None:  # type: ignore[no-untyped-def]
        with self._db.write() as session:
            session.execute(
                update(Registrant).where(Registrant.id == registrant_id).values(
                    first_join_at=case((Registrant.first_join_at.is_(None), now), else_=Registrant.first_join_at),
                    last_seen_at=now, join_count=Registrant.join_count + 1,
                )
            )
