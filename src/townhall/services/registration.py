"""Registering people for events, from the page and the API alike, with exact seat counts.

`register` reads as one use case; underneath, concurrent registrations are applied in batches
(group commit, storage/batching.py): one transaction locks each event concerned (SELECT ... FOR
UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite), checks everyone in the batch against the
counter rows, inserts the registrants and their confirmation emails (the outbox) together,
updates the counters and commits once. Who is registered already: on SQLite one query for the
batch's addresses; on PostgreSQL the insert itself skips them (ON CONFLICT on the address's live
registration) and counts only what it inserted, and the batch asks first only where that would
not do (people choosing sessions, or seats running out). Each request is answered only after
that commit, with its own outcome."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from psycopg import ClientCursor
from sqlalchemy import Connection, bindparam, insert, select, update

from townhall.clock import Clock
from townhall.domain import coediting
from townhall.domain import webhooks as zoom_webhooks
from townhall.domain import registration as rules
from townhall.domain.errors import (
    AlreadyRegistered,
    DomainError,
    EventNotFound,
    FieldError,
    InvalidAnswers,
    InvalidSessions,
    MissingRequiredFields,
    NonconfiguredFields,
    SoldOut,
    TicketNotFound,
    TicketTypeNotFound,
    ValidationFailed,
)
from townhall.domain.event_fields import EventType
from townhall.domain.ids import Mint, is_well_formed
from townhall.domain.lifecycle import Phase
from townhall.domain.principal import Principal
from townhall.services import webhooks
from townhall.services.events import owned_event, phase_of
from townhall.storage import bulk, outbox
from townhall.storage.batching import Batcher
from townhall.storage.models import (
    Event,
    EventSession,
    OutboxMessage,
    Registrant,
    SessionReservation,
    TicketType,
    WebhookSubscription,
)
from townhall.storage.uow import Database, connection_lost

log = logging.getLogger("townhall.registration")
TICKET_CREATED = "zoom_events.ticket_created"


@dataclass
class TicketRequest:
    email: Any
    answers: dict[str, Any] = field(default_factory=dict)  # first_name, last_name, other standard fields
    custom: list[dict[str, Any]] = field(default_factory=list)
    ticket_type_id: str | None = None
    external_ticket_id: str | None = None
    send_notification: bool = True
    session_ids: list[str] | None = None  # a RECURRING event's occurrences to attend; none: all of them


class Registered(NamedTuple):  # (a frozen dataclass took three times as long to make, once per registration)
    id: str
    email: str
    external_ticket_id: str | None
    join_token: str
    ticket_type_id: str


@dataclass
class Refusal:
    email: str
    error: DomainError


@dataclass
class _Job:
    event_id: str
    requests: list[TicketRequest]
    method: str
    source: str | None
    level: str
    account_id: str | None  # the API caller's account; None for the public page
    form: bool
    link: rules.AccessRules | None = None  # the rules of the access link the person came through


@dataclass
class _Checked:
    request: TicketRequest
    email: str
    email_normalized: str
    answers: rules.Answers
    ticket_type_id: str
    session_ids: tuple[str, ...] = ()


class _Catalog:
    """The batch's ticket types, and what checking people against them takes, worked out once per
    batch: each event's default type and phase, each type's questions and access rules."""

    def __init__(self, types: dict[str, Any], occurrences: dict[str, set[str]]) -> None:
        self.types, self.occurrences = types, occurrences
        self.default_types = {t.event_id: t.id for t in types.values() if t.is_default}
        self._questions: dict[str, rules.Questions] = {}
        self._access: dict[str, rules.AccessRules] = {}
        self._phases: dict[str, Phase] = {}

    def phase(self, event: Any, now: datetime) -> Phase:
        found = self._phases.get(event.id)
        if found is None:
            found = self._phases[event.id] = phase_of(event, now)
        return found

    def questions(self, event: Any, ticket_type: Any) -> rules.Questions:
        found = self._questions.get(ticket_type.id)
        if found is None:
            config = ticket_type.questions if ticket_type.questions is not None else event.questions
            found = self._questions[ticket_type.id] = rules.Questions(config)
        return found

    def access(self, event: Any, ticket_type: Any) -> rules.AccessRules:
        found = self._access.get(ticket_type.id)
        if found is None:
            found = self._access[ticket_type.id] = rules.AccessRules.of(event.access_level, ticket_type.visibility, event.blocked_countries)
        return found


@dataclass
class _Counts:
    """Seats taken in a batch: per event and per ticket type, from the locked rows onwards."""

    events: dict[str, int]
    types: dict[str, int]


Outcomes = list["Registered | Refusal"]


@dataclass
class _Placed:
    """A batch's seating: each job's outcomes, the rows to insert, and whether seats ran out."""

    counts: _Counts
    results: list[Outcomes | BaseException] = field(default_factory=list)
    registrants: list[dict[str, Any]] = field(default_factory=list)
    reservations: list[dict[str, Any]] = field(default_factory=list)
    short: bool = False  # someone was refused a seat


class RegistrationService:
    def __init__(self, db: Database, clock: Clock, mail_domain: str) -> None:
        self._db, self._clock, self._domain = db, clock, mail_domain
        # In a thread of its own on SQLite too: applied on the event loop, its batches (30-50 ms
        # under a rush) gave some requests waits of 0.5-0.9 s (worst p99 of ten 5,000-request
        # windows 561 ms); in a thread, at the same throughput, 213 ms (bench/README.md).
        # On PostgreSQL the thread keeps its connection from one batch to the next (storage/uow.py).
        self._batcher: Batcher[_Job, Outcomes] = Batcher("townhall-registration", self._apply, threaded=True,
                                                         thread_setup=db.keep_connection_in_this_thread)

    def register(self, event_id: str, requests: list[TicketRequest], *, method: str, source: str | None = None,
                 level: str = "standard", actor: Principal | None = None, form: bool = False) -> Outcomes:
        """One outcome per request, in order. Errors about the whole event or request are raised;
        on the page (`form=True`) a refusal of the one person is raised too."""
        return self._finish(self._batcher.call(self._job(event_id, requests, method, source, level, actor, form)), form)

    async def register_async(self, event_id: str, requests: list[TicketRequest], *, method: str, source: str | None = None,
                             level: str = "standard", actor: Principal | None = None, form: bool = False,
                             link: rules.AccessRules | None = None) -> Outcomes:
        job = self._job(event_id, requests, method, source, level, actor, form)
        job.link = link
        return self._finish(await self._batcher.run(job), form)

    def close(self) -> None:
        self._batcher.close()
        self._db.release_kept()

    @staticmethod
    def _job(event_id: str, requests: list[TicketRequest], method: str, source: str | None, level: str, actor: Principal | None, form: bool) -> _Job:
        return _Job(event_id, requests, method, source, level, actor.account_id if actor else None, form)

    @staticmethod
    def _finish(outcomes: Outcomes, form: bool) -> Outcomes:
        if form and isinstance(outcomes[0], Refusal):
            raise outcomes[0].error
        return outcomes

    # -- the batch: applied by the batcher, many jobs in one transaction -------------------------
    def _apply(self, jobs: list[_Job], again: bool = False) -> list[Outcomes | BaseException]:
        try:
            return self._apply_together(jobs)
        except Exception as exc:
            if connection_lost(exc) and not again:
                # The database dropped this thread's kept connection (a restart, a failover): the
                # batch once more, on a fresh one (storage/uow.py).
                log.warning("the database connection was lost during a batch of %d registrations; applying it again", len(jobs))
                return self._apply(jobs, again=True)
            if len(jobs) == 1:
                raise
            # Something failed the shared transaction: apply each job on its own, so that one
            # bad request cannot take the others down with it.
            log.exception("batch of %d registrations failed together; applying them one by one", len(jobs))
            results: list[Outcomes | BaseException] = []
            for job in jobs:
                try:
                    results.extend(self._apply_together([job]))
                except Exception as exc:
                    results.append(exc)
            return results

    def _apply_together(self, jobs: list[_Job]) -> list[Outcomes | BaseException]:
        now = self._clock.now()
        with self._db.batch_connection() as connection:
            event_ids = sorted({j.event_id for j in jobs if is_well_formed(j.event_id)})
            postgres = connection.dialect.name == "postgresql"
            if postgres:
                events, types = _read_together(connection, event_ids)
            else:
                events = _lock_events(connection, event_ids)
                types = _ticket_types(connection, list(events))
            catalog = _Catalog(types, _occurrences(connection, events, jobs))
            checked: list[list[_Checked | Refusal] | BaseException] = []
            for job in jobs:
                try:
                    checked.append(self._check_job(job, events.get(job.event_id), catalog, now))
                except DomainError as exc:
                    checked.append(exc)
            # Who holds a registration already: on PostgreSQL the insert finds them itself (ON
            # CONFLICT DO NOTHING, `_write`), so the batch asks only where rows naming its people
            # follow the insert (their chosen sessions), or seats run out (below).
            taken: set[tuple[str, str]] | None = None
            if not postgres or any(r.session_ids for j in jobs for r in j.requests):
                taken = _registered_emails(connection, _people(jobs, checked))
            placed = self._place(jobs, checked, events, types, taken or set(), now)
            if taken is None and placed.short:
                # Seats ran out in this batch, and someone given one may be registered already (the
                # insert would skip them): their seat may be another's. Ask, and place everyone again.
                taken = _registered_emails(connection, _people(jobs, checked))
                placed = self._place(jobs, checked, events, types, taken, now)
            hooks = _ticket_webhooks(connection, events, placed.registrants, now)
            inserted = self._write(connection, placed.counts, placed.registrants, now, hooks, commit=not placed.reservations)
            if placed.reservations:
                _reserve(connection, placed.reservations)
        return placed.results if inserted is None else _refuse_registered(placed.results, inserted)

    def _place(self, jobs: list[_Job], checked: list[list[_Checked | Refusal] | BaseException], events: dict[str, Any],
               types: dict[str, Any], taken: set[tuple[str, str]], now: datetime) -> _Placed:
        """Seats for the checked people, in order, against the locked counts (which stay as read)."""
        mint = Mint()
        counts = _Counts({e.id: e.registrants_count for e in events.values()}, {t.id: t.sold_quantity for t in types.values()})
        taken = set(taken)
        placed = _Placed(counts)
        for job, items in zip(jobs, checked):
            if isinstance(items, BaseException):
                placed.results.append(items)
                continue
            event = events[job.event_id]
            outcomes: Outcomes = []
            for item in items:
                if isinstance(item, Refusal):
                    outcomes.append(item)
                    continue
                try:
                    row = self._seat(event, types, counts, taken, item, job, now, mint)
                except SoldOut as exc:
                    placed.short = True
                    outcomes.append(Refusal(item.email, exc))
                    continue
                except DomainError as exc:
                    outcomes.append(Refusal(item.email, exc))
                    continue
                placed.registrants.append(row)
                placed.reservations += [{"session_id": s, "registrant_id": row["id"], "created_at": now} for s in item.session_ids]
                outcomes.append(Registered(row["id"], row["email"], row["external_ticket_id"], row["join_token"], row["ticket_type_id"]))
            placed.results.append(outcomes)
        return placed

    def _check_job(self, job: _Job, event: Any, catalog: _Catalog, now: datetime) -> list[_Checked | Refusal]:
        if event is None or (job.account_id is not None and event.account_id != job.account_id):
            raise EventNotFound()
        if job.account_id is None and event.status not in ("published", "cancelled"):
            raise EventNotFound()  # the public page never shows drafts
        rules.check_open(event.status, catalog.phase(event, now))
        items: list[_Checked | Refusal] = []
        for request in job.requests:
            try:
                items.append(self._check(event, catalog, request, job.level, job.form, now, job.link))
            except (NonconfiguredFields, MissingRequiredFields):
                raise
            except DomainError as error:
                if job.form:
                    raise
                items.append(Refusal(request.email.strip() if isinstance(request.email, str) else "", error))
        return items

    def _check(self, event: Any, catalog: _Catalog, request: TicketRequest, level: str, form: bool, now: datetime,
               link: rules.AccessRules | None = None) -> _Checked:
        """Every check of one person that needs no counts. Problems with their own answers come together."""
        type_id = request.ticket_type_id or catalog.default_types.get(event.id)
        ticket_type = catalog.types.get(type_id or "")
        if ticket_type is None or ticket_type.event_id != event.id:
            raise TicketTypeNotFound("A ticket type is required: the event has no default ticket type." if not type_id else None)
        rules.check_sale_window(now, ticket_type.sale_start, ticket_type.sale_end)
        problems: list[FieldError] = []
        email = normalized = ""
        try:
            email, normalized = rules.normalize_email(request.email)
        except ValidationFailed as exc:
            problems.extend(exc.errors)
        try:
            answers = catalog.questions(event, ticket_type).check(request.answers, request.custom, level, form=form)
        except InvalidAnswers as exc:
            problems.extend(exc.errors)
        chosen: tuple[str, ...] = ()
        occurrences = catalog.occurrences.get(event.id)
        if request.session_ids and occurrences is not None:  # only a RECURRING event's tickets name sessions
            chosen = tuple(dict.fromkeys(request.session_ids))
            if not set(chosen) <= occurrences:
                message = "session_ids must be sessions (occurrences) of this event."
                raise InvalidSessions([FieldError("session_ids", message)], message)
        if problems:
            raise (InvalidAnswers if form or len(problems) > 1 or problems[0].field != "email" else ValidationFailed)(problems)
        country = request.answers.get("country")
        catalog.access(event, ticket_type).check(normalized, country if isinstance(country, str) else None)
        if link is not None:
            link.check(normalized)
        return _Checked(request, email, normalized, answers, ticket_type.id, chosen)

    def _seat(self, event: Any, types: dict[str, Any], counts: _Counts, taken: set[tuple[str, str]], item: _Checked, job: _Job,
              now: datetime, mint: Mint) -> dict[str, Any]:
        """Take a seat for the person, or raise why not; counts change in memory, written once per batch."""
        if (event.id, item.email_normalized) in taken:
            raise AlreadyRegistered()
        type_id = item.ticket_type_id
        rules.check_seats(counts.events[event.id], rules.capacity(event.meeting_type), counts.types[type_id], types[type_id].quantity)
        counts.events[event.id] += 1
        counts.types[type_id] += 1
        taken.add((event.id, item.email_normalized))
        return {
            "id": mint.id(), "event_id": event.id, "ticket_type_id": type_id, "email": item.email,
            "email_normalized": item.email_normalized, "first_name": item.answers.first_name,
            "last_name": item.answers.last_name, "answers": item.answers.standard, "custom_answers": item.answers.custom,
            "external_ticket_id": item.request.external_ticket_id, "registration_source": job.source, "method": job.method,
            "send_notification": item.request.send_notification, "join_token": mint.token(),
            "created_at": now, "join_count": 0,
        }

    def _write(self, connection: Connection, counts: _Counts, registrants: list[dict[str, Any]], now: datetime,
               hooks: list[dict[str, Any]], commit: bool = False) -> set[str] | None:
        """Bulk inserts, then the counters, once each: all through the Core (no ORM bookkeeping).
        The outbox gets the confirmations (one row per event, storage/outbox.py) and the
        ticket_created webhooks (`hooks`) together.
        On PostgreSQL, one statement, which skips anyone registered already (the batch did not ask
        who is), counts what it inserted onto the locked counters, and returns the ids inserted;
        with `commit`, the COMMIT goes in the same round trip (the transaction's end then finds
        nothing left to commit). SQLite: the counts as placed; None."""
        if not registrants:
            return None
        confirmed: dict[str, list[str]] = {}
        for r in registrants:
            if r["send_notification"]:
                confirmed.setdefault(r["event_id"], []).append(r["id"])
        mails = [outbox.confirmations_row(event_id=event_id, registrant_ids=ids, domain=self._domain, now=now)
                 for event_id, ids in confirmed.items()] + hooks
        if connection.dialect.name == "postgresql":
            cursor = ClientCursor(connection.connection.driver_connection)
            cursor.execute(_PG_WRITE_COMMIT if commit else _PG_WRITE, {**_PG_REGISTRANTS.params(registrants), **_PG_MAILS.params(mails)})
            return {row[0] for row in cursor.fetchall()}
        _SQLITE_REGISTRANTS.execute(connection, registrants)
        _SQLITE_MAILS.execute(connection, mails)
        driver = bulk.sqlite_driver(connection)
        driver.executemany(_SQLITE_EVENT_COUNT, [(counts.events[e], e) for e in {r["event_id"] for r in registrants}])
        driver.executemany(_SQLITE_TYPE_COUNT, [(counts.types[t], t) for t in {r["ticket_type_id"] for r in registrants}])
        return None

    # -- one-off changes -------------------------------------------------------------------------
    def cancel_ticket(self, actor: Principal, event_id: str, ticket_id: str) -> None:
        """A cancelled ticket frees its seat and its join link stops working."""
        with self._db.write() as session:
            event = owned_event(session, actor, event_id, lock=True, need=coediting.REGISTRATION)
            registrant = session.get(Registrant, ticket_id) if is_well_formed(ticket_id) else None
            if registrant is None or registrant.event_id != event.id or registrant.cancelled_at is not None:
                raise TicketNotFound()
            registrant.cancelled_at = self._clock.now()
            event.registrants_count -= 1
            webhooks.emit(session, event.account_id, "zoom_events.ticket_deleted", zoom_webhooks.ticket_object(event, registrant),
                          registrant.cancelled_at)
            ticket_type = session.get(TicketType, registrant.ticket_type_id)
            if ticket_type is not None:
                ticket_type.sold_quantity -= 1

    def resend_confirmation(self, event_id: str, email: Any) -> bool:
        """Queue the confirmation again for a live registration; at most once every 10 minutes."""
        try:
            _, normalized = rules.normalize_email(email)
        except DomainError:
            return False
        now = self._clock.now()
        with self._db.write() as session:
            registrant = session.scalars(select(Registrant).where(
                Registrant.event_id == event_id, Registrant.email_normalized == normalized, Registrant.cancelled_at.is_(None),
            )).first()
            if registrant is None:
                return False
            if registrant.last_resent_at is not None and (now - registrant.last_resent_at).total_seconds() < 600:
                return True
            registrant.last_resent_at = now
            outbox.enqueue(session, kind="confirmation", event_id=event_id, registrant_id=registrant.id,
                           recipient=registrant.email, domain=self._domain, now=now, unique=True)
            return True


# The batch's statements, built once: building them per batch (coercing every value of an IN
# list, computing cache keys) cost as much as running them.
_events, _types, _registrants = Event.__table__, TicketType.__table__, Registrant.__table__
# Each event comes with whether its account has any live webhook subscription: most have none,
# and then the batch asks nothing more about webhooks.
_HOOKED = (select(WebhookSubscription.id).where(WebhookSubscription.account_id == _events.c.account_id,
                                                WebhookSubscription.disabled_at.is_(None)).exists().label("hooked"))
# One event at a time (a batch nearly always has one): a statement with a list of ids is rendered
# anew for each execution, one with a single id is not.
# Only the columns a batch uses (checks, seats, phase, ticket_created webhooks): the events and
# ticket types rows carry a dozen JSON and time columns more, which cost a decoding each, batch
# after batch.
_LOCK_EVENT = select(
    *(_events.c[name] for name in ("id", "account_id", "host_user_id", "status", "event_type", "meeting_type", "access_level",
                                   "start_time", "end_time", "lobby_start_time", "blocked_countries", "questions",
                                   "registrants_count")),
    _HOOKED,
).where(_events.c.id == bindparam("id")).with_for_update(of=_events)
_TICKET_TYPES = select(
    *(_types.c[name] for name in ("id", "event_id", "is_default", "quantity", "sold_quantity", "sale_start", "sale_end",
                                  "visibility", "questions")),
).where(_types.c.event_id == bindparam("id"))
# Asked as text, on the driver: a list of emails in a SQLAlchemy statement is rendered anew on
# each execution, which cost more than the query (PostgreSQL: 0.5 ms a batch, 0.16 ms of it the
# query). PostgreSQL takes the list as one array; SQLite as one placeholder per email.
_TAKEN_PG = "SELECT email_normalized, event_id FROM registrants WHERE email_normalized = ANY(%(emails)s) AND cancelled_at IS NULL"
_TAKEN_SQLITE = "SELECT email_normalized, event_id FROM registrants WHERE email_normalized IN ({}) AND cancelled_at IS NULL"
_DRIVER_LOCK_EVENT, _DRIVER_TICKET_TYPES = bulk.DriverSelect(_LOCK_EVENT), bulk.DriverSelect(_TICKET_TYPES)
_sessions = EventSession.__table__
_OCCURRENCES = select(_sessions.c.id, _sessions.c.event_id).where(_sessions.c.event_id.in_(bindparam("ids", expanding=True)))
_INSERT_RESERVATIONS = insert(SessionReservation.__table__)
_ADD_RESERVED = update(_sessions).where(_sessions.c.id == bindparam("row_id")).values(
    reservations_count=_sessions.c.reservations_count + bindparam("added"))
# The batch's writes: registrants, their confirmations (and webhooks) in the outbox, the two seat
# counters. On SQLite, through the driver's executemany (storage/bulk.py).
_REGISTRANT_COLUMNS = [
    "id", "event_id", "ticket_type_id", "email", "email_normalized", "first_name", "last_name", "answers", "custom_answers",
    "external_ticket_id", "registration_source", "method", "send_notification", "join_token", "created_at", "join_count"]
_SQLITE_REGISTRANTS = bulk.SqliteInsert(_registrants, _REGISTRANT_COLUMNS)
_SQLITE_MAILS = bulk.SqliteInsert(OutboxMessage.__table__, outbox.ROW_COLUMNS)
_SQLITE_EVENT_COUNT = "UPDATE events SET registrants_count = ? WHERE id = ?"
_SQLITE_TYPE_COUNT = "UPDATE ticket_types SET sold_quantity = ? WHERE id = ?"
# The same four writes on PostgreSQL, as one statement.
_PG_REGISTRANTS = bulk.JsonInsert(_registrants, _REGISTRANT_COLUMNS, "registrants")
_PG_MAILS = bulk.JsonInsert(OutboxMessage.__table__, list(outbox.ROW_COLUMNS), "mails")
# The registrants someone registered already (the live registration of an address for an event)
# are skipped, and the counters go up by what was inserted; the ids inserted come back. Their
# ticket_created webhooks go with them; a batch's confirmations name people by id, and those never
# inserted name no one (outbox.expand reads the registrants).
_PG_WRITE = bulk.chain([
    _PG_REGISTRANTS.sql + " ON CONFLICT (email_normalized, event_id) WHERE cancelled_at IS NULL DO NOTHING"
                          " RETURNING id, event_id, ticket_type_id",
    _PG_MAILS.sql + " WHERE t.registrant_id IS NULL OR t.registrant_id IN (SELECT id FROM s0)",
    "UPDATE events SET registrants_count = events.registrants_count + n.added"
    " FROM (SELECT event_id, count(*) AS added FROM s0 GROUP BY event_id) AS n WHERE events.id = n.event_id",
    "UPDATE ticket_types SET sold_quantity = ticket_types.sold_quantity + n.added"
    " FROM (SELECT ticket_type_id, count(*) AS added FROM s0 GROUP BY ticket_type_id) AS n WHERE ticket_types.id = n.ticket_type_id",
    "SELECT id FROM s0",
])
_PG_WRITE_COMMIT = _PG_WRITE + "; COMMIT"


def _occurrences(connection: Connection, events: dict[str, Any], jobs: list[_Job]) -> dict[str, set[str]]:
    """The occurrences of the batch's RECURRING events whose tickets name some: one query, and
    none at all in a batch that names no sessions (the rush)."""
    wanted = [e for e in {j.event_id for j in jobs if any(r.session_ids for r in j.requests)}
              if e in events and events[e].event_type == EventType.RECURRING.value]
    found: dict[str, set[str]] = {e: set() for e in wanted}
    if wanted:
        for session_id, event_id in connection.execute(_OCCURRENCES, {"ids": wanted}):
            found[event_id].add(session_id)
    return found


def _reserve(connection: Connection, reservations: list[dict[str, Any]]) -> None:
    """The chosen occurrences of the batch's new registrants, and the sessions' seat counters."""
    connection.execute(_INSERT_RESERVATIONS, reservations)
    added: dict[str, int] = {}
    for r in reservations:
        added[r["session_id"]] = added.get(r["session_id"], 0) + 1
    connection.execute(_ADD_RESERVED, [{"row_id": s, "added": n} for s, n in added.items()])


def _read_together(connection: Connection, event_ids: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """PostgreSQL: the batch's reads in its first round trip, as one text of several statements
    (bound client-side, sent by the simple query protocol): the transaction's BEGIN, the events
    locked in id order, and their ticket types."""
    cursor = ClientCursor(connection.connection.driver_connection)
    texts = ["BEGIN"]
    texts += [_DRIVER_LOCK_EVENT.bind(connection, cursor, {"id": event_id}) for event_id in event_ids]
    texts += [_DRIVER_TICKET_TYPES.bind(connection, cursor, {"id": event_id}) for event_id in event_ids]
    cursor.execute("; ".join(texts))
    events: dict[str, Any] = {}
    types: dict[str, Any] = {}
    for _ in event_ids:
        cursor.nextset()
        events.update((row.id, row) for row in _DRIVER_LOCK_EVENT.rows(connection, cursor))
    for _ in event_ids:
        cursor.nextset()
        types.update((row.id, row) for row in _DRIVER_TICKET_TYPES.rows(connection, cursor) if row.event_id in events)
    return events, types


def _lock_events(connection: Connection, event_ids: list[str]) -> dict[str, Any]:
    """The events of the batch, locked in id order (so that processes never deadlock). Core rows,
    read-only: the batch keeps its counts apart and writes them itself."""
    return {event.id: event for event_id in event_ids for event in _DRIVER_LOCK_EVENT.all(connection, {"id": event_id})}


def _ticket_types(connection: Connection, event_ids: list[str]) -> dict[str, Any]:
    return {t.id: t for event_id in event_ids for t in _DRIVER_TICKET_TYPES.all(connection, {"id": event_id})}


def _ticket_webhooks(connection: Connection, events: dict[str, Any], registrants: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """zoom_events.ticket_created for each new registrant, to the endpoints of its event's account
    that want it: one query per batch, whatever its size."""
    if not registrants or not any(events[r["event_id"]].hooked for r in registrants):
        return []
    endpoints = webhooks.subscribers(connection, {events[r["event_id"]].account_id for r in registrants}, TICKET_CREATED)
    rows: list[dict[str, Any]] = []
    for registrant in registrants if endpoints else ():
        event = events[registrant["event_id"]]
        if event.account_id in endpoints:
            rows += webhooks.rows_for(endpoints[event.account_id], TICKET_CREATED, event.account_id,
                                      zoom_webhooks.ticket_object(event, registrant), now)
    return rows


def _people(jobs: list[_Job], checked: list[list[_Checked | Refusal] | BaseException]) -> list[tuple[str, str]]:
    """(event, normalized email) of each person the checks let through."""
    return [(job.event_id, item.email_normalized) for job, items in zip(jobs, checked)
            if not isinstance(items, BaseException) for item in items if isinstance(item, _Checked)]


def _registered_emails(connection: Connection, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (event, normalized email) already hold a live registration, in one query for
    the batch. It asks by email alone, which only the (email, event) index answers, so it stays a
    lookup per email whatever the planner thinks of the event's size (asked for the event too,
    PostgreSQL without fresh statistics scanned every registrant of the event, batch after batch)."""
    if not pairs:
        return set()
    wanted = set(pairs)
    emails = sorted({email for _, email in pairs})
    if connection.dialect.name == "postgresql":
        rows = ClientCursor(connection.connection.driver_connection).execute(_TAKEN_PG, {"emails": emails}).fetchall()
    else:
        rows = bulk.sqlite_driver(connection).execute(_TAKEN_SQLITE.format(", ".join("?" * len(emails))), emails).fetchall()
    return {(event_id, email) for email, event_id in rows if (event_id, email) in wanted}


def _refuse_registered(results: list[Outcomes | BaseException], inserted: set[str]) -> list[Outcomes | BaseException]:
    """The outcomes once the insert has skipped those registered already: refused, as registered."""
    out: list[Outcomes | BaseException] = []
    for outcomes in results:
        if isinstance(outcomes, BaseException):
            out.append(outcomes)
            continue
        out.append([o if not isinstance(o, Registered) or o.id in inserted else Refusal(o.email, AlreadyRegistered()) for o in outcomes])
    return out
