"""Unit of work: one session per use case, committed once, in one visible place."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from townhall.storage.db import writer


class Database:
    """Hands out sessions: read sessions, and write sessions that commit once at the end."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writer_engine = writer(engine)
        self._writers = sessionmaker(self._writer_engine, expire_on_commit=False)
        self._kept = threading.local()  # a batch thread's own connection (`batch_connection`)
        self._all_kept: set[Connection] = set()
        self._kept_lock = threading.Lock()

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

    def keep_connection_in_this_thread(self) -> None:
        """Mark the calling thread as a batcher's (its pool initializer): `batch_connection` then
        keeps its connection from one batch to the next, until `release_kept`."""
        self._kept.keep = True

    @contextmanager
    def batch_connection(self) -> Iterator[Connection]:
        """A group commit's connection. SQLite: `write_connection`. PostgreSQL: a Core connection in
        autocommit mode, on which the batch opens and ends its transaction inside its own texts
        ("BEGIN; ..." in its first round trip, "...; COMMIT" in its last): two round trips a batch,
        where a transaction of the pool's paid three more (the pool's liveness check at checkout,
        the driver's BEGIN, psycopg's closing sync), each a system call or more on both sides. A
        batcher's thread keeps its connection from one batch to the next (no checkout at all).
        Whatever the block leaves open is committed when it ends normally and rolled back on any
        error; a kept connection that saw an error is given back, and the next batch takes a fresh
        one from the pool, checked there."""
        if self.engine.dialect.name == "sqlite":
            with self.write_connection() as connection:
                yield connection
            return
        keep = getattr(self._kept, "keep", False)
        connection: Connection | None = getattr(self._kept, "connection", None) if keep else None
        if connection is None:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if keep:
                self._kept.connection = connection
                with self._kept_lock:
                    self._all_kept.add(connection)
        try:
            yield connection
            if connection.in_transaction():
                connection.commit()
            connection.connection.driver_connection.commit()  # (none left open: no round trip)
        except BaseException:
            if keep:
                self._kept.connection = None
                with self._kept_lock:
                    self._all_kept.discard(connection)
            with suppress(Exception):
                connection.close()  # back to the pool, which rolls back what is open or drops it if broken
            raise
        if not keep:
            connection.close()

    def release_kept(self) -> None:
        """Give the batch threads' kept connections back to the pool (their threads are done)."""
        with self._kept_lock:
            kept, self._all_kept = self._all_kept, set()
        for connection in kept:
            with suppress(Exception):
                connection.close()

    @property
    def threaded_batches(self) -> bool:
        """Whether the join links' group commits run in a thread (see storage/batching.py): yes where
        a statement is a network round trip (PostgreSQL); on SQLite a statement is CPU work under the
        GIL, which a thread would only have to hand back and forth (joins: 2,280/s on the loop,
        1,960/s in a thread). Registrations always run in a thread (services/registration.py)."""
        return self.engine.dialect.name != "sqlite"

    def dispose(self) -> None:
        self.release_kept()
        self.engine.dispose()


def connection_lost(error: BaseException) -> bool:
    """Whether the error is the database connection's end (PostgreSQL only: SQLite has none), raised
    through SQLAlchemy or straight from the driver."""
    if isinstance(error, DBAPIError):
        return bool(error.connection_invalidated)
    return isinstance(error, psycopg.OperationalError)
