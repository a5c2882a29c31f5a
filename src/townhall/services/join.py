"""Personal join links: where the person stands, and their attendance when the event is live."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from psycopg import ClientCursor
from sqlalchemy import ARRAY, Connection, Row, String, any_, bindparam, select, update
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect

from townhall.clock import Clock
from townhall.domain.lifecycle import EventStatus, Phase
from townhall.services import occurrences, session_attendance
from townhall.services.events import phase_of
from townhall.services.session_attendance import DOORS_OPEN
from townhall.storage import bulk
from townhall.storage.batching import Batcher
from townhall.storage.models import Event, Registrant
from townhall.storage.uow import Database, connection_lost


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
    event: Row | None = None  # the events and registrants tables' rows
    registrant: Row | None = None
    occurrence: Row | None = None  # a RECURRING event's occurrence: the one admitted to, or the next


# Built once (see services/registration.py): Core statements, read-only rows.
_registrants, _events = Registrant.__table__, Event.__table__
# Only what a join and the room pages use: the answers (JSON) and the other times cost a join
# more to decode than the lookup itself.
_REGISTRANTS = select(*(_registrants.c[name] for name in (
    "id", "event_id", "ticket_type_id", "join_token", "email", "first_name", "last_name", "cancelled_at", "first_join_at",
))).where(_registrants.c.join_token.in_(bindparam("tokens", expanding=True)))
_EVENTS = select(_events).where(_events.c.id.in_(bindparam("ids", expanding=True)))
# PostgreSQL: the same reads with the batch's tokens as one array (a list rendered into an IN clause
# made a new text each batch, which SQLAlchemy and psycopg then worked through anew), sent together
# in one round trip on the driver (storage/bulk.py).
_TOKENS = bindparam("tokens", type_=ARRAY(String))
_PG_REGISTRANTS = bulk.DriverSelect(select(*_REGISTRANTS.selected_columns).where(_registrants.c.join_token == any_(_TOKENS)))
_PG_EVENTS = bulk.DriverSelect(select(_events).where(_events.c.id.in_(
    select(_registrants.c.event_id).where(_registrants.c.join_token == any_(_TOKENS)).scalar_subquery())))
# SQLite: the same reads on the driver too, one placeholder per token (storage/bulk.py).
_SQLITE_REGISTRANTS, _SQLITE_EVENTS = bulk.DriverSelect(_REGISTRANTS), bulk.DriverSelect(_EVENTS)
_SQLITE_ATTENDED = ("UPDATE registrants SET first_join_at = COALESCE(first_join_at, ?), last_seen_at = ?,"
                    " join_count = join_count + 1 WHERE id IN ({})")
_sqlite_dialect = sqlite_dialect()
_SQLITE_TIME = _registrants.c.first_join_at.type.dialect_impl(_sqlite_dialect).bind_processor(_sqlite_dialect)
_PG_ATTENDED = ("UPDATE registrants SET first_join_at = COALESCE(first_join_at, %(now)s), last_seen_at = %(now)s,"
                " join_count = join_count + 1 WHERE id = ANY(%(ids)s)")


class JoinService:
    """Joins are batched like registrations (group commit): one read for the tokens of a batch,
    one update for the attendance of everyone admitted, one commit."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db, self._clock = db, clock
        self._batcher: Batcher[str, JoinResult] = Batcher("townhall-join", self._join_batch, threaded=db.threaded_batches,
                                                      thread_setup=db.keep_connection_in_this_thread)

    def close(self) -> None:
        self._batcher.close()

    async def join_async(self, token: str) -> JoinResult:
        return await self._batcher.run(token)

    def join(self, token: str, *, record: bool = True) -> JoinResult:
        """Where this link's holder stands; when the event is live and `record`, attendance is noted."""
        if not record:
            with self._db.engine.connect() as connection:
                return self._states(connection, [token], self._clock.now())[0]
        return self._batcher.call(token)

    def _join_batch(self, tokens: list[str], again: bool = False) -> list[JoinResult]:
        """Who the links admit, then the attendance of those admitted, on Core connections (an
        ORM session to read and another to write cost a batch more than its statements).
        PostgreSQL: on the batch thread's own connection (storage/uow.py), the reads in one round
        trip and the attendance in another (one statement, its own transaction; with a RECURRING
        event's occurrences, one transaction for both writes). The reads lock nothing, so they need
        no transaction. SQLite: the reads first, without the write lock, so that links opened
        before the doors open never queue behind a registration rush's commits."""
        now = self._clock.now()
        if self._db.engine.dialect.name != "sqlite":
            try:
                with self._db.batch_connection() as connection:
                    results = self._states(connection, tokens, now)
                    _record(connection, results, now)
                return results
            except Exception as exc:
                if again or not connection_lost(exc):
                    raise
                # The database dropped the kept connection (a restart, a failover): once more, on a
                # fresh one.
                return self._join_batch(tokens, again=True)
        with self._db.engine.connect() as connection:
            results = self._states(connection, tokens, now)
        if any(r.state is JoinState.ADMITTED for r in results):
            with self._db.write_connection() as connection:
                _record(connection, results, now)
        return results

    def _states(self, connection: Connection, tokens: list[str], now) -> list[JoinResult]:  # type: ignore[no-untyped-def]
        valid = sorted({t for t in tokens if t and len(t) <= 64})
        found: dict[str, tuple[Row, Row]] = {}
        mine: dict[str, list[Row]] = {}
        if valid:
            registrants, events = _read(connection, valid)
            # A RECURRING event admits to the registrant's occurrences (those chosen, or all).
            mine = occurrences.of_registrants(connection, events, registrants)
            found = {r.join_token: (r, events[r.event_id]) for r in registrants if r.event_id in events}
        return [self._state(found.get(token), now, mine.get(found[token][0].id) if token in found else None) for token in tokens]

    @staticmethod
    def _state(row: tuple[Row, Row] | None, now, mine: list[Row] | None = None) -> JoinResult:  # type: ignore[no-untyped-def]
        if row is None:
            return JoinResult(JoinState.UNKNOWN)
        registrant, event = row
        if registrant.cancelled_at is not None:
            return JoinResult(JoinState.REVOKED, event, registrant)
        if event.status == EventStatus.CANCELLED.value:
            return JoinResult(JoinState.CANCELLED, event, registrant)
        if event.status != EventStatus.PUBLISHED.value:
            return JoinResult(JoinState.UNKNOWN)
        if mine is not None:  # the registrant's occurrences, in order: the open one, or the next
            for occurrence in mine:
                if now <= occurrence.end_time:
                    state = JoinState.ADMITTED if now >= occurrence.start_time - DOORS_OPEN else JoinState.EARLY
                    return JoinResult(state, event, registrant, occurrence)
            return JoinResult(JoinState.ENDED, event, registrant)
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


