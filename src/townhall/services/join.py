"""Personal join links: where the person stands, and their attendance when the event is live."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import case, select, update

from townhall.clock import Clock
from townhall.domain.lifecycle import EventStatus, Phase
from townhall.services.events import phase_of
from townhall.storage.batching import Batcher
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
    """Joins are batched like registrations (group commit): one read for the tokens of a batch,
    one update for the attendance of everyone admitted, one commit."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock
        self._batcher: Batcher[str, JoinResult] = Batcher("townhall-join", self._join_batch)

    async def join_async(self, token: str) -> JoinResult:
        return await self._batcher.run(token)

    def join(self, token: str, *, record: bool = True) -> JoinResult:
        """Where this link's holder stands; when the event is live and `record`, attendance is noted."""
        if not record:
            return self._states([token], self._clock.now())[0]
        return self._batcher.call(token)

    def _join_batch(self, tokens: list[str]) -> list[JoinResult]:
        now = self._clock.now()
        results = self._states(tokens, now)
        admitted = list({r.registrant.id for r in results if r.state is JoinState.ADMITTED})
        if admitted:
            with self._db.write() as session:
                session.execute(
                    update(Registrant).where(Registrant.id.in_(admitted)).values(
                        first_join_at=case((Registrant.first_join_at.is_(None), now), else_=Registrant.first_join_at),
                        last_seen_at=now, join_count=Registrant.join_count + 1,
                    )
                )
        return results

    def _states(self, tokens: list[str], now) -> list[JoinResult]:  # type: ignore[no-untyped-def]
        valid = {t for t in tokens if t and len(t) <= 64}
        found: dict[str, tuple[Registrant, Event]] = {}
        if valid:
            with self._db.read() as session:
                rows = session.execute(
                    select(Registrant, Event).join(Event, Event.id == Registrant.event_id).where(Registrant.join_token.in_(valid))
                ).all()
            found = {registrant.join_token: (registrant, event) for registrant, event in rows}
        return [self._state(found.get(token), now) for token in tokens]

    @staticmethod
    def _state(row: tuple[Registrant, Event] | None, now) -> JoinResult:  # type: ignore[no-untyped-def]
        if row is None:
            return JoinResult(JoinState.UNKNOWN)
        registrant, event = row
        if registrant.cancelled_at is not None:
            return JoinResult(JoinState.REVOKED, event, registrant)
        if event.status == EventStatus.CANCELLED.value:
            return JoinResult(JoinState.CANCELLED, event, registrant)
        if event.status != EventStatus.PUBLISHED.value:
            return JoinResult(JoinState.UNKNOWN)
        current = phase_of(event, now)
        if current is Phase.UPCOMING:
            return JoinResult(JoinState.EARLY, event, registrant)
        if current is Phase.COMPLETED:
            return JoinResult(JoinState.ENDED, event, registrant)
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
