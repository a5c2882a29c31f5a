"""Unit of work: one session per use case, committed once, in one visible place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from townhall.storage.db import writer


class Database:
    """Hands out sessions: read sessions, and write sessions that commit once at the end."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writer_engine = writer(engine)
        self._writers = sessionmaker(self._writer_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._readers() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Commits when the block ends normally; rolls back on any error."""
        with self._writers() as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A write transaction on a Core connection, for group commits: no ORM session to set up
        and tear down (on SQLite that cost a batch more than its statements). Commits when the
        block ends normally; rolls back on any error."""
        with self._writer_engine.begin() as connection:
            yield connection

    @property
    def threaded_batches(self) -> bool:
        """Whether the join links' group commits run in a thread (see storage/batching.py): yes where
        a statement is a network round trip (PostgreSQL); on SQLite a statement is CPU work under the
        GIL, which a thread would only have to hand back and forth (joins: 2,280/s on the loop,
        1,960/s in a thread). Registrations always run in a thread (services/registration.py)."""
        return self.engine.dialect.name != "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()