def _read(connection: Connection, tokens: list[str]) -> tuple[list[Row], dict[str, Row]]:
    """The registrants holding these tokens, and their events, read on the driver (SQLAlchemy's
    execution and its rows cost a join batch more than the queries). PostgreSQL: both in one round
    trip."""
    if connection.dialect.name == "postgresql":
        cursor = ClientCursor(connection.connection.driver_connection)
        params = {"tokens": tokens}
        cursor.execute(f"{_PG_REGISTRANTS.bind(connection, cursor, params)}; {_PG_EVENTS.bind(connection, cursor, params)}")
        registrants = _PG_REGISTRANTS.rows(connection, cursor)
        cursor.nextset()
        return registrants, {e.id: e for e in _PG_EVENTS.rows(connection, cursor)}
    registrants = _SQLITE_REGISTRANTS.all(connection, {"tokens": tokens})
    if not registrants:
        return registrants, {}
    return registrants, {e.id: e for e in _SQLITE_EVENTS.all(connection, {"ids": sorted({r.event_id for r in registrants})})}


def _record(connection: Connection, results: list[JoinResult], now) -> None:  # type: ignore[no-untyped-def]
    """The attendance of those admitted: one update, and for a RECURRING event's occurrences one upsert."""
    admitted = [r for r in results if r.state is JoinState.ADMITTED]
    if not admitted:
        return
    ids = sorted({r.registrant.id for r in admitted})
    in_occurrences = {(r.occurrence.id, r.registrant.id) for r in admitted if r.occurrence}
    if connection.dialect.name == "postgresql":
        # On the batch's connection, which commits each statement unless a BEGIN opened a
        # transaction (then committed when the batch's block ends, storage/uow.py).
        cursor = ClientCursor(connection.connection.driver_connection)
        update_text = cursor.mogrify(_PG_ATTENDED, {"ids": ids, "now": bulk.naive_utc(now)})
        cursor.execute(f"BEGIN; {update_text}" if in_occurrences else update_text)
    else:
        stored_now = _SQLITE_TIME(now)  # as the column stores it
        bulk.sqlite_driver(connection).execute(_SQLITE_ATTENDED.format(", ".join("?" * len(ids))), [stored_now, stored_now, *ids])
    if in_occurrences:
        session_attendance.record(connection, sorted(in_occurrences), now)
