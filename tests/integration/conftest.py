"""Integration tests that look at server-wide state (the outbox, reminders) get a database of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from townhall.services import accounts
from townhall.storage.db import make_engine
from townhall.storage.migrate import upgrade
from townhall.storage.uow import Database
from tests.conftest import new_database


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with new_database(backend, tmp_path) as url:
        database = Database(make_engine(url))
        upgrade(database.engine)
        accounts.ensure_secret_key(database)
        yield database
        database.dispose()
