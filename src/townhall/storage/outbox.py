"""The outbox: emails written with the change that causes them, claimed and settled by workers.

Claims are leases: a worker that dies mid-send leaves rows that another worker takes over when
the lease runs out. Message-IDs are fixed when a row is written, so a message that had to be
sent again is recognisably the same message.

A registration batch writes its people's confirmations as one row (`confirmations_row`, kind
"confirmations", listing them): a row per person cost the batch more than anything else it
writes. Workers turn such rows into one confirmation row per person (`expand`, inside `claim`),
with the Message-IDs those rows would have had from the start; the unique Message-ID makes doing
it twice harmless, and the row is deleted in the same transaction."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Row, Select, and_, delete, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from townhall.storage.models import OutboxMessage, Registrant, SessionReservation

LEASE = timedelta(minutes=5)


def message_id(kind: str, registrant_id: str, domain: str, unique: bool = False) -> str:
    suffix = f".{secrets.token_hex(6)}" if unique else ""
    return f"<{kind}.{registrant_id}{suffix}@{domain}>"


ROW_COLUMNS = ("kind", "event_id", "registrant_id", "recipient", "message_id", "params", "status", "attempts", "next_attempt_at", "created_at")


def row(*, kind: str, event_id: str, registrant_id: str, recipient: str, domain: str, now: datetime, unique: bool = False, params: dict | None = None) -> dict:
    """The values of one outbox row, for a bulk insert."""
    return {
        "kind": kind, "event_id": event_id, "registrant_id": registrant_id, "recipient": recipient,
        "message_id": message_id(kind, registrant_id, domain, unique), "params": params or {},
        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
    }


CONFIRMATIONS = "confirmations"  # a registration batch's confirmations, until a worker expands them


def confirmations_row(*, event_id: str, registrant_ids: list[str], domain: str, now: datetime) -> dict:
    """One row for the confirmations of these registrants of one event, for a bulk insert."""
    return {
        "kind": CONFIRMATIONS, "event_id": event_id, "registrant_id": None, "recipient": "",
        "message_id": f"<{CONFIRMATIONS}.{registrant_ids[0]}@{domain}>", "params": {"registrants": registrant_ids, "domain": domain},
        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
    }


def expand(session: Session, *, event_id: str | None = None, limit: int | None = None) -> int:
    """Turn rows of a batch's confirmations into one confirmation row per registrant, in the
    caller's transaction: the oldest first, until at least `limit` confirmations (all, without a
    limit), of one event or of all. On PostgreSQL, rows another worker is expanding are skipped.
    The number of people the rows listed: each registrant gets one confirmation row however often
    listed, and an id the batch's insert skipped (registered already) gets none."""
    # Found through the index of what is due (status, time): the kind alone would have the
    # database read every row ever sent.
    query = select(OutboxMessage.id, OutboxMessage.params, OutboxMessage.next_attempt_at, OutboxMessage.created_at).where(
        OutboxMessage.status == "pending", OutboxMessage.kind == CONFIRMATIONS).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
    if event_id is not None:
        query = query.where(OutboxMessage.event_id == event_id)
    postgres = session.bind.dialect.name == "postgresql"
    if postgres:
        query = query.with_for_update(skip_locked=True)
    insert_of = postgresql.insert if postgres else sqlite.insert
    taken: list[int] = []
    written = 0
    for batch in session.execute(query.limit(limit // 8 + 1) if limit else query):
        if limit is not None and written >= limit:
            break
        ids = batch.params["registrants"]
        source = _for_registrants("confirmation", "confirmation", batch.params["domain"], {}, batch.next_attempt_at,
                                  batch.created_at).where(Registrant.id.in_(ids))
        session.execute(insert_of(OutboxMessage).from_select(list(ROW_COLUMNS), source).on_conflict_do_nothing(index_elements=["message_id"]))
        taken.append(batch.id)
        written += len(ids)
    if taken:
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(taken)))
    return written


def enqueue(session: Session, **values: object) -> None:
    session.execute(insert(OutboxMessage), [row(**values)])  # type: ignore[arg-type]


def enqueue_for_registrants(session: Session, *, kind: str, event_id: str, domain: str, now: datetime, registered_before: datetime | None = None,
                            params: dict | None = None, occurrence: str | None = None) -> int:
    """One message per live registrant of the event that wants notifications, in one INSERT ... SELECT.
    With an `occurrence` (a RECURRING event's session): those registered for it, that is those who
    chose it and those who chose none (they come to every one)."""
    tag = f"{kind}.{params['minutes_before']}" if params and "minutes_before" in params else kind
    if occurrence is not None:
        tag = f"{tag}.{occurrence}"
    source = _for_registrants(kind, tag, domain, params or {}, now, now).where(
        Registrant.event_id == event_id, Registrant.cancelled_at.is_(None), Registrant.send_notification.is_(True))
    if registered_before is not None:
        source = source.where(Registrant.created_at < registered_before)
    if occurrence is not None:
        chose = select(SessionReservation.registrant_id).where(SessionReservation.registrant_id == Registrant.id)
        source = source.where(or_(~chose.exists(), chose.where(SessionReservation.session_id == occurrence).exists()))
    columns = list(ROW_COLUMNS)
    session.execute(insert(OutboxMessage).from_select(columns, source))
    # Counted, not taken from rowcount: drivers do not all report it for INSERT ... SELECT.
    return session.scalar(select(func.count()).select_from(source.subquery())) or 0


def _for_registrants(kind: str, tag: str, domain: str, params: dict, due: datetime, created: datetime) -> Select:
    """A pending outbox row for each registrant selected (add the WHERE), in ROW_COLUMNS order;
    Message-IDs `<tag.registrant_id@domain>`."""
    return select(
        literal(kind), Registrant.event_id, Registrant.id, Registrant.email,
        literal(f"<{tag}.") + Registrant.id + literal(f"@{domain}>"),
        literal(params, OutboxMessage.params.type), literal("pending"), literal(0),
        literal(due, OutboxMessage.next_attempt_at.type), literal(created, OutboxMessage.created_at.type),
    )


def claim(session: Session, worker: str, now: datetime, limit: int, lease: timedelta = LEASE) -> list[Row]:
    """Take up to `limit` due rows (pending ones, and ones whose worker's lease ran out) in one
    statement; read-only Core rows, in id order. On PostgreSQL, rows another worker is claiming
    are skipped rather than waited for. Batches of confirmations are expanded first (`expand`)."""
    expand(session, limit=limit)
    due = and_(OutboxMessage.kind != CONFIRMATIONS, or_(  # (those another worker is expanding)
        and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
    ))
    chosen = select(OutboxMessage.id).where(due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if session.bind.dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    claimed = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(chosen.scalar_subquery()))
        .values(status="sending", claimed_by=worker, claimed_until=now + lease)
        .returning(*OutboxMessage.__table__.c)
    ).all()
    return sorted(claimed, key=lambda row: row.id)


def settle(session: Session, worker: str, row_id: int, **values: object) -> None:
    """Record the outcome, unless another worker has taken the row over meanwhile."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker, OutboxMessage.status == "sending")
        .values(claimed_by=None, claimed_until=None, **values)
    )


def settle_sent(session: Session, worker: str, row_ids: list[int], now: datetime) -> None:
    """Many rows sent at once: one statement."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(row_ids), OutboxMessage.claimed_by == worker, OutboxMessage.status == "sending")
        .values(status="sent", sent_at=now, attempts=OutboxMessage.attempts + 1, last_error=None, claimed_by=None, claimed_until=None)
    )
