"""Engines: one per database URL, with SQLite set up for concurrent use (WAL, immediate writes)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


BUSY_TIMEOUT_MS = 30_000  # how long a SQLite connection waits for another's lock


def sqlalchemy_url(url: str) -> str:
    """`postgresql://` means psycopg 3; everything else is used as given."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = sqlalchemy_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}, pool_size=8)
        _configure_sqlite(engine)
        return engine
    # No server-side prepared statements: psycopg prepares a query after five runs, and
    # PostgreSQL may then keep a generic plan made when the tables were empty (a scan of the
    # whole event per registration batch once it holds thousands of registrants).
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, connect_args={"prepare_threshold": None})


def writer(engine: Engine) -> Engine:
    """The same pool, but transactions that take SQLite's write lock up front, so that two
    writers wait for each other instead of failing when one upgrades a read lock."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Indexes on random keys (ids, emails, join tokens) touch pages all over the file: keep
        # them in memory, or every batch reads them back from the OS.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.execute("PRAGMA temp_store=MEMORY")
        # Commits do not copy the log back into the database file; the checkpointer thread does
        # (storage/checkpoint.py), so that no request waits for it.
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        # When the log starts over, its file is cut back to this size (it is reused, not regrown).
        cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Straight to the driver: through exec_driver_sql, SQLAlchemy's execution events and
        # result set-up cost more than SQLite's BEGIN, once per transaction (a group commit's too).
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.connection.driver_connection.execute(f"BEGIN {mode}")
