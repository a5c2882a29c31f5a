"""Shared fixtures: real databases (a SQLite file and a fresh PostgreSQL database), the app, tenants."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from townhall import spec
from townhall.app import create_app
from townhall.client import ZoomEvents
from townhall.clock import FixedClock
from townhall.config import Settings
from townhall.services import accounts
from townhall.storage.db import make_engine
from townhall.storage.migrate import upgrade
from townhall.storage.uow import Database

PG_SERVER = os.environ.get("TOWNHALL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
PG_MISSING = "PostgreSQL is not reachable on 127.0.0.1:5432"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
PUBLIC_URL = "http://testserver"


def create_pg_database() -> str | None:
    """A new, empty PostgreSQL database for this run; None when there is no server."""
    name = f"townhall_test_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    return f"{PG_SERVER}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True, scope="session")
def temporary_files_under_pytest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """What the tests make with `tempfile` (the servers' mail and file directories, their logs)
    goes under pytest's own base directory, which pytest prunes (the last three runs are kept),
    rather than piling up in the system's temporary directory run after run."""
    tempfile.tempdir = str(tmp_path_factory.mktemp("tempfile"))
    yield
    tempfile.tempdir = None


@contextmanager
def new_database(backend: str, directory: Path) -> Iterator[str]:
    """A new, empty database of that backend, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory}/townhall.db"
        return
    url = create_pg_database()
    if url is None:
        pytest.skip(PG_MISSING)
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per backend for the whole run; tests isolate themselves by account."""
    with new_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own, for tests of initialization and of whole server processes."""
    with new_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def db(database_url: str) -> Iterator[Database]:
    database = Database(make_engine(database_url))
    upgrade(database.engine)
    accounts.ensure_secret_key(database)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, public_url=PUBLIC_URL, status_style="tutorial", run_worker=False,
                    files_dir=str(tmp_path / "files"))


@pytest.fixture
def app(settings: Settings, clock: FixedClock, db: Database) -> FastAPI:
    return create_app(settings, clock=clock, db=db)


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@dataclass
class Tenant:
    """An account of its own, with credentials and an SDK client logged in through the app."""

    account_id: str
    client_id: str
    client_secret: str
    hub_id: str
    sdk: ZoomEvents

    def token(self) -> str:
        return self.sdk.authenticate()["access_token"]


@pytest.fixture
def make_tenant(db: Database, clock: FixedClock, http: TestClient) -> Callable[..., Tenant]:
    def make(name: str = "Acme", scopes: tuple[str, ...] | None = None) -> Tenant:
        creds = accounts.create_account(db, clock, name, scopes or spec.all_scopes())
        sdk = ZoomEvents(PUBLIC_URL, creds.client_id, creds.client_secret, http=http)
        return Tenant(creds.account_id, creds.client_id, creds.client_secret, creds.hub_id, sdk)

    return make


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if any(PG_MISSING in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", "PostgreSQL NOT TESTED: " + PG_MISSING + " (its tests were skipped)", red=True)


@pytest.fixture
def smtp() -> Iterator[Any]:
    from tests.smtp import smtp_server

    with smtp_server() as (inbox, url):
        inbox.url = url
        yield inbox


@pytest.fixture
def mail_worker(db: Database, settings: Settings, clock: FixedClock, smtp: Any) -> Any:
    """The outbox worker of the app under test, delivering to the in-process SMTP server."""
    from townhall.mail.transports import SmtpTransport
    from townhall.mail.worker import OutboxWorker

    worker = OutboxWorker(db, SmtpTransport(smtp.url), settings, clock)

    def deliver() -> int:
        total = 0
        while handled := worker.run_once():
            total += handled
        return total

    worker.deliver = deliver
    return worker
