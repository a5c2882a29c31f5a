"""storage/bulk.py: rows written around SQLAlchemy's per-row parameter work read back exactly as
rows written through SQLAlchemy do (times, JSON, booleans, NULLs), on the database each is for."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import bindparam, insert, select

from townhall.storage import bulk
from townhall.storage.models import OutboxMessage
from townhall.storage.uow import Database

COLUMNS = ["kind", "event_id", "registrant_id", "recipient", "message_id", "params", "status", "attempts", "next_attempt_at",
           "created_at", "claimed_until"]


def _rows(tag: str) -> list[dict]:
    whole = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)  # no microseconds: the case a plain isoformat gets wrong
    other_zone = datetime(2026, 6, 1, 14, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    return [
        {"kind": "confirmation", "event_id": f"ev-{tag}", "registrant_id": None, "recipient": "a@example.com",
         "message_id": f"<{tag}.{secrets.token_hex(4)}@x>", "params": {}, "status": "pending", "attempts": 0,
         "next_attempt_at": whole, "created_at": whole, "claimed_until": None},
        {"kind": "reminder", "event_id": f"ev-{tag}", "registrant_id": "r1", "recipient": "Bé <b@example.com>",
         "message_id": f"<{tag}.{secrets.token_hex(4)}@x>", "params": {"minutes_before": 15, "names": ["é", None]},
         "status": "pending", "attempts": 2, "next_attempt_at": other_zone, "created_at": whole, "claimed_until": other_zone},
    ]


def _read(db: Database, tag: str) -> list[tuple]:
    with db.read() as session:
        found = session.scalars(select(OutboxMessage).where(OutboxMessage.event_id == f"ev-{tag}").order_by(OutboxMessage.id)).all()
        return [tuple(getattr(m, c) for c in COLUMNS if c not in ("message_id", "event_id")) for m in found]


def test_bulk_writes_read_back_as_sqlalchemy_writes_do(db: Database) -> None:
    with db.write() as session:
        session.execute(insert(OutboxMessage), _rows("orm"))
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            bulk.SqliteInsert(OutboxMessage.__table__, COLUMNS).execute(connection, _rows("bulk"))
        else:
            statement = bulk.JsonInsert(OutboxMessage.__table__, COLUMNS, "rows")
            connection.exec_driver_sql(statement.sql, statement.params(_rows("bulk")))
    through_orm, through_bulk = _read(db, "orm"), _read(db, "bulk")
    assert len(through_bulk) == 2
    assert through_bulk == through_orm
    assert through_bulk[0][6] == datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert through_bulk[1][3] == {"minutes_before": 15, "names": ["é", None]}
    # Stored the same too, not only read back the same: SQLite compares times as text.
    with db.read() as session:
        stored = session.connection().exec_driver_sql(
            "SELECT event_id, next_attempt_at, created_at, claimed_until, params FROM outbox WHERE event_id IN ('ev-orm', 'ev-bulk') ORDER BY id").all()
    assert [row[1:] for row in stored if row[0] == "ev-bulk"] == [row[1:] for row in stored if row[0] == "ev-orm"]


def test_a_select_run_on_the_driver_reads_rows_as_sqlalchemy_does(db: Database) -> None:
    """bulk.DriverSelect: the same values as SQLAlchemy's own result (times UTC-aware, JSON decoded,
    NULLs), by the same names, whether sent alone or, bound into one text, several in one round trip."""
    with db.write() as session:
        session.execute(insert(OutboxMessage), _rows("driver"))
    table = OutboxMessage.__table__
    statement = select(*(table.c[c] for c in COLUMNS)).where(table.c.event_id == bindparam("event")).order_by(table.c.id)
    driver_select = bulk.DriverSelect(statement)
    with db.engine.connect() as connection:
        expected = [tuple(row) for row in connection.execute(statement, {"event": "ev-driver"})]
        alone = driver_select.all(connection, {"event": "ev-driver"})
        if connection.dialect.name == "postgresql":
            cursor = psycopg.ClientCursor(connection.connection.driver_connection)
            cursor.execute("; ".join(driver_select.bind(connection, cursor, {"event": "ev-driver"}) for _ in range(2)))
            together = [driver_select.rows(connection, cursor)]
            assert cursor.nextset()
            together.append(driver_select.rows(connection, cursor))
        else:
            together = [alone, alone]
    assert len(expected) == 2
    for rows in (alone, *together):
        assert [tuple(row) for row in rows] == expected
    assert alone[0].next_attempt_at == datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    assert alone[1].params == {"minutes_before": 15, "names": ["é", None]}
    assert alone[0].claimed_until is None and alone[1].claimed_until.tzinfo is not None


def test_a_select_on_the_driver_takes_a_list_for_an_in_clause_on_sqlite(db: Database) -> None:
    """bulk.DriverSelect with an expanding parameter (`column.in_(bindparam(..., expanding=True))`):
    on SQLite one placeholder per value, the same rows as SQLAlchemy's; an empty list matches
    nothing. (PostgreSQL's hot paths send such lists as one array: `= ANY(...)`.)"""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's hot paths send such lists as one array")
    with db.write() as session:
        session.execute(insert(OutboxMessage), _rows("in1") + _rows("in2") + _rows("in3"))
    table = OutboxMessage.__table__
    statement = (select(*(table.c[c] for c in COLUMNS))
                 .where(table.c.event_id.in_(bindparam("events", expanding=True)), table.c.attempts >= bindparam("least"))
                 .order_by(table.c.id))
    driver_select = bulk.DriverSelect(statement)
    with db.engine.connect() as connection:
        for events, least in ((["ev-in1", "ev-in3"], 0), (["ev-in2"], 1), ([], 0)):
            expected = [tuple(row) for row in connection.execute(statement, {"events": events, "least": least})]
            assert [tuple(row) for row in driver_select.all(connection, {"events": events, "least": least})] == expected
            assert len(expected) == {0: 2 * len(events), 1: 1}[least]
